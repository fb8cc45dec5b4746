// `npm start` gets Electron where it can (tools/electron-install.ts): the real
// installer is replaced by small scripts for success, failure and a hang, and
// the package's own installer is run against mirrors that refuse or never
// answer — here, where nothing can be downloaded, that is the real case.
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureElectron, fallbackLine } from '../../tools/electron-install.ts';

const root = join(import.meta.dirname, '..', '..');

describe('npm start getting Electron', () => {
  let dir = '';
  let moduleDir = '';
  let progress = '';
  const seen = (chunk: string) => { progress += chunk; };
  const script = async (name: string, body: string) => {
    const path = join(dir, name);
    await writeFile(path, body);
    return [process.execPath, path];
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'da-einstall-'));
    moduleDir = join(dir, 'electron');
    await mkdir(moduleDir);
    progress = '';
  });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  it('runs the installer when the binary is missing, shows its progress, and finds what it installed', async () => {
    const installer = await script('ok.mjs', `
      import { mkdirSync, writeFileSync } from 'node:fs';
      process.stderr.write('\\rDownloading electron.zip: [====    ] 50%');
      process.stderr.write('\\rDownloading electron.zip: [========] 100%');
      mkdirSync(${JSON.stringify(join(moduleDir, 'dist'))}, { recursive: true });
      writeFileSync(${JSON.stringify(join(moduleDir, 'dist', 'electron'))}, '');
      writeFileSync(${JSON.stringify(join(moduleDir, 'path.txt'))}, 'electron');
    `);
    const result = await ensureElectron({ env: {}, platform: 'linux', moduleDir, installer, progress: seen });
    expect(result).toEqual({ found: true, path: join(moduleDir, 'dist', 'electron') });
    expect(progress).toContain("fetching it with Electron's own installer");
    expect(progress).toContain('[========] 100%');
  });

  it('does not run the installer when the binary is there', async () => {
    await mkdir(join(moduleDir, 'dist'));
    await writeFile(join(moduleDir, 'dist', 'electron'), '');
    const installer = await script('never.mjs', `require('node:fs').writeFileSync(${JSON.stringify(join(dir, 'ran'))}, '')`);
    expect(await ensureElectron({ env: {}, platform: 'linux', moduleDir, installer, progress: seen })).toMatchObject({ found: true });
    expect(existsSync(join(dir, 'ran'))).toBe(false);
  });

  it('never downloads over an ELECTRON_OVERRIDE_DIST_PATH that is set', async () => {
    const installer = await script('never.mjs', `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(join(dir, 'ran'))}, '')`);
    const result = await ensureElectron({ env: { ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'nowhere') }, platform: 'linux', moduleDir, installer, progress: seen });
    expect(result).toMatchObject({ found: false, why: expect.stringContaining('ELECTRON_OVERRIDE_DIST_PATH is set') });
    expect(existsSync(join(dir, 'ran'))).toBe(false);
    if (!result.found) expect(fallbackLine(result, { ELECTRON_OVERRIDE_DIST_PATH: 'x' })).toContain('fix that, then run npm start again');
  });

  it('turns a failed download into one line: the reason, and what to run later (no stack trace)', async () => {
    const installer = await script('fail.mjs', `console.error('TypeError: fetch failed\\n    at node:internal/deps/undici:1:1\\n    at async downloadArtifact (x.js:2:3)'); process.exit(1);`);
    const result = await ensureElectron({ env: {}, platform: 'linux', moduleDir, installer, progress: seen });
    expect(result).toEqual({ found: false, why: 'Electron could not be downloaded: TypeError: fetch failed', installed: false });
    expect(progress).not.toContain('at node:internal');
    if (result.found) return;
    const line = fallbackLine(result, {});
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toBe("Not starting the desktop app: Electron could not be downloaded: TypeError: fetch failed. Running the headless demo instead; for the desktop app, run node node_modules/electron/install.js (or npm start again) once this machine can reach Electron's downloads.");
  });

  it('stops an installer that shows no sign of life', async () => {
    const installer = await script('hang.mjs', 'setInterval(() => {}, 1000);');
    const started = Date.now();
    const result = await ensureElectron({ env: {}, platform: 'linux', moduleDir, installer, stallMs: 400, progress: seen });
    expect(result).toEqual({ found: false, why: 'Electron could not be downloaded: no sign of progress for 400 ms', installed: false });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  describe("Electron's own installer (node_modules/electron/install.js), where nothing can be downloaded", () => {
    let server: Server | undefined;
    afterEach(async () => { await new Promise<void>((r) => (server ? server.close(() => r()) : r())); server = undefined; });

    // A copy of the package, so that nothing is ever written into node_modules/electron.
    async function copyOfElectronPackage(): Promise<string> {
      const copy = join(dir, 'node_modules', 'electron');
      await mkdir(copy, { recursive: true });
      for (const f of ['install.js', 'package.json', 'checksums.json']) await writeFile(join(copy, f), await readFile(join(root, 'node_modules', 'electron', f)));
      return copy;
    }
    const env = (mirror: string) => ({ PATH: process.env.PATH, HOME: dir, ELECTRON_MIRROR: mirror, electron_config_cache: join(dir, 'cache'), NODE_PATH: join(root, 'node_modules') });

    it('fails fast when the server refuses the connection', async () => {
      server = createServer();
      await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
      const port = (server.address() as { port: number }).port;
      await new Promise<void>((r) => server!.close(() => r()));
      server = undefined;
      const copy = await copyOfElectronPackage();
      const started = Date.now();
      const result = await ensureElectron({ env: env(`http://127.0.0.1:${port}/`), platform: 'linux', moduleDir: copy, progress: seen });
      const ms = Date.now() - started;
      expect(result).toMatchObject({ found: false, why: expect.stringMatching(/^Electron could not be downloaded: .*fetch failed/) });
      expect(ms).toBeLessThan(10_000);
      console.log(`[electron install] refused connection: failed in ${ms} ms`);
    });

    it('is stopped when the server accepts but never answers', async () => {
      server = createServer(() => { /* never answers */ });
      await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
      const copy = await copyOfElectronPackage();
      const started = Date.now();
      const result = await ensureElectron({ env: env(`http://127.0.0.1:${(server.address() as { port: number }).port}/`), platform: 'linux', moduleDir: copy, stallMs: 1500, progress: seen });
      expect(result).toEqual({ found: false, why: 'Electron could not be downloaded: no sign of progress for 2 s', installed: false });
      expect(Date.now() - started).toBeLessThan(8000);
      server.closeAllConnections();
    });
  });
});
