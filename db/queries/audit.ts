/** The append-only audit log: one row per change made through the admin API. */
import { desc } from 'drizzle-orm';
import type { InStatement } from '@libsql/client/web';
import type { Db } from '../client.ts';
import { auditLog } from '../schema.ts';

/** Who made a change, and in which request: recorded beside every change. */
export type Actor = { userId: number; requestId: string };

/**
 * Builds the statement that appends an audit row, for the same write batch as the change it
 * records (so both land or neither). `entityIdSql` is SQL giving the id (e.g. `last_insert_rowid()`);
 * with `onlyIfChanged` the row is written only if the previous statement changed a row.
 */
export function auditStatement(
  actor: Actor,
  action: string,
  entity: string,
  detail: unknown,
  opts: { entityId?: string | number; entityIdSql?: string; onlyIfChanged?: boolean } = {},
): InStatement {
  const entityId = opts.entityIdSql ? `cast(${opts.entityIdSql} as text)` : '?';
  const args: (string | number | null)[] = [actor.userId, action, entity];
  if (!opts.entityIdSql) args.push(opts.entityId === undefined ? null : String(opts.entityId));
  args.push(JSON.stringify(detail ?? null), actor.requestId);
  return {
    sql: `insert into audit_log (user_id, action, entity, entity_id, detail, request_id)
          select ?, ?, ?, ${entityId}, ?, ? ${opts.onlyIfChanged ? 'where changes() = 1' : ''}`,
    args,
  };
}

/** Newest audit rows first. */
export async function listAuditLog(db: Db, limit = 200) {
  return db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(limit);
}
