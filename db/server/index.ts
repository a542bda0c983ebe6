/**
 * A local libSQL server: serves libSQL database files over the libSQL remote protocol (Hrana
 * over HTTP, JSON encoding; HTTP API v2 and Hrana 3) on loopback, so that
 * `@libsql/client/web` and `@libsql/client` with an `http://` URL work against it unmodified,
 * as they do against Turso/sqld in production. A development and test tool: never deployed.
 *
 * Serves one file at the root URL, or a directory of files, one per URL path prefix (see
 * databases.ts).
 *
 * Supported: version probes (`GET /v2`, `GET /v3`), `POST /v2/pipeline`, `POST /v3/pipeline`
 * and `POST /v3/cursor`; stream requests `execute`, `batch` (conditions ok/error/not/and/or/
 * is_autocommit), `sequence`, `describe`, `store_sql`, `close_sql`, `get_autocommit`, `close`;
 * batons with idle expiry; bearer-token auth. Not supported: the Protobuf encoding
 * (`/v3-protobuf`, answered 404 so clients fall back to JSON), WebSockets, the legacy v1 API.
 */
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { databaseDirectory, singleDatabase, type DatabaseCatalog, type DatabaseSettings } from './databases.ts';
import { createHranaHandler } from './http-handler.ts';

/** Options of {@link startLibsqlServer}. */
export type LibsqlServerOptions = ServerSettings &
  (
    | {
        /** Path of the database file served at the root URL; created (with its directory) if missing. `:memory:` is refused. */
        file: string;
        directory?: undefined;
        template?: undefined;
      }
    | {
        file?: undefined;
        /**
         * A folder of database files: `{url}/{name}/` serves `{directory}/{name}.db` (names: 1–64 of
         * `A-Z a-z 0-9 _ -`), created on its first request. Created if missing.
         */
        directory: string;
        /** A database file that each new database of `directory` starts as a copy of (say, a migrated schema). */
        template?: string;
      }
  );

/** Settings of {@link startLibsqlServer} common to both layouts. */
export interface ServerSettings {
  /** Loopback address to listen on: `127.0.0.1` (default), another `127.x.y.z`, `::1` or `localhost`. */
  host?: string;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** If set, requests must carry `Authorization: Bearer <authToken>`; otherwise any token (or none) is accepted. */
  authToken?: string;
  /** Idle time in ms after which an abandoned stream is closed and its transaction rolled back (default 10 000). */
  idleTimeoutMs?: number;
  /** How long in ms a statement waits for a lock held by another stream before SQLITE_BUSY (default 5 000). */
  busyTimeoutMs?: number;
  /** Most streams open at once per database (default 256; each holds a connection, i.e. file descriptors). */
  maxStreams?: number;
  /** Largest request body in bytes (default 32 MiB). */
  maxBodyBytes?: number;
}

/** A running server. */
export interface LibsqlServer {
  /**
   * Base URL, e.g. `http://127.0.0.1:8080`: for `createClient({ url })` when serving one file;
   * with `directory`, database `name` is at `${url}/${name}/` (mind the trailing slash).
   */
  url: string;
  /** The port actually listened on. */
  port: number;
  /** Stops listening, rolls back open transactions and closes all connections. Idempotent. */
  close(): Promise<void>;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Starts a libSQL HTTP server on loopback, for one database file or a directory of them.
 *
 * Files are switched to WAL journal mode. Each Hrana stream gets its own connection; see
 * streams.ts (batons, expiry), execute.ts (statement semantics, waiting for locks) and
 * databases.ts (layouts).
 *
 * @throws Error if `host` is not a loopback address, `file` is `:memory:`, the file cannot be
 *   opened as a database, `template` does not exist, or the port cannot be listened on.
 * @example
 * const server = await startLibsqlServer({ file: '.data/truyxuat.db', port: 0 });
 * const db = createClient({ url: server.url }); // from '@libsql/client/web'
 * await server.close();
 * @example
 * const server = await startLibsqlServer({ directory: '/tmp/dbs', template: '/tmp/migrated.db' });
 * const a = createClient({ url: `${server.url}/a/` }); // /tmp/dbs/a.db, a copy of the template
 */
export async function startLibsqlServer(options: LibsqlServerOptions): Promise<LibsqlServer> {
  const host = options.host === undefined || options.host === 'localhost' ? '127.0.0.1' : options.host.replace(/^\[(.*)\]$/, '$1');
  if (!isLoopback(host)) throw new Error(`Refusing to listen on ${options.host}: only loopback addresses are allowed`);

  const shutdown = new AbortController();
  const settings: DatabaseSettings = {
    idleTimeoutMs: options.idleTimeoutMs ?? 10_000,
    busyTimeoutMs: options.busyTimeoutMs ?? 5_000,
    maxStreams: options.maxStreams ?? 256,
    signal: shutdown.signal,
  };
  let catalog: DatabaseCatalog;
  if (options.directory !== undefined) {
    catalog = databaseDirectory(options.directory, options.template, settings);
  } else {
    if (options.file.trim() === '' || options.file.includes(':memory:') || options.file.includes('mode=memory')) {
      throw new Error('The local libSQL server needs a database file, not an in-memory database');
    }
    const file = resolve(options.file);
    mkdirSync(dirname(file), { recursive: true });
    // Opened for the server's lifetime: fails fast on a bad file.
    catalog = singleDatabase(file, settings);
  }

  const server = createServer(
    createHranaHandler({
      catalog,
      directory: options.directory !== undefined,
      authToken: options.authToken,
      maxBodyBytes: options.maxBodyBytes ?? 32 * 1024 * 1024,
    }),
  );

  try {
    await new Promise<void>((resolveListen, rejectListen) => {
      server.once('error', rejectListen);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', rejectListen);
        resolveListen();
      });
    });
  } catch (err) {
    catalog.close();
    throw err;
  }

  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close() {
      closing ??= (async () => {
        shutdown.abort();
        catalog.stop();
        await new Promise<void>((resolveClose) => {
          const force = setTimeout(() => server.closeAllConnections(), 2_000);
          server.close(() => {
            clearTimeout(force);
            resolveClose();
          });
          server.closeIdleConnections();
        });
        catalog.close();
      })();
      return closing;
    },
  };
}
