// The generated icons are well-formed and complete (tools/make-icons.ts).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { deflateSync } from 'node:zlib';
import { crc32, decodePng, encodeIco, encodePng, resample, TRAY_ICONS } from '../../tools/make-icons.ts';
import { trayIconFile } from '../../main/tray-state.ts';

const build = join(import.meta.dirname, '..', '..', 'build');

function parsePng(buf: Buffer): { width: number; height: number; pixels: Buffer } {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let at = 8;
  let width = 0, height = 0;
  const idat: Buffer[] = [];
  while (at < buf.length) {
    const len = buf.readUInt32BE(at);
    const type = buf.toString('ascii', at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + len);
    expect(buf.readUInt32BE(at + 8 + len)).toBe(crc32(buf.subarray(at + 4, at + 8 + len)));
    if (type === 'IHDR') { width = data.readUInt32BE(0); height = data.readUInt32BE(4); }
    if (type === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  return { width, height, pixels: inflateSync(Buffer.concat(idat)) };
}


/** An RGB PNG whose rows use PNG filter `filter` (what other tools write; our encoder writes filter 0 only). */
function filteredRgbPng(width: number, height: number, rgb: Uint8Array, filter: number): Buffer {
  const stride = width * 3, bpp = 3;
  const raw = Buffer.alloc((stride + 1) * height);
  const at = (x: number, y: number) => (x < 0 || y < 0 ? 0 : rgb[y * stride + x] as number);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = filter;
    for (let x = 0; x < stride; x++) {
      const v = at(x, y), a = at(x - bpp, y), b = at(x, y - 1), c = at(x - bpp, y - 1);
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter] as number;
      raw[y * (stride + 1) + 1 + x] = (v - pred) & 0xff;
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4); ihdr[8] = 8; ihdr[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

describe('icons', () => {
  it('encodes a PNG that decodes back to its pixels', () => {
    const rgba = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 1, 2, 3, 4]);
    const { width, height, pixels } = parsePng(encodePng(2, 2, rgba));
    expect([width, height]).toEqual([2, 2]);
    expect([...pixels]).toEqual([0, ...rgba.slice(0, 8), 0, ...rgba.slice(8)]);
  });

  it('decodes the icon source whatever row filters it was saved with, and resamples by area', () => {
    const rgb = Uint8Array.from({ length: 5 * 4 * 3 }, (_, i) => (i * 37 + 11) & 0xff);
    for (const filter of [0, 1, 2, 3, 4]) {
      const { width, height, rgba } = decodePng(filteredRgbPng(5, 4, rgb, filter));
      expect([width, height]).toEqual([5, 4]);
      expect([...rgba].filter((_, i) => i % 4 !== 3)).toEqual([...rgb]);
    }
    // 2×2 → 1×1: the mean, with transparent pixels not darkening it.
    expect([...resample({ width: 2, height: 2, rgba: new Uint8Array([200, 0, 0, 255, 100, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0]) }, 1)]).toEqual([150, 0, 0, 128]);
  });

  it('has a tray image for every state on every OS, at the sizes each expects', async () => {
    for (const icon of TRAY_ICONS) {
      for (const platform of ['linux', 'darwin', 'win32'] as const) {
        const file = await readFile(join(build, 'icons', 'tray', trayIconFile(icon, platform)));
        if (platform === 'win32') {
          expect(file.readUInt16LE(2)).toBe(1);
          expect(file.readUInt16LE(4)).toBe(4);
        } else {
          const png = parsePng(file);
          expect(png.width).toBe(platform === 'darwin' ? 16 : 22);
        }
      }
      // macOS template images are black + alpha only.
      const { pixels } = parsePng(await readFile(join(build, 'icons', 'tray', `tray-${icon}Template@2x.png`)));
      for (let row = 0; row < 32; row++) for (let x = 0; x < 32; x++) {
        const i = row * (32 * 4 + 1) + 1 + x * 4;
        expect(pixels[i]! + pixels[i + 1]! + pixels[i + 2]!).toBe(0);
      }
    }
  });

  it('has the app icon as a 1024 px PNG and a multi-size .ico', async () => {
    expect(parsePng(await readFile(join(build, 'icon.png'))).width).toBe(1024);
    const ico = await readFile(join(build, 'icon.ico'));
    expect(ico.readUInt16LE(4)).toBe(7);
    expect(ico[6 + 16 * 6]).toBe(0); // the 256 px entry is written as 0
    const one = encodeIco([{ size: 16, png: encodePng(1, 1, new Uint8Array(4)) }]);
    expect(one.readUInt32LE(6 + 12)).toBe(22);
  });
});
