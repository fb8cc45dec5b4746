// What the tray and the window say while the shell will not start the engine:
// the keyring holding the saved secrets does not answer (or fails this session),
// or the administrator's managed file exists but cannot be used. In each case
// nothing is lost and nothing is sent with half the configuration; the shell
// tries again (main/shell-services.ts).
import type { AgentStatus } from '../app/agent-api.ts';
import type { ConfigProblem } from '../app/config/index.ts';
import { idleStatus } from './agent-host.ts';
import { PRODUCT_NAME } from '../app/branding/index.ts';

export function keyringWaitingStatus(now = Date.now()): AgentStatus {
  return idleStatus({ key: 'problem.keyringWaiting.headline' }, { key: 'problem.keyringWaiting.summary', params: { product: PRODUCT_NAME } },
    { key: 'problem.keyringWaiting.remedy' }, now, 'keyring_waiting', 'needs-configuration');
}

export function keyringUnavailableStatus(now = Date.now()): AgentStatus {
  return idleStatus({ key: 'problem.keyringUnavailable.headline' }, { key: 'problem.keyringUnavailable.summary', params: { product: PRODUCT_NAME } },
    { key: 'problem.keyringUnavailable.remedy', params: { product: PRODUCT_NAME } }, now, 'keyring_unavailable', 'needs-configuration');
}

/**
 * The administrator's file exists but cannot be used. The agent does not fall back
 * to the person's own settings: the fields the file locks (server, credentials, what
 * personal data may be sent) would silently stop applying. As the CLI does (it exits
 * 2), the desktop does not sync until the file is fixed.
 */
export function managedBrokenStatus(path: string, problems: readonly ConfigProblem[], now = Date.now()): AgentStatus {
  const what = problems.length ? problems.map((p) => `${p.field}: ${p.message}`).join('; ') : 'it cannot be used';
  return idleStatus({ key: 'problem.managedBroken.headline' }, { key: 'problem.managedBroken.summary', params: { path, what, product: PRODUCT_NAME } },
    { key: 'problem.managedBroken.remedy', params: { product: PRODUCT_NAME } }, now, 'managed_config_unusable', 'needs-configuration');
}
