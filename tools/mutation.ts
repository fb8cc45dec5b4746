// npm run test:mutation [-- <stryker options>]: mutation testing of the modules that make
// decisions (docs/testing.md). Runs StrykerJS with test/mutation/stryker.config.mjs, then
// reads its JSON report and checks every mutated file's score against
// test/mutation/thresholds.json; exits 1 when a file is under its threshold.
//
//   npm run test:mutation                                   all decision modules (incremental)
//   npm run test:mutation -- --mutate app/sync/diff.ts      one file while working on it
//   npm run test:mutation -- --concurrency 2                when the machine is idle
//   npm run test:mutation -- --force                        ignore the incremental file
//   npm run test:mutation -- --scores                       only print the scores kept from the last run
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CONFIG = 'test/mutation/stryker.config.mjs';
const REPORT = join(root, 'test-results', 'mutation', 'mutation.json');
/** Every mutant's last result (Stryker's incremental file), also after an interrupted run. */
const INCREMENTAL = join(root, 'test', 'mutation', 'stryker-incremental.json');
const THRESHOLDS = join(root, 'test', 'mutation', 'thresholds.json');

type MutantStatus = 'Killed' | 'Survived' | 'NoCoverage' | 'Timeout' | 'CompileError' | 'RuntimeError' | 'Ignored' | 'Pending';

interface Report {
  files: Record<string, { mutants: Array<{ status: MutantStatus; static?: boolean }> }>;
}

interface Thresholds {
  /** The score a file must reach when it has no entry of its own. */
  default: number;
  /** Per file: the score it must reach, and why it is below the default where it is. */
  files: Record<string, { min: number; why?: string }>;
}

interface FileScore {
  file: string;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  /** Killed or timed out, over every mutant that ran or could not be reached (Stryker's "total" score). */
  score: number;
}

function scoreOf(file: string, mutants: Array<{ status: MutantStatus }>): FileScore {
  const count = (status: MutantStatus) => mutants.filter((m) => m.status === status).length;
  const killed = count('Killed');
  const timeout = count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const valid = killed + timeout + survived + noCoverage;
  return { file, killed, timeout, survived, noCoverage, score: valid === 0 ? 100 : (100 * (killed + timeout)) / valid };
}

function main(): number {
  const started = Date.now();
  const scoresOnly = process.argv.includes('--scores');
  if (!scoresOnly) {
    const stryker = join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
    const run = spawnSync(process.execPath, [stryker, 'run', CONFIG, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
    if (run.status !== 0) {
      console.error(`test:mutation: Stryker failed (exit ${run.status ?? run.signal}); see its output above.`);
      return 1;
    }
  }
  const source = scoresOnly ? INCREMENTAL : REPORT;
  if (!existsSync(source)) {
    console.error(`test:mutation: no results at ${source}.`);
    return 1;
  }
  const report = JSON.parse(readFileSync(source, 'utf8')) as Report;
  const thresholds = JSON.parse(readFileSync(THRESHOLDS, 'utf8')) as Thresholds;
  const scores = Object.entries(report.files).map(([file, { mutants }]) => scoreOf(file, mutants)).sort((a, b) => a.file.localeCompare(b.file));
  const width = Math.max(...scores.map((s) => s.file.length), 4);
  const failures: string[] = [];
  console.log(`\n${'file'.padEnd(width)}  score  min  killed  timeout  survived  no-cov`);
  for (const s of scores) {
    const min = thresholds.files[s.file]?.min ?? thresholds.default;
    const ok = s.score >= min;
    if (!ok) failures.push(`${s.file}: ${s.score.toFixed(2)} % is under its threshold of ${min} %`);
    console.log(`${s.file.padEnd(width)}  ${s.score.toFixed(1).padStart(5)}  ${String(min).padStart(3)}  ${String(s.killed).padStart(6)}  ${String(s.timeout).padStart(7)}  ${String(s.survived).padStart(8)}  ${String(s.noCoverage).padStart(6)}${ok ? '' : '  UNDER'}`);
  }
  const all = scoreOf('all', Object.values(report.files).flatMap((f) => f.mutants));
  console.log(`${'all files'.padEnd(width)}  ${all.score.toFixed(1).padStart(5)}       ${String(all.killed).padStart(6)}  ${String(all.timeout).padStart(7)}  ${String(all.survived).padStart(8)}  ${String(all.noCoverage).padStart(6)}`);
  console.log(`\ntest:mutation: ${scores.length} files in ${Math.round((Date.now() - started) / 1000)} s; the report is test-results/mutation/mutation.html.`);
  if (failures.length > 0) {
    console.error(`test:mutation: ${failures.length} file(s) under their threshold:\n  ${failures.join('\n  ')}`);
    return 1;
  }
  console.log('test:mutation: every file meets its threshold.');
  return 0;
}

process.exitCode = main();
