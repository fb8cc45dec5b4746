import { describe, expect, it, vi } from 'vitest';
import { CHANNELS, fieldLabel, type StatusView } from '../preload/contract.ts';
import { UserFacingError } from '../app/errors/user-facing-error.ts';
import { createDispatcher, INVOKE_CHANNELS, registerIpcHandlers, type ShellHandlers } from './ipc-handlers.ts';
import { recordingLog } from '../test/support/electron-fakes.ts';

const APP = 'app://ui/index.html';

function handlers(overrides: Partial<ShellHandlers> = {}): ShellHandlers {
  const fail = async () => { throw new Error('not in this test'); };
  return {
    [CHANNELS.getStatus]: async () => ({ phase: 'synced' }) as StatusView,
    [CHANNELS.syncNow]: async () => ({ ok: true, sent: 2 }),
    [CHANNELS.setPaused]: fail,
    [CHANNELS.getSettings]: fail,
    [CHANNELS.saveSettings]: vi.fn(async () => ({ locked: [] }) as never),
    [CHANNELS.setSecret]: vi.fn(fail),
    [CHANNELS.copyHardwareId]: async () => null,
    [CHANNELS.exportDiagnostics]: fail,
    ...overrides,
  } as ShellHandlers;
}

describe('IPC dispatcher', () => {
  it('answers a valid request from the app page', async () => {
    const d = createDispatcher(handlers(), recordingLog());
    expect(await d(CHANNELS.syncNow, APP, [])).toEqual({ ok: true, value: { ok: true, sent: 2 } });
  });

  it.each([
    ['a web page', 'https://evil.example/'],
    ['a file page', 'file:///tmp/x.html'],
    ['another app host', 'app://other/index.html'],
    ['no frame', undefined],
  ])('refuses a sender that is %s', async (_what, url) => {
    const h = handlers();
    const d = createDispatcher(h, recordingLog());
    const reply = await d(CHANNELS.saveSettings, url, [{ product: 'demo' }]);
    expect(reply.ok).toBe(false);
    expect(h[CHANNELS.saveSettings]).not.toHaveBeenCalled();
  });

  it.each([
    [CHANNELS.saveSettings, { apiUrl: 'ftp://x' }, 'apiUrl'],
    [CHANNELS.saveSettings, { apiUrl: 'https://user:pw@api.example/' }, 'apiUrl'],
    [CHANNELS.saveSettings, { intervalMinutes: 0 }, 'intervalMinutes'],
    [CHANNELS.saveSettings, { intervalMinutes: 2.5 }, 'intervalMinutes'],
    [CHANNELS.saveSettings, { intervalMinutes: '15' }, 'intervalMinutes'],
    [CHANNELS.saveSettings, { allow: ['ok', 'bad name'] }, 'allow.1'],
    [CHANNELS.saveSettings, { pii: { hostname: true } }, 'pii.username'],
    [CHANNELS.saveSettings, { product: 'a/b' }, 'product'],
    [CHANNELS.saveSettings, { apiKey: 'a\u0000b' }, 'apiKey'],
    [CHANNELS.saveSettings, { sharedKey: 'smuggled' }, ''],
    [CHANNELS.setSecret, { name: 'apiKey', value: 'x' }, 'name'],
    [CHANNELS.setSecret, { name: 'sharedKey', value: 42 }, 'value'],
    [CHANNELS.setSecret, { name: 'sharedKey', value: 'x'.repeat(2000) }, 'value'],
    [CHANNELS.setPaused, { paused: 'yes' }, 'paused'],
    [CHANNELS.setPaused, undefined, ''],
    [CHANNELS.syncNow, { now: true }, ''],
  ] as const)('%s rejects %j naming the field "%s"', async (channel, payload, field) => {
    const h = handlers();
    const d = createDispatcher(h, recordingLog());
    const reply = await d(channel, APP, [payload]);
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error.field).toBe(field);
      expect(reply.error.message).not.toMatch(/\bat .+:\d+:\d+/); // no stack frames
      // The form's label for the field, never its internal key.
      if (field) expect(reply.error.message.startsWith(`${fieldLabel(field)}:`)).toBe(true);
      if (field && fieldLabel(field) !== field) expect(reply.error.message).not.toContain(field);
    }
    expect(h[CHANNELS.saveSettings]).not.toHaveBeenCalled();
    expect(h[CHANNELS.setSecret]).not.toHaveBeenCalled();
  });

  it('refuses unknown channels and extra arguments', async () => {
    const d = createDispatcher(handlers(), recordingLog());
    expect((await d('device-agent:eval', APP, [])).ok).toBe(false);
    expect((await d(CHANNELS.getStatus, APP, [undefined, 'extra'])).ok).toBe(false);
  });

  it('passes a UserFacingError through and hides anything else behind a plain message', async () => {
    const log = recordingLog();
    const d = createDispatcher(handlers({
      [CHANNELS.copyHardwareId]: async () => { throw new UserFacingError('', 'not known yet'); },
      [CHANNELS.getStatus]: async () => { throw new Error('ENOENT: /home/ann/secret/path'); },
    }), log);
    expect(await d(CHANNELS.copyHardwareId, APP, [])).toEqual({ ok: false, error: { field: '', message: 'not known yet' } });
    const reply = await d(CHANNELS.getStatus, APP, []);
    expect(reply).toEqual({ ok: false, error: { field: '', message: expect.stringContaining('details are in the log') } });
    expect(JSON.stringify(reply)).not.toContain('/home/ann');
    expect(log.lines()).toContain('ENOENT');
  });
});

