// An error's summary and remedy in the reader's language. The English texts are
// the tables' (error-codes.ts, errors.ts); other languages come from
// locales/errors/<language>.json by code. A text that is not the table's own
// (the engine added a detail to it) stays as it is rather than lose the detail.
import deErrors from '../../locales/errors/de.json' with { type: 'json' };
import { say, type Message, type Translator } from '../../locales/i18n.ts';
import { ERROR_CODES } from './error-codes.ts';
import { LOCAL_ERROR_CODES } from './errors.ts';

type Texts = Readonly<Record<string, { summary: string; remedy: string }>>;

/** Every code's English texts: the reference each translation is checked against. */
export const ERROR_TEXTS: Texts = { ...ERROR_CODES, ...LOCAL_ERROR_CODES };
export const ERROR_TRANSLATIONS: Readonly<Record<string, Texts>> = { de: deErrors };

export function localizeError<T extends { code: string; summary: string; remedy: string; summaryMessage?: Message; remedyMessage?: Message }>(error: T, tr: Translator): T {
  // The shell's own problems carry their words as messages (with their details as parameters).
  if (error.summaryMessage || error.remedyMessage) {
    return {
      ...error,
      ...(error.summaryMessage ? { summary: say(tr, error.summaryMessage) } : {}),
      ...(error.remedyMessage ? { remedy: say(tr, error.remedyMessage) } : {}),
    };
  }
  const english = ERROR_TEXTS[error.code];
  const theirs = ERROR_TRANSLATIONS[tr.language]?.[error.code];
  if (!english || !theirs) return error;
  return {
    ...error,
    summary: error.summary === english.summary ? theirs.summary : error.summary,
    remedy: error.remedy === english.remedy ? theirs.remedy : error.remedy,
  };
}
