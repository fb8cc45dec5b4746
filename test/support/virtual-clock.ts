// The one virtual clock of the tests: the engine's Clock port with timers that fire only
// when a test says so. Timers due at the same instant fire in the order they were set.
// (bench/fleet has its own clock: one heap for thousands of engines, each waited for.)
import type { Clock } from '../../app/sync/ports.ts';

export interface VirtualClock extends Clock {
  /**
   * Moves the clock on by `ms`, firing every timer due on the way (in time order) and letting
   * what each started run to its end (`settle()`) before the next fires.
   */
  advance(ms: number): Promise<void>;
  /** Jumps the clock to the earliest timer, fires it and returns how long it was set for. */
  fireNext(): { delayMs: number };
  /** Moves the clock without firing anything (time passing between scheduled cycles). */
  skip(ms: number): void;
  /** Timers set and neither fired nor cleared. */
  pending(): number;
}

/**
 * Lets the work a timer or a call started run on: 20 event-loop turns, enough for the
 * engine's cycle over in-memory ports (its awaits, the state store's queued write).
 */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

export function virtualClock(start = 1_700_000_000_000): VirtualClock {
  let t = start;
  let nextId = 0;
  const timers = new Map<number, { at: number; setAt: number; fn: () => void }>();
  /** The earliest timer due by `until` (the first set among equals: Map order, stable sort). */
  const earliest = (until = Infinity) => [...timers.entries()].filter(([, v]) => v.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
  return {
    now: () => t,
    setTimeout(fn, ms) {
      const id = ++nextId;
      timers.set(id, { at: t + ms, setAt: t, fn });
      return id;
    },
    clearTimeout(handle) { timers.delete(handle as number); },
    pending: () => timers.size,
    skip(ms) { t += ms; },
    fireNext() {
      const due = earliest();
      if (due === undefined) throw new Error('no timer is scheduled');
      timers.delete(due[0]);
      t = Math.max(t, due[1].at);
      due[1].fn();
      return { delayMs: due[1].at - due[1].setAt };
    },
    async advance(ms) {
      const end = t + ms;
      for (;;) {
        const due = earliest(end);
        if (due === undefined) break;
        timers.delete(due[0]);
        t = due[1].at;
        due[1].fn();
        await settle();
      }
      t = end;
      await settle();
    },
  };
}
