/** Enterprise API clients (keys stored as SHA-256 hashes) and their usage per fixed window. */
import type { Row } from '@libsql/client/web';
import { and, desc, eq, gte, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { apiClients, apiUsage } from '../schema.ts';
import { auditStatement, LAST_INSERT_ID, type Actor } from './audit.ts';
import { bare, statement } from './sql.ts';

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

const SUMMARY = {
  id: apiClients.id,
  name: apiClients.name,
  producerId: apiClients.producerId,
  keyPrefix: apiClients.keyPrefix,
  createdAt: apiClients.createdAt,
  lastUsedAt: apiClients.lastUsedAt,
  revokedAt: apiClients.revokedAt,
};

function toSummary(r: { id: number; name: string; producerId: number | null; keyPrefix: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }): ApiClientSummary {
  return { ...r, createdAt: r.createdAt.toISOString(), lastUsedAt: r.lastUsedAt?.toISOString() ?? null, revokedAt: r.revokedAt?.toISOString() ?? null };
}

const time = (v: Row[string] | undefined) => (v === null || v === undefined ? null : new Date(Number(v)));

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
      statement(db.insert(apiClients).values({ ...client, createdBy: actor.userId }).returning(SUMMARY)),
      auditStatement(actor, 'api_client.create', 'api_client', { name: client.name, producerId: client.producerId, keyPrefix: client.keyPrefix }, {
        entityId: LAST_INSERT_ID,
      }),
    ],
    'write',
  );
  // The batch's raw row has the SQL names of SUMMARY's columns.
  const r = inserted!.rows[0]!;
  return toSummary({
    id: Number(r.id),
    name: String(r.name),
    producerId: r.producer_id === null ? null : Number(r.producer_id),
    keyPrefix: String(r.key_prefix),
    createdAt: time(r.created_at)!,
    lastUsedAt: time(r.last_used_at),
    revokedAt: time(r.revoked_at),
  });
}

/** Clients, newest first; with `producerId`, only that company's. */
export async function listApiClients(db: Db, scope: { producerId?: number } = {}): Promise<ApiClientSummary[]> {
  const rows = await db
    .select(SUMMARY)
    .from(apiClients)
    .where(scope.producerId === undefined ? undefined : eq(apiClients.producerId, scope.producerId))
    .orderBy(desc(apiClients.id))
    .limit(500);
  return rows.map(toSummary);
}

/** One client, or undefined. */
export async function findApiClient(db: Db, id: number): Promise<ApiClientSummary | undefined> {
  const [row] = await db.select(SUMMARY).from(apiClients).where(eq(apiClients.id, id));
  return row && toSummary(row);
}

/**
 * Revokes a client and appends the audit row, in one write batch. Revoking an already revoked
 * client changes nothing and writes no audit row.
 * @returns true when this call revoked it
 */
export async function revokeApiClient(db: Db, id: number, at: Date, actor: Actor): Promise<boolean> {
  const [updated] = await db.$client.batch(
    [
      statement(db.update(apiClients).set({ revokedAt: at }).where(and(eq(apiClients.id, id), isNull(apiClients.revokedAt)))),
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
 * @returns the client with the window's counts, or undefined for an unknown or revoked key
 */
export async function authenticateApiClient(db: Db, keyHash: string, now: Date, windowStart: number): Promise<AuthenticatedClient | undefined> {
  const live = and(eq(apiClients.keyHash, keyHash), isNull(apiClients.revokedAt));
  const [client, usage] = await db.$client.batch(
    [
      statement(
        db
          .update(apiClients)
          .set({ lastUsedAt: now })
          .where(live)
          .returning({ id: apiClients.id, name: apiClients.name, producerId: apiClients.producerId }),
      ),
      statement(sql`insert into ${apiUsage} (${bare(apiUsage.apiClientId)}, ${bare(apiUsage.windowStart)}, ${bare(apiUsage.requests)}, ${bare(apiUsage.codes)})
        select ${apiClients.id}, ${windowStart}, 1, 0 from ${apiClients}
        where ${apiClients.keyHash} = ${keyHash} and ${apiClients.revokedAt} is null
        on conflict (${bare(apiUsage.apiClientId)}, ${bare(apiUsage.windowStart)}) do update set ${bare(apiUsage.requests)} = ${apiUsage.requests} + 1
        returning ${apiUsage.requests}, ${apiUsage.codes}`),
    ],
    'write',
  );
  const row = client!.rows[0];
  const counts = usage!.rows[0];
  if (!row || !counts) return undefined;
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
  const rows = await db
    .select({
      windowStart: apiUsage.windowStart,
      requests: sql<number>`sum(${apiUsage.requests})`.mapWith(Number),
      codes: sql<number>`sum(${apiUsage.codes})`.mapWith(Number),
    })
    .from(apiUsage)
    .innerJoin(apiClients, eq(apiClients.id, apiUsage.apiClientId))
    .where(and(eq(apiClients.producerId, producerId), gte(apiUsage.windowStart, since)))
    .groupBy(apiUsage.windowStart)
    .orderBy(desc(apiUsage.windowStart))
    .limit(1440);
  return rows.map((r) => ({ windowStart: new Date(r.windowStart).toISOString(), requests: r.requests, codes: r.codes }));
}
