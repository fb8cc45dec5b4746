// The long variants, excluded from `npm test`: run with
//   node tools/with-node24.js vitest run --config test/soak/vitest.config.ts
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/soak/**/*.soak.test.ts'],
    testTimeout: 15 * 60_000,
    pool: 'forks',
  },
});
