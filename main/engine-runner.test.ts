import { describe, expect, it, vi } from 'vitest';
import type { AgentConfig } from '../app/config/index.ts';
import { createAgentHost, idleStatus } from './agent-host.ts';
import { composeConfig, createEngineRunner, testShortSplayMs, type CreateAgentFn } from './engine-runner.ts';
import { recordingLog } from '../test/support/electron-fakes.ts';

function fakeCreate() {
  const configs: AgentConfig[] = [];
  const usingSandbox: boolean[] = [];
  const shortSplays: Array<number | undefined> = [];
  const create: CreateAgentFn = async (config, options) => {
    configs.push(config);
    usingSandbox.push(Boolean(options.usingSandbox));
    shortSplays.push(options.shortSplayMs);
    const status = { ...idleStatus(config.product ?? '', '', ''), phase: 'pending' as const, error: undefined, usingSandbox: Boolean(options.usingSandbox) };
    return { agent: { start: async () => undefined, stop: async () => undefined, syncNow: async () => ({ ok: true, sent: 0 }), trigger() {}, setPaused() {}, deactivate: async () => ({ ok: true }), status: () => status, onStatus: () => () => undefined }, close: async () => undefined };
  };
  return { create, configs, usingSandbox, shortSplays };
}

const READY = { apiUrl: 'https://corp.example/api/v4/', apiKey: 'k', sharedKey: 's', product: 'p', licenseKey: 'L' };

describe('engine runner', () => {
  it('runs configured when the settings are complete, with interval in ms and the state dir', async () => {
    const f = fakeCreate();
    const r = createEngineRunner({ host: createAgentHost(recordingLog()), createAgent: f.create, isPackaged: true, stateDir: '/tmp/state', appVersion: '1', log: recordingLog() });
    expect(await r.apply({ ...READY, interval: 5 }, undefined)).toBe('configured');
    expect(f.configs[0]).toMatchObject({ product: 'p', intervalMs: 300_000, stateDir: '/tmp/state' });
    expect(f.usingSandbox).toEqual([false]);
  });

  it('uses the embedded sandbox only when nothing is configured and not packaged', async () => {
    const f = fakeCreate();
    const close = vi.fn(async () => undefined);
    const startSandbox = vi.fn(async () => ({ values: { ...READY, apiUrl: 'http://127.0.0.1:9/api/v4/' }, close }));
    const host = createAgentHost(recordingLog());
    const dev = createEngineRunner({ host, createAgent: f.create, startSandbox, isPackaged: false, stateDir: '/tmp/s', appVersion: '1', log: recordingLog() });
    expect(await dev.apply({}, undefined)).toBe('sandbox');
    expect(f.usingSandbox).toEqual([true]);
    expect(f.configs[0]?.autoActivate).toBe(true);
    expect(host.status().usingSandbox).toBe(true);
    expect(await dev.apply(READY, undefined)).toBe('configured');
    expect(close).toHaveBeenCalledOnce();

    const packaged = createEngineRunner({ host: createAgentHost(recordingLog()), createAgent: f.create, startSandbox, isPackaged: true, stateDir: '/tmp/s', appVersion: '1', log: recordingLog() });
    expect(await packaged.apply({}, undefined)).toBe('unconfigured');
    expect(startSandbox).toHaveBeenCalledOnce();
  });

  it('names what is missing by the form\'s labels, also the keys its messages name', async () => {
    const host = createAgentHost(recordingLog());
    const r = createEngineRunner({ host, createAgent: fakeCreate().create, isPackaged: true, stateDir: '/tmp/s', appVersion: '1', log: recordingLog() });
    expect(await r.apply({ apiKey: 'k' }, undefined)).toBe('unconfigured');
    expect(host.status().error?.summary).toBe('The agent is not configured yet: Shared key is required with API key; Product code is required (the Product code short code); '
      + 'License key a license key (or License user for user-based products) is required.');
    expect(await r.apply({ clientSecret: 's', product: 'p', licenseKey: 'L', username: 'u' }, undefined)).toBe('unconfigured');
    expect(host.status().error?.summary).toBe('The agent is not configured yet: Client id is required with Client secret; License user give either License key or License user, not both.');
  });

  it('reports a half-done or invalid configuration in status instead of running', async () => {
    const f = fakeCreate();
    const host = createAgentHost(recordingLog());
    const r = createEngineRunner({ host, createAgent: f.create, isPackaged: true, stateDir: '/tmp/s', appVersion: '1', log: recordingLog() });
    expect(await r.apply({ apiKey: 'k', product: 'p' }, undefined)).toBe('unconfigured');
    expect(host.status().error?.summary).toContain('Shared key');
    expect(await r.apply({ ...READY, apiUrl: 'ftp://x' }, undefined)).toBe('invalid');
    expect(host.status().error?.summary).toContain('Server URL');
    expect(f.configs).toHaveLength(0);
  });

  it('lets the managed configuration win over the user settings', () => {
    const managed = { path: '/etc/device-agent/config.json', locked: ['apiUrl'], layer: { values: { apiUrl: 'https://managed.example/api/v4/' }, origin: { apiUrl: 'managed' } } };
    expect(composeConfig(READY, managed, '/s').apiUrl).toBe('https://managed.example/api/v4/');
    expect(() => composeConfig({ interval: 0 }, undefined, '/s')).toThrow(expect.objectContaining({ field: 'intervalMinutes' }));
  });
});

describe('the test knob for the first cycle\'s short splay (DEVICE_AGENT_TEST_SHORT_SPLAY_MS)', () => {
  it('is honoured by an unpackaged app only, and reaches the engine', async () => {
    const env = { DEVICE_AGENT_TEST_SHORT_SPLAY_MS: '3000' };
    const dev = fakeCreate();
    await createEngineRunner({ host: createAgentHost(recordingLog()), createAgent: dev.create, isPackaged: false, stateDir: '/tmp/s', appVersion: '1', log: recordingLog(), env }).apply(READY, undefined);
    expect(dev.shortSplays).toEqual([3000]);
    const shipped = fakeCreate();
    await createEngineRunner({ host: createAgentHost(recordingLog()), createAgent: shipped.create, isPackaged: true, stateDir: '/tmp/s', appVersion: '1', log: recordingLog(), env }).apply(READY, undefined);
    expect(shipped.shortSplays).toEqual([undefined]);
  });

  it('ignores what is not a whole number of ms up to 2 min, saying so', () => {
    for (const text of ['-1', '1.5', '3s', '120001', ' ', 'x'.repeat(100)]) {
      const log = recordingLog();
      expect(testShortSplayMs({ DEVICE_AGENT_TEST_SHORT_SPLAY_MS: text }, false, log)).toBeUndefined();
      expect(log.lines()).toContain('DEVICE_AGENT_TEST_SHORT_SPLAY_MS ignored');
    }
    expect(testShortSplayMs({ DEVICE_AGENT_TEST_SHORT_SPLAY_MS: '0' }, false, recordingLog())).toBe(0);
    expect(testShortSplayMs({ DEVICE_AGENT_TEST_SHORT_SPLAY_MS: '120000' }, false, recordingLog())).toBe(120_000);
    expect(testShortSplayMs({}, false, recordingLog())).toBeUndefined();
  });
});
