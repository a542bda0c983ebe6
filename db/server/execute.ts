/**
 * Executes Hrana statements, batches, sequences and describes on one `libsql` connection.
 *
 * Semantics follow the Hrana 3 spec ("Statements", "Batches", "Conditions", "sequence",
 * "describe"): one statement per `execute`; positional `args` bind by index and `named_args` by
 * name (with or without the `:`/`@`/`$` prefix), the named one winning; `want_rows: false`
 * drops rows; batch steps run in order and a step whose condition is false is skipped.
 * Arguments are always bound as one positional array (the binding aborts the process when an
 * object is bound to a statement with a bare `?`), built from the parameter list sql-text.ts
 * computes with SQLite's numbering rules. As in sqld, more positional arguments than
 * parameters is an error, and so is a named parameter without a value when `named_args` is used;
 * with positional arguments only, unbound parameters are NULL.
 *
 * EXPLAIN: the binding never resets a statement after use, and SQLite counts an `EXPLAIN` (or
 * `EXPLAIN QUERY PLAN`) of a write as an active writer until it is reset, which holds back the
 * commit of later autocommit writes on that connection until garbage collection. So outside a
 * transaction EXPLAIN statements run on a short-lived scratch connection (which cannot see the
 * stream's TEMP tables); inside a transaction they run on the stream's connection, a later
 * COMMIT of that transaction may fail with "SQL statements in progress", and the connection is
 * replaced once the transaction ends (the session is marked `tainted`).
 *
 * Waiting for locks: the `libsql` binding is synchronous, so a SQLite busy timeout would block
 * the whole event loop, and with it the very request (say, a COMMIT from another stream) that
 * would release the lock. Connections therefore keep SQLite's busy timeout at 0 and a statement
 * that fails with `SQLITE_BUSY` is retried asynchronously with backoff until `busyTimeoutMs`
 * has passed. A statement that got SQLITE_BUSY has had no effects and stays resumable, so
 * stepping the same prepared statement again is what SQLite's own busy handler does.
 */
import type Database from 'libsql';
import {
  HranaError,
  isSqliteError,
  toProtoError,
  type ProtoCol,
  type ProtoDescribeResult,
  type ProtoError,
  type ProtoStmtResult,
} from './protocol.ts';
import { isExplain, type SqlStatementText } from './sql-text.ts';
import {
  cachedStatement,
  cacheStats,
  connectionState,
  dropStatement,
  keepStatement,
  parseSql,
  type CachedStatement,
  type ConnectionState,
} from './statements.ts';
import { decodeValue, encodeValue, type BindValue } from './values.ts';

/** An open `libsql` connection. */
export type Connection = Database.Database;

/**
 * The connection a request runs on. `tainted` is set when a statement may have been left
 * active (gave up waiting on SQLITE_BUSY, or an EXPLAIN inside a transaction): the owner must
 * replace the connection once it is back in autocommit mode (see streams.ts).
 */
export interface Session {
  db: Connection;
  tainted: boolean;
}

/** A decoded statement: SQL text (already resolved from `sql_id`), arguments, and `want_rows`. */
export interface Stmt {
  sql: string;
  args: BindValue[];
  namedArgs: Array<[name: string, value: BindValue]>;
  wantRows: boolean;
}

/** A batch step condition (Hrana "Conditions"). */
export type BatchCond =
  | { type: 'ok' | 'error'; step: number }
  | { type: 'not'; cond: BatchCond }
  | { type: 'and' | 'or'; conds: BatchCond[] }
  | { type: 'is_autocommit' };

/** A decoded batch step. */
export interface BatchStep {
  condition: BatchCond | undefined;
  stmt: Stmt;
}

/** Outcome of one batch step: a result, an error, or `undefined` when the step was skipped. */
export type StepOutcome = { result: ProtoStmtResult } | { error: ProtoError } | undefined;

/** How long to keep retrying a statement that finds the database locked. */
export interface ExecOptions {
  /** Total time in milliseconds a statement may wait for a lock before failing with SQLITE_BUSY. */
  busyTimeoutMs: number;
  /** Aborting it stops waiting for locks at once (used when the server shuts down). */
  signal?: AbortSignal;
  /** Opens a throwaway connection to the same database, used for EXPLAIN (see module comment). */
  openScratch?: () => Connection;
  /** Closes a connection from `openScratch`. */
  closeScratch?: (db: Connection) => void;
}

/** Looks up SQL text stored with `store_sql` on the current stream. */
export type SqlLookup = (sqlId: number) => string;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalidRequest(message: string): HranaError {
  return new HranaError('INVALID_REQUEST', message);
}

