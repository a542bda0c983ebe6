/**
 * JSON shapes of the Hrana protocol as spoken over HTTP, and the error type the local libSQL
 * server uses to report protocol-level failures.
 *
 * Follows the libSQL "Hrana over HTTP" specifications (HTTP API v2 = Hrana 2 over HTTP,
 * Hrana 3 over HTTP with JSON encoding). Only the JSON encoding is implemented.
 */

/** A SQLite value as carried on the wire (integers as decimal strings, blobs as base64). */
export type ProtoValue =
  | { type: 'null' }
  | { type: 'integer'; value: string }
  | { type: 'float'; value: number }
  | { type: 'text'; value: string }
  | { type: 'blob'; base64: string };

/** Error structure of the protocol: English message and a machine-readable code. */
export interface ProtoError {
  message: string;
  code: string;
}

/** Result column: name and declared type (`decltype`, Hrana 2+). */
export interface ProtoCol {
  name: string | null;
  decltype: string | null;
}

/**
 * Result of one statement. `rows_read`, `rows_written` and `query_duration_ms` are the extra
 * statistics newer servers send; clients that do not know them ignore them.
 */
export interface ProtoStmtResult {
  cols: ProtoCol[];
  rows: ProtoValue[][];
  affected_row_count: number;
  last_insert_rowid: string | null;
  rows_read: number;
  rows_written: number;
  query_duration_ms: number;
}

/** Result of a `batch` request: per step either a result, an error, or both null if skipped. */
export interface ProtoBatchResult {
  step_results: (ProtoStmtResult | null)[];
  step_errors: (ProtoError | null)[];
}

/** Result of a `describe` request. */
export interface ProtoDescribeResult {
  params: { name: string | null }[];
  cols: { name: string; decltype: string | null }[];
  is_explain: boolean;
  is_readonly: boolean;
}

/** One response inside a pipeline; its `type` always equals the request's `type`. */
export type ProtoStreamResponse =
  | { type: 'close' }
  | { type: 'execute'; result: ProtoStmtResult }
  | { type: 'batch'; result: ProtoBatchResult }
  | { type: 'sequence' }
  | { type: 'describe'; result: ProtoDescribeResult }
  | { type: 'store_sql' }
  | { type: 'close_sql' }
  | { type: 'get_autocommit'; is_autocommit: boolean };

/** One entry of the `results` array of a pipeline response. */
export type ProtoStreamResult = { type: 'ok'; response: ProtoStreamResponse } | { type: 'error'; error: ProtoError };

/** Body of a `POST /v2/pipeline` or `POST /v3/pipeline` response. */
export interface ProtoPipelineRespBody {
  baton: string | null;
  base_url: string | null;
  results: ProtoStreamResult[];
}

/** Entries streamed by `POST /v3/cursor`, one JSON object per line after the header line. */
export type ProtoCursorEntry =
  | { type: 'step_begin'; step: number; cols: ProtoCol[] }
  | { type: 'step_end'; affected_row_count: number; last_insert_rowid: string | null }
  | { type: 'step_error'; step: number; error: ProtoError }
  | { type: 'row'; row: ProtoValue[] }
  | { type: 'error'; error: ProtoError };

/** Protocol version negotiated from the URL path (`/v2/...` or `/v3/...`). */
export type HranaVersion = 2 | 3;

/**
 * A failure the server reports with a protocol error code (e.g. `ARGS_INVALID`,
 * `SQL_NOT_FOUND`, `BATON_INVALID`). `status` is the HTTP status used when the failure
 * invalidates a whole HTTP request rather than a single stream request.
 */
export class HranaError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status = 400) {
    super(message);
    this.name = 'HranaError';
    this.code = code;
    this.status = status;
  }
}

/** Shape of the errors thrown by the `libsql` package (better-sqlite3's SqliteError). */
interface SqliteErrorLike {
  message: string;
  code: string;
  rawCode?: number;
}

/** True for errors raised by the SQLite engine (they carry an `SQLITE_*` code). */
export function isSqliteError(err: unknown): err is SqliteErrorLike {
  if (!(err instanceof Error)) return false;
  const code: unknown = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_');
}

const PARSE_ERROR = /syntax error|incomplete input|unrecognized token/;

/**
 * Converts anything thrown while serving a request into the protocol's Error structure.
 *
 * SQLite errors keep SQLite's message prefixed with `SQLite error: ` and get the primary result
 * code (`SQLITE_CONSTRAINT`, `SQLITE_BUSY`, ...) as `code`, as sqld does; syntax errors get
 * `SQL_PARSE_ERROR`. The extended code (`SQLITE_CONSTRAINT_UNIQUE`) and the numeric code are
 * added as `extended_code`/`raw_code`, which clients that do not know them ignore.
 */
export function toProtoError(err: unknown): ProtoError & { extended_code?: string; raw_code?: number } {
  if (err instanceof HranaError) return { message: err.message, code: err.code };
  if (isSqliteError(err)) {
    const primary = err.code.split('_').slice(0, 2).join('_');
    if (primary === 'SQLITE_ERROR' && PARSE_ERROR.test(err.message)) {
      return { message: `SQL string could not be parsed: ${err.message}`, code: 'SQL_PARSE_ERROR' };
    }
    return {
      message: `SQLite error: ${err.message}`,
      code: primary,
      extended_code: err.code,
      ...(err.rawCode === undefined ? {} : { raw_code: err.rawCode }),
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { message: `Internal error: ${message}`, code: 'INTERNAL' };
}
