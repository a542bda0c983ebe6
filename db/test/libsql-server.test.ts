/**
 * The local libSQL HTTP server against the real clients (`@libsql/client/web` and
 * `@libsql/client` with an http URL) and, for protocol details the client does not reach
 * (Hrana 3 JSON, the cursor endpoint, conditions, batons), raw HTTP requests.
 * Every server serves a fresh temporary database file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient as createNodeClient } from '@libsql/client';
import { createClient, LibsqlError, type Client } from '@libsql/client/web';
import Database from 'libsql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLibsqlServer, type LibsqlServer } from '../server/index.ts';
import { splitSqlStatements } from '../server/sql-text.ts';

const dir = mkdtempSync(join(tmpdir(), 'libsql-server-test-'));
const file = join(dir, 'test.db');
let server: LibsqlServer;
let client: Client;

beforeAll(async () => {
  server = await startLibsqlServer({ file });
  client = createClient({ url: server.url, intMode: 'bigint' });
  await client.executeMultiple(`
    CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, qty INTEGER, price REAL, data BLOB);
    CREATE TABLE counters (key TEXT PRIMARY KEY, n INTEGER NOT NULL);
    CREATE TABLE ledger (id INTEGER PRIMARY KEY, account TEXT NOT NULL, amount INTEGER NOT NULL);
  `);
});

afterAll(async () => {
  client?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** POSTs a JSON body to the server and returns status and parsed body. */
async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

const text = (value: string) => ({ type: 'text', value });
const int = (value: number | bigint) => ({ type: 'integer', value: String(value) });

