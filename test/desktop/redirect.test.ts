// A License API address that answers with a redirect, through the desktop's
// network stack (Electron's net, on the stand-in): the same outcome as the CLI —
// the reply's status and its target named, classed as configuration (the person
// must set the right address), and the target never hears a thing (a redirect
// would carry the credentials there). Before, Electron's "Redirect was cancelled"
// came out as a network error retried for ever.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserServer } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandinApp } from '../electron-standin/driver.ts';
import { browserServer, createScenario, firstTray, haveChromium, RESULTS, sharedAppBuild, trayState, type Scenario } from './fixture.ts';
import { join } from 'node:path';

describe.skipIf(!haveChromium)('desktop app and a redirecting License API address', () => {
  let browser: BrowserServer;
  let scenario: Scenario;
  let app: StandinApp;
  let redirector: Server;
  let target: Server;
  const targetRequests: string[] = [];
  let targetUrl = '';

  const listen = async (server: Server) => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  beforeAll(async () => {
    const build = await sharedAppBuild();
    browser = await browserServer();
    target = createServer((req, res) => { targetRequests.push(`${req.method} ${req.url}`); res.writeHead(500).end(); });
    targetUrl = `${await listen(target)}/api/v4/`;
    redirector = createServer((req, res) => { res.writeHead(301, { location: `${targetUrl}${(req.url ?? '').replace(/^\/api\/v4\//, '')}` }).end(); });
    const apiUrl = `${await listen(redirector)}/api/v4/`;
    scenario = await createScenario(build, browser);
    await scenario.writeManaged({ apiUrl, apiKey: 'key-1234', sharedKey: 'shared-key-for-the-redirect-test', product: 'demo', licenseKey: 'AAAA-BBBB-CCCC-DDDD', autoActivate: true });
    app = scenario.launch();
  }, 60_000);

  afterAll(async () => {
    await scenario?.close();
    await browser?.close();
    await new Promise((r) => redirector?.close(r));
    await new Promise((r) => target?.close(r));
  });

  it('names the status and the target, as configuration to fix, and sends nothing to the target', async () => {
    await app.waitFor('the tray to say attention', (s) => trayState(firstTray(s)) === 'attention');
    const id = (await app.window()).id;
    await app.page(id, { action: 'waitForFunction', fn: '() => document.querySelector("#error-code")?.textContent === "http_301"' });
    const summary = await app.page<string>(id, { action: 'textContent', selector: '#error-summary' });
    expect(summary).toContain(`answered with a redirect (HTTP 301) to ${targetUrl}`);
    expect(await app.page<string>(id, { action: 'textContent', selector: '#error-remedy' })).toMatch(/Set the API URL/);
    expect(targetRequests).toEqual([]);
    await app.page(id, { action: 'screenshot', path: join(RESULTS, 'desktop-attention-redirect.png') });
  });
});
