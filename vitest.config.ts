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
 * Test-only Ed25519 signing keys (never used outside tests): `test-2025` is retired but still
 * published, `test-2026` signs, `test-2099` is announced for the future.
 */
export const TEST_SIGNING_KEYS = JSON.stringify({
  keys: [
    { kid: 'test-2025', activeFrom: '2025-01-01T00:00:00Z', privateJwk: { kty: 'OKP', crv: 'Ed25519', x: 'kJwGHvEqgzFn7DuIDcVrTzqss7ZtlBqnbBdG4MVSgm0', d: 'kl7QTeXSxijmAhpcban6Zb9McXNghBPZcazSzegNWdU' } },
    { kid: 'test-2026', activeFrom: '2026-01-01T00:00:00Z', privateJwk: { kty: 'OKP', crv: 'Ed25519', x: 'rLoDo5K0kZf98z8u33Xb20Hs50EM8qSHw4xFLyrEcA8', d: '4GpynyDhbAtQH4PzQF9PQuLLywwnOStVrRCXszXlcK4' } },
    { kid: 'test-2099', activeFrom: '2099-01-01T00:00:00Z', privateJwk: { kty: 'OKP', crv: 'Ed25519', x: 'c_RiEMIMkBwmBFLv6yAt0-8UMDfI-Z2ECBGixbUEZLw', d: 'x3AsQECEx93WG5srokpZ1-BsxPXVGJE8CgCVAXDS-mA' } },
  ],
});

/**
 * Test projects:
 * - unit:   pure domain code and db/ (libSQL HTTP server, queries, seed) in Node, on real libSQL files.
 * - worker: the whole app in workerd (@cloudflare/vitest-plugin), each test file on its own libSQL file
 *           served over HTTP (worker/test/global-setup.ts, `testEnv` in worker/test/helpers.ts).
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
      {
        test: {
          name: 'e2e',
          include: ['site/test/**/*.e2e.test.ts'],
          // Runs the whole system as `npm start` does, on a free port over a temporary data folder.
          globalSetup: ['scripts/e2e-global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                // The test libSQL server itself, which names no database: each test file appends its own
                // (`testEnv` in worker/test/helpers.ts), so none can share one by mistake.
                LIBSQL_URL: inject('libsqlUrl'),
                STAMP_KEYS: TEST_STAMP_KEYS,
                SIGNING_KEYS: TEST_SIGNING_KEYS,
                // Low so the rate-limit test reaches it; each test uses fresh keys.
                VERIFY_RATE_LIMIT: '12',
                SESSION_SECRET: 'test-session-secret-of-at-least-32-characters',
                SCAN_SALT: 'test-scan-salt-0123456789',
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
