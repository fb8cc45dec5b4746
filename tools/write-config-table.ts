// Writes the README's configuration table from app/config/fields.ts (npm run docs:config).
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { withConfigTable } from '../app/config/fields-doc.ts';

const README = fileURLToPath(new URL('../README.md', import.meta.url));
const before = await readFile(README, 'utf8');
const after = withConfigTable(before);
if (after === before) {
  console.log('README.md: the configuration table is up to date');
} else {
  await writeFile(README, after, 'utf8');
  console.log('README.md: wrote the configuration table');
}
