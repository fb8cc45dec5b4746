// What Electron accepts as an image path on Linux: NativeImage::CreateFromPath
// decodes PNG or JPEG only; anything else (a missing file, an .ico, a broken
// PNG) is an empty image, which Tray and setIcon refuse with
// "Failed to load image from path '<path>'" (shell/common/api/electron_api_native_image.cc).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height of a decodable PNG/JPEG at `path`, or undefined (an empty image). */
export function imageSize(path: string): { width: number; height: number } | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(resolve(path));
  } catch {
    return undefined;
  }
  if (bytes.length > 24 && bytes.subarray(0, 8).equals(PNG) && bytes.subarray(12, 16).toString('latin1') === 'IHDR') {
    const width = bytes.readUInt32BE(16);
    const height = bytes.readUInt32BE(20);
    return width > 0 && height > 0 ? { width, height } : undefined;
  }
  if (bytes.length > 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    // Walk the JPEG segments to the frame header.
    let i = 2;
    while (i + 9 < bytes.length) {
      if (bytes[i] !== 0xff) return undefined;
      const marker = bytes[i + 1] as number;
      const length = bytes.readUInt16BE(i + 2);
      if (marker >= 0xc0 && marker <= 0xc3) {
        const height = bytes.readUInt16BE(i + 5);
        const width = bytes.readUInt16BE(i + 7);
        return width > 0 && height > 0 ? { width, height } : undefined;
      }
      i += 2 + length;
    }
  }
  return undefined;
}

/** Throws Electron's error unless `image` is a path to an image Electron could load. */
export function requireImage(image: unknown): string {
  if (typeof image !== 'string') throw new Error('Argument must be a file path or a NativeImage');
  if (!imageSize(image)) throw new Error(`Failed to load image from path '${image}'`);
  return image;
}
