// Writes docs/variables.md from the catalogue (or prints it with --stdout).
//   node tools/with-node24.js node app/collect/print-catalogue.ts [--stdout]
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderCatalogueMarkdown } from './catalogue-doc.ts';

export const CATALOGUE_DOC_PATH = fileURLToPath(new URL('../../docs/variables.md', import.meta.url));

if (import.meta.main) {
  const markdown = renderCatalogueMarkdown();
  if (process.argv.includes('--stdout')) {
    process.stdout.write(markdown);
  } else {
    await writeFile(CATALOGUE_DOC_PATH, markdown, 'utf8');
    console.log(`wrote ${CATALOGUE_DOC_PATH}`);
  }
}
