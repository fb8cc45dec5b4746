// Secrets sweep: distinctive secrets (shared key, OAuth client secret, the access
// tokens the OAuth server hands out, a license key that must be masked) go through the
// agent on success and every error path we can provoke — server faults, refusals,
// wrong credentials, an unreachable server, the CLI — at debug log level. Then every
// byte the agent left behind or showed is searched: the files in the state directory
// (logs, state, lock, identity), AgentStatus (what the status window and tray get),
// the CLI's stdout/stderr including `status --json`, the renderer's SettingsView and
// the diagnostics export. No secret may appear, in clear or base64.
import { appearanceView, DEFAULT_POLICY } from '../../main/tray-policy.ts';
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentStatus } from '../../app/agent-api.ts';
import { ConfigError, layerFromObject, resolveConfig } from '../../app/config/index.ts';
import { createAgent } from '../../app/create-agent.ts';
import type { AgentHandle } from '../../app/create-agent.ts';
import { diagnosticsText } from '../../main/diagnostics.ts';
import { settingsView } from '../../main/settings-model.ts';
import { startSandbox } from '../../sandbox/server.ts';
import type { FaultRule, Sandbox } from '../../sandbox/server.ts';
import { tempDir } from '../reliability/harness.ts';

const SHARED_KEY = 'SHAREDKEY-7f3a9c51-DO-NOT-LEAK';
const WRONG_SHARED_KEY = 'WRONGSHARED-0b8e22d4-DO-NOT-LEAK';
const WRONG_CLIENT_SECRET = 'WRONGCLIENTSECRET-5c1d-DO-NOT-LEAK';
const LICENSE_KEY = 'LICKEY-SECRET-9D2E-A1B2-TAIL';
const API_KEY = 'apikey-secrets-sweep';

let sandbox: Sandbox;
const seen = { texts: [] as Array<[where: string, text: string]>, tokens: [] as string[] };
const stateDirs: string[] = [];
const handles: AgentHandle[] = [];

function record(where: string, text: string): void {
  seen.texts.push([where, text]);
}

/** A fetch that lets the test learn the access tokens the OAuth server issues (so it can look for them). */
const tokenSpyFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  if (String(input instanceof Request ? input.url : input).endsWith('/auth/token')) {
    const body = await response.clone().text();
    try {
      const token = (JSON.parse(body) as { access_token?: unknown }).access_token;
      if (typeof token === 'string') seen.tokens.push(token);
    } catch { /* not JSON: nothing to learn */ }
  }
  return response;
};

beforeAll(async () => {
  sandbox = await startSandbox();
  sandbox.admin.addApiKey({ apiKey: API_KEY, sharedKey: SHARED_KEY });
  sandbox.admin.addLicense({ product: sandbox.demo.product, licenseKey: LICENSE_KEY, maxActivations: 10 });
});
afterAll(async () => {
  await Promise.all(handles.map((h) => h.close()));
  await sandbox.close();
});

function hmacConfig(stateDir: string, extra: Record<string, unknown> = {}) {
  return resolveConfig([layerFromObject({
    apiUrl: sandbox.url, apiKey: API_KEY, sharedKey: SHARED_KEY, product: sandbox.demo.product, licenseKey: LICENSE_KEY,
    autoActivate: true, allow: ['agent_version'], logLevel: 'debug', stateDir, ...extra,
  }, 'test')]);
}

function oauthConfig(stateDir: string, extra: Record<string, unknown> = {}) {
  return resolveConfig([layerFromObject({
    apiUrl: sandbox.url, clientId: sandbox.demo.oauth.clientId, clientSecret: sandbox.demo.oauth.clientSecret, tokenUrl: sandbox.demo.oauth.tokenUrl,
    product: sandbox.demo.product, licenseKey: LICENSE_KEY, autoActivate: true, allow: ['agent_version'], logLevel: 'debug', stateDir, ...extra,
  }, 'test')]);
}

async function statusAfter(handle: AgentHandle, label: string, variables: Record<string, string | number>, fault?: FaultRule): Promise<AgentStatus> {
  await handle.reconfigure({ ...hmacOrOauth(handle), variables });
  if (fault) sandbox.faults.inject(fault);
  await handle.agent.syncNow();
  sandbox.faults.clear();
  const status = handle.agent.status();
  record(`AgentStatus after ${label}`, JSON.stringify(status));
  return status;
}

const configs = new Map<AgentHandle, ReturnType<typeof hmacConfig>>();
const hmacOrOauth = (handle: AgentHandle) => configs.get(handle)!;

async function agentWith(config: ReturnType<typeof hmacConfig>): Promise<AgentHandle> {
  const handle = await createAgent(config, { publicKeyPem: sandbox.demo.publicKeyPem, fetch: tokenSpyFetch });
  handles.push(handle);
  configs.set(handle, config);
  stateDirs.push(config.stateDir);
  return handle;
}

