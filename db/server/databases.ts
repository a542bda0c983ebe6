/**
 * The database files a local libSQL server serves, and which one a request path names.
 *
 * Two layouts:
 * - one file, served at the root: `http://127.0.0.1:8080/v3/pipeline`;
 * - a directory, one file per name, each served under its own path prefix:
 *   `http://127.0.0.1:8080/{name}/v3/pipeline` serves `{directory}/{name}.db`. A database is
 *   created on its first request, empty or as a copy of a template file. The client keeps a
 *   URL's path (`createClient({ url: 'http://127.0.0.1:8080/t1/' })` resolves `v3/pipeline`
 *   against it), so this is how test files each get their own database from one server.
 *
 * Each served file has its own keeper connection (WAL mode, kept open so that the WAL index
 * lives between streams), its own streams and batons: a baton of one database means nothing to
 * another.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'libsql';
import type { ExecOptions } from './execute.ts';
import { HranaError } from './protocol.ts';
import { closeConnection, openConnection, StreamRegistry } from './streams.ts';

/** How every served database runs (see `LibsqlServerOptions` in index.ts for the defaults). */
export interface DatabaseSettings {
  idleTimeoutMs: number;
  busyTimeoutMs: number;
  /** Most streams open at once, per database. */
  maxStreams: number;
  /** Aborted when the server shuts down: statements stop waiting for locks. */
  signal: AbortSignal;
}

/** One database file being served. */
export interface ServedDatabase {
  readonly file: string;
  readonly registry: StreamRegistry;
  readonly exec: ExecOptions;
}

/** The databases of one server, found by request path. */
export interface DatabaseCatalog {
  /**
   * Splits a request path into the key of the database it names (`''` in the one-file layout)
   * and the endpoint path inside it (`/v3/pipeline`); undefined when the path names no database.
   */
  split(path: string): { key: string; endpoint: string } | undefined;
  /** The database of `key` (from {@link split}), created and opened on first use. */
  open(key: string): ServedDatabase;
  /** Refuses new streams and closes idle ones; open transactions are rolled back. */
  stop(): void;
  /** Closes every connection. Call after {@link stop}, once requests have finished. */
  close(): void;
}

/** Names of databases in the directory layout: 1–64 of `A-Z a-z 0-9 _ -`. */
export const DATABASE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

interface OpenDatabase extends ServedDatabase {
  keeper: Database.Database;
}

function openDatabase(file: string, settings: DatabaseSettings): OpenDatabase {
  const keeper = openConnection(file);
  try {
    keeper.exec('PRAGMA journal_mode = WAL');
  } catch (err) {
    closeConnection(keeper);
    throw err;
  }
  return {
    file,
    keeper,
    registry: new StreamRegistry({ file, idleTimeoutMs: settings.idleTimeoutMs, maxStreams: settings.maxStreams }),
    exec: {
      busyTimeoutMs: settings.busyTimeoutMs,
      signal: settings.signal,
      openScratch: () => openConnection(file),
      closeScratch: closeConnection,
    },
  };
}

function catalogOf(databases: Map<string, OpenDatabase>, split: DatabaseCatalog['split'], create: (key: string) => OpenDatabase): DatabaseCatalog {
  return {
    split,
    open(key) {
      let database = databases.get(key);
      if (database === undefined) {
        database = create(key);
        databases.set(key, database);
      }
      return database;
    },
    stop() {
      for (const database of databases.values()) database.registry.close();
    },
    close() {
      for (const database of databases.values()) {
        database.registry.close();
        closeConnection(database.keeper);
      }
    },
  };
}

/**
 * Serves one file at the root. Opens it at once, so a bad file fails here.
 * @throws Error when the file cannot be opened as a database
 */
export function singleDatabase(file: string, settings: DatabaseSettings): DatabaseCatalog {
  const database = openDatabase(file, settings);
  return catalogOf(new Map([['', database]]), (path) => ({ key: '', endpoint: path }), () => database);
}

/**
 * Serves `{directory}/{name}.db` under `/{name}/`. A missing file is created on its first
 * request: a consistent copy of `template` (SQLite `VACUUM INTO`, so the template may be in use
 * or in WAL mode) or else an empty database.
 * @throws Error when `template` does not exist
 */
export function databaseDirectory(directory: string, template: string | undefined, settings: DatabaseSettings): DatabaseCatalog {
  const dir = resolve(directory);
  mkdirSync(dir, { recursive: true });
  const source = template === undefined ? undefined : resolve(template);
  if (source !== undefined && !existsSync(source)) throw new Error(`Template database ${source} does not exist`);
  return catalogOf(
    new Map(),
    (path) => {
      const match = /^\/([^/]+)(\/.*)?$/.exec(path);
      if (!match || !DATABASE_NAME.test(match[1]!)) return undefined;
      return { key: match[1]!, endpoint: match[2] ?? '/' };
    },
    (name) => {
      const file = join(dir, `${name}.db`);
      if (source !== undefined && !existsSync(file)) copyDatabase(source, file);
      return openDatabase(file, settings);
    },
  );
}

function copyDatabase(source: string, target: string): void {
  const db = new Database(source, { readonly: true });
  try {
    db.prepare('VACUUM INTO ?').run([target]);
  } catch (err) {
    throw new HranaError('DATABASE_CREATE_FAILED', `Could not create ${target}: ${err instanceof Error ? err.message : String(err)}`, 500);
  } finally {
    db.close();
  }
}
