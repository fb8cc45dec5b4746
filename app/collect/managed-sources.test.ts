// The managed file's variable sources on real programs and files: what each gives,
// that a command runs only at its interval, without a shell, within its timeout
// (its children killed too) and output bound, without the agent's secrets; that
// commands are off unless allowed; and that registry/defaults sources say they do
// not exist on Linux while the commands they would run on Windows/macOS are right.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawConfigSchema } from '../config/schema.ts';
import type { VariableSourceSpec } from '../config/variable-sources.ts';
import { createManagedSources, parseRegQuery, platformCommand, textValue } from './managed-sources.ts';
import { commandEnv, runBounded, type RunBounded } from './run-bounded.ts';
import { startSpawnCounter } from '../../test/support/spawn-counter.ts';

/** Whether a process runs (a zombie waiting for a reaper that never comes, in a container, has stopped). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) [ZX]/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'da-sources-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Specs as the managed file gives them (through the real schema). */
function specs(raw: Record<string, unknown>): Record<string, VariableSourceSpec> {
  return rawConfigSchema.parse({ variableSources: raw }).variableSources;
}

describe('environment and file sources', () => {
  it('an environment variable gives its value; an unset one is reported', async () => {
    const sources = createManagedSources({ specs: specs({ edition: { env: 'ACME_EDITION' }, missing: { env: 'ACME_NOPE' } }), allowCommands: false, env: { ACME_EDITION: ' pro ' } });
    const { values, views } = await sources.read();
    expect(values).toEqual({ edition: 'pro' });
    expect(views).toEqual([
      { source: 'edition', scope: 'managed file', origin: 'environment variable ACME_EDITION', state: 'ok', variables: 1 },
      { source: 'missing', scope: 'managed file', origin: 'environment variable ACME_NOPE', state: 'skipped', variables: 0, problem: 'the environment variable ACME_NOPE is not set for the agent' },
    ]);
  });

  it('a file gives its one line; it is read again only when it changed', async () => {
    const path = join(dir, 'channel.txt');
    writeFileSync(path, 'stable\n');
    const sources = createManagedSources({ specs: specs({ channel: { file: path } }), allowCommands: false });
    expect((await sources.read()).values).toEqual({ channel: 'stable' });
    writeFileSync(path, 'beta\n');
    expect((await sources.read()).values).toEqual({ channel: 'beta' });
  });

  it.each([
    ['two lines', 'a\nb\n', 'gave more than one line (a value is one line)'],
    ['nothing but spaces', '  \n', 'gave an empty value'],
    ['257 characters', `${'x'.repeat(257)}\n`, 'the value must be at most 256 characters (got 257)'],
    ['a control character', 'a\u0007b', 'the value must not contain control characters'],
  ])('a file with %s is reported and left out', async (_label, content, problem) => {
    const path = join(dir, `bad-${_label.replace(/\W/g, '')}.txt`);
    writeFileSync(path, content);
    const { values, views } = await createManagedSources({ specs: specs({ v: { file: path } }), allowCommands: false }).read();
    expect(values).toEqual({});
    expect(views[0]).toMatchObject({ state: 'skipped', problem });
  });

  it('a file over 4 KiB, a missing file and /dev/zero are reported without hanging', async () => {
    const big = join(dir, 'big.txt');
    writeFileSync(big, 'x'.repeat(5000));
    const { views } = await createManagedSources({ specs: specs({ big: { file: big }, gone: { file: join(dir, 'nope.txt') }, zero: { file: '/dev/zero' } }), allowCommands: false }).read();
    expect(views.map((v) => v.problem)).toEqual(['is larger than 4 KiB (the limit for this file)', 'file not found', 'is larger than 4 KiB (the limit for this file)']);
  });

  it('an unchanged file is not read again (its content changed behind the same size and times stays unseen only until ctime tells)', async () => {
    const path = join(dir, 'steady.txt');
    writeFileSync(path, 'one');
    const sources = createManagedSources({ specs: specs({ v: { file: path } }), allowCommands: false });
    expect((await sources.read()).values.v).toBe('one');
    const { atime, mtime } = statSync(path);
    writeFileSync(path, 'two');
    utimesSync(path, atime, mtime);
    expect((await sources.read()).values.v).toBe('two');
  });
});

