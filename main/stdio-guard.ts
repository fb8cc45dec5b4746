// A closed stdout or stderr (the terminal or the process that started the app went
// away) must not become an error storm. Writing into a closed pipe fails with EPIPE,
// reported as an 'error' event; unhandled, it is an uncaught exception, which the
// log's error handler writes to the console — the same closed pipe — and so on for
// ever (seen: 100 % CPU and 2 GB after a test runner died). Output to a console is
// never essential to a tray app: the first failure turns console output off.
export interface StdioStream {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** Swallows errors of the given streams; `onBroken` runs once, at the first one. */
export function guardStdio(streams: readonly StdioStream[], onBroken: (error: Error) => void): void {
  let broken = false;
  for (const stream of streams) {
    stream.on('error', (error) => {
      if (broken) return;
      broken = true;
      onBroken(error);
    });
  }
}
