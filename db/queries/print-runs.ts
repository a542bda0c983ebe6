/** Print runs, allocations and activations: serial ranges, never one row per stamp (DESIGN §3). */
import { and, asc, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { activations, allocations, batches, printRuns, producers, products, type StampKind } from '../schema.ts';
import { auditStatement, LAST_INSERT_ID, type Actor } from './audit.ts';
import { bare, statement } from './sql.ts';

/** What an official asks for when issuing stamps. */
export type NewPrintRun = { kind: StampKind; quantity: number; keyId: number; producerId?: number; note?: string };

/**
 * Reserves the next `quantity` serials as one print run, optionally allocates the whole range to
 * `producerId`, and appends the audit row: one write batch (a single transaction), so the range,
 * its allocation and the audit row land together or not at all, and two concurrent runs never
 * share a serial.
 * @returns the new print run row
 */
export async function createPrintRun(db: Db, run: NewPrintRun, actor: Actor) {
  const detail = { kind: run.kind, quantity: run.quantity, producerId: run.producerId ?? null };
  const last = sql`(select max(${printRuns.id}) from ${printRuns})`;
  const statements = [
    statement(sql`insert into ${printRuns}
        (${bare(printRuns.kind)}, ${bare(printRuns.firstSerial)}, ${bare(printRuns.lastSerial)}, ${bare(printRuns.quantity)},
         ${bare(printRuns.keyId)}, ${bare(printRuns.note)}, ${bare(printRuns.createdBy)})
      select ${run.kind}, coalesce(max(${printRuns.lastSerial}), 0) + 1, coalesce(max(${printRuns.lastSerial}), 0) + ${run.quantity},
             ${run.quantity}, ${run.keyId}, ${run.note ?? null}, ${actor.userId}
      from ${printRuns}`),
    auditStatement(actor, 'print_run.create', 'print_run', detail, { entityId: LAST_INSERT_ID }),
  ];
  if (run.producerId !== undefined) {
    statements.push(
      statement(sql`insert into ${allocations}
          (${bare(allocations.printRunId)}, ${bare(allocations.producerId)}, ${bare(allocations.firstSerial)}, ${bare(allocations.lastSerial)}, ${bare(allocations.createdBy)})
        select ${printRuns.id}, ${run.producerId}, ${printRuns.firstSerial}, ${printRuns.lastSerial}, ${actor.userId}
        from ${printRuns} where ${printRuns.id} = ${last}`),
    );
  }
  statements.push(
    statement(sql`select ${printRuns.id}, ${printRuns.kind}, ${printRuns.firstSerial}, ${printRuns.lastSerial}, ${printRuns.quantity},
                         ${printRuns.keyId}, ${printRuns.note}, ${printRuns.createdAt}
                  from ${printRuns} where ${printRuns.id} = ${last}`),
  );
  const results = await db.$client.batch(statements, 'write');
  const row = results.at(-1)!.rows[0]!;
  return {
    id: Number(row.id),
    kind: row.kind as StampKind,
    firstSerial: Number(row.first_serial),
    lastSerial: Number(row.last_serial),
    quantity: Number(row.quantity),
    keyId: Number(row.key_id),
    note: row.note as string | null,
    createdAt: new Date(Number(row.created_at)),
  };
}

/** One print run row, or undefined. */
export async function findPrintRun(db: Db, id: number) {
  return db.query.printRuns.findFirst({ where: eq(printRuns.id, id) });
}

/** Allocations of the given print runs, with the producer's name, by first serial. */
export async function listAllocations(db: Db, printRunIds: number[]) {
  if (printRunIds.length === 0) return [];
  return db
    .select({
      id: allocations.id,
      printRunId: allocations.printRunId,
      producerId: allocations.producerId,
      producerName: producers.name,
      firstSerial: allocations.firstSerial,
      lastSerial: allocations.lastSerial,
      createdAt: allocations.createdAt,
    })
    .from(allocations)
    .innerJoin(producers, eq(producers.id, allocations.producerId))
    .where(inArray(allocations.printRunId, printRunIds))
    .orderBy(asc(allocations.firstSerial));
}

/** Activations, newest first, optionally of one print run and/or one producer, with batch and product. */
export async function listActivations(db: Db, filter: { printRunId?: number; producerId?: number } = {}) {
  const conditions: SQL[] = [];
  if (filter.printRunId !== undefined) conditions.push(eq(activations.printRunId, filter.printRunId));
  if (filter.producerId !== undefined) conditions.push(eq(batches.producerId, filter.producerId));
  return db
    .select({
      id: activations.id,
      printRunId: activations.printRunId,
      batchId: activations.batchId,
      producerId: batches.producerId,
      lotCode: batches.lotCode,
      productName: products.name,
      firstSerial: activations.firstSerial,
      lastSerial: activations.lastSerial,
      createdAt: activations.createdAt,
    })
    .from(activations)
    .innerJoin(batches, eq(batches.id, activations.batchId))
    .innerJoin(products, eq(products.id, batches.productId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(activations.id))
    .limit(500);
}

/**
 * Lists print runs, newest first. With `producerId`, only runs with a range allocated to it.
 */
export async function listPrintRuns(db: Db, scope: { producerId?: number } = {}) {
  if (scope.producerId === undefined) return db.select().from(printRuns).orderBy(desc(printRuns.id)).limit(500);
  return db
    .selectDistinct({
      id: printRuns.id,
      kind: printRuns.kind,
      firstSerial: printRuns.firstSerial,
      lastSerial: printRuns.lastSerial,
      quantity: printRuns.quantity,
      keyId: printRuns.keyId,
      note: printRuns.note,
      createdBy: printRuns.createdBy,
      createdAt: printRuns.createdAt,
    })
    .from(printRuns)
    .innerJoin(allocations, eq(allocations.printRunId, printRuns.id))
    .where(eq(allocations.producerId, scope.producerId))
    .orderBy(desc(printRuns.id))
    .limit(500);
}

/** The serial range to activate and the batch to bind it to. */
export type NewActivation = { printRunId: number; batchId: number; firstSerial: number; lastSerial: number };

/** Why a range cannot be activated; `null` when it can. */
export type ActivationProblem =
  | 'print_run_not_found'
  | 'batch_not_found'
  | 'outside_print_run'
  | 'outside_allocation'
  | 'overlaps_activation'
  | null;

/**
 * Explains why `act` would be refused (read-only), for a clear error; the insert in
 * {@link activateRange} re-checks everything atomically.
 */
export async function checkActivation(db: Db, act: NewActivation): Promise<ActivationProblem> {
  const [run, batch, [overlap]] = await Promise.all([
    findPrintRun(db, act.printRunId),
    db.query.batches.findFirst({ where: eq(batches.id, act.batchId) }),
    db
      .select({ id: activations.id })
      .from(activations)
      .where(and(lte(activations.firstSerial, act.lastSerial), gte(activations.lastSerial, act.firstSerial)))
      .limit(1),
  ]);
  if (!run) return 'print_run_not_found';
  if (!batch) return 'batch_not_found';
  if (act.firstSerial < run.firstSerial || act.lastSerial > run.lastSerial) return 'outside_print_run';
  const [allocation] = await db
    .select({ id: allocations.id })
    .from(allocations)
    .where(
      and(
        eq(allocations.printRunId, act.printRunId),
        eq(allocations.producerId, batch.producerId),
        lte(allocations.firstSerial, act.firstSerial),
        gte(allocations.lastSerial, act.lastSerial),
      ),
    )
    .limit(1);
  if (!allocation) return 'outside_allocation';
  if (overlap) return 'overlaps_activation';
  return null;
}

/**
 * Binds serials [firstSerial, lastSerial] to a batch, if and only if the range lies inside the
 * print run, inside one allocation to the batch's producer, and overlaps no earlier activation.
 * One conditional insert plus its audit row in one write batch: all-or-nothing, and two
 * overlapping concurrent activations cannot both succeed.
 * @returns the new activation id, or null if a condition failed (see {@link checkActivation})
 */
export async function activateRange(db: Db, act: NewActivation, actor: Actor): Promise<number | null> {
  const { printRunId, batchId, firstSerial, lastSerial } = act;
  const results = await db.$client.batch(
    [
      statement(sql`insert into ${activations}
          (${bare(activations.printRunId)}, ${bare(activations.batchId)}, ${bare(activations.firstSerial)}, ${bare(activations.lastSerial)}, ${bare(activations.createdBy)})
        select ${printRunId}, ${batchId}, ${firstSerial}, ${lastSerial}, ${actor.userId}
        where exists (select 1 from ${printRuns}
                      where ${printRuns.id} = ${printRunId} and ${printRuns.firstSerial} <= ${firstSerial} and ${printRuns.lastSerial} >= ${lastSerial})
          and exists (select 1 from ${allocations} join ${batches} on ${batches.producerId} = ${allocations.producerId}
                      where ${batches.id} = ${batchId} and ${allocations.printRunId} = ${printRunId}
                        and ${allocations.firstSerial} <= ${firstSerial} and ${allocations.lastSerial} >= ${lastSerial})
          and not exists (select 1 from ${activations} where ${activations.firstSerial} <= ${lastSerial} and ${activations.lastSerial} >= ${firstSerial})
        returning ${activations.id}`),
      auditStatement(actor, 'activation.create', 'activation', act, { entityId: LAST_INSERT_ID, onlyIfChanged: true }),
    ],
    'write',
  );
  const row = results[0]!.rows[0];
  return row ? Number(row.id) : null;
}
