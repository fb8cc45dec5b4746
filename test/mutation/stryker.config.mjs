// StrykerJS over the modules that make decisions (npm run test:mutation; see
// docs/testing.md). Per-file thresholds live in thresholds.json beside this file
// and are checked by tools/mutation.ts after Stryker's run.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // related: each mutant runs only the test files that import its module (and, with perTest coverage, only
  // the tests that reached it); a module-level ("static") mutant then runs those files, not the whole set.
  vitest: { configFile: 'test/mutation/vitest.config.ts', related: true, pool: 'forks' },
  coverageAnalysis: 'perTest',
  mutate: [
    'app/sync/*.ts',
    'app/errors/*.ts',
    'app/log/redact.ts',
    'app/license-key-mask.ts',
    'preload/contract.ts',
    'app/licenseapi/client.ts',
    'app/licenseapi/errors.ts',
    'app/licenseapi/error-codes.ts',
    'app/licenseapi/signing.ts',
    'app/licenseapi/response-signature.ts',
    'app/licenseapi/clock.ts',
    'app/licenseapi/retry-after.ts',
    'app/config/*.ts',
    'app/state/*.ts',
    'app/collect/validate.ts',
    'app/collect/selection.ts',
    'main/ipc-handlers.ts',
    'main/secrets.ts',
    'main/settings-model.ts',
    'main/settings-fields.ts',
    'main/settings-input.ts',
    '!**/*.test.ts',
    '!**/*.d.ts',
  ],
  ignorePatterns: ['dist', 'release', 'test-results', '.cache', 'build', 'bench', 'test/electron', 'test/soak'],
  incremental: true,
  incrementalFile: 'test/mutation/stryker-incremental.json',
  concurrency: 1,
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'test-results/mutation/mutation.html' },
  jsonReporter: { fileName: 'test-results/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: false },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  thresholds: { high: 90, low: 85, break: null },
};
