// The README's exit-code table is the contract scripts rely on: it lists exactly the codes
// the CLI can return, and says what npm/npx do to them (they exit 130 on Ctrl+C whatever
// the agent returned — a difference a user met and the table did not mention).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT } from './exit-codes.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const table = readme.slice(readme.indexOf('### Exit codes'), readme.indexOf('## What is sent'));

describe('README exit codes', () => {
  it('lists exactly the codes the CLI returns', () => {
    const documented = [...table.matchAll(/^\| (\d+)(?: \/ (\d+))? \|/gm)].flatMap((m) => [m[1], m[2]]).filter((c): c is string => c !== undefined).map(Number);
    expect(documented.sort((a, b) => a - b)).toEqual(Object.values(EXIT).sort((a, b) => a - b));
  });

  it('says what npm and npx do to them on Ctrl+C, and what `run` returns when stopped', () => {
    expect(table).toMatch(/Through `npm run …` or `npx …`, Ctrl\+C makes npm itself exit 130/);
    expect(table).toMatch(/`run` also exits 0 when stopped by SIGINT\/SIGTERM/);
  });
});
