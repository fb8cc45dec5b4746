// The validated shape of the agent's configuration (zod): the rules of the
// configuration table's fields (fields.ts) together, plus the custom variables
// (--var). Every layer (flags, environment, JSON file, managed file) is merged
// into one raw object first and checked here once, so an error always names the field.
import { z } from 'zod';
import { CONFIG_TABLE } from './fields.ts';
import { customValue, variableName } from './rules.ts';

export {
  isLoopbackHost, isRemotePlainHttp, parseDuration, PLAIN_HTTP_RULE, PRODUCTION_API_URL, PRODUCTION_TOKEN_URL, TRAY_ICON_POLICIES, urlSchema,
  type TrayIconPolicy,
} from './rules.ts';

type Field = (typeof CONFIG_TABLE)[number];
/** The fields' rules by key, typed field by field. */
type RulesOf<F extends Field> = { [E in F as E['key']]: E['rule'] };

function rules<F extends Field>(fields: readonly F[]): RulesOf<F> {
  return Object.fromEntries(fields.map((f) => [f.key, f.rule])) as RulesOf<F>;
}

export const rawConfigSchema = z.strictObject({
  ...rules(CONFIG_TABLE.filter((f) => !('managedOnly' in f))),
  variables: z.record(variableName, customValue)
    .refine((v) => Object.keys(v).length <= 50, 'at most 50 custom variables')
    .default({}),
  // Managed file only (fields.ts, managedOnly).
  ...rules(CONFIG_TABLE.filter((f) => 'managedOnly' in f)),
});

export type RawConfigInput = z.input<typeof rawConfigSchema>;
export type ParsedConfig = z.output<typeof rawConfigSchema>;

export type AuthConfig =
  | { kind: 'hmac'; apiKey: string; sharedKey: string }
  | { kind: 'oauth'; clientId: string; clientSecret: string; tokenUrl: string };

/** Configuration as the agent uses it: validated, defaults applied, interval in ms. */
export interface AgentConfig extends Omit<ParsedConfig, 'interval' | 'pii'> {
  intervalMs: number;
  pii: { hostname: boolean; username: boolean; ip: boolean; mac: boolean };
  stateDir: string;
}
