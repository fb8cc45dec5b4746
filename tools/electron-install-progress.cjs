// Loaded with `node --require` into Electron's installer when `npm start` runs in
// a terminal: the installer's progress bar (node-progress) draws only on a TTY,
// and its stderr is a pipe to npm start, which passes the bar on to the terminal.
const stream = process.stderr;
if (!stream.isTTY) {
  stream.isTTY = true;
  stream.columns = Number(process.env.COLUMNS) || 80;
  stream.cursorTo = (x) => stream.write(x === 0 ? '\r' : `\x1b[${x + 1}G`);
  stream.clearLine = () => stream.write('\x1b[K');
}
