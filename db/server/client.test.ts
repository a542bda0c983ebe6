/**
 * The local libSQL server through the real clients: `@libsql/client/web` (what the Worker uses)
 * and `@libsql/client` with an http URL; statements, values, errors, batches, and the file
 * the data ends up in.
 */
import { createClient as createNodeClient } from '@libsql/client';
import { LibsqlError } from '@libsql/client/web';
import Database from 'libsql';
import { describe, expect, it } from 'vitest';
import { useTestServer } from './test-server.ts';

const t = useTestServer();

describe('execute through @libsql/client/web', () => {
  it('binds positional and named arguments', async () => {
    const positional = await t.client.execute({ sql: 'SELECT ? AS a, ? AS b, ?3 AS c', args: ['x', 2n, 'z'] });
    expect(positional.rows[0]).toMatchObject({ a: 'x', b: 2n, c: 'z' });

    const named = await t.client.execute({
      sql: 'SELECT :a AS a, @b AS b, $c AS c, :a || @b AS ab',
      args: { a: 'one', '@b': 'two', c: 3n },
    });
    expect(named.columns).toEqual(['a', 'b', 'c', 'ab']);
    expect(named.rows[0]).toMatchObject({ a: 'one', b: 'two', c: 3n, ab: 'onetwo' });
  });

  it('reports lastInsertRowid and rowsAffected', async () => {
    const first = await t.client.execute({ sql: 'INSERT INTO items (name, qty) VALUES (?, ?)', args: ['apple', 1n] });
    expect(first.rowsAffected).toBe(1);
    expect(typeof first.lastInsertRowid).toBe('bigint');
    const second = await t.client.execute({ sql: 'INSERT INTO items (name, qty) VALUES (?, ?)', args: ['pear', 2n] });
    expect(second.lastInsertRowid).toBe(first.lastInsertRowid! + 1n);

    const update = await t.client.execute({ sql: 'UPDATE items SET qty = qty + 10 WHERE name IN (?, ?)', args: ['apple', 'pear'] });
    expect(update.rowsAffected).toBe(2);
    const select = await t.client.execute('SELECT name, qty FROM items WHERE name IN (\'apple\', \'pear\') ORDER BY name');
    expect(select.rowsAffected).toBe(0);
    expect(select.rows.map((r) => [r.name, r.qty])).toEqual([
      ['apple', 11n],
      ['pear', 12n],
    ]);
    const returning = await t.client.execute({ sql: 'DELETE FROM items WHERE name = ? RETURNING name', args: ['pear'] });
    expect(returning.rowsAffected).toBe(1);
    expect(returning.rows[0]?.name).toBe('pear');
  });

  it('keeps infinite REALs infinite (written as 1e999, not null) and finite ones exact', async () => {
    const result = await t.client.execute('SELECT 1e999 AS inf, -1e999 AS ninf, 0.1 AS f, NULL AS n');
    expect(result.rows[0]).toMatchObject({ inf: Infinity, ninf: -Infinity, f: 0.1, n: null });
  });

  it('round-trips 64-bit integers, floats, text, nulls and blobs', async () => {
    const big = 2n ** 53n + 1n;
    const min = -(2n ** 63n);
    const max = 2n ** 63n - 1n;
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    const result = await t.client.execute({
      sql: 'SELECT ? AS big, ? AS min, ? AS max, ? AS f, ? AS t, ? AS n, ? AS b, ? AS ab, typeof(?) AS ftype, ? AS neg',
      args: [big, min, max, 1.5, 'Quảng Ninh 🍵', null, bytes, bytes.buffer, 2.0, -0.25],
    });
    const row = result.rows[0]!;
    expect(row.big).toBe(big);
    expect(row.min).toBe(min);
    expect(row.max).toBe(max);
    expect(row.f).toBe(1.5);
    expect(row.neg).toBe(-0.25);
    expect(row.t).toBe('Quảng Ninh 🍵');
    expect(row.n).toBeNull();
    expect(new Uint8Array(row.b as ArrayBuffer)).toEqual(bytes);
    expect(new Uint8Array(row.ab as ArrayBuffer)).toEqual(bytes);
    expect(row.ftype).toBe('real'); // a JS number is sent as a float, as to Turso

    await t.client.execute({
      sql: 'INSERT INTO items (name, qty, price, data) VALUES (?, ?, ?, ?)',
      args: ['bigint', max, 0.1, bytes],
    });
    const stored = await t.client.execute({ sql: 'SELECT qty, price, data, typeof(qty) AS t FROM items WHERE name = ?', args: ['bigint'] });
    expect(stored.rows[0]).toMatchObject({ qty: max, price: 0.1, t: 'integer' });
    expect(stored.columnTypes).toEqual(['INTEGER', 'REAL', 'BLOB', '']);
  });

  it('turns booleans into integers', async () => {
    const result = await t.client.execute({ sql: 'SELECT ? AS yes, ? AS no', args: [true, false] });
    expect(result.rows[0]).toMatchObject({ yes: 1n, no: 0n });
  });

  it('surfaces syntax and constraint errors as LibsqlError and keeps serving', async () => {
    const syntax = await t.client.execute('SELEC 1').catch((e: unknown) => e);
    expect(syntax).toBeInstanceOf(LibsqlError);
    expect((syntax as LibsqlError).code).toBe('SQL_PARSE_ERROR');
    expect((syntax as LibsqlError).message).toMatch(/near "SELEC": syntax error/);

    await t.client.execute({ sql: 'INSERT INTO items (name) VALUES (?)', args: ['unique-one'] });
    const unique = await t.client.execute({ sql: 'INSERT INTO items (name) VALUES (?)', args: ['unique-one'] }).catch((e: unknown) => e);
    expect(unique).toBeInstanceOf(LibsqlError);
    expect((unique as LibsqlError).code).toBe('SQLITE_CONSTRAINT');
    expect((unique as LibsqlError).message).toMatch(/UNIQUE constraint failed: items\.name/);

    const many = await t.client.execute('SELECT 1; SELECT 2').catch((e: unknown) => e);
    expect((many as LibsqlError).code).toBe('SQL_MANY_STATEMENTS');
    const tooMany = await t.client.execute({ sql: 'SELECT ?', args: [1n, 2n] }).catch((e: unknown) => e);
    expect((tooMany as LibsqlError).code).toBe('ARGS_INVALID');

    expect((await t.client.execute('SELECT 1 AS ok')).rows[0]?.ok).toBe(1n);
  });

  it('runs 50 concurrent upserts with distinct results 1..50', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        t.client.execute({
          sql: 'INSERT INTO counters (key, n) VALUES (?, 1) ON CONFLICT (key) DO UPDATE SET n = n + 1 RETURNING n',
          args: ['hits'],
        }),
      ),
    );
    const values = results.map((r) => Number(r.rows[0]!.n)).sort((a, b) => a - b);
    expect(values).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('also works with @libsql/client (Node entry) and an http URL', async () => {
    const nodeClient = createNodeClient({ url: t.server.url });
    try {
      const result = await nodeClient.execute({ sql: 'SELECT ? + 1 AS n, ? AS s', args: [41, 'node'] });
      expect(result.rows[0]).toMatchObject({ n: 42, s: 'node' });
      const batch = await nodeClient.batch(['SELECT 1 AS a', { sql: 'SELECT ? AS b', args: [2] }], 'read');
      expect(batch.map((r) => r.rows[0])).toMatchObject([{ a: 1 }, { b: 2 }]);
    } finally {
      nodeClient.close();
    }
  });
});

