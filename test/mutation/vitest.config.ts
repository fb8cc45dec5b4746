// The tests Stryker runs against each mutant (npm run test:mutation): the unit
// tests beside the decision modules and the License API client's tests against
// the real sandbox. Only fast tests that reach these modules belong here: Stryker
// runs, per mutant, just the tests that covered it in its first (dry) run.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'app/sync/*.test.ts',
      'app/errors/*.test.ts',
      'app/log/*.test.ts',
      'app/license-key-mask.test.ts',
      'preload/contract.test.ts',
      'app/licenseapi/*.test.ts',
      'app/config/*.test.ts',
      'app/state/*.test.ts',
      'app/collect/validate.test.ts',
      'app/collect/selection.test.ts',
      'main/ipc-handlers.test.ts',
      'main/secrets.test.ts',
      'main/settings-model.test.ts',
      'main/settings-fields.test.ts',
      'main/settings-input.test.ts',
      'main/settings-table.test.ts',
      'app/collect/drop-in.test.ts',
      'app/collect/managed-sources.test.ts',
      'app/collect/variable-sources.test.ts',
      'main/tray-policy.test.ts',
      'main/notifications.test.ts',
      'main/error-fix.test.ts',
      'test/licenseapi/*.test.ts',
    ],
    // Real TLS servers with certificates made by openssl: seconds per run, and what they
    // decide (errors.ts's TLS codes) is covered code by code in errors.test.ts.
    exclude: ['test/licenseapi/transport.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
