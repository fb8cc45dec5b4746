import { describe, expect, it } from 'vitest';
import { installAttemptOutcome, offerVerdict, pinAllows, updatesOffReason, type CheckResult } from './update-decisions.ts';
import { backoffWait, drawBetween } from './update-timing.ts';
import type { InstallContext } from './update-install.ts';

const install: InstallContext = { platform: 'linux', execPath: '/tmp/.mount_x/device-agent', appImage: '/home/a/Apps/Device-Agent-1.0.0.AppImage', canWriteIn: () => true };
const offer = (version: string, isUpdateAvailable = true) => ({ isUpdateAvailable, updateInfo: { version, files: [] } }) as unknown as CheckResult;
const build = { isPackaged: true, platform: 'linux' as const, hasDevUpdateConfig: () => false };

describe('whether updates are on', () => {
  it('says why they are off: a broken managed file, IT, a development build, an unsigned Windows build', () => {
    expect(updatesOffReason({ state: 'broken', path: '/etc/x.json' }, build)).toMatch(/\/etc\/x\.json\) is fixed/);
    expect(updatesOffReason({ state: 'ok', policy: { enabled: false } }, build)).toMatch(/administrator/);
    expect(updatesOffReason({ state: 'ok', policy: { enabled: true } }, { ...build, isPackaged: false })).toMatch(/development build/);
    expect(updatesOffReason({ state: 'ok', policy: { enabled: true } }, { ...build, isPackaged: false, hasDevUpdateConfig: () => true })).toBeUndefined();
    expect(updatesOffReason({ state: 'ok', policy: { enabled: true } }, { ...build, platform: 'win32', hasPublisherName: () => false })).toMatch(/not code-signed/);
    expect(updatesOffReason({ state: 'ok', policy: { enabled: true } }, { ...build, platform: 'win32', hasPublisherName: () => true })).toBeUndefined();
  });

  it('a pin allows its own version and below', () => {
    expect(pinAllows('1.2.0', { enabled: true, pin: '1.2.0' })).toBe(true);
    expect(pinAllows('1.2.1', { enabled: true, pin: '1.2.0' })).toBe(false);
    expect(pinAllows('9.0.0', { enabled: true })).toBe(true);
  });
});

describe('what a check answered', () => {
  const ctx = { install, stagedOut: undefined, updatedFrom: '' };
  it('downloads a newer version the pin allows and this account can install', () => {
    expect(offerVerdict(offer('1.1.0'), { enabled: true }, ctx)).toEqual({ download: '1.1.0' });
  });
  it('holds a version past the pin and withdraws a ready one', () => {
    expect(offerVerdict(offer('2.0.0'), { enabled: true, pin: '1.5.0' }, ctx)).toEqual({
      withdraw: 'it is past the pinned 1.5.0',
      view: { state: 'held', version: '2.0.0', summary: 'Version 2.0.0 is available; your administrator keeps this computer at 1.5.0 or lower.' },
    });
  });
  it('up to date, naming a staged rollout that has not reached this computer', () => {
    const v = offerVerdict(offer('1.0.0', false), { enabled: true }, { ...ctx, stagedOut: '1.3.0' });
    expect(v).toMatchObject({ withdraw: 'the update server offers 1.0.0 now', view: { state: 'idle' } });
    expect('view' in v && v.view.summary).toMatch(/^Up to date\. Version 1\.3\.0 is being rolled out in stages/);
  });
  it('available but not installable by this account; off when electron-updater declines', () => {
    expect(offerVerdict(offer('1.1.0'), { enabled: true }, { ...ctx, install: { ...install, canWriteIn: () => false } })).toMatchObject({ view: { state: 'available', version: '1.1.0' } });
    expect(offerVerdict(null, { enabled: true }, ctx)).toMatchObject({ view: { state: 'off' } });
  });
});

describe('the last start\'s install attempt', () => {
  it('happened, did not, or belongs to another version; anything else is ignored', () => {
    const a = { version: '1.1.0', from: '1.0.0', at: 1 };
    expect(installAttemptOutcome(a, '1.1.0')?.kind).toBe('updated');
    expect(installAttemptOutcome(a, '1.0.0')?.kind).toBe('failed');
    expect(installAttemptOutcome(a, '0.9.0')?.kind).toBe('stale');
    expect(installAttemptOutcome({ version: 1 }, '1.0.0')).toBeUndefined();
    expect(installAttemptOutcome('x', '1.0.0')).toBeUndefined();
  });
});

describe('update waits', () => {
  it('draws within the range and backs off over [w, 2w] up to the cap', () => {
    expect(drawBetween([10, 20], () => 0)).toBe(10);
    expect(drawBetween([10, 20], () => 0.9999)).toBe(20);
    expect(backoffWait(100, 1, () => 0)).toBe(100);
    expect(backoffWait(100, 3, () => 1)).toBe(800);
    expect(backoffWait(100, 10, () => 0, 500)).toBe(500);
  });
});
