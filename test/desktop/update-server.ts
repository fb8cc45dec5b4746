// A generic update server on loopback, as `electron-builder --publish` leaves one
// (the folder the `publish.url` names): `<channel>-linux.yml` naming a version, its
// file, sha512 (base64) and size, optionally stagingPercentage; and the file. Faults:
// a file whose bytes differ from the sha512 published (tampered on the server or on
// the way), a download cut short, answers refused. Every request is recorded.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export interface Release {
  version: string;
  /** The installer's bytes (here: a stand-in AppImage, a shell script that records how it was started). */
  artifact: Buffer;
  fileName?: string;
  channel?: string;
  stagingPercentage?: number;
  /** Serve other bytes than the ones the sha512 in the .yml was computed from. */
  tampered?: boolean;
  /** The first n downloads of the file are cut off halfway (the connection drops). */
  cutDownloads?: number;
}

export interface UpdateServer {
  /** The folder URL (what `publish.url` / `updates.url` names), ending in '/'. */
  url: string;
  /** Paths requested, decoded, in order (query strings dropped). */
  requests: string[];
  publish(release: Release): void;
  close(): Promise<void>;
}

/** The channel file electron-updater asks a Linux machine for (Provider.getChannelFilePrefix). */
export function linuxChannelFile(channel = 'latest', arch: string = process.arch): string {
  return `${channel}-linux${arch === 'x64' ? '' : `-${arch}`}.yml`;
}

/**
 * The AppImage's file name as a release names it: electron-builder.yml's appImage.artifactName
 * with its productName ("Device Agent": a space, which the .yml's url keeps as it is) on x64.
 */
export function appImageName(version: string): string {
  const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
  const config = yaml.load(readFileSync(join(import.meta.dirname, '..', '..', 'electron-builder.yml'), 'utf8')) as { productName: string; appImage: { artifactName: string } };
  const fields: Record<string, string> = { productName: config.productName, version, arch: 'x86_64', ext: 'AppImage' };
  return config.appImage.artifactName.replace(/\$\{(\w+)\}/g, (_, key: string) => fields[key] ?? `\${${key}}`);
}

export function sha512Base64(data: Buffer): string {
  return createHash('sha512').update(data).digest('base64');
}

/** The update info file as electron-builder writes it (updateInfoBuilder). */
export function channelYaml(release: Release): string {
  const name = release.fileName ?? appImageName(release.version);
  const sha512 = sha512Base64(release.artifact);
  return [
    `version: ${release.version}`,
    'files:',
    `  - url: ${name}`,
    `    sha512: ${sha512}`,
    `    size: ${release.artifact.length}`,
    `path: ${name}`,
    `sha512: ${sha512}`,
    `releaseDate: '2031-01-01T00:00:00.000Z'`,
    ...(release.stagingPercentage === undefined ? [] : [`stagingPercentage: ${release.stagingPercentage}`]),
    '',
  ].join('\n');
}

/** A stand-in AppImage: a script that appends how it was started to install-log.txt beside itself. */
export function recordingAppImage(version: string): Buffer {
  return Buffer.from([
    '#!/bin/sh',
    `# Device Agent ${version} (a stand-in AppImage for the update tests)`,
    'printf \'%s\\n\' "started $0 $*" "APPIMAGE_SILENT_INSTALL=${APPIMAGE_SILENT_INSTALL:-}" "APPIMAGE_EXIT_AFTER_INSTALL=${APPIMAGE_EXIT_AFTER_INSTALL:-}" >> "$(dirname "$0")/install-log.txt"',
    '',
  ].join('\n'));
}

export async function startUpdateServer(): Promise<UpdateServer> {
  const files = new Map<string, { body: Buffer; release?: Release; served: number }>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    // Paths as the server's file system names them (a release's file names hold a space: %20 on the wire).
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const file = files.get(path);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    file.served++;
    let body = file.body;
    if (file.release?.tampered) {
      body = Buffer.from(body);
      body[body.length - 2] = (body[body.length - 2] ?? 0) ^ 0x20;
    }
    res.writeHead(200, { 'content-type': path.endsWith('.yml') ? 'text/yaml' : 'application/octet-stream', 'content-length': String(body.length) });
    if (file.release?.cutDownloads !== undefined && file.served <= file.release.cutDownloads) {
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    publish(release) {
      const name = release.fileName ?? appImageName(release.version);
      files.set(`/${linuxChannelFile(release.channel)}`, { body: Buffer.from(channelYaml(release)), served: 0 });
      files.set(`/${name}`, { body: release.artifact, release, served: 0 });
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
