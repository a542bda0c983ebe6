import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { producers, scans, stamps } from '../schema.ts';
import { readStampContext, recordScan, RECENT_SCANS, TOTALS_WINDOW, type ScanPlace } from './scans.ts';
import {
  makeAlert,
  makeCertificate,
  makePrintRun,
  makeProduct,
  makeStampScene,
  makeVoid,
  openTestDb,
  recallBatch,
  type TestDb,
} from './test-fixtures.ts';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => {
  await t?.close();
});

const place = (city: string | null, region: string | null = 'Quảng Ninh'): ScanPlace => ({
  country: city === null ? null : 'VN',
  region: city === null ? null : region,
  city,
  latitude: null,
  longitude: null,
});
const HA_LONG = place('Hạ Long');
const CAM_PHA = place('Cẩm Phả');
const T0 = Date.UTC(2026, 4, 1, 2, 0, 0);
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

const scanOf = (serial: number, minutes: number, sessionHash: string | null = 's1', where: ScanPlace = HA_LONG, kid = 2) =>
  recordScan(t.db, { serial, kid, at: at(minutes), place: where, sessionHash });

describe('recordScan', () => {
  it('creates the stamp on its first scan, then counts later scans keeping the first one\'s time and place', async () => {
    const { run, product, producer, batch } = await makeStampScene(t.db);
    const serial = run.firstSerial;
    const first = await scanOf(serial, 0, 's1', HA_LONG);
    expect(first.stamp).toEqual({
      scanCount: 1,
      firstScanAt: at(0),
      firstScanPlace: { country: 'VN', region: 'Quảng Ninh', city: 'Hạ Long' },
      pinConfirmations: 0,
    });
    expect(first.history).toEqual({ recent: [], totals: { scans: 0, distinctSessions: 0, distinctPlaces: 0 } });
    expect(first).toMatchObject({
      printRun: { id: run.id, kind: 'qr' },
      allocation: { producerId: producer.id },
      activation: { batchId: batch.id },
      voided: false,
      recalled: false,
      product: { id: product.id, name: product.name, gtin: product.gtin, category: 'fishery' },
      producer: { id: producer.id, taxCode: producer.taxCode, distributionArea: null },
      batch: { id: batch.id, lotCode: batch.lotCode, productionDate: '2026-04-01', expiryDate: null, quantity: 100, unit: 'gói' },
      alerts: [],
    });

    const second = await scanOf(serial, 5, 's2', CAM_PHA);
    expect(second.stamp).toMatchObject({ scanCount: 2, firstScanAt: at(0), firstScanPlace: { city: 'Hạ Long' } });
    expect(second.history.recent).toEqual([{ at: T0, sessionHash: 's1', place: HA_LONG }]);
    const rows = await t.db.select().from(stamps).where(eq(stamps.serial, serial));
    expect(rows).toMatchObject([{ scanCount: 2, lastScanAt: at(5) }]);
  });

  it('counts simultaneous first scans once each, with exactly one first', async () => {
    const { run } = await makeStampScene(t.db);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => scanOf(run.firstSerial, i, `p${i}`)));
    expect(results.map((r) => r.stamp!.scanCount).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('gives the earlier consumer scans oldest first, and totals of distinct sessions and places', async () => {
    const { run } = await makeStampScene(t.db);
    const serial = run.firstSerial;
    await scanOf(serial, 0, 's1', HA_LONG);
    await scanOf(serial, 1, 's1', HA_LONG);
    await scanOf(serial, 2, 's2', CAM_PHA);
    await scanOf(serial, 3, null, place(null));
    // An enterprise check of the same stamp is not a consumer scan.
    await t.db.insert(scans).values({ serial, channel: 'enterprise', scannedAt: at(4), apiClientId: null });
    const now = await scanOf(serial, 5, 's3', HA_LONG);
    expect(now.history.recent.map((s) => [s.at, s.sessionHash, s.place.city])).toEqual([
      [at(0).getTime(), 's1', 'Hạ Long'],
      [at(1).getTime(), 's1', 'Hạ Long'],
      [at(2).getTime(), 's2', 'Cẩm Phả'],
      [at(3).getTime(), null, null],
    ]);
    expect(now.history.totals).toEqual({ scans: 4, distinctSessions: 2, distinctPlaces: 2 });
    expect(now.stamp!.scanCount).toBe(5);
  });

  it(`sees the newest ${RECENT_SCANS} scans one by one and totals over the newest ${TOTALS_WINDOW}`, async () => {
    const { run } = await makeStampScene(t.db);
    const serial = run.firstSerial;
    const earlier = TOTALS_WINDOW + 20;
    await t.db.insert(scans).values(
      Array.from({ length: earlier }, (_, i) => ({
        serial,
        channel: 'consumer' as const,
        scannedAt: at(i),
        sessionHash: `s${i % 7}`,
        city: i < 20 ? 'Móng Cái' : 'Hạ Long',
      })),
    );
    const now = await scanOf(serial, earlier, 'new');
    expect(now.history.recent).toHaveLength(RECENT_SCANS);
    expect(now.history.recent[0]!.at).toBe(at(earlier - RECENT_SCANS).getTime());
    expect(now.history.recent.at(-1)!.at).toBe(at(earlier - 1).getTime());
    // The 20 oldest (the only ones in Móng Cái) fall outside the window.
    expect(now.history.totals).toEqual({ scans: TOTALS_WINDOW, distinctSessions: 7, distinctPlaces: 1 });
  });

  it.each<[string, (s: Awaited<ReturnType<typeof makeStampScene>>) => Promise<unknown>, object]>([
    ['voided', (s) => makeVoid(t.db, s.run.firstSerial, s.run.firstSerial), { voided: true, recalled: false }],
    ['recalled', (s) => recallBatch(t.db, s.batch.id), { voided: false, recalled: true }],
    ['voided by a range around it', (s) => makeVoid(t.db, s.run.firstSerial - 5, s.run.lastSerial + 5), { voided: true }],
    ['another serial voided', (s) => makeVoid(t.db, s.run.firstSerial + 1, s.run.firstSerial + 1), { voided: false }],
  ])('reads a stamp %s', async (_name, change, expected) => {
    const scene = await makeStampScene(t.db);
    await change(scene);
    expect(await scanOf(scene.run.firstSerial, 0)).toMatchObject(expected);
  });

  it('reads a printed stamp that is not activated: the allocation\'s producer, no batch or product', async () => {
    const { run, producer } = await makeStampScene(t.db, { quantity: 5, unactivated: 2 });
    const ctx = await scanOf(run.lastSerial, 0);
    expect(ctx).toMatchObject({
      printRun: { id: run.id },
      allocation: { producerId: producer.id },
      activation: null,
      batch: null,
      product: null,
      producer: { id: producer.id },
      stamp: { scanCount: 1 },
    });
  });

  it.each<[string, (run: { firstSerial: number; lastSerial: number }) => { serial: number; kid: number }]>([
    ['a serial no print run holds', (run) => ({ serial: run.lastSerial + 50, kid: 2 })],
    ['a serial below every print run', () => ({ serial: 1, kid: 2 })],
    ['a code signed with another key than its print run\'s', (run) => ({ serial: run.firstSerial, kid: 1 })],
  ])('records %s but creates no stamp and finds no ranges', async (_name, pick) => {
    const run = await makePrintRun(t.db);
    const { serial, kid } = pick(run);
    const ctx = await scanOf(serial, 0, 's1', HA_LONG, kid);
    expect(ctx).toMatchObject({ printRun: null, allocation: null, activation: null, producer: null, batch: null, stamp: null, certificates: [] });
    expect(await t.db.select().from(stamps).where(eq(stamps.serial, serial))).toEqual([]);
    expect(await t.db.select({ serial: scans.serial }).from(scans).where(eq(scans.serial, serial))).toHaveLength(1);
  });

  it('lists the certificates valid today of the batch\'s producer, for its product or for all', async () => {
    const { run, producer, product } = await makeStampScene(t.db);
    const other = await makeProduct(t.db, producer.id);
    await makeCertificate(t.db, { producerId: producer.id, kind: 'vietgap', number: 'VG-ALL' });
    await makeCertificate(t.db, { producerId: producer.id, productId: product.id, kind: 'ocop', number: 'OCOP-OWN', validTo: '2999-12-31' });
    await makeCertificate(t.db, { producerId: producer.id, productId: other.id, kind: 'ocop', number: 'OCOP-OTHER' });
    await makeCertificate(t.db, { producerId: producer.id, kind: 'organic', number: 'OLD', validTo: '2025-12-31' });
    await makeCertificate(t.db, { producerId: producer.id, kind: 'food_safety', number: 'FUTURE', validFrom: '2999-01-01' });
    const ctx = await scanOf(run.firstSerial, 0);
    expect(ctx.certificates).toEqual([
      { kind: 'ocop', number: 'OCOP-OWN', issuer: 'Sở NN&MT Quảng Ninh', validFrom: '2025-01-01', validTo: '2999-12-31' },
      { kind: 'vietgap', number: 'VG-ALL', issuer: 'Sở NN&MT Quảng Ninh', validFrom: '2025-01-01', validTo: null },
    ]);
  });

  it('reads the stamp\'s clone alerts with their status, not consumer reports', async () => {
    const { run } = await makeStampScene(t.db);
    await makeAlert(t.db, run.firstSerial, 'many_sessions', 'open');
    await makeAlert(t.db, run.firstSerial, 'many_places', 'false_positive');
    await makeAlert(t.db, run.firstSerial, 'consumer_report', 'open');
    await makeAlert(t.db, run.firstSerial + 1, 'pin_reused', 'open');
    const ctx = await scanOf(run.firstSerial, 0);
    expect(ctx.alerts.sort((a, b) => a.rule.localeCompare(b.rule))).toEqual([
      { rule: 'many_places', status: 'false_positive' },
      { rule: 'many_sessions', status: 'open' },
    ]);
  });

  it('splits the producer\'s declared distribution area', async () => {
    const { run, producer } = await makeStampScene(t.db);
    await t.db.update(producers).set({ distributionArea: 'Quảng Ninh, Hà Nội,' }).where(eq(producers.id, producer.id));
    expect((await scanOf(run.firstSerial, 0)).producer!.distributionArea).toEqual(['Quảng Ninh', 'Hà Nội']);
  });
});

describe('readStampContext', () => {
  it('reads what a scan reads without recording one, history left empty', async () => {
    const { run, batch } = await makeStampScene(t.db);
    const serial = run.firstSerial;
    expect(await readStampContext(t.db, serial, 2)).toMatchObject({ stamp: null, activation: { batchId: batch.id } });
    await scanOf(serial, 0);
    await scanOf(serial, 1);
    const ctx = await readStampContext(t.db, serial, 2);
    expect(ctx.stamp).toMatchObject({ scanCount: 2, firstScanAt: at(0) });
    expect(ctx.history).toEqual({ recent: [], totals: { scans: 0, distinctSessions: 0, distinctPlaces: 0 } });
    expect(await t.db.select().from(scans).where(eq(scans.serial, serial))).toHaveLength(2);
    expect((await readStampContext(t.db, serial, 1)).printRun).toBeNull();
  });
});
