// Bad IPC payloads from the renderer, through the shell's real dispatcher and the
// contract's zod schemas (preload/contract.ts): every one is refused as
// { ok: false, error: { field, message } } naming the field, the handler never runs,
// and nothing resembling a stack comes back.
import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../main/ipc-handlers.ts';
import type { ShellHandlers } from '../../main/ipc-handlers.ts';
import { CHANNELS, fieldLabel } from '../../preload/contract.ts';

const APP_PAGE = 'app://ui/index.html';

function recordingHandlers(): { handlers: ShellHandlers; calls: string[] } {
  const calls: string[] = [];
  const handler = (name: string) => async () => {
    calls.push(name);
    return null as never;
  };
  const handlers = Object.fromEntries(Object.values(CHANNELS).filter((c) => c !== CHANNELS.statusChanged).map((c) => [c, handler(c)])) as unknown as ShellHandlers;
  return { handlers, calls };
}

const quietLog = { debug() {}, info() {}, warn() {}, error() {} };

/** [label, channel, args, field the error names ('' = the payload as a whole)] */
const CASES: Array<[string, string, unknown[], string]> = [
  ['setPaused: no payload', CHANNELS.setPaused, [], ''],
  ['setPaused: empty object', CHANNELS.setPaused, [{}], 'paused'],
  ['setPaused: text', CHANNELS.setPaused, [{ paused: 'yes' }], 'paused'],
  ['setPaused: number', CHANNELS.setPaused, [{ paused: 1 }], 'paused'],
  ['setPaused: bare boolean', CHANNELS.setPaused, [true], ''],
  ['setPaused: null', CHANNELS.setPaused, [null], ''],
  ['setPaused: extra key', CHANNELS.setPaused, [{ paused: true, also: 'x' }], ''],
  ['setPaused: __proto__ key from JSON', CHANNELS.setPaused, [JSON.parse('{"paused": true, "__proto__": {"admin": true}}')], ''],
  ['saveSettings: not an object', CHANNELS.saveSettings, ['apiUrl=x'], ''],
  // Settings only the administrator's managed file may set (issue 15): the window cannot send them.
  ['saveSettings: a command source', CHANNELS.saveSettings, [{ variableSources: { gpu: { command: ['/usr/bin/id'] } } }], ''],
  ['saveSettings: allowCommandSources', CHANNELS.saveSettings, [{ allowCommandSources: true }], ''],
  ['saveSettings: trayIcon', CHANNELS.saveSettings, [{ trayIcon: 'never' }], ''],
  ['saveSettings: notifications', CHANNELS.saveSettings, [{ notifications: false }], ''],
  ['saveSettings: dropInSources', CHANNELS.saveSettings, [{ dropInSources: ['*'] }], ''],
  ['saveSettings: an array', CHANNELS.saveSettings, [[]], ''],
  ['saveSettings: javascript: URL', CHANNELS.saveSettings, [{ apiUrl: 'javascript:alert(1)' }], 'apiUrl'],
  ['saveSettings: file: URL', CHANNELS.saveSettings, [{ apiUrl: 'file:///etc/passwd' }], 'apiUrl'],
  ['saveSettings: URL with credentials', CHANNELS.saveSettings, [{ apiUrl: 'https://admin:pw@example.com/api/v4/' }], 'apiUrl'],
  ['saveSettings: huge URL', CHANNELS.saveSettings, [{ apiUrl: `https://example.com/${'a'.repeat(5000)}` }], 'apiUrl'],
  ['saveSettings: token URL with ftp', CHANNELS.saveSettings, [{ tokenUrl: 'ftp://example.com/token' }], 'tokenUrl'],
  ['saveSettings: unknown auth method', CHANNELS.saveSettings, [{ authMethod: 'plain' }], 'authMethod'],
  ['saveSettings: interval 0', CHANNELS.saveSettings, [{ intervalMinutes: 0 }], 'intervalMinutes'],
  ['saveSettings: interval 1.5', CHANNELS.saveSettings, [{ intervalMinutes: 1.5 }], 'intervalMinutes'],
  ['saveSettings: interval above a day', CHANNELS.saveSettings, [{ intervalMinutes: 1441 }], 'intervalMinutes'],
  ['saveSettings: interval as text', CHANNELS.saveSettings, [{ intervalMinutes: '15' }], 'intervalMinutes'],
  ['saveSettings: interval NaN', CHANNELS.saveSettings, [{ intervalMinutes: NaN }], 'intervalMinutes'],
  ['saveSettings: product with a space', CHANNELS.saveSettings, [{ product: 'my product' }], 'product'],
  ['saveSettings: license key with NUL', CHANNELS.saveSettings, [{ licenseKey: 'AAAA\u0000BBBB' }], 'licenseKey'],
  ['saveSettings: api key with an escape sequence', CHANNELS.saveSettings, [{ apiKey: 'key\u001b[2J' }], 'apiKey'],
  ['saveSettings: user name over 256 characters', CHANNELS.saveSettings, [{ username: 'u'.repeat(300) }], 'username'],
  ['saveSettings: allow with a bad name', CHANNELS.saveSettings, [{ allow: ['bad name'] }], 'allow.0'],
  ['saveSettings: allow not a list', CHANNELS.saveSettings, [{ allow: 'cpu_load_pct' }], 'allow'],
  ['saveSettings: allow with 101 names', CHANNELS.saveSettings, [{ allow: Array.from({ length: 101 }, (_, i) => `v${i}`) }], 'allow'],
  ['saveSettings: pii value as text', CHANNELS.saveSettings, [{ pii: { hostname: 'yes', username: false, ip: false, mac: false } }], 'pii.hostname'],
  ['saveSettings: pii unknown kind', CHANNELS.saveSettings, [{ pii: { hostname: false, username: false, ip: false, mac: false, ssn: true } }], 'pii'],
  ['saveSettings: autoActivate as text', CHANNELS.saveSettings, [{ autoActivate: 'true' }], 'autoActivate'],
  ['saveSettings: a path option (not settable from the window)', CHANNELS.saveSettings, [{ stateDir: '/etc' }], ''],
  ['saveSettings: a secret through the settings channel', CHANNELS.saveSettings, [{ sharedKey: 'abcdefgh' }], ''],
  ['saveSettings: __proto__ key from JSON', CHANNELS.saveSettings, [JSON.parse('{"__proto__": {"isAdmin": true}}')], ''],
  ['setSecret: unknown secret name', CHANNELS.setSecret, [{ name: 'licenseKey', value: 'x' }], 'name'],
  ['setSecret: value missing', CHANNELS.setSecret, [{ name: 'sharedKey' }], 'value'],
  ['setSecret: value a number', CHANNELS.setSecret, [{ name: 'sharedKey', value: 42 }], 'value'],
  ['setSecret: value over 1024 characters', CHANNELS.setSecret, [{ name: 'clientSecret', value: 's'.repeat(2000) }], 'value'],
  ['setSecret: value with a line break', CHANNELS.setSecret, [{ name: 'sharedKey', value: 'abc\ndef' }], 'value'],
  ['setSecret: extra key', CHANNELS.setSecret, [{ name: 'sharedKey', value: 'abc', persist: 'plain' }], ''],
  ['getStatus: a payload', CHANNELS.getStatus, [{ verbose: true }], ''],
  ['syncNow: a payload', CHANNELS.syncNow, ['now'], ''],
  ['getSettings: a payload', CHANNELS.getSettings, [{ withSecrets: true }], ''],
  ['getSettingsForm: a payload', CHANNELS.getSettingsForm, [{ fields: ['sharedKey'] }], ''],
  ['copyHardwareId: a payload', CHANNELS.copyHardwareId, [1], ''],
  ['exportDiagnostics: a chosen path', CHANNELS.exportDiagnostics, [{ path: '/etc/cron.d/x' }], ''],
  ['deactivate: a payload (another device\'s hardware id)', CHANNELS.deactivate, [{ hardwareId: 'someone-else' }], ''],
  ['restartToUpdate: a payload (a file to install)', CHANNELS.restartToUpdate, [{ file: '/tmp/evil.AppImage' }], ''],
  ['two payloads', CHANNELS.setPaused, [{ paused: true }, { paused: false }], ''],
  ['an unknown channel', 'device-agent:run-shell', [{ cmd: 'rm -rf /' }], ''],
  ['the push channel invoked', CHANNELS.statusChanged, [], ''],
];