function isInt32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31;
}

/**
 * Resolves the SQL text of a request that carries either `sql` or `sql_id` (exactly one).
 * @throws HranaError `INVALID_REQUEST` if both or neither are given, `SQL_NOT_FOUND` for an unknown id.
 */
export function resolveSql(sql: unknown, sqlId: unknown, lookupSql: SqlLookup): string {
  const hasSql = sql !== undefined && sql !== null;
  const hasId = sqlId !== undefined && sqlId !== null;
  if (hasSql && hasId) throw invalidRequest('Only one of "sql" and "sql_id" may be given');
  if (hasSql) {
    if (typeof sql !== 'string') throw invalidRequest('"sql" must be a string');
    return sql;
  }
  if (hasId) {
    if (!isInt32(sqlId)) throw invalidRequest('"sql_id" must be a 32-bit integer');
    return lookupSql(sqlId);
  }
  throw invalidRequest('One of "sql" and "sql_id" must be given');
}

/**
 * Decodes a wire `Stmt` (`sql` | `sql_id`, `args`, `named_args`, `want_rows`).
 * @throws HranaError `INVALID_REQUEST`, `ARGS_INVALID` or `SQL_NOT_FOUND`.
 */
export function decodeStmt(raw: unknown, lookupSql: SqlLookup): Stmt {
  if (!isRecord(raw)) throw invalidRequest('"stmt" must be an object');
  const sql = resolveSql(raw.sql, raw.sql_id, lookupSql);
  const rawArgs = raw.args ?? [];
  if (!Array.isArray(rawArgs)) throw invalidRequest('"args" must be an array');
  const rawNamed = raw.named_args ?? [];
  if (!Array.isArray(rawNamed)) throw invalidRequest('"named_args" must be an array');
  const namedArgs = rawNamed.map((arg): [string, BindValue] => {
    if (!isRecord(arg) || typeof arg.name !== 'string') throw invalidRequest('A named argument needs a string "name"');
    return [arg.name, decodeValue(arg.value)];
  });
  const wantRows = raw.want_rows ?? true;
  if (typeof wantRows !== 'boolean') throw invalidRequest('"want_rows" must be a boolean');
  return { sql, args: rawArgs.map(decodeValue), namedArgs, wantRows };
}

function decodeCond(raw: unknown, allowAutocommit: boolean): BatchCond {
  if (!isRecord(raw)) throw invalidRequest('A batch condition must be an object');
  switch (raw.type) {
    case 'ok':
    case 'error':
      if (typeof raw.step !== 'number' || !Number.isInteger(raw.step) || raw.step < 0) {
        throw invalidRequest(`A "${raw.type}" condition needs a step index`);
      }
      return { type: raw.type, step: raw.step };
    case 'not':
      return { type: 'not', cond: decodeCond(raw.cond, allowAutocommit) };
    case 'and':
    case 'or':
      if (!Array.isArray(raw.conds)) throw invalidRequest(`An "${raw.type}" condition needs "conds"`);
      return { type: raw.type, conds: raw.conds.map((c) => decodeCond(c, allowAutocommit)) };
    case 'is_autocommit':
      if (!allowAutocommit) throw new HranaError('NOT_SUPPORTED', 'The "is_autocommit" condition requires Hrana 3 (/v3)');
      return { type: 'is_autocommit' };
    default:
      throw invalidRequest(`Unknown batch condition type: ${JSON.stringify(raw.type)}`);
  }
}

/**
 * Decodes a wire `Batch` (`{ steps: [{ condition?, stmt }] }`). Every step is decoded before
 * anything runs, so a malformed batch executes nothing.
 * @throws HranaError `INVALID_REQUEST`, `NOT_SUPPORTED`, `ARGS_INVALID` or `SQL_NOT_FOUND`.
 */
export function decodeBatch(raw: unknown, lookupSql: SqlLookup, allowAutocommit: boolean): BatchStep[] {
  if (!isRecord(raw) || !Array.isArray(raw.steps)) throw invalidRequest('"batch" must be an object with "steps"');
  return raw.steps.map((step): BatchStep => {
    if (!isRecord(step)) throw invalidRequest('A batch step must be an object');
    const condition =
      step.condition === undefined || step.condition === null ? undefined : decodeCond(step.condition, allowAutocommit);
    return { condition, stmt: decodeStmt(step.stmt, lookupSql) };
  });
}