const FAULTS: Array<[string, FaultRule]> = [
  ['a 500', { kind: 'status', status: 500 }],
  ['a 503 with Retry-After', { kind: 'status', status: 503, retryAfter: '30' }],
  ['a 429', { kind: 'status', status: 429, retryAfter: new Date(Date.now() + 60_000).toUTCString() }],
  ['malformed JSON', { kind: 'malformed' }],
  ['a reset mid-reply', { kind: 'reset-mid-reply' }],
  ['a dropped connection', { kind: 'drop' }],
  ['a missing signature', { kind: 'no-signature' }],
  ['a wrong signature', { kind: 'bad-signature' }],
  ['a Date 1 h off (clock correction path)', { kind: 'date-skew', ms: 3_600_000, times: 1 }],
];

describe('secrets never leave the agent', () => {
  it('HMAC: success and every error path', async () => {
    const stateDir = await tempDir('secrets-hmac');
    const handle = await agentWith(hmacConfig(stateDir, { hardwareId: 'secrets-hmac-device' }));
    let n = 0;
    const first = await statusAfter(handle, 'first sync', { n: n++ });
    expect(first.phase).toBe('synced');
    // The status window (and `once`) warn while the company-wide shared key sits on the device.
    expect(first.warnings).toContain('The company-wide shared key is stored on this device. Prefer OAuth client credentials scoped to this customer or license (see README, Security).');
    for (const [label, fault] of FAULTS) await statusAfter(handle, label, { n: n++ }, fault);

    sandbox.admin.setLicenseState(LICENSE_KEY, { enabled: false });
    expect((await statusAfter(handle, 'license disabled', { n: n++ })).error?.code).toBe('license_not_enabled');
    sandbox.admin.setLicenseState(LICENSE_KEY, { enabled: true });

    configs.set(handle, hmacConfig(stateDir, { hardwareId: 'secrets-hmac-device', sharedKey: WRONG_SHARED_KEY }));
    expect((await statusAfter(handle, 'a wrong shared key', { n: n++ })).error?.errorClass).toBe('needs-configuration');
    configs.set(handle, hmacConfig(stateDir, { hardwareId: 'secrets-hmac-device', product: 'no-such-product' }));
    expect((await statusAfter(handle, 'an unknown product', { n: n++ })).error?.code).toBe('unknown_product');
    configs.set(handle, hmacConfig(stateDir, { hardwareId: 'secrets-hmac-device', apiUrl: 'http://127.0.0.1:9/api/v4/' }));
    expect((await statusAfter(handle, 'an unreachable server', { n: n++ })).error?.code).toBe('network_error');
    configs.set(handle, hmacConfig(stateDir, { hardwareId: 'secrets-hmac-device-2', autoActivate: false }));
    expect((await statusAfter(handle, 'a device not activated', { n: n++ })).error?.code).toBe('device_not_found');
    configs.set(handle, hmacConfig(stateDir, { hardwareId: 'secrets-hmac-device' }));
    expect((await statusAfter(handle, 'recovery', { n })).phase).toBe('synced');
    expect(handle.agent.status().licenseDisplay).toBe('••••••••••••TAIL');
    await handle.close();
  });

  it('OAuth: success, a refused client secret and a failing token endpoint', async () => {
    const stateDir = await tempDir('secrets-oauth');
    const handle = await agentWith(oauthConfig(stateDir, { hardwareId: 'secrets-oauth-device' }));
    const first = await statusAfter(handle, 'OAuth first sync', { m: 1 });
    expect(first.phase).toBe('synced');
    expect(first.warnings.filter((w) => w.includes('shared key'))).toEqual([]);
    await statusAfter(handle, 'OAuth token endpoint 500', { m: 2 }, { kind: 'status', status: 500, paths: ['auth/token'] });
    configs.set(handle, oauthConfig(stateDir, { hardwareId: 'secrets-oauth-device', clientSecret: WRONG_CLIENT_SECRET }));
    expect((await statusAfter(handle, 'a wrong client secret', { m: 3 })).error?.code).toBe('oauth_invalid_client');
    configs.set(handle, oauthConfig(stateDir, { hardwareId: 'secrets-oauth-device' }));
    expect((await statusAfter(handle, 'OAuth recovery', { m: 4 })).phase).toBe('synced');
    expect(seen.tokens.length).toBeGreaterThan(0);
    await handle.close();
  });

  it('the CLI: once (success and failure), status, status --json, a secret with a typo in it', async () => {
    const stateDir = await tempDir('secrets-cli');
    stateDirs.push(stateDir);
    const keyFile = join(stateDir, '..', `pub-${process.pid}.pem`);
    await writeFile(keyFile, sandbox.demo.publicKeyPem);
    const env = {
      DEVICE_AGENT_API_URL: sandbox.url, DEVICE_AGENT_API_KEY: API_KEY, DEVICE_AGENT_SHARED_KEY: SHARED_KEY, DEVICE_AGENT_PRODUCT: sandbox.demo.product,
      DEVICE_AGENT_LICENSE_KEY: LICENSE_KEY, DEVICE_AGENT_STATE_DIR: stateDir, DEVICE_AGENT_AUTO_ACTIVATE: 'true', DEVICE_AGENT_ALLOW: 'agent_version',
      DEVICE_AGENT_LOG_LEVEL: 'debug', DEVICE_AGENT_PUBLIC_KEY: keyFile, DEVICE_AGENT_HARDWARE_ID: 'secrets-cli-device',
    };
    const own = async (label: string) => { const d = await tempDir(`secrets-cli-${label}`); stateDirs.push(d); return d; };
    // First a success, then the failures side by side (each in its own state directory), then the status commands.
    const batches: Array<Array<[string, string[], Record<string, string>, number]>> = [
      [['once', ['once'], env, 0]],
      [
        ['once with a wrong shared key', ['once', '--var', 'x=1'], { ...env, DEVICE_AGENT_SHARED_KEY: WRONG_SHARED_KEY, DEVICE_AGENT_STATE_DIR: await own('wrong') }, 11],
        ['once with a control character in the shared key', ['once'], { ...env, DEVICE_AGENT_SHARED_KEY: `${SHARED_KEY}\u0007` }, 2],
        ['once with the server down', ['once', '--var', 'x=2'], { ...env, DEVICE_AGENT_API_URL: 'http://127.0.0.1:9/api/v4/', DEVICE_AGENT_STATE_DIR: await own('down') }, 10],
        ['status', ['status'], env, 0],
        ['status --json', ['status', '--json'], env, 0],
      ],
    ];
    for (const batch of batches) {
      const results = await Promise.all(batch.map(([, args, runEnv]) => cli(args, runEnv)));
      results.forEach((result, i) => {
        const [label, , , code] = batch[i]!;
        record(`CLI ${label} stdout`, result.stdout);
        record(`CLI ${label} stderr`, result.stderr);
        expect(result.code, `${label}: ${result.stderr}`).toBe(code);
      });
    }
  }, 30_000);

  it('a configuration error about a secret names the field, not the value', () => {
    try {
      resolveConfig([layerFromObject({ sharedKey: `${SHARED_KEY}\n`.repeat(100) }, 'test')]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      record('ConfigError', (error as Error).message);
    }
  });

  it('what the renderer can read: SettingsView (main/settings-model) and the diagnostics export (main/diagnostics)', async () => {
    const view = settingsView({
      user: { authMethod: 'hmac', apiUrl: sandbox.url, apiKey: API_KEY, product: sandbox.demo.product, licenseKey: LICENSE_KEY },
      managed: {}, hasSharedKey: true, hasClientSecret: true, startAtLogin: false,
    });
    expect(view.hasSharedKey).toBe(true);
    expect(view.licenseKeyMasked.endsWith('TAIL')).toBe(true);
    record('SettingsView', JSON.stringify(view));
    const handle = handles[0]!;
    const status = { ...handle.agent.status(), startAtLogin: false, appearance: appearanceView(DEFAULT_POLICY) };
    const logFiles = await filesUnder(stateDirs[0]!).then((files) => files.filter((f) => f.includes('logs')));
    expect(logFiles.length).toBeGreaterThan(0);
    const text = await diagnosticsText({
      status, settings: view, appVersion: 'test', platform: process.platform, logFiles,
      secrets: [SHARED_KEY, sandbox.demo.oauth.clientSecret],
    });
    expect(text).toContain('== log');
    record('diagnostics export', text);
  });

  it('finally: no secret in any log line, state file, status, CLI output, renderer view or export', async () => {
    for (const dir of stateDirs) {
      for (const file of await filesUnder(dir)) record(`file ${file.slice(dir.length)}`, await readFile(file, 'latin1'));
    }
    const logText = seen.texts.filter(([where]) => where.includes('/logs/')).map(([, t]) => t).join('\n');
    expect(logText.split('\n').filter((l) => l.includes('"level":"debug"')).length).toBeGreaterThan(10); // debug logging was on
    expect(seen.texts.some(([where]) => where.endsWith('state.json'))).toBe(true);
    const needles: Array<[string, string]> = [
      ['shared key', SHARED_KEY], ['wrong shared key', WRONG_SHARED_KEY], ['OAuth client secret', sandbox.demo.oauth.clientSecret],
      ['wrong client secret', WRONG_CLIENT_SECRET], ['license key', LICENSE_KEY],
      ...seen.tokens.map((t, i) => [`access token #${i + 1}`, t] as [string, string]),
    ];
    // Control: the haystack holds the real content (hardware ids, error codes, the masked key), so an empty leak list means something.
    const all = seen.texts.map(([, t]) => t).join('\n');
    for (const expected of ['secrets-hmac-device', 'secrets-oauth-device', 'secrets-cli-device', 'license_not_enabled', 'oauth_invalid_client', '••••TAIL']) expect(all).toContain(expected);
    const leaks: string[] = [];
    for (const [name, secret] of needles) {
      const forms = [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)];
      for (const [where, text] of seen.texts) {
        if (forms.some((form) => text.includes(form))) leaks.push(`${name} in ${where}`);
      }
    }
    expect(leaks).toEqual([]);
    expect(seen.texts.length).toBeGreaterThan(30);
  });
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('DEVICE_AGENT_')) base[k] = v;
  const root = join(import.meta.dirname, '..', '..');
  const child = spawn(process.execPath, [join(root, 'cli', 'main.ts'), ...args], { cwd: root, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
