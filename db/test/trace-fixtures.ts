/**
 * Fixtures for the traceability query tests: a fresh migrated libSQL file per test file (served
 * by db/server over HTTP and opened with createDb, as the app does), and factories that make a
 * producer, product, batch and user of their own for each test, so no test depends on another's
 * rows.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import { gs1CheckDigit } from '../../worker/src/domain/gs1.ts';
import { createDb, type Db } from '../client.ts';
import { migrateDatabase } from '../migrate.ts';
import { createBatch, createProducer, createProduct } from '../queries/catalog.ts';
import type { Actor } from '../queries/audit.ts';
import {
  auditLog,
  batches,
  errorDeclarations,
  locations,
  partners,
  producers,
  products,
  traceEventLots,
  traceEvents,
  users,
} from '../schema.ts';
import { startLibsqlServer, type LibsqlServer } from '../server/index.ts';

/** A temporary directory, a libSQL server over a migrated file in it, and the handle. */
export type TestDatabase = { db: Db; close: () => Promise<void> };

/** Opens a fresh migrated libSQL file (named after the test file) over HTTP. */
export async function openTestDatabase(name: string): Promise<TestDatabase> {
  const dir = await mkdtemp(join(tmpdir(), `${name}-`));
  const server: LibsqlServer = await startLibsqlServer({ file: join(dir, `${name}.db`), port: 0 });
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

let counter = 0;
/** A number unique within this test process. */
export const unique = () => ++counter;

/** A valid GTIN-13 (893 prefix) unique within this test process. */
export function makeGtin(): string {
  const body = `893${String(unique()).padStart(9, '0')}`;
  return body + String(gs1CheckDigit(body));
}

/** A valid GLN unique within this test process. */
export function makeGln(): string {
  const body = `894${String(unique()).padStart(9, '0')}`;
  return body + String(gs1CheckDigit(body));
}

/** A user (official) to act as; returns the actor. */
export async function makeActor(db: Db): Promise<Actor> {
  const n = unique();
  const [u] = await db
    .insert(users)
    .values({ email: `u${n}@test`, name: `User ${n}`, passwordHash: 'x', role: 'official' })
    .returning({ id: users.id });
  return { userId: u!.id, requestId: `req-${n}` };
}

/** A producer in Quảng Ninh. */
export async function makeProducer(db: Db, actor: Actor, name = `Producer ${unique()}`) {
  const p = await createProducer(db, { kind: 'cooperative', name, taxCode: `57${String(unique()).padStart(8, '0')}`, address: 'Cô Tô', province: 'Quảng Ninh' }, actor);
  if (typeof p === 'string') throw new Error(p);
  return p;
}

/** A product of the producer and a batch of it. */
export async function makeBatch(db: Db, actor: Actor, producerId: number, lotCode = `L-${unique()}`, productionDate = '2025-10-01') {
  const product = await createProduct(db, { producerId, name: `Product ${unique()}`, gtin: makeGtin(), category: 'fishery' }, actor);
  if (typeof product === 'string') throw new Error(product);
  const batch = await createBatch(db, { productId: product.id, lotCode, productionDate, quantity: 100, unit: 'chai' }, actor);
  if (typeof batch === 'string') throw new Error(batch);
  return { product, batch };
}

/** Row counts of every table these queries write, to show a refusal wrote nothing. */
export async function countTraceRows(db: Db) {
  const tables = { auditLog, batches, errorDeclarations, locations, partners, producers, products, traceEventLots, traceEvents };
  const out: Record<string, number> = {};
  for (const [name, table] of Object.entries(tables)) out[name] = (await db.select({ n: count() }).from(table))[0]!.n;
  return out;
}