describe('version probes and routing', () => {
  it('answers the v2 and v3 probes and refuses the Protobuf encoding', async () => {
    expect((await fetch(`${server.url}/v2`)).status).toBe(200);
    expect((await fetch(`${server.url}/v3`)).status).toBe(200);
    expect((await fetch(`${server.url}/v3-protobuf`)).status).toBe(404);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('answers malformed JSON and bad bodies with 400 and an error structure', async () => {
    const bad = await post('/v2/pipeline', '{"requests": [');
    expect(bad).toEqual({ status: 400, body: { message: 'The request body is not valid JSON', code: 'INVALID_JSON' } });
    const noRequests = await post('/v2/pipeline', { baton: null });
    expect(noRequests.status).toBe(400);
    expect(noRequests.body.code).toBe('INVALID_REQUEST');
    expect((await post('/v9/pipeline', { requests: [] })).status).toBe(404);
    expect((await fetch(`${server.url}/v2/pipeline`)).status).toBe(405);
  });

  it('refuses non-loopback hosts and in-memory databases', async () => {
    await expect(startLibsqlServer({ file, host: '0.0.0.0' })).rejects.toThrow(/loopback/);
    await expect(startLibsqlServer({ file: ':memory:' })).rejects.toThrow(/file/);
  });
});

describe('execute through @libsql/client/web', () => {
  it('binds positional and named arguments', async () => {
    const positional = await client.execute({ sql: 'SELECT ? AS a, ? AS b, ?3 AS c', args: ['x', 2n, 'z'] });
    expect(positional.rows[0]).toMatchObject({ a: 'x', b: 2n, c: 'z' });

    const named = await client.execute({
      sql: 'SELECT :a AS a, @b AS b, $c AS c, :a || @b AS ab',
      args: { a: 'one', '@b': 'two', c: 3n },
    });
    expect(named.columns).toEqual(['a', 'b', 'c', 'ab']);
    expect(named.rows[0]).toMatchObject({ a: 'one', b: 'two', c: 3n, ab: 'onetwo' });
  });

  it('reports lastInsertRowid and rowsAffected', async () => {
    const first = await client.execute({ sql: 'INSERT INTO items (name, qty) VALUES (?, ?)', args: ['apple', 1n] });
    expect(first.rowsAffected).toBe(1);
    expect(typeof first.lastInsertRowid).toBe('bigint');
    const second = await client.execute({ sql: 'INSERT INTO items (name, qty) VALUES (?, ?)', args: ['pear', 2n] });
    expect(second.lastInsertRowid).toBe(first.lastInsertRowid! + 1n);

    const update = await client.execute({ sql: 'UPDATE items SET qty = qty + 10 WHERE name IN (?, ?)', args: ['apple', 'pear'] });
    expect(update.rowsAffected).toBe(2);
    const select = await client.execute('SELECT name, qty FROM items WHERE name IN (\'apple\', \'pear\') ORDER BY name');
    expect(select.rowsAffected).toBe(0);
    expect(select.rows.map((r) => [r.name, r.qty])).toEqual([
      ['apple', 11n],
      ['pear', 12n],
    ]);
    const returning = await client.execute({ sql: 'DELETE FROM items WHERE name = ? RETURNING name', args: ['pear'] });
    expect(returning.rowsAffected).toBe(1);
    expect(returning.rows[0]?.name).toBe('pear');
  });

  it('round-trips 64-bit integers, floats, text, nulls and blobs', async () => {
    const big = 2n ** 53n + 1n;
    const min = -(2n ** 63n);
    const max = 2n ** 63n - 1n;
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    const result = await client.execute({
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

    await client.execute({
      sql: 'INSERT INTO items (name, qty, price, data) VALUES (?, ?, ?, ?)',
      args: ['bigint', max, 0.1, bytes],
    });
    const stored = await client.execute({ sql: 'SELECT qty, price, data, typeof(qty) AS t FROM items WHERE name = ?', args: ['bigint'] });
    expect(stored.rows[0]).toMatchObject({ qty: max, price: 0.1, t: 'integer' });
    expect(stored.columnTypes).toEqual(['INTEGER', 'REAL', 'BLOB', '']);
  });

  it('turns booleans into integers', async () => {
    const result = await client.execute({ sql: 'SELECT ? AS yes, ? AS no', args: [true, false] });
    expect(result.rows[0]).toMatchObject({ yes: 1n, no: 0n });
  });

  it('surfaces syntax and constraint errors as LibsqlError and keeps serving', async () => {
    const syntax = await client.execute('SELEC 1').catch((e: unknown) => e);
    expect(syntax).toBeInstanceOf(LibsqlError);
    expect((syntax as LibsqlError).code).toBe('SQL_PARSE_ERROR');
    expect((syntax as LibsqlError).message).toMatch(/near "SELEC": syntax error/);

    await client.execute({ sql: 'INSERT INTO items (name) VALUES (?)', args: ['unique-one'] });
    const unique = await client.execute({ sql: 'INSERT INTO items (name) VALUES (?)', args: ['unique-one'] }).catch((e: unknown) => e);
    expect(unique).toBeInstanceOf(LibsqlError);
    expect((unique as LibsqlError).code).toBe('SQLITE_CONSTRAINT');
    expect((unique as LibsqlError).message).toMatch(/UNIQUE constraint failed: items\.name/);

    const many = await client.execute('SELECT 1; SELECT 2').catch((e: unknown) => e);
    expect((many as LibsqlError).code).toBe('SQL_MANY_STATEMENTS');
    const tooMany = await client.execute({ sql: 'SELECT ?', args: [1n, 2n] }).catch((e: unknown) => e);
    expect((tooMany as LibsqlError).code).toBe('ARGS_INVALID');

    expect((await client.execute('SELECT 1 AS ok')).rows[0]?.ok).toBe(1n);
  });

  it('runs 50 concurrent upserts with distinct results 1..50', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        client.execute({
          sql: 'INSERT INTO counters (key, n) VALUES (?, 1) ON CONFLICT (key) DO UPDATE SET n = n + 1 RETURNING n',
          args: ['hits'],
        }),
      ),
    );
    const values = results.map((r) => Number(r.rows[0]!.n)).sort((a, b) => a - b);
    expect(values).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('also works with @libsql/client (Node entry) and an http URL', async () => {
    const nodeClient = createNodeClient({ url: server.url });
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
    const results = await client.batch(
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
    const error = await client
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
    const count = await client.execute({ sql: 'SELECT count(*) AS n FROM ledger WHERE account = ?', args: ['batch-fail'] });
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
    const { status, body } = await post('/v3/pipeline', { baton: null, requests: [{ type: 'batch', batch: { steps } }, { type: 'close' }] });
    expect(status).toBe(200);
    expect(body.baton).toBeNull();
    const result = body.results[0].response.result;
    const executed = result.step_results.map((r: any) => (r === null ? null : r.rows[0][0].value));
    expect(executed).toEqual(['1', null, 'ok0', null, 'error1', 'not-ok1', null, 'or', 'autocommit']);
    expect(result.step_errors[1]).toMatchObject({ code: 'SQLITE_ERROR', message: expect.stringMatching(/no such table: nowhere/) });
    expect(result.step_errors.filter((e: unknown) => e !== null)).toHaveLength(1);

    // is_autocommit is a Hrana 3 feature: refused on /v2
    const v2 = await post('/v2/pipeline', { requests: [{ type: 'batch', batch: { steps: [steps[8]] } }, { type: 'close' }] });
    expect(v2.body.results[0]).toMatchObject({ type: 'error', error: { code: 'NOT_SUPPORTED' } });
  });
});

describe('interactive transactions', () => {
  it('reads its own writes, hides them from others, and commits', async () => {
    const tx = await client.transaction('write');
    await tx.execute({ sql: 'INSERT INTO ledger (account, amount) VALUES (?, ?)', args: ['tx-commit', 5n] });
    const inside = await tx.execute({ sql: 'SELECT count(*) AS n FROM ledger WHERE account = ?', args: ['tx-commit'] });
    expect(inside.rows[0]?.n).toBe(1n);
    const outside = await client.execute({ sql: 'SELECT count(*) AS n FROM ledger WHERE account = ?', args: ['tx-commit'] });
    expect(outside.rows[0]?.n).toBe(0n);
    await tx.commit();
    const after = await client.execute({ sql: 'SELECT count(*) AS n FROM ledger WHERE account = ?', args: ['tx-commit'] });
    expect(after.rows[0]?.n).toBe(1n);
  });

  it('rolls back', async () => {
    const tx = await client.transaction('write');
    await tx.execute({ sql: 'INSERT INTO ledger (account, amount) VALUES (?, ?)', args: ['tx-rollback', 5n] });
    expect((await tx.execute("SELECT count(*) AS n FROM ledger WHERE account = 'tx-rollback'")).rows[0]?.n).toBe(1n);
    await tx.rollback();
    expect((await client.execute("SELECT count(*) AS n FROM ledger WHERE account = 'tx-rollback'")).rows[0]?.n).toBe(0n);
  });

  it('makes a second writer wait for the first, then see its data', async () => {
    const first = await client.transaction('write');
    await first.execute({ sql: 'INSERT INTO ledger (account, amount) VALUES (?, ?)', args: ['concurrent', 100n] });

    const second = await client.transaction('write');
    let secondStarted = false;
    const secondWork = second
      .execute("SELECT coalesce(sum(amount), 0) AS total FROM ledger WHERE account = 'concurrent'")
      .then((r) => {
        secondStarted = true;
        return r;
      });

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(secondStarted).toBe(false); // BEGIN IMMEDIATE is waiting for the first writer
    // meanwhile autocommit readers are not blocked
    expect((await client.execute("SELECT count(*) AS n FROM ledger WHERE account = 'concurrent'")).rows[0]?.n).toBe(0n);
    await first.commit();

    const seen = await secondWork;
    expect(seen.rows[0]?.total).toBe(100n);
    await second.execute({ sql: 'INSERT INTO ledger (account, amount) VALUES (?, ?)', args: ['concurrent', 1n] });
    await second.commit();
    expect((await client.execute("SELECT sum(amount) AS t FROM ledger WHERE account = 'concurrent'")).rows[0]?.t).toBe(101n);
  });

  it('fails with SQLITE_BUSY when the lock is held longer than the busy timeout', async () => {
    const quick = await startLibsqlServer({ file, busyTimeoutMs: 200 });
    const quickClient = createClient({ url: quick.url });
    try {
      const holder = await quickClient.transaction('write');
      await holder.execute('SELECT 1');
      const started = Date.now();
      const error = await quickClient.execute("INSERT INTO ledger (account, amount) VALUES ('busy', 1)").catch((e: unknown) => e);
      expect((error as LibsqlError).code).toBe('SQLITE_BUSY');
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
      await holder.rollback();
    } finally {
      quickClient.close();
      await quick.close();
    }
  });
});

describe('connections left with an active statement', () => {
  /** Runs a pipeline on `url` and returns the parsed body. */
  async function pipeline(url: string, body: unknown): Promise<any> {
    const res = await fetch(`${url}/v3/pipeline`, { method: 'POST', body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    return res.json();
  }
  const count = async (account: string) =>
    (await client.execute({ sql: 'SELECT count(*) AS n FROM ledger WHERE account = ?', args: [account] })).rows[0]?.n;

  it('commits later writes of a stream whose statement gave up on SQLITE_BUSY', async () => {
    const quick = await startLibsqlServer({ file, busyTimeoutMs: 100 });
    try {
      const holder = await pipeline(quick.url, { requests: [{ type: 'execute', stmt: { sql: 'BEGIN IMMEDIATE' } }] });
      const blocked = await pipeline(quick.url, {
        requests: [{ type: 'execute', stmt: { sql: "INSERT INTO ledger (account, amount) VALUES ('stuck', 1)" } }],
      });
      expect(blocked.results[0]).toMatchObject({ type: 'error', error: { code: 'SQLITE_BUSY' } });
      await pipeline(quick.url, { baton: holder.baton, requests: [{ type: 'execute', stmt: { sql: 'ROLLBACK' } }, { type: 'close' }] });

      const later = await pipeline(quick.url, {
        baton: blocked.baton,
        requests: [{ type: 'execute', stmt: { sql: "INSERT INTO ledger (account, amount) VALUES ('unstuck', 1)" } }],
      });
      expect(later.results[0].type).toBe('ok');
      expect(await count('unstuck')).toBe(1n); // committed, visible to another connection at once
      await pipeline(quick.url, { baton: later.baton, requests: [{ type: 'close' }] });
    } finally {
      await quick.close();
    }
  });

  it('commits writes that follow an EXPLAIN of a write on the same stream', async () => {
    const steps = [
      { stmt: { sql: "EXPLAIN INSERT INTO ledger (account, amount) VALUES ('explained', 1)" } },
      { stmt: { sql: "INSERT INTO ledger (account, amount) VALUES ('after-explain', 1)" } },
    ];
    const body = await pipeline(server.url, { requests: [{ type: 'batch', batch: { steps } }] });
    const result = body.results[0].response.result;
    expect(result.step_errors).toEqual([null, null]);
    expect(result.step_results[0].cols.map((c: any) => c.name)).toContain('opcode');
    expect(await count('after-explain')).toBe(1n);
    expect(await count('explained')).toBe(0n);
    await pipeline(server.url, { baton: body.baton, requests: [{ type: 'close' }] });
  });
});

describe('Hrana protocol details over raw HTTP', () => {
  it('speaks v2: store_sql, sql_id, describe, sequence, want_rows, close', async () => {
    const { status, body } = await post('/v2/pipeline', {
      baton: null,
      requests: [
        { type: 'store_sql', sql_id: 7, sql: 'SELECT :name AS greeting, :n AS n' },
        {
          type: 'execute',
          stmt: {
            sql_id: 7,
            named_args: [
              { name: ':name', value: text('xin chào') },
              { name: 'n', value: { type: 'null' } },
            ],
            args: [],
            want_rows: true,
          },
        },
        { type: 'execute', stmt: { sql: 'SELECT ?, ?', args: [int(-(2n ** 63n)), { type: 'blob', base64: 'AP8=' }] } },
        { type: 'execute', stmt: { sql: 'SELECT 1', want_rows: false } },
        { type: 'describe', sql: 'SELECT id, name AS n FROM items WHERE qty > :min AND price < ?' },
        { type: 'sequence', sql: 'CREATE TABLE seq (x); INSERT INTO seq VALUES (1); INSERT INTO seq VALUES (2);' },
        { type: 'close_sql', sql_id: 7 },
        { type: 'execute', stmt: { sql_id: 7 } },
        { type: 'get_autocommit' },
        { type: 'close' },
        { type: 'execute', stmt: { sql: 'SELECT 1' } },
      ],
    });
    expect(status).toBe(200);
    expect(body.baton).toBeNull();
    expect(body.base_url).toBeNull();
    const [store, byId, values, noRows, described, sequence, closeSql, missing, autocommit, close, afterClose] = body.results;
    expect(store).toEqual({ type: 'ok', response: { type: 'store_sql' } });
    expect(byId.response.result).toMatchObject({
      cols: [
        { name: 'greeting', decltype: null },
        { name: 'n', decltype: null },
      ],
      rows: [[text('xin chào'), { type: 'null' }]],
      affected_row_count: 0,
    });
    expect(typeof byId.response.result.last_insert_rowid).toBe('string');
    expect(values.response.result.rows).toEqual([[int(-(2n ** 63n)), { type: 'blob', base64: 'AP8=' }]]);
    expect(noRows.response.result).toMatchObject({ cols: [{ name: '1' }], rows: [] });
    expect(described.response.result).toEqual({
      params: [{ name: ':min' }, { name: null }],
      cols: [
        { name: 'id', decltype: 'INTEGER' },
        { name: 'n', decltype: 'TEXT' },
      ],
      is_explain: false,
      is_readonly: true,
    });
    expect(sequence).toEqual({ type: 'ok', response: { type: 'sequence' } });
    expect(closeSql).toEqual({ type: 'ok', response: { type: 'close_sql' } });
    expect(missing).toMatchObject({ type: 'error', error: { code: 'SQL_NOT_FOUND' } });
    expect(autocommit).toMatchObject({ type: 'error', error: { code: 'NOT_SUPPORTED' } }); // Hrana 3 only
    expect(close).toEqual({ type: 'ok', response: { type: 'close' } });
    expect(afterClose).toMatchObject({ type: 'error', error: { code: 'STREAM_CLOSED' } });
    const seq = await client.execute('SELECT count(*) AS n FROM seq');
    expect(seq.rows[0]?.n).toBe(2n);
  });

  it('keeps a stream open with batons, and rejects reused or unknown batons', async () => {
    const begin = await post('/v3/pipeline', {
      requests: [
        { type: 'execute', stmt: { sql: 'BEGIN' } },
        { type: 'execute', stmt: { sql: "INSERT INTO ledger (account, amount) VALUES ('baton', 1)" } },
        { type: 'get_autocommit' },
      ],
    });
    expect(begin.status).toBe(200);
    const baton: string = begin.body.baton;
    expect(typeof baton).toBe('string');
    expect(begin.body.results[2].response).toEqual({ type: 'get_autocommit', is_autocommit: false });

    const next = await post('/v3/pipeline', {
      baton,
      requests: [{ type: 'execute', stmt: { sql: "SELECT count(*) FROM ledger WHERE account = 'baton'" } }, { type: 'execute', stmt: { sql: 'COMMIT' } }, { type: 'get_autocommit' }],
    });
    expect(next.status).toBe(200);
    expect(next.body.results[0].response.result.rows).toEqual([[int(1)]]);
    expect(next.body.results[2].response.is_autocommit).toBe(true);
    expect(next.body.baton).not.toBe(baton);

    const reused = await post('/v3/pipeline', { baton, requests: [{ type: 'close' }] });
    expect(reused).toMatchObject({ status: 400, body: { code: 'BATON_INVALID' } });
    const unknown = await post('/v3/pipeline', { baton: '999999.nope', requests: [] });
    expect(unknown).toMatchObject({ status: 400, body: { code: 'BATON_INVALID' } });

    const closed = await post('/v3/pipeline', { baton: next.body.baton, requests: [{ type: 'close' }] });
    expect(closed.body).toEqual({ baton: null, base_url: null, results: [{ type: 'ok', response: { type: 'close' } }] });
  });

  it('expires idle streams and rolls back their transaction', async () => {
    const shortLived = await startLibsqlServer({ file, idleTimeoutMs: 150 });
    try {
      const call = (body: unknown) =>
        fetch(`${shortLived.url}/v3/pipeline`, { method: 'POST', body: JSON.stringify(body) }).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as any,
        }));
      const begin = await call({
        requests: [
          { type: 'execute', stmt: { sql: 'BEGIN IMMEDIATE' } },
          { type: 'execute', stmt: { sql: "INSERT INTO ledger (account, amount) VALUES ('expired', 1)" } },
        ],
      });
      expect(begin.body.baton).toEqual(expect.any(String));
      await new Promise((resolve) => setTimeout(resolve, 400));
      const late = await call({ baton: begin.body.baton, requests: [{ type: 'execute', stmt: { sql: 'COMMIT' } }] });
      expect(late).toMatchObject({ status: 400, body: { code: 'STREAM_EXPIRED' } });
      // the write lock is free again and the insert was rolled back
      const write = await client.execute("INSERT INTO ledger (account, amount) VALUES ('after-expiry', 1)");
      expect(write.rowsAffected).toBe(1);
      expect((await client.execute("SELECT count(*) AS n FROM ledger WHERE account = 'expired'")).rows[0]?.n).toBe(0n);
    } finally {
      await shortLived.close();
    }
  });

  it('streams batch results from /v3/cursor as newline-delimited JSON', async () => {
    const res = await fetch(`${server.url}/v3/cursor`, {
      method: 'POST',
      body: JSON.stringify({
        baton: null,
        batch: {
          steps: [
            { stmt: { sql: 'SELECT 1 AS a UNION ALL SELECT 2' } },
            { stmt: { sql: 'SELECT * FROM missing_table' } },
            { condition: { type: 'ok', step: 1 }, stmt: { sql: 'SELECT 3' } },
            { stmt: { sql: "INSERT INTO ledger (account, amount) VALUES ('cursor', 1)" } },
          ],
        },
      }),
    });
    expect(res.status).toBe(200);
    const raw = await res.text();
    expect(raw.endsWith('\n')).toBe(true);
    const [head, ...entries] = raw.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(head).toEqual({ baton: expect.any(String), base_url: null });
    expect(entries.map((e) => e.type)).toEqual(['step_begin', 'row', 'row', 'step_end', 'step_error', 'step_begin', 'step_end']);
    expect(entries[0]).toEqual({ type: 'step_begin', step: 0, cols: [{ name: 'a', decltype: null }] });
    expect(entries[1]).toEqual({ type: 'row', row: [int(1)] });
    expect(entries[3]).toMatchObject({ type: 'step_end', affected_row_count: 0 });
    expect(entries[4]).toMatchObject({ type: 'step_error', step: 1, error: { code: 'SQLITE_ERROR' } });
    expect(entries[5]).toMatchObject({ type: 'step_begin', step: 3, cols: [] });
    expect(entries[6]).toMatchObject({ type: 'step_end', affected_row_count: 1, last_insert_rowid: expect.any(String) });
    // the cursor left the stream open: close it with the baton it returned
    const closed = await post('/v3/pipeline', { baton: head.baton, requests: [{ type: 'close' }] });
    expect(closed.body.baton).toBeNull();
  });

  it('reports bad arguments per request without failing the pipeline', async () => {
    const { status, body } = await post('/v2/pipeline', {
      requests: [
        { type: 'execute', stmt: { sql: 'SELECT ?', args: [{ type: 'integer', value: '9223372036854775808' }] } },
        { type: 'execute', stmt: { sql: 'SELECT :a', named_args: [{ name: 'b', value: { type: 'null' } }] } },
        { type: 'execute', stmt: { sql: 'SELECT ?', args: [{ type: 'date', value: 'x' }] } },
        { type: 'execute', stmt: { sql: '  -- nothing' } },
        { type: 'nonsense' },
        { type: 'execute', stmt: { sql: 'SELECT ?', args: [{ type: 'integer', value: true }] } },
        { type: 'close' },
      ],
    });
    expect(status).toBe(200);
    expect(body.results.map((r: any) => r.error?.code ?? r.type)).toEqual([
      'ARGS_INVALID',
      'ARGS_INVALID',
      'ARGS_INVALID',
      'SQL_NO_STATEMENT',
      'INVALID_REQUEST',
      'ok',
      'ok',
    ]);
    expect(body.results[5].response.result.rows).toEqual([[int(1)]]);
  });
});

describe('authentication', () => {
  it('requires the bearer token when authToken is set', async () => {
    const secured = await startLibsqlServer({ file, authToken: 'secret-token' });
    const good = createClient({ url: secured.url, authToken: 'secret-token' });
    const wrong = createClient({ url: secured.url, authToken: 'wrong-token' });
    const none = createClient({ url: secured.url });
    try {
      expect((await good.execute('SELECT 1 AS one')).rows[0]?.one).toBe(1);
      for (const bad of [wrong, none]) {
        const error = await bad.execute('SELECT 1').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(LibsqlError);
        expect((error as LibsqlError).code).toBe('UNAUTHORIZED');
      }
      const raw = await fetch(`${secured.url}/v2/pipeline`, { method: 'POST', body: '{"requests":[]}' });
      expect(raw.status).toBe(401);
      expect((await fetch(`${secured.url}/v2`)).status).toBe(200); // version probes stay open
    } finally {
      good.close();
      wrong.close();
      none.close();
      await secured.close();
    }
  });

  it('accepts any token when no authToken is set', async () => {
    const anyToken = createClient({ url: server.url, authToken: 'whatever' });
    try {
      expect((await anyToken.execute('SELECT 2 AS two')).rows[0]?.two).toBe(2);
    } finally {
      anyToken.close();
    }
  });
});

describe('SQL text scanning', () => {
  it('splits scripts, keeping trigger bodies, strings and comments together', () => {
    const script = `
      CREATE TABLE a (x TEXT DEFAULT ';'); -- a comment; with a semicolon
      /* block; comment */ CREATE TRIGGER a_ins AFTER INSERT ON a BEGIN
        INSERT INTO a VALUES (CASE WHEN 1 THEN 'x;' ELSE "y" END);
        UPDATE a SET x = 'end';
      END;
      ;;
      SELECT [odd;name] FROM a`;
    const statements = splitSqlStatements(script);
    expect(statements.map((s) => s.keywords[0])).toEqual(['CREATE', 'CREATE', 'SELECT']);
    expect(statements[1]!.text).toMatch(/END$/);
    expect(splitSqlStatements('  -- only a comment\n ; ')).toEqual([]);
  });

  it('numbers parameters as SQLite does', () => {
    const [statement] = splitSqlStatements("SELECT :a, ?, ?5, @b, :a, $c::d, ':no', ?, x'3f' FROM t WHERE \"?\" = 1");
    expect(statement!.params).toEqual([':a', null, null, null, '?5', '@b', '$c::d', null]);
    expect(splitSqlStatements('SELECT ?, ?1')[0]!.params).toEqual(['?1']);
  });
});

describe('the database file', () => {
  it('holds the data written through the server', async () => {
    await client.execute({ sql: 'INSERT INTO items (name, qty, data) VALUES (?, ?, ?)', args: ['in-file', 2n ** 62n, new Uint8Array([9, 8, 7])] });
    const db = new Database(file);
    try {
      const row = db.prepare('SELECT qty, data FROM items WHERE name = ?').safeIntegers(true).get(['in-file']) as {
        qty: bigint;
        data: Buffer;
      };
      expect(row.qty).toBe(2n ** 62n);
      expect([...row.data]).toEqual([9, 8, 7]);
      const counter = db.prepare("SELECT n FROM counters WHERE key = 'hits'").safeIntegers(true).get([]) as { n: bigint };
      expect(counter.n).toBe(50n);
      expect(db.prepare('PRAGMA journal_mode').raw(true).get([])).toEqual(['wal']);
    } finally {
      db.close();
    }
  });
});
