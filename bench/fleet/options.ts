// The bench:fleet command line, checked with zod: a bad value names its flag.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { START_MIXES, type StartMixName } from './fleet-state.ts';
import type { OutageComparisonOptions, ScheduleChoice } from './outage-comparison.ts';

export type Experiment = 'outage' | 'storm';

/** The comparison's options, plus what only the command line has. */
export interface FleetCliOptions extends Omit<OutageComparisonOptions, 'schedules' | 'backoff'> {
  schedules: ScheduleChoice[];
  experiments: Experiment[];
  stormMix: StartMixName;
  json: boolean;
  help: boolean;
}

export const USAGE = `Usage: npm run bench:fleet -- [options]

Simulates a fleet of idle device agents on a virtual clock, once with a server
outage and once without (same seed), and prints requests per minute, the herd
factor after the outage, total requests and requests per device per day. Then a
login storm: every agent starts within the same minute, each from the state its
last run left, and the busiest minute is set against the same fleet where every
start waits the regular splay.

  --agents N            agents (default 10000)
  --days D              simulated days (default 1)
  --seed S              seed: the same seed gives the same figures (default 1)
  --interval-minutes M  sync interval (default 15, the agent's default)
  --outage-start T      when the server goes down: minutes, or 12h / 90m / 1h30m (default 12h)
  --outage-minutes M    how long it stays down (default 10)
  --down-reply R        refused (connection refused, default) or 503
  --retry-after S       Retry-After seconds on the 503s (default: none)
  --mode M              replica (default: the engine's pure core, fast) or engine
                        (real createSyncEngine instances: slower, for checking)
  --schedule S          current (the agent's, app/sync/schedule.ts), fast-retry
                        (the backoff it replaced, bench/fleet/fast-retry-schedule.ts,
                        shown for comparison) or both (default; current only with
                        --mode engine). Targets and exit status: current only.
  --experiment E        outage, storm or both (default)
  --storm-mix M         the storm's states: ordinary (default: 92 % in sync, 5 %
                        a static fact changed overnight, 2 % values unsent, 1 %
                        first start; judged) or patch-day (97 % a static fact
                        changed; shown, not judged)
  --json                print the figures as JSON
  --help                this text
`;

/** "90", "90m", "12h", "1h30m" → minutes. */
export function parseMinutes(text: string): number | undefined {
  const match = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m?)?$/.exec(text.trim());
  if (match === null || (match[1] === undefined && match[2] === undefined)) return undefined;
  return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
}

const positiveInt = (max: number) => z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(max, `must be at most ${max}`);

const schema = z.object({
  agents: positiveInt(1_000_000),
  days: z.coerce.number().positive('must be more than 0').max(30, 'must be at most 30'),
  seed: z.coerce.number().int('must be a whole number').min(0, 'must be 0 or more').max(2 ** 32 - 1, 'must fit in 32 bits'),
  'interval-minutes': z.coerce.number().min(1, 'must be at least 1').max(24 * 60, 'must be at most 1440'),
  'outage-start': z.string().transform((text, ctx) => {
    const minutes = parseMinutes(text);
    if (minutes === undefined) ctx.addIssue({ code: 'custom', message: 'must be minutes or a duration such as 12h, 90m, 1h30m' });
    return minutes ?? 0;
  }),
  'outage-minutes': z.coerce.number().positive('must be more than 0').max(7 * 24 * 60, 'must be at most a week'),
  'down-reply': z.enum(['refused', '503'], { error: 'must be refused or 503' }),
  'retry-after': z.coerce.number().int('must be a whole number of seconds').min(0, 'must be 0 or more').max(86_400, 'must be at most 86400').optional(),
  mode: z.enum(['replica', 'engine'], { error: 'must be replica or engine' }),
  schedule: z.enum(['current', 'fast-retry', 'both'], { error: 'must be current, fast-retry or both' }).optional(),
  experiment: z.enum(['outage', 'storm', 'both'], { error: 'must be outage, storm or both' }),
  'storm-mix': z.enum(Object.keys(START_MIXES) as [StartMixName, ...StartMixName[]], { error: `must be ${Object.keys(START_MIXES).join(' or ')}` }),
});

/** Every option of bench:fleet (to notice ones npm swallowed). */
export const FLEET_OPTION_NAMES = ['agents', 'days', 'seed', 'interval-minutes', 'outage-start', 'outage-minutes', 'down-reply', 'retry-after', 'mode', 'schedule', 'experiment', 'storm-mix', 'json'] as const;

export class FleetUsageError extends Error {
  override name = 'FleetUsageError';
}

export function parseFleetArgs(argv: readonly string[]): FleetCliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        agents: { type: 'string', default: '10000' },
        days: { type: 'string', default: '1' },
        seed: { type: 'string', default: '1' },
        'interval-minutes': { type: 'string', default: '15' },
        'outage-start': { type: 'string', default: '12h' },
        'outage-minutes': { type: 'string', default: '10' },
        'down-reply': { type: 'string', default: 'refused' },
        'retry-after': { type: 'string' },
        mode: { type: 'string', default: 'replica' },
        schedule: { type: 'string' },
        experiment: { type: 'string', default: 'both' },
        'storm-mix': { type: 'string', default: 'ordinary' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new FleetUsageError(error instanceof Error ? error.message : String(error));
  }
  const { json, help, ...rest } = values;
  const parsed = schema.safeParse(rest);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new FleetUsageError(`--${String(issue.path[0])}: ${issue.message}`);
  }
  const o = parsed.data;
  const schedule = o.schedule ?? (o.mode === 'engine' ? 'current' : 'both');
  if (o.mode === 'engine' && schedule !== 'current') throw new FleetUsageError('--schedule: the engine mode runs the current schedule only (use --schedule current)');
  if (o['retry-after'] !== undefined && o['down-reply'] !== '503') throw new FleetUsageError('--retry-after: only with --down-reply 503');
  const runMinutes = o.days * 24 * 60;
  const earliest = o['interval-minutes'];
  const latestEnd = runMinutes - 5;
  if (o['outage-start'] < earliest || o['outage-start'] + o['outage-minutes'] > latestEnd) {
    throw new FleetUsageError(`--outage-start: the outage must start after the first interval (${earliest} min, when every agent has started) and end 5 min before the run does (${latestEnd} min)`);
  }
  return {
    agents: o.agents,
    days: o.days,
    seed: o.seed,
    intervalMinutes: o['interval-minutes'],
    outageStartMinutes: o['outage-start'],
    outageMinutes: o['outage-minutes'],
    downReply: o['down-reply'],
    retryAfterS: o['retry-after'],
    mode: o.mode,
    schedules: schedule === 'both' ? ['current', 'fast-retry'] : [schedule],
    experiments: o.experiment === 'both' ? ['outage', 'storm'] : [o.experiment],
    stormMix: o['storm-mix'],
    json: json === true,
    help: help === true,
  };
}
