import si from 'systeminformation';
import { describe, expect, it } from 'vitest';
import { createSystemFactsCollector, readSystemFactsInWorker } from './system-facts.ts';

describe('system facts in a worker thread', () => {
  it('gives what systeminformation gives in the main thread', async () => {
    const [facts, os, system] = await Promise.all([readSystemFactsInWorker(), si.osInfo(), si.system()]);
    expect(facts).toEqual({ distro: os.distro, release: os.release, virtual: system.virtual, virtualHost: system.virtualHost || '' });
  });

  it('stops the worker when aborted (the collector timeout), and refuses an already-aborted signal', async () => {
    const controller = new AbortController();
    const pending = readSystemFactsInWorker(controller.signal);
    controller.abort();
    await expect(pending).rejects.toThrow('system facts worker stopped (timeout)');
    await expect(readSystemFactsInWorker(AbortSignal.abort())).rejects.toThrow('aborted before start');
  });

  it('maps the facts to variables', async () => {
    const collector = createSystemFactsCollector({ read: async () => ({ distro: 'Ubuntu', release: '24.04', virtual: false }) });
    expect(await collector.collect()).toEqual({ os_distro: 'Ubuntu', os_release: '24.04', is_vm: false });
    expect(createSystemFactsCollector({ platform: 'win32' }).minTimeoutMs).toBe(15_000);
    const vm = createSystemFactsCollector({ read: async () => ({ distro: 'Debian', release: '12', virtual: true, virtualHost: 'KVM' }) });
    expect(await vm.collect()).toEqual({ os_distro: 'Debian', os_release: '12', is_vm: true, vm_type: 'KVM' });
    const physicalWithNoise = createSystemFactsCollector({ read: async () => ({ distro: 'Debian', release: '12', virtual: false, virtualHost: 'KVM' }) });
    expect(await physicalWithNoise.collect()).not.toHaveProperty('vm_type');
  });
});
