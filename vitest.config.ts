import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

/** Test-only keys (never used outside tests): key 1 is retired, key 2 signs. */
export const TEST_STAMP_KEYS = JSON.stringify({
  active: 2,
  keys: {
    '1': { code: 'S2Uvff8lXhE7kzM_-K36-qK6pjqX_Q3oSfr0_M-39kw', pin: '1NvjDc5LZVnmQM_TLB45lesBkHsTmd9O5R5dLL2vQ34' },
    '2': { code: '3dqOa9x0XH6PqtHlhNF96IIsLRtMeY-_k_O5-Fzpxlg', pin: 'YIxGm5aYNXxQ5mdI5uFpAbzmMQoGqklbsBhJmP0m-Is' },
  },
});

/**
 * Test projects:
 * - unit:   pure domain code and db/ (libSQL HTTP server, queries, seed) in Node, on real libSQL files.
 * - worker: the whole app in workerd (@cloudflare/vitest-plugin) against a libSQL file served over HTTP.
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
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                LIBSQL_URL: inject('libsqlUrl'),
                STAMP_KEYS: TEST_STAMP_KEYS,
                SESSION_SECRET: 'test-session-secret-of-at-least-32-characters',
                PUBLIC_BASE_URL: 'https://tem.test',
                DEV_MODE: '1',
              },
            },
          })),
        ],
        test: {
          name: 'worker',
          include: ['worker/test/**/*.test.ts'],
          globalSetup: ['worker/test/global-setup.ts'],
          testTimeout: 60_000,
        },
      },
    ],
  },
});
