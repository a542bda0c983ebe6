/** The append-only audit log: one row per change made through the admin API. */
import { desc, sql, type SQL } from 'drizzle-orm';
import type { InStatement } from '@libsql/client/web';
import type { Db } from '../client.ts';
import { auditLog } from '../schema.ts';
import { bare, statement } from './sql.ts';

/** Who made a change, and in which request: recorded beside every change. */
export type Actor = { userId: number; requestId: string };

/** The id of the row the previous insert of the same batch made, as an audit row's `entityId`. */
export const LAST_INSERT_ID = sql`last_insert_rowid()`;

/**
 * Builds the statement that appends an audit row, for the same write batch as the change it
 * records (so both land or neither). `entityId` is the changed row's id, or SQL giving it (e.g.
 * {@link LAST_INSERT_ID}); with `onlyIfChanged` the row is written only if the previous statement
 * changed a row.
 */
export function auditStatement(
  actor: Actor,
  action: string,
  entity: string,
  detail: unknown,
  opts: { entityId?: string | number | SQL; onlyIfChanged?: boolean } = {},
): InStatement {
  const { entityId } = opts;
  const id = entityId === undefined ? null : typeof entityId === 'object' ? sql`cast(${entityId} as text)` : String(entityId);
  return statement(sql`insert into ${auditLog}
      (${bare(auditLog.userId)}, ${bare(auditLog.action)}, ${bare(auditLog.entity)}, ${bare(auditLog.entityId)}, ${bare(auditLog.detail)}, ${bare(auditLog.requestId)})
    select ${actor.userId}, ${action}, ${entity}, ${id}, ${JSON.stringify(detail ?? null)}, ${actor.requestId}
    ${opts.onlyIfChanged ? sql`where changes() = 1` : sql``}`);
}

/** Newest audit rows first. */
export async function listAuditLog(db: Db, limit = 200) {
  return db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(limit);
}
