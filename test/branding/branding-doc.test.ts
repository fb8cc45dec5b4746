// The README's names-and-folders table is written from the branding (app/branding/doc.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brandingTable } from '../../app/branding/doc.ts';
import { managedConfigPath } from '../../app/config/managed.ts';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

describe('README names-and-folders table', () => {
  it('is exactly the table generated from branding.json (regenerate: node tools/with-node24.js node app/branding/doc.ts)', () => {
    expect(readme).toContain(brandingTable());
  });

  it('the managed configuration table names the paths the agent reads', () => {
    expect(readme).toContain(`| Linux | \`${managedConfigPath('linux', {})}\` |`);
    expect(readme).toContain(`| macOS | \`${managedConfigPath('darwin', {})}\` |`);
    expect(readme).toContain(`| Windows | \`${managedConfigPath('win32', { ProgramData: '%ProgramData%' }).replace(/\//g, '\\')}\` |`);
  });
});
