// The catalogues are complete: every key of the English reference in every
// other language (and nothing else), with the same placeholders, for every
// text the window's HTML names and every variable of the catalogue.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../app/collect/catalogue.ts';
import { expiryNoticeMessage, expiryWarningMessage, licenseSummary, licenseView } from '../app/sync/license-state.ts';
import { statusMessage, type StatusFacts } from '../app/sync/status-text.ts';
import { CATALOGUES, LANGUAGES, languageOf, localeFromEnv, say, translator } from './i18n.ts';

/** What `other` lacks or has beyond the reference, and placeholders that differ. */
export function catalogueProblems(reference: Record<string, string>, other: Record<string, string>): string[] {
  const problems: string[] = [];
  const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
  for (const [key, text] of Object.entries(reference)) {
    const theirs = other[key];
    if (typeof theirs !== 'string' || theirs.trim() === '') problems.push(`missing: ${key}`);
    else if (holes(theirs) !== holes(text)) problems.push(`placeholders differ: ${key} ({${holes(text)}} vs {${holes(theirs)}})`);
  }
  for (const key of Object.keys(other)) if (!(key in reference)) problems.push(`not in the reference: ${key}`);
  return problems;
}

describe('message catalogues', () => {
  it('finds a missing key, an extra key and a lost placeholder', () => {
    expect(catalogueProblems({ a: 'A {x}', b: 'B', c: 'C' }, { a: 'A', c: ' ', d: 'D' })).toEqual([
      'placeholders differ: a ({x} vs {})', 'missing: b', 'missing: c', 'not in the reference: d',
    ]);
  });

  for (const language of LANGUAGES.filter((l) => l !== 'en')) {
    it(`${language} has every English key, with the same placeholders`, () => {
      expect(catalogueProblems(CATALOGUES.en, CATALOGUES[language])).toEqual([]);
    });
  }

  it('has every text the window\'s HTML names', () => {
    const html = readFileSync(join(import.meta.dirname, '..', 'renderer', 'index.html'), 'utf8');
    const keys = [...html.matchAll(/data-i18n(?:-placeholder|-aria-label)?="([^"]+)"/g)].map((m) => m[1] as string);
    // The Settings form's texts are no longer in the HTML: main/settings-fields.test.ts checks those the form builds.
    expect(keys.length).toBeGreaterThan(40);
    expect(keys.filter((k) => !(k in CATALOGUES.en))).toEqual([]);
  });

  it('says why each variable of the catalogue is sent', () => {
    expect(CATALOGUE.map((v) => `var.${v.name}`).filter((k) => !(k in CATALOGUES.en))).toEqual([]);
  });

  it('has every phase word and chart outcome the code builds from data', () => {
    const built = [
      ...['starting', 'synced', 'syncing', 'pending', 'attention', 'paused'].map((p) => `phase.${p}`),
      ...['ok', 'error', 'nothing-to-send'].map((o) => `chart.outcome.${o}`),
      // The license summary's first part, by the server's license type (license-state.ts), and the reply key's source (status-view.ts).
      ...['type', 'trial'].flatMap((g) => ['none', 'perpetual', 'time-limited', 'subscription', 'consumption', 'unknown'].map((t) => `licenseSummary.${g}.${t}`)),
      ...['sandbox', 'configured', 'vendor', 'none'].map((k) => `replies.${k}`),
    ];
    expect(built.filter((k) => !(k in CATALOGUES.en))).toEqual([]);
  });
});

