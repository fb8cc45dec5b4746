// Fault injection: rules that make the sandbox misbehave the way real networks,
// proxies and servers do. A rule applies to the next `times` requests whose
// endpoint is in `paths` (all when omitted), each with `probability`.
//
// When a rule acts:
//   latency          before anything else, wait `ms`
//   status / drop    instead of handling the request (it is not processed)
//   malformed        the request is processed, the reply is a 200 with invalid JSON
//   reset-mid-reply  the request is processed, headers and half the body are sent, then the socket is destroyed
//   date-skew        the reply's Date header is shifted by `ms`
//   bad-signature / no-signature   LicenseSignature is wrong / absent
// Latency and the header modifiers combine; of status, drop, malformed and
// reset-mid-reply only the first matching rule acts on a request.
import { z } from 'zod';

export const FAULT_KINDS = ['latency', 'status', 'drop', 'malformed', 'date-skew', 'bad-signature', 'no-signature', 'reset-mid-reply'] as const;
export type FaultKind = typeof FAULT_KINDS[number];

export interface FaultRule {
  kind: FaultKind;
  ms?: number;
  status?: number;
  retryAfter?: string;
  probability?: number;
  times?: number;
  paths?: string[];
}

export const faultRuleSchema = z.object({
  kind: z.enum(FAULT_KINDS),
  ms: z.number().finite().optional(),
  status: z.number().int().min(400).max(599).optional(),
  retryAfter: z.string().min(1).max(64).optional(),
  probability: z.number().min(0).max(1).optional(),
  times: z.number().int().min(1).optional(),
  paths: z.array(z.string().min(1)).optional(),
}).strict().superRefine((rule, ctx) => {
  if (rule.kind === 'latency' && (rule.ms === undefined || rule.ms < 0)) ctx.addIssue({ code: 'custom', path: ['ms'], message: 'latency needs ms >= 0' });
  if (rule.kind === 'date-skew' && rule.ms === undefined) ctx.addIssue({ code: 'custom', path: ['ms'], message: 'date-skew needs ms (the offset)' });
  if (rule.kind === 'status' && rule.status === undefined) ctx.addIssue({ code: 'custom', path: ['status'], message: 'status needs status (e.g. 503)' });
});

/** Validates a rule from an untrusted source; throws an Error naming the field. */
export function parseFaultRule(input: unknown): FaultRule {
  const result = faultRuleSchema.safeParse(input);
  if (!result.success) {
    throw new Error(`invalid fault rule: ${result.error.issues.map((i) => `${i.path.join('.') || '(rule)'}: ${i.message}`).join('; ')}`);
  }
  return result.data;
}

/** What the faults decided for one request. */
export interface FaultPlan {
  latencyMs: number;
  /** Replaces normal handling (status, drop) or mangles the reply (malformed, reset-mid-reply). */
  terminal: FaultRule | undefined;
  dateSkewMs: number;
  signature: 'valid' | 'bad' | 'none';
}

const TERMINAL: ReadonlySet<FaultKind> = new Set(['status', 'drop', 'malformed', 'reset-mid-reply']);

interface ActiveRule { rule: FaultRule; remaining: number }

export class FaultSet {
  readonly #random: () => number;
  #rules: ActiveRule[] = [];

  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  inject(rule: FaultRule): void {
    const valid = parseFaultRule(rule);
    this.#rules.push({ rule: valid, remaining: valid.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.#rules = [];
  }

  get size(): number {
    return this.#rules.length;
  }

  /** Decides the faults for one request to `endpoint`, consuming the rules that act. */
  plan(endpoint: string): FaultPlan {
    const plan: FaultPlan = { latencyMs: 0, terminal: undefined, dateSkewMs: 0, signature: 'valid' };
    for (const active of this.#rules) {
      const { rule } = active;
      if (active.remaining <= 0) continue;
      if (rule.paths && !rule.paths.includes(endpoint)) continue;
      if (TERMINAL.has(rule.kind) && plan.terminal) continue;
      if (this.#random() >= (rule.probability ?? 1)) continue;
      active.remaining -= 1;
      switch (rule.kind) {
        case 'latency': plan.latencyMs += rule.ms ?? 0; break;
        case 'date-skew': plan.dateSkewMs += rule.ms ?? 0; break;
        case 'bad-signature': if (plan.signature === 'valid') plan.signature = 'bad'; break;
        case 'no-signature': plan.signature = 'none'; break;
        default: plan.terminal = rule;
      }
    }
    this.#rules = this.#rules.filter((active) => active.remaining > 0);
    return plan;
  }
}
