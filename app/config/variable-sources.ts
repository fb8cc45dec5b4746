// The shape of `variableSources` in the managed file: variables the agent reads for
// the administrator — an environment variable, a file's content, a Windows registry
// value, a macOS defaults key, or a command's output. Each entry is one variable,
// named by its key. What each costs and how it runs: app/collect/managed-sources.ts.
//
//   "variableSources": {
//     "acme_edition":  { "env": "ACME_EDITION" },
//     "acme_channel":  { "file": "/opt/acme/channel.txt" },
//     "acme_version":  { "registry": "HKLM\\SOFTWARE\\Acme\\Product", "value": "Version" },
//     "acme_build":    { "defaults": "/Library/Preferences/com.acme.product", "key": "Build" },
//     "gpu_model":     { "command": ["/usr/bin/nvidia-smi", "--query-gpu=name", "--format=csv,noheader"], "interval": "6h", "timeout": "5s" }
//   }
import { isAbsolute, posix, win32 } from 'node:path';
import { z } from 'zod';

/** The most variables the managed file may define this way. */
export const MAX_VARIABLE_SOURCES = 20;
/** Bounds of a spawned source's interval (default 1 h) and timeout (default 10 s). */
export const SOURCE_INTERVAL = { defaultMs: 3_600_000, minMs: 60_000, maxMs: 7 * 24 * 3_600_000 } as const;
export const SOURCE_TIMEOUT = { defaultMs: 10_000, minMs: 100, maxMs: 60_000 } as const;
/** Bounds of a command's output (default 4 KiB). */
export const SOURCE_OUTPUT = { defaultBytes: 4096, maxBytes: 65_536 } as const;

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

const text = (max: number, what: string) => z.string({ error: `must be ${what}` }).min(1, 'must not be empty').max(max, `must be at most ${max} characters`)
  .refine((s) => !CONTROL_CHARS.test(s), 'must not contain control characters');

/** An absolute path on any OS the managed file is written for (a relative one would depend on the agent's working folder). */
const absolutePath = text(4096, 'an absolute file path').refine((p) => isAbsolute(p) || posix.isAbsolute(p) || win32.isAbsolute(p), 'must be an absolute path');

/** "90s", "15m", "6h", "1d" or a number of seconds; within [min, max]. */
export function parseSourceDuration(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? Math.round(input * 1000) : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d)?\s*$/i.exec(input);
  if (!match) return undefined;
  const unit = (match[2] ?? 's').toLowerCase();
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'h' ? 3_600_000 : unit === 'd' ? 86_400_000 : 60_000;
  return Math.round(Number(match[1]) * factor);
}

function duration(bounds: { defaultMs: number; minMs: number; maxMs: number }, words: string) {
  const rule = `must be a duration such as ${words} (a number alone is seconds), from ${bounds.minMs < 1000 ? `${bounds.minMs}ms` : `${bounds.minMs / 1000}s`} to ${bounds.maxMs >= 86_400_000 ? `${bounds.maxMs / 86_400_000}d` : `${bounds.maxMs / 1000}s`}`;
  return z.union([z.number(), z.string()], { error: rule }).transform((value, ctx) => {
    const ms = parseSourceDuration(value);
    if (ms === undefined || ms < bounds.minMs || ms > bounds.maxMs) {
      ctx.addIssue({ code: 'custom', message: rule });
      return z.NEVER;
    }
    return ms;
  }).optional();
}

const interval = duration(SOURCE_INTERVAL, '"30m", "6h" or "1d"');
const timeout = duration(SOURCE_TIMEOUT, '"5s"');

const envSource = z.strictObject({
  env: z.string({ error: 'must be the name of an environment variable' }).regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'must be the name of an environment variable (letters, digits, _)'),
});

const fileSource = z.strictObject({ file: absolutePath });

/** HKLM\… or HKCU\… (or their long names); the value name may be "" for the key's default value. */
const registrySource = z.strictObject({
  registry: text(512, 'a registry key').regex(/^(HKLM|HKCU|HKEY_LOCAL_MACHINE|HKEY_CURRENT_USER)\\[^\\]/i, 'must be a key under HKLM\\ or HKCU\\, e.g. HKLM\\SOFTWARE\\Acme\\Product'),
  value: z.string({ error: 'must be the name of a registry value ("" for the key\'s default)' }).max(256, 'must be at most 256 characters').refine((s) => !CONTROL_CHARS.test(s), 'must not contain control characters'),
  interval,
  timeout,
});

/** A domain (com.acme.product) or the absolute path of a .plist without its extension. */
const defaultsSource = z.strictObject({
  defaults: text(1024, 'a defaults domain').refine((d) => d.startsWith('/') || /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(d), 'must be a domain such as com.acme.product or an absolute path'),
  key: text(256, 'a defaults key'),
  interval,
  timeout,
});

const commandSource = z.strictObject({
  command: z.array(text(4096, 'text'), { error: 'must be a list: the program (an absolute path) and its arguments; no shell runs it' })
    .min(1, 'must name the program to run').max(64, 'must have at most 64 arguments')
    .refine((argv) => argv[0] === undefined || isAbsolute(argv[0]) || posix.isAbsolute(argv[0]) || win32.isAbsolute(argv[0]), 'must start with the program\'s absolute path (no PATH search, no shell)'),
  interval,
  timeout,
  maxOutputBytes: z.number({ error: 'must be a number of bytes' }).int('must be a whole number of bytes').min(1, 'must be at least 1').max(SOURCE_OUTPUT.maxBytes, `must be at most ${SOURCE_OUTPUT.maxBytes}`).optional(),
});

const KINDS = ['env', 'file', 'registry', 'defaults', 'command'] as const;
export type VariableSourceKind = (typeof KINDS)[number];

/** One source: exactly one of env, file, registry, defaults, command (the kind is the key that is present). */
export const variableSourceSchema = z.unknown().transform((value, ctx) => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: `must be an object with one of ${KINDS.join(', ')}` });
    return z.NEVER;
  }
  const present = KINDS.filter((k) => Object.hasOwn(value, k));
  if (present.length !== 1) {
    ctx.addIssue({ code: 'custom', message: present.length === 0 ? `must say where the value comes from: one of ${KINDS.join(', ')}` : `must have only one of ${present.join(', ')}` });
    return z.NEVER;
  }
  const kind = present[0]!;
  const schema = { env: envSource, file: fileSource, registry: registrySource, defaults: defaultsSource, command: commandSource }[kind];
  const parsed = (schema as z.ZodType).safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const message = issue.code === 'unrecognized_keys' ? `${issue.keys.join(', ')}: not an option of a ${kind} source` : issue.message;
      ctx.addIssue({ code: 'custom', message, path: issue.code === 'unrecognized_keys' ? [] : issue.path });
    }
    return z.NEVER;
  }
  return { kind, ...(parsed.data as object) } as VariableSourceSpec;
});

export type VariableSourceSpec =
  | { kind: 'env'; env: string }
  | { kind: 'file'; file: string }
  | { kind: 'registry'; registry: string; value: string; interval?: number; timeout?: number }
  | { kind: 'defaults'; defaults: string; key: string; interval?: number; timeout?: number }
  | { kind: 'command'; command: string[]; interval?: number; timeout?: number; maxOutputBytes?: number };
