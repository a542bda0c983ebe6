/**
 * Prepared statements kept per connection, and the parsed SQL texts kept per server, so that a
 * statement a client sends again is neither tokenized nor prepared again.
 *
 * Schema changes: SQLite statements made with `sqlite3_prepare_v2` (which the `libsql` binding
 * uses) compile again by themselves when the schema changed since they were prepared: each
 * transaction reads the schema cookie from the database file, so a migration committed by any
 * connection, in this process or another, is seen at the next step ("SQLITE_SCHEMA" in SQLite's
 * docs on `sqlite3_prepare_v2`). What could go stale is what is read from a statement before it is
 * stepped, so execute.ts reads result columns only after stepping, and treats an SQLITE_SCHEMA
 * error (SQLite gave up recompiling) by preparing afresh, once.
 *
 * Bounds: at most {@link MAX_STATEMENTS} statements per connection and {@link MAX_TEXTS} parsed
 * texts, least recently used dropped first; texts over {@link MAX_TEXT_LENGTH} characters (say,
 * a migration script) are never kept.
 */
import type Database from 'libsql';
import { splitSqlStatements, type SqlStatementText } from './sql-text.ts';

/** Most prepared statements kept per connection. */
export const MAX_STATEMENTS = 128;
/** Most parsed SQL texts kept per server process. */
export const MAX_TEXTS = 512;
/** Longest SQL text kept parsed or prepared, in characters. */
export const MAX_TEXT_LENGTH = 16_384;

/** A statement prepared on one connection, configured as execute.ts runs it. */
export interface CachedStatement {
  readonly statement: Database.Statement;
  /** The statement returns rows (its `reader` flag, read once when prepared). */
  readonly reader: boolean;
  /**
   * sqlite3_stmt_readonly() of the statement, once known: a read-only reader cannot change
   * `changes()` or `last_insert_rowid()`, so it needs no probe of either.
   */
  readonly: boolean | undefined;
}

/** Per-connection state: the statement cache and what the server knows of the change counters. */
export interface ConnectionState {
  readonly statements: Map<string, CachedStatement>;
  /**
   * The connection's last_insert_rowid() as of its last statement, or undefined when unknown
   * (a statement ran that the server did not track, e.g. a `sequence` script).
   */
  lastInsertRowid: bigint | undefined;
  /** `SELECT changes(), last_insert_rowid(), total_changes()` prepared once, when first needed. */
  probe: Database.Statement | undefined;
  /** `SELECT ro FROM sqlite_stmt WHERE sql = ?` prepared once, when first needed. */
  readonlyProbe: Database.Statement | undefined;
}

/** Counters of the caches since the process started (for tests and diagnostics). */
export const cacheStats = { statementHits: 0, statementMisses: 0, schemaRetries: 0, textHits: 0, textMisses: 0 };

const states = new WeakMap<Database.Database, ConnectionState>();

/** The state of a connection, created on first use. */
export function connectionState(db: Database.Database): ConnectionState {
  let state = states.get(db);
  if (state === undefined) {
    state = { statements: new Map(), lastInsertRowid: undefined, probe: undefined, readonlyProbe: undefined };
    states.set(db, state);
  }
  return state;
}

/** Forgets a connection's statements (call before closing it, so they can be finalized). */
export function forgetConnection(db: Database.Database): void {
  states.delete(db);
}

/** The cached statement for `sql` on this connection (now the most recently used), or undefined. */
export function cachedStatement(state: ConnectionState, sql: string): CachedStatement | undefined {
  const entry = state.statements.get(sql);
  if (entry === undefined) {
    cacheStats.statementMisses++;
    return undefined;
  }
  cacheStats.statementHits++;
  state.statements.delete(sql);
  state.statements.set(sql, entry);
  return entry;
}

/** Keeps a freshly prepared statement (unless its text is too long), dropping the least recently used past the bound. */
export function keepStatement(state: ConnectionState, sql: string, entry: CachedStatement): void {
  if (sql.length > MAX_TEXT_LENGTH) return;
  state.statements.delete(sql);
  state.statements.set(sql, entry);
  if (state.statements.size > MAX_STATEMENTS) state.statements.delete(state.statements.keys().next().value!);
}

/** Drops one cached statement (say, after SQLite refused to recompile it). */
export function dropStatement(state: ConnectionState, sql: string): void {
  state.statements.delete(sql);
}

const texts = new Map<string, SqlStatementText[]>();

/**
 * {@link splitSqlStatements}, remembered by text. The result is shared: callers must not change it.
 *
 * @example parseSql('SELECT 1; SELECT 2').length === 2 // a second call with the same text does not tokenize again
 */
export function parseSql(sql: string): readonly SqlStatementText[] {
  const known = texts.get(sql);
  if (known !== undefined) {
    cacheStats.textHits++;
    texts.delete(sql);
    texts.set(sql, known);
    return known;
  }
  cacheStats.textMisses++;
  const statements = splitSqlStatements(sql);
  if (sql.length <= MAX_TEXT_LENGTH) {
    for (const statement of statements) {
      Object.freeze(statement.params);
      Object.freeze(statement.keywords);
      Object.freeze(statement);
    }
    texts.set(sql, Object.freeze(statements) as SqlStatementText[]);
    if (texts.size > MAX_TEXTS) texts.delete(texts.keys().next().value!);
  }
  return statements;
}
