/**
 * The scan batch's engine time in-process: the floor under what the libSQL server can cost.
 *
 * The bench does not copy the scan's SQL (it changes with the query module): it captures the batch
 * the Worker really sends, through a recording proxy in front of the libSQL server, and replays the
 * same steps, with the same arguments, on a copy of the bench database with the `libsql` binding
 * directly (no HTTP, no JSON, no protocol).
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'libsql';
import { bindParameters, decodeStmt, type Stmt } from '../db/server/execute.ts';
import { splitSqlStatements } from '../db/server/sql-text.ts';
import { closeConnection, openConnection } from '../db/server/streams.ts';

/**
 * A loopback HTTP proxy to a libSQL server that keeps every Hrana batch it forwards, with `sql_id`
 * references resolved to the text the client stored (`store_sql`) before the batch.
 */
export type RecordingProxy = { url: string; batches: unknown[][]; close(): Promise<void> };

type WireStep = { condition?: unknown; stmt: unknown };

/** Starts a {@link RecordingProxy} forwarding to `target` (e.g. `http://127.0.0.1:8080`). */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const batches: unknown[][] = [];
  const stored = new Map<number, string>();
  const resolve = (steps: unknown[]) =>
    (steps as WireStep[]).map((step) => {
      const stmt = step.stmt as { sql_id?: number | null; sql?: string };
      if (typeof stmt.sql_id !== 'number') return step;
      const { sql_id: id, ...rest } = stmt;
      return { ...step, stmt: { ...rest, sql: stored.get(id) } };
    });
  const to = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      try {
        type Request = { type: string; batch?: { steps: unknown[] }; sql_id?: number; sql?: string };
        const parsed = JSON.parse(body.toString('utf8')) as { batch?: { steps: unknown[] }; requests?: Request[] };
        for (const r of parsed.requests ?? []) {
          if (r.type === 'store_sql' && typeof r.sql_id === 'number' && typeof r.sql === 'string') stored.set(r.sql_id, r.sql);
          if (r.type === 'batch' && r.batch) batches.push(resolve(r.batch.steps));
        }
        if (parsed.batch) batches.push(resolve(parsed.batch.steps));
      } catch {
        // not JSON (a version probe): forwarded as is
      }
      const upstream = request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    batches,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * What {@link measureEngineFloor} found: steps run per batch; milliseconds per batch with statements
 * prepared once and prepared every time; and each step's share with prepared statements (ms, with
 * the step's first words).
 */
export type EngineFloor = { statements: number; cachedMs: number; preparedEachTimeMs: number; steps: { sql: string; ms: number }[] };

/** Evaluates a Hrana batch condition as if every step run so far succeeded (the scan's happy path). */
function holds(cond: unknown, ran: Set<number>, db: Database.Database): boolean {
  if (cond === undefined || cond === null) return true;
  const c = cond as { type: string; step?: number; cond?: unknown; conds?: unknown[] };
  switch (c.type) {
    case 'ok':
      return ran.has(c.step!);
    case 'error':
      return false;
    case 'not':
      return !holds(c.cond, ran, db);
    case 'and':
      return c.conds!.every((x) => holds(x, ran, db));
    case 'or':
      return c.conds!.some((x) => holds(x, ran, db));
    case 'is_autocommit':
      return !db.inTransaction;
    default:
      throw new Error(`unknown batch condition ${c.type}`);
  }
}

/**
 * Replays a captured batch on `file` (a scratch copy: the replay writes) with the `libsql` binding,
 * for about `durationMs` each way: with every statement prepared once and reused (the floor a server
 * with a statement cache approaches), and prepared again on every batch (what a server without one
 * pays). Steps run as the server runs them: readers drained with safe integers, writers `run()`.
 * @throws Error when a step fails (the capture is then not the happy-path scan batch)
 */
export function measureEngineFloor(file: string, steps: unknown[], durationMs = 500): EngineFloor {
  const db = openConnection(file); // the server's connection settings (busy timeout 0, synchronous = NORMAL)
  try {
    db.exec('PRAGMA journal_mode = WAL'); // as the server runs its files (a VACUUM INTO copy is not in WAL mode)
    const stmts: Stmt[] = (steps as WireStep[]).map((s) => decodeStmt(s.stmt, () => {
      throw new Error('the captured batch uses sql_id');
    }));
    const params = stmts.map((s) => bindParameters(splitSqlStatements(s.sql)[0]!, s));
    const conditions = (steps as WireStep[]).map((s) => s.condition);
    const stepMs = stmts.map(() => 0);
    let timeSteps = false;
    const runBatch = (prepare: (i: number) => Database.Statement): number => {
      const ran = new Set<number>();
      for (let i = 0; i < stmts.length; i++) {
        if (!holds(conditions[i], ran, db)) continue;
        const t0 = timeSteps ? performance.now() : 0;
        const st = prepare(i);
        if (st.reader) st.raw(true).safeIntegers(true).all(params[i]);
        else st.safeIntegers(true).run(params[i]);
        if (timeSteps) stepMs[i]! += performance.now() - t0;
        ran.add(i);
      }
      return ran.size;
    };
    const cache = stmts.map((s) => db.prepare(s.sql));
    const time = (prepare: (i: number) => Database.Statement) => {
      for (let i = 0; i < 50; i++) runBatch(prepare); // warm-up
      let n = 0;
      const t0 = performance.now();
      let t = t0;
      while (t - t0 < durationMs) {
        for (let i = 0; i < 20; i++) runBatch(prepare);
        n += 20;
        t = performance.now();
      }
      return (t - t0) / n;
    };
    const cachedMs = time((i) => cache[i]!);
    const preparedEachTimeMs = time((i) => db.prepare(stmts[i]!.sql));
    timeSteps = true;
    const rounds = 200;
    for (let i = 0; i < rounds; i++) runBatch((j) => cache[j]!);
    const perStep = stmts.map((s, i) => ({ sql: s.sql.replace(/\s+/g, ' ').trim().slice(0, 60), ms: stepMs[i]! / rounds }));
    const statements = runBatch((j) => cache[j]!);
    return { statements, cachedMs, preparedEachTimeMs, steps: perStep };
  } finally {
    closeConnection(db);
  }
}
