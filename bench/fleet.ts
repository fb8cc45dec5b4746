// npm run bench:fleet — a fleet of idle device agents through a server outage.
// Exit status: 0 every target met by the first schedule simulated (the agent's own
// unless --schedule candidate), 1 a target missed, 2 bad command line.
import { parseFleetArgs, FleetUsageError, USAGE } from './fleet/options.ts';
import { runOutageComparison } from './fleet/outage-comparison.ts';
import { renderReport } from './fleet/report.ts';

async function main(argv: readonly string[]): Promise<number> {
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
  const figures = Object.fromEntries(comparison.results.map((r) => [r.schedule, r.figures]));
  process.stdout.write(options.json ? `${JSON.stringify(figures, null, 2)}\n` : renderReport(comparison));
  // The verdict is the agent's: the schedule as committed (or the only one simulated).
  const judged = comparison.results[0]!;
  return judged.figures.targets.every((t) => t.ok) ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
