/**
 * Loads the demo data of db/seed-data.ts (producers, OCOP products, certificates, batches, the
 * raw-material lots, locations, partners and trace events of two journeys) and the first users.
 * No print runs and no stamps: the app issues those.
 *
 * Usage: `LIBSQL_URL=http://127.0.0.1:8080 ADMIN_PASSWORD_HASH='…' npx tsx db/seed.ts`
 * (optional `ADMIN_EMAIL`, `LIBSQL_AUTH_TOKEN`). Run it after db/migrate.ts.
 */
import { fileURLToPath } from 'node:url';
import { sql, type SQL } from 'drizzle-orm';
import { addDays } from '../worker/src/domain/dates.ts';
import { computeEventHashId, type Json } from '../worker/src/domain/epcis/index.ts';
import { buildEpcisEvent } from '../worker/src/domain/trace-record.ts';
import { createDb, type Db } from './client.ts';
import type { Actor } from './queries/audit.ts';
import { createLocation } from './queries/locations.ts';
import { createPartner } from './queries/partners.ts';
import { recordTraceEvent } from './queries/trace-events.ts';
import { batches, certificates, producers, products, users } from './schema.ts';
import { CERTIFICATES, JOURNEY_STAGES, LOCATIONS, PARTNERS, PRODUCERS, PRODUCTS, PROVINCE, RAW_MATERIALS } from './seed-data.ts';

export interface SeedOptions {
  /** Email of the first admin; default `admin@localhost`. */
  adminEmail?: string;
  /** Password hash made by the caller (the seed never hashes). */
  adminPasswordHash: string;
  /** `PUBLIC_BASE_URL` of the Worker: the trace events name locations and partners under it. Default `http://127.0.0.1:8787`. */
  publicBaseUrl?: string;
}

/** The base URL the seeded events name their locations and partners under when none is given. */
export const DEFAULT_SEED_BASE_URL = 'http://127.0.0.1:8787';

/** Rows reference each other by natural keys (tax code, GTIN), resolved by the engine inside the batch. */
const producerIdOf = (taxCode: string): SQL<number> =>
  sql<number>`(select ${producers.id} from ${producers} where ${producers.taxCode} = ${taxCode})`;
const productIdOf = (gtin: string): SQL<number> =>
  sql<number>`(select ${products.id} from ${products} where ${products.gtin} = ${gtin})`;

async function hasProducers(db: Db): Promise<boolean> {
  const rows = await db.select({ id: producers.id }).from(producers).limit(1);
  return rows.length > 0;
}

/**
 * Loads the demo data into an empty, migrated database, all or nothing (one `db.batch`, which
 * libSQL runs as a single transaction).
 *
 * Idempotent: if any producer exists, nothing is written and `{ seeded: false }` is returned (also
 * when a concurrent seeder wins the race). Users whose email already exists are left as they are.
 *
 * Users created: the admin (`opts.adminEmail`, default `admin@localhost`), the official
 * `canbo@localhost` and the enterprise user `doanhnghiep@localhost` bound to the first producer.
 * For local demos the official and the enterprise user get the SAME password hash as the admin,
 * so one password opens all three accounts; change them before any real use.
 *
 * @param db a drizzle handle from `createDb`
 * @param opts `adminPasswordHash` is stored as is (hash it before calling)
 * @returns `{ seeded: true }` if the data was written, `{ seeded: false }` if it was already there
 */
export async function seedDatabase(db: Db, opts: SeedOptions): Promise<{ seeded: boolean }> {
  if (await hasProducers(db)) return { seeded: false };

  const adminEmail = opts.adminEmail ?? 'admin@localhost';
  const passwordHash = opts.adminPasswordHash;
  const firstProducer = PRODUCERS[0]!;

  const statements = [
    db.insert(producers).values(PRODUCERS.map((p) => ({ ...p, province: PROVINCE }))),
    db.insert(products).values(
      [...PRODUCTS, ...RAW_MATERIALS].map((p) => ({
        producerId: producerIdOf(p.producerTaxCode),
        name: p.name,
        gtin: p.gtin,
        category: p.category,
        ocopStars: p.ocopStars,
        imageUrl: p.imageUrl,
        description: p.description,
        shelfLifeDays: p.shelfLifeDays,
        standards: p.standards,
      })),
    ),
    db.insert(certificates).values(
      CERTIFICATES.map((c) => ({
        producerId: producerIdOf(c.producerTaxCode),
        productId: c.productGtin === null ? null : productIdOf(c.productGtin),
        kind: c.kind,
        number: c.number,
        issuer: c.issuer,
        validFrom: c.validFrom,
        validTo: c.validTo,
      })),
    ),
    db.insert(batches).values(
      [...PRODUCTS, ...RAW_MATERIALS].flatMap((p) =>
        p.batches.map((b) => ({
          producerId: producerIdOf(p.producerTaxCode),
          productId: productIdOf(p.gtin),
          lotCode: b.lotCode,
          productionDate: b.productionDate,
          expiryDate: p.shelfLifeDays === null ? null : addDays(b.productionDate, p.shelfLifeDays),
          quantity: b.quantity,
          unit: p.unit,
        })),
      ),
    ),
    db
      .insert(users)
      .values([
        { email: adminEmail, name: 'Quản trị viên', passwordHash, role: 'admin' as const },
        // Same hash as the admin on purpose (demo accounts; see the JSDoc above).
        { email: 'canbo@localhost', name: 'Nguyễn Thị Thu Hương', passwordHash, role: 'official' as const },
        {
          email: 'doanhnghiep@localhost',
          name: 'Trần Văn Hải',
          passwordHash,
          role: 'enterprise' as const,
          producerId: producerIdOf(firstProducer.taxCode),
        },
      ])
      .onConflictDoNothing({ target: users.email }),
  ] as const;

  try {
    await db.batch(statements);
  } catch (err) {
    // A concurrent seeder may have committed first: its producers make our batch fail and roll back.
    if (await hasProducers(db)) return { seeded: false };
    throw err;
  }
  await seedJourneys(db, opts.publicBaseUrl ?? DEFAULT_SEED_BASE_URL);
  return { seeded: true };
}

