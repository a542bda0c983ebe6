/**
 * Hrana streams over HTTP and the batons that tie requests to them (Hrana 3 spec, "Hrana over
 * HTTP": a request without a baton opens a stream; each response hands back a fresh baton that
 * the next request on the stream must carry; the server closes streams left idle).
 *
 * Every stream owns its own `libsql` connection, opened when the stream opens and closed when
 * it closes, so interactive transactions on different streams behave like separate SQLite
 * connections (WAL mode). A baton is single-use: while a request runs the stream has no valid
 * baton, so two requests can never use one connection at the same time.
 */
import { randomBytes } from 'node:crypto';
import Database from 'libsql';
import type { Connection, Session } from './execute.ts';
import { HranaError } from './protocol.ts';
import { forgetConnection } from './statements.ts';

/** One open stream: its connection, its stored SQL texts (`store_sql`) and its state. */
export class Stream implements Session {
  readonly id: number;
  /** The stream's connection; replaced by the registry when `tainted` (see execute.ts). */
  db: Connection;
  tainted = false;
  /** SQL texts stored with `store_sql`, by `sql_id`. */
  readonly sqls = new Map<number, string>();
  /** Set by a `close` request; the stream is disposed of when the request finishes. */
  closeRequested = false;
  /** @internal current baton token; undefined while a request runs on the stream. */
  token: string | undefined;
  /** @internal */
  idleTimer: NodeJS.Timeout | undefined;

  constructor(id: number, db: Connection) {
    this.id = id;
    this.db = db;
  }

  /** True when the connection is outside an explicit transaction. */
  get isAutocommit(): boolean {
    return !this.db.inTransaction;
  }
}

/** Settings of a {@link StreamRegistry}. */
export interface StreamRegistryOptions {
  /** Database file every stream's connection opens. */
  file: string;
  /** Idle time in milliseconds after which a stream is closed and its transaction rolled back. */
  idleTimeoutMs: number;
  /** Most streams open at once; opening one more fails with `STREAMS_EXHAUSTED` (HTTP 503). */
  maxStreams: number;
}

const MAX_REMEMBERED_EXPIRED = 1024;

/** Most idle connections kept for reuse. */
const POOL_SIZE = 8;

/**
 * Opens, finds and disposes of streams. `acquire`/`open` hand a stream to exactly one request;
 * `release` gives it back and returns the next baton (or null once the stream is closed).
 */
export class StreamRegistry {
  readonly #options: StreamRegistryOptions;
  readonly #streams = new Map<number, Stream>();
  readonly #expired = new Set<number>();
  #nextId = 1;
  #closed = false;
  /** Idle connections of finished streams, reused by new streams (opening one costs ~0.5 ms). */
  readonly #pool: Connection[] = [];

  constructor(options: StreamRegistryOptions) {
    this.#options = options;
  }

  /** Number of open streams (idle or busy). */
  get size(): number {
    return this.#streams.size;
  }

