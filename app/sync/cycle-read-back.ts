// The cycle's read-back (get_device_variables): after an identity change (new device,
// license or server; a lost or quarantined state file) or a request that timed out, what
// the server already holds counts as acknowledged, so only what differs is sent.
import { latestValues } from '../licenseapi/schemas.ts';
import type { CycleHost, StepOutcome } from './cycle-host.ts';
import { GO_ON } from './cycle-host.ts';
import { afterReadBack } from './cycle-transitions.ts';
import { afterReadFailure, needsReconcile } from './in-doubt.ts';
import { isApiErrorLike } from './ports.ts';

export async function readBack(host: CycleHost, identityChanged: boolean): Promise<StepOutcome | { activate: unknown } | { reconciled: 'every value' | 'values in doubt' }> {
  const client = host.client();
  const m = host.model();
  if (!client.getDeviceVariables || !needsReconcile(identityChanged, m.inDoubt, m.recheck)) return GO_ON;
  let held: Record<string, string>;
  try {
    held = latestValues((await client.getDeviceVariables(m.options.identity, host.callOptions())).map((row) => ({ ...row, deviceId: 0 })));
  } catch (error) {
    const next = afterReadFailure(isApiErrorLike(error) ? error.errorClass : undefined);
    if (next === 'activate') return { activate: error };
    if (next === 'stop') return { stop: true, error };
    host.log.info('could not read what the server holds; sending every value', { code: isApiErrorLike(error) ? error.code : 'unexpected' });
    return GO_ON;
  }
  const { model, done } = afterReadBack(host.model(), identityChanged, held);
  host.log.info('reconciled with what the server holds', { held: Object.keys(held).length, matching: done.matching, of: done.compared.length });
  host.update(() => model);
  return { reconciled: identityChanged ? 'every value' : 'values in doubt' };
}
