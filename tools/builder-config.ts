// The electron-builder configuration for one branding: electron-builder.yml (what
// every build shares: files, fuses, targets, installer behaviour, publishing) with
// the branding's names, ids, icons and the deb's maintainer scripts laid over it.
// Written into .cache/brand-<hash>/ together with what it points at:
//   electron-builder.json   the configuration to pass to electron-builder --config
//   linux/after-install.sh, linux/after-remove.sh   build/linux's templates, rendered
//   icons (icon.png, icon.ico, icons/png/, icons/tray/) for a branding other than the
//   default one (the default's are committed in build/, drawn by tools/make-icons.ts)
// `node tools/with-node24.js node tools/builder-config.ts [--branding <file>]` prints the
// configuration's path: `npx electron-builder --config <that path> --win` builds installers.
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { autostartMarkerKey, desktopFileName, type Branding } from '../app/branding/schema.ts';
import { brandingArg, loadBranding, ROOT, type LoadedBranding } from './branding-file.ts';
import { makeIcons } from './make-icons.ts';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };

export interface BrandedResources {
  /** The folder holding icon.png, icon.ico, icons/png/ and icons/tray/. */
  icons: string;
  /** The generated electron-builder configuration (JSON). */
  configFile: string;
  config: Record<string, unknown>;
}

/** build/linux's maintainer-script templates with the branding's {{tokens}} filled in (electron-builder's ${macros} stay for it). */
export function renderScript(template: string, branding: Branding): string {
  const tokens: Record<string, string> = {
    productName: branding.productName,
    description: branding.description,
    executableName: branding.executableName,
    desktopFileName: desktopFileName(branding),
    autostartKey: autostartMarkerKey(branding),
  };
  return template.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => {
    const value = tokens[name];
    if (value === undefined) throw new Error(`unknown branding token {{${name}}}`);
    return value;
  });
}

/** electron-builder.yml with the branding laid over it. */
export async function builderConfig(branding: Branding, icons: string, scripts: { afterInstall: string; afterRemove: string }): Promise<Record<string, unknown>> {
  const base = yaml.load(await readFile(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, Record<string, unknown>>;
  const exe = branding.executableName;
  return {
    ...base,
    appId: branding.appId,
    productName: branding.productName,
    executableName: exe,
    copyright: branding.copyright,
    // The packaged package.json: its name is Electron's app name (the keyring entry and the
    // default folders follow it) and desktopName the window class and .desktop file name;
    // the repository's CLI entry (bin) is not part of the desktop app.
    extraMetadata: { ...(base.extraMetadata ?? {}), name: exe, bin: null, desktopName: desktopFileName(branding), description: branding.description, author: branding.publisher },
    win: { ...base.win, icon: join(icons, 'icon.ico') },
    mac: { ...base.mac, icon: join(icons, 'icon.png') },
    linux: {
      ...base.linux,
      icon: join(icons, 'icons', 'png'),
      synopsis: branding.description,
      vendor: branding.publisher,
      maintainer: branding.publisher,
      // The window's WM_CLASS (and Wayland app id) is, since Electron 43, the desktop name:
      // desktopName without ".desktop", the .desktop file the package installs. Not productName.
      desktop: { ...(base.linux?.desktop as object), entry: { ...((base.linux?.desktop as { entry?: object })?.entry ?? {}), StartupWMClass: exe } },
    },
    deb: { ...base.deb, ...scripts },
    // A vendor's packages look for updates on its own server.
    ...(branding.updateUrl ? { publish: { ...base.publish, url: branding.updateUrl } } : {}),
  };
}

/**
 * Parallel builds (test files) share the default branding's folder: a file is replaced
 * whole (written aside, renamed over), and only when its content changes, so a reader
 * never sees it half-written.
 */
async function replaceFile(path: string, content: string, mode = 0o644): Promise<void> {
  if (await readFile(path, 'utf8').then((old) => old === content, () => false)) return;
  const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, content, { mode });
  await rename(temp, path);
}

/** Writes (once per branding content) the icons, scripts and configuration into .cache/brand-<hash>/. */
export async function brandedResources(loaded: LoadedBranding): Promise<BrandedResources> {
  const dir = join(ROOT, '.cache', `brand-${loaded.hash}`);
  const configFile = join(dir, 'electron-builder.json');
  const icons = loaded.isDefault ? join(ROOT, 'build') : dir;
  if (!loaded.isDefault && !existsSync(join(dir, 'icons.done'))) {
    const temp = `${dir}.tmp-${process.pid}`;
    await rm(temp, { recursive: true, force: true });
    await makeIcons(temp, loaded.icon);
    await writeFile(join(temp, 'icons.done'), '');
    // Another build may have put the same icons in place meanwhile (then ours go); a folder
    // left without them by an interrupted build is replaced.
    await rename(temp, dir).catch(async () => {
      if (!existsSync(join(dir, 'icons.done'))) {
        await rm(dir, { recursive: true, force: true });
        await rename(temp, dir).catch(() => undefined);
      }
      await rm(temp, { recursive: true, force: true });
    });
  }
  await mkdir(join(dir, 'linux'), { recursive: true });
  const scripts = { afterInstall: join(dir, 'linux', 'after-install.sh'), afterRemove: join(dir, 'linux', 'after-remove.sh') };
  for (const [name, out] of [['after-install.sh', scripts.afterInstall], ['after-remove.sh', scripts.afterRemove]] as const) {
    await replaceFile(out, renderScript(await readFile(join(ROOT, 'build', 'linux', name), 'utf8'), loaded.branding), 0o755);
  }
  const config = await builderConfig(loaded.branding, icons, scripts);
  await replaceFile(configFile, `${JSON.stringify(config, null, 2)}\n`);
  return { icons, configFile, config };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const resources = await brandedResources(await loadBranding(brandingArg(process.argv.slice(2))));
    console.log(resources.configFile);
  } catch (error) {
    console.error(`builder-config: ${(error as Error).message}`);
    process.exit(1);
  }
}
