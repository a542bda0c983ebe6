import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAdminUnits } from '../../worker/src/domain/admin-units.ts';
import { computeEventHashId, validateEpcisDocument, type Json } from '../../worker/src/domain/epcis/index.ts';
import { isValidGln, isValidGtin } from '../../worker/src/domain/gs1.ts';
import { buildJourney } from '../../worker/src/domain/journey.ts';
import { buildJourneyInput } from '../../worker/src/domain/journey-input.ts';
import { createDb, type Db } from '../client.ts';
import { migrateDatabase } from '../migrate.ts';
import { readJourneyRecords } from '../queries/trace-events.ts';
import { batches, certificates, locations, partners, producers, products, traceEventLots, traceEvents, users } from '../schema.ts';
import { seedDatabase } from '../seed.ts';
import { JOURNEY_STAGES, LOCATIONS, PARTNERS, RAW_MATERIALS, SAMPLE_LOT } from '../seed-data.ts';
import { startLibsqlServer, type LibsqlServer } from '../server/index.ts';

let dir: string;
/** GTINs of the raw-material lots: registered products, but not OCOP-rated. */
const RAW_GTINS = new Set(RAW_MATERIALS.map((p) => p.gtin));
const servers: LibsqlServer[] = [];
const opened: Db[] = [];

/**
 * A fresh libSQL file in this test file's temporary directory, served by db/server over HTTP,
 * migrated with db/migrate.ts and opened with createDb: the same path the app takes.
 */
async function openDb(name: string): Promise<Db> {
  const server = await startLibsqlServer({ file: join(dir, `${name}.db`), port: 0 });
  servers.push(server);
  await migrateDatabase(server.url);
  const db = createDb(server.url);
  opened.push(db);
  return db;
}

async function countRows(db: Db) {
  const n = async (table: typeof producers | typeof products | typeof certificates | typeof batches | typeof users) =>
    (await db.select({ n: count() }).from(table))[0]!.n;
  return {
    producers: await n(producers),
    products: await n(products),
    certificates: await n(certificates),
    batches: await n(batches),
    users: await n(users),
  };
}

let db: Db;
let firstResult: { seeded: boolean };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seed-test-'));
  db = await openDb('seeded');
  firstResult = await seedDatabase(db, { adminPasswordHash: 'hash-1' });
});

