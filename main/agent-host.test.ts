import { describe, expect, it, vi } from 'vitest';
import type { Agent, AgentStatus } from '../app/agent-api.ts';
import { ConfigError } from '../app/config/index.ts';
import { StateLockedError } from '../app/state/lock.ts';
import { createAgentHost, idleStatus } from './agent-host.ts';
import { recordingLog } from '../test/support/electron-fakes.ts';

function fakeAgent(headline: string) {
  const listeners = new Set<(s: AgentStatus) => void>();
  let status: AgentStatus = { ...idleStatus(headline, '', ''), phase: 'pending', error: undefined };
  const agent: Agent = {
    start: vi.fn(async () => undefined),
    stop: vi.fn(async () => undefined),
    syncNow: vi.fn(async () => ({ ok: true, sent: 1 })),
    trigger: vi.fn(),
    setPaused: vi.fn(),
    deactivate: vi.fn(async () => ({ ok: true })),
    status: () => status,
    onStatus: (l) => { listeners.add(l); return () => listeners.delete(l); },
  };
  const emit = (patch: Partial<AgentStatus>) => { status = { ...status, ...patch }; for (const l of listeners) l(status); };
  const close = vi.fn(async () => undefined);
  return { agent, emit, close, listeners };
}

describe('agent host', () => {
  it('relays one status stream across engine restarts and closes the old engine first', async () => {
    const host = createAgentHost(recordingLog());
    const seen: string[] = [];
    host.onStatus((s) => seen.push(s.headline));
    const a = fakeAgent('first');
    const b = fakeAgent('second');
    await host.replace(async () => ({ agent: a.agent, close: a.close }));
    expect(a.agent.start).toHaveBeenCalledOnce();
    a.emit({ headline: 'first synced' });
    await host.replace(async () => ({ agent: b.agent, close: b.close }));
    expect(a.close).toHaveBeenCalledOnce();
    expect(a.listeners.size).toBe(0);
    b.emit({ headline: 'second synced' });
    expect(seen).toEqual(['first', 'first synced', 'second', 'second synced']);
    expect(await host.syncNow()).toEqual({ ok: true, sent: 1 });
    expect(b.agent.syncNow).toHaveBeenCalledWith('manual');
    await host.close();
    expect(b.close).toHaveBeenCalledOnce();
  });

  it('shows an idle status with its error when no engine runs, and Sync now reports it', async () => {
    const host = createAgentHost(recordingLog());
    await host.replace(undefined, idleStatus('Not configured', 'No credentials.', 'Open settings.'));
    expect(host.status().phase).toBe('attention');
    const r = await host.syncNow();
    expect(r.ok).toBe(false);
    expect(r.error?.summary).toBe('No credentials.');
  });
});

describe('agent host when an engine cannot start', () => {
  const lockedStart = (stateDir: string) => async (): Promise<never> => { throw new StateLockedError(4242, stateDir); };

  it('stays usable: shows attention naming the problem and the remedy, and the next replace starts', async () => {
    const host = createAgentHost(recordingLog());
    const seen: string[] = [];
    host.onStatus((s) => seen.push(s.phase));
    await host.replace(lockedStart('/var/lib/da'));
    expect(host.status()).toMatchObject({ phase: 'attention', error: { code: 'state_locked', summary: 'Another Device Agent (pid 4242) is already using /var/lib/da.' } });
    expect(host.status().error?.remedy).toMatch(/Quit the other Device Agent/);
    const a = fakeAgent('started');
    await host.replace(async () => ({ agent: a.agent, close: a.close }));
    expect(a.agent.start).toHaveBeenCalledOnce();
    expect(host.status().headline).toBe('started');
    expect(seen).toEqual(['attention', 'pending']);
  });

  it('names the field of a configuration problem', async () => {
    const host = createAgentHost(recordingLog());
    await host.replace(async () => { throw new ConfigError([{ field: 'caFile', message: 'file /x/ca.pem not found' }]); });
    expect(host.status().error).toMatchObject({ code: 'config_invalid', errorClass: 'needs-configuration', summary: 'The agent could not start: caFile: file /x/ca.pem not found.' });
  });

  it('Sync now and a trigger try the failed start again', async () => {
    const host = createAgentHost(recordingLog());
    const a = fakeAgent('up');
    let fail = true;
    const start = vi.fn(async () => {
      if (fail) throw new Error('disk on fire');
      return { agent: a.agent, close: a.close };
    });
    await host.replace(start);
    expect(host.status().error?.code).toBe('start_failed');
    expect(await host.syncNow()).toMatchObject({ ok: false, error: { code: 'start_failed' } });
    expect(start).toHaveBeenCalledTimes(2);
    fail = false;
    host.trigger('network-back');
    await vi.waitFor(() => expect(a.agent.start).toHaveBeenCalledOnce());
    expect(await host.syncNow()).toEqual({ ok: true, sent: 1 });
    expect(start).toHaveBeenCalledTimes(3);
  });

  it('closes an engine that was made but failed to start', async () => {
    const host = createAgentHost(recordingLog());
    const a = fakeAgent('x');
    a.agent.start = vi.fn(async () => { throw new Error('timer broke'); });
    await host.replace(async () => ({ agent: a.agent, close: a.close }));
    expect(a.close).toHaveBeenCalledOnce();
    expect(host.status().phase).toBe('attention');
  });
});

