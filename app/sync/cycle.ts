// One sync cycle's interpreter: it feeds cycleStep() (cycle-step.ts, pure) its events and
// performs the effects it returns — a log line, a request over the ports (hardware id,
// collectors, License API) whose answer or failure is the next event, or the end. Every
// decision and every write of the Model is the step's; the step sees the live Model at each
// answer, so a stop() or new settings that arrive while a request is in flight are seen by
// the steps after it.
import { latestValues } from '../licenseapi/schemas.ts';
import type { CycleHost } from './cycle-host.ts';
import type { CycleEffect, CycleEnd, CycleEvent } from './cycle-phase.ts';
import { cycleStep } from './cycle-step.ts';
import type { SyncTrigger } from '../agent-api.ts';

export { CANCELLED } from './cycle-phase.ts';
export type { CycleEnd, CycleOutcomeInput } from './cycle-phase.ts';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Runs one cycle begun at `now`; a crash of a port or collector that escaped every guard ends it as an unexpected error. */
export async function runCycle(host: CycleHost, trigger: SyncTrigger, now: number): Promise<CycleEnd> {
  try {
    let event: CycleEvent = { type: 'cycle-started', trigger, now };
    for (;;) {
      const next = performAll(host, apply(host, event));
      if ('end' in next) return next.end;
      event = await request(host, next);
    }
  } catch (error) {
    return (performAll(host, apply(host, { type: 'crashed', error, now })) as { end: CycleEnd }).end;
  }
}

function apply(host: CycleHost, event: CycleEvent): CycleEffect[] {
  const client = host.client();
  const ctx = { now: host.clock.now(), cancelling: host.cancelling(), can: { checkLicense: Boolean(client.checkLicense), getVariables: Boolean(client.getDeviceVariables) } };
  let effects: CycleEffect[] = [];
  host.update((m) => {
    const stepped = cycleStep(m, event, ctx);
    effects = stepped.effects;
    return stepped.model;
  });
  return effects;
}

type Request = Exclude<CycleEffect, { type: 'log' } | { type: 'end' }>;

/** Writes the log lines; returns the request to make next, or the end. */
function performAll(host: CycleHost, effects: CycleEffect[]): Request | { end: CycleEnd } {
  for (const effect of effects) {
    if (effect.type === 'log') {
      if (effect.fields === undefined) host.log[effect.level](effect.message);
      else host.log[effect.level](effect.message, effect.fields);
    } else if (effect.type === 'end') {
      return { end: effect.end };
    } else {
      return effect;
    }
  }
  throw new Error('a cycle step ended without a request or an end');
}

/** Makes one request; its answer or failure is the next event. */
async function request(host: CycleHost, effect: Request): Promise<CycleEvent> {
  switch (effect.type) {
    case 'read-hardware-id':
      try {
        return { type: 'hardware-id-read', hardwareId: await host.model().options.refreshHardwareId!() };
      } catch (error) {
        return { type: 'hardware-id-failed', error };
      }
    case 'collect-static':
      try {
        return { type: 'static-collected', result: await host.collector().collectStatic() };
      } catch (error) {
        return { type: 'static-failed', message: messageOf(error) };
      }
    case 'collect-dynamic': {
      let event: CycleEvent;
      try {
        const result = await host.collector().collectDynamic();
        event = { type: 'collected', result, sources: [] };
      } catch (error) {
        event = { type: 'collect-failed', message: messageOf(error), sources: [] };
      }
      // What each drop-in file and managed source did: in the status, and kept for `device-agent status` and the next start.
      return { ...event, sources: host.collector().sources?.() ?? [] };
    }
    case 'check-license':
      try {
        return { type: 'license-checked', facts: await host.client().checkLicense!(effect.identity, host.callOptions()) };
      } catch (error) {
        return { type: 'license-check-failed', error };
      }
    case 'get-variables':
      try {
        const rows = await host.client().getDeviceVariables!(effect.identity, host.callOptions());
        return { type: 'server-read', held: latestValues(rows.map((row) => ({ ...row, deviceId: 0 }))) };
      } catch (error) {
        return { type: 'read-failed', error };
      }
    case 'track':
      try {
        await host.client().trackDeviceVariables({ ...effect.identity, variables: effect.variables }, host.callOptions());
        return { type: 'sent' };
      } catch (error) {
        return { type: 'send-failed', error };
      }
    case 'activate':
      try {
        const { options } = host.model();
        const { desired } = effect;
        const reply = await host.client().activateLicense({ ...options.identity, ...options.activation, ...options.activationFacts?.(desired), variables: desired }, host.callOptions());
        return { type: 'activated', reply };
      } catch (error) {
        return { type: 'activation-failed', error };
      }
  }
}
