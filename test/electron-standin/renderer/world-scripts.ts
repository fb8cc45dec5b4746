// The two scripts each window runs at document start, before any page script
// (Page.addScriptToEvaluateOnNewDocument, in registration order):
//  1. main world: receives what the preload exposes with contextBridge;
//  2. the isolated world "electron-preload": Electron's sandboxed-preload
//     environment (require allowlist, process, ipcRenderer, contextBridge) and
//     then the real preload file, compiled as a CommonJS function body as
//     Electron compiles it (params: require, process, exports, module, Buffer,
//     global, setImmediate, clearImmediate).
// Both functions are stringified: they may use only their parameters.
import { createCodec } from './codec.ts';
import { createWorldEndpoint } from './world-bridge.ts';

export const PRELOAD_WORLD = 'electron-preload';
/** The CDP binding the isolated world posts IPC through (exists only in that world). */
export const IPC_BINDING = '__electronStandinIpc';
/** The isolated world's function the main process delivers replies and messages to. */
export const IPC_RECEIVE = '__electronStandinReceive';
/** Electron's parameter names for a sandboxed preload (lib/sandboxed_renderer/preload.ts). */
export const PRELOAD_PARAMS = ['require', 'process', 'exports', 'module', 'Buffer', 'global', 'setImmediate', 'clearImmediate'] as const;

export interface IsolatedWorldConfig {
  token: string;
  preloadPath: string;
  /** Set when the preload could not be read or compiled (it then does not run). */
  preloadError?: { message: string; stack?: string };
  process: { platform: string; arch: string; pid: number; versions: Record<string, string>; version: string; env: Record<string, string>; execPath: string; argv: string[] };
}

/** Messages the isolated world posts to the main process. */
export type IsolatedWorldMessage =
  | { op: 'invoke'; id: number; channel: string; args: unknown }
  | { op: 'send'; channel: string; args: unknown }
  | { op: 'preload-error'; message: string; stack?: string };

/** Messages the main process delivers to the isolated world. */
export type MainProcessMessage =
  | { op: 'reply'; id: number; error?: string; result?: unknown }
  | { op: 'message'; channel: string; args: unknown };

function mainWorldBoot(token: string, endpointFactory: typeof createWorldEndpoint, codecFactory: typeof createCodec): void {
  if (window.top !== window) return; // preloads and contextBridge exist in the main frame only
  const freeze = (value: unknown, seen: Set<object>): void => {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) return;
    seen.add(value);
    if (ArrayBuffer.isView(value)) return;
    for (const key of Reflect.ownKeys(value)) freeze((value as Record<PropertyKey, unknown>)[key], seen);
    Object.freeze(value);
  };
  const endpoint = endpointFactory('main', token, codecFactory);
  endpoint.onExpose((key, value) => {
    if (key in window) throw new Error('Cannot bind an API on top of an existing property on the window object');
    freeze(value, new Set());
    Object.defineProperty(window, key, { value, enumerable: true, writable: false, configurable: false });
  });
}

type PreloadFn = (...args: unknown[]) => void;

