// The Linux and Windows packaging pieces that cannot be built here (fpm, appimagetool
// and makensis are downloaded by electron-builder), checked by reading and running
// what electron-builder would use:
// - deb.depends keeps electron-builder 26's own default list (setting it replaces it);
// - the deb's maintainer scripts carry electron-builder's templates verbatim, render
//   with its macros, parse, and do what they say when run in a scratch root with the
//   system commands stubbed (the /usr/bin link, the AppArmor profile, the autostart
//   entry; on removal, the entries the app wrote and only those);
// - the window class, the desktop name and StartupWMClass agree (Electron >= 43);
// - the AppImage's desktop entry does not turn the sandbox off;
// - the Windows uninstaller removes the login item the app wrote, not on an update.
// Not proven here: a real dpkg install of a real .deb, a real AppImage on Ubuntu
// 24.04, the NSIS uninstaller on Windows.
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBranding } from '../../tools/branding-file.ts';
import { brandedResources } from '../../tools/builder-config.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const TEMPLATES = join(ROOT, 'node_modules', 'app-builder-lib', 'templates', 'linux');

interface BuilderConfig {
  appId: string;
  productName: string;
  executableName: string;
  linux: { desktop: { entry: Record<string, string> } };
  appImage: { executableArgs?: string[] };
  deb: { depends: string[]; afterInstall: string; afterRemove: string };
  nsis: { include?: string };
}
// The configuration electron-builder is given: electron-builder.yml with the default branding laid over it.
const config = (await brandedResources(await loadBranding())).config as unknown as BuilderConfig & { extraMetadata: { name: string; desktopName: string } };
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; desktopName?: string };

/** electron-builder's writeConfigFile (FpmTarget.js): ${name} macros, and an unknown one is an error. */
function render(path: string): string {
  const macros: Record<string, string> = { executable: config.executableName, sanitizedProductName: config.productName, productFilename: config.productName };
  return readFileSync(path, 'utf8').replace(/\$\{([a-zA-Z]+)\}/g, (_m, name: string) => {
    if (!(name in macros)) throw new Error(`Macro ${name} is not defined`);
    return macros[name] as string;
  });
}

