import { describe, expect, it } from 'vitest';
import { createAgentHost } from './agent-host.ts';
import { createShellServices, type ShellServicesDeps } from './shell-services.ts';
import { createSecretVault } from './secrets.ts';
import { aesSafeStorage, memoryStore, recordingLog } from './test-fakes.ts';

function services(extra: Partial<ShellServicesDeps>) {
  const log = recordingLog();
  const store = memoryStore();
  const host = createAgentHost(log);
  return createShellServices({
    host, store, log, managed: undefined, stateDir: '/tmp/unused',
    vault: createSecretVault(aesSafeStorage(), store, 'linux', log),
    runner: {} as ShellServicesDeps['runner'],
    autostart: {} as ShellServicesDeps['autostart'],
    clipboard: { writeText() {} },
    diagnostics: { dir: '/tmp', logFiles: () => [], appVersion: '0', platform: 'linux' },
    ...extra,
  });
}

describe('status view warnings', () => {
  it('says when the administrator\'s managed file could not be used', () => {
    const s = services({ problems: [{ code: 'managed_unusable', headline: 'Managed configuration unusable', summary: "Your administrator's configuration could not be used (config (from managed config /etc/device-agent/config.json): is not valid JSON); your own settings apply until it is fixed.", remedy: 'Ask your IT support.' }] });
    const view = s.toStatusView(createAgentHost(recordingLog()).status(), false);
    expect(view.phase).toBe('attention');
    expect(view.error?.summary).toMatch(/administrator.*not valid JSON/);
  });

  it('adds nothing when the managed file is fine or absent', () => {
    const view = services({}).toStatusView(createAgentHost(recordingLog()).status(), false);
    expect(view.warnings.some((w) => w.includes('administrator'))).toBe(false);
  });
});