describe('batches', () => {
  it('commits a write batch', async () => {
    const results = await t.client.batch(
      [
        { sql: 'INSERT INTO ledger (account, amount) VALUES (?, ?)', args: ['batch-ok', 10n] },
        { sql: 'INSERT INTO ledger (account, amount) VALUES (?, ?)', args: ['batch-ok', 20n] },
        { sql: 'SELECT sum(amount) AS total FROM ledger WHERE account = ?', args: ['batch-ok'] },
      ],
      'write',
    );
    expect(results[2]!.rows[0]?.total).toBe(30n);
  });

  it('rolls back a write batch when a statement fails', async () => {
    const error = await t.client
      .batch(
        [
          { sql: 'INSERT INTO ledger (account, amount) VALUES (?, ?)', args: ['batch-fail', 1n] },
          { sql: 'INSERT INTO ledger (account, amount) VALUES (?, ?)', args: ['batch-fail', null] },
          { sql: 'INSERT INTO ledger (account, amount) VALUES (?, ?)', args: ['batch-fail', 3n] },
        ],
        'write',
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LibsqlError);
    expect((error as LibsqlError).code).toBe('SQLITE_CONSTRAINT');
    expect((error as LibsqlError).message).toMatch(/NOT NULL constraint failed: ledger\.amount/);
    const count = await t.client.execute({ sql: 'SELECT count(*) AS n FROM ledger WHERE account = ?', args: ['batch-fail'] });
    expect(count.rows[0]?.n).toBe(0n);
  });

  it('evaluates step conditions ok/error/not/and/or and is_autocommit (Hrana 3)', async () => {
    const steps = [
      { stmt: { sql: 'SELECT 1' } },
      { stmt: { sql: 'SELECT nope FROM nowhere' } },
      { condition: { type: 'ok', step: 0 }, stmt: { sql: "SELECT 'ok0'" } },
      { condition: { type: 'ok', step: 1 }, stmt: { sql: "SELECT 'ok1'" } },
      { condition: { type: 'error', step: 1 }, stmt: { sql: "SELECT 'error1'" } },
      { condition: { type: 'not', cond: { type: 'ok', step: 1 } }, stmt: { sql: "SELECT 'not-ok1'" } },
      {
        condition: { type: 'and', conds: [{ type: 'ok', step: 0 }, { type: 'ok', step: 1 }] },
        stmt: { sql: "SELECT 'and'" },
      },
      {
        condition: { type: 'or', conds: [{ type: 'ok', step: 0 }, { type: 'ok', step: 1 }] },
        stmt: { sql: "SELECT 'or'" },
      },
      { condition: { type: 'is_autocommit' }, stmt: { sql: "SELECT 'autocommit'" } },
    ];
    const { status, body } = await t.post('/v3/pipeline', { baton: null, requests: [{ type: 'batch', batch: { steps } }, { type: 'close' }] });
    expect(status).toBe(200);
    expect(body.baton).toBeNull();
    const result = body.results[0].response.result;
    const executed = result.step_results.map((r: any) => (r === null ? null : r.rows[0][0].value));
    expect(executed).toEqual(['1', null, 'ok0', null, 'error1', 'not-ok1', null, 'or', 'autocommit']);
    expect(result.step_errors[1]).toMatchObject({ code: 'SQLITE_ERROR', message: expect.stringMatching(/no such table: nowhere/) });
    expect(result.step_errors.filter((e: unknown) => e !== null)).toHaveLength(1);

    // is_autocommit is a Hrana 3 feature: refused on /v2
    const v2 = await t.post('/v2/pipeline', { requests: [{ type: 'batch', batch: { steps: [steps[8]] } }, { type: 'close' }] });
    expect(v2.body.results[0]).toMatchObject({ type: 'error', error: { code: 'NOT_SUPPORTED' } });
  });
});

describe('the database file', () => {
  it('holds the data written through the server', async () => {
    await t.client.execute({ sql: 'INSERT INTO items (name, qty, data) VALUES (?, ?, ?)', args: ['in-file', 2n ** 62n, new Uint8Array([9, 8, 7])] });
    const upsert = { sql: 'INSERT INTO counters (key, n) VALUES (?, 1) ON CONFLICT (key) DO UPDATE SET n = n + 1', args: ['in-file'] };
    await Promise.all(Array.from({ length: 50 }, () => t.client.execute(upsert)));
    const db = new Database(t.file);
    try {
      const row = db.prepare('SELECT qty, data FROM items WHERE name = ?').safeIntegers(true).get(['in-file']) as {
        qty: bigint;
        data: Buffer;
      };
      expect(row.qty).toBe(2n ** 62n);
      expect([...row.data]).toEqual([9, 8, 7]);
      const counter = db.prepare("SELECT n FROM counters WHERE key = 'in-file'").safeIntegers(true).get([]) as { n: bigint };
      expect(counter.n).toBe(50n);
      expect(db.prepare('PRAGMA journal_mode').raw(true).get([])).toEqual(['wal']);
    } finally {
      db.close();
    }
  });
});
