// Entry point of the `device-agent` command (see bin/device-agent.js).
import { runCli } from './run-cli.ts';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

// Imported modules may hook the stop signals themselves: conf → atomically → when-exit added a
// process.once(SIGINT/SIGTERM) listener at import time that re-raises the signal at this process
// (the CLI no longer loads conf, but any dependency may do the same).
// That second delivery reached the handler below as "again" (exit 130 before the write in flight
// finished) or, racing it, killed the process outright. The agent stops itself, so those hooks
// go; when-exit's 'exit' hook (atomically's temp-file cleanup) stays.
for (const signal of STOP_SIGNALS) process.removeAllListeners(signal);

const stopSignal = new Promise<string>((resolve) => {
  let stopping = false;
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      if (stopping) {
        process.stderr.write(`${signal} again: exiting now\n`);
        process.exit(130);
      }
      stopping = true;
      resolve(signal);
    });
  }
});

const code = await runCli(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  stopSignal,
});
process.exit(code);
