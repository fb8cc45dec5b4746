// The fleet as N replicas of the engine's cycle, built from the engine's own pure
// core — schedule.ts (startFacts, firstCycle, nextAfter) and diff.ts (planSend,
// acknowledge) — called in the order and with the arguments engine.ts uses, drawing
// from the same per-agent random stream. No promises, no state copies: ~1 µs a
// cycle. test/fleet proves it makes exactly the requests the real engines make.
import { RESTART_NOISE } from '../../app/collect/catalogue.ts';
import type { SyncState } from '../../app/state/sync-state.ts';
import { acknowledge, planSend } from '../../app/sync/diff.ts';
import { DAY_MS, identityHash } from '../../app/sync/engine.ts';
import { afterLicenseCheckFailure } from '../../app/sync/license-check.ts';
import { isRefreshDue } from '../../app/sync/refresh-due.ts';
import { DEFAULT_BACKOFF, DEFAULT_PARKED_PROBE_MS, firstCycle, needsStaticProbe, nextAfter, startFacts } from '../../app/sync/schedule.ts';
import type { CycleOutcome, ScheduleSettings, ScheduleState } from '../../app/sync/schedule.ts';
import type { VariableMap } from '../../app/variables.ts';
import { hardwareIdOf } from './fleet-server.ts';
import type { FleetServer } from './fleet-server.ts';
import type { FleetSetup } from './fleet-setup.ts';
import { agentStart, FLEET_API_URL, fleetIdentity } from './fleet-state.ts';
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
  /** Static facts are collected in the next cycle (at every start, unless the start collected them). */
  staticDue: boolean;
  lastFullRefreshAt: number | undefined;
  /** The acknowledged values belong to this identity (false for a first start, until its first cycle). */
  identityKnown: boolean;
  /** check_license is asked in the next cycle (at every start; again after a failure). */
  licenseCheckDue: boolean;
  lastLicenseCheckAt: number | undefined;
  /** The state.json it started from (read by the start's decision). */
  persisted: SyncState;
  identityHash: string;
}

interface Due {
  at: number;
  seq: number;
  agent: ReplicaAgent;
  /** The start (its decision), or a sync cycle. */
  kind: 'start' | 'cycle';
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
  const decideFirst = setup.firstCycle ?? firstCycle;
  const heap = createTimerHeap<Due>();
  let seq = 0;
  let cycles = 0;

  /** engine.ts start(): the first cycle's delay from the persisted state (and the static facts, when they decide). */
  function start(a: ReplicaAgent, now: number): number {
    const current = { identityHash: a.identityHash, startImmediately: false, noise: RESTART_NOISE };
    let facts = startFacts(a.persisted, current);
    if (needsStaticProbe(facts)) {
      const staticNow = a.device.staticValues();
      facts = startFacts(a.persisted, { ...current, staticNow });
      a.staticValues = staticNow;
      a.lastStaticAt = now;
      a.staticDue = false;
    }
    return decideFirst(facts, { intervalMs: settings.intervalMs }, a.random).delayMs;
  }

  /** engine.ts checkLicenseStep, for a server that answers every check with a license that can be used. */
  function checkLicense(a: ReplicaAgent, now: number): void {
    if (!setup.checkLicense) return;
    if (!isRefreshDue({ forced: a.licenseCheckDue, lastAt: a.lastLicenseCheckAt, now, everyMs: DAY_MS })) return;
    const error = server.receiveLicenseCheck(a.agent);
    if (error === undefined) {
      a.lastLicenseCheckAt = now;
      a.licenseCheckDue = false;
      return;
    }
    // The fleet server's failures leave the cycle going on; a retryable one is asked again next cycle.
    const next = afterLicenseCheckFailure(error.errorClass, error.code);
    if (next.action !== 'go-on') throw new Error(`the replica does not model a license check that ends in ${next.action}`);
    if (next.checkedNow) a.lastLicenseCheckAt = now;
    a.licenseCheckDue = next.askNextCycle;
  }

  function cycle(a: ReplicaAgent, now: number): CycleOutcome {
    if (isRefreshDue({ forced: a.staticDue, lastAt: a.lastStaticAt, now, everyMs: DAY_MS })) {
      a.staticValues = a.device.staticValues();
      a.lastStaticAt = now;
      a.staticDue = false;
    }
    const desired = { ...a.staticValues, ...a.device.dynamicValues(now) };
    const identityChanged = !a.identityKnown;
    if (identityChanged) {
      a.identityKnown = true;
      a.acknowledged = {};
      a.lastFullRefreshAt = undefined;
      a.licenseCheckDue = true;
    }
    checkLicense(a, now);
    const plan = planSend({ desired, acknowledged: a.acknowledged, identityChanged, lastFullRefreshAt: a.lastFullRefreshAt, now, fullRefreshMs: DAY_MS });
    if (plan.reason === 'nothing') return { ok: true };
    const error = server.receive(a.agent, Object.keys(plan.variables).length);
    if (error !== undefined) return { ok: false, errorClass: error.errorClass, retryAfterMs: error.retryAfterMs };
    a.acknowledged = acknowledge(a.acknowledged, plan.variables);
    if (plan.full) a.lastFullRefreshAt = now;
    return { ok: true };
  }

  for (let agent = 0; agent < setup.agents; agent++) {
    const identity = fleetIdentity(setup.product, setup.licenseKey, hardwareIdOf(agent));
    const hash = identityHash(identity, FLEET_API_URL);
    const { offsetMs, state } = agentStart(setup.seed, agent, setup.starts, identity, setup.start);
    const a: ReplicaAgent = {
      agent,
      device: createIdleDevice(idleDeviceModel(setup.seed, agent, setup.start)),
      random: agentRandom(setup.seed, agent),
      sched: { attempt: 0 },
      acknowledged: { ...state.acknowledged },
      staticValues: { ...state.staticValues },
      lastStaticAt: state.lastStaticAt,
      staticDue: true,
      lastFullRefreshAt: state.lastFullRefreshAt,
      identityKnown: state.identityHash === hash,
      licenseCheckDue: true, // at every start (the daemon's and the desktop app's default)
      lastLicenseCheckAt: state.license?.checkedAt,
      persisted: state,
      identityHash: hash,
    };
    heap.push({ at: time + offsetMs, seq: seq++, agent: a, kind: 'start' });
  }

  const end = setup.start + setup.durationMs - 1;
  for (let due = heap.pop(); due !== undefined && due.at <= end; due = heap.pop()) {
    time = due.at;
    const a = due.agent;
    if (due.kind === 'start') {
      heap.push({ at: time + start(a, time), seq: seq++, agent: a, kind: 'cycle' });
      continue;
    }
    const next = scheduleNext(cycle(a, time), a.sched, settings, false, a.random);
    a.sched = next.state;
    cycles++;
    heap.push({ at: time + next.delayMs, seq: seq++, agent: a, kind: 'cycle' });
  }
  return cycles;
}
