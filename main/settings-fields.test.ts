import { describe, expect, it } from 'vitest';
import { CONFIG_FIELDS, FORM_GROUPS } from '../app/config/fields.ts';
import { CATALOGUES, LANGUAGES } from '../locales/i18n.ts';
import { formTextKeys } from '../test/support/form-texts.ts';
import { formFieldForConfigKey, lockedFields, settingsFormView, WINDOW_FIELDS } from './settings-fields.ts';
import { settingsInputSchema } from './settings-input.ts';

describe('the window\'s settings, derived from the one table', () => {
  it('shows each field once, in its group, groups in order (the form\'s order top to bottom)', () => {
    const form = settingsFormView();
    expect(form.map((g) => g.group)).toEqual([...FORM_GROUPS]);
    expect(form.flatMap((g) => g.fields.map((f) => f.name))).toEqual(WINDOW_FIELDS.map((f) => f.name));
    expect(new Set(WINDOW_FIELDS.map((f) => f.name)).size).toBe(WINDOW_FIELDS.length);
  });

  it('a section\'s fields follow the choice that shows them', () => {
    const server = settingsFormView()[0]?.fields ?? [];
    expect(server.map((f) => [f.name, f.section ?? ''])).toEqual([['apiUrl', ''], ['authMethod', ''], ['apiKey', 'hmac'], ['sharedKey', 'hmac'],
      ['clientId', 'oauth'], ['clientSecret', 'oauth'], ['tokenUrl', 'oauth']]);
  });

  it('describes each field by what the renderer needs, nothing more', () => {
    const byName = Object.fromEntries(settingsFormView().flatMap((g) => g.fields).map((f) => [f.name, f]));
    expect(byName.apiUrl).toEqual({ name: 'apiUrl', input: 'url' });
    expect(byName.tokenUrl).toEqual({ name: 'tokenUrl', input: 'url', section: 'oauth', placeholder: true });
    expect(byName.licenseKey).toEqual({ name: 'licenseKey', input: 'masked', hint: true });
    expect(byName.intervalMinutes).toEqual({ name: 'intervalMinutes', input: 'minutes', min: 1, max: 1440 });
    expect(byName.pii).toEqual({ name: 'pii', input: 'checks', options: ['hostname', 'username', 'ip', 'mac'] });
    expect(byName.authMethod).toEqual({ name: 'authMethod', input: 'choice', options: ['oauth', 'hmac'] });
    expect(byName.startAtLogin).toEqual({ name: 'startAtLogin', input: 'checkbox' });
  });

  it('every field of the window that is a setting of the agent is a configuration key (flag, variable, README row: fields-doc.test.ts)', () => {
    for (const f of WINDOW_FIELDS.filter((w) => w.key !== undefined)) {
      const spec = CONFIG_FIELDS.find((c) => c.key === f.key);
      expect(spec?.managedOnly, f.name).toBeUndefined();
      expect(formFieldForConfigKey(f.key as string)).toBe(f.name);
      expect(lockedFields([f.key as string])).toContain(f.name);
    }
  });

  it.each(LANGUAGES)('every text the form takes is in the %s catalogue', (language) => {
    const keys = [...FORM_GROUPS.map((g) => `settings.${g}`), ...WINDOW_FIELDS.flatMap(formTextKeys)];
    expect(keys.filter((k) => !(k in CATALOGUES[language]))).toEqual([]);
  });

  it('the save\'s check has each field but the secrets (they go by setSecret)', () => {
    expect(Object.keys(settingsInputSchema.shape)).toEqual(WINDOW_FIELDS.filter((f) => f.input !== 'secret').map((f) => f.name));
  });
});
