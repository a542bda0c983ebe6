/** Enterprise API clients (keys stored as SHA-256 hashes) and their usage per fixed window. */
import type { Row } from '@libsql/client/web';
import type { Db } from '../client.ts';
import { auditStatement, type Actor } from './audit.ts';

/** An API client as listed: never the key or its hash. */
export type ApiClientSummary = {
  id: number;
  name: string;
  producerId: number | null;
  keyPrefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

const SUMMARY_COLUMNS = 'id, name, producer_id, key_prefix, created_at, last_used_at, revoked_at';

const iso = (v: Row[string] | undefined) => (v === null || v === undefined ? null : new Date(Number(v)).toISOString());

function toSummary(r: Row): ApiClientSummary {
  return {
    id: Number(r.id),
    name: String(r.name),
    producerId: r.producer_id === null ? null : Number(r.producer_id),
    keyPrefix: String(r.key_prefix),
    createdAt: iso(r.created_at)!,
    lastUsedAt: iso(r.last_used_at),
    revokedAt: iso(r.revoked_at),
  };
}

/**
 * Stores a new client (its key's hash and display prefix) and its audit row in one write batch.
 * The audit detail names the client, never the key.
 */
export async function createApiClient(
  db: Db,
  client: { name: string; producerId: number | null; keyHash: string; keyPrefix: string },
  actor: Actor,
): Promise<ApiClientSummary> {
  const [inserted] = await db.$client.batch(
    [
      {
        sql: `insert into api_clients (name, producer_id, key_hash, key_prefix, created_by) values (?, ?, ?, ?, ?)
              returning ${SUMMARY_COLUMNS}`,
        args: [client.name, client.producerId, client.keyHash, client.keyPrefix, actor.userId],
      },
      auditStatement(actor, 'api_client.create', 'api_client', { name: client.name, producerId: client.producerId, keyPrefix: client.keyPrefix }, {
        entityIdSql: 'last_insert_rowid()',
      }),
    ],
    'write',
  );
  return toSummary(inserted!.rows[0]!);
}

/** Clients, newest first; with `producerId`, only that company's. */
export async function listApiClients(db: Db, scope: { producerId?: number } = {}): Promise<ApiClientSummary[]> {
  const result = await db.$client.execute(
    scope.producerId === undefined
      ? { sql: `select ${SUMMARY_COLUMNS} from api_clients order by id desc limit 500`, args: [] }
      : { sql: `select ${SUMMARY_COLUMNS} from api_clients where producer_id = ? order by id desc limit 500`, args: [scope.producerId] },
  );
  return result.rows.map(toSummary);
}

/** One client, or null. */
export async function findApiClient(db: Db, id: number): Promise<ApiClientSummary | null> {
  const result = await db.$client.execute({ sql: `select ${SUMMARY_COLUMNS} from api_clients where id = ?`, args: [id] });
  return result.rows[0] ? toSummary(result.rows[0]) : null;
}

/**
 * Revokes a client and appends the audit row, in one write batch. Revoking an already revoked
 * client changes nothing and writes no audit row.
 * @returns true when this call revoked it
 */
export async function revokeApiClient(db: Db, id: number, at: Date, actor: Actor): Promise<boolean> {
  const [updated] = await db.$client.batch(
    [
      { sql: 'update api_clients set revoked_at = ? where id = ? and revoked_at is null', args: [at.getTime(), id] },
      auditStatement(actor, 'api_client.revoke', 'api_client', null, { entityId: id, onlyIfChanged: true }),
    ],
    'write',
  );
  return updated!.rowsAffected === 1;
}

/** An authenticated client and its counts in the current window (this request included). */
export type AuthenticatedClient = {
  id: number;
  name: string;
  producerId: number | null;
  windowStart: number;
  requests: number;
  codes: number;
};

/**
 * Authenticates a key by its hash and counts the request, in one write batch: stamps
 * `last_used_at`, then upserts the window's `api_usage` row (`requests + 1`). Unknown and revoked
 * keys change nothing.
 * @returns the client with the window's counts, or null for an unknown or revoked key
 */
export async function authenticateApiClient(db: Db, keyHash: string, now: Date, windowStart: number): Promise<AuthenticatedClient | null> {
  const [client, usage] = await db.$client.batch(
    [
      {
        sql: `update api_clients set last_used_at = ? where key_hash = ? and revoked_at is null
              returning id, name, producer_id`,
        args: [now.getTime(), keyHash],
      },
      {
        sql: `insert into api_usage (api_client_id, window_start, requests, codes)
              select id, ?, 1, 0 from api_clients where key_hash = ? and revoked_at is null
              on conflict (api_client_id, window_start) do update set requests = requests + 1
              returning requests, codes`,
        args: [windowStart, keyHash],
      },
    ],
    'write',
  );
  const row = client!.rows[0];
  const counts = usage!.rows[0];
  if (!row || !counts) return null;
  return {
    id: Number(row.id),
    name: String(row.name),
    producerId: row.producer_id === null ? null : Number(row.producer_id),
    windowStart,
    requests: Number(counts.requests),
    codes: Number(counts.codes),
  };
}

/** Requests and codes per window of every client of `producerId` since `since` (unix ms), newest first. */
export async function listProducerUsage(db: Db, producerId: number, since: number) {
  const result = await db.$client.execute({
    sql: `select u.window_start, sum(u.requests) as requests, sum(u.codes) as codes
          from api_usage u join api_clients c on c.id = u.api_client_id
          where c.producer_id = ? and u.window_start >= ?
          group by u.window_start order by u.window_start desc limit 1440`,
    args: [producerId, since],
  });
  return result.rows.map((r) => ({
    windowStart: new Date(Number(r.window_start)).toISOString(),
    requests: Number(r.requests),
    codes: Number(r.codes),
  }));
}
