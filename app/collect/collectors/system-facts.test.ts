import si from 'systeminformation';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defaultIsolation, runInSiWorker } from './si-worker.ts';
import { createSystemFactsCollector, readSystemFactsInWorker } from './system-facts.ts';

describe('system facts in the static helper', () => {
  it('gives what systeminformation gives in the main thread, from a child process (Node) and a worker thread (Electron)', async () => {
    expect(defaultIsolation()).toBe('process');
    const [facts, inThread, os, system] = await Promise.all([
      readSystemFactsInWorker(), runInSiWorker('system-facts', z.unknown(), 'system facts', undefined, 'thread'), si.osInfo(), si.system(),
    ]);
    const expected = { distro: os.distro, release: os.release, virtual: system.virtual, virtualHost: system.virtualHost || '' };
    expect(facts).toEqual(expected);
    expect(inThread).toEqual(expected);
  });

  it('stops a worker thread when aborted, too', async () => {
    const controller = new AbortController();
    const pending = runInSiWorker('system-facts', z.unknown(), 'system facts', controller.signal, 'thread');
    controller.abort();
    await expect(pending).rejects.toThrow('system facts worker stopped (timeout)');
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
