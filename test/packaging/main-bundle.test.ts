// The desktop app's main bundle (what electron-builder packs) must not carry the
// development sandbox (node:sqlite, RSA key generation, an HTTP server with
// fault injection and an admin route): it is loaded with import() only when the
// app runs unpackaged, from a separate file that is never packed.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../tools/build.ts';

const root = join(import.meta.dirname, '..', '..');

describe('main bundle', () => {
  let out = '';
  let bundle = '';

  beforeAll(async () => {
    // Inside the project so that the bundle's external imports would resolve as in dist/.
    out = await mkdtemp(join(root, '.cache', 'main-bundle-'));
    await buildApp(out);
    bundle = await readFile(join(out, 'main', 'index.js'), 'utf8');
  }, 60_000);
  afterAll(async () => { if (out) await rm(out, { recursive: true, force: true }); });

  it('holds no module of sandbox/ (esbuild marks each bundled module with a "// <path>" line)', () => {
    const modules = bundle.split('\n').filter((line) => /^\/\/ [\w./-]+\.ts$/.test(line)).map((line) => line.slice(3));
    expect(modules.length).toBeGreaterThan(20);
    expect(modules.filter((m) => m.startsWith('sandbox/'))).toEqual([]);
    expect(bundle).not.toContain('node:sqlite');
  });
});
