import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from './catalogue.ts';
import { renderCatalogueMarkdown } from './catalogue-doc.ts';
import { CATALOGUE_DOC_PATH } from './print-catalogue.ts';

describe('docs/variables.md', () => {
  it('is exactly the rendered catalogue (regenerate: node tools/with-node24.js node app/collect/print-catalogue.ts)', async () => {
    expect(await readFile(CATALOGUE_DOC_PATH, 'utf8')).toBe(renderCatalogueMarkdown());
  });

  it('has one table row per catalogue entry', () => {
    const markdown = renderCatalogueMarkdown();
    for (const entry of CATALOGUE) {
      expect(markdown.split('\n').filter((line) => line.startsWith(`| \`${entry.name}\` |`)), entry.name).toHaveLength(1);
    }
  });
});
