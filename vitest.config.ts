import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{app,cli,locales,main,preload,renderer,sandbox,tools}/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', 'test/soak/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
