// Which variables are collected: the catalogue's defaults, narrowed by an
// allowlist (when non-empty it replaces the defaults; empty means none, as in
// the configuration's default), a denylist (always removes),
// and the PII switches (a PII variable needs its switch, allowed or not).
// Custom variables from configuration are included unless denied.
// Patterns are exact names or a prefix ending in "*" (battery_*).
import { CATALOGUE, PII_VARIABLES } from './catalogue.ts';
import type { PiiSwitches } from './catalogue.ts';
import type { FieldError } from './validate.ts';

export interface SelectionOptions {
  pii: PiiSwitches;
  allow?: readonly string[];
  deny?: readonly string[];
  customNames?: readonly string[];
}

const PATTERN = /^[A-Za-z0-9_.-]{1,64}\*?$|^\*$/;

/** Whether an allow/deny pattern (a name, or a prefix ending in *) covers `name`. */
export function matches(pattern: string, name: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

/** Checks allow/deny patterns: well-formed, and an allowlist naming no known variable is a typo. */
export function checkPatterns(options: SelectionOptions): FieldError[] {
  const known = [...CATALOGUE.map((e) => e.name), ...(options.customNames ?? [])];
  const errors: FieldError[] = [];
  for (const [list, patterns] of [['allow', options.allow], ['deny', options.deny]] as const) {
    (patterns ?? []).forEach((pattern, index) => {
      const field = `${list}[${index}]`;
      if (typeof pattern !== 'string' || !PATTERN.test(pattern)) {
        errors.push({ field, message: 'must be a variable name (A-Z a-z 0-9 _ . -, up to 64) optionally ending in *' });
      } else if (list === 'allow' && !known.some((name) => matches(pattern, name))) {
        errors.push({ field, message: `"${pattern}" matches no known variable` });
      }
    });
  }
  return errors;
}

/** The names to collect, catalogue order first, then custom names. */
export function selectVariables(options: SelectionOptions): string[] {
  const piiAllowed = new Set<string>(
    (Object.keys(PII_VARIABLES) as Array<keyof typeof PII_VARIABLES>).filter((k) => options.pii[k]).map((k) => PII_VARIABLES[k]),
  );
  const allow = options.allow && options.allow.length > 0 ? options.allow : undefined;
  const denied = (name: string) => (options.deny ?? []).some((p) => matches(p, name));
  const builtin = CATALOGUE
    .filter((entry) => !entry.pii || piiAllowed.has(entry.name))
    .filter((entry) => allow === undefined || allow.some((p) => matches(p, entry.name)))
    .map((entry) => entry.name);
  return [...builtin, ...(options.customNames ?? [])].filter((name) => !denied(name));
}
