/**
 * Vitest globalSetup of the browser tests: runs the whole system exactly as `npm start` does, on a
 * free port over a temporary data folder, and hands its URL and admin password to the tests.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

export default async function setup() {
  if (process.env.E2E_BASE_URL) return; // a system is already running; the tests use it
  const dataDir = mkdtempSync(join(tmpdir(), 'truyxuat-e2e-'));
  const port = await freePort();
  const password = `e2e-${Math.random().toString(36).slice(2)}`;
  const child = spawn('npx', ['tsx', 'scripts/start.ts'], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, ADMIN_PASSWORD: password },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 150_000;
  while (!log.includes('Truy xuất is running')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`npm start did not come up:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  process.env.E2E_BASE_URL = baseUrl;
  process.env.E2E_EMAIL = 'admin@localhost';
  process.env.E2E_PASSWORD = password;
  return async () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dataDir, { recursive: true, force: true });
  };
}
