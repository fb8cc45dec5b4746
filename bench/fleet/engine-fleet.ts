// The fleet as N real sync engines (app/sync/engine.ts) on one virtual clock.
// Faithful by construction, but each cycle costs what it costs in the agent
// (state copies, bounded history, a SHA-256 of the identity): ~30 µs, so this
// mode is for checking the replica, not for 10 000 agents × days.
import { silentLogger } from '../../app/log/logger.ts';
import { createSyncEngine } from '../../app/sync/engine.ts';
import { hardwareIdOf } from './fleet-server.ts';
import type { FleetServer } from './fleet-server.ts';
import { agentStart, FLEET_API_URL, fleetIdentity } from './fleet-state.ts';
import { createIdleDevice, idleDeviceCollector, idleDeviceModel } from './idle-device.ts';
import { createMemoryStateStore } from './memory-store.ts';
import { agentRandom } from './random.ts';
import type { FleetSetup } from './fleet-setup.ts';
import { createFleetClock } from './virtual-clock.ts';

/** Runs the fleet to `setup.start + setup.durationMs`; returns the number of finished cycles. */
export async function runEngineFleet(setup: FleetSetup, makeServer: (now: () => number) => FleetServer): Promise<number> {
  const clock = createFleetClock(setup.start);
  const server = makeServer(clock.now);
  let cycles = 0;
  const countCycle = () => { cycles++; };
  for (let agent = 0; agent < setup.agents; agent++) {
    const agentClock = clock.clockFor(agent);
    const identity = fleetIdentity(setup.product, setup.licenseKey, hardwareIdOf(agent));
    const start = agentStart(setup.seed, agent, setup.starts, identity, setup.start);
    const engine = createSyncEngine({
      identity,
      intervalMs: setup.intervalMs,
      autoActivate: false,
      ...(setup.backoff === undefined ? {} : { backoff: setup.backoff }),
      display: { apiUrl: FLEET_API_URL, usingSandbox: true, licenseDisplay: 'fleet' },
    }, {
      client: server.port,
      collector: idleDeviceCollector(createIdleDevice(idleDeviceModel(setup.seed, agent, setup.start)), agentClock.now),
      store: createMemoryStateStore(countCycle, start.state),
      logger: silentLogger,
      clock: agentClock,
      random: agentRandom(setup.seed, agent),
    });
    // Every start is a timer of its own, so the clock waits for the start's decision (a
    // static collection, then the first cycle's timer) as it waits for a cycle.
    agentClock.setTimeout(() => void engine.start(), start.offsetMs);
  }
  await clock.runUntil(setup.start + setup.durationMs - 1);
  return cycles;
}