describe('IPC payloads from the renderer that are refused', () => {
  it('has a case for every invoke channel', () => {
    const channels = new Set(CASES.map((c) => c[1]));
    for (const channel of Object.values(CHANNELS)) expect(channels.has(channel), channel).toBe(true);
  });

  it.each(CASES)('%s', async (_label, channel, args, field) => {
    const { handlers, calls } = recordingHandlers();
    const dispatch = createDispatcher(handlers, quietLog);
    const reply = await dispatch(channel, APP_PAGE, args);
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.field).toBe(field);
    // Named by the form's label for the field.
    if (field !== '') expect(reply.error.message.startsWith(`${fieldLabel(field)}: `)).toBe(true);
    expect(reply.error.message.length).toBeGreaterThan(0);
    expect(reply.error.message.length).toBeLessThan(300);
    expect(reply.error.message).not.toMatch(/\n\s+at |Error:|ZodError/);
    expect(calls).toEqual([]);
    expect(({} as Record<string, unknown>).isAdmin ?? ({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('a valid payload from another origin is refused before it is even parsed', async () => {
    const { handlers, calls } = recordingHandlers();
    const reply = await createDispatcher(handlers, quietLog)(CHANNELS.setPaused, 'https://evil.example/', [{ paused: true }]);
    expect(reply).toEqual({ ok: false, error: { field: '', message: 'refused: the request did not come from the Device Agent window' } });
    expect(calls).toEqual([]);
  });

  it('control: the same channels accept a valid payload (so the refusals above are about the payload)', async () => {
    const { handlers, calls } = recordingHandlers();
    const dispatch = createDispatcher(handlers, quietLog);
    expect((await dispatch(CHANNELS.setPaused, APP_PAGE, [{ paused: true }])).ok).toBe(true);
    expect((await dispatch(CHANNELS.saveSettings, APP_PAGE, [{ intervalMinutes: 15, allow: ['cpu_load_pct'] }])).ok).toBe(true);
    expect((await dispatch(CHANNELS.setSecret, APP_PAGE, [{ name: 'sharedKey', value: 'abc' }])).ok).toBe(true);
    expect(calls).toEqual([CHANNELS.setPaused, CHANNELS.saveSettings, CHANNELS.setSecret]);
  });
});
