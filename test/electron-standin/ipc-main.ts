// ipcMain (lib/browser/ipc-main-impl.ts) and the dispatch of a renderer's
// invoke/send (lib/browser/ipc-dispatch.ts): handlers are looked up on the
// sender's webContents.ipc first, then on ipcMain; none → the renderer's promise
// rejects with "No handler registered for '<channel>'"; a throwing handler is
// logged in the main process and its error.toString() crosses to the renderer.
import type { IpcMain as ElectronIpcMain, IpcMainInvokeEvent } from 'electron';
import { EventEmitter } from 'node:events';
import type { OnlyElectronKeys } from './exact.ts';

type Handler = (event: IpcMainInvokeEvent, ...args: any[]) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any -- Electron's own signature

export class IpcMainImpl extends EventEmitter implements Pick<ElectronIpcMain, 'handle' | 'handleOnce' | 'removeHandler'> {
  readonly #handlers = new Map<string, Handler>();

  constructor() {
    super();
    this.on('error', () => {}); // Do not throw when a channel is named "error".
  }

  handle(channel: string, listener: Handler): void {
    if (this.#handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    if (typeof listener !== 'function') throw new TypeError(`Expected handler to be a function, but found type '${typeof listener}'`);
    this.#handlers.set(channel, listener);
  }

  handleOnce(channel: string, listener: Handler): void {
    this.handle(channel, (event, ...args) => {
      this.removeHandler(channel);
      return listener(event, ...args);
    });
  }

  removeHandler(channel: string): void {
    this.#handlers.delete(channel);
  }

  static handlerOf(ipc: IpcMainImpl, channel: string): Handler | undefined {
    return ipc.#handlers.get(channel);
  }
}

export const ipcMain = new IpcMainImpl();

/** Runs the invoke handler for `channel` (the sender's own ipc first); resolves to Electron's { result } or { error }. */
export async function dispatchInvoke(targets: readonly IpcMainImpl[], event: IpcMainInvokeEvent, channel: string, args: unknown[]): Promise<{ result?: unknown; error?: string }> {
  const target = targets.find((t) => IpcMainImpl.handlerOf(t, channel));
  const replyWithError = (error: unknown) => {
    console.error(`Error occurred in handler for '${channel}':`, error);
    return { error: error instanceof Error ? error.toString() : String(error) };
  };
  if (!target) return replyWithError(new Error(`No handler registered for '${channel}'`));
  try {
    return { result: await IpcMainImpl.handlerOf(target, channel)!(event, ...args) };
  } catch (error) {
    return replyWithError(error);
  }
}

const exact: OnlyElectronKeys<IpcMainImpl, ElectronIpcMain> = true;
void exact;