describe('command sources', () => {
  it('are off unless the managed file also allows commands: nothing runs', async () => {
    const marker = join(dir, 'ran-off');
    const counter = startSpawnCounter();
    try {
      const { values, views } = await createManagedSources({ specs: specs({ v: { command: ['/usr/bin/touch', marker] } }), allowCommands: false }).read();
      expect(values).toEqual({});
      expect(views[0]).toMatchObject({ state: 'off', problem: 'the managed file does not allow commands (it must also say "allowCommandSources": true)' });
      expect(counter.count()).toBe(0);
    } finally {
      counter.stop();
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('run with no shell: $(…), ;, | and quotes are characters of an argument', async () => {
    const marker = join(dir, 'injected');
    const argv = ['/bin/echo', `$(touch ${marker})`, ';', 'touch', marker, '|', `'x'`];
    const { values } = await createManagedSources({ specs: specs({ v: { command: argv } }), allowCommands: true }).read();
    expect(values.v).toBe(`$(touch ${marker}) ; touch ${marker} | 'x'`);
    expect(existsSync(marker)).toBe(false);
  });

  it('run at their interval only: one process over many cycles, another once the interval passed', async () => {
    let now = 1_000_000;
    const counter = startSpawnCounter();
    try {
      const sources = createManagedSources({ specs: specs({ v: { command: ['/bin/echo', '7'], interval: '30m' } }), allowCommands: true, now: () => now });
      for (let cycle = 0; cycle < 10; cycle++) {
        expect((await sources.read()).values.v).toBe('7');
        now += 60_000; // a cycle a minute
      }
      expect(counter.count()).toBe(1);
      now += 21 * 60_000;
      const { views } = await sources.read();
      expect(counter.count()).toBe(2);
      expect(views[0]).toMatchObject({ state: 'ok', variables: 1, lastRunAt: now });
    } finally {
      counter.stop();
    }
  });

  it('a command that outlives its timeout is killed with what it started; the variable is left out', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const started = Date.now();
    const { values, views } = await createManagedSources({
      specs: specs({ v: { command: ['/bin/sh', '-c', `sleep 30 & echo $! > ${pidFile}; wait`], timeout: '300ms' } }), allowCommands: true,
    }).read();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(values).toEqual({});
    expect(views[0]).toMatchObject({ state: 'skipped', problem: 'did not finish within 0.3 s and was stopped' });
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 100));
    expect(running(grandchild)).toBe(false); // the whole group went
  });

  it('a command that leaves a process of its own session holding its output ends with the command, not with that process', async () => {
    const pidFile = join(dir, 'daemon.pid');
    const started = Date.now();
    try {
      const { values } = await createManagedSources({
        specs: specs({ v: { command: ['/bin/sh', '-c', `setsid sleep 30 & echo $! > ${pidFile}; echo done`], timeout: '20s' } }), allowCommands: true,
      }).read();
      expect(values.v).toBe('done');
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      try { process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL'); } catch { /* gone */ }
    }
  });

  it('a command printing more than its bound is stopped at once', async () => {
    const started = Date.now();
    const { views } = await createManagedSources({ specs: specs({ v: { command: ['/usr/bin/yes'], maxOutputBytes: 1000 } }), allowCommands: true }).read();
    expect(views[0]).toMatchObject({ state: 'skipped', problem: 'printed more than 1000 bytes and was stopped' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a failing command is reported with its exit code and the first line it wrote to stderr (made printable)', async () => {
    const { views } = await createManagedSources({ specs: specs({ v: { command: ['/bin/sh', '-c', 'printf "\\033[2Jno licence here\\nmore\\n" >&2; exit 3'] }, w: { command: ['/nonexistent/tool'] } }), allowCommands: true }).read();
    expect(views.map((v) => v.problem)).toEqual(['exited with code 3: \\u001b[2Jno licence here', 'could not be started (ENOENT)']);
  });

  it('never sees the agent\'s own settings in its environment (they may hold secrets)', async () => {
    const env = commandEnv({ PATH: '/usr/bin:/bin', DEVICE_AGENT_SHARED_KEY: 'SECRET-PART', device_agent_client_secret: 'SECRET-2', ACME: 'kept' });
    expect(env).toEqual({ PATH: '/usr/bin:/bin', ACME: 'kept' });
    process.env.DEVICE_AGENT_TEST_ONLY_SECRET = 'SECRET-PART';
    try {
      const result = await runBounded(['/bin/sh', '-c', 'echo "${DEVICE_AGENT_TEST_ONLY_SECRET:-absent}"'], { timeoutMs: 5000, maxOutputBytes: 100 });
      expect(result).toEqual({ ok: true, stdout: 'absent\n' });
    } finally {
      delete process.env.DEVICE_AGENT_TEST_ONLY_SECRET;
    }
  });
});

describe('registry and defaults sources', () => {
  it('say on Linux that they exist only on Windows / macOS, and start nothing', async () => {
    const counter = startSpawnCounter();
    try {
      const { values, views } = await createManagedSources({
        specs: specs({ version: { registry: 'HKLM\\SOFTWARE\\Acme\\Product', value: 'Version' }, build: { defaults: 'com.acme.product', key: 'Build' } }),
        allowCommands: true, platform: 'linux',
      }).read();
      expect(values).toEqual({});
      expect(views.map((v) => [v.state, v.problem])).toEqual([
        ['off', 'registry values exist only on Windows (this is linux)'],
        ['off', 'defaults keys exist only on macOS (this is linux)'],
      ]);
      expect(counter.count()).toBe(0);
    } finally {
      counter.stop();
    }
  });

  it('run reg.exe from System32 on Windows and /usr/bin/defaults on macOS, as argv (no shell), even without allowCommandSources', async () => {
    const [registry, defaultKey, plist] = Object.values(specs({
      a: { registry: 'HKLM\\SOFTWARE\\Acme Corp\\Product', value: 'Display Version' },
      b: { registry: 'HKCU\\Software\\Acme', value: '' },
      c: { defaults: '/Library/Preferences/com.acme.product', key: 'Build' },
    })) as [VariableSourceSpec, VariableSourceSpec, VariableSourceSpec];
    expect(platformCommand(registry, 'win32', { SystemRoot: 'D:\\Win' })).toMatchObject({ argv: ['D:\\Win\\System32\\reg.exe', 'query', 'HKLM\\SOFTWARE\\Acme Corp\\Product', '/v', 'Display Version'] });
    expect(platformCommand(defaultKey, 'win32', {})).toMatchObject({ argv: ['C:\\Windows\\System32\\reg.exe', 'query', 'HKCU\\Software\\Acme', '/ve'] });
    expect(platformCommand(plist, 'darwin')).toMatchObject({ argv: ['/usr/bin/defaults', 'read', '/Library/Preferences/com.acme.product', 'Build'] });
    expect(platformCommand(plist, 'win32')).toEqual({ unavailable: 'defaults keys exist only on macOS (this is win32)' });
    // On Windows the source runs through the same bounded runner (here a recording one), at its interval, without allowCommandSources.
    const calls: (readonly string[])[] = [];
    const run: RunBounded = async (argv) => {
      calls.push(argv);
      return { ok: true, stdout: '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Acme Corp\\Product\r\n    Display Version    REG_SZ    4.2.1\r\n\r\n' };
    };
    const { values } = await createManagedSources({ specs: { version: registry }, allowCommands: false, platform: 'win32', env: { SystemRoot: 'C:\\Windows' }, run }).read();
    expect(values).toEqual({ version: '4.2.1' });
    expect(calls).toHaveLength(1);
  });

  it('reads reg.exe\'s output: strings as they are, DWORD/QWORD as decimal, the default value, and says when the value is not there', () => {
    const out = '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Acme\r\n    (Default)    REG_SZ    base\r\n    Seats    REG_DWORD    0x19\r\n    Big    REG_QWORD    0x100000000\r\n    Empty    REG_SZ\r\n';
    expect(parseRegQuery(out, 'Seats')).toBe('25');
    expect(parseRegQuery(out, 'big')).toBe('4294967296');
    expect(parseRegQuery(out, '')).toBe('base');
    expect(parseRegQuery(out, 'Empty')).toBe('');
    expect(() => parseRegQuery(out, 'Edition')).toThrow('the output names no value Edition');
  });

  it('textValue: one trimmed line, a BOM dropped', () => {
    expect(textValue('\uFEFF 4.2.1 \r\n')).toEqual({ value: '4.2.1' });
  });
});
