// The build refuses a branding file it cannot use, naming the file and what is wrong.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAcmeBranding } from '../test/branding/acme.ts';
import { brandingArg, loadBranding } from './branding-file.ts';
import { encodePng } from './make-icons.ts';

describe('loadBranding', () => {
  let dir = '';
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'da-branding-')); });
  afterAll(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  it('loads the default branding and a vendor\'s, with the icon decoded', async () => {
    const def = await loadBranding();
    expect([def.isDefault, def.branding.productName, def.icon.width]).toEqual([true, 'Device Agent', 1024]);
    const acme = await loadBranding(await writeAcmeBranding(join(dir, 'acme')));
    expect([acme.isDefault, acme.branding.executableName, acme.icon.width]).toEqual([false, 'acme-agent', 1024]);
    expect(acme.hash).not.toBe(def.hash);
  });

  it('names the file and the problem: missing, not JSON, a bad field, an unusable icon', async () => {
    await expect(loadBranding(join(dir, 'none.json'))).rejects.toThrow(/branding file .*none\.json cannot be read \(ENOENT\)/);
    await writeFile(join(dir, 'broken.json'), '{ "productName": ');
    await expect(loadBranding(join(dir, 'broken.json'))).rejects.toThrow(/broken\.json is not valid JSON/);
    const file = await writeAcmeBranding(join(dir, 'bad'));
    const acme = JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile(file, 'utf8'))) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...acme, appId: 'acme' }));
    await expect(loadBranding(file)).rejects.toThrow(/appId must be a reverse-DNS id/);
    await writeFile(file, JSON.stringify({ ...acme, icon: 'missing.png' }));
    await expect(loadBranding(file)).rejects.toThrow(/icon missing\.png cannot be read \(ENOENT\)/);
    await writeFile(join(dir, 'bad', 'wide.png'), encodePng(600, 512, new Uint8Array(600 * 512 * 4)));
    await writeFile(file, JSON.stringify({ ...acme, icon: 'wide.png' }));
    await expect(loadBranding(file)).rejects.toThrow(/icon wide\.png: is 600×512; the icon must be square/);
    await writeFile(join(dir, 'bad', 'small.png'), encodePng(64, 64, new Uint8Array(64 * 64 * 4)));
    await writeFile(file, JSON.stringify({ ...acme, icon: 'small.png' }));
    await expect(loadBranding(file)).rejects.toThrow(/at least 512×512/);
    await writeFile(join(dir, 'bad', 'text.png'), 'not a png');
    await writeFile(file, JSON.stringify({ ...acme, icon: 'text.png' }));
    await expect(loadBranding(file)).rejects.toThrow(/icon text\.png: is not a PNG file/);
  });

  it('reads --branding from the command line', () => {
    expect(brandingArg(['--stand-in', '--branding', 'a.json'])).toBe('a.json');
    expect(brandingArg(['--branding=b.json'])).toBe('b.json');
    expect(brandingArg([])).toBeUndefined();
    expect(() => brandingArg(['--branding'])).toThrow(/needs a file/);
  });
});
