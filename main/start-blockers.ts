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
  return idleStatus('Waiting for the keyring',
    `${PRODUCT_NAME} is waiting for the system keyring, which holds the key its saved secrets are stored under (it may be asking for its password). The secrets are kept.`,
    'Unlock the keyring when it asks (or log in to it); syncing starts by itself as soon as it answers.',
    now, 'keyring_waiting', 'needs-configuration');
}

export function keyringUnavailableStatus(now = Date.now()): AgentStatus {
  return idleStatus('Keyring unavailable',
    `The system keyring did not give ${PRODUCT_NAME} the key its saved secrets are stored under, so they cannot be read now. They are kept, not lost.`,
    `Unlock your keyring (GNOME Keyring or KWallet: log in to it), then click Sync now. ${PRODUCT_NAME} also tries again by itself; if it keeps failing, quit ${PRODUCT_NAME} and start it again (the keyring is asked once per start).`,
    now, 'keyring_unavailable', 'needs-configuration');
}

/**
 * The administrator's file exists but cannot be used. The agent does not fall back
 * to the person's own settings: the fields the file locks (server, credentials, what
 * personal data may be sent) would silently stop applying. As the CLI does (it exits
 * 2), the desktop does not sync until the file is fixed.
 */
export function managedBrokenStatus(path: string, problems: readonly ConfigProblem[], now = Date.now()): AgentStatus {
  const what = problems.length ? problems.map((p) => `${p.field}: ${p.message}`).join('; ') : 'it cannot be used';
  return idleStatus('Managed configuration unusable',
    `Your administrator's configuration ${path} cannot be used: ${what}. ${PRODUCT_NAME} does not sync until it is fixed, so that the settings it sets are never silently dropped.`,
    `Tell your IT support. Once the file is fixed, click Sync now (or restart ${PRODUCT_NAME}).`,
    now, 'managed_config_unusable', 'needs-configuration');
}
