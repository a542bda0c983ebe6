/**
 * The statement and SQL-text caches: a migration by another connection between two identical
 * requests never leaves a stale statement (columns, values, constraints), the change counters stay
 * exact without a fresh prepare, and both caches stay bounded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row } from '@libsql/client/web';
import Database from 'libsql';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cachedStatement,
  cacheStats,
  connectionState,
  keepStatement,
  MAX_STATEMENTS,
  MAX_TEXT_LENGTH,
  MAX_TEXTS,
  parseSql,
} from './statements.ts';
import { int, text, useTestServer } from './test-server.ts';

const t = useTestServer();

/** Runs `work` on a connection of its own to the served file (another connection, outside the server). */
function onAnotherConnection(work: (db: Database.Database) => void): void {
  const db = new Database(t.file);
  try {
    work(db);
  } finally {
    db.close();
  }
}

/** A result row's values in column order. */
const cells = (row: Row): unknown[] => Array.from({ length: row.length }, (_, i) => row[i]);

/** Runs `request` and returns its result along with how many cached statements it used. */
async function counted<T>(request: () => Promise<T>): Promise<{ result: T; hits: number }> {
  const before = cacheStats.statementHits;
  const result = await request();
  return { result, hits: cacheStats.statementHits - before };
}

describe('statements cached per connection, across a migration by another connection', () => {
  it('ALTER TABLE ADD COLUMN: the same SELECT * reports the new column and its values', async () => {
    await t.client.executeMultiple("CREATE TABLE m1 (id INTEGER PRIMARY KEY, a TEXT); INSERT INTO m1 (a) VALUES ('x');");
    const query = 'SELECT * FROM m1 ORDER BY id';
    await t.client.execute(query);
    const warm = await counted(() => t.client.execute(query));
    expect(warm.hits).toBe(1); // the second request ran the cached statement
    expect(warm.result.columns).toEqual(['id', 'a']);

    onAnotherConnection((db) => db.exec("ALTER TABLE m1 ADD COLUMN b INTEGER NOT NULL DEFAULT 7"));

    const after = await counted(() => t.client.execute(query));
    expect(after.hits).toBe(1);
    expect(after.result.columns).toEqual(['id', 'a', 'b']);
    expect(after.result.columnTypes).toEqual(['INTEGER', 'TEXT', 'INTEGER']);
    expect(after.result.rows.map(cells)).toEqual([[1n, 'x', 7n]]);
  });

  it('RENAME COLUMN: the cached statement reports the new name', async () => {
    await t.client.executeMultiple("CREATE TABLE m2 (id INTEGER PRIMARY KEY, old_name TEXT); INSERT INTO m2 VALUES (1, 'v');");
    const query = 'SELECT * FROM m2';
    await t.client.execute(query);
    onAnotherConnection((db) => db.exec('ALTER TABLE m2 RENAME COLUMN old_name TO new_name'));
    const after = await counted(() => t.client.execute(query));
    expect(after.hits).toBe(1);
    expect(after.result.columns).toEqual(['id', 'new_name']);
    expect(after.result.rows[0]).toMatchObject({ new_name: 'v' });
  });

  it('DROP and CREATE with other columns: SELECT * and a cached INSERT follow the new table', async () => {
    await t.client.executeMultiple("CREATE TABLE m3 (id INTEGER PRIMARY KEY, a TEXT, b REAL); INSERT INTO m3 VALUES (1, 'one', 1.5);");
    const select = 'SELECT * FROM m3 ORDER BY id';
    const insert = 'INSERT INTO m3 (a) VALUES (?)';
    await t.client.execute(select);
    await t.client.execute({ sql: insert, args: ['two'] });
    expect((await t.client.execute(select)).rows.map(cells)).toEqual([
      [1n, 'one', 1.5],
      [2n, 'two', null],
    ]);

    onAnotherConnection((db) =>
      db.exec("DROP TABLE m3; CREATE TABLE m3 (a BLOB, id INTEGER PRIMARY KEY, c TEXT NOT NULL DEFAULT 'c'); INSERT INTO m3 (id, a) VALUES (10, x'01');"),
    );

    const inserted = await counted(() => t.client.execute({ sql: insert, args: [new Uint8Array([2])] }));
    expect(inserted.hits).toBe(1);
    expect(inserted.result.rowsAffected).toBe(1);
    expect(inserted.result.lastInsertRowid).toBe(11n);
    const after = await counted(() => t.client.execute(select));
    expect(after.hits).toBe(1);
    expect(after.result.columns).toEqual(['a', 'id', 'c']);
    expect(after.result.columnTypes).toEqual(['BLOB', 'INTEGER', 'TEXT']);
    expect(after.result.rows.map((r) => [new Uint8Array(r.a as ArrayBuffer), r.id, r.c])).toEqual([
      [new Uint8Array([1]), 10n, 'c'],
      [new Uint8Array([2]), 11n, 'c'],
    ]);
  });

  it('CREATE UNIQUE INDEX: a cached INSERT enforces the new index (it was compiled again)', async () => {
    await t.client.execute('CREATE TABLE m4 (id INTEGER PRIMARY KEY, k TEXT)');
    const insert = 'INSERT INTO m4 (k) VALUES (?)';
    const lookup = 'SELECT id FROM m4 WHERE k = ? ORDER BY id';
    await t.client.execute({ sql: insert, args: ['a'] });
    await t.client.execute({ sql: insert, args: ['b'] });
    expect((await t.client.execute({ sql: lookup, args: ['b'] })).rows.map((r) => r.id)).toEqual([2n]);

    onAnotherConnection((db) => db.exec('CREATE UNIQUE INDEX m4_k ON m4 (k)'));

    const duplicate = await counted(() => t.client.execute({ sql: insert, args: ['a'] }).then(() => 'inserted', (e: Error) => e.message));
    expect(duplicate.hits).toBe(1);
    expect(duplicate.result).toMatch(/UNIQUE constraint failed: m4\.k/);
    const found = await counted(() => t.client.execute({ sql: lookup, args: ['b'] }));
    expect(found.hits).toBe(1);
    expect(found.result.rows.map((r) => r.id)).toEqual([2n]);
  });

  it('DROP TABLE: the cached SELECT fails as a fresh one would, then works again once the table is back', async () => {
    await t.client.executeMultiple('CREATE TABLE m5 (x INTEGER); INSERT INTO m5 VALUES (1);');
    const query = 'SELECT x FROM m5';
    await t.client.execute(query);
    onAnotherConnection((db) => db.exec('DROP TABLE m5'));
    await expect(t.client.execute(query)).rejects.toThrow(/no such table: m5/);
    await expect(t.client.execute('SELECT x FROM m5 WHERE 1')).rejects.toThrow(/no such table: m5/); // never prepared before
    onAnotherConnection((db) => db.exec('CREATE TABLE m5 (x TEXT); INSERT INTO m5 VALUES (\'back\');'));
    expect((await t.client.execute(query)).rows.map((r) => r.x)).toEqual(['back']);
  });

  it('a migration on another stream of the server, between two identical requests on one held stream', async () => {
    await t.client.executeMultiple("CREATE TABLE m6 (id INTEGER PRIMARY KEY, a TEXT); INSERT INTO m6 (a) VALUES ('first');");
    const select = { type: 'execute', stmt: { sql: 'SELECT * FROM m6 ORDER BY id' } };
    const first = await t.post('/v3/pipeline', { baton: null, requests: [select, select] });
    expect(first.body.results[1].response.result.cols).toEqual([
      { name: 'id', decltype: 'INTEGER' },
      { name: 'a', decltype: 'TEXT' },
    ]);
    // The first stream holds its connection (it has a baton), so this one runs on another.
    const migration = await t.post('/v3/pipeline', {
      baton: null,
      requests: [
        { type: 'sequence', sql: "ALTER TABLE m6 ADD COLUMN b TEXT DEFAULT 'new'; CREATE INDEX m6_b ON m6 (b); INSERT INTO m6 (a, b) VALUES ('second', 'set');" },
        { type: 'close' },
      ],
    });
    expect(migration.body.results[0].type).toBe('ok');
    const again = await counted(() => t.post('/v3/pipeline', { baton: first.body.baton, requests: [select, { type: 'close' }] }));
    expect(again.hits).toBe(1);
    const result = again.result.body.results[0].response.result;
    expect(result.cols.map((c: { name: string }) => c.name)).toEqual(['id', 'a', 'b']);
    expect(result.rows).toEqual([
      [int(1), text('first'), text('new')],
      [int(2), text('second'), text('set')],
    ]);
  });
});

