// The time zone and locale the agent runs in, as Intl resolves them. Read in the
// static helper (si-worker.ts: a short-lived process, a worker thread under
// Electron): the first use of Intl in a process initialises ICU, which blocked the
// event loop for ~17 ms on the main thread and kept ~7 MB of ICU data resident.
import { z } from 'zod';
import { runInSiWorker } from './si-worker.ts';
import type { Collector } from './types.ts';

const intlSchema = z.object({ timeZone: z.string(), locale: z.string() });

export type LocaleFacts = z.infer<typeof intlSchema>;

export function readLocaleFactsInWorker(signal?: AbortSignal): Promise<LocaleFacts> {
  return runInSiWorker('intl', intlSchema, 'time zone and locale', signal);
}

export function createLocaleFactsCollector(read: (signal?: AbortSignal) => Promise<LocaleFacts> = readLocaleFactsInWorker): Collector {
  return {
    name: 'locale-facts',
    refresh: 'static',
    produces: ['timezone', 'locale'],
    async collect(signal) {
      const facts = await read(signal);
      return { timezone: facts.timeZone, locale: facts.locale };
    },
  };
}
