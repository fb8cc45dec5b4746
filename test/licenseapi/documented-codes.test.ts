// Every error code of the vendor's documentation is in the agent's table, with the
// documented status: read from the project's copy of the documentation
// (docs/license-api-errors.md) and, where the shared protocol notes are checked out
// beside the repository, from their "Errors" section too.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, MESSAGES_BY_PRODUCT_KIND } from '../../app/licenseapi/error-codes.ts';
import { LOCAL_ERROR_CODES } from '../../app/licenseapi/errors.ts';

const root = resolve(import.meta.dirname, '..', '..');
const copy = readFileSync(join(root, 'docs', 'license-api-errors.md'), 'utf8');

/** Rows of the first table: code, status (first number), message. */
function documentedRows(markdown: string): Array<{ code: string; status: number }> {
  const rows: Array<{ code: string; status: number }> = [];
  for (const line of markdown.split('\n')) {
    const match = /^\| `([A-Za-z_]+)` \| (\d{3})\b/.exec(line);
    if (match) rows.push({ code: match[1]!, status: Number(match[2]) });
  }
  return rows;
}

/** Every backticked code in the notes' "## Errors" section. */
function notesCodes(notes: string): string[] {
  const section = notes.slice(notes.indexOf('## Errors'), notes.indexOf('\n## ', notes.indexOf('## Errors') + 3));
  return [...section.matchAll(/`([a-z][A-Za-z_]+)`/g)].map((m) => m[1]!).filter((c) => /_|[A-Z]/.test(c) && !['schemas/error.schema.json'].includes(c));
}

const SDK_LOCAL_NOT_PRODUCED = new Set(['license_signature_invalid']);

describe('the documented error codes', () => {
  const rows = documentedRows(copy);

  it('the copy lists the codes (sanity: the parser found the table)', () => {
    expect(rows.length).toBeGreaterThanOrEqual(34);
  });

  it.each(rows)('$code ($status) is in the agent\'s table with that status', ({ code, status }) => {
    expect(Object.hasOwn(ERROR_CODES, code)).toBe(true);
    expect(ERROR_CODES[code as keyof typeof ERROR_CODES].status).toBe(status);
  });

  it('activation-limit codes are license state (a person must act on the license, not on this device)', () => {
    for (const code of ['license_activated_max_times', 'licenseUserActivatedMaxTimes', 'license_transferred_max_times', 'trial_expired'] as const) {
      expect(ERROR_CODES[code].errorClass).toBe('license-state');
    }
  });

  const notesPath = [join(root, '..', 'shared', 'license-api-notes.md'), join(root, '..', '..', 'shared', 'license-api-notes.md')].find((p) => existsSync(p));
  it.skipIf(notesPath === undefined)('every code the shared protocol notes list is known (server table, or a local code)', () => {
    const codes = notesCodes(readFileSync(notesPath!, 'utf8'));
    expect(codes.length).toBeGreaterThan(25);
    const missing = codes.filter((c) => !Object.hasOwn(ERROR_CODES, c) && !Object.hasOwn(LOCAL_ERROR_CODES, c) && !SDK_LOCAL_NOT_PRODUCED.has(c));
    expect(missing).toEqual([]);
  });
  if (notesPath === undefined) console.warn('documented-codes.test: ../shared/license-api-notes.md is not checked out here; the in-repo copy (docs/license-api-errors.md) is checked.');
});

describe('words the vendor uses, kept as the vendor has them', () => {
  it('license_not_found names a license key or a license user by the product\'s kind', () => {
    expect(MESSAGES_BY_PRODUCT_KIND).toEqual({
      license_not_found: { 'license-key': 'License with the provided license key not found', user: 'License with the provided license user not found' },
    });
  });

  it('the credential errors say where to look', () => {
    expect(ERROR_CODES.invalid_api_key.remedy).toBe('Check the API key and shared key (or OAuth client) in the agent configuration.');
    expect(ERROR_CODES.authorization_invalid_headers.remedy).toBe('Check the API key and shared key (or OAuth client) in the agent configuration. If they are right, a proxy may be rewriting the header.');
  });
});
