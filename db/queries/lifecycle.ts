/** Taking stamps out of use: voids (serial ranges) and recalls (batches). Both are audited. */
import { desc } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { voids } from '../schema.ts';
import { auditStatement, type Actor } from './audit.ts';

/**
 * Voids serials [firstSerial, lastSerial] (damaged, lost, stolen), if every one of them lies in a
 * print run and no single earlier void already covers them all; the void and its audit row land
 * together. A void may overlap earlier voids in part.
 * @returns the void id, or why not: `not_issued` (part of the range is in no print run) or
 *   `already_voided`
 */
export async function voidRange(
  db: Db,
  v: { firstSerial: number; lastSerial: number; reason: string },
  actor: Actor,
): Promise<number | 'not_issued' | 'already_voided'> {
  const args = { first: v.firstSerial, last: v.lastSerial };
  // Print runs tile the serials from 1 without gaps, so the range is issued iff its last serial is.
  const issued = 'exists (select 1 from print_runs where first_serial <= :last and last_serial >= :last)';
  const covered = 'exists (select 1 from voids where first_serial <= :first and last_serial >= :last)';
  const [checked, inserted] = await db.$client.batch(
    [
      { sql: `select ${issued} as issued, ${covered} as covered`, args },
      {
        sql: `insert into voids (first_serial, last_serial, reason, created_by)
              select :first, :last, :reason, :user where ${issued} and not ${covered}
              returning id`,
        args: { ...args, reason: v.reason, user: actor.userId },
      },
      auditStatement(actor, 'void.create', 'void', v, { entityIdSql: 'last_insert_rowid()', onlyIfChanged: true }),
    ],
    'write',
  );
  const row = inserted!.rows[0];
  if (row) return Number(row.id);
  return Number(checked!.rows[0]!.issued) ? 'already_voided' : 'not_issued';
}

/** Voids, newest first. */
export async function listVoids(db: Db) {
  return db.select().from(voids).orderBy(desc(voids.id)).limit(500);
}

/**
 * Recalls a batch: every stamp bound to it answers `recalled` from now on. A batch is recalled
 * once; the recall and its audit row land together.
 * @returns false when the batch is unknown or already recalled
 */
export async function recallBatch(db: Db, batchId: number, reason: string, actor: Actor): Promise<boolean> {
  const [updated] = await db.$client.batch(
    [
      {
        sql: 'update batches set recalled_at = :at, recall_reason = :reason where id = :id and recalled_at is null',
        args: { at: Date.now(), reason, id: batchId },
      },
      auditStatement(actor, 'batch.recall', 'batch', { reason }, { entityId: batchId, onlyIfChanged: true }),
    ],
    'write',
  );
  return updated!.rowsAffected === 1;
}
