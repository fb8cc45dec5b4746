// Runs an Electron main script on the stand-in:
//   node test/electron-standin/boot.ts <main.js> [app arguments…]
// The resolve hook is registered before anything imports `electron`.
import './register.ts';

const [mainScript, ...appArgs] = process.argv.slice(2);
if (!mainScript) {
  process.stderr.write('usage: node test/electron-standin/boot.ts <main.js> [app arguments…]\n');
  process.exit(2);
}
const { startApp } = await import('./start.ts');
await startApp(mainScript, appArgs);