describe('change counters without a fresh prepare', () => {
  it('reports last_insert_rowid beyond 2^53 exactly, and carries it through reads, sequences and RETURNING', async () => {
    await t.client.execute('CREATE TABLE c1 (id INTEGER PRIMARY KEY, v TEXT)');
    const big = 2n ** 53n + 3n;
    const insert = await t.client.execute({ sql: 'INSERT INTO c1 (id, v) VALUES (?, ?)', args: [big, 'big'] });
    expect(insert.lastInsertRowid).toBe(big);

    const pipeline = await t.post('/v3/pipeline', {
      baton: null,
      requests: [
        { type: 'execute', stmt: { sql: 'INSERT INTO c1 (v) VALUES (?)', args: [text('next')] } },
        { type: 'execute', stmt: { sql: 'SELECT v FROM c1 ORDER BY id' } },
        { type: 'sequence', sql: "INSERT INTO c1 (id, v) VALUES (5, 'five')" },
        { type: 'execute', stmt: { sql: 'SELECT v FROM c1 ORDER BY id' } },
        { type: 'execute', stmt: { sql: "UPDATE c1 SET v = v || '!' WHERE id < 10 RETURNING id" } },
        { type: 'execute', stmt: { sql: "INSERT INTO c1 (v) VALUES ('r') RETURNING id" } },
        { type: 'close' },
      ],
    });
    const results = pipeline.body.results.map((r: any) => r.response.result);
    expect(results[0]).toMatchObject({ affected_row_count: 1, last_insert_rowid: String(big + 1n) });
    expect(results[1]).toMatchObject({ affected_row_count: 0, last_insert_rowid: String(big + 1n) });
    expect(results[3]).toMatchObject({ affected_row_count: 0, last_insert_rowid: '5' }); // after the sequence's insert
    expect(results[4]).toMatchObject({ affected_row_count: 1, last_insert_rowid: '5', rows: [[int(5)]] });
    expect(results[5]).toMatchObject({ affected_row_count: 1, last_insert_rowid: String(big + 2n), rows: [[int(big + 2n)]] });
  });
});

