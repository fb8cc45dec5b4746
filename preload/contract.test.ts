import { describe, expect, it } from 'vitest';
import { CHANNELS, createBridge, PAYLOAD_SCHEMAS } from './contract.ts';

describe('contract', () => {
  it('has a payload schema for every invoke channel and none for the push channel', () => {
    const invoke = Object.values(CHANNELS).filter((c) => c !== CHANNELS.statusChanged).sort();
    expect(Object.keys(PAYLOAD_SCHEMAS).sort()).toEqual(invoke);
    expect(new Set(Object.values(CHANNELS)).size).toBe(Object.values(CHANNELS).length);
  });

  it('the bridge calls each method\'s own channel with its payload, and listens on the push channel', async () => {
    const sent: unknown[][] = [];
    const bridge = createBridge(
      async (channel, ...payload) => { sent.push([channel, ...payload]); return { ok: true, value: null } as never; },
      (channel) => { sent.push([channel]); return () => undefined; },
    );
    const settings = { product: 'demo' };
    const secret = { name: 'sharedKey', value: 's' } as const;
    await bridge.getStatus();
    bridge.onStatus(() => undefined);
    await bridge.syncNow();
    await bridge.setPaused(true);
    await bridge.getSettings();
    await bridge.getSettingsForm();
    await bridge.saveSettings(settings);
    await bridge.setSecret(secret);
    await bridge.copyHardwareId();
    await bridge.exportDiagnostics();
    await bridge.deactivate();
    await bridge.restartToUpdate();
    expect(sent).toEqual([
      [CHANNELS.getStatus], [CHANNELS.statusChanged], [CHANNELS.syncNow], [CHANNELS.setPaused, { paused: true }], [CHANNELS.getSettings], [CHANNELS.getSettingsForm],
      [CHANNELS.saveSettings, settings], [CHANNELS.setSecret, secret], [CHANNELS.copyHardwareId], [CHANNELS.exportDiagnostics], [CHANNELS.deactivate],
      [CHANNELS.restartToUpdate],
    ]);
    expect(Object.keys(bridge).sort()).toEqual(Object.keys(CHANNELS).map((m) => (m === 'statusChanged' ? 'onStatus' : m)).sort());
  });


  it('refuses a payload where none is taken, and a secret with a control character, saying so', () => {
    const none = PAYLOAD_SCHEMAS[CHANNELS.getStatus].safeParse({});
    expect(none.success ? '' : none.error.issues[0]?.message).toBe('takes no payload');
    for (const value of ['abc\ndef', '\u0000', 'tab\there']) {
      const r = PAYLOAD_SCHEMAS[CHANNELS.setSecret].safeParse({ name: 'sharedKey', value });
      expect(r.success ? '' : r.error.issues[0]?.message).toBe('must not contain control characters');
    }
    expect(PAYLOAD_SCHEMAS[CHANNELS.setSecret].safeParse({ name: 'sharedKey', value: 'ok-Ünïcode key' }).success).toBe(true);
    const notObject = PAYLOAD_SCHEMAS[CHANNELS.saveSettings].safeParse('apiUrl=x');
    expect(notObject.success ? '' : notObject.error.issues[0]?.message).toBe('must be an object of settings');
  });
});
