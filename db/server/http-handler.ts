/**
 * The HTTP side of the local libSQL server: routes, authentication, body parsing, and the
 * `pipeline` and `cursor` endpoints of Hrana over HTTP (libSQL HTTP API v2 and Hrana 3 over
 * HTTP, JSON encoding).
 *
 * Endpoints (under a database's path prefix in the directory layout, see databases.ts):
 * - `GET /v2`, `GET /v3`: 200, version probes (`GET /v3-protobuf` is 404: no Protobuf, so
 *   clients fall back to JSON).
 * - `POST /v2/pipeline`, `POST /v3/pipeline`: `{ baton, requests }` → `{ baton, base_url, results }`.
 * - `POST /v3/cursor`: `{ baton, batch }` → newline-delimited JSON, first `{ baton, base_url }`,
 *   then cursor entries (`step_begin`, `row`, `step_end`, `step_error`, `error`).
 * - `GET /health`, `GET /version` (always at the root): plain-text liveness and server name.
 *
 * HTTP errors (bad JSON, bad baton, auth, too large) answer with status 4xx/5xx and the
 * protocol `Error` structure `{ message, code }` as `application/json`; SQL errors never do:
 * they travel inside the results.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  decodeBatch,
  decodeStmt,
  describeStmt,
  executeBatch,
  executeSequence,
  executeStmt,
  resolveSql,
  type ExecOptions,
  type SqlLookup,
} from './execute.ts';
import {
  HranaError,
  toProtoError,
  type HranaVersion,
  type ProtoBatchResult,
  type ProtoCursorEntry,
  type ProtoPipelineRespBody,
  type ProtoStreamResponse,
  type ProtoStreamResult,
} from './protocol.ts';
import type { DatabaseCatalog, ServedDatabase } from './databases.ts';
import type { Stream } from './streams.ts';
import { stringifyJson } from './values.ts';

/** Settings of {@link createHranaHandler}. */
export interface HranaHandlerOptions {
  /** The databases served, and which one a request path names. */
  catalog: DatabaseCatalog;
  /** Whether the catalog is a directory of databases (only changes the wording of a 404). */
  directory: boolean;
  /** If set, pipeline and cursor requests must send `Authorization: Bearer <authToken>` (else 401). */
  authToken?: string;
  /** Largest accepted request body in bytes (413 above it). */
  maxBodyBytes: number;
}

/** Most SQL texts one stream may store with `store_sql`. */
const MAX_STORED_SQL = 1000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = stringifyJson(body);
  // Exactly `application/json`: @libsql/hrana-client only parses error bodies with this type.
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, err: unknown): void {
  const status = err instanceof HranaError ? err.status : 500;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, toProtoError(err));
}

function sendText(res: ServerResponse, status: number, text: string, head: boolean): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(head ? undefined : text);
}

function isAuthorized(req: IncomingMessage, authToken: string | undefined): boolean {
  if (authToken === undefined) return true;
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!.trim());
  const expected = Buffer.from(authToken);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<Record<string, unknown>> {
  const text = await new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk); // past the limit: keep draining, answer 413 at the end
    });
    req.on('end', () => {
      if (size > maxBytes) reject(new HranaError('BODY_TOO_LARGE', `Request body exceeds ${maxBytes} bytes`, 413));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HranaError('INVALID_JSON', 'The request body is not valid JSON', 400);
  }
  if (!isRecord(body)) throw new HranaError('INVALID_REQUEST', 'The request body must be a JSON object', 400);
  return body;
}

function readBaton(body: Record<string, unknown>): string | undefined {
  const baton = body.baton;
  if (baton === undefined || baton === null) return undefined;
  if (typeof baton !== 'string') throw new HranaError('INVALID_REQUEST', '"baton" must be a string or null', 400);
  return baton;
}

function sqlLookup(stream: Stream): SqlLookup {
  return (sqlId) => {
    const sql = stream.sqls.get(sqlId);
    if (sql === undefined) throw new HranaError('SQL_NOT_FOUND', `SQL text ${sqlId} not found`);
    return sql;
  };
}

