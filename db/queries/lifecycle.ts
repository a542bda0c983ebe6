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

/**
 * Recalls a batch and the batches derived from it (made from it, at any depth) in one write: each
 * batch not yet recalled gets the reason and its own audit row (`batch.recall`, naming the batch it
 * was derived from). The first batch must not be recalled yet; derived ones already recalled stay
 * as they were.
 * @returns the ids recalled by this call (the first batch first), or false when the first batch is
 *   unknown or already recalled (then nothing is written)
 */
export async function recallBatchWithDerived(db: Db, batchId: number, derivedIds: readonly number[], reason: string, actor: Actor): Promise<number[] | false> {
  const now = new Date();
  const ids = [batchId, ...derivedIds.filter((id) => id !== batchId)];
  const first = and(eq(batches.id, batchId), isNull(batches.recalledAt));
  const b0 = sql.identifier('b0');
  const statements = ids.flatMap((id, i) => [
    statement(
      db
        .update(batches)
        .set({ recalledAt: now, recallReason: reason })
        // Derived batches only if the first one is recalled in this same write.
        .where(
          i === 0
            ? first
            : and(eq(batches.id, id), isNull(batches.recalledAt), sql`exists (select 1 from ${batches} as ${b0} where ${b0}.${bare(batches.id)} = ${batchId} and ${b0}.${bare(batches.recalledAt)} = ${now.getTime()})`),
        ),
    ),
    auditStatement(actor, 'batch.recall', 'batch', i === 0 ? { reason, includeDerived: true } : { reason, derivedFrom: batchId }, { entityId: id, onlyIfChanged: true }),
  ]);
  const results = await db.$client.batch(statements, 'write');
  if (results[0]!.rowsAffected !== 1) return false;
  return ids.filter((_, i) => results[i * 2]!.rowsAffected === 1);
}
