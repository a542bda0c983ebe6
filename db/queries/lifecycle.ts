/** Taking stamps out of use: voids (serial ranges) and recalls (batches). Both are audited. */
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { batches, printRuns, voids } from '../schema.ts';
import { auditStatement, LAST_INSERT_ID, type Actor } from './audit.ts';
import { bare, statement } from './sql.ts';

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
  const { firstSerial: first, lastSerial: last } = v;
  // Print runs tile the serials from 1 without gaps, so the range is issued iff its last serial is.
  const issued = sql`exists (select 1 from ${printRuns} where ${printRuns.firstSerial} <= ${last} and ${printRuns.lastSerial} >= ${last})`;
  const covered = sql`exists (select 1 from ${voids} where ${voids.firstSerial} <= ${first} and ${voids.lastSerial} >= ${last})`;
  const [checked, inserted] = await db.$client.batch(
    [
      statement(sql`select ${issued} as issued, ${covered} as covered`),
      statement(sql`insert into ${voids} (${bare(voids.firstSerial)}, ${bare(voids.lastSerial)}, ${bare(voids.reason)}, ${bare(voids.createdBy)})
        select ${first}, ${last}, ${v.reason}, ${actor.userId} where ${issued} and not ${covered}
        returning ${voids.id}`),
      auditStatement(actor, 'void.create', 'void', v, { entityId: LAST_INSERT_ID, onlyIfChanged: true }),
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
      statement(
        db
          .update(batches)
          .set({ recalledAt: new Date(), recallReason: reason })
          .where(and(eq(batches.id, batchId), isNull(batches.recalledAt))),
      ),
      auditStatement(actor, 'batch.recall', 'batch', { reason }, { entityId: batchId, onlyIfChanged: true }),
    ],
    'write',
  );
  return updated!.rowsAffected === 1;
}
