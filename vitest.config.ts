import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['src/testing/propertySeed.ts'],
    // Property tests take seconds on a quiet machine and several times that on a shared one.
    testTimeout: 30_000,
    // The model, readers and analysis are pure modules: one module graph per worker instead of one per test file
    // cuts the unit run's import time ~7× (import 148 s → 20 s summed over files; the whole run 480 s → ~200 s on a
    // busy 2-core machine). Spies are restored after every test so none leaks into the next file.
    isolate: false,
    restoreMocks: true,
  },
});
