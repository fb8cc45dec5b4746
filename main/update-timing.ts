// When the desktop updater checks, retries and gives up on a stalled download, and the
// waits said in words. Pure data and arithmetic: the updater (updater.ts) draws from these.
import type { AgentStatus } from '../app/agent-api.ts';
import type { Logger } from './electron-seam.ts';

export interface UpdateTiming {
  /** The first check: a random moment in this range after start (ms). */
  firstCheck: readonly [number, number];
  /** Between regular checks: a random wait in this range, drawn each time (ms). */
  interval: readonly [number, number];
  /** The first wait after a failed check; it doubles up to the shortest regular wait. */
  checkRetry: number;
  /** The first wait after a failed download; it doubles each time. */
  downloadRetry: number;
  /** Download attempts per check before waiting for the next regular check. */
  downloadAttempts: number;
  /** A check that has not answered by then has failed (Electron's net.request has no timeout of its own). */
  checkTimeout: number;
  /** A download with no progress for this long is cancelled and tried again. */
  downloadStall: number;
}

export const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const UPDATE_TIMING: UpdateTiming = {
  firstCheck: [2 * MINUTE, 15 * MINUTE],
  interval: [6 * HOUR, 24 * HOUR],
  checkRetry: 30 * MINUTE,
  downloadRetry: MINUTE,
  downloadAttempts: 5,
  checkTimeout: 2 * MINUTE,
  downloadStall: 15 * MINUTE,
};

/**
 * DEVICE_AGENT_TEST_UPDATE_MS (tests): the first check, and the first retry waits, after this
 * many ms. Honoured only by an unpackaged app, as the other test knobs.
 */
export function testUpdateTiming(env: NodeJS.ProcessEnv, isPackaged: boolean, log: Logger): Partial<UpdateTiming> {
  const text = env.DEVICE_AGENT_TEST_UPDATE_MS;
  if (isPackaged || text === undefined || text === '') return {};
  const ms = Number(text);
  if (!/^\d+$/.test(text.trim()) || ms > 10 * MINUTE) {
    log.warn(`DEVICE_AGENT_TEST_UPDATE_MS ignored: ${JSON.stringify(text.slice(0, 40))} is not a whole number of ms up to ${10 * MINUTE}`);
    return {};
  }
  return { firstCheck: [ms, ms], checkRetry: ms, downloadRetry: ms };
}


/** In words: "in 3 h", "in 12 min", "in 40 s". */
export function inWords(ms: number): string {
  if (ms >= 10 * HOUR) return `in ${Math.round(ms / HOUR)} h`;
  if (ms >= HOUR) return `in ${Math.round((ms / HOUR) * 10) / 10} h`;
  if (ms >= MINUTE) return `in ${Math.round(ms / MINUTE)} min`;
  return `in ${Math.max(1, Math.round(ms / 1000))} s`;
}


/** A whole number of ms drawn from [min, max]. */
export const drawBetween = ([min, max]: readonly [number, number], random: () => number): number => min + Math.floor(random() * (max - min + 1));

/** A growing wait, drawn over [w, 2w] so that machines failing together do not retry together. */
export function backoffWait(first: number, failures: number, random: () => number, cap = Number.POSITIVE_INFINITY): number {
  const w = Math.min(first * 2 ** Math.max(0, failures - 1), cap);
  return Math.round(w + random() * w);
}

/** Waits that end early when woken (the updater closing). */
export function createSleeper(): { sleep(ms: number): Promise<void>; wake(): void } {
  let sleeper: { timer: ReturnType<typeof setTimeout>; resolve(): void } | undefined;
  return {
    sleep: (ms) => new Promise<void>((resolve) => {
      const t = setTimeout(() => { sleeper = undefined; resolve(); }, ms);
      t.unref?.();
      sleeper = { timer: t, resolve };
    }),
    wake() {
      if (sleeper) {
        clearTimeout(sleeper.timer);
        sleeper.resolve();
      }
    },
  };
}

type Phase = Pick<AgentStatus, 'phase'>;

/** Until the engine is not syncing (no check competes with a sync for the network), or `closed()`. */
export function untilNotSyncing(host: { status(): Phase; onStatus(listener: (status: Phase) => void): () => void }, closed: () => boolean): Promise<void> {
  return new Promise<void>((resolve) => {
    if (host.status().phase !== 'syncing') {
      resolve();
      return;
    }
    const stop = host.onStatus((s) => {
      if (s.phase === 'syncing' && !closed()) return;
      stop();
      resolve();
    });
  });
}
