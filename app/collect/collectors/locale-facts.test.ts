import { describe, expect, it } from 'vitest';
import { createLocaleFactsCollector, readLocaleFactsInWorker } from './locale-facts.ts';

describe('locale facts', () => {
  it('reads the time zone and locale Intl resolves, in the static helper (a short-lived process)', async () => {
    const here = Intl.DateTimeFormat().resolvedOptions();
    expect(await readLocaleFactsInWorker()).toEqual({ timeZone: here.timeZone, locale: here.locale });
    expect(await createLocaleFactsCollector().collect(new AbortController().signal)).toEqual({ timezone: here.timeZone, locale: here.locale });
  });

  it('is stopped by its signal', async () => {
    await expect(readLocaleFactsInWorker(AbortSignal.abort())).rejects.toThrow('aborted before start');
  });
});