/** Executes one stream request of a pipeline and returns its response (errors are thrown). */
async function handleStreamRequest(
  stream: Stream,
  request: unknown,
  version: HranaVersion,
  exec: ExecOptions,
): Promise<ProtoStreamResponse> {
  if (!isRecord(request)) throw new HranaError('INVALID_REQUEST', 'A stream request must be an object');
  const lookup = sqlLookup(stream);
  switch (request.type) {
    case 'close':
      stream.closeRequested = true;
      return { type: 'close' };
    case 'execute':
      return { type: 'execute', result: await executeStmt(stream, decodeStmt(request.stmt, lookup), exec) };
    case 'batch': {
      const steps = decodeBatch(request.batch, lookup, version >= 3);
      const result: ProtoBatchResult = {
        step_results: steps.map(() => null),
        step_errors: steps.map(() => null),
      };
      await executeBatch(stream, steps, exec, (index, outcome) => {
        if (outcome === undefined) return;
        if ('result' in outcome) result.step_results[index] = outcome.result;
        else result.step_errors[index] = outcome.error;
      });
      return { type: 'batch', result };
    }
    case 'sequence':
      await executeSequence(stream, resolveSql(request.sql, request.sql_id, lookup), exec);
      return { type: 'sequence' };
    case 'describe':
      return { type: 'describe', result: await describeStmt(stream, resolveSql(request.sql, request.sql_id, lookup), exec) };
    case 'store_sql': {
      const { sql_id: sqlId, sql } = request;
      if (typeof sqlId !== 'number' || !Number.isInteger(sqlId) || typeof sql !== 'string') {
        throw new HranaError('INVALID_REQUEST', '"store_sql" needs an integer "sql_id" and a string "sql"');
      }
      if (stream.sqls.has(sqlId)) throw new HranaError('SQL_STORE_EXISTS', `SQL text ${sqlId} is already stored`);
      if (stream.sqls.size >= MAX_STORED_SQL) {
        throw new HranaError('SQL_STORE_TOO_MANY', `A stream can store at most ${MAX_STORED_SQL} SQL texts`);
      }
      stream.sqls.set(sqlId, sql);
      return { type: 'store_sql' };
    }
    case 'close_sql':
      if (typeof request.sql_id !== 'number') throw new HranaError('INVALID_REQUEST', '"close_sql" needs a "sql_id"');
      stream.sqls.delete(request.sql_id);
      return { type: 'close_sql' };
    case 'get_autocommit':
      if (version < 3) throw new HranaError('NOT_SUPPORTED', 'The "get_autocommit" request requires Hrana 3 (/v3)');
      return { type: 'get_autocommit', is_autocommit: stream.isAutocommit };
    default:
      throw new HranaError('INVALID_REQUEST', `Unknown stream request type: ${JSON.stringify(request.type)}`);
  }
}

async function handlePipeline(
  req: IncomingMessage,
  res: ServerResponse,
  version: HranaVersion,
  database: ServedDatabase,
  maxBodyBytes: number,
): Promise<void> {
  const body = await readJsonBody(req, maxBodyBytes);
  const baton = readBaton(body);
  if (!Array.isArray(body.requests)) throw new HranaError('INVALID_REQUEST', '"requests" must be an array', 400);
  const { registry } = database;
  const stream = baton === undefined ? registry.open() : registry.acquire(baton);
  const results: ProtoStreamResult[] = [];
  let nextBaton: string | null;
  try {
    for (const request of body.requests as unknown[]) {
      if (stream.closeRequested) {
        results.push({ type: 'error', error: { message: 'The stream has been closed', code: 'STREAM_CLOSED' } });
        continue;
      }
      try {
        results.push({ type: 'ok', response: await handleStreamRequest(stream, request, version, database.exec) });
      } catch (err) {
        results.push({ type: 'error', error: toProtoError(err) });
      }
      registry.renewIfTainted(stream);
    }
  } finally {
    nextBaton = registry.release(stream);
  }
  const response: ProtoPipelineRespBody = { baton: nextBaton, base_url: null, results };
  sendJson(res, 200, response);
}