describe('agent host with a slow start (static facts from PowerShell take seconds)', () => {
  it('goes on after startWaitMs with the last known state shown; a start that fails later is shown like one that fails at once', async () => {
    const host = createAgentHost(recordingLog(), { startWaitMs: 20 });
    const a = fakeAgent('Synced 3 h ago');
    let fail!: (error: Error) => void;
    a.agent.start = vi.fn(() => new Promise<void>((_resolve, reject) => { fail = reject; }));
    await host.replace(async () => ({ agent: a.agent, close: a.close }));
    expect(host.status().headline).toBe('Synced 3 h ago');
    expect(a.close).not.toHaveBeenCalled();
    fail(new Error('the static collection crashed'));
    await vi.waitFor(() => expect(host.status().error?.code).toBe('start_failed'));
    expect(a.close).toHaveBeenCalledOnce();
  });

  it('a late failure of an engine already replaced changes nothing', async () => {
    const host = createAgentHost(recordingLog(), { startWaitMs: 20 });
    const slow = fakeAgent('old');
    let fail!: (error: Error) => void;
    slow.agent.start = vi.fn(() => new Promise<void>((_resolve, reject) => { fail = reject; }));
    await host.replace(async () => ({ agent: slow.agent, close: slow.close }));
    const next = fakeAgent('new');
    await host.replace(async () => ({ agent: next.agent, close: next.close }));
    fail(new Error('late'));
    await new Promise((r) => setTimeout(r, 30));
    await host.close();
    expect(host.status().headline).toBe('new');
    expect(next.close).toHaveBeenCalledOnce(); // by close(), not by the old engine's failure
  });
});

describe('agent host taking new settings', () => {
  const config = (stateDir: string) => ({ stateDir }) as never;

  it('hands them to the running engine when it lives in the same state directory', async () => {
    const host = createAgentHost(recordingLog());
    const a = fakeAgent('a');
    const reconfigure = vi.fn(async () => undefined);
    await host.replace(async () => ({ agent: a.agent, close: a.close, stateDir: '/s', reconfigure }));
    expect(await host.reconfigure(config('/s'))).toBe(true);
    expect(reconfigure).toHaveBeenCalledOnce();
    expect(await host.reconfigure(config('/elsewhere'))).toBe(false);
    reconfigure.mockRejectedValueOnce(new Error('caFile: file missing'));
    expect(await host.reconfigure(config('/s'))).toBe(false);
    expect(a.close).not.toHaveBeenCalled();
  });

  it('says no when no engine runs', async () => {
    expect(await createAgentHost(recordingLog()).reconfigure(config('/s'))).toBe(false);
  });

  it('asks a new engine for a sync soon when told to', async () => {
    const host = createAgentHost(recordingLog());
    const a = fakeAgent('a');
    await host.replace(async () => ({ agent: a.agent, close: a.close }), undefined, { syncSoon: true });
    expect(a.agent.trigger).toHaveBeenCalledWith('config-change');
  });
});
