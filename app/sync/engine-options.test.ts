// What follows from the engine's options alone: the identity hash acknowledged values belong
// to, and the first cycle's splay.
import { describe, expect, it } from 'vitest';
import { identityHash, scheduleSettings, startSplay } from './engine-options.ts';
import type { SyncIdentity } from './ports.ts';
import { engineOptions } from '../../test/support/engine-model.ts';

describe('identityHash: another server, credentials, device or license → another hash', () => {
  const base: SyncIdentity = { product: 'demo', hardwareId: 'hw-1', licenseKey: 'AAAA-BBBB' };
  const hash = identityHash(base, 'https://a', 'tag');
  it.each([
    ['product', identityHash({ ...base, product: 'other' }, 'https://a', 'tag')],
    ['hardware id', identityHash({ ...base, hardwareId: 'hw-2' }, 'https://a', 'tag')],
    ['license key', identityHash({ ...base, licenseKey: 'CCCC' }, 'https://a', 'tag')],
    ['username', identityHash({ ...base, username: 'u' }, 'https://a', 'tag')],
    ['license id', identityHash({ ...base, licenseId: 7 } as SyncIdentity, 'https://a', 'tag')],
    ['server', identityHash(base, 'https://b', 'tag')],
    ['no server given', identityHash(base, undefined, 'tag')],
    ['credentials', identityHash(base, 'https://a', 'tag-2')],
    ['no credentials tag', identityHash(base, 'https://a')],
  ])('%s', (_, other) => {
    expect(other).not.toBe(hash);
  });

  // Pinned (computed with main's engine.ts before the split): a change of this function makes
  // every installed agent treat its acknowledged values as another identity's and re-send them all.
  it('the hash of persisted states is unchanged', () => {
    expect(identityHash(base)).toBe('0e863bdddb83358412518a0dc706c23c1fea974ca5851a342d38cdaf52931101');
    expect(hash).toBe('9ef72ddad465acfb4d639867017bd90a429d810da5539d3b19624f0f770ddb4f');
  });

  it('the same identity → the same hash, with no key in clear', () => {
    expect(identityHash({ ...base }, 'https://a', 'tag')).toBe(hash);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(identityHash({ ...base, username: 'u' })).not.toBe(identityHash({ ...base, username: 'v' }));
    expect(identityHash({ ...base, licenseId: 1 })).not.toBe(identityHash({ ...base, licenseId: 2 }));
  });
});

describe('startSplay and scheduleSettings', () => {
  it('the short splay only when set', () => {
    expect(startSplay(engineOptions())).toStrictEqual({ intervalMs: 900_000 });
    expect(startSplay(engineOptions({ shortSplayMs: 5 }))).toStrictEqual({ intervalMs: 900_000, shortMs: 5 });
  });

  it('defaults: 10 % jitter, a 1 h backoff cap, a 6 h parked probe', () => {
    expect(scheduleSettings(engineOptions())).toStrictEqual({ intervalMs: 900_000, jitter: 0.1, backoff: { capMs: 3_600_000, floorMs: 1_000 }, parkedProbeMs: 21_600_000 });
    expect(scheduleSettings(engineOptions({ jitter: 0, backoff: { capMs: 5 }, parkedProbeMs: 7 }))).toStrictEqual({ intervalMs: 900_000, jitter: 0, backoff: { capMs: 5, floorMs: 1_000 }, parkedProbeMs: 7 });
  });
});
