import { describe, expect, it, vi } from 'vitest';
import type { Agent, AgentStatus } from '../app/agent-api.ts';
import { createAgentHost, idleStatus } from './agent-host.ts';
import { recordingLog } from './test-fakes.ts';

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
