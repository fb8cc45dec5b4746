// Entry point of the `device-agent` command (see bin/device-agent.js).
import { printableLines } from '../app/printable.ts';
import { runCli } from './run-cli.ts';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

// Imported modules may hook the stop signals themselves (conf → atomically → when-exit did, when
// the state store still used conf: a listener that re-raised the signal at this process, which
// reached the handler below as "again" or killed the process outright). The agent stops itself,
// so any such hook goes.
for (const signal of STOP_SIGNALS) process.removeAllListeners(signal);

const stopSignal = new Promise<string>((resolve) => {
  let stopping = false;
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      if (stopping) {
        process.stderr.write(`${signal} again: exiting now\n`);
        process.exit(signal === 'SIGTERM' ? 143 : 130);
      }
      stopping = true;
      resolve(signal);
    });
  }
});

// Every line is made printable: text from files, the state or a server cannot send the terminal escape sequences.
const code = await runCli(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(`${printableLines(line)}\n`),
  stderr: (line) => process.stderr.write(`${printableLines(line)}\n`),
  env: process.env,
  stopSignal,
});
process.exit(code);
