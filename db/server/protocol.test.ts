/**
 * The local libSQL server over raw HTTP, for what the clients do not reach: routing and
 * version probes, Hrana 2 and 3 requests, batons and their expiry, the cursor endpoint,
 * per-request errors, and bearer-token authentication.
 */
import { createClient, LibsqlError } from '@libsql/client/web';
import { describe, expect, it } from 'vitest';
import { startLibsqlServer } from './index.ts';
import { int, text, useTestServer } from './test-server.ts';

const t = useTestServer();

describe('version probes and routing', () => {
  it('answers the v2 and v3 probes and refuses the Protobuf encoding', async () => {
    expect((await fetch(`${t.server.url}/v2`)).status).toBe(200);
    expect((await fetch(`${t.server.url}/v3`)).status).toBe(200);
    expect((await fetch(`${t.server.url}/v3-protobuf`)).status).toBe(404);
    expect((await fetch(`${t.server.url}/health`)).status).toBe(200);
  });

  it('answers malformed JSON and bad bodies with 400 and an error structure', async () => {
    const bad = await t.post('/v2/pipeline', '{"requests": [');
    expect(bad).toEqual({ status: 400, body: { message: 'The request body is not valid JSON', code: 'INVALID_JSON' } });
    const noRequests = await t.post('/v2/pipeline', { baton: null });
    expect(noRequests.status).toBe(400);
    expect(noRequests.body.code).toBe('INVALID_REQUEST');
    expect((await t.post('/v9/pipeline', { requests: [] })).status).toBe(404);
    expect((await fetch(`${t.server.url}/v2/pipeline`)).status).toBe(405);
  });

  it('refuses non-loopback hosts and in-memory databases', async () => {
    await expect(startLibsqlServer({ file: t.file, host: '0.0.0.0' })).rejects.toThrow(/loopback/);
    await expect(startLibsqlServer({ file: ':memory:' })).rejects.toThrow(/file/);
  });
});

describe('Hrana protocol details over raw HTTP', () => {
  it('speaks v2: store_sql, sql_id, describe, sequence, want_rows, close', async () => {
    const { status, body } = await t.post('/v2/pipeline', {
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
    const seq = await t.client.execute('SELECT count(*) AS n FROM seq');
    expect(seq.rows[0]?.n).toBe(2n);
  });

  it('keeps a stream open with batons, and rejects reused or unknown batons', async () => {
    const begin = await t.post('/v3/pipeline', {
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

    const next = await t.post('/v3/pipeline', {
      baton,
      requests: [{ type: 'execute', stmt: { sql: "SELECT count(*) FROM ledger WHERE account = 'baton'" } }, { type: 'execute', stmt: { sql: 'COMMIT' } }, { type: 'get_autocommit' }],
    });
    expect(next.status).toBe(200);
    expect(next.body.results[0].response.result.rows).toEqual([[int(1)]]);
    expect(next.body.results[2].response.is_autocommit).toBe(true);
    expect(next.body.baton).not.toBe(baton);

    const reused = await t.post('/v3/pipeline', { baton, requests: [{ type: 'close' }] });
    expect(reused).toMatchObject({ status: 400, body: { code: 'BATON_INVALID' } });
    const unknown = await t.post('/v3/pipeline', { baton: '999999.nope', requests: [] });
    expect(unknown).toMatchObject({ status: 400, body: { code: 'BATON_INVALID' } });

    const closed = await t.post('/v3/pipeline', { baton: next.body.baton, requests: [{ type: 'close' }] });
    expect(closed.body).toEqual({ baton: null, base_url: null, results: [{ type: 'ok', response: { type: 'close' } }] });
  });

  it('expires idle streams and rolls back their transaction', async () => {
    const shortLived = await startLibsqlServer({ file: t.file, idleTimeoutMs: 150 });
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
      const write = await t.client.execute("INSERT INTO ledger (account, amount) VALUES ('after-expiry', 1)");
      expect(write.rowsAffected).toBe(1);
      expect((await t.client.execute("SELECT count(*) AS n FROM ledger WHERE account = 'expired'")).rows[0]?.n).toBe(0n);
    } finally {
      await shortLived.close();
    }
  });

  it('streams batch results from /v3/cursor as newline-delimited JSON', async () => {
    const res = await fetch(`${t.server.url}/v3/cursor`, {
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
    const closed = await t.post('/v3/pipeline', { baton: head.baton, requests: [{ type: 'close' }] });
    expect(closed.body.baton).toBeNull();
  });

  it('reports bad arguments per request without failing the pipeline', async () => {
    const { status, body } = await t.post('/v2/pipeline', {
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
    const secured = await startLibsqlServer({ file: t.file, authToken: 'secret-token' });
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
    const anyToken = createClient({ url: t.server.url, authToken: 'whatever' });
    try {
      expect((await anyToken.execute('SELECT 2 AS two')).rows[0]?.two).toBe(2);
    } finally {
      anyToken.close();
    }
  });
});