const templateBody = (name: string) => readFileSync(join(TEMPLATES, name), 'utf8').replace(/^#!\/bin\/bash\n/, '').trim();

describe('deb package', () => {
  it('depends on everything electron-builder 26 depends on by default, plus libgbm1 and libasound2', () => {
    const FpmTarget = require('app-builder-lib/out/targets/FpmTarget.js').default as { prototype: { getDefaultDepends(target: string): string[] } };
    const defaults = FpmTarget.prototype.getDefaultDepends.call({}, 'deb');
    expect(defaults).toEqual(expect.arrayContaining(['libgtk-3-0', 'libxss1', 'xdg-utils', 'libatspi2.0-0', 'libuuid1']));
    expect(config.deb.depends).toEqual(expect.arrayContaining([...defaults, 'libgbm1', 'libasound2']));
  });

  it('its scripts carry electron-builder\'s templates verbatim (the /usr/bin link, chrome-sandbox, the AppArmor profile)', () => {
    expect(readFileSync(resolve(ROOT, config.deb.afterInstall), 'utf8')).toContain(templateBody('after-install.tpl'));
    expect(readFileSync(resolve(ROOT, config.deb.afterRemove), 'utf8')).toContain(templateBody('after-remove.tpl'));
  });

  it('its scripts render with electron-builder\'s macros and parse', () => {
    for (const script of [config.deb.afterInstall, config.deb.afterRemove]) {
      const text = render(resolve(ROOT, script));
      expect(text).toContain("'/usr/bin/device-agent'");
      expect(spawnSync('bash', ['-n'], { input: text }).status).toBe(0);
    }
  });

  describe('run in a scratch root, with the system commands stubbed', () => {
    let dir = '';
    let bin = '';
    let calls = '';

    /** Stubs that record their arguments; what they answer is what a Ubuntu 24.04 with AppArmor would. */
    function stub(name: string, body = 'exit 0'): void {
      writeFileSync(join(bin, name), `#!/bin/sh\necho "${name} $*" >> "${calls}"\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    }

    function run(script: string, args: string[], homes: string[] = []): { status: number | null; calls: string[]; stderr: string } {
      writeFileSync(calls, '', { mode: 0o666 });
      chmodSync(calls, 0o666);
      stub('getent', `printf '%s\\n' ${homes.map((h) => `'u:x:1000:1000::${h}:/bin/bash'`).join(' ')}`);
      const text = render(resolve(ROOT, script));
      // As root (CI, containers) the scripts run as nobody: a step that would write
      // outside the scratch root (a template change) fails instead of changing this machine.
      const asNobody = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'] : [];
      const [command = 'bash', ...prefix] = [...asNobody, 'bash'];
      const result = spawnSync(command, [...prefix, '-s', '--', ...args], {
        input: text,
        env: { PATH: `${bin}:/usr/bin:/bin`, DEVICE_AGENT_TEST_ROOT: join(dir, 'root') },
        encoding: 'utf8',
      });
      return { status: result.status, calls: readFileSync(calls, 'utf8').split('\n').filter(Boolean), stderr: result.stderr };
    }

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'da-deb-'));
      bin = join(dir, 'bin');
      calls = join(dir, 'calls.log');
      mkdirSync(bin);
      mkdirSync(join(dir, 'root'));
      chmodSync(dir, 0o777);
      chmodSync(join(dir, 'root'), 0o777);
      // Everything that would change the real system.
      for (const name of ['update-alternatives', 'ln', 'chmod', 'rm', 'cp', 'update-mime-database', 'update-desktop-database', 'apparmor_status', 'apparmor_parser', 'unshare']) stub(name);
    });
    afterAll(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

    it('postinst: the /usr/bin link, the AppArmor profile, and the autostart entry for every user', () => {
      const r = run(config.deb.afterInstall, ['configure']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.calls).toContain("update-alternatives --install /usr/bin/device-agent device-agent /opt/Device Agent/device-agent 100");
      expect(r.calls).toContain('cp -f /opt/Device Agent/resources/apparmor-profile /etc/apparmor.d/device-agent');
      // (The live reload, apparmor_parser --replace, is skipped in a chroot: /usr/bin/ischroot, not stubbed, decides.)
      const entry = join(dir, 'root', 'etc', 'xdg', 'autostart', 'device-agent.desktop');
      const text = readFileSync(entry, 'utf8');
      expect(text).toMatch(/^Exec="\/opt\/Device Agent\/device-agent" --hidden$/m);
      expect(text).toMatch(/^TryExec=\/opt\/Device Agent\/device-agent$/m);
      expect(text).toMatch(/^X-DeviceAgent-Autostart=true$/m);
      // The chmod of the entry went through the stub; the mode it asked for:
      expect(r.calls).toContain(`chmod 0644 ${entry}`);
    });

    it('postrm remove: the link, the system entry and the entries the app wrote go; a person\'s own entry and links stay', () => {
      const home = (name: string) => join(dir, 'root', 'home', name, '.config', 'autostart');
      for (const name of ['ann', 'bob', 'eve']) mkdirSync(home(name), { recursive: true, mode: 0o777 });
      writeFileSync(join(home('ann'), 'device-agent.desktop'), '[Desktop Entry]\nHidden=true\nX-DeviceAgent-Autostart=true\n');
      writeFileSync(join(home('bob'), 'device-agent.desktop'), '[Desktop Entry]\nExec=/home/bob/my-own-wrapper\n');
      writeFileSync(join(dir, 'root', 'secret'), 'X-DeviceAgent-Autostart=true\n');
      symlinkSync(join(dir, 'root', 'secret'), join(home('eve'), 'device-agent.desktop'));
      const r = run(config.deb.afterRemove, ['remove'], ['/home/ann', '/home/bob', '/home/eve', 'relative/home']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.calls).toContain('update-alternatives --remove device-agent /usr/bin/device-agent');
      expect(r.calls).toContain(`rm -f ${join(dir, 'root', 'etc', 'xdg', 'autostart', 'device-agent.desktop')}`);
      expect(r.calls).toContain(`rm -f ${join(home('ann'), 'device-agent.desktop')}`);
      expect(r.calls.filter((c) => c.includes('/home/bob') || c.includes('/home/eve'))).toEqual([]);
      expect(lstatSync(join(home('eve'), 'device-agent.desktop')).isSymbolicLink()).toBe(true);
    });

    it('postrm upgrade: the users\' entries stay (the new version\'s postinst runs next)', () => {
      const r = run(config.deb.afterRemove, ['upgrade', '0.2.0'], ['/home/ann']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.calls.filter((c) => c.startsWith('rm -f') && c.includes('autostart'))).toEqual([]);
      expect(r.calls).not.toContain(expect.stringMatching(/^getent/));
    });
  });
});

describe('window class and desktop entry (Electron >= 43 names the window after the desktop name)', () => {
  it('desktopName is the .desktop file the package installs, and StartupWMClass is its name without ".desktop"', () => {
    expect(pkg.desktopName).toBe(`${config.executableName}.desktop`);
    expect(config.extraMetadata.desktopName).toBe(pkg.desktopName);
    expect(config.extraMetadata.name).toBe(pkg.name);
    expect(config.linux.desktop.entry.StartupWMClass).toBe(pkg.desktopName?.replace(/\.desktop$/, ''));
  });
});

describe('AppImage', () => {
  it('its desktop entry does not pass --no-sandbox (electron-builder\'s default would)', () => {
    expect(config.appImage.executableArgs).toEqual([]);
  });
});

describe('Windows uninstaller', () => {
  it('removes the login item\'s Run value the app wrote (named after the appId), but not on an update', () => {
    expect(config.nsis.include).toBe('build/installer.nsh');
    const nsh = readFileSync(join(ROOT, config.nsis.include as string), 'utf8');
    const unInstall = /!macro customUnInstall([\s\S]*?)!macroend/.exec(nsh)?.[1] ?? '';
    expect(unInstall).toMatch(/\$\{ifNot\} \$\{isUpdated\}/);
    // electron-builder defines APP_ID as the configuration's appId, which main/index.ts sets as the AppUserModelID.
    expect(unInstall).toContain('DeleteRegValue HKCU "Software\\Microsoft\\Windows\\CurrentVersion\\Run" "${APP_ID}"');
    expect(readFileSync(join(ROOT, 'node_modules', 'app-builder-lib', 'out', 'targets', 'nsis', 'NsisTarget.js'), 'utf8')).toContain('APP_ID: appInfo.id,');
    expect(config.appId).toBe('com.licensespring.deviceagent');
    expect(readFileSync(join(ROOT, 'main', 'index.ts'), 'utf8')).toContain('const APP_USER_MODEL_ID = BRANDING.appId;');
  });
});