/** True for SQLITE_BUSY and its extended codes (BUSY_SNAPSHOT, BUSY_RECOVERY, ...). */
function isBusyFamily(err: unknown): boolean {
  return isSqliteError(err) && err.rawCode !== undefined && (err.rawCode & 0xff) === 5;
}

function isRetryableBusy(err: unknown): boolean {
  // Not BUSY_SNAPSHOT (517): a stale read snapshot cannot become writable by waiting (SQLite's
  // own busy handler does not retry it either); not "SQL statements in progress" on COMMIT.
  return isBusyFamily(err) && (err as { rawCode: number }).rawCode !== 517 && !/statements in progress/.test((err as Error).message);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs `work` and, while it fails with SQLITE_BUSY, retries it with backoff until the timeout.
 * `work` must step the same prepared statement each time: SQLite leaves a statement that got
 * SQLITE_BUSY active (resumable), and only stepping it again to completion ends it. If we give
 * up on such a statement, it stays active, so the session is marked `tainted`.
 */
async function retryWhileBusy<T>(work: () => T, options: ExecOptions, session?: Session): Promise<T> {
  const deadline = Date.now() + options.busyTimeoutMs;
  let delay = 2;
  for (;;) {
    try {
      return work();
    } catch (err) {
      const remaining = deadline - Date.now();
      if (!isRetryableBusy(err) || remaining <= 0 || options.signal?.aborted) {
        if (session !== undefined && isBusyFamily(err)) session.tainted = true;
        throw err;
      }
      await sleep(Math.min(delay, remaining), options.signal);
      delay = Math.min(delay * 2, 25);
    }
  }
}

/** Exactly one statement, or a protocol error like sqld's. */
function singleStatement(sql: string): SqlStatementText {
  const statements = parseSql(sql);
  if (statements.length === 0) throw new HranaError('SQL_NO_STATEMENT', 'SQL string does not contain any statement');
  if (statements.length > 1) throw new HranaError('SQL_MANY_STATEMENTS', 'SQL string contains more than one statement');
  return statements[0]!;
}

/**
 * Builds the positional parameter array of a statement from its positional and named arguments
 * (see the module comment for the rules, which follow sqld's).
 * @throws HranaError `ARGS_INVALID` for too many positional arguments or a named parameter without a value
 */
export function bindParameters(statement: SqlStatementText, stmt: Stmt): BindValue[] {
  const paramNames = statement.params;
  if (stmt.args.length > paramNames.length) {
    throw new HranaError(
      'ARGS_INVALID',
      `Too many positional arguments: the statement expects ${paramNames.length}, got ${stmt.args.length}`,
    );
  }
  if (stmt.namedArgs.length === 0) return stmt.args;
  const named = new Map(stmt.namedArgs);
  return paramNames.map((name, i) => {
    if (name !== null) {
      if (named.has(name)) return named.get(name)!;
      const bare = name.slice(1); // `a` for `:a`, `5` for `?5`
      if (named.has(bare)) return named.get(bare)!;
    }
    if (i < stmt.args.length) return stmt.args[i]!;
    throw new HranaError('ARGS_INVALID', `Value for parameter ${name ?? i + 1} not found`);
  });
}

/** `changes()`, `last_insert_rowid()` and `total_changes()` through the connection's probe, prepared once. */
function probeChanges(db: Connection, state: ConnectionState): { changes: bigint; lastInsertRowid: bigint; total: bigint } {
  state.probe ??= db.prepare('SELECT changes(), last_insert_rowid(), total_changes()').raw(true).safeIntegers(true);
  const row = state.probe.get() as [bigint, bigint, bigint];
  return { changes: row[0], lastInsertRowid: row[1], total: row[2] };
}

/**
 * sqlite3_stmt_readonly() of a live statement with this text, from the `sqlite_stmt` virtual table
 * (the binding does not expose the function), through a probe prepared once per connection.
 */
function probeReadonly(db: Connection, state: ConnectionState, sql: string): boolean {
  state.readonlyProbe ??= db.prepare('SELECT ro FROM sqlite_stmt WHERE sql = ? LIMIT 1').raw(true);
  const row = state.readonlyProbe.get([sql]) as [number] | undefined;
  return row?.[0] === 1;
}

function columnsOf(statement: Database.Statement): ProtoCol[] {
  return statement.columns().map((c) => ({ name: c.name, decltype: c.type }));
}

function isSchemaError(err: unknown): boolean {
  return isSqliteError(err) && err.rawCode !== undefined && (err.rawCode & 0xff) === 17;
}

/** Prepares (retrying while the schema is locked) and configures a statement as {@link runPrepared} runs it. */
async function prepareStatement(db: Connection, sql: string, options: ExecOptions): Promise<CachedStatement> {
  const statement = await retryWhileBusy(() => db.prepare(sql), options);
  const reader = statement.reader;
  if (reader) statement.raw(true);
  statement.safeIntegers(true);
  return { statement, reader, readonly: undefined };
}

/**
 * Steps a prepared statement to completion and builds its result. Result columns are read after
 * stepping: a statement compiled again for a new schema (see statements.ts) reports the new ones.
 * The change counters come from `run()` for writers; readers that may write (`RETURNING`) are
 * bracketed by the connection's probe; read-only readers change neither counter.
 */
function runPrepared(db: Connection, state: ConnectionState, entry: CachedStatement, params: BindValue[], wantRows: boolean, started: number): ProtoStmtResult {
  const { statement, reader } = entry;
  let affected = 0;
  let lastInsertRowid: bigint;
  const rows: ProtoStmtResult['rows'] = [];
  let rowCount = 0;
  if (reader) {
    const readonly = entry.readonly === true;
    const before = readonly ? undefined : probeChanges(db, state).total;
    for (const row of statement.iterate(params)) {
      rowCount++;
      if (wantRows) rows.push((row as unknown[]).map(encodeValue));
    }
    if (readonly && state.lastInsertRowid !== undefined) {
      lastInsertRowid = state.lastInsertRowid;
    } else {
      const after = probeChanges(db, state);
      // sqlite3_changes() keeps the count of the last INSERT/UPDATE/DELETE; report it only if this
      // statement changed something (total_changes moved), so a SELECT reports 0.
      if (before !== undefined && after.total !== before) affected = Number(after.changes);
      lastInsertRowid = after.lastInsertRowid;
    }
  } else {
    // run() reports changes only when total_changes moved (0 for DDL), and last_insert_rowid as a
    // JavaScript number: exact up to 2^53, else read again as a 64-bit integer.
    const info = statement.run(params) as { changes: number; lastInsertRowid: number };
    affected = info.changes;
    lastInsertRowid = Number.isSafeInteger(info.lastInsertRowid) ? BigInt(info.lastInsertRowid) : probeChanges(db, state).lastInsertRowid;
  }
  state.lastInsertRowid = lastInsertRowid;
  return {
    cols: reader ? columnsOf(statement) : [],
    rows,
    affected_row_count: affected,
    last_insert_rowid: lastInsertRowid.toString(),
    rows_read: rowCount,
    rows_written: affected,
    query_duration_ms: Math.round((performance.now() - started) * 1000) / 1000,
  };
}

/**
 * Runs one statement on the session's connection: the connection's cached statement for this text
 * when `cache` is set (prepared and kept on a miss), else a statement prepared for this run only.
 */
async function executeOn(session: Session, statement: SqlStatementText, stmt: Stmt, options: ExecOptions, cache: boolean): Promise<ProtoStmtResult> {
  const started = performance.now();
  const { db } = session;
  const state = connectionState(db);
  const params = bindParameters(statement, stmt);
  let entry = cache ? cachedStatement(state, stmt.sql) : undefined;
  const fresh = entry === undefined;
  if (entry === undefined) entry = await prepareStatement(db, stmt.sql, options);
  if (fresh && cache) {
    // While `entry` is alive, so that sqlite_stmt lists it; once per cached statement.
    if (entry.reader) entry.readonly = probeReadonly(db, state, stmt.sql);
    keepStatement(state, stmt.sql, entry);
  }
  try {
    const prepared = entry;
    return await retryWhileBusy(() => runPrepared(db, state, prepared, params, stmt.wantRows, started), options, session);
  } catch (err) {
    if (fresh || !isSchemaError(err)) throw err;
    // SQLite gave up compiling the cached statement again for a changed schema: prepare it afresh, once.
    cacheStats.schemaRetries++;
    dropStatement(state, stmt.sql);
    const again = await prepareStatement(db, stmt.sql, options);
    if (again.reader) again.readonly = probeReadonly(db, state, stmt.sql);
    keepStatement(state, stmt.sql, again);
    return retryWhileBusy(() => runPrepared(db, state, again, params, stmt.wantRows, started), options, session);
  }
}

/**
 * Executes one statement and returns its Hrana `StmtResult`.
 *
 * `affected_row_count` is sqlite3_changes() of this statement (0 when it changed nothing);
 * `last_insert_rowid` is the connection's last_insert_rowid() as a decimal string;
 * `rows_read` is the number of result rows (SQLite's scan counters are not exposed by the
 * binding) and `rows_written` equals `affected_row_count`.
 *
 * @throws HranaError (`SQL_NO_STATEMENT`, `SQL_MANY_STATEMENTS`, `ARGS_INVALID`) or the
 *   SQLite error of the statement (see `toProtoError`).
 */
export async function executeStmt(session: Session, stmt: Stmt, options: ExecOptions): Promise<ProtoStmtResult> {
  const statement = singleStatement(stmt.sql);
  if (isExplain(statement)) {
    if (!session.db.inTransaction && options.openScratch && options.closeScratch) {
      const scratch: Session = { db: options.openScratch(), tainted: false };
      try {
        return await executeOn(scratch, statement, stmt, options, false);
      } finally {
        options.closeScratch(scratch.db);
      }
    }
    session.tainted = true; // the EXPLAIN stays active: replace the connection after the transaction
    return executeOn(session, statement, stmt, options, false);
  }
  return executeOn(session, statement, stmt, options, true);
}

function evalCond(cond: BatchCond, done: Array<'ok' | 'error' | 'skipped'>, db: Connection): boolean {
  switch (cond.type) {
    case 'ok':
      return done[cond.step] === 'ok';
    case 'error':
      return done[cond.step] === 'error';
    case 'not':
      return !evalCond(cond.cond, done, db);
    case 'and':
      return cond.conds.every((c) => evalCond(c, done, db));
    case 'or':
      return cond.conds.some((c) => evalCond(c, done, db));
    case 'is_autocommit':
      return !db.inTransaction;
  }
}

/**
 * Runs batch steps in order, calling `onStep(index, outcome)` after each (outcome `undefined`
 * = skipped because its condition was false). A failing step does not stop the batch: later
 * steps decide through their conditions, as the spec says. Conditions that refer to a step not
 * yet executed are false.
 */
export async function executeBatch(
  session: Session,
  steps: BatchStep[],
  options: ExecOptions,
  onStep: (index: number, outcome: StepOutcome) => void,
): Promise<void> {
  const done: Array<'ok' | 'error' | 'skipped'> = [];
  for (const [index, step] of steps.entries()) {
    if (step.condition !== undefined && !evalCond(step.condition, done, session.db)) {
      done.push('skipped');
      onStep(index, undefined);
      continue;
    }
    let outcome: StepOutcome;
    try {
      outcome = { result: await executeStmt(session, step.stmt, options) };
    } catch (err) {
      outcome = { error: toProtoError(err) };
    }
    done.push('result' in outcome ? 'ok' : 'error');
    onStep(index, outcome);
  }
}

/**
 * Executes a semicolon-separated script (the `sequence` request), ignoring rows. Stops at the
 * first failing statement and throws its error; earlier statements keep their effects.
 */
export async function executeSequence(session: Session, sql: string, options: ExecOptions): Promise<void> {
  connectionState(session.db).lastInsertRowid = undefined; // the script's statements are not tracked
  for (const statement of parseSql(sql)) {
    if (isExplain(statement)) session.tainted = true;
    const prepared = await retryWhileBusy(() => session.db.prepare(statement.text), options);
    const reader = prepared.reader;
    if (reader) prepared.raw(true);
    await retryWhileBusy(
      () => {
        if (!reader) return prepared.run([]);
        for (const _row of prepared.iterate([])) {
          // drain: rows of a sequence are ignored
        }
        return undefined;
      },
      options,
      session,
    );
  }
}

/**
 * Describes one statement without executing it (the `describe` request): its parameters
 * (`name` null for a bare `?`), result columns with declared types, whether it is an EXPLAIN
 * and whether it is read-only.
 * @throws HranaError `SQL_NO_STATEMENT`/`SQL_MANY_STATEMENTS`, or the SQLite error from preparing it.
 */
export async function describeStmt(session: Session, sql: string, options: ExecOptions): Promise<ProtoDescribeResult> {
  const statement = singleStatement(sql);
  const prepared = await retryWhileBusy(() => session.db.prepare(sql), options);
  const explain = isExplain(statement);
  const readonly = explain || probeReadonly(session.db, connectionState(session.db), sql); // while `prepared` is alive
  return {
    params: statement.params.map((name) => ({ name })),
    cols: columnsOf(prepared).map((c) => ({ name: c.name ?? '', decltype: c.decltype })),
    is_explain: explain,
    is_readonly: readonly,
  };
}
