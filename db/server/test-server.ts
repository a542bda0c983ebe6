/**
 * Shared set-up of the local libSQL server's tests (db/server/*.test.ts): each test file that
 * calls {@link useTestServer} gets its own server over a fresh temporary database file holding
 * the tables the tests use, and `@libsql/client/web` connected to it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from '@libsql/client/web';
import { afterAll, beforeAll } from 'vitest';
import { startLibsqlServer, type LibsqlServer } from './index.ts';

/** What {@link useTestServer} provides; `server` and `client` are set once `beforeAll` has run. */
export interface TestServer {
  /** The database file (for a second server over the same file, or for opening it directly). */
  file: string;
  server: LibsqlServer;
  /** `@libsql/client/web` with `intMode: 'bigint'`. */
  client: Client;
  /** POSTs a JSON body (or a raw string) to the server and returns status and parsed body. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
}

/** Starts a server for this test file (tables `items`, `counters`, `ledger`) and stops it after. */
export function useTestServer(): TestServer {
  const dir = mkdtempSync(join(tmpdir(), 'libsql-server-test-'));
  const context = {
    file: join(dir, 'test.db'),
    async post(path: string, body: unknown, headers: Record<string, string> = {}) {
      const res = await fetch(context.server.url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
    },
  } as TestServer;

  beforeAll(async () => {
    context.server = await startLibsqlServer({ file: context.file });
    context.client = createClient({ url: context.server.url, intMode: 'bigint' });
    await context.client.executeMultiple(`
      CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, qty INTEGER, price REAL, data BLOB);
      CREATE TABLE counters (key TEXT PRIMARY KEY, n INTEGER NOT NULL);
      CREATE TABLE ledger (id INTEGER PRIMARY KEY, account TEXT NOT NULL, amount INTEGER NOT NULL);
    `);
  });

  afterAll(async () => {
    context.client?.close();
    await context.server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  return context;
}

/** Hrana JSON values. */
export const text = (value: string) => ({ type: 'text', value });
export const int = (value: number | bigint) => ({ type: 'integer', value: String(value) });
