// A virtual clock for thousands of sync engines in one process. Each agent gets
// its own `Clock` (the engine's port); all timers sit in one heap. When a timer
// fires, the clock waits for that agent's cycle to finish — a cycle ends by
// setting the agent's next timer — before the next timer fires, so a request takes
// no virtual time and the order of events is fixed by the seed.
import type { Clock } from '../../app/sync/ports.ts';
import { createTimerHeap } from './timer-heap.ts';

interface Timer {
  at: number;
  seq: number;
  agent: number;
  fn: () => void;
  done: boolean;
}

export interface FleetClock {
  now(): number;
  /** The Clock port handed to agent `agent`'s engine. */
  clockFor(agent: number): Clock;
  /** Fires every timer due up to `until` (inclusive), in time order, then sets the time to `until`. */
  runUntil(until: number): Promise<void>;
  /** Timers set and neither fired nor cancelled. */
  pending(): number;
}

/** Event-loop turns a cycle may take before the clock calls it stuck (a port doing real I/O). */
const MAX_SETTLE_TURNS = 100;

/** Resolves once every queued microtask has run (the tail of a finished cycle included). */
function drainMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function createFleetClock(start: number): FleetClock {
  let time = start;
  let seq = 0;
  let live = 0;
  const heap = createTimerHeap<Timer>();
  /** Agents whose timer fired and whose cycle has not yet set the next one. */
  const busy = new Set<number>();

  async function settle(): Promise<void> {
    for (let turn = 0; ; turn++) {
      await drainMicrotasks();
      if (busy.size === 0) return;
      if (turn >= MAX_SETTLE_TURNS) {
        throw new Error(`agents ${[...busy].slice(0, 5).join(', ')} did not finish a cycle within ${MAX_SETTLE_TURNS} event-loop turns: the ports must answer without real I/O`);
      }
    }
  }

  return {
    now: () => time,
    clockFor(agent) {
      return {
        now: () => time,
        setTimeout(fn, ms) {
          busy.delete(agent);
          const timer: Timer = { at: time + Math.max(0, ms), seq: seq++, agent, fn, done: false };
          heap.push(timer);
          live++;
          return timer;
        },
        clearTimeout(handle) {
          const timer = handle as Timer | undefined;
          if (timer === undefined || timer.done) return;
          timer.done = true;
          live--;
        },
      };
    },
    async runUntil(until) {
      for (;;) {
        const next = heap.peek();
        // One timer at a time: its cycle (or a start's decision) finishes before the next
        // timer fires, even one due at the same instant. So two agents due together make
        // their requests one agent after the other, in the order their timers were set, as
        // the replica does (a first cycle asks check_license, then sends: interleaved,
        // the order of requests would depend on how many awaits each step takes).
        if (busy.size > 0) {
          await settle();
          continue;
        }
        if (next === undefined || next.at > until) break;
        heap.pop();
        if (next.done) continue;
        next.done = true;
        live--;
        time = next.at;
        busy.add(next.agent);
        next.fn();
      }
      time = Math.max(time, until);
    },
    pending: () => live,
  };
}
