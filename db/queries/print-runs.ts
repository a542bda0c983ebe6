/** Print runs, allocations and activations: serial ranges, never one row per stamp (DESIGN §3). */
import { and, asc, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { activations, allocations, batches, printRuns, producers, products, type StampKind } from '../schema.ts';
import { auditStatement, type Actor } from './audit.ts';

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
  const statements = [
    {
      sql: `insert into print_runs (kind, first_serial, last_serial, quantity, key_id, note, created_by)
            select ?, coalesce(max(last_serial), 0) + 1, coalesce(max(last_serial), 0) + ?, ?, ?, ?, ?
            from print_runs`,
      args: [run.kind, run.quantity, run.quantity, run.keyId, run.note ?? null, actor.userId],
    },
    auditStatement(actor, 'print_run.create', 'print_run', detail, { entityIdSql: 'last_insert_rowid()' }),
  ];
  if (run.producerId !== undefined) {
    statements.push({
      sql: `insert into allocations (print_run_id, producer_id, first_serial, last_serial, created_by)
            select id, ?, first_serial, last_serial, ? from print_runs where id = (select max(id) from print_runs)`,
      args: [run.producerId, actor.userId],
    });
  }
  statements.push({ sql: 'select * from print_runs where id = (select max(id) from print_runs)', args: [] });
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
  const [run, batch] = await Promise.all([findPrintRun(db, act.printRunId), db.query.batches.findFirst({ where: eq(batches.id, act.batchId) })]);
  if (!run) return 'print_run_not_found';
  if (!batch) return 'batch_not_found';
  if (act.firstSerial < run.firstSerial || act.lastSerial > run.lastSerial) return 'outside_print_run';
  const result = await db.$client.execute({
    sql: `select
            exists (select 1 from allocations where print_run_id = ? and producer_id = ? and first_serial <= ? and last_serial >= ?) as allocated,
            exists (select 1 from activations where first_serial <= ? and last_serial >= ?) as overlaps`,
    args: [act.printRunId, batch.producerId, act.firstSerial, act.lastSerial, act.lastSerial, act.firstSerial],
  });
  const row = result.rows[0]!;
  if (!Number(row.allocated)) return 'outside_allocation';
  if (Number(row.overlaps)) return 'overlaps_activation';
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
      {
        sql: `insert into activations (print_run_id, batch_id, first_serial, last_serial, created_by)
              select ?1, ?2, ?3, ?4, ?5
              where exists (select 1 from print_runs where id = ?1 and first_serial <= ?3 and last_serial >= ?4)
                and exists (select 1 from allocations a join batches b on b.producer_id = a.producer_id
                            where b.id = ?2 and a.print_run_id = ?1 and a.first_serial <= ?3 and a.last_serial >= ?4)
                and not exists (select 1 from activations where first_serial <= ?4 and last_serial >= ?3)
              returning id`,
        args: [printRunId, batchId, firstSerial, lastSerial, actor.userId],
      },
      auditStatement(actor, 'activation.create', 'activation', act, {
        entityIdSql: 'last_insert_rowid()',
        onlyIfChanged: true,
      }),
    ],
    'write',
  );
  const row = results[0]!.rows[0];
  return row ? Number(row.id) : null;
}
