/**
 * Test support for the query tests (never imported by the app): a fresh libSQL file per test file,
 * served by db/server over HTTP, migrated with db/migrate.ts and opened with createDb (the path the
 * app takes), and factories that make the rows one test needs. Every factory takes fresh serials,
 * tax codes and GTINs, so no test depends on rows another test made.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { createDb, type Db } from '../client.ts';
import { migrateDatabase } from '../migrate.ts';
import {
  activations,
  alerts,
  allocations,
  apiClients,
  apiUsage,
  batches,
  certificates,
  printRuns,
  producers,
  products,
  users,
  voids,
  type AlertStatus,
  type StampKind,
} from '../schema.ts';
import { startLibsqlServer } from '../server/index.ts';

/** A migrated database on a temporary file, and how to close and delete it. */
export type TestDb = { db: Db; close: () => Promise<void> };

/** Serves and migrates a new libSQL file in a new temporary directory. */
export async function openTestDb(): Promise<TestDb> {
  const dir = await mkdtemp(join(tmpdir(), 'query-test-'));
  const server = await startLibsqlServer({ file: join(dir, 'test.db'), port: 0 });
  await migrateDatabase(server.url);
  const db = createDb(server.url);
  return {
    db,
    close: async () => {
      db.$client.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

let sequence = 0;
/** A number not used before in this test process. */
export const unique = () => ++sequence;
// Print runs take serials from here on, with a gap after each, so ranges never touch.
let nextSerial = 1_000_000;

export async function makeProducer(db: Db, values: Partial<typeof producers.$inferInsert> = {}) {
  const n = unique();
  const [row] = await db
    .insert(producers)
    .values({
      kind: 'cooperative',
      name: `HTX thử ${n}`,
      taxCode: String(5_700_000_000 + n),
      address: `${n} Đường Biển`,
      province: 'Quảng Ninh',
      ...values,
    })
    .returning();
  return row!;
}

export async function makeProduct(db: Db, producerId: number, values: Partial<typeof products.$inferInsert> = {}) {
  const n = unique();
  const [row] = await db
    .insert(products)
    .values({ producerId, name: `Chả mực ${n}`, gtin: String(8_930_000_000_000 + n), category: 'fishery', ...values })
    .returning();
  return row!;
}

export async function makeBatch(db: Db, product: { id: number; producerId: number }, values: Partial<typeof batches.$inferInsert> = {}) {
  const [row] = await db
    .insert(batches)
    .values({
      producerId: product.producerId,
      productId: product.id,
      lotCode: `L${unique()}`,
      productionDate: '2026-04-01',
      quantity: 100,
      ...values,
    })
    .returning();
  return row!;
}

export async function makeCertificate(db: Db, values: Pick<typeof certificates.$inferInsert, 'producerId'> & Partial<typeof certificates.$inferInsert>) {
  const [row] = await db
    .insert(certificates)
    .values({ kind: 'vietgap', number: `VG-${unique()}`, issuer: 'Sở NN&MT Quảng Ninh', validFrom: '2025-01-01', ...values })
    .returning();
  return row!;
}

/** A print run of fresh serials. */
export async function makePrintRun(db: Db, p: { kind?: StampKind; quantity?: number; keyId?: number } = {}) {
  const quantity = p.quantity ?? 10;
  const firstSerial = nextSerial;
  nextSerial += quantity + 100;
  const [row] = await db
    .insert(printRuns)
    .values({ kind: p.kind ?? 'qr', firstSerial, lastSerial: firstSerial + quantity - 1, quantity, keyId: p.keyId ?? 2 })
    .returning();
  return row!;
}

type Range = { printRunId: number; firstSerial: number; lastSerial: number };

export async function makeAllocation(db: Db, range: Range, producerId: number) {
  const [row] = await db.insert(allocations).values({ ...range, producerId }).returning();
  return row!;
}

export async function makeActivation(db: Db, range: Range, batchId: number) {
  const [row] = await db.insert(activations).values({ ...range, batchId }).returning();
  return row!;
}

export async function makeVoid(db: Db, firstSerial: number, lastSerial: number) {
  await db.insert(voids).values({ firstSerial, lastSerial, reason: 'hỏng khi in' });
}

export async function makeAlert(db: Db, serial: number, rule: string, status: AlertStatus = 'open') {
  await db.insert(alerts).values({ serial, rule, status });
}

export async function recallBatch(db: Db, batchId: number) {
  await db.update(batches).set({ recalledAt: new Date(), recallReason: 'thử' }).where(eq(batches.id, batchId));
}

/** An API client (with its creator) and its usage row for `windowStart`. */
export async function makeApiClient(db: Db, p: { producerId?: number | null; windowStart: number }) {
  const n = unique();
  const [user] = await db
    .insert(users)
    .values({ email: `canbo${n}@localhost`, name: `Cán bộ ${n}`, passwordHash: 'x', role: 'official' })
    .returning();
  const [client] = await db
    .insert(apiClients)
    .values({ name: `Khoá ${n}`, producerId: p.producerId ?? null, keyHash: `hash-${n}`, keyPrefix: `txk_${n}`, createdBy: user!.id })
    .returning();
  await db.insert(apiUsage).values({ apiClientId: client!.id, windowStart: p.windowStart, requests: 1 });
  return client!;
}

/**
 * The usual scene: a producer, its product and batch, a print run allocated to the producer and
 * activated on the batch except its last `unactivated` serials.
 */
export async function makeStampScene(db: Db, p: { kind?: StampKind; quantity?: number; unactivated?: number } = {}) {
  const producer = await makeProducer(db);
  const product = await makeProduct(db, producer.id);
  const batch = await makeBatch(db, product);
  const run = await makePrintRun(db, { kind: p.kind, quantity: p.quantity });
  const range = { printRunId: run.id, firstSerial: run.firstSerial, lastSerial: run.lastSerial };
  await makeAllocation(db, range, producer.id);
  const activation = await makeActivation(db, { ...range, lastSerial: run.lastSerial - (p.unactivated ?? 0) }, batch.id);
  return { producer, product, batch, run, activation };
}
