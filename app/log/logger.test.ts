import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readFile, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from './logger.ts';
import { REDACTED, redactValue } from './redact.ts';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'da-log-'));
}

async function lines(file: string): Promise<Array<Record<string, unknown>>> {
  const text = await readFile(file, 'utf8');
  return text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('createLogger', () => {
  it('writes one JSON object per line with time, level, msg and fields', async () => {
    const file = join(await tempDir(), 'agent.log');
    const log = createLogger({ level: 'debug', file, now: () => Date.UTC(2026, 0, 2, 3, 4, 5) });
    log.info('sync done', { sent: 3 });
    log.child({ cycle: 7 }).warn('slow', { ms: 12 });
    const records = await lines(file);
    expect(records).toEqual([
      { time: '2026-01-02T03:04:05.000Z', level: 'info', msg: 'sync done', fields: { sent: 3 } },
      { time: '2026-01-02T03:04:05.000Z', level: 'warn', msg: 'slow', fields: { cycle: 7, ms: 12 } },
    ]);
  });

  it('drops records below the configured level', async () => {
    const file = join(await tempDir(), 'agent.log');
    const log = createLogger({ level: 'warn', file });
    log.debug('d'); log.info('i'); log.warn('w'); log.error('e');
    expect((await lines(file)).map((r) => r.level)).toEqual(['warn', 'error']);
  });

  it('rotates by size into file.1 … file.N and keeps at most N old files', async () => {
    const dir = await tempDir();
    const file = join(dir, 'agent.log');
    const log = createLogger({ level: 'info', file, maxBytes: 300, maxFiles: 2 });
    for (let i = 0; i < 40; i++) log.info(`message number ${i}`, { i });
    const names = (await readdir(dir)).sort();
    expect(names).toEqual(['agent.log', 'agent.log.1', 'agent.log.2']);
    for (const name of names) {
      const text = await readFile(join(dir, name), 'utf8');
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(300);
    }
    // The newest record is in the live file, the older ones in .1 then .2, in order.
    const live = await lines(file);
    expect(live.at(-1)?.msg).toBe('message number 39');
    const one = await lines(`${file}.1`);
    const two = await lines(`${file}.2`);
    const idx = (r: Record<string, unknown>) => (r.fields as { i: number }).i;
    expect(idx(two.at(-1)!)).toBeLessThan(idx(one[0]!));
    expect(idx(one.at(-1)!)).toBeLessThan(idx(live[0]!));
  });

  it('redacts secret-looking field names and registered secret values anywhere', async () => {
    const file = join(await tempDir(), 'agent.log');
    const shared = 'kw4qSnpSwXzgiv5yxYpZZmFEd9QAeiKTQ6OuyMja';
    const token = 'eyJhbGciOiJSUzI1NiJ9.tok.sig';
    const log = createLogger({ level: 'debug', file, secrets: () => [shared, token, undefined, 'ab'] });
    log.info(`signing with ${shared}`, {
      sharedKey: shared,
      apiKey: 'visible-only-by-name',
      Authorization: 'Bearer x',
      clientSecret: 'whatever',
      password: 'hunter2',
      nested: { deeper: [`prefix-${token}-suffix`] },
      error: new Error(`request failed for ${shared}`),
      product: 'demo',
    });
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(shared);
    expect(text).not.toContain(token);
    expect(text).not.toContain('visible-only-by-name');
    expect(text).not.toContain('hunter2');
    const [record] = await lines(file);
    expect(record?.msg).toBe(`signing with ${REDACTED}`);
    const fields = record?.fields as Record<string, unknown>;
    expect(fields.sharedKey).toBe(REDACTED);
    expect(fields.apiKey).toBe(REDACTED);
    expect(fields.Authorization).toBe(REDACTED);
    expect(fields.clientSecret).toBe(REDACTED);
    expect(fields.password).toBe(REDACTED);
    expect(fields.nested).toEqual({ deeper: [`prefix-${REDACTED}-suffix`] });
    expect(fields.error).toEqual({ name: 'Error', message: `request failed for ${REDACTED}` });
    expect(fields.product).toBe('demo');
  });

  it('never throws when the file cannot be written: drops lines with one warning', async () => {
    // Runs as root here, so chmod would not stop writes: a path below a regular FILE fails with ENOTDIR.
    const dir = await tempDir();
    await writeFile(join(dir, 'not-a-dir'), 'x');
    const warnings: string[] = [];
    const log = createLogger({ level: 'info', file: join(dir, 'not-a-dir', 'agent.log'), onDropped: (m) => warnings.push(m) });
    expect(() => { log.info('a'); log.info('b'); log.error('c'); }).not.toThrow();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/cannot write log file .*\((ENOTDIR|EEXIST)\)/);
  });

  it('makes the log private whatever the umask: folder 0700, file 0600', async () => {
    const dir = await tempDir();
    const file = join(dir, 'logs', 'agent.log');
    const old = process.umask(0);
    try {
      createLogger({ level: 'info', file }).info('private');
    } finally {
      process.umask(old);
    }
    expect((await stat(join(dir, 'logs'))).mode & 0o777).toBe(0o700);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('never appends through a symbolic link at the log path: the link is moved aside and a fresh file started', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'logs'));
    const victim = join(dir, 'victim.conf');
    await writeFile(victim, 'important\n');
    await symlink(victim, join(dir, 'logs', 'agent.log'));
    const warnings: string[] = [];
    createLogger({ level: 'info', file: join(dir, 'logs', 'agent.log'), onDropped: (m) => warnings.push(m) }).info('after the link');
    expect(await readFile(victim, 'utf8')).toBe('important\n');
    expect((await lstat(join(dir, 'logs', 'agent.log'))).isFile()).toBe(true);
    expect((await lines(join(dir, 'logs', 'agent.log')))[0]).toMatchObject({ msg: 'after the link' });
    expect(warnings.join()).toMatch(/was not a regular file .*moved it to .*agent\.log\.not-a-file-/);
    expect((await readdir(join(dir, 'logs'))).some((n) => n.startsWith('agent.log.not-a-file-'))).toBe(true);
  });

  it.skipIf(process.platform === 'win32')('does not hang on a FIFO at the log path', async () => {
    const dir = await tempDir();
    const file = join(dir, 'agent.log');
    execFileSync('mkfifo', [file]);
    const started = Date.now();
    createLogger({ level: 'info', file, onDropped: () => undefined }).info('no reader');
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await lstat(file)).isFile()).toBe(true);
  });

  it('survives cycles and odd values in fields', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(redactValue({ a, n: 10n, f: () => 1, d: new Date(0) }, [])).toEqual({
      a: { name: 'a', self: '[circular]' }, n: '10', f: undefined, d: '1970-01-01T00:00:00.000Z',
    });
  });
});
