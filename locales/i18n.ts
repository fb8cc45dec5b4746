// Message catalogues and Intl formatting for every text a person reads: the
// window, the tray, notifications and the CLI's one-line errors. Pure: no
// electron, no node: APIs, no DOM — the shell passes the locale in
// (app.getLocale()), the CLI takes it from the environment (LC_ALL, LC_MESSAGES,
// LANG), the window from its URL. English is the reference catalogue; every
// other one must have each of its keys (locales/catalogues.test.ts).
import de from './de.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };

export type MessageKey = keyof typeof en;
/** Keys that come in plural forms: `<key>.one`, `<key>.other` (Intl.PluralRules categories). */
export type PluralKey = MessageKey extends infer K ? K extends `${infer Base}.other` ? Base : never : never;
export type Params = Record<string, string | number>;

export const CATALOGUES = { en, de } as const satisfies Record<string, Record<MessageKey, string>>;
export type Language = keyof typeof CATALOGUES;
export const LANGUAGES = Object.keys(CATALOGUES) as Language[];

/** The catalogue language for a BCP 47 tag or POSIX locale ("de-AT", "de_DE.UTF-8" → de); English otherwise. */
export function languageOf(tag: string | undefined): Language {
  const primary = (tag ?? '').trim().toLowerCase().split(/[-_.@]/)[0] ?? '';
  return (LANGUAGES as string[]).includes(primary) ? primary as Language : 'en';
}

/**
 * A BCP 47 tag from a POSIX locale as the C library reads it (LC_ALL, then
 * LC_MESSAGES, then LANG; "de_DE.UTF-8" → "de-DE"). "C", "POSIX" or nothing → en-US.
 */
export function localeFromEnv(env: Readonly<Record<string, string | undefined>>): string {
  const raw = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '') ?? '';
  const base = raw.split(/[.@]/)[0] ?? '';
  if (base === '' || base === 'C' || base === 'POSIX') return 'en-US';
  const tag = base.replace(/_/g, '-');
  return isValidTag(tag) ? tag : 'en-US';
}

function isValidTag(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

export interface Translator {
  /** The catalogue in use. */
  readonly language: Language;
  /** The tag dates and numbers are formatted for (a valid BCP 47 tag of that language). */
  readonly locale: string;
  t(key: MessageKey, params?: Params): string;
  /** Whether the catalogues have `key` (for keys built from data, such as var.<name>). */
  has(key: string): key is MessageKey;
  /** `<key>.one` / `<key>.other` by the count's plural category; `count` is a parameter too. */
  plural(key: PluralKey, count: number, params?: Params): string;
  number(n: number, options?: Intl.NumberFormatOptions): string;
  /** Date and time, short ("29.11.2026, 17:40"). */
  dateTime(ms: number): string;
  date(ms: number): string;
  time(ms: number): string;
  /** "5 minutes ago", "vor 5 Minuten"; "just now" under 45 s. */
  ago(ms: number, now: number): string;
  /** "in 4:05" style countdown in words ("in 4 min", "in 1 h 02 min"). */
  until(ms: number, now: number): string;
  /** "a, b and c" / "a, b und c". */
  list(items: readonly string[]): string;
}

/** Fills {name} placeholders; a placeholder without a value stays as written (visible, never a crash). */
export function fill(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/**
 * A text as data: a catalogue key and its parameters, which may be messages themselves
 * (a duration inside a headline). The engine's status carries these, never a sentence in
 * one language; whoever shows it says it in the reader's language with say().
 */
export interface Message {
  key: MessageKey | PluralKey;
  params?: Readonly<Record<string, string | number | Message | DateParam>>;
}

/**
 * A calendar day (UTC midnight of it, in ms): English says it as 2031-06-11 (what the CLI
 * and the logs have always printed, unambiguous for scripts), other languages in their own
 * form (11.06.2031).
 */
export interface DateParam { day: number }

/** A message in `tr`'s language: nested messages first; a plural key by its `count`. */
export function say(tr: Translator, message: Message): string {
  const params: Params = {};
  for (const [name, value] of Object.entries(message.params ?? {})) {
    if (typeof value !== 'object') params[name] = value;
    else if ('day' in value) params[name] = tr.language === 'en' ? new Date(value.day).toISOString().slice(0, 10) : tr.date(value.day);
    else params[name] = say(tr, value);
  }
  const count = message.params?.count;
  if (!tr.has(message.key) && typeof count === 'number') return tr.plural(message.key as PluralKey, count, params);
  return tr.t(message.key as MessageKey, params);
}

export function translator(tag: string | undefined): Translator {
  const language = languageOf(tag);
  // Dates and numbers follow the region too (de-AT, en-GB), but never another language than the words.
  const asTag = (tag ?? '').trim().replace(/_/g, '-').split(/[.@]/)[0] ?? '';
  const locale = asTag.toLowerCase().split('-')[0] === language && isValidTag(asTag) ? asTag : language;
  const catalogue: Record<string, string> = CATALOGUES[language];
  const reference: Record<string, string> = CATALOGUES.en;
  const plurals = new Intl.PluralRules(locale);
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'long' });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const time = new Intl.DateTimeFormat(locale, { timeStyle: 'short' });
  const lists = new Intl.ListFormat(locale, { type: 'conjunction' });
  const text = (key: string) => catalogue[key] ?? reference[key] ?? key;
  const t = (key: MessageKey, params?: Params) => fill(text(key), params);
  const number = (n: number, options?: Intl.NumberFormatOptions) => new Intl.NumberFormat(locale, options).format(n);
  return {
    language,
    locale,
    t,
    has: (key): key is MessageKey => key in reference,
    plural(key, count, params = {}) {
      const form = `${key}.${plurals.select(count)}`;
      return fill(text(form in catalogue ? form : `${key}.other`), { ...params, count: number(count) });
    },
    number,
    dateTime: (ms) => dateTime.format(ms),
    date: (ms) => date.format(ms),
    time: (ms) => time.format(ms),
    ago(ms, now) {
      const s = Math.round((now - ms) / 1000);
      if (s < 45) return t('time.justNow');
      if (s < 3600) return relative.format(-Math.max(1, Math.round(s / 60)), 'minute');
      if (s < 86_400) return relative.format(-Math.round(s / 3600), 'hour');
      return dateTime.format(ms);
    },
    until(ms, now) {
      const s = Math.ceil((ms - now) / 1000);
      if (s <= 0) return t('time.dueNow');
      if (s < 60) return relative.format(s, 'second');
      if (s < 3600) return relative.format(Math.ceil(s / 60), 'minute');
      if (s < 86_400) return relative.format(Math.round(s / 3600), 'hour');
      return dateTime.format(ms);
    },
    list: (items) => lists.format(items),
  };
}
