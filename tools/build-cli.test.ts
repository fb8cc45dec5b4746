// The headless CLI bundle: built for real (esbuild) into a temp directory and run
// as users run it; and bin/device-agent.js's rule for running it only when it is
// built from the current sources, proven on a fake project tree.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from './build-cli.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');
const version = (JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string }).version;

describe('dist/cli bundle', () => {
  let dir = '';
  let built: Awaited<ReturnType<typeof buildCli>>;
  const cli = async (...args: string[]) => {
    const home = join(dir, 'home');
    await mkdir(home, { recursive: true });
    return run(process.execPath, [built.bundle, ...args], { env: { PATH: process.env.PATH, HOME: home }, cwd: home, timeout: 20_000 });
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'da-cli-bundle-'));
    // Installed layout: the bundle resolves its external dependencies from node_modules above it.
    await symlink(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    built = await buildCli(join(dir, 'cli'));
  });
  afterAll(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  it('lists the sources it was built from (the version file included), no dependency', () => {
    expect(built.manifest.entry).toBe('cli/main.ts');
    expect(built.manifest.inputs).toEqual(expect.arrayContaining(['cli/main.ts', 'package.json', 'app/collect/collectors/si-worker.ts', 'app/state/state-store.ts']));
    expect(built.manifest.inputs.filter((f) => f.startsWith('node_modules') || !/^[\w.-]+(\/[\w.-]+)*$/.test(f))).toEqual([]);
  });

  it('loads at start only what the agent needs: zod and proxy-from-env besides built-ins (axios, the sandbox on demand)', () => {
    const packages = built.startImports.filter((m) => !m.startsWith('node:'));
    expect(packages).toEqual(['proxy-from-env', 'zod']);
    expect(built.startImports).toEqual(expect.arrayContaining(['node:https', 'node:zlib', 'node:crypto', 'node:child_process']));
    expect(built.startImports).not.toContain('node:http'); // its ES namespace loads undici (node-exchange.ts)
    expect(built.startImports).not.toContain('node:sqlite');
  });

  it('keeps the sandbox (node:sqlite) out of the main file, as a chunk loaded on demand', async () => {
    const main = await readFile(built.bundle, 'utf8');
    expect(main).not.toContain('node:sqlite');
    expect(Object.keys(built.bytes).some((f) => f.startsWith('chunks/'))).toBe(true);
    // A mistake only the sandbox's own parser reports: its chunk was found and loaded.
    const failed = await cli('sandbox', '--port', 'x').then(() => undefined, (error: { code?: number; stderr?: string }) => error);
    expect(failed).toMatchObject({ code: 2 });
    expect(failed?.stderr).toContain('sandbox: --port must be an integer 0..65535, got "x"\nusage: sandbox');
  });

  it('runs: version inlined from package.json, static facts through the systeminformation worker', async () => {
    expect((await cli('version')).stdout.trim()).toBe(version);
    const { stdout } = await cli('vars', '--json');
    const out = JSON.parse(stdout) as { variables: Record<string, unknown>; failures: unknown[] };
    expect(out.failures).toEqual([]);
    expect(out.variables.agent_version).toBe(version);
    expect(typeof out.variables.os_distro).toBe('string');
    expect(typeof out.variables.is_vm).toBe('boolean');
  });
});

describe('bin/device-agent.js: the bundle only when it is fresh', () => {
  let dir = '';
  const bundle = () => join(dir, 'dist', 'cli', 'device-agent.mjs');
  const manifest = () => join(dir, 'dist', 'cli', 'inputs.json');
  const at = (path: string, seconds: number) => utimes(path, seconds, seconds);
  const which = async () => (await run(process.execPath, [join(dir, 'bin', 'device-agent.js'), 'x'], { timeout: 10_000 })).stdout.trim();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'da-cli-entry-'));
    await mkdir(join(dir, 'bin'));
    for (const f of ['device-agent.js', 'cli-entry.js']) await copyFile(join(root, 'bin', f), join(dir, 'bin', f));
    await writeFile(join(dir, 'package.json'), '{"type":"module"}\n');
    await mkdir(join(dir, 'app'), { recursive: true });
    await mkdir(join(dir, 'cli'), { recursive: true });
    await mkdir(join(dir, 'dist', 'cli'), { recursive: true });
    await writeFile(join(dir, 'cli', 'main.ts'), "import { helper } from '../app/helper.ts';\nconsole.log(`source ${helper}`);\n");
    await writeFile(join(dir, 'app', 'helper.ts'), "export const helper: string = 'ok';\n");
    await writeFile(bundle(), 'console.log(`bundle ${process.argv.slice(2).join(" ")}`);\n');
  });
  afterAll(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  it('runs the sources while no manifest says what the bundle was built from', async () => {
    expect(await which()).toBe('source ok');
  });

  it('runs the bundle (with the arguments) when no listed input is newer; the sources again once one changes', async () => {
    await writeFile(manifest(), JSON.stringify({ entry: 'cli/main.ts', inputs: ['cli/main.ts', 'app/helper.ts', 'package.json'] }));
    for (const f of ['cli/main.ts', 'app/helper.ts', 'package.json']) await at(join(dir, f), 1_000);
    await at(bundle(), 2_000);
    expect(await which()).toBe('bundle x');
    await at(join(dir, 'app', 'helper.ts'), 3_000); // edited after the build
    expect(await which()).toBe('source ok');
    await at(bundle(), 4_000); // rebuilt
    expect(await which()).toBe('bundle x');
  });

  it('runs the sources when a listed input is gone or the manifest is damaged', async () => {
    await writeFile(manifest(), JSON.stringify({ entry: 'cli/main.ts', inputs: ['cli/main.ts', 'app/removed.ts'] }));
    expect(await which()).toBe('source ok');
    await writeFile(manifest(), '{"inputs": "cli/main.ts"');
    expect(await which()).toBe('source ok');
  });

  it('runs the bundle when there are no sources at all (an install that ships dist/ only)', async () => {
    await writeFile(manifest(), JSON.stringify({ entry: 'cli/main.ts', inputs: ['cli/main.ts'] }));
    for (const sources of ['app', 'cli']) await rm(join(dir, sources), { recursive: true });
    expect(await which()).toBe('bundle x');
  });
});
