/**
 * Each workerd test file runs on a database of its own: a fresh copy of the migrated template,
 * named after the file (global-setup.ts; `testEnv` in helpers.ts). These tests check that
 * arrangement itself, so that no other test has to rely on random suffixes to stay apart.
 */
import { env } from 'cloudflare:workers';
import { count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client.ts';
import journal from '../../db/migrations/meta/_journal.json';
import { producers } from '../../db/schema.ts';
import worker from '../src/index.ts';
import { call, makeProducer, testDb, testEnv } from './helpers.ts';

const server = env.LIBSQL_URL;

/** The database as this file found it, before any of its tests ran: tables and their row counts. */
let before: Record<string, number>;
beforeAll(async () => {
  const { rows } = await testDb().$client.execute(
    "select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name",
  );
  before = {};
  for (const { name } of rows) {
    const result = await testDb().$client.execute(`select count(*) as n from "${String(name)}"`);
    before[String(name)] = Number(result.rows[0]!.n);
  }
});

describe("a test file's database", () => {
  it('is named after the file, on the test server', () => {
    expect(testEnv.LIBSQL_URL.startsWith(`${server}/`)).toBe(true);
    expect(testEnv.LIBSQL_URL.slice(server.length)).toMatch(/^\/isolation-[0-9a-f]{8}\/$/);
  });

  it('starts migrated and empty: every table of the schema, no rows but the migration journal', () => {
    const tables = Object.keys(before);
    expect(tables).toEqual(expect.arrayContaining(['producers', 'products', 'batches', 'print_runs', 'stamps', 'scans', 'alerts', 'users', 'sessions']));
    expect(before).toEqual({ ...Object.fromEntries(tables.map((t) => [t, 0])), __drizzle_migrations: journal.entries.length });
  });

  it("does not see rows written to another file's database, nor that one this file's", async () => {
    const other = createDb(`${server}/isolation-other-${crypto.randomUUID().slice(0, 8)}/`);
    try {
      await other.insert(producers).values({ kind: 'cooperative', name: 'Elsewhere', taxCode: '5700000001', address: 'x', province: 'Quảng Ninh' });
      const mine = await makeProducer();
      expect(await testDb().select({ name: producers.name }).from(producers)).toContainEqual({ name: mine.name });
      expect(await testDb().select({ n: count() }).from(producers).where(eq(producers.name, 'Elsewhere'))).toEqual([{ n: 0 }]);
      expect(await other.select({ name: producers.name }).from(producers)).toEqual([{ name: 'Elsewhere' }]);
    } finally {
      other.$client.close();
    }
  });

  it("cannot fall back on a shared database: the project's LIBSQL_URL names none", async () => {
    await expect(createDb(server).$client.execute('select 1')).rejects.toThrow(/No endpoint POST/);
    // The Worker with the project's bindings unchanged finds no database either.
    const shared = await worker.fetch(new Request('https://tem.test/healthz'), env);
    expect(shared.status).toBe(503);
    expect((await call('/healthz')).status).toBe(200);
  });
});
