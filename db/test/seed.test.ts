import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidGln, isValidGtin } from '../../worker/src/domain/gs1.ts';
import { createDb, type Db } from '../client.ts';
import { migrateDatabase } from '../migrate.ts';
import { batches, certificates, producers, products, users } from '../schema.ts';
import { seedDatabase } from '../seed.ts';
import { startLibsqlServer, type LibsqlServer } from '../server/index.ts';

let dir: string;
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
    expect(n.products).toBeGreaterThanOrEqual(8);
    expect(n.products).toBeLessThanOrEqual(10);
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
    const productRows = await db.select().from(products);
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
    const productRows = await db.select().from(products);
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
});