afterAll(async () => {
  for (const d of opened) d.$client.close();
  for (const s of servers) await s.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('seedDatabase', () => {
  it('loads 5–6 producers, 8–10 products, 2–3 batches each, certificates and three users', async () => {
    expect(firstResult).toEqual({ seeded: true });
    const n = await countRows(db);
    expect(n.producers).toBeGreaterThanOrEqual(5);
    expect(n.producers).toBeLessThanOrEqual(6);
    // The OCOP catalogue; the raw-material lots of the journeys are products too (checked below).
    const ocop = (await db.select().from(products)).filter((p) => p.ocopStars !== null).length;
    expect(ocop).toBeGreaterThanOrEqual(8);
    expect(ocop).toBeLessThanOrEqual(10);
    expect(n.products).toBe(ocop + RAW_MATERIALS.length);
    expect(n.certificates).toBeGreaterThan(0);
    expect(n.users).toBe(3);
  });

  it('does nothing the second time', async () => {
    const before = await countRows(db);
    const usersBefore = await db.select().from(users).orderBy(users.id);
    expect(await seedDatabase(db, { adminPasswordHash: 'hash-2', adminEmail: 'other@localhost' })).toEqual({
      seeded: false,
    });
    expect(await countRows(db)).toEqual(before);
    expect(await db.select().from(users).orderBy(users.id)).toEqual(usersBefore);
  });

  it('writes nothing when any statement fails', async () => {
    const broken = await openDb('broken');
    await broken.$client.execute(
      "CREATE TRIGGER batches_refuse BEFORE INSERT ON batches BEGIN SELECT RAISE(ABORT, 'refused'); END",
    );
    await expect(seedDatabase(broken, { adminPasswordHash: 'x' })).rejects.toThrow(/refused/);
    expect(await countRows(broken)).toEqual({ producers: 0, products: 0, certificates: 0, batches: 0, users: 0 });
  });

  it('creates the admin, an official and an enterprise user of the first producer, all with the given hash', async () => {
    const all = await db.select().from(users).orderBy(users.id);
    const [firstProducer] = await db.select().from(producers).orderBy(producers.id).limit(1);
    expect(all.map((u) => [u.email, u.role, u.name, u.passwordHash, u.producerId])).toEqual([
      ['admin@localhost', 'admin', 'Quản trị viên', 'hash-1', null],
      ['canbo@localhost', 'official', expect.any(String), 'hash-1', null],
      ['doanhnghiep@localhost', 'enterprise', expect.any(String), 'hash-1', firstProducer!.id],
    ]);
  });

  it('gives producers Quảng Ninh tax codes, valid GLNs and at least one product each', async () => {
    const rows = await db.select().from(producers);
    const productRows = await db.select().from(products);
    expect(new Set(rows.map((p) => p.kind))).toEqual(new Set(['enterprise', 'cooperative', 'household_business']));
    for (const p of rows) {
      expect(p.taxCode).toMatch(/^57\d{8}$/);
      expect(p.province).toBe('Quảng Ninh');
      if (p.gln !== null) {
        expect(p.gln).toMatch(/^893\d{10}$/);
        expect(isValidGln(p.gln), p.gln).toBe(true);
      }
      expect(productRows.filter((x) => x.producerId === p.id).length, p.name).toBeGreaterThanOrEqual(1);
    }
  });

  it('gives every product a valid 893 GTIN-13, OCOP 3–5 stars and 2–3 batches with consistent dates', async () => {
    const productRows = (await db.select().from(products)).filter((p) => !RAW_GTINS.has(p.gtin));
    const batchRows = await db.select().from(batches);
    for (const p of productRows) {
      expect(p.gtin).toMatch(/^893\d{10}$/);
      expect(isValidGtin(p.gtin), p.gtin).toBe(true);
      expect(p.ocopStars).toBeGreaterThanOrEqual(3);
      expect(p.ocopStars).toBeLessThanOrEqual(5);
      expect(p.imageUrl === null || p.imageUrl.startsWith('/images/')).toBe(true);
      const own = batchRows.filter((b) => b.productId === p.id);
      expect(own.length, p.name).toBeGreaterThanOrEqual(2);
      expect(own.length, p.name).toBeLessThanOrEqual(3);
      for (const b of own) {
        expect(b.producerId).toBe(p.producerId);
        expect(b.productionDate).toMatch(/^2026-\d\d-\d\d$/);
        if (p.shelfLifeDays === null) expect(b.expiryDate).toBeNull();
        else expect((Date.parse(b.expiryDate!) - Date.parse(b.productionDate)) / 86_400_000).toBe(p.shelfLifeDays);
      }
    }
  });

  it('links certificates to their producer and product: OCOP for every product, VietGAP, food safety', async () => {
    const certRows = await db.select().from(certificates);
    const productRows = (await db.select().from(products)).filter((p) => !RAW_GTINS.has(p.gtin));
    expect(new Set(certRows.map((c) => c.kind))).toEqual(new Set(['ocop', 'vietgap', 'food_safety']));
    for (const c of certRows) {
      expect(c.validTo === null || c.validFrom < c.validTo).toBe(true);
      if (c.productId !== null) expect(productRows.find((p) => p.id === c.productId)?.producerId).toBe(c.producerId);
    }
    expect(certRows.some((c) => c.kind === 'ocop' && c.issuer === 'UBND tỉnh Quảng Ninh')).toBe(true);
    for (const p of productRows) {
      expect(certRows.some((c) => c.kind === 'ocop' && c.productId === p.id), p.name).toBe(true);
    }
  });

  it('stores Vietnamese diacritics intact', async () => {
    const names = (await db.select({ name: products.name }).from(products)).map((r) => r.name);
    expect(names).toContain('Chả mực Hạ Long');
    expect(names).toContain('Rượu ba kích tím');
    expect((await db.select({ d: producers.district }).from(producers)).map((r) => r.d)).toContain('Đầm Hà');
    const [row] = await db.select().from(producers).where(eq(producers.name, 'Hợp tác xã Thủy sản Cái Rồng'));
    expect(row?.address).toBe('Khu 3, thị trấn Cái Rồng, huyện Vân Đồn, tỉnh Quảng Ninh');
    for (const n of names) expect(n).toBe(n.normalize('NFC'));
  });

  it('registers the raw-material lots the journeys start from: one lot each, no OCOP rating', async () => {
    const rows = (await db.select().from(products)).filter((p) => RAW_GTINS.has(p.gtin));
    expect(rows.map((p) => p.name).sort()).toEqual(RAW_MATERIALS.map((p) => p.name).sort());
    for (const p of rows) {
      expect(isValidGtin(p.gtin), p.gtin).toBe(true);
      expect(p.ocopStars).toBeNull();
      expect((await db.select().from(batches).where(eq(batches.productId, p.id))).length).toBe(1);
    }
  });

  it('records the journeys as genuine EPCIS 2.0 events, identified by their event hash IDs', async () => {
    const rows = await db.select().from(traceEvents).orderBy(traceEvents.id);
    expect(rows.length).toBe(JOURNEY_STAGES.length);
    for (const row of rows) {
      const document = JSON.parse(row.document) as { [key: string]: Json };
      expect(validateEpcisDocument(document), row.eventId).toEqual({ ok: true });
      expect(await computeEventHashId(document, { context: document['@context'] })).toBe(row.eventId);
      expect(row.recordedBy).not.toBeNull();
    }
    // Every linked lot is a seeded batch; every place a commune of Quảng Ninh as named today.
    expect((await db.select().from(traceEventLots)).every((l) => l.batchId !== null)).toBe(true);
    const places = await db.select().from(locations);
    expect(places.length).toBe(LOCATIONS.length);
    for (const l of places) expect(checkAdminUnits(l.provinceCode, l.communeCode), l.name).toBeUndefined();
    expect((await db.select().from(partners)).map((p) => checkAdminUnits(p.provinceCode!, p.communeCode))).toEqual(PARTNERS.map(() => undefined));
  });

  it("gives the sample lot a journey from the anchovies' catch off Cô Tô to the shop in Hạ Long", async () => {
    const [lot] = await db
      .select({ id: batches.id, lotCode: batches.lotCode, name: products.name, category: products.category })
      .from(batches)
      .innerJoin(products, eq(products.id, batches.productId))
      .where(and(eq(products.gtin, SAMPLE_LOT.gtin), eq(batches.lotCode, SAMPLE_LOT.lotCode)));
    const records = await readJourneyRecords(db, lot!.id);
    const journey = buildJourney(buildJourneyInput({ product: { name: lot!.name, category: lot!.category }, lotCode: lot!.lotCode, producer: null }, records));
    expect(journey.stages.map((st) => [st.stage, st.input, st.location.communeCode])).toEqual([
      ['harvest', true, '07192'],
      ['processing', false, '06994'],
      ['inspection', false, '06994'],
      ['packing', false, '06994'],
      ['shipping', false, '06994'],
    ]);
    expect(journey.inputs.map((i) => i.sentence.vi)).toEqual(['Cá cơm than đánh bắt tại Cô Tô']);
  });

  it('records no journey twice', async () => {
    const journeyRows = async () => ({
      events: (await db.select({ n: count() }).from(traceEvents))[0]!.n,
      locations: (await db.select({ n: count() }).from(locations))[0]!.n,
      partners: (await db.select({ n: count() }).from(partners))[0]!.n,
    });
    const before = await journeyRows();
    expect(await seedDatabase(db, { adminPasswordHash: 'hash-3' })).toEqual({ seeded: false });
    expect(await journeyRows()).toEqual(before);
  });
});
