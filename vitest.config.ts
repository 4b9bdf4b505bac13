import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // Fails the run when a test wrote into ./data, the user's own report store.
    globalSetup: ['test/support/checkout-untouched.ts'],
  },
});
