/**
 * Master data: producers, products, certificates, batches. Reads, and the writes officials and
 * enterprise users make through the admin API (each with its audit row in the same write batch).
 * Each takes the db handle first.
 */
import { and, asc, eq, sql, type SQL, type SQLChunk } from 'drizzle-orm';
import type { InStatement } from '@libsql/client/web';
import type { Db } from '../client.ts';
import { batches, certificates, producers, products, type CertificateKind, type ProducerKind, type ProductCategory } from '../schema.ts';
import { auditStatement, LAST_INSERT_ID, type Actor } from './audit.ts';
import { bare, statement } from './sql.ts';

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

/** One product by id, or undefined. */
export async function findProduct(db: Db, id: number) {
  return db.query.products.findFirst({ where: eq(products.id, id) });
}

/** One certificate by id, or undefined. */
export async function findCertificate(db: Db, id: number) {
  return db.query.certificates.findFirst({ where: eq(certificates.id, id) });
}

/** What a master-data insert records in the audit log. */
type AuditOf = { actor: Actor; action: string; entity: string; detail: unknown };

/**
 * Runs `[check?, insert, audit]` as one write batch (one transaction). The insert returns the new
 * id (with `on conflict do nothing` where a unique index may refuse it), and the audit row is written
 * only if the insert changed a row, so a refused row leaves no trace. `check`, a select in the same
 * transaction before the insert, tells the caller why it was refused.
 * @returns the new row's id or null, and the check's row (if a check was given)
 */
async function insertAudited(db: Db, insert: InStatement, audit: AuditOf, check?: InStatement) {
  const statements = [
    ...(check ? [check] : []),
    insert,
    auditStatement(audit.actor, audit.action, audit.entity, audit.detail, { entityId: LAST_INSERT_ID, onlyIfChanged: true }),
  ];
  const results = await db.$client.batch(statements, 'write');
  const row = results[check ? 1 : 0]!.rows[0];
  return { id: row ? Number(row.id) : null, check: check ? results[0]!.rows[0] : undefined };
}

/** A producer as an official registers it; `distributionArea` is comma-separated provinces. */
export type NewProducer = {
  kind: ProducerKind;
  name: string;
  taxCode: string;
  address: string;
  province: string;
  district?: string | null;
  gln?: string | null;
  phone?: string | null;
  distributionArea?: string | null;
};

/**
 * Registers a producer with its audit row (`producer.create`), unless its tax code or GLN is
 * already registered.
 * @returns the new producer row, or why not: `duplicate_tax_code`, `duplicate_gln`
 */
export async function createProducer(db: Db, p: NewProducer, actor: Actor) {
  const args = {
    kind: p.kind,
    name: p.name,
    taxCode: p.taxCode,
    address: p.address,
    province: p.province,
    district: p.district ?? null,
    gln: p.gln ?? null,
    phone: p.phone ?? null,
    area: p.distributionArea ?? null,
  };
  const { area, ...columns } = args;
  const { id, check } = await insertAudited(
    db,
    statement(db.insert(producers).values({ ...columns, distributionArea: area }).onConflictDoNothing().returning({ id: producers.id })),
    { actor, action: 'producer.create', entity: 'producer', detail: args },
    statement(sql`select exists (select 1 from ${producers} where ${producers.taxCode} = ${args.taxCode}) as tax_code,
                         exists (select 1 from ${producers} where ${producers.gln} = ${args.gln}) as gln`),
  );
  if (id === null) return Number(check?.tax_code) ? ('duplicate_tax_code' as const) : ('duplicate_gln' as const);
  return (await findProducer(db, id))!;
}

/** A product of a producer; `gtin` has a valid GS1 check digit. */
export type NewProduct = {
  producerId: number;
  name: string;
  gtin: string;
  category: ProductCategory;
  ocopStars?: number | null;
  imageUrl?: string | null;
  description?: string | null;
  shelfLifeDays?: number | null;
  standards?: string | null;
};

// The 14-digit form of a GTIN column or value: GTIN-8/12/13 padded with leading zeros.
const gtin14 = (gtin: SQLChunk | string) => sql`substr('00000000000000' || ${gtin}, -14)`;

/**
 * Registers a product with its audit row (`product.create`), unless a product already has the same
 * GTIN, in any of its spellings (`036000291452` and `00036000291452` are one GTIN). The GTIN is
 * stored with the digits given.
 * @returns the new product row, or `duplicate_gtin`
 */
