// Every renderer → main call passes through here: the sender must be our
// app:// page, the payload must match the contract's schema, and whatever
// goes wrong comes back as { ok: false, error: { field, message } } — never a stack.
import {
  CHANNELS, PAYLOAD_SCHEMAS, replyErrorFromZod,
  type InvokeChannel, type PayloadOf, type Reply, type ReplyValues,
} from '../preload/contract.ts';
import { UserFacingError } from '../app/errors/user-facing-error.ts';
import type { IpcEventSeam, IpcMainSeam, Logger } from './electron-seam.ts';
import type { ZodType } from 'zod';
import { settingsInputSchema } from './settings-input.ts';
import { isAppUrl } from './window-factory.ts';
import { PRODUCT_NAME } from '../app/branding/index.ts';

export type ShellHandlers = { [C in InvokeChannel]: (payload: PayloadOf<C>) => Promise<ReplyValues[C]> };

export const INVOKE_CHANNELS: readonly InvokeChannel[] = Object.values(CHANNELS).filter(
  (c): c is InvokeChannel => c !== CHANNELS.statusChanged,
);

/** Each channel's payload check: the contract's, and a save's field by field as the settings table says (main/settings-input.ts). */
const PAYLOAD_CHECKS: Record<InvokeChannel, ZodType> = {
  ...PAYLOAD_SCHEMAS,
  [CHANNELS.saveSettings]: settingsInputSchema,
};

function isInvokeChannel(channel: string): channel is InvokeChannel {
  return (INVOKE_CHANNELS as readonly string[]).includes(channel);
}

export type Dispatch = (channel: string, senderUrl: string | undefined, args: readonly unknown[]) => Promise<Reply<unknown>>;

export function createDispatcher(handlers: ShellHandlers, log: Logger, isTrusted: (url: string) => boolean = isAppUrl): Dispatch {
  return async (channel, senderUrl, args) => {
    if (senderUrl === undefined || !isTrusted(senderUrl)) {
      log.warn(`refused IPC ${channel}: sender is not the app page`);
      return { ok: false, error: { field: '', message: `refused: the request did not come from the ${PRODUCT_NAME} window` } };
    }
    if (!isInvokeChannel(channel)) return { ok: false, error: { field: '', message: `unknown request ${JSON.stringify(channel).slice(0, 80)}` } };
    if (args.length > 1) return { ok: false, error: { field: '', message: 'expected at most one payload argument' } };
    const parsed = PAYLOAD_CHECKS[channel].safeParse(args[0]);
    if (!parsed.success) return { ok: false, error: replyErrorFromZod(parsed.error) };
    try {
      const handler = handlers[channel] as (payload: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      if (error instanceof UserFacingError) return { ok: false, error: { field: error.field, message: error.message } };
      log.error(`IPC ${channel} failed: ${error instanceof Error ? error.message : String(error)}`);
      return { ok: false, error: { field: '', message: 'Something went wrong; details are in the log (Export diagnostics).' } };
    }
  };
}

/** Registers one ipcMain.handle per invoke channel; returns the unregister function. */
export function registerIpcHandlers(ipcMain: IpcMainSeam, dispatch: Dispatch): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event: IpcEventSeam, ...args: unknown[]) => dispatch(channel, event.senderFrame?.url, args));
  }
  return () => {
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
  };
}