/**
 * Records the journeys of db/seed-data.ts through the same queries the admin API uses: each
 * location and partner with its audit row, then each stage built by the domain
 * (`buildEpcisEvent`), identified by its EPCIS event hash ID and stored by `recordTraceEvent`
 * (idempotent by that ID). Recorded by the seeded admin.
 *
 * @throws Error when a row the journeys name is missing or a query refuses a row (a broken seed)
 */
async function seedJourneys(db: Db, publicBaseUrl: string): Promise<void> {
  const admin = await db.query.users.findFirst({ where: (u, { eq }) => eq(u.role, 'admin'), orderBy: (u, { asc }) => asc(u.id) });
  if (!admin) throw new Error('seed: no admin to record the journeys');
  const actor: Actor = { userId: admin.id, requestId: 'seed' };
  const producerRows = await db.select({ id: producers.id, taxCode: producers.taxCode, gln: producers.gln }).from(producers);
  const producerOf = (taxCode: string) => {
    const p = producerRows.find((r) => r.taxCode === taxCode);
    if (!p) throw new Error(`seed: no producer ${taxCode}`);
    return p;
  };
  const locationIds = new Map<string, number>();
  for (const { key, producerTaxCode, ...l } of LOCATIONS) {
    const row = await createLocation(db, { ...l, producerId: producerOf(producerTaxCode).id }, actor);
    if (typeof row === 'string') throw new Error(`seed: location ${key}: ${row}`);
    locationIds.set(key, row.id);
  }
  const partnerIds = new Map<string, number>();
  for (const { key, producerTaxCode, ...p } of PARTNERS) {
    const row = await createPartner(db, { ...p, producerId: producerOf(producerTaxCode).id }, actor);
    if (typeof row === 'string') throw new Error(`seed: partner ${key}: ${row}`);
    partnerIds.set(key, row.id);
  }
  const batchRows = await db
    .select({ gtin: products.gtin, lotCode: batches.lotCode, productionDate: batches.productionDate })
    .from(batches)
    .innerJoin(products, sql`${products.id} = ${batches.productId}`);
  const now = Date.now();
  for (const s of JOURNEY_STAGES) {
    const producer = producerOf(s.producerTaxCode);
    const locationId = locationIds.get(s.location)!;
    const partnerId = s.partner === undefined ? undefined : partnerIds.get(s.partner)!;
    const lot = batchRows.find((b) => b.gtin === s.lot.gtin && b.lotCode === s.lot.lotCode);
    const event = buildEpcisEvent(
      {
        stage: s.stage,
        eventTime: s.eventTime,
        location: { id: locationId, gln: null },
        lot: s.lot,
        quantity: s.quantity ?? null,
        inputs: s.inputs ?? null,
        partner: partnerId === undefined ? null : { id: partnerId, gln: null },
        harvest: s.harvest ?? null,
        inspection: s.inspection ?? null,
      },
      { now, publicBaseUrl, producer: { id: producer.id, gln: producer.gln }, productionDate: lot?.productionDate ?? null },
    );
    const eventId = await computeEventHashId(event as { [key: string]: Json }, { context: event['@context'] as Json });
    const stored = await recordTraceEvent(
      db,
      {
        eventId,
        event: { ...event, eventID: eventId },
        stage: s.stage,
        producerId: producer.id,
        locationId,
        sourcePartnerId: s.stage === 'receiving' ? partnerId : null,
        destinationPartnerId: s.stage === 'shipping' ? partnerId : null,
      },
      actor,
    );
    if (stored === 'cycle') throw new Error(`seed: ${s.stage} of ${s.lot.lotCode} closes a cycle`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const url = process.env.LIBSQL_URL;
  const adminPasswordHash = process.env.ADMIN_PASSWORD_HASH;
  if (!url || !adminPasswordHash) {
    console.error('usage: LIBSQL_URL=http://127.0.0.1:8080 ADMIN_PASSWORD_HASH=<hash> [ADMIN_EMAIL=…] npx tsx db/seed.ts');
    process.exit(2);
  }
  const db = createDb(url, process.env.LIBSQL_AUTH_TOKEN);
  try {
    const { seeded } = await seedDatabase(db, { adminEmail: process.env.ADMIN_EMAIL || undefined, adminPasswordHash });
    console.log(seeded ? `seeded ${url}` : `${url} already has producers; nothing seeded`);
  } finally {
    db.$client.close();
  }
}
