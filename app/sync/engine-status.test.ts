// statusOf(): the engine's status as a pure snapshot of its model. The headline's words are
// status-text.test.ts's; here, which fields the snapshot has and where they come from.
import { describe, expect, it } from 'vitest';
import type { VariableSourceView } from '../agent-api.ts';
import { emptySyncState } from '../state/sync-state.ts';
import type { EngineOptions } from './engine-options.ts';
import type { Model } from './engine-model.ts';
import { sourceWarning, statusOf } from './engine-status.ts';
import { engineOptions, newModel } from '../../test/support/engine-model.ts';

const NOW = 10_000_000;
const options = (over: Partial<EngineOptions> = {}): EngineOptions => engineOptions({ display: { apiUrl: 'https://api.example', usingSandbox: true, licenseDisplay: 'AAAA-…' }, ...over });
const model = (over: Partial<Model> = {}): Model => newModel({ options: options(), ...over });
const none = { storeWarnings: [] };

describe('statusOf', () => {
  it('a new engine: who it is, nothing to show yet', () => {
    const s = statusOf(model(), none, NOW);
    expect(s).toMatchObject({ hardwareId: 'hw-1', product: 'demo', licenseDisplay: 'AAAA-…', apiUrl: 'https://api.example', usingSandbox: true, variables: [], history: [], samples: [], collectorFailures: [], warnings: [] });
    for (const absent of ['nextSyncAt', 'lastAttemptAt', 'lastSuccessAt', 'error', 'license', 'firstSync', 'variableSources', 'warningMessages', 'hardwareIdSource', 'replyVerification']) {
      expect(s, absent).not.toHaveProperty(absent);
    }
  });

  it('each desired value is a row: pending unless acknowledged with the same value', () => {
    const state = { ...emptySyncState(), desired: { a: '1', b: '2', c: '3' }, acknowledged: { a: '1', b: 'old' } };
    expect(statusOf(model({ state }), none, NOW).variables).toStrictEqual([
      { name: 'a', value: '1', pending: false, acknowledged: '1' },
      { name: 'b', value: '2', pending: true, acknowledged: 'old' },
      { name: 'c', value: '3', pending: true },
    ]);
  });

  it('times and the error come from the state; the next sync from the schedule', () => {
    const lastError = { code: 'timeout', errorClass: 'retryable' as const, summary: 's', remedy: 'r', at: 5 };
    const state = { ...emptySyncState(), lastAttemptAt: 5, lastSuccessAt: 4, lastError };
    expect(statusOf(model({ state, nextSyncAt: NOW + 60_000 }), none, NOW)).toMatchObject({ lastAttemptAt: 5, lastSuccessAt: 4, error: lastError, nextSyncAt: NOW + 60_000 });
  });

  it('the first-sync reason shows until paused', () => {
    const firstSync = { reason: 'pending' as const, explanation: 'A value waits.' };
    expect(statusOf(model({ firstSync }), none, NOW).firstSync).toStrictEqual(firstSync);
    expect(statusOf(model({ firstSync, paused: true }), none, NOW)).not.toHaveProperty('firstSync');
  });

  it("the warnings: the options', the store's, then each source left out", () => {
    const sources: VariableSourceView[] = [
      { source: 'acme', scope: 'per-machine folder', origin: '/etc/x/acme.json', state: 'ok', variables: 2 },
      { source: 'edition', scope: 'managed file', origin: 'environment variable ACME_EDITION', state: 'skipped', variables: 0, problem: 'not set' },
    ];
    const s = statusOf(model({ options: options({ warnings: ['from the config'] }), state: { ...emptySyncState(), variableSources: sources } }), { storeWarnings: ['state file quarantined'] }, NOW);
    expect(s.warnings).toStrictEqual(['from the config', 'state file quarantined', 'Variable edition (environment variable ACME_EDITION, managed file) not sent: not set.']);
    expect(s.variableSources).toStrictEqual(sources);
  });

  it('a license that expires soon: its warning in English among the warnings, and as a message', () => {
    const license = { checkedAt: NOW, active: true, expiresAt: NOW + 3 * 86_400_000, summary: 'active' };
    const s = statusOf(model({ license, options: options({ warnings: ['w'] }) }), { storeWarnings: ['x'] }, NOW);
    expect(s.warnings).toHaveLength(3);
    expect(s.warnings.slice(0, 2)).toStrictEqual(['w', 'x']);
    expect(s.warnings[2]).toMatch(/expires/);
    expect(s.warningMessages).toHaveLength(1);
    expect(s.license).toMatchObject({ daysLeft: 3 });
  });

  it('the display extras are passed through', () => {
    const display = { ...options().display, hardwareIdSource: { kind: 'file', path: '/x' } as never, replyVerification: { state: 'verified' } as never };
    const s = statusOf(model({ options: options({ display }) }), none, NOW);
    expect(s.hardwareIdSource).toStrictEqual(display.hardwareIdSource);
    expect(s.replyVerification).toStrictEqual(display.replyVerification);
  });

  it('nothing from the state file or the server reaches the window unescaped', () => {
    const state = { ...emptySyncState(), desired: { name: 'evil\u001b[2J' } };
    expect(statusOf(model({ state }), none, NOW).variables[0]!.value).toBe('evil\\u001b[2J');
  });

  it('the phase follows the model (syncing, paused, deactivated)', () => {
    expect(statusOf(model({ syncing: true }), none, NOW).phase).toBe('syncing');
    expect(statusOf(model({ paused: true }), none, NOW).phase).toBe('paused');
    expect(statusOf(model({ paused: true, deactivated: true }), none, NOW).headline).toMatch(/deactivated/i);
  });
});