describe('registerIpcHandlers', () => {
  it('registers one handler per invoke channel that checks event.senderFrame', async () => {
    const registered = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
    const ipcMain = { handle: vi.fn((c: string, h: (event: unknown, ...args: unknown[]) => unknown) => { registered.set(c, h); }), removeHandler: vi.fn() };
    const off = registerIpcHandlers(ipcMain as never, createDispatcher(handlers(), recordingLog()));
    expect([...registered.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(registered.has(CHANNELS.statusChanged)).toBe(false);
    const call = registered.get(CHANNELS.syncNow);
    expect(await call?.({ senderFrame: { url: APP } })).toEqual({ ok: true, value: { ok: true, sent: 2 } });
    expect(await call?.({ senderFrame: { url: 'https://x.example/' } })).toMatchObject({ ok: false });
    expect(await call?.({ senderFrame: null })).toMatchObject({ ok: false });
    off();
    expect(ipcMain.removeHandler).toHaveBeenCalledTimes(INVOKE_CHANNELS.length);
  });
});

describe('IPC dispatcher: the exact replies', () => {
  it('refuses a foreign sender in words, and logs which channel', async () => {
    const log = recordingLog();
    const d = createDispatcher(handlers(), log);
    expect(await d(CHANNELS.getStatus, 'https://evil.example/', [])).toEqual({ ok: false, error: { field: '', message: 'refused: the request did not come from the Device Agent window' } });
    expect(log.lines()).toContain(`refused IPC ${CHANNELS.getStatus}: sender is not the app page`);
    expect(await createDispatcher(handlers(), log, () => true)(CHANNELS.getStatus, 'https://any.example/', [])).toEqual({ ok: true, value: { phase: 'synced' } });
    expect(await createDispatcher(handlers(), log, () => true)(CHANNELS.getStatus, undefined, [])).toMatchObject({ ok: false });
  });

  it('names an unknown request (quoted, cut to 80 characters) and too many arguments', async () => {
    const d = createDispatcher(handlers(), recordingLog());
    expect(await d('device-agent:eval', APP, [])).toEqual({ ok: false, error: { field: '', message: 'unknown request "device-agent:eval"' } });
    const long = `x${'y'.repeat(200)}`;
    expect(await d(long, APP, [])).toEqual({ ok: false, error: { field: '', message: `unknown request ${JSON.stringify(long).slice(0, 80)}` } });
    expect(await d(CHANNELS.statusChanged, APP, [])).toMatchObject({ ok: false, error: { message: `unknown request "${CHANNELS.statusChanged}"` } });
    expect(await d(CHANNELS.getStatus, APP, [undefined, 'extra'])).toEqual({ ok: false, error: { field: '', message: 'expected at most one payload argument' } });
    expect(await d(CHANNELS.syncNow, APP, [undefined])).toEqual({ ok: true, value: { ok: true, sent: 2 } });
  });

  it('a UserFacingError is named as such', () => {
    const error = new UserFacingError('product', 'no');
    expect(error).toMatchObject({ name: 'UserFacingError', field: 'product', message: 'no' });
  });
});
