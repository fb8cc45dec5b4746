// PNG and ICO in pure Node over node:zlib: an RGBA PNG writer, a decoder for the 8-bit
// PNGs an icon source may be, a Windows .ico of PNG images, and an area-averaging
// resampler. Used by tools/make-icons.ts (and the tests that check its output).
import { deflateSync, inflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** An RGBA PNG (colour type 6, 8 bits, no interlace). */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new Error('pixel buffer does not match the size');
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** A Windows .ico holding PNG images (Vista+ format). */
export function encodeIco(images: readonly { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  const entries: Buffer[] = [];
  let offset = 6 + 16 * images.length;
  for (const { size, png } of images) {
    const e = Buffer.alloc(16);
    e[0] = size >= 256 ? 0 : size;
    e[1] = size >= 256 ? 0 : size;
    e[2] = 0; e[3] = 0;
    e.writeUInt16LE(1, 4);
    e.writeUInt16LE(32, 6);
    e.writeUInt32LE(png.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += png.length;
    entries.push(e);
  }
  return Buffer.concat([header, ...entries, ...images.map((i) => i.png)]);
}

export interface Image { width: number; height: number; rgba: Uint8Array }

/** Decodes an 8-bit, non-interlaced PNG (grey, grey+alpha, RGB, RGBA or palette) to RGBA; the error says what is wrong. */
export function decodePng(buf: Buffer, name = 'icon'): Image {
  const fail = (why: string): never => { throw new Error(`${name}: ${why}`); };
  if (buf.length < 8 || !buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) fail('is not a PNG file');
  let at = 8;
  let width = 0, height = 0, depth = 0, type = -1, interlace = 0;
  let palette: Buffer | undefined;
  let trns: Buffer | undefined;
  const idat: Buffer[] = [];
  while (at + 12 <= buf.length) {
    const len = buf.readUInt32BE(at);
    const kind = buf.toString('ascii', at + 4, at + 8);
    if (at + 12 + len > buf.length) fail('is truncated');
    const data = buf.subarray(at + 8, at + 8 + len);
    if (buf.readUInt32BE(at + 8 + len) !== crc32(buf.subarray(at + 4, at + 8 + len))) fail(`has a damaged ${kind} chunk (CRC mismatch)`);
    if (kind === 'IHDR') { width = data.readUInt32BE(0); height = data.readUInt32BE(4); depth = data[8] ?? 0; type = data[9] ?? -1; interlace = data[12] ?? 0; }
    else if (kind === 'PLTE') palette = Buffer.from(data);
    else if (kind === 'tRNS') trns = Buffer.from(data);
    else if (kind === 'IDAT') idat.push(Buffer.from(data));
    else if (kind === 'IEND') break;
    at += 12 + len;
  }
  if (width === 0 || height === 0) fail('has no image header');
  if (width > 4096 || height > 4096) fail(`is ${width}×${height}; at most 4096 px a side`);
  if (depth !== 8) fail(`has ${depth}-bit channels; save it as an 8-bit PNG`);
  if (interlace !== 0) fail('is interlaced; save it without interlacing');
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[type] ?? fail(`has an unknown colour type ${type}`);
  if (type === 3 && !palette) fail('has a palette colour type but no palette');
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  if (raw.length < (stride + 1) * height) fail('has too little image data');
  const px = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x] as number;
      const a = x >= channels ? px[y * stride + x - channels] as number : 0;
      const b = y > 0 ? px[(y - 1) * stride + x] as number : 0;
      const c = x >= channels && y > 0 ? px[(y - 1) * stride + x - channels] as number : 0;
      let out: number;
      switch (filter) {
        case 0: out = v; break;
        case 1: out = v + a; break;
        case 2: out = v + b; break;
        case 3: out = v + ((a + b) >> 1); break;
        case 4: {
          const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
          out = v + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default: return fail(`has an unknown row filter ${filter}`);
      }
      px[y * stride + x] = out & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const s = px.subarray(i * channels, i * channels + channels);
    let r: number, g: number, b: number, al = 255;
    if (type === 3) {
      const idx = s[0] as number;
      r = palette![idx * 3] ?? 0; g = palette![idx * 3 + 1] ?? 0; b = palette![idx * 3 + 2] ?? 0;
      al = trns && idx < trns.length ? trns[idx] as number : 255;
    } else if (channels <= 2) {
      r = g = b = s[0] as number;
      if (channels === 2) al = s[1] as number;
    } else {
      r = s[0] as number; g = s[1] as number; b = s[2] as number;
      if (channels === 4) al = s[3] as number;
    }
    rgba.set([r, g, b, al], i * 4);
  }
  return { width, height, rgba };
}

/** Area-averaged resampling to size × size, in premultiplied alpha (no dark fringes at transparent edges). */
export function resample(src: Image, size: number): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const sx = src.width / size, sy = src.height / size;
  for (let y = 0; y < size; y++) {
    const y0 = y * sy, y1 = (y + 1) * sy;
    for (let x = 0; x < size; x++) {
      const x0 = x * sx, x1 = (x + 1) * sx;
      let r = 0, g = 0, b = 0, a = 0, w = 0;
      for (let j = Math.floor(y0); j < Math.ceil(y1); j++) {
        const wy = Math.min(j + 1, y1) - Math.max(j, y0);
        for (let i = Math.floor(x0); i < Math.ceil(x1); i++) {
          const wx = Math.min(i + 1, x1) - Math.max(i, x0);
          const k = (j * src.width + i) * 4, al = (src.rgba[k + 3] as number) / 255, ww = wx * wy;
          r += (src.rgba[k] as number) * al * ww; g += (src.rgba[k + 1] as number) * al * ww; b += (src.rgba[k + 2] as number) * al * ww;
          a += al * ww; w += ww;
        }
      }
      const o = (y * size + x) * 4;
      if (a > 0) { out[o] = Math.round(r / a); out[o + 1] = Math.round(g / a); out[o + 2] = Math.round(b / a); }
      out[o + 3] = Math.round((a / w) * 255);
    }
  }
  return out;
}
