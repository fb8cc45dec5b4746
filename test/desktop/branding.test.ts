// The desktop app built under the test-only "Acme Device Agent" branding, on the
// Electron stand-in: the window's title and heading, its accent colour and support
// line, the tray's tooltip and menu, the state folder and the autostart entry all
// carry Acme's names; none carries the default branding's.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserServer } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../tools/build.ts';
import type { StandinApp } from '../electron-standin/driver.ts';
import { writeAcmeBranding } from '../branding/acme.ts';
import { browserServer, createScenario, firstTray, haveChromium, RESULTS, root, trayState, type Scenario } from './fixture.ts';
import { pngSize } from './png.ts';

const ACME = 'Acme Device Agent';
/** The default branding's names, as a person or IT would see them (not preceded by Acme's). */
const DEFAULT_NAMES = /(?<!Acme )Device Agent|(?<!acme-)\bdevice-agent\b|DeviceAgent|com\.licensespring\.deviceagent/;

describe.skipIf(!haveChromium)('desktop app under another branding (Acme Device Agent)', () => {
  let dir = '';
  let browser: BrowserServer;
  let scenario: Scenario;
  let app: StandinApp;
  let windowId = 0;

  beforeAll(async () => {
    // Inside the project, so that the bundles' external imports resolve.
    dir = await mkdtemp(join(root, '.cache', 'standin-acme-'));
    const brandingFile = await writeAcmeBranding(join(dir, 'brand'));
    await buildApp(join(dir, 'dist'), { cli: false, branding: brandingFile });
    browser = await browserServer();
    scenario = await createScenario(join(dir, 'dist'), browser);
    app = scenario.launch();
  }, 90_000);

  afterAll(async () => {
    await scenario?.close();
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('opens its window titled with the branding\'s name, in its accent colour, with its support line', async () => {
    const win = await app.window();
    windowId = win.id;
    await app.page(windowId, { action: 'waitForSelector', selector: 'html[data-ready="true"]', state: 'attached' });
    const page = await app.page<{ title: string; h1: string; accent: string; support: string; body: string }>(windowId, {
      action: 'evaluate',
      fn: `() => ({ title: document.title, h1: document.querySelector('h1').textContent, accent: getComputedStyle(document.querySelector('#sync-now')).backgroundColor,
        support: document.querySelector('footer.support')?.textContent ?? '', body: document.body.innerText })`,
    });
    expect(page.title).toBe(ACME);
    expect(page.h1).toBe(ACME);
    expect(page.accent).toBe('rgb(194, 65, 12)');
    expect(page.support).toBe('Help from Acme Corp: help@acme.example · https://support.acme.example/agent');
    expect(page.body).not.toMatch(DEFAULT_NAMES);
    const snapshot = await app.snapshot();
    expect(snapshot.windows.find((w) => w.id === windowId)?.title).toBe(ACME);
    const path = join(RESULTS, 'desktop-branding-acme.png');
    await app.page(windowId, { action: 'screenshot', path });
    expect(pngSize(await readFile(path))).toEqual({ width: 980, height: 760 });
  });

  it('names itself in the tray\'s tooltip and menu', async () => {
    // Nothing configured in a development build: it syncs with the embedded sandbox.
    const snapshot = await app.waitFor('the tray to say synced', (s) => trayState(firstTray(s), ACME) === 'synced' && s, 30_000);
    const tray = firstTray(snapshot);
    expect(tray?.tooltip).toMatch(/^Acme Device Agent — Synced: /);
    expect(tray?.menu?.find((i) => i.id === 'quit')?.label).toBe('Quit Acme Device Agent');
    expect(JSON.stringify(tray)).not.toMatch(DEFAULT_NAMES);
    await app.page(windowId, { action: 'waitForFunction', fn: '() => document.querySelector("#badge")?.dataset.phase === "synced"' });
    await app.page(windowId, { action: 'screenshot', path: join(RESULTS, 'desktop-branding-acme-synced.png') });
    // The foot of the page (the support line), in dark mode: Acme's accent lightened.
    await app.request({ op: 'theme', dark: true });
    await app.page(windowId, { action: 'evaluate', fn: '() => document.querySelector("footer.support").scrollIntoView()' });
    const dark = await app.page<string>(windowId, { action: 'evaluate', fn: '() => getComputedStyle(document.querySelector("#sync-now")).backgroundColor' });
    expect(dark).toBe('rgb(212, 122, 85)');
    await app.page(windowId, { action: 'screenshot', path: join(RESULTS, 'desktop-branding-acme-dark-foot.png') });
    await app.request({ op: 'theme', dark: false });
  });

  it('keeps its state in the branding\'s state folder and offers Acme\'s default server', async () => {
    const state = join(scenario.home, '.local', 'state');
    expect(await readdir(state)).toEqual(['acme-agent']);
    expect(existsSync(join(state, 'acme-agent', 'sandbox-agent', 'state.json'))).toBe(true);
    const settings = await app.page<{ apiUrl: string; autoActivate: boolean }>(windowId, { action: 'evaluate', fn: '() => window.deviceAgent.getSettings().then((r) => r.value)' });
    expect([settings.apiUrl, settings.autoActivate]).toEqual(['https://licensing.acme.example/api/v4/', true]);
  });

  it('writes its autostart entry under the branding\'s names', async () => {
    const entry = join(scenario.home, '.config', 'autostart', 'acme-agent.desktop');
    await app.clickMenuItem('start-at-login');
    await app.waitFor('the autostart entry', () => existsSync(entry));
    const text = await readFile(entry, 'utf8');
    expect(text).toMatch(/^Name=Acme Device Agent$/m);
    expect(text).toMatch(/^Icon=acme-agent$/m);
    expect(text).toMatch(/^X-AcmeAgent-Autostart=true$/m);
    // Exec and TryExec name the program as this test launched it (Node under the stand-in).
    expect(text.split('\n').filter((l) => !/^(Try)?Exec=/.test(l)).join('\n')).not.toMatch(DEFAULT_NAMES);
    expect(existsSync(join(scenario.home, '.config', 'autostart', 'device-agent.desktop'))).toBe(false);
  });
});
