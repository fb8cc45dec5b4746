// The README's configuration table is written from CONFIG_FIELDS (npm run docs:config); this keeps it true.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_FIELDS } from './fields.ts';
import { findConfigTable, renderConfigTable, withConfigTable } from './fields-doc.ts';

describe('README configuration table', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

  it('is exactly the table written from the field table (regenerate: npm run docs:config)', () => {
    const at = findConfigTable(readme);
    expect(at, 'README.md has no configuration table').toBeDefined();
    expect(readme.slice(at!.start, at!.end)).toBe(renderConfigTable());
  });

  it.each(CONFIG_FIELDS.filter((f) => !f.managedOnly).map((f) => [f.key, f]))('documents %s with its flag, variable and meaning', (_key, field) => {
    expect(readme).toContain(`| \`${field.key}\` | \`--${field.flag}\` | \`${field.env}\` | ${field.description} |`);
  });

  it.each(CONFIG_FIELDS.filter((f) => f.managedOnly).map((f) => [f.key, f]))('documents %s as a setting of the managed file only', (_key, field) => {
    expect(readme).toContain(`| \`${field.key}\` | managed file only | | ${field.description} |`);
  });

  it('a new field reaches the README by regenerating, with nothing around the table touched', () => {
    const doc = `# Title\n\ntext before\n\n${renderConfigTable(CONFIG_FIELDS.slice(0, 2))}\n\ntext after\n`;
    const extra = { ...CONFIG_FIELDS[0]!, key: 'siteName', flag: 'site-name', env: 'DEVICE_AGENT_SITE_NAME', description: 'A name for the place this device is in.' };
    const next = withConfigTable(doc, renderConfigTable([...CONFIG_FIELDS.slice(0, 2), extra]));
    expect(next).toBe(`# Title\n\ntext before\n\n${renderConfigTable(CONFIG_FIELDS.slice(0, 2))}\n| \`siteName\` | \`--site-name\` | \`DEVICE_AGENT_SITE_NAME\` | A name for the place this device is in. |\n\ntext after\n`);
    expect(() => withConfigTable('# no table\n')).toThrow(/no configuration table/);
  });
});
