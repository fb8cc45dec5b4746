// The contract table is what keeps main, preload and renderer in step: this test proves
// the typecheck enforces it. It compiles the real preload, main's IPC handlers and the
// renderer with the project's compiler options, once as they are (no error) and once per
// mutation of one source file (served from memory at its real path): a bridge method bound
// to another channel, a main handler missing, a channel added to the table alone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const ROOTS = ['preload/index.ts', 'main/shell-services.ts', 'renderer/index.ts', 'test/renderer/page-bridge.ts'].map((f) => join(root, f));

const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
if (!config) throw new Error('tsconfig.json could not be read');
// The project's own declarations (e.g. app/licenseapi/proxy-from-env.d.ts) are roots of `tsc -p` too.
ROOTS.push(...config.fileNames.filter((f) => f.endsWith('.d.ts')));

interface Mutation { file: string; from: string; to: string }

let previous: ts.Program | undefined;

/** The errors of a compile of ROOTS with `mutation` applied, as "file: message" lines. */
function compile(mutation?: Mutation): string[] {
  const host = ts.createCompilerHost(config!.options, true);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  const mutated = mutation ? join(root, mutation.file) : undefined;
  const mutatedText = (): string => {
    const text = readFileSync(mutated!, 'utf8');
    // The mutation names text of the real file: when that file changes, this test must follow.
    expect(text, `${mutation!.file} no longer holds the text this mutation changes`).toContain(mutation!.from);
    return text.replace(mutation!.from, mutation!.to);
  };
  host.readFile = (file) => (file === mutated ? mutatedText() : readFile(file));
  host.getSourceFile = (file, language, onError, fresh) => (file === mutated
    ? ts.createSourceFile(file, mutatedText(), language, true)
    : previous?.getSourceFile(file) ?? getSourceFile(file, language, onError, fresh));
  const program = ts.createProgram({ rootNames: ROOTS, options: config!.options, host, oldProgram: previous });
  if (!mutation) previous = program;
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? d.file.fileName.slice(root.length + 1) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

describe('the contract table and the typecheck', { timeout: 120_000 }, () => {
  it('the sources as they are type-check', () => {
    expect(compile()).toEqual([]);
  });

  it.each<[string, Mutation, RegExp]>([
    ['a bridge method bound to another channel that answers the same type (getStatus → deactivate)',
      { file: 'preload/contract.ts', from: 'getStatus: () => invoke(CHANNELS.getStatus),', to: 'getStatus: () => invoke(CHANNELS.deactivate),' },
      /^preload\/contract\.ts: .*device-agent:deactivate.*device-agent:get-status/],
    ['a bridge method bound to another channel that answers another type (syncNow → getStatus)',
      { file: 'preload/contract.ts', from: 'syncNow: () => invoke(CHANNELS.syncNow),', to: 'syncNow: () => invoke(CHANNELS.getStatus),' },
      /^preload\/contract\.ts: /],
    ['a bridge method sending another payload shape',
      { file: 'preload/contract.ts', from: 'invoke(CHANNELS.setPaused, { paused })', to: 'invoke(CHANNELS.setPaused, { pause: paused })' },
      /^preload\/contract\.ts: .*pause/],
    ['a main handler missing (deactivate)',
      { file: 'main/shell-services.ts', from: "'device-agent:deactivate':", to: "'device-agent:deactivate-typo':" },
      /^main\/shell-services\.ts: .*device-agent:deactivate/],
    ['a main handler answering another type',
      { file: 'main/shell-services.ts', from: "'device-agent:get-status': () => statusView(),", to: "'device-agent:get-status': () => view()," },
      /^main\/shell-services\.ts: /],
    ['a channel added to the table alone (no payload schema, no bridge method, no handler)',
      { file: 'preload/contract.ts', from: "  deactivate: 'device-agent:deactivate',\n", to: "  deactivate: 'device-agent:deactivate',\n  checkForUpdates: 'device-agent:check-for-updates',\n" },
      /device-agent:check-for-updates|checkForUpdates/],
  ])('%s fails the typecheck', (_what, mutation, expected) => {
    const errors = compile(mutation);
    expect(errors.length, 'the mutation type-checked').toBeGreaterThan(0);
    expect(errors.some((e) => expected.test(e)), errors.join('\n')).toBe(true);
  });
});
