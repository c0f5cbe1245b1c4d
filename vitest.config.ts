import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['src/testing/propertySeed.ts'],
    // Property tests take seconds on a quiet machine and several times that on a shared one.
    testTimeout: 30_000,
  },
});
