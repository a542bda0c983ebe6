/** Master data reads: producers, products, certificates, batches. Each takes the db handle first. */
import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { batches, certificates, producers, products } from '../schema.ts';

/** Optional filter by owner; `producerId` undefined = all producers. */
export type ProducerScope = { producerId?: number };

/** Lists producers (one when scoped), by name. */
export async function listProducers(db: Db, scope: ProducerScope = {}) {
  return db
    .select()
    .from(producers)
    .where(scope.producerId === undefined ? undefined : eq(producers.id, scope.producerId))
    .orderBy(asc(producers.name));
}

/** One producer by id, or undefined. */
export async function findProducer(db: Db, id: number) {
  return db.query.producers.findFirst({ where: eq(producers.id, id) });
}

/** Lists products with their producer's name, optionally of one producer. */
export async function listProducts(db: Db, scope: ProducerScope = {}) {
  return db
    .select({
      id: products.id,
      producerId: products.producerId,
      producerName: producers.name,
      name: products.name,
      gtin: products.gtin,
      category: products.category,
      ocopStars: products.ocopStars,
      imageUrl: products.imageUrl,
      description: products.description,
      shelfLifeDays: products.shelfLifeDays,
      standards: products.standards,
      createdAt: products.createdAt,
    })
    .from(products)
    .innerJoin(producers, eq(producers.id, products.producerId))
    .where(scope.producerId === undefined ? undefined : eq(products.producerId, scope.producerId))
    .orderBy(asc(products.name));
}

/** Lists certificates, optionally of one producer. */
export async function listCertificates(db: Db, scope: ProducerScope = {}) {
  return db
    .select()
    .from(certificates)
    .where(scope.producerId === undefined ? undefined : eq(certificates.producerId, scope.producerId))
    .orderBy(asc(certificates.producerId), asc(certificates.kind));
}

/** Lists batches with their product's name, filtered by producer and/or product. */
export async function listBatches(db: Db, filter: ProducerScope & { productId?: number } = {}) {
  const conditions: SQL[] = [];
  if (filter.producerId !== undefined) conditions.push(eq(batches.producerId, filter.producerId));
  if (filter.productId !== undefined) conditions.push(eq(batches.productId, filter.productId));
  return db
    .select({
      id: batches.id,
      producerId: batches.producerId,
      productId: batches.productId,
      productName: products.name,
      lotCode: batches.lotCode,
      productionDate: batches.productionDate,
      expiryDate: batches.expiryDate,
      quantity: batches.quantity,
      unit: batches.unit,
      recalledAt: batches.recalledAt,
      recallReason: batches.recallReason,
      createdAt: batches.createdAt,
    })
    .from(batches)
    .innerJoin(products, eq(products.id, batches.productId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(products.name), asc(batches.lotCode));
}

/** One batch by id, or undefined. */
export async function findBatch(db: Db, id: number) {
  return db.query.batches.findFirst({ where: eq(batches.id, id) });
}
