import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/load.ts';
import { prepareStateDir } from './state-dir.ts';

const base = () => mkdtempSync(join(tmpdir(), 'da-statedir-'));

function problemOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems[0]!.field).toBe('stateDir');
    return (error as ConfigError).problems[0]!.message;
  }
  throw new Error('expected a ConfigError');
}

describe('prepareStateDir', () => {
  it('creates a missing folder (and its parents) private, with nothing to say', () => {
    const dir = join(base(), 'a', 'b');
    expect(prepareStateDir(dir)).toEqual([]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(prepareStateDir(dir)).toEqual([]);
  });

  it('a file where the folder should be, or inside its path, is a configuration error naming it', () => {
    const file = join(base(), 'state');
    writeFileSync(file, 'x');
    expect(problemOf(() => prepareStateDir(file))).toBe(`${file} is a file, not a directory`);
    expect(problemOf(() => prepareStateDir(join(file, 'inner')))).toBe(`${join(file, 'inner')} is inside a file, not a directory`);
  });

  it('warns about a folder every user may write, not about a private or a group one', () => {
    const dir = join(base(), 'open');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    expect(prepareStateDir(dir)).toEqual([`The state directory ${dir} is writable by every user: anyone on this machine could plant files the agent reads. Give the agent a private one (chmod 700, or --state-dir).`]);
    chmodSync(dir, 0o770);
    expect(prepareStateDir(dir)).toEqual([]);
  });
});

describe('prepareStateDir where the folder cannot be made', () => {
  it('a dangling link at the path is not an error here: nothing is created through it, and the store and lock then say they cannot write', async () => {
    const { existsSync, symlinkSync } = await import('node:fs');
    const root = base();
    const link = join(root, 'state');
    symlinkSync(join(root, 'gone', 'target'), link);
    expect(prepareStateDir(link)).toEqual([]);
    expect(existsSync(join(root, 'gone'))).toBe(false);
  });
});
