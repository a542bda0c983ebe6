/**
 * Interactive transactions on the local libSQL server: isolation between streams, writers
 * waiting for the lock (asynchronously, up to the busy timeout), and connections that SQLite
 * still counts as busy after a statement gave up or an EXPLAIN.
 */
import { createClient, type LibsqlError } from '@libsql/client/web';
import { describe, expect, it } from 'vitest';
import { startLibsqlServer } from './index.ts';
import { useTestServer } from './test-server.ts';

const t = useTestServer();

describe('interactive transactions', () => {
  it('reads its own writes, hides them from others, and commits', async () => {
    const tx = await t.client.transaction('write');
    await tx.execute({ sql: 'INSERT INTO ledger (account, amount) VALUES (?, ?)', args: ['tx-commit', 5n] });
    const inside = await tx.execute({ sql: 'SELECT count(*) AS n FROM ledger WHERE account = ?', args: ['tx-commit'] });
    expect(inside.rows[0]?.n).toBe(1n);
    const outside = await t.client.execute({ sql: 'SELECT count(*) AS n FROM ledger WHERE account = ?', args: ['tx-commit'] });
    expect(outside.rows[0]?.n).toBe(0n);
    await tx.commit();
    const after = await t.client.execute({ sql: 'SELECT count(*) AS n FROM ledger WHERE account = ?', args: ['tx-commit'] });
    expect(after.rows[0]?.n).toBe(1n);
  });

  it('rolls back', async () => {
    const tx = await t.client.transaction('write');
    await tx.execute({ sql: 'INSERT INTO ledger (account, amount) VALUES (?, ?)', args: ['tx-rollback', 5n] });
    expect((await tx.execute("SELECT count(*) AS n FROM ledger WHERE account = 'tx-rollback'")).rows[0]?.n).toBe(1n);
    await tx.rollback();
    expect((await t.client.execute("SELECT count(*) AS n FROM ledger WHERE account = 'tx-rollback'")).rows[0]?.n).toBe(0n);
  });

  it('makes a second writer wait for the first, then see its data', async () => {
    const first = await t.client.transaction('write');
    await first.execute({ sql: 'INSERT INTO ledger (account, amount) VALUES (?, ?)', args: ['concurrent', 100n] });

    const second = await t.client.transaction('write');
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
    expect((await t.client.execute("SELECT count(*) AS n FROM ledger WHERE account = 'concurrent'")).rows[0]?.n).toBe(0n);
    await first.commit();

    const seen = await secondWork;
    expect(seen.rows[0]?.total).toBe(100n);
    await second.execute({ sql: 'INSERT INTO ledger (account, amount) VALUES (?, ?)', args: ['concurrent', 1n] });
    await second.commit();
    expect((await t.client.execute("SELECT sum(amount) AS t FROM ledger WHERE account = 'concurrent'")).rows[0]?.t).toBe(101n);
  });

  it('fails with SQLITE_BUSY when the lock is held longer than the busy timeout', async () => {
    const quick = await startLibsqlServer({ file: t.file, busyTimeoutMs: 200 });
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
    (await t.client.execute({ sql: 'SELECT count(*) AS n FROM ledger WHERE account = ?', args: [account] })).rows[0]?.n;

  it('commits later writes of a stream whose statement gave up on SQLITE_BUSY', async () => {
    const quick = await startLibsqlServer({ file: t.file, busyTimeoutMs: 100 });
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
    const body = await pipeline(t.server.url, { requests: [{ type: 'batch', batch: { steps } }] });
    const result = body.results[0].response.result;
    expect(result.step_errors).toEqual([null, null]);
    expect(result.step_results[0].cols.map((c: any) => c.name)).toContain('opcode');
    expect(await count('after-explain')).toBe(1n);
    expect(await count('explained')).toBe(0n);
    await pipeline(t.server.url, { baton: body.baton, requests: [{ type: 'close' }] });
  });
});
