// npm run bench:fleet — a fleet of idle device agents through a server outage, then a
// login storm (every agent starting within the same minute).
// Exit status: 0 every target met by the agent's schedule (app/sync/schedule.ts; the
// baselines are shown for comparison and never judged), 1 a target missed, 2 bad
// command line.
import { parseFleetArgs, FleetUsageError, FLEET_OPTION_NAMES, USAGE } from './fleet/options.ts';
import { npmFlagAdvice, swallowedByNpm } from './lib/npm-flags.ts';
import { runLoginStorm, STORM_GOAL, type LoginStorm } from './fleet/login-storm.ts';
import { runOutageComparison, verdictOf } from './fleet/outage-comparison.ts';
import { renderReport } from './fleet/report.ts';
import { renderStormReport } from './fleet/storm-report.ts';

function stormJson(storm: LoginStorm) {
  return {
    mix: storm.options.mix,
    kinds: storm.kinds,
    goal: STORM_GOAL,
    ratio: storm.ratio ?? null,
    judged: storm.judged,
    goalMet: storm.goalMet ?? null,
    figures: Object.fromEntries(storm.results.map((r) => [r.schedule, r.figures])),
  };
}

async function main(argv: readonly string[]): Promise<number> {
  // `npm run bench:fleet --agents 100` (no `--`): npm keeps the flag and passes only "100". Refuse, saying how.
  const swallowed = swallowedByNpm(FLEET_OPTION_NAMES);
  if (swallowed.length > 0) {
    process.stderr.write(`bench:fleet: ${npmFlagAdvice('bench:fleet', swallowed)}\n`);
    return 2;
  }
  let options;
  try {
    options = parseFleetArgs(argv);
  } catch (error) {
    if (!(error instanceof FleetUsageError)) throw error;
    process.stderr.write(`bench:fleet: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const comparison = options.experiments.includes('outage') ? await runOutageComparison(options) : undefined;
  const storm = options.experiments.includes('storm')
    ? await runLoginStorm({
      agents: options.agents, seed: options.seed, intervalMinutes: options.intervalMinutes, mix: options.stormMix, mode: options.mode,
      schedules: options.mode === 'engine' ? ['current'] : ['current', 'before', 'at-once'],
    })
    : undefined;
  // The verdicts are the agent's own rules'; with --schedule fast-retry alone the outage is not judged.
  const verdict = comparison ? verdictOf(comparison) : undefined;
  const stormMissed = storm?.judged === true && storm.goalMet === false;
  if (options.json) {
    const out: Record<string, unknown> = {};
    if (comparison && verdict) {
      out.judged = verdict.judged?.schedule ?? null;
      out.targetsMet = verdict.judged === undefined ? null : verdict.exitCode === 0;
      out.figures = Object.fromEntries(comparison.results.map((r) => [r.schedule, r.figures]));
    }
    if (storm) out.storm = stormJson(storm);
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    const parts: string[] = [];
    if (comparison) parts.push(renderReport(comparison));
    if (storm) parts.push(renderStormReport(storm));
    process.stdout.write(parts.join('\n'));
  }
  return (verdict?.exitCode ?? 0) === 1 || stormMissed ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