describe('the engine\'s messages, said in German', () => {
  const de = translator('de-DE');
  const MIN = 60_000;
  const NOW = Date.UTC(2031, 5, 1, 12);
  const base = { now: NOW, paused: false, syncing: false, pendingCount: 0 };
  const situations: StatusFacts[] = [
    { ...base, lastSuccessAt: NOW - 3 * MIN },
    { ...base, lastSuccessAt: NOW - 10_000, restored: true, nextSyncAt: NOW + 40_000, licenseNotice: expiryNoticeMessage(licenseView({ validityPeriod: new Date(NOW + 3.5 * 86_400_000).toISOString() }, NOW), NOW) },
    { ...base, lastSuccessAt: NOW - 2 * MIN, pendingCount: 3, restored: true, nextSyncAt: NOW + 90 * MIN },
    { ...base, pendingCount: 1, nextSyncAt: NOW + 5 * MIN },
    { ...base, nextSyncAt: NOW + 3 * 86_400_000 },
    { ...base, paused: true, pendingCount: 2 },
    { ...base, paused: true, deactivated: true },
    { ...base, syncing: true },
    { ...base, restored: true, nextSyncAt: NOW + 4 * MIN, lastError: { code: 'network_error', errorClass: 'retryable', summary: 'x', remedy: 'y', at: NOW - 5 * MIN } },
    { ...base, lastError: { code: 'http_503', errorClass: 'retryable', summary: 'x', remedy: 'y', at: NOW } },
  ];

  it('fills every headline completely, in German words', () => {
    const said = situations.map((facts) => say(de, statusMessage(facts).headline));
    expect(said.filter((text) => /[{}]|\b(ago|waiting|values?|Synced|Paused|retry|next sync|license expires)\b/.test(text))).toEqual([]);
    expect(said[0]).toBe('Synchronisiert vor 3 min');
    expect(said[1]).toBe('Synchronisiert gerade eben — Lizenz läuft in 3 Tagen ab; nächste Synchronisierung in 40 s');
    expect(said[2]).toBe('Zu senden: 3 Werte — zuletzt synchronisiert vor 2 min; nächste Synchronisierung in 1 h 30 min');
    expect(said[5]).toBe('Pausiert (2 Werte warten)');
    expect(said[8]).toBe('Offline beim letzten Versuch (vor 5 min) — neuer Versuch in 4 min');
  });

  it('says the license summary and the expiry warning in German, dates in the German form', () => {
    const view = licenseView({ licenseType: 'time-limited', isTrial: true, licenseEnabled: true, licenseActive: true, validityPeriod: '2031-06-03T12:00:00Z', maxActivations: 100, timesActivated: 3 }, NOW);
    expect(licenseSummary(view, NOW, de)).toBe('Befristete Testlizenz · freigegeben · aktiv · läuft am 03.06.2031 ab (noch 2 Tage) · 3 von 100 Aktivierungen genutzt');
    expect(say(de, expiryWarningMessage(view, NOW)!)).toBe('Die Testlizenz läuft in 2 Tagen ab (03.06.2031). Verlängern Sie sie jetzt: Das lizenzierte Programm funktioniert nach dem Ablauf womöglich nicht mehr.');
  });
});

describe('locale choice and formatting', () => {
  it('follows the OS: LC_ALL, then LC_MESSAGES, then LANG; C and POSIX are English', () => {
    expect(localeFromEnv({ LANG: 'de_DE.UTF-8' })).toBe('de-DE');
    expect(localeFromEnv({ LC_ALL: 'de_AT.UTF-8@euro', LANG: 'en_US.UTF-8' })).toBe('de-AT');
    expect(localeFromEnv({ LC_MESSAGES: 'de_CH', LANG: 'en_GB.UTF-8' })).toBe('de-CH');
    expect(localeFromEnv({ LANG: 'C.UTF-8' })).toBe('en-US');
    expect(localeFromEnv({ LANG: 'POSIX' })).toBe('en-US');
    expect(localeFromEnv({})).toBe('en-US');
    expect(localeFromEnv({ LANG: '../../etc' })).toBe('en-US');
  });

  it('takes the catalogue of the primary language, English for the rest; dates follow the region', () => {
    expect(languageOf('de')).toBe('de');
    expect(languageOf('de-AT')).toBe('de');
    expect(languageOf('fr-FR')).toBe('en');
    expect(languageOf(undefined)).toBe('en');
    expect(translator('fr-FR').locale).toBe('en');
    expect(translator('de-AT').locale).toBe('de-AT');
    expect(translator('not a tag!').language).toBe('en');
    const at = Date.UTC(2026, 10, 29, 12);
    expect(translator('de-DE').date(at)).toBe('29.11.2026');
    expect(translator('en-US').date(at)).toBe('Nov 29, 2026');
    expect(translator('de-DE').number(1234.5)).toBe('1.234,5');
  });

  it('chooses plural forms by the language\'s rules and fills placeholders', () => {
    const de = translator('de');
    expect(de.plural('sent.count', 1)).toBe('1 Wert');
    expect(de.plural('sent.count', 1234)).toBe('1.234 Werte');
    expect(translator('en').plural('state.pending', 1)).toBe('1 value waits to be sent; the agent tries again by itself.');
    expect(de.t('tray.quit', { app: 'Device Agent' })).toBe('Device Agent beenden');
    // A placeholder without a value stays visible rather than breaking the sentence.
    expect(de.t('tray.quit')).toBe('{app} beenden');
  });
});