  /**
   * Opens a new stream with a new connection to the database file.
   * @throws HranaError `STREAMS_EXHAUSTED` (503) when too many streams are open, `SERVER_CLOSING` (503) during shutdown.
   */
  open(): Stream {
    if (this.#closed) throw new HranaError('SERVER_CLOSING', 'The server is shutting down', 503);
    if (this.#streams.size >= this.#options.maxStreams) {
      throw new HranaError('STREAMS_EXHAUSTED', `Too many open streams (${this.#options.maxStreams})`, 503);
    }
    const stream = new Stream(this.#nextId++, this.#pool.pop() ?? openConnection(this.#options.file));
    this.#streams.set(stream.id, stream);
    return stream;
  }

  /**
   * Finds the stream a baton belongs to and takes the baton (it cannot be used again).
   * @throws HranaError (HTTP 400) `STREAM_EXPIRED` for a stream closed for inactivity,
   *   `BATON_INVALID` for an unknown, forged, or already used baton.
   */
  acquire(baton: string): Stream {
    const dot = baton.indexOf('.');
    const id = Number(baton.slice(0, dot));
    const stream = dot > 0 && Number.isSafeInteger(id) ? this.#streams.get(id) : undefined;
    if (stream === undefined) {
      if (this.#expired.has(id)) {
        throw new HranaError('STREAM_EXPIRED', 'The stream has expired due to inactivity', 400);
      }
      throw new HranaError('BATON_INVALID', 'The baton does not belong to any open stream', 400);
    }
    if (stream.token === undefined || stream.token !== baton.slice(dot + 1)) {
      throw new HranaError('BATON_INVALID', 'The baton is invalid or has already been used', 400);
    }
    stream.token = undefined;
    clearTimeout(stream.idleTimer);
    stream.idleTimer = undefined;
    return stream;
  }

  /**
   * Gives a stream back after a request. A stream that got a `close` request (or any stream
   * during shutdown) is disposed of and `null` is returned; otherwise the stream stays open
   * (idle timer restarted) and a new unpredictable baton is returned.
   */
  release(stream: Stream): string | null {
    if (stream.closeRequested || this.#closed) {
      this.#dispose(stream);
      return null;
    }
    this.renewIfTainted(stream);
    stream.token = randomBytes(18).toString('base64url');
    stream.idleTimer = setTimeout(() => this.#expire(stream), this.#options.idleTimeoutMs);
    stream.idleTimer.unref();
    return `${stream.id}.${stream.token}`;
  }

  /**
   * Gives a tainted stream (one whose connection may hold a statement SQLite still counts as
   * active) a fresh connection, once it is outside a transaction so that nothing is lost but
   * connection state such as TEMP tables and PRAGMA settings.
   */
  renewIfTainted(stream: Stream): void {
    if (!stream.tainted || !stream.isAutocommit) return;
    closeConnection(stream.db);
    stream.db = openConnection(this.#options.file);
    stream.tainted = false;
  }

  /** Closes every idle stream (rolling back open transactions) and refuses new ones; busy streams close on release. */
  close(): void {
    this.#closed = true;
    for (const db of this.#pool.splice(0)) closeConnection(db);
    for (const stream of this.#streams.values()) {
      if (stream.token !== undefined) this.#dispose(stream);
    }
  }

  #expire(stream: Stream): void {
    if (stream.token === undefined) return; // a request is using it
    this.#dispose(stream);
    this.#expired.add(stream.id);
    if (this.#expired.size > MAX_REMEMBERED_EXPIRED) {
      this.#expired.delete(this.#expired.values().next().value!);
    }
  }

  #dispose(stream: Stream): void {
    clearTimeout(stream.idleTimer);
    stream.idleTimer = undefined;
    stream.token = undefined;
    this.#streams.delete(stream.id);
    // A clean connection outside any transaction goes back to the pool. Connection state such as
    // TEMP tables or PRAGMAs set by one client can then be seen by a later stream: acceptable for a
    // local development server, and no client of this project relies on either.
    if (!this.#closed && !stream.tainted && stream.isAutocommit && this.#pool.length < POOL_SIZE) {
      this.#pool.push(stream.db);
    } else {
      closeConnection(stream.db);
    }
  }
}

/**
 * Opens a connection to the database file with this server's settings: SQLite busy timeout 0
 * (waiting is done asynchronously, see execute.ts) and WAL journal mode (persistent in the file).
 */
export function openConnection(file: string): Connection {
  const db = new Database(file);
  try {
    db.exec('PRAGMA busy_timeout = 0');
    db.exec('PRAGMA synchronous = NORMAL');
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Rolls back any open transaction, forgets the connection's cached statements and closes it; never throws. */
export function closeConnection(db: Connection): void {
  forgetConnection(db);
  try {
    if (db.inTransaction) db.exec('ROLLBACK');
  } catch {
    // the connection is closed right after; SQLite rolls back on close anyway
  }
  try {
    db.close();
  } catch {
    // already closed
  }
}
