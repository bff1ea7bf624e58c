import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // integration files each start their own servers on port 0; two cores run two files at a time
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
