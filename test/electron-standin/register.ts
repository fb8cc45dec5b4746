// A Node resolve hook: `electron` (and electron/main, electron/common) resolve to
// the stand-in's module, for ESM imports and for require() in CommonJS
// dependencies alike (electron-log requires it). module.registerHooks, the
// in-thread form of module.register's hooks: module.register's asynchronous
// hooks do not see require() inside CommonJS packages (checked on Node 24.22).
import { registerHooks } from 'node:module';

export const ELECTRON_STANDIN_URL = new URL('./electron.ts', import.meta.url).href;
const SPECIFIERS = new Set(['electron', 'electron/main', 'electron/common']);

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (SPECIFIERS.has(specifier)) return { url: ELECTRON_STANDIN_URL, shortCircuit: true };
    return nextResolve(specifier, context);
  },
});
