// npm run bench:fleet — a fleet of idle device agents through a server outage.
// Exit status: 0 every target met by the agent's schedule (app/sync/schedule.ts; the
// fast-retry baseline is shown for comparison and never judged), 1 a target missed,
// 2 bad command line.
import { parseFleetArgs, FleetUsageError, FLEET_OPTION_NAMES, USAGE } from './fleet/options.ts';
import { npmFlagAdvice, swallowedByNpm } from './lib/npm-flags.ts';
import { runOutageComparison, verdictOf } from './fleet/outage-comparison.ts';
import { renderReport } from './fleet/report.ts';

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
  const comparison = await runOutageComparison(options);
  // The verdict is the agent's own schedule's; with --schedule fast-retry alone nothing is judged.
  const verdict = verdictOf(comparison);
  if (options.json) {
    const figures = Object.fromEntries(comparison.results.map((r) => [r.schedule, r.figures]));
    process.stdout.write(`${JSON.stringify({ judged: verdict.judged?.schedule ?? null, targetsMet: verdict.judged === undefined ? null : verdict.exitCode === 0, figures }, null, 2)}\n`);
  } else {
    process.stdout.write(renderReport(comparison));
  }
  return verdict.exitCode;
}

process.exitCode = await main(process.argv.slice(2));
