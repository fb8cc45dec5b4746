// What a command sees of the process: its output lines, its environment, and the signal
// that asks it to stop (cli/main.ts hands in the real ones, tests their own).

export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
  env: NodeJS.ProcessEnv;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  stopSignal: Promise<string>;
}
