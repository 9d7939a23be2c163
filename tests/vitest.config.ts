import { configDefaults, defineConfig } from 'vitest/config';

// Cross-package tests: API integration, collaboration and browser end-to-end (e2e/).
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'artifacts/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The e2e files each start a real server and a browser: one file at a time. Vitest allows this
    // switch only for the whole run (not per project), so it applies to every file here.
    fileParallelism: false,
  },
});
