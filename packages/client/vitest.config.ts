import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // The set-up builds the package (it type-checks the API), packs it and installs it into a new project.
    hookTimeout: 180_000,
  },
});
