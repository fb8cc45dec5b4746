// A second branding, for tests only: "Acme Device Agent" with its own ids, folders,
// accent colour, icon, support contacts and server defaults. Written into a folder
// (branding.json + acme-icon.png) that a build is given with --branding.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Branding } from '../../app/branding/schema.ts';
import { encodePng } from '../../tools/make-icons.ts';

export const ACME_ACCENT = '#c2410c';

/** Acme's (made-up) response-signing key: fixed, so that every run's Acme branding is the same file (one cached build folder). */
export const ACME_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA5V+2V8q76ADARHUjVxUI
70xRrX3S0YIa1Td76jahGtOl6NoQkAfSjcIZQUnmrzrgYps+KaDtAGgK13vAwH0a
nXKLtqtRezBHDKqTD+839b/Y/rq3V8GROmvN/K+g6EqZRip03AVA6DKLjkni2jjz
KJCYy5TrC6uOv7EHzayr66V7K78co55In+fe+f+K6IQkaY3yCFKA1gheU+5ybqLw
OrahdMUaIkxab4h1lL/6eZMzoEPQjbQa/zerEQxAVQz9nWMV8sqVzwYrHGt0tNZI
IETtQy9aPObwDt/u7XgN0CVncfc7Ye6JjTjPUJqS6cJ7/Hu/nT0V6EL6F5cZwq6o
HQIDAQAB
-----END PUBLIC KEY-----
`;

/** An orange rounded square with a white "A" (1024 px). */
export function acmeIconPixels(size: number): Uint8Array {
  const px = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    const u = (x + 0.5) / size, v = (y + 0.5) / size;
    const lo = 0.06 + 0.18, hi = 1 - 0.06 - 0.18;
    const cx = Math.min(Math.max(u, lo), hi), cy = Math.min(Math.max(v, lo), hi);
    const inSquare = (u - cx) ** 2 + (v - cy) ** 2 <= 0.18 ** 2;
    // The "A": two slanted legs and a bar.
    const left = Math.abs((u - 0.5) + (v - 0.22) * 0.45) < 0.055 && v > 0.2 && v < 0.8;
    const right = Math.abs((u - 0.5) - (v - 0.22) * 0.45) < 0.055 && v > 0.2 && v < 0.8;
    const bar = v > 0.56 && v < 0.64 && Math.abs(u - 0.5) < 0.2;
    const i = (y * size + x) * 4;
    if (!inSquare) continue;
    if (left || right || bar) px.set([255, 255, 255, 255], i);
    else px.set([194, 65, 12, 255], i);
  }
  return px;
}

export function acmeBranding(publicKey: string = ACME_PUBLIC_KEY): Branding {
  return {
    productName: 'Acme Device Agent',
    shortName: 'Acme Agent',
    description: 'Keeps this computer registered with Acme licensing',
    appId: 'com.acme.agent',
    executableName: 'acme-agent',
    publisher: 'Acme Corp',
    copyright: 'Copyright © Acme Corp',
    icon: 'acme-icon.png',
    accentColor: ACME_ACCENT,
    support: { url: 'https://support.acme.example/agent', email: 'help@acme.example' },
    updateUrl: 'https://updates.acme.example/agent/',
    // No default product: a development build with nothing configured then runs against the embedded sandbox.
    defaults: { apiUrl: 'https://licensing.acme.example/api/v4/', publicKey, autoActivate: true },
    folders: {
      state: { linux: 'acme-agent', darwin: 'AcmeAgent', win32: 'AcmeAgent' },
      managed: { linux: 'acme-agent', darwin: 'AcmeAgent', win32: 'AcmeAgent' },
      userData: { linux: 'acme-agent', darwin: 'acme-agent', win32: 'acme-agent' },
      logs: { linux: 'acme-agent', darwin: 'acme-agent', win32: 'acme-agent' },
    },
  };
}

/** Writes the Acme branding into dir; returns the branding file's path. */
export async function writeAcmeBranding(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'acme-icon.png'), encodePng(1024, 1024, acmeIconPixels(1024)));
  const file = join(dir, 'branding.json');
  await writeFile(file, `${JSON.stringify(acmeBranding(), null, 2)}\n`);
  return file;
}
