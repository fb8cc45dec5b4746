import { describe, expect, it } from 'vitest';
import { translator } from '../../locales/i18n.ts';
import { ERROR_TEXTS, ERROR_TRANSLATIONS, localizeError } from './error-text.ts';

describe('error texts in the reader\'s language', () => {
  for (const [language, texts] of Object.entries(ERROR_TRANSLATIONS)) {
    it(`${language} has a summary and a remedy for every error code, and nothing else`, () => {
      const missing = Object.keys(ERROR_TEXTS).filter((code) => !texts[code]?.summary.trim() || !texts[code]?.remedy.trim());
      expect(missing).toEqual([]);
      expect(Object.keys(texts).filter((code) => !(code in ERROR_TEXTS))).toEqual([]);
    });
  }

  it('puts the table\'s texts into German, keeps a text the engine added a detail to, and leaves English alone', () => {
    const error = { code: 'signature_mismatch', errorClass: 'needs-configuration', summary: ERROR_TEXTS.signature_mismatch!.summary, remedy: ERROR_TEXTS.signature_mismatch!.remedy, at: 1 };
    expect(localizeError(error, translator('de'))).toEqual({ ...error, summary: ERROR_TRANSLATIONS.de!.signature_mismatch!.summary, remedy: ERROR_TRANSLATIONS.de!.signature_mismatch!.remedy });
    expect(localizeError({ ...error, summary: 'Something more specific.' }, translator('de')).summary).toBe('Something more specific.');
    expect(localizeError(error, translator('en'))).toBe(error);
    expect(localizeError({ ...error, code: 'keyring_locked' }, translator('de')).summary).toBe(error.summary);
  });
});
