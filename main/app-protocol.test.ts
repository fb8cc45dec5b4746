import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, handleAppRequest, resolveAppFile } from './app-protocol.ts';

describe('CONTENT_SECURITY_POLICY', () => {
  const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
  it('allows only our own scripts and styles, no inline code, no connections, no framing', () => {
    expect(directives['default-src']).toBe("'none'");
    expect(directives['script-src']).toBe("'self'");
    expect(directives['style-src']).toBe("'self'");
    expect(directives['connect-src']).toBe("'none'");
    expect(directives['object-src']).toBe("'none'");
    expect(directives['frame-ancestors']).toBe("'none'");
    expect(directives['base-uri']).toBe("'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });
});

describe('app:// file serving', () => {
  let root = '';
  let outside = '';
  beforeAll(async () => {
    const base = await mkdtemp(join(tmpdir(), 'da-proto-'));
    root = join(base, 'renderer');
    outside = join(base, 'secret.html');
    await mkdir(root);
    await writeFile(join(root, 'index.html'), '<!doctype html><p>hi</p>');
    await writeFile(join(root, 'index.js'), 'console.log(1)');
    await writeFile(outside, 'no');
  });
  afterAll(async () => { await rm(join(root, '..'), { recursive: true, force: true }); });

  it('maps app://ui paths to files inside the root', () => {
    expect(resolveAppFile('app://ui/index.html', root)).toBe(join(root, 'index.html'));
    expect(resolveAppFile('app://ui/', root)).toBe(join(root, 'index.html'));
  });

  it.each(['app://ui/../secret.html', 'app://ui/%2e%2e/secret.html'])('keeps %s inside the root (URL parsing drops the ..)', (url) => {
    expect(resolveAppFile(url, root)).toBe(join(root, 'secret.html'));
  });

  it.each([
    'app://ui/..%2fsecret.html',
    'app://ui/a/..%2f..%2fsecret.html',
    'app://ui/%00index.html',
    'app://other/index.html',
    'file:///etc/passwd',
    'app://ui/index.exe',
    '%%%',
  ])('refuses %s', (url) => {
    expect(resolveAppFile(url, root)).toBeUndefined();
  });

  it('serves files with the CSP and nosniff headers, and 404s anything else', async () => {
    const ok = await handleAppRequest({ url: 'app://ui/index.js', method: 'GET' }, root);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(ok.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await ok.text()).toBe('console.log(1)');
    const traversal = await handleAppRequest({ url: 'app://ui/%2e%2e/secret.html' }, root); // the file outside the root exists
    expect(traversal.status).toBe(404);
    expect(await traversal.text()).toBe('not found');
    expect((await handleAppRequest({ url: 'app://ui/missing.html' }, root)).status).toBe(404);
    expect((await handleAppRequest({ url: 'app://ui/index.html', method: 'POST' }, root)).status).toBe(405);
  });
});
