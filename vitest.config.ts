import { defineConfig } from 'vitest/config';

/**
 * Test projects:
 * - unit:   pure domain code and db/ (libSQL HTTP server, queries) in Node, on real libSQL files.
 * - worker: the Worker through the whole app in workerd (@cloudflare/vitest-plugin), added by worker/vitest.config.ts.
 * - e2e:    the admin site in Debian's Chromium against a running system.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['worker/src/**/*.test.ts', 'db/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      { test: { name: 'e2e', include: ['site/test/**/*.e2e.test.ts'], testTimeout: 120000, hookTimeout: 180000 } },
    ],
  },
});
