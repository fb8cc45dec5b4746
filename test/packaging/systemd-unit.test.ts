// build/linux/device-agent.service, the unit the README installs: `systemd-analyze verify`
// must find nothing to say about it (it warns about what the README's old unit had:
// end-of-line comments, which systemd reads as part of the value), it must carry the
// hardening the README promises and an [Install] section, and its exposure score stays low.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const UNIT = join(ROOT, 'build', 'linux', 'device-agent.service');

function analyzer(): string | undefined {
  try {
    execFileSync('systemd-analyze', ['--version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'systemd-analyze is not installed here';
  }
}
const missing = analyzer();

/** The unit with its absolute paths moved under `root`, where the files it names exist (verify checks ExecStart=). */
async function installedCopy(text: string): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'da-unit-'));
  const moved = text.replaceAll('/opt/device-agent', join(root, 'opt/device-agent')).replaceAll('/etc/device-agent', join(root, 'etc/device-agent'));
  await mkdir(join(root, 'opt/device-agent/node24/bin'), { recursive: true });
  await mkdir(join(root, 'opt/device-agent/bin'), { recursive: true });
  await mkdir(join(root, 'etc/device-agent'), { recursive: true });
  await symlink(process.execPath, join(root, 'opt/device-agent/node24/bin/node'));
  await writeFile(join(root, 'opt/device-agent/bin/device-agent.js'), '');
  await writeFile(join(root, 'etc/device-agent/secrets.env'), '', { mode: 0o600 });
  const unit = join(root, 'device-agent.service');
  await writeFile(unit, moved);
  return unit;
}

describe('the systemd unit', () => {
  it('has no end-of-line comments (systemd would read them as part of the value)', async () => {
    const lines = (await readFile(UNIT, 'utf8')).split('\n');
    const offending = lines.filter((line) => /^[A-Za-z]+=.*\s[#;]/.test(line));
    expect(offending).toEqual([]);
  });

  it('is hardened as the README says, and can be enabled', async () => {
    const text = await readFile(UNIT, 'utf8');
    for (const directive of ['DynamicUser=yes', 'StateDirectory=device-agent', 'ProtectSystem=strict', 'NoNewPrivileges=yes', 'UMask=0077', 'EnvironmentFile=/etc/device-agent/secrets.env', 'ExecStart=/opt/device-agent/node24/bin/node /opt/device-agent/bin/device-agent.js run']) {
      expect(text.split('\n'), directive).toContain(directive);
    }
    expect(text).toMatch(/^\[Install\]\nWantedBy=multi-user\.target$/m);
  });

  it.skipIf(missing !== undefined)(`passes systemd-analyze verify without a word${missing ? ` (skipped: ${missing})` : ''}`, async () => {
    const unit = await installedCopy(await readFile(UNIT, 'utf8'));
    const result = spawnSync('systemd-analyze', ['verify', '--man=no', unit], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.skipIf(missing !== undefined)(`would be caught by the same check with an end-of-line comment${missing ? ` (skipped: ${missing})` : ''}`, async () => {
    const broken = (await readFile(UNIT, 'utf8')).replace('Environment=NODE_OPTIONS=--max-semi-space-size=1', 'Environment=NODE_OPTIONS=--max-semi-space-size=1   # optional: less memory');
    const result = spawnSync('systemd-analyze', ['verify', '--man=no', await installedCopy(broken)], { encoding: 'utf8' });
    expect(result.stderr).toMatch(/Invalid environment assignment, ignoring: #/);
  });

  it.skipIf(missing !== undefined)(`scores as a well-confined service in systemd-analyze security${missing ? ` (skipped: ${missing})` : ''}`, async () => {
    const unit = await installedCopy(await readFile(UNIT, 'utf8'));
    const result = spawnSync('systemd-analyze', ['security', '--offline=yes', unit], { encoding: 'utf8' });
    const score = /Overall exposure level for .*: (\d+\.\d+)/.exec(`${result.stdout}${result.stderr}`);
    expect(score, result.stdout + result.stderr).not.toBeNull();
    console.log(`systemd-analyze security: exposure ${score![1]} (0 = fully confined, 10 = unconfined; a plain unit scores ~9.6)`);
    expect(Number(score![1])).toBeLessThanOrEqual(4);
  });
});