describe('sourceWarning', () => {
  const view = (over: Partial<VariableSourceView>): VariableSourceView => ({ source: 'acme', scope: 'per-user folder', origin: '~/x/acme.json', state: 'skipped', variables: 0, problem: 'not JSON', ...over });
  it.each([
    [view({}), 'Variables from ~/x/acme.json (per-user folder) not sent: not JSON.'],
    [view({ state: 'off', problem: 'not enabled' }), 'Variables from ~/x/acme.json (per-user folder) not read: not enabled.'],
    [view({ scope: 'managed file', source: 'edition', origin: 'command /usr/bin/x' }), 'Variable edition (command /usr/bin/x, managed file) not sent: not JSON.'],
  ])('%j → %s', (v, text) => {
    expect(sourceWarning(v)).toBe(text);
  });
});

describe("the engine's warnings in the window's language", () => {
  it('each warning the engine or the configuration words comes with its message: German in a German window, the same English as before in an English one', async () => {
    const { translator } = await import('../../locales/i18n.ts');
    const { warningIn } = await import('../../renderer/format.ts');
    const de = translator('de');
    const en = translator('en');
    const broken: VariableSourceView = { source: 'acme', scope: 'per-machine folder', origin: '/etc/device-agent/variables.d/acme.json', state: 'skipped', variables: 0, problem: 'is not valid JSON' };
    const off: VariableSourceView = { source: 'site', scope: 'managed file', origin: 'env SITE', state: 'off', variables: 0, problem: 'left out by deny' };
    const state = { ...emptySyncState(), variableSources: [broken, off] };
    const s = statusOf(model({ state, options: options({ warnings: ['The company-wide shared key is stored on this device. Prefer OAuth client credentials scoped to this customer or license (see README, Security).'], warningMessages: [{ key: 'warning.sharedKey' }] }) }), none, NOW);
    expect(s.warnings).toEqual([
      'The company-wide shared key is stored on this device. Prefer OAuth client credentials scoped to this customer or license (see README, Security).',
      'Variables from /etc/device-agent/variables.d/acme.json (per-machine folder) not sent: is not valid JSON.',
      'Variable site (env SITE, managed file) not read: left out by deny.',
    ]);
    expect(s.warnings.map((w) => warningIn(en, w, s.warningMessages))).toEqual(s.warnings);
    expect(s.warnings.map((w) => warningIn(de, w, s.warningMessages))).toEqual([
      'Der firmenweite Shared Key ist auf diesem Gerät gespeichert. Besser sind OAuth-Client-Zugangsdaten, die auf diesen Kunden oder diese Lizenz beschränkt sind (siehe README, Security).',
      'Variablen aus /etc/device-agent/variables.d/acme.json (Ordner für alle Benutzer) nicht gesendet: is not valid JSON.',
      'Variable site (env SITE, verwaltete Konfiguration) nicht gelesen: left out by deny.',
    ]);
    expect(sourceWarning(broken)).toBe(s.warnings[1]);
  });
});
