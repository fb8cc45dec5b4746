// The compact status window of the built app on the Electron stand-in, in the
// language the OS names (LANG → app.getLocale()): its three views, the tray
// menu in the same language, axe-core's WCAG A/AA rules with 0 violations in
// each view in light and dark, and a screenshot of each at the window's real
// size in test-results/ (status-window-<lang>-<scheme>-<view>.png).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserServer } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncStateSchema } from '../../app/state/sync-state.ts';
import type { StandinApp } from '../electron-standin/driver.ts';
import type { MenuItemSnapshot } from '../electron-standin/recorder.ts';
import { axeRunSource, describeViolations, type AxeViolation } from '../support/axe.ts';
import { browserServer, createScenario, firstTray, haveChromium, RESULTS, sharedAppBuild, trayState, type Scenario } from './fixture.ts';
import { pngSize } from './png.ts';

const VIEWS = ['status', 'sent', 'settings'] as const;
const HOUR = 3_600_000;
/** A day as the engine records it at a 15 min interval: a sample per cycle, an outcome per cycle, two failures in the night. */
const SAMPLES_IN_A_DAY = 95;

async function writeADayOfHistory(stateFile: string): Promise<void> {
  const state = syncStateSchema.parse(JSON.parse(await readFile(stateFile, 'utf8')));
  const now = Date.now();
  const at = (i: number) => now - 24 * HOUR + (i + 1) * 15 * 60_000 - 60_000;
  state.samples = Array.from({ length: SAMPLES_IN_A_DAY }, (_, i) => ({
    at: at(i),
    values: { cpu_load_pct: Math.round((20 + 15 * Math.sin(i / 6) + (i % 7) * 3) / 5) * 5, ram_used_pct: Math.round(45 + 10 * Math.sin(i / 20)) },
  }));
  state.history = state.samples.map((sample, i) => ({ at: sample.at, outcome: i === 30 || i === 31 ? 'error' as const : i % 4 === 0 ? 'ok' as const : 'nothing-to-send' as const, sent: i % 4 === 0 ? 3 : 0, ...(i === 30 || i === 31 ? { code: 'network_error' } : {}) }));
  await writeFile(stateFile, JSON.stringify(state));
}

const LANGUAGES = [
  {
    code: 'en', env: { LANG: 'C.UTF-8' }, htmlLang: 'en-US',
    tabs: ['Status', 'What is sent', 'Settings'], badge: 'Synced · sandbox', lastSync: 'Last sync', save: 'Save settings',
    menu: ['Sync now', 'Pause', 'Open status…', 'Start at login', 'Quit Device Agent'],
    osWhy: /operating system family/,
    headline: /^Synced (just now|\d+ min ago)/, license: /license · enabled · active/, hwidSource: /^the Linux machine id/, replies: /^verified with the local sandbox's key$/,
  },
  {
    code: 'de', env: { LANG: 'de_DE.UTF-8' }, htmlLang: 'de',
    tabs: ['Status', 'Gesendete Daten', 'Einstellungen'], badge: 'Synchronisiert · Sandbox', lastSync: 'Letzte Synchronisierung', save: 'Einstellungen speichern',
    menu: ['Jetzt synchronisieren', 'Pausieren', 'Status öffnen…', 'Bei der Anmeldung starten', 'Device Agent beenden'],
    osWhy: /Betriebssystemfamilie/,
    headline: /^Synchronisiert (gerade eben|vor \d+ min)/, license: /Lizenz · freigegeben · aktiv/, hwidSource: /^die Linux-Maschinen-ID/, replies: /^mit dem Schlüssel der lokalen Sandbox geprüft$/,
  },
] as const;

function labels(menu: readonly MenuItemSnapshot[] | null | undefined): string[] {
  return (menu ?? []).filter((i) => i.type !== 'separator').map((i) => i.label);
}

