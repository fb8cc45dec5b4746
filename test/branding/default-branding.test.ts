// The default branding keeps every name, id and folder an existing install uses;
// a bad branding file is refused naming each field.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appFolders } from '../../main/app-folders.ts';
import { autostartEntryPath, OWN_ENTRY_KEY } from '../../main/linux-desktop-entry.ts';
import { defaultStateDir } from '../../app/config/load.ts';
import { managedConfigPath } from '../../app/config/managed.ts';
import { rawConfigSchema } from '../../app/config/schema.ts';
import { replyKeyFor } from '../../app/create-agent.ts';
import { VENDOR_PUBLIC_KEY_PEM } from '../../app/licenseapi/vendor-public-key.ts';
import { ACME_PUBLIC_KEY, acmeBranding } from './acme.ts';
import { BRANDING, CLI_NAME, DESKTOP_FILE_NAME } from '../../app/branding/index.ts';
import { accentDark, BrandingError, parseBranding, textOn } from '../../app/branding/schema.ts';

const env = { HOME: '/home/ann', LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local', ProgramData: 'C:\\ProgramData' };

describe('the default branding is today\'s Device Agent', () => {
  it('keeps the names and ids', () => {
    expect([BRANDING.productName, BRANDING.appId, BRANDING.executableName, CLI_NAME, DESKTOP_FILE_NAME, OWN_ENTRY_KEY])
      .toEqual(['Device Agent', 'com.licensespring.deviceagent', 'device-agent', 'device-agent', 'device-agent.desktop', 'X-DeviceAgent-Autostart']);
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { name: string; desktopName: string };
    expect([pkg.name, pkg.desktopName]).toEqual([BRANDING.executableName, DESKTOP_FILE_NAME]);
  });

  it('keeps the state, managed, settings and log folders on every OS', () => {
    expect(defaultStateDir('linux', env)).toBe('/home/ann/.local/state/device-agent');
    expect(defaultStateDir('linux', { ...env, XDG_STATE_HOME: '/x/state' })).toBe('/x/state/device-agent');
    expect(defaultStateDir('darwin', env)).toBe('/home/ann/Library/Application Support/DeviceAgent');
    expect(defaultStateDir('win32', env)).toBe(join('C:\\Users\\ann\\AppData\\Local', 'DeviceAgent'));
    expect(managedConfigPath('linux', env)).toBe('/etc/device-agent/config.json');
    expect(managedConfigPath('darwin', env)).toBe('/Library/Application Support/DeviceAgent/config.json');
    expect(managedConfigPath('win32', env)).toBe(join('C:\\ProgramData', 'DeviceAgent', 'config.json'));
    // Electron's userData and electron-log's folder were named after the package ("device-agent").
    expect(appFolders({ platform: 'linux', appData: '/home/ann/.config', home: '/home/ann' })).toEqual({ userData: '/home/ann/.config/device-agent', logs: '/home/ann/.config/device-agent/logs' });
    expect(appFolders({ platform: 'darwin', appData: '/home/ann/Library/Application Support', home: '/home/ann' }))
      .toEqual({ userData: '/home/ann/Library/Application Support/device-agent', logs: '/home/ann/Library/Logs/device-agent' });
    expect(appFolders({ platform: 'linux', appData: '/c', home: '/h', userDataOverride: '/t/ud' })).toEqual({ userData: '/t/ud', logs: '/t/ud/logs' });
    expect(autostartEntryPath({}, '/home/ann')).toBe('/home/ann/.config/autostart/device-agent.desktop');
  });

  it('keeps the configuration defaults', () => {
    const d = rawConfigSchema.parse({});
    expect([d.apiUrl, d.product, d.autoActivate]).toEqual(['https://api.licensespring.com/api/v4/', undefined, false]);
  });

  it('keeps today\'s accent colours and their text colours', () => {
    expect([BRANDING.accentColor, accentDark(BRANDING), textOn(BRANDING.accentColor), textOn(accentDark(BRANDING))]).toEqual(['#1d63d8', '#4c8dff', '#ffffff', '#0b0d10']);
    expect(accentDark({ accentColor: '#000000' })).toBe('#4d4d4d');
  });
});

describe('a branding file', () => {
  const good = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'branding.json'), 'utf8')) as Record<string, unknown>;
  const problems = (data: unknown) => {
    try {
      parseBranding(data, 'acme.json');
    } catch (error) {
      expect(error).toBeInstanceOf(BrandingError);
      return (error as BrandingError).problems.map((p) => `${p.field} ${p.message}`);
    }
    return [];
  };

  it('is refused naming each bad field, and the file', () => {
    expect(problems(good)).toEqual([]);
    expect(problems({ ...good, productName: 'Acme/Agent', appId: 'acme', executableName: 'Acme Agent', accentColor: 'orange', colour: 1 })).toEqual([
      'productName must not contain \\ / : * ? " < > | $ ` or %',
      'appId must be a reverse-DNS id such as com.example.agent',
      'executableName must be 1-64 lowercase letters, digits or -, starting with a letter or digit',
      'accentColor must be a colour as #rrggbb',
      'colour is not a branding field',
    ]);
    expect(problems({ ...good, folders: { ...(good.folders as object), state: { linux: '..', darwin: 'A', win32: 'B' } } })).toEqual(['folders.state.linux must be 1-64 letters, digits, spaces, . _ or -, starting with a letter or digit', 'folders.state.linux must not end with a space or a dot']);
    expect(problems({ ...good, icon: '../elsewhere/icon.png' })).toEqual(['icon must be a path inside the project (relative, no ..)']);
    expect(problems({ ...good, defaults: { apiUrl: 'ftp://x', autoActivate: 'yes', publicKey: 'not a key' } })).toEqual([
      'defaults.apiUrl must be an http(s) URL without user name or password',
      'defaults.publicKey must be a PEM public key ("-----BEGIN PUBLIC KEY-----" …)',
      'defaults.autoActivate must be boolean',
    ]);
    const { productName: _gone, ...missing } = good;
    expect(problems(missing)).toEqual(['productName is required']);
    expect(() => parseBranding([], 'acme.json')).toThrow(/^acme\.json: /);
  });
});

describe('the branding\'s reply-signing key', () => {
  it('verifies replies from the branding\'s default server only; LicenseSpring\'s key stays for its production API', () => {
    const acme = acmeBranding();
    expect(replyKeyFor({ apiUrl: 'https://licensing.acme.example/api/v4' }, undefined, acme)).toMatchObject({ pem: ACME_PUBLIC_KEY, view: { verified: true, keySource: 'vendor', description: 'verified with Acme Corp\'s response-signing key' } });
    expect(replyKeyFor({ apiUrl: 'https://licensing.acme.example/other/' }, undefined, acme).view.verified).toBe(false);
    expect(replyKeyFor({ apiUrl: 'https://api.licensespring.com/api/v4/' }, undefined, acme).pem).toBe(VENDOR_PUBLIC_KEY_PEM);
    expect(replyKeyFor({ apiUrl: 'https://licensing.acme.example/api/v4/' }).view.verified).toBe(false);
  });
});