export async function createProduct(db: Db, p: NewProduct, actor: Actor) {
  const args = {
    producerId: p.producerId,
    name: p.name,
    gtin: p.gtin,
    category: p.category,
    ocopStars: p.ocopStars ?? null,
    imageUrl: p.imageUrl ?? null,
    description: p.description ?? null,
    shelfLifeDays: p.shelfLifeDays ?? null,
    standards: p.standards ?? null,
  };
  const { id } = await insertAudited(
    db,
    statement(sql`insert into ${products} (${bare(products.producerId)}, ${bare(products.name)}, ${bare(products.gtin)}, ${bare(products.category)}, ${bare(products.ocopStars)},
                                    ${bare(products.imageUrl)}, ${bare(products.description)}, ${bare(products.shelfLifeDays)}, ${bare(products.standards)})
      select ${args.producerId}, ${args.name}, ${args.gtin}, ${args.category}, ${args.ocopStars}, ${args.imageUrl}, ${args.description}, ${args.shelfLifeDays}, ${args.standards}
      where not exists (select 1 from ${products} where ${gtin14(products.gtin)} = ${gtin14(args.gtin)})
      on conflict do nothing returning ${products.id}`),
    { actor, action: 'product.create', entity: 'product', detail: args },
  );
  if (id === null) return 'duplicate_gtin' as const;
  return (await findProduct(db, id))!;
}

/** A certificate of a producer, optionally for one of its products; dates are ISO `YYYY-MM-DD`. */
export type NewCertificate = {
  producerId: number;
  productId?: number | null;
  kind: CertificateKind;
  number: string;
  issuer: string;
  validFrom: string;
  validTo?: string | null;
};

/**
 * Records a certificate with its audit row (`certificate.create`), unless the producer already has
 * a certificate of that kind with that number. The caller has checked that the producer exists and
 * the product, if any, is the producer's.
 * @returns the new certificate row, or `duplicate_certificate`
 */
export async function createCertificate(db: Db, c: NewCertificate, actor: Actor) {
  const args = {
    producerId: c.producerId,
    productId: c.productId ?? null,
    kind: c.kind,
    number: c.number,
    issuer: c.issuer,
    validFrom: c.validFrom,
    validTo: c.validTo ?? null,
  };
  const { id } = await insertAudited(
    db,
    statement(db.insert(certificates).values(args).onConflictDoNothing().returning({ id: certificates.id })),
    { actor, action: 'certificate.create', entity: 'certificate', detail: args },
  );
  if (id === null) return 'duplicate_certificate' as const;
  return (await findCertificate(db, id))!;
}

/** A batch (lot) of a product; its producer is always the product's. Dates are ISO `YYYY-MM-DD`. */
export type NewBatch = {
  productId: number;
  lotCode: string;
  productionDate: string;
  expiryDate?: string | null;
  quantity: number;
  unit: string;
};

/**
 * Records a batch of a product with its audit row (`batch.create`). The batch's producer is read
 * from the product row inside the insert, never taken from the caller.
 * @returns the new batch row, or why not: `duplicate_lot` (the product already has that lot code),
 *   `product_not_found`
 */
export async function createBatch(db: Db, b: NewBatch, actor: Actor) {
  const args = {
    productId: b.productId,
    lotCode: b.lotCode,
    productionDate: b.productionDate,
    expiryDate: b.expiryDate ?? null,
    quantity: b.quantity,
    unit: b.unit,
  };
  const { id, check } = await insertAudited(
    db,
    statement(sql`insert into ${batches} (${bare(batches.producerId)}, ${bare(batches.productId)}, ${bare(batches.lotCode)}, ${bare(batches.productionDate)},
                                    ${bare(batches.expiryDate)}, ${bare(batches.quantity)}, ${bare(batches.unit)})
      select ${products.producerId}, ${products.id}, ${args.lotCode}, ${args.productionDate}, ${args.expiryDate}, ${args.quantity}, ${args.unit}
      from ${products} where ${products.id} = ${args.productId}
      on conflict do nothing returning ${batches.id}`),
    { actor, action: 'batch.create', entity: 'batch', detail: args },
    statement(sql`select exists (select 1 from ${batches} where ${batches.productId} = ${b.productId} and ${batches.lotCode} = ${b.lotCode}) as taken`),
  );
  if (id === null) return Number(check?.taken) ? ('duplicate_lot' as const) : ('product_not_found' as const);
  return (await findBatch(db, id))!;
}