async function handleCursor(req: IncomingMessage, res: ServerResponse, database: ServedDatabase, maxBodyBytes: number): Promise<void> {
  const body = await readJsonBody(req, maxBodyBytes);
  const baton = readBaton(body);
  const { registry } = database;
  const stream = baton === undefined ? registry.open() : registry.acquire(baton);
  const entries: ProtoCursorEntry[] = [];
  let nextBaton: string | null;
  try {
    const steps = decodeBatch(body.batch, sqlLookup(stream), true);
    await executeBatch(stream, steps, database.exec, (step, outcome) => {
      if (outcome === undefined) return;
      if ('error' in outcome) {
        entries.push({ type: 'step_error', step, error: outcome.error });
        return;
      }
      const { cols, rows, affected_row_count, last_insert_rowid } = outcome.result;
      entries.push({ type: 'step_begin', step, cols });
      for (const row of rows) entries.push({ type: 'row', row });
      entries.push({ type: 'step_end', affected_row_count, last_insert_rowid });
    });
  } catch (err) {
    entries.push({ type: 'error', error: toProtoError(err) });
  } finally {
    nextBaton = registry.release(stream);
  }
  const lines = [stringifyJson({ baton: nextBaton, base_url: null }), ...entries.map(stringifyJson)];
  const text = `${lines.join('\n')}\n`;
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Creates the `node:http` request listener of the local libSQL server.
 *
 * Never throws and never lets a request crash the process: protocol failures become HTTP
 * errors with a JSON `{ message, code }` body, SQL failures become error results.
 */
export function createHranaHandler(options: HranaHandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/(.)\/+$/, '$1');
    const method = req.method ?? 'GET';
    const head = method === 'HEAD';
    if (method === 'GET' || head) {
      if (path === '/' || path === '/health') return sendText(res, 200, 'ok\n', head);
      if (path === '/version') return sendText(res, 200, 'truy-xuat local libSQL server (Hrana over HTTP, JSON)\n', head);
    }
    const target = options.catalog.split(path);
    const endpoint = target?.endpoint;
    if ((method === 'GET' || head) && (endpoint === '/v2' || endpoint === '/v3')) return sendText(res, 200, '', head);
    const post: Record<string, (database: ServedDatabase) => Promise<void>> = {
      '/v2/pipeline': (database) => handlePipeline(req, res, 2, database, options.maxBodyBytes),
      '/v3/pipeline': (database) => handlePipeline(req, res, 3, database, options.maxBodyBytes),
      '/v3/cursor': (database) => handleCursor(req, res, database, options.maxBodyBytes),
    };
    const handler = endpoint === undefined ? undefined : post[endpoint];
    if (target === undefined || handler === undefined) {
      const message = endpoint?.startsWith('/v3-protobuf')
        ? 'The Protobuf encoding is not supported by this server; use /v3 or /v2 (JSON)'
        : `No endpoint ${method} ${path}${options.directory ? ' (this server serves a directory of databases: /{name}/v3/pipeline)' : ''}`;
      throw new HranaError('NOT_FOUND', message, 404);
    }
    if (method !== 'POST') throw new HranaError('METHOD_NOT_ALLOWED', `Use POST for ${path}`, 405);
    if (!isAuthorized(req, options.authToken)) {
      throw new HranaError('UNAUTHORIZED', 'Authentication failed: missing or wrong bearer token', 401);
    }
    await handler(options.catalog.open(target.key));
  }

  return (req, res) => {
    route(req, res).catch((err: unknown) => {
      // Drain what is left of the body so the connection can be reused.
      req.resume();
      sendError(res, err);
    });
  };
}