describe.skipIf(!haveChromium)('the compact status window: three views, in the OS language, light and dark, accessible', () => {
  let build: string;
  let browser: BrowserServer;

  beforeAll(async () => {
    build = await sharedAppBuild();
    browser = await browserServer();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  for (const lang of LANGUAGES) {
    describe(`LANG=${lang.env.LANG}`, () => {
      let scenario: Scenario;
      let app: StandinApp;
      let windowId = 0;

      beforeAll(async () => {
        scenario = await createScenario(build, browser, lang.env);
        // A first start syncs; then the state file holds a day of it, as if the agent had run since yesterday.
        const first = scenario.launch();
        await first.waitFor('the first sync', (s) => trayState(firstTray(s)) === 'synced');
        await first.clickMenuItem('quit');
        await first.exited;
        await writeADayOfHistory(join(scenario.stateDir, 'sandbox-agent', 'state.json'));
        app = scenario.launch();
        windowId = (await app.window()).id;
        await app.page(windowId, { action: 'waitForSelector', selector: 'html[data-ready="true"]', state: 'attached' });
        await app.waitFor('the tray to say synced', (s) => trayState(firstTray(s)) === 'synced');
        await app.page(windowId, { action: 'waitForFunction', fn: '() => document.querySelector("#badge")?.dataset.phase === "synced"' });
      }, 60_000);

      afterAll(async () => {
        await scenario?.close();
      });

      const text = (selector: string) => app.page<string>(windowId, { action: 'textContent', selector });
      const show = async (view: string) => {
        await app.page(windowId, { action: 'click', selector: `#tab-${view}` });
        await app.page(windowId, { action: 'waitForSelector', selector: `#view-${view}`, state: 'visible' });
      };

      it(`opens as a 400 × 560 panel, in ${lang.code}, with the page told its language`, async () => {
        const win = (await app.snapshot()).windows.find((w) => w.id === windowId);
        expect(win?.bounds).toMatchObject({ width: 400, height: 560 });
        // Linux does not say where the tray icon is: the panel is centred on the (1920 × 1080) display.
        expect(win?.bounds).toMatchObject({ x: 760, y: 260 });
        expect(win?.url).toBe(`app://ui/index.html?lang=${encodeURIComponent(lang.htmlLang)}`);
        expect(await app.page(windowId, { action: 'getAttribute', selector: 'html', name: 'lang' })).toBe(lang.htmlLang);
        const tabs = await app.page<string[]>(windowId, { action: 'evaluate', fn: '() => [...document.querySelectorAll("[role=tab]")].map((t) => t.textContent)' });
        expect(tabs).toEqual(lang.tabs);
        expect(await text('#badge')).toBe(lang.badge);
        expect(await text('#view-status dt')).toBe(lang.lastSync);
        // Nothing hidden takes up room (a class's display must not beat the hidden attribute: an empty update box showed as a frame).
        expect(await app.page(windowId, { action: 'evaluate', fn: '() => [...document.querySelectorAll("[hidden]")].filter((e) => e.getClientRects().length > 0).map((e) => e.id || e.className)' })).toEqual([]);
      });

      it('draws the last 24 h from the state\'s history: a line per metric and a mark per sync', async () => {
        const chart = await app.page<{ cpu: number; ram: number; ok: number; failed: number; empty: boolean; desc: string }>(windowId, {
          action: 'evaluate',
          fn: `() => ({
            cpu: (document.querySelector('#chart polyline.cpu_load_pct')?.getAttribute('points') ?? '').split(' ').filter(Boolean).length,
            ram: (document.querySelector('#chart polyline.ram_used_pct')?.getAttribute('points') ?? '').split(' ').filter(Boolean).length,
            ok: document.querySelectorAll('#chart circle.mark.ok, #chart circle.mark.nothing-to-send').length,
            failed: document.querySelectorAll('#chart circle.mark.error').length,
            empty: !document.querySelector('#chart-empty').hidden,
            desc: document.querySelector('#chart desc')?.textContent ?? '',
          })`,
        });
        // The day written, plus the syncs of this start (one or two by now).
        expect(chart.cpu).toBeGreaterThanOrEqual(SAMPLES_IN_A_DAY);
        expect(chart.ram).toBe(chart.cpu);
        expect(chart.failed).toBe(2);
        expect(chart.ok).toBeGreaterThanOrEqual(SAMPLES_IN_A_DAY - 2);
        expect(chart.empty).toBe(false);
        expect(chart.desc).toMatch(lang.code === 'en' ? /2 failed; \d+ metric samples/ : /2 fehlgeschlagen; \d+ Messwerte/);
      });

      it('says the engine\'s headline, the license, the hardware id\'s source and the reply check in the same language, in the window and the tray', async () => {
        expect(await text('#headline')).toMatch(lang.headline);
        expect(await text('#license-state')).toMatch(lang.license);
        expect(await text('#hardware-id-source')).toMatch(lang.hwidSource);
        expect(await text('#reply-verification')).toMatch(lang.replies);
        const tray = firstTray(await app.snapshot());
        // "Device Agent — Synced: Synced just now — …": the state word, then the headline.
        expect(tray?.tooltip.split(': ').slice(1).join(': ')).toMatch(lang.headline);
        expect(tray?.menu?.[0]?.label.split(': ').slice(1).join(': ')).toMatch(lang.headline);
        // What a person sees: "Details for IT" opened (status-window-<lang>-details.png).
        await app.page(windowId, { action: 'evaluate', fn: '() => { document.querySelector("details.details").open = true; document.querySelector("#headline").scrollIntoView({ block: "end" }); }' });
        await app.page(windowId, { action: 'screenshot', path: join(RESULTS, `status-window-${lang.code}-details.png`) });
        await app.page(windowId, { action: 'evaluate', fn: '() => { document.querySelector("details.details").open = false; window.scrollTo(0, 0); }' });
      });

      it('says the tray menu in the same language', async () => {
        const tray = firstTray(await app.snapshot());
        expect(labels(tray?.menu).slice(1)).toEqual(lang.menu);
      });

      it('shows what is sent, each variable with why it is sent and whether the server has it', async () => {
        await show('sent');
        const rows = await app.page<{ name: string; pending: string; why: string; delivery: string }[]>(windowId, {
          action: 'evaluate',
          fn: '() => [...document.querySelectorAll("#variables li[data-name]")].map((li) => ({ name: li.dataset.name, pending: li.dataset.pending, why: li.querySelector(".why")?.textContent ?? "", delivery: li.querySelector(".delivery")?.textContent ?? "" }))',
        });
        expect(rows.length).toBeGreaterThanOrEqual(10);
        expect(rows.every((r) => r.pending === 'false' && r.why.length > 10 && r.delivery.length > 0)).toBe(true);
        expect(rows.find((r) => r.name === 'os_platform')?.why).toMatch(lang.osWhy);
        await show('settings');
        expect(await text('#save')).toBe(lang.save);
        await show('status');
      });

      it('moves between the views with the arrow keys, one tab in the focus order', async () => {
        await app.page(windowId, { action: 'evaluate', fn: '() => document.querySelector("#tab-status").focus()' });
        const after = await app.page<string[]>(windowId, {
          action: 'evaluate',
          fn: `() => {
            const press = (key) => document.activeElement.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
            const seen = [];
            press('ArrowRight'); seen.push(document.activeElement.id);
            press('ArrowRight'); seen.push(document.activeElement.id);
            press('ArrowRight'); seen.push(document.activeElement.id);
            press('End'); seen.push(document.activeElement.id);
            press('Home'); seen.push(document.activeElement.id);
            seen.push([...document.querySelectorAll('[role=tab]')].map((t) => t.tabIndex).join(','));
            return seen;
          }`,
        });
        expect(after).toEqual(['tab-sent', 'tab-settings', 'tab-status', 'tab-settings', 'tab-status', '0,-1,-1']);
      });

      it('runs axe-core for real: an unlabelled field put into the page is found', async () => {
        const found = await app.page<AxeViolation[]>(windowId, {
          action: 'evaluate',
          fn: `async () => {
            const probe = document.createElement('input');
            probe.id = 'axe-probe';
            document.querySelector('#view-status').append(probe);
            try { return await (${axeRunSource()})(); } finally { probe.remove(); }
          }`,
        });
        expect(found.map((v) => v.id)).toContain('label');
      });

      for (const scheme of ['light', 'dark'] as const) {
        it(`has 0 axe-core violations in each view, ${scheme}, and a screenshot of each at the window's size`, async () => {
          await app.request({ op: 'theme', dark: scheme === 'dark' });
          for (const view of VIEWS) {
            await show(view);
            const path = join(RESULTS, `status-window-${lang.code}-${scheme}-${view}.png`);
            await app.page(windowId, { action: 'screenshot', path });
            expect(pngSize(await readFile(path))).toEqual({ width: 400, height: 560 });
            const violations = await app.page<AxeViolation[]>(windowId, { action: 'evaluate', fn: axeRunSource() });
            expect(violations, `${lang.code} ${scheme} ${view}:\n${describeViolations(violations)}`).toEqual([]);
          }
          await show('status');
        }, 60_000);
      }
    });
  }
});
