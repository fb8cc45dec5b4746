// Adding a setting is one table entry plus its use. Here the table gets one entry more
// (appVersion, an agent setting the window does not have, given a `form` part: exactly
// the walk-through's step 1 in ARCHITECTURE.md) and the production modules, unchanged,
// take it everywhere: the form's description, the save's check, the view, the store,
// the engine's configuration, the locks, the error's field. What is left to add is its
// texts (the catalogues) and its use (here: the agent already sends app_version).
import { describe, expect, it, vi } from 'vitest';
import type * as FieldsModule from '../app/config/fields.ts';
import { CATALOGUES } from '../locales/i18n.ts';
import { formTextKeys } from '../test/support/form-texts.ts';
import { composeConfig } from './engine-runner.ts';
import { formFieldForConfigKey, lockedFields, settingsFormView, windowField } from './settings-fields.ts';
import { settingsInputSchema } from './settings-input.ts';
import { applySettingsInput, readUserSettings, settingsView, userConfigValues } from './settings-model.ts';

vi.mock('../app/config/fields.ts', async (importOriginal) => {
  const real = await importOriginal<typeof FieldsModule>();
  return {
    ...real,
    CONFIG_FIELDS: real.CONFIG_FIELDS.map((f) => (f.key === 'appVersion' ? { ...f, form: { group: 'license', input: 'text' } } : f)),
  };
});

const base = { hasSharedKey: false, hasClientSecret: false, startAtLogin: false };

describe('a setting added by one entry in the table', () => {
  it('is in the form, in its group in the table\'s order', () => {
    const license = settingsFormView().find((g) => g.group === 'license');
    expect(license?.fields.map((f) => f.name)).toEqual(['product', 'licenseKey', 'username', 'appVersion', 'autoActivate']);
    expect(license?.fields.find((f) => f.name === 'appVersion')).toEqual({ name: 'appVersion', input: 'text' });
  });

  it('is checked when saved, an error naming it', () => {
    expect(settingsInputSchema.safeParse({ appVersion: '2.4.1' }).success).toBe(true);
    const bad = settingsInputSchema.safeParse({ appVersion: 'a\u0007b' });
    expect(bad.success ? [] : bad.error.issues.map((i) => i.path.join('.'))).toEqual(['appVersion']);
  });

  it('is shown, stored, read back, given to the engine, and its config error points at it', () => {
    expect(settingsView({ user: {}, managed: {}, ...base }).appVersion).toBe('');
    const next = applySettingsInput({ product: 'p' }, { appVersion: '2.4.1' }, []);
    expect(next).toEqual({ product: 'p', appVersion: '2.4.1' });
    expect(applySettingsInput(next, { appVersion: '' }, [])).toEqual({ product: 'p' });
    const stored = readUserSettings(JSON.parse(JSON.stringify(next)));
    expect(settingsView({ user: stored, managed: {}, ...base }).appVersion).toBe('2.4.1');
    expect(userConfigValues(stored, {})).toEqual({ product: 'p', appVersion: '2.4.1' });
    expect(composeConfig(userConfigValues(stored, {}), undefined, '/tmp/state').appVersion).toBe('2.4.1');
    expect(formFieldForConfigKey('appVersion')).toBe('appVersion');
  });

  it('is locked by the administrator\'s managed file, whose value it shows', () => {
    expect(lockedFields(['appVersion'])).toEqual(['appVersion']);
    const view = settingsView({ user: { appVersion: 'mine' }, managed: { appVersion: '9.0' }, ...base });
    expect(view).toMatchObject({ appVersion: '9.0', locked: ['appVersion'] });
    expect(() => applySettingsInput({}, { appVersion: '1' }, view.locked)).toThrow(expect.objectContaining({ field: 'appVersion' }));
  });

  it('needs its texts in the catalogues: exactly its label and its error\'s label', () => {
    const field = windowField('appVersion');
    expect(field).toBeDefined();
    if (field) expect(formTextKeys(field).filter((k) => !(k in CATALOGUES.en))).toEqual(['settings.appVersion', 'field.appVersion']);
  });
});
