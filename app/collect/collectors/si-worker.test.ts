// The static helper under Node: the tasks asked for together run in ONE child process
// (one spawn, one node start-up); a caller that stops waiting does not stop the others.
import si from 'systeminformation';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startSpawnCounter } from '../../../test/support/spawn-counter.ts';
import { runInSiWorker } from './si-worker.ts';

const here = Intl.DateTimeFormat().resolvedOptions();

describe('static helper process', () => {
  it('runs the tasks asked for in the same tick in one process, each with its own answer', async () => {
    const os = await si.osInfo(); // before counting: systeminformation here spawns its own commands
    const counter = startSpawnCounter();
    try {
      const [locale, facts] = await Promise.all([
        runInSiWorker('intl', z.object({ timeZone: z.string(), locale: z.string() }), 'time zone and locale'),
        runInSiWorker('system-facts', z.object({ distro: z.string() }).loose(), 'system facts'),
      ]);
      expect(locale).toEqual({ timeZone: here.timeZone, locale: here.locale });
      expect(facts.distro).toBe(os.distro);
      expect(counter.count()).toBe(1);
      expect(counter.commands()).toEqual([process.execPath]);
    } finally {
      counter.stop();
    }
  });

  it('a caller that stops waiting (its timeout) leaves the other task running to its answer', async () => {
    const controller = new AbortController();
    const stopped = runInSiWorker('system-facts', z.unknown(), 'system facts', controller.signal);
    const answered = runInSiWorker('intl', z.object({ timeZone: z.string() }).loose(), 'time zone and locale');
    setTimeout(() => controller.abort(), 5); // after the process started
    await expect(stopped).rejects.toThrow('system facts worker stopped (timeout)');
    await expect(answered).resolves.toMatchObject({ timeZone: here.timeZone });
  });

  it('an answer that fails its schema is refused, naming the task', async () => {
    await expect(runInSiWorker('intl', z.object({ timeZone: z.number() }), 'time zone and locale')).rejects.toThrow('time zone and locale worker sent an unexpected reply');
  });
});
