// The README's configuration table is written from CONFIG_FIELDS; this keeps it true.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_FIELDS } from './fields.ts';

describe('README configuration table', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

  it.each(CONFIG_FIELDS.filter((f) => !f.managedOnly).map((f) => [f.key, f]))('documents %s with its flag, variable and meaning', (_key, field) => {
    expect(readme).toContain(`| \`${field.key}\` | \`--${field.flag}\` | \`${field.env}\` | ${field.description} |`);
  });

  it.each(CONFIG_FIELDS.filter((f) => f.managedOnly).map((f) => [f.key, f]))('documents %s as a setting of the managed file only', (_key, field) => {
    expect(readme).toContain(`| \`${field.key}\` | managed file only | | ${field.description} |`);
  });
});
