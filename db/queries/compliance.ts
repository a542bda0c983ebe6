/**
 * The facts the Circular 02/2024 completeness check reads (worker/src/domain/compliance.ts): a
 * product with its producer and valid certificates, a batch with its stages and activated serials.
 * Each takes the db handle first; "not found" is undefined.
 */
import { and, eq, gte, isNull, lte, or, sql } from 'drizzle-orm';
import type { BatchFacts, ProducerFacts, ProductFacts, StageFacts } from '../../worker/src/domain/compliance.ts';
import type { TraceEventRow } from '../../worker/src/domain/trace-events.ts';
import type { Db } from '../client.ts';
import { activations, batches, certificates, producers, products } from '../schema.ts';
import { listBatchEvents } from './trace-events.ts';

const CERTIFICATE_STANDARD: Record<string, string> = {
  vietgap: 'VietGAP',
  ocop: 'OCOP',
  food_safety: 'An toàn thực phẩm',
  organic: 'Hữu cơ',
  other: 'Khác',
};

/** A product's and its producer's facts, or undefined when there is no such product. */
export async function readProductFacts(db: Db, productId: number, today: string) {
  const [row] = await db.select({ product: products, producer: producers }).from(products).innerJoin(producers, eq(producers.id, products.producerId)).where(eq(products.id, productId));
  if (!row) return undefined;
  const certs = await db
    .select({ kind: certificates.kind, number: certificates.number })
    .from(certificates)
    .where(
      and(
        eq(certificates.producerId, row.producer.id),
        or(isNull(certificates.productId), eq(certificates.productId, productId)),
        lte(certificates.validFrom, today),
        or(isNull(certificates.validTo), gte(certificates.validTo, today)),
      ),
    );
  const product: ProductFacts = {
    name: row.product.name,
    imageUrl: row.product.imageUrl,
    gtin: row.product.gtin,
    shelfLifeDays: row.product.shelfLifeDays,
    standards: row.product.standards,
    certifiedStandards: certs.map((c) => `${CERTIFICATE_STANDARD[c.kind] ?? c.kind} ${c.number}`),
  };
  const producer: ProducerFacts = { name: row.producer.name, address: row.producer.address, province: row.producer.province };
  return { product, producer, productRow: row.product, producerRow: row.producer };
}

/** A stage of a batch as the check reads it: its trace code, location code, time, declaration. */
export function stageFactsOf(e: TraceEventRow, batchId: number): StageFacts {
  const lot = e.lots.find((l) => l.batchId === batchId && (l.role === 'object' || l.role === 'output')) ?? e.lots.find((l) => l.batchId === batchId);
  return { bizStep: e.bizStep, traceCode: lot?.epc ?? null, locationCode: e.bizLocation ?? e.readPoint, eventTime: e.eventTime, erroneous: e.errorDeclaration !== null };
}

/**
 * A batch's facts with its product's and producer's, and its events (oldest first), or undefined
 * when there is no such batch.
 */
export async function readBatchFacts(db: Db, batchId: number, today: string) {
  const [batchRow] = await db.select().from(batches).where(eq(batches.id, batchId));
  if (!batchRow) return undefined;
  const productFacts = (await readProductFacts(db, batchRow.productId, today))!;
  const [serials] = await db
    .select({ n: sql<number>`coalesce(sum(${activations.lastSerial} - ${activations.firstSerial} + 1), 0)` })
    .from(activations)
    .where(eq(activations.batchId, batchId));
  const events = await listBatchEvents(db, batchId);
  const batch: BatchFacts = {
    lotCode: batchRow.lotCode,
    productionDate: batchRow.productionDate,
    expiryDate: batchRow.expiryDate,
    serialCount: Number(serials?.n ?? 0),
    stages: events.map((e) => stageFactsOf(e, batchId)),
  };
  return { ...productFacts, batch, batchRow, events };
}

/** Every product's facts with its producer's (two reads, whatever the count), for the province summary. */
export async function listProductFacts(db: Db, today: string) {
  const rows = await db.select({ product: products, producer: producers }).from(products).innerJoin(producers, eq(producers.id, products.producerId));
  const certs = await db
    .select({ producerId: certificates.producerId, productId: certificates.productId, kind: certificates.kind, number: certificates.number })
    .from(certificates)
    .where(and(lte(certificates.validFrom, today), or(isNull(certificates.validTo), gte(certificates.validTo, today))));
  return rows.map(({ product: p, producer: o }) => ({
    productId: p.id,
    productName: p.name,
    producerId: o.id,
    producerName: o.name,
    province: o.province,
    product: {
      name: p.name,
      imageUrl: p.imageUrl,
      gtin: p.gtin,
      shelfLifeDays: p.shelfLifeDays,
      standards: p.standards,
      certifiedStandards: certs
        .filter((c) => c.producerId === o.id && (c.productId === null || c.productId === p.id))
        .map((c) => `${CERTIFICATE_STANDARD[c.kind] ?? c.kind} ${c.number}`),
    } satisfies ProductFacts,
    producer: { name: o.name, address: o.address, province: o.province } satisfies ProducerFacts,
  }));
}
