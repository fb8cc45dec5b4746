// The first run on a fresh machine, as a new user meets it: a Node older than 24, an
// empty HOME (so an empty Node cache and an empty npm cache), the command run through
// bin/device-agent.js. Node 24 is provisioned from the npm registry on the way (~10 s);
// all of that chatter must go to stderr: before, npm's "added 1 package in 5s" reached
// stdout, so `H=$(npx device-agent hwid)` got it before the id and `vars --json | jq` failed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'device-agent.js');

/** A Node older than 24 on this machine (what the provisioning is for), if there is one. */
function olderNode(): string | undefined {
  const candidates = [...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'node')), '/usr/bin/node', '/usr/local/bin/node'];
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    try {
      const major = Number(execFileSync(candidate, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).trim());
      if (major < 24) return candidate;
    } catch {
      // not runnable
    }
  }
  return undefined;
}

const node = olderNode();

/**
 * A new user's shell: this machine's network settings (proxy, extra CA certificates) but
 * nothing of ours — no DEVICE_AGENT_*, no npm_* from an enclosing `npm test`, no XDG
 * folders, no provisioned Node on PATH — and an empty HOME.
 */
function freshEnv(home: string, nodeCache: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(DEVICE_AGENT_|npm_|XDG_|VITEST|NODE_OPTIONS$|INIT_CWD$)/i.test(name)) continue;
    env[name] = value;
  }
  env.PATH = (process.env.PATH ?? '').split(delimiter).filter((dir) => !dir.includes('node24') && !dir.includes('node_modules')).join(delimiter);
  return { ...env, HOME: home, ...(nodeCache === undefined ? {} : { DEVICE_AGENT_NODE_CACHE: nodeCache }) };
}

function run(args: string[], home: string, nodeCache?: string): { code: number | null; stdout: string; stderr: string } {
  const env = freshEnv(home, nodeCache);
  const result = spawnSync(node!, [BIN, ...args], { env, encoding: 'utf8', timeout: 180_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe.skipIf(node === undefined)(`the first run with an empty Node cache${node === undefined ? ' (skipped: no Node older than 24 here, so nothing to provision)' : ''}`, () => {
  it('hwid and vars --json print exactly their documented output on stdout; the provisioning talks on stderr', async () => {
    const home = await mkdtemp(join(tmpdir(), 'da-fresh-home-'));
    const expectedId = execFileSync(process.execPath, [BIN, 'hwid'], { env: { PATH: process.env.PATH, HOME: await mkdtemp(join(tmpdir(), 'da-ref-home-')) }, encoding: 'utf8' });
    expect(expectedId).toMatch(/^[0-9a-f]{64}\n$/);

    const hwid = run(['hwid'], home); // the default cache: ~/.cache/device-agent/node24 of the empty HOME
    expect(hwid.code, hwid.stderr).toBe(0);
    expect(hwid.stderr).toMatch(/\[with-node24\] Node 2\d\.\S+ found; fetching node-\S+@24 from the npm registry/);
    expect(hwid.stdout).toBe(expectedId);

    // A second empty Node cache (npm's own cache is warm now, which is all that saves time).
    const vars = run(['vars', '--json'], home, join(home, 'another-node-cache'));
    expect(vars.code, vars.stderr).toBe(0);
    expect(vars.stderr).toMatch(/\[with-node24\]/);
    const parsed = JSON.parse(vars.stdout) as { variables: Record<string, unknown>; failures: unknown[]; sources: unknown[] };
    expect(Object.keys(parsed)).toEqual(['variables', 'failures', 'sources']); // sources: variables.d files and managed sources (issue 15)
    expect(parsed.sources).toEqual(expect.any(Array));
    expect(parsed.variables.agent_version).toEqual(expect.any(String));
    expect(vars.stdout.startsWith('{')).toBe(true);
    // <cache>/bin/node: the one path a service's ExecStart= names, whatever the platform package.
    expect(execFileSync(join(home, 'another-node-cache', 'bin', 'node'), ['--version'], { encoding: 'utf8' })).toMatch(/^v24\./);
  }, 240_000);
});
