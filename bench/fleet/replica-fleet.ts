// The fleet as N replicas of the engine's cycle, built from the engine's own pure
// core — schedule.ts (firstDelay, nextAfter) and diff.ts (planSend, acknowledge) —
// called in the order and with the arguments engine.ts uses, drawing from the
// same per-agent random stream. No promises, no state copies: ~1 µs a cycle.
// test/fleet proves it makes exactly the requests the real engines make.
import { DAY_MS } from '../../app/sync/engine.ts';
import { acknowledge, planSend } from '../../app/sync/diff.ts';
import { DEFAULT_BACKOFF, DEFAULT_PARKED_PROBE_MS, firstDelay, nextAfter } from '../../app/sync/schedule.ts';
import type { CycleOutcome, ScheduleSettings, ScheduleState } from '../../app/sync/schedule.ts';
import type { VariableMap } from '../../app/variables.ts';
import type { FleetServer } from './fleet-server.ts';
import type { FleetSetup } from './fleet-setup.ts';
import { createIdleDevice, idleDeviceModel } from './idle-device.ts';
import type { IdleDevice } from './idle-device.ts';
import { agentRandom } from './random.ts';
import { createTimerHeap } from './timer-heap.ts';

/** What engine.ts keeps per agent that decides when and what it sends. */
interface ReplicaAgent {
  agent: number;
  device: IdleDevice;
  random: () => number;
  sched: ScheduleState;
  acknowledged: VariableMap;
  staticValues: VariableMap;
  lastStaticAt: number | undefined;
  lastFullRefreshAt: number | undefined;
  /** The acknowledged values belong to this identity (false until the first cycle). */
  identityKnown: boolean;
}

interface Due {
  at: number;
  seq: number;
  agent: ReplicaAgent;
}

/** Runs the fleet to `setup.start + setup.durationMs`; returns the number of finished cycles. */
export function runReplicaFleet(setup: FleetSetup, makeServer: (now: () => number) => FleetServer): number {
  let time = setup.start;
  const server = makeServer(() => time);
  const settings: ScheduleSettings = {
    intervalMs: setup.intervalMs,
    jitter: 0.1,
    backoff: { ...DEFAULT_BACKOFF, ...setup.backoff },
    parkedProbeMs: DEFAULT_PARKED_PROBE_MS,
  };
  const scheduleNext = setup.nextAfter ?? nextAfter;
  const heap = createTimerHeap<Due>();
  let seq = 0;
  let cycles = 0;

  function cycle(a: ReplicaAgent, now: number): CycleOutcome {
    if (a.lastStaticAt === undefined || now - a.lastStaticAt >= DAY_MS || now < a.lastStaticAt) {
      a.staticValues = a.device.staticValues();
      a.lastStaticAt = now;
    }
    const desired = { ...a.staticValues, ...a.device.dynamicValues(now) };
    const identityChanged = !a.identityKnown;
    if (identityChanged) {
      a.identityKnown = true;
      a.acknowledged = {};
      a.lastFullRefreshAt = undefined;
    }
    const plan = planSend({ desired, acknowledged: a.acknowledged, identityChanged, lastFullRefreshAt: a.lastFullRefreshAt, now, fullRefreshMs: DAY_MS });
    if (plan.reason === 'nothing') return { ok: true };
    const error = server.receive(a.agent, Object.keys(plan.variables).length);
    if (error !== undefined) return { ok: false, errorClass: error.errorClass, retryAfterMs: error.retryAfterMs };
    a.acknowledged = acknowledge(a.acknowledged, plan.variables);
    if (plan.full) a.lastFullRefreshAt = now;
    return { ok: true };
  }

  for (let agent = 0; agent < setup.agents; agent++) {
    const a: ReplicaAgent = {
      agent,
      device: createIdleDevice(idleDeviceModel(setup.seed, agent, setup.start)),
      random: agentRandom(setup.seed, agent),
      sched: { attempt: 0 },
      acknowledged: {},
      staticValues: {},
      lastStaticAt: undefined,
      lastFullRefreshAt: undefined,
      identityKnown: false,
    };
    heap.push({ at: time + firstDelay(settings.intervalMs, a.random), seq: seq++, agent: a });
  }

  const end = setup.start + setup.durationMs - 1;
  for (let due = heap.pop(); due !== undefined && due.at <= end; due = heap.pop()) {
    time = due.at;
    const a = due.agent;
    const next = scheduleNext(cycle(a, time), a.sched, settings, false, a.random);
    a.sched = next.state;
    cycles++;
    heap.push({ at: time + next.delayMs, seq: seq++, agent: a });
  }
  return cycles;
}
