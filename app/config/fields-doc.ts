// The README's configuration table, written from the field table (app/config/fields.ts):
// `npm run docs:config` puts it in README.md; app/config/fields-doc.test.ts fails while the
// README's table differs from it.
import { CONFIG_FIELDS, type FieldSpec } from './fields.ts';

const CONFIG_TABLE_HEADER = '| key | flag | environment | meaning |';

function row(field: FieldSpec): string {
  return field.managedOnly
    ? `| \`${field.key}\` | managed file only | | ${field.description} |`
    : `| \`${field.key}\` | \`--${field.flag}\` | \`${field.env}\` | ${field.description} |`;
}

/** The table: header, separator, one row per field in the table's order (managed-only fields last, as declared). */
export function renderConfigTable(fields: readonly FieldSpec[] = CONFIG_FIELDS): string {
  return [CONFIG_TABLE_HEADER, '|---|---|---|---|', ...fields.map(row)].join('\n');
}

/** The lines of `markdown`'s configuration table (from its header to the first line that is not a table row), or undefined. */
export function findConfigTable(markdown: string): { start: number; end: number } | undefined {
  const start = markdown.indexOf(`${CONFIG_TABLE_HEADER}\n`);
  if (start < 0) return undefined;
  let end = start;
  for (const line of markdown.slice(start).split('\n')) {
    if (!line.startsWith('|')) break;
    end += line.length + 1;
  }
  return { start, end: end - 1 };
}

/** `markdown` with its configuration table replaced by the rendered one. */
export function withConfigTable(markdown: string, table = renderConfigTable()): string {
  const at = findConfigTable(markdown);
  if (!at) throw new Error(`no configuration table (a line "${CONFIG_TABLE_HEADER}") in the README`);
  return `${markdown.slice(0, at.start)}${table}${markdown.slice(at.end)}`;
}
