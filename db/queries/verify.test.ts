import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiUsage, scans, stamps } from '../schema.ts';
import { recordScan } from './scans.ts';
import {
  makeAlert,
  makeApiClient,
  makePrintRun,
  makeStampScene,
  makeVoid,
  openTestDb,
  recallBatch,
  type TestDb,
} from './test-fixtures.ts';
import { recordEnterpriseChecks, type StampRef } from './verify.ts';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => {
  await t?.close();
});

const WINDOW = Date.UTC(2026, 4, 1, 2, 0, 0);
const AT = new Date(WINDOW + 5_000);

async function check(refs: StampRef[], codes = refs.length) {
  const client = await makeApiClient(t.db, { windowStart: WINDOW });
  const contexts = await recordEnterpriseChecks(t.db, refs, { apiClientId: client.id, at: AT, windowStart: WINDOW, codes });
  return { client, contexts };
}

describe('recordEnterpriseChecks', () => {
  it('answers every stamp in the order asked: genuine, not activated, voided, recalled, unknown, another key', async () => {
    const scene = await makeStampScene(t.db, { quantity: 4, unactivated: 1 });
    const recalled = await makeStampScene(t.db);
    await recallBatch(t.db, recalled.batch.id);
    const first = scene.run.firstSerial;
    await makeVoid(t.db, first + 1, first + 1);
    const lonely = await makePrintRun(t.db);
    const refs = [
      { serial: first, kid: 2 },
      { serial: scene.run.lastSerial, kid: 2 },
      { serial: first + 1, kid: 2 },
      { serial: recalled.run.firstSerial, kid: 2 },
      { serial: lonely.lastSerial + 10, kid: 2 },
      { serial: first + 2, kid: 1 },
    ];
    const { contexts } = await check(refs);
    expect(contexts.map((c) => [c.serial, c.kid])).toEqual(refs.map((r) => [r.serial, r.kid]));
    const owner = scene.producer.id;
    expect(contexts[0]).toEqual({
      serial: first,
      kid: 2,
      printRun: { id: scene.run.id, kind: 'qr' },
      activation: { id: scene.activation.id, batchId: scene.batch.id },
      voided: false,
      recalled: false,
      ownerProducerId: owner,
      product: { name: scene.product.name, gtin: scene.product.gtin },
      producer: { name: scene.producer.name, taxCode: scene.producer.taxCode },
      batch: { lotCode: scene.batch.lotCode, productionDate: '2026-04-01', expiryDate: null },
      consumerScans: null,
      alerts: [],
    });
    expect(contexts[1]).toMatchObject({ activation: null, batch: null, product: null, ownerProducerId: owner, producer: { name: scene.producer.name } });
    expect(contexts[2]).toMatchObject({ voided: true, recalled: false, activation: { batchId: scene.batch.id } });
    expect(contexts[3]).toMatchObject({ voided: false, recalled: true, ownerProducerId: recalled.producer.id });
    for (const unknown of [contexts[4], contexts[5]]) {
      expect(unknown).toMatchObject({ printRun: null, activation: null, ownerProducerId: null, product: null, producer: null, batch: null, consumerScans: null });
    }
  });

  it('answers a stamp passed twice twice, in place, recording each', async () => {
    const { run } = await makeStampScene(t.db, { quantity: 2 });
    const a = { serial: run.firstSerial, kid: 2 };
    const b = { serial: run.lastSerial, kid: 2 };
    const { client, contexts } = await check([a, b, a]);
    expect(contexts.map((c) => c.serial)).toEqual([a.serial, b.serial, a.serial]);
    expect(contexts[2]).toEqual(contexts[0]);
    const rows = await t.db.select().from(scans).where(eq(scans.apiClientId, client.id));
    expect(rows.map((r) => [r.serial, r.channel, r.scannedAt.getTime()])).toEqual([
      [a.serial, 'enterprise', AT.getTime()],
      [b.serial, 'enterprise', AT.getTime()],
      [a.serial, 'enterprise', AT.getTime()],
    ]);
  });

  it('reads consumer scans and never touches the stamp row', async () => {
    const { run } = await makeStampScene(t.db, { quantity: 2 });
    const scanned = run.firstSerial;
    const place = { country: 'VN', region: 'Quảng Ninh', city: 'Hạ Long', latitude: null, longitude: null };
    await recordScan(t.db, { serial: scanned, kid: 2, at: new Date(WINDOW - 60_000), place, sessionHash: 's' });
    await recordScan(t.db, { serial: scanned, kid: 2, at: new Date(WINDOW - 30_000), place, sessionHash: 's' });
    const { contexts } = await check([
      { serial: scanned, kid: 2 },
      { serial: run.lastSerial, kid: 2 },
    ]);
    expect(contexts.map((c) => c.consumerScans)).toEqual([{ count: 2, firstScanAt: new Date(WINDOW - 60_000) }, null]);
    const rows = await t.db.select().from(stamps).where(eq(stamps.serial, scanned));
    expect(rows).toMatchObject([{ scanCount: 2, lastScanAt: new Date(WINDOW - 30_000) }]);
    expect(await t.db.select().from(stamps).where(eq(stamps.serial, run.lastSerial))).toEqual([]);
  });

  it('reads clone alerts with their status, not consumer reports', async () => {
    const { run } = await makeStampScene(t.db);
    await makeAlert(t.db, run.firstSerial, 'many_sessions', 'open');
    await makeAlert(t.db, run.firstSerial, 'pin_reused', 'false_positive');
    await makeAlert(t.db, run.firstSerial, 'consumer_report', 'open');
    const { contexts } = await check([{ serial: run.firstSerial, kid: 2 }]);
    expect(contexts[0]!.alerts.sort((a, b) => a.rule.localeCompare(b.rule))).toEqual([
      { rule: 'many_sessions', status: 'open' },
      { rule: 'pin_reused', status: 'false_positive' },
    ]);
  });

  it.each<[string, number, number]>([
    ['as many codes as stamps', 3, 3],
    ['codes that named no stamp (forged, or repeated) count too', 3, 7],
    ['no stamp at all', 0, 4],
  ])('adds the request\'s codes to the key\'s usage window: %s', async (_name, stampCount, codes) => {
    const { run } = await makeStampScene(t.db, { quantity: 3 });
    const refs = Array.from({ length: stampCount }, (_, i) => ({ serial: run.firstSerial + i, kid: 2 }));
    const { client, contexts } = await check(refs, codes);
    expect(contexts).toHaveLength(stampCount);
    const [usage] = await t.db
      .select()
      .from(apiUsage)
      .where(and(eq(apiUsage.apiClientId, client.id), eq(apiUsage.windowStart, WINDOW)));
    expect(usage).toMatchObject({ requests: 1, codes });
  });
});
