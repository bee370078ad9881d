import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) builds; Node loads the CJS one for everyone,
    // Vite would pick the ESM one for our code and the CJS one for Apollo's: two realms.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: [
      'test/**/*.test.ts',
      'subgraphs/**/*.test.ts',
      'gateway/**/*.test.ts',
      'kernel/**/*.test.ts',
      'rest-adapter/**/*.test.ts',
    ],
    globalSetup: ['test/global-setup.ts'],
    // Each file boots its own platform on its own database; two cores run two at a time.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 20_000,
  },
});