function isolatedWorldBoot(
  config: IsolatedWorldConfig,
  names: { binding: string; receive: string },
  endpointFactory: typeof createWorldEndpoint,
  codecFactory: typeof createCodec,
  preload: PreloadFn | null,
): void {
  if (window.top !== window) return;
  const g = globalThis as unknown as Record<string, unknown>;
  const binding = g[names.binding] as (payload: string) => void;
  delete g[names.binding];
  const post = (message: unknown) => binding(JSON.stringify(message));
  const notEmulated = (what: string) => new Error(`${what} is not emulated by the Electron stand-in (see test/electron-standin/README.md)`);

  type Listener = (...args: unknown[]) => unknown;
  // No class fields or #private here: this source is stringified, and a transpiler
  // lowering them would insert helpers the page does not have.
  class EventEmitter {
    declare _events: Map<string | symbol, Listener[]>;
    declare _max: number;
    constructor() {
      this._events = new Map();
      this._max = 10;
    }
    on(name: string | symbol, listener: Listener): this { return this.addListener(name, listener); }
    addListener(name: string | symbol, listener: Listener): this {
      if (typeof listener !== 'function') throw new TypeError('The "listener" argument must be of type function');
      this.emit('newListener', name, listener);
      this._events.set(name, [...(this._events.get(name) ?? []), listener]);
      return this;
    }
    prependListener(name: string | symbol, listener: Listener): this {
      this._events.set(name, [listener, ...(this._events.get(name) ?? [])]);
      return this;
    }
    once(name: string | symbol, listener: Listener): this {
      const wrapped: Listener & { listener?: Listener } = (...args: unknown[]) => {
        this.removeListener(name, wrapped);
        return listener.apply(this, args);
      };
      wrapped.listener = listener;
      return this.on(name, wrapped);
    }
    off(name: string | symbol, listener: Listener): this { return this.removeListener(name, listener); }
    removeListener(name: string | symbol, listener: Listener): this {
      const list = this._events.get(name);
      if (!list) return this;
      const i = list.findIndex((l) => l === listener || (l as { listener?: Listener }).listener === listener);
      if (i >= 0) {
        const next = list.slice();
        next.splice(i, 1);
        if (next.length) this._events.set(name, next); else this._events.delete(name);
        this.emit('removeListener', name, listener);
      }
      return this;
    }
    removeAllListeners(name?: string | symbol): this {
      if (name === undefined) this._events.clear(); else this._events.delete(name);
      return this;
    }
    emit(name: string | symbol, ...args: unknown[]): boolean {
      const list = this._events.get(name);
      if (!list || list.length === 0) {
        if (name === 'error') throw args[0] instanceof Error ? args[0] : new Error(`Unhandled error. (${String(args[0])})`);
        return false;
      }
      for (const l of list.slice()) l.apply(this, args);
      return true;
    }
    listeners(name: string | symbol): Listener[] { return (this._events.get(name) ?? []).map((l) => (l as { listener?: Listener }).listener ?? l); }
    rawListeners(name: string | symbol): Listener[] { return (this._events.get(name) ?? []).slice(); }
    listenerCount(name: string | symbol): number { return this._events.get(name)?.length ?? 0; }
    eventNames(): (string | symbol)[] { return [...this._events.keys()]; }
    setMaxListeners(n: number): this { this._max = n; return this; }
    getMaxListeners(): number { return this._max; }
  }
  Object.assign(EventEmitter, { EventEmitter, defaultMaxListeners: 10 });

  const endpoint = endpointFactory('isolated', config.token, codecFactory);
  const ipcCodec = codecFactory();
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void; channel: string }>();
  let nextInvoke = 1;

  class IpcRenderer extends EventEmitter {
    invoke(channel: string, ...args: unknown[]): Promise<unknown> {
      let encoded: unknown;
      try {
        encoded = ipcCodec.encode(args);
      } catch (error) {
        return Promise.reject(error);
      }
      const id = nextInvoke++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, channel: String(channel) });
        post({ op: 'invoke', id, channel: String(channel), args: encoded });
      });
    }
    send(channel: string, ...args: unknown[]): void {
      post({ op: 'send', channel: String(channel), args: ipcCodec.encode(args) });
    }
    sendSync(): unknown { throw notEmulated('ipcRenderer.sendSync'); }
    sendToHost(): void { throw notEmulated('ipcRenderer.sendToHost'); }
    postMessage(): void { throw notEmulated('ipcRenderer.postMessage'); }
  }
  const ipcRenderer = new IpcRenderer();

  g[names.receive] = (payload: string) => {
    const message = JSON.parse(payload) as { op: string; id?: number; error?: string; result?: unknown; channel?: string; args?: unknown };
    if (message.op === 'reply') {
      const p = pending.get(message.id as number);
      pending.delete(message.id as number);
      if (!p) return;
      if (message.error !== undefined) p.reject(new Error(`Error invoking remote method '${p.channel}': ${message.error}`));
      else p.resolve(ipcCodec.decode(message.result));
    } else if (message.op === 'message') {
      const event = { sender: ipcRenderer, senderId: 0, ports: [] };
      ipcRenderer.emit(message.channel as string, event, ...(ipcCodec.decode(message.args) as unknown[]));
    }
  };

  const contextBridge = {
    exposeInMainWorld(key: string, api: unknown): void {
      if (typeof key !== 'string') throw new TypeError('Error processing argument at index 0, conversion failure from ' + String(key));
      endpoint.expose(key, api);
    },
    exposeInIsolatedWorld(): void { throw notEmulated('contextBridge.exposeInIsolatedWorld'); },
    executeInMainWorld(): unknown { throw notEmulated('contextBridge.executeInMainWorld'); },
  };
  const electron: Record<string, unknown> = {};
  Object.defineProperty(electron, 'contextBridge', { value: contextBridge, enumerable: true });
  Object.defineProperty(electron, 'ipcRenderer', { value: ipcRenderer, enumerable: true });
  for (const name of ['crashReporter', 'nativeImage', 'sharedTexture', 'webFrame', 'webUtils']) {
    Object.defineProperty(electron, name, { enumerable: true, get: () => { throw notEmulated(`electron.${name}`); } });
  }

  const schedule = (fn: (...a: unknown[]) => void, ...args: unknown[]) => setTimeout(() => fn(...args), 0);
  const timers = { setTimeout, clearTimeout, setInterval, clearInterval, setImmediate: schedule, clearImmediate: clearTimeout };
  const url = { URL, URLSearchParams };
  const loaded = new Map<string, unknown>([
    ['electron', electron], ['electron/common', electron], ['electron/renderer', electron],
    ['events', EventEmitter], ['node:events', EventEmitter],
  ]);
  const loadable = new Map<string, () => unknown>([
    ['timers', () => timers], ['node:timers', () => timers], ['url', () => url], ['node:url', () => url],
  ]);
  const preloadRequire = (name: string): unknown => {
    if (loaded.has(name)) return loaded.get(name);
    const load = loadable.get(name);
    if (load) {
      const m = load();
      loaded.set(name, m);
      return m;
    }
    throw new Error(`module not found: ${name}`);
  };
  const processShim = new EventEmitter() as EventEmitter & Record<string, unknown>;
  Object.assign(processShim, config.process, { type: 'renderer', sandboxed: true, contextIsolated: true });

  const report = (error: { message: string; stack?: string }) => {
    console.error(`Unable to load preload script: ${config.preloadPath}`);
    console.error(error.stack ?? error.message);
    post({ op: 'preload-error', message: error.message, ...(error.stack ? { stack: error.stack } : {}) });
  };
  if (!preload) {
    report(config.preloadError ?? { message: 'the preload did not compile' });
    return;
  }
  try {
    const exports = {};
    preload(preloadRequire, processShim, exports, { exports }, undefined, globalThis, timers.setImmediate, timers.clearImmediate);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    report({ message: e.message, ...(e.stack ? { stack: e.stack } : {}) });
  }
}

/** The main-world script source for one window. */
export function mainWorldScript(token: string): string {
  return `(${mainWorldBoot.toString()})(${JSON.stringify(token)}, ${createWorldEndpoint.toString()}, ${createCodec.toString()});`;
}

/**
 * The isolated-world script source: the environment, then the preload as a
 * function body (already checked to compile, so it cannot break out of the wrapper).
 */
export function isolatedWorldScript(config: IsolatedWorldConfig, preloadSource: string | undefined): string {
  const names = { binding: IPC_BINDING, receive: IPC_RECEIVE };
  const preload = preloadSource === undefined ? 'null' : `function (${PRELOAD_PARAMS.join(', ')}) {\n${preloadSource}\n}`;
  return `(${isolatedWorldBoot.toString()})(${JSON.stringify(config)}, ${JSON.stringify(names)}, ${createWorldEndpoint.toString()}, ${createCodec.toString()}, ${preload});\n//# sourceURL=${config.preloadPath.replace(/\s/g, '%20')}`;
}