describe('cache bounds', () => {
  const dir = mkdtempSync(join(tmpdir(), 'libsql-statements-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps at most MAX_STATEMENTS per connection, least recently used dropped first, and no over-long text', () => {
    const db = new Database(join(dir, 'bounds.db'));
    try {
      const state = connectionState(db);
      const keep = (sql: string) => keepStatement(state, sql, { statement: db.prepare(sql), reader: true, readonly: true });
      for (let i = 0; i < MAX_STATEMENTS; i++) keep(`SELECT ${i}`);
      expect(cachedStatement(state, 'SELECT 0')).toBeDefined(); // now the most recently used
      keep('SELECT -1');
      expect(state.statements.size).toBe(MAX_STATEMENTS);
      expect(state.statements.has('SELECT 0')).toBe(true);
      expect(state.statements.has('SELECT 1')).toBe(false); // the least recently used went
      const long = `SELECT 1 ${'/* padding */'.repeat(MAX_TEXT_LENGTH / 10)}`;
      keep(long);
      expect(state.statements.has(long)).toBe(false);
    } finally {
      db.close();
    }
  });

  it('parses a text once and shares the frozen result; keeps at most MAX_TEXTS texts', () => {
    const sql = `SELECT :a, ?5 -- ${Math.random()}`;
    const first = parseSql(sql);
    expect(parseSql(sql)).toBe(first);
    expect(first[0]!.params).toEqual([':a', null, null, null, '?5']);
    expect(Object.isFrozen(first[0])).toBe(true);
    for (let i = 0; i <= MAX_TEXTS; i++) parseSql(`SELECT ${i} -- bound`);
    expect(parseSql(sql)).not.toBe(first); // dropped as the least recently used, parsed again
    const long = `SELECT 1 ${' '.repeat(MAX_TEXT_LENGTH)}`;
    expect(parseSql(long)).not.toBe(parseSql(long));
  });
});
