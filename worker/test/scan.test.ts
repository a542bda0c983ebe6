import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { alerts, voids } from '../../db/schema.ts';
import { signCode } from '../src/domain/codes.ts';
import { call, issuePrintRun, makeBatch, makeCertificate, makeScene, manifestRows, testDb, testKeyring } from './helpers.ts';

type ScanJson = {
  verdict: string;
  serial: number | null;
  kind: string | null;
  scan: { count: number; first: boolean; firstScanAt: string; firstScanPlace: { country: string | null; city: string | null } } | null;
  product?: { name: string; gtin: string } | null;
  producer?: { name: string } | null;
  batch?: { lotCode: string; expired?: boolean } | null;
  certificates: { kind: string }[];
};

const json = { accept: 'application/json' };
const haLong = encodeURIComponent(JSON.stringify({ country: 'VN', region: 'Quảng Ninh', city: 'Hạ Long', latitude: '20.95', longitude: '107.07' }));

async function activatedStamp(quantity = 5) {
  const scene = await makeScene();
  await makeCertificate(scene.producer.id);
  const run = await issuePrintRun(scene.official.token, { kind: 'qr', quantity, producerId: scene.producer.id });
  const act = await call('/api/activations', {
    method: 'POST',
    token: scene.official.token,
    json: { printRunId: run.id, firstSerial: run.firstSerial, lastSerial: run.lastSerial - 1, batchId: scene.batch.id },
  });
  if (act.status !== 201) throw new Error(await act.text());
  const rows = await manifestRows(scene.official.token, run.id);
  return { ...scene, run, rows };
}

async function scan(path: string, headers: Record<string, string> = json) {
  const res = await call(path, { headers });
  return { res, body: headers.accept === 'application/json' ? ((await res.json()) as ScanJson) : null };
}

describe('GET /s/{code}', () => {
  it('says genuine and first scan, then scan 2 with the first scan\'s time and place', async () => {
    const { rows, product, producer, batch } = await activatedStamp();
    const code = rows[0]!.code;
    const first = await scan(`/S/${code}`, { ...json, 'x-dev-place': haLong });
    expect(first.res.status).toBe(200);
    expect(first.body).toMatchObject({
      verdict: 'genuine',
      serial: Number(rows[0]!.serial),
      kind: 'qr',
      scan: { count: 1, first: true },
      product: { name: product.name, gtin: product.gtin },
      producer: { name: producer.name },
      batch: { lotCode: batch.lotCode },
    });
    expect(first.body!.certificates.map((c) => c.kind)).toEqual(['vietgap']);
    const second = await scan(`/s/${code.toLowerCase()}`);
    expect(second.body!.scan).toMatchObject({
      count: 2,
      first: false,
      firstScanAt: first.body!.scan!.firstScanAt,
      firstScanPlace: { country: 'VN', city: 'Hạ Long' },
    });
  });

  it('counts 50 simultaneous first scans once each, with exactly one first', async () => {
    const { rows } = await activatedStamp();
    const results = await Promise.all(Array.from({ length: 50 }, () => scan(`/S/${rows[1]!.code}`)));
    const counts = results.map((r) => r.body!.scan!.count).sort((a, b) => a - b);
    expect(counts).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(results.filter((r) => r.body!.scan!.first)).toHaveLength(1);
    const after = await scan(`/S/${rows[1]!.code}`);
    expect(after.body!.scan!.count).toBe(51);
  });

  it('tells not_activated, voided and unknown_serial apart', async () => {
    const { rows, run } = await activatedStamp();
    const notActivated = await scan(`/S/${rows.at(-1)!.code}`);
    expect(notActivated.body!.verdict).toBe('not_activated');
    expect(notActivated.body!.product ?? null).toBeNull();

    await testDb().insert(voids).values({ firstSerial: run.firstSerial + 2, lastSerial: run.firstSerial + 2, reason: 'damaged' });
    expect((await scan(`/S/${rows[2]!.code}`)).body!.verdict).toBe('voided');
  });

  it('answers forged and malformed codes as invalid without a server error', async () => {
    const { rows } = await activatedStamp();
    const code = rows[0]!.code;
    const forged = code.slice(0, -1) + (code.endsWith('0') ? '1' : '0');
    for (const bad of [forged, 'ABC', '%F0%9F%92%A9', 'x'.repeat(300), `${code}0`, 'Đ'.repeat(18), '%3Cscript%3E']) {
      const { res, body } = await scan(`/s/${bad}`);
      expect(res.status).toBe(404);
      expect(body!.verdict).toBe('invalid');
    }
    const page = await call(`/s/${forged}`);
    expect(page.status).toBe(404);
    const html = await page.text();
    expect(html).toContain('data-verdict="invalid"');
    expect(html).toContain('Mã tem không hợp lệ');
  });

  it('renders a Vietnamese page by default and English on request', async () => {
    const { rows, product } = await activatedStamp();
    const vi = await call(`/S/${rows[0]!.code}`);
    expect(vi.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await vi.text();
    expect(html).toContain('lang="vi"');
    expect(html).toContain('data-verdict="genuine"');
    expect(html).toContain('data-scan-count="1"');
    expect(html).toContain('Tem chính hãng');
    expect(html).toContain(product.name);
    const en = await (await call(`/S/${rows[0]!.code}?lang=en`)).text();
    expect(en).toContain('Genuine stamp');
    expect(en).toContain('First scanned on');
    const byHeader = await (await call(`/S/${rows[0]!.code}`, { headers: { 'accept-language': 'en-US,en;q=0.9' } })).text();
    expect(byHeader).toContain('lang="en"');
  });
});

describe('scan edge cases', () => {
  it('does not count a HEAD request as a scan', async () => {
    const { rows } = await activatedStamp();
    const head = await call(`/S/${rows[3]!.code}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const { body } = await scan(`/S/${rows[3]!.code}`);
    expect(body!.scan).toMatchObject({ count: 1, first: true });
  });

  it('writes the page CSS unescaped', async () => {
    const { rows } = await activatedStamp();
    const html = await (await call(`/S/${rows[0]!.code}`)).text();
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(style).toContain('"Segoe UI"');
    expect(style).not.toContain('&quot;');
  });

  it.each(['/s/', '/S/', '/s/ABC/', '/s/ABC/extra', '/s'])('answers %s with the error envelope', async (path) => {
    const res = await call(path, { headers: json });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('alerts officials when a valid tag names a serial no print run holds', async () => {
    const serial = 2 ** 40 - 7;
    const code = await signCode(await testKeyring(), serial);
    const { body } = await scan(`/S/${code}`);
    expect(body!.verdict).toBe('unknown_serial');
    const opened = await testDb().select().from(alerts).where(eq(alerts.serial, serial));
    expect(opened.map((a) => a.rule)).toEqual(['unknown_serial']);
  });
});

describe('what the scan page vouches for', () => {
  it('warns about an expired batch and shows only certificates valid today', async () => {
    const scene = await makeScene();
    const batch = await makeBatch(scene.product, { productionDate: '2024-01-01', expiryDate: '2024-06-30' });
    await makeCertificate(scene.producer.id, { kind: 'vietgap', number: 'VG-CU', validFrom: '2020-01-01', validTo: '2023-12-31' });
    await makeCertificate(scene.producer.id, { kind: 'ocop', number: 'OCOP-SAU', validFrom: '2099-01-01', validTo: null });
    await makeCertificate(scene.producer.id, { kind: 'food_safety', number: 'ATTP-1', validFrom: '2025-01-01', validTo: '2099-12-31' });
    const run = await issuePrintRun(scene.official.token, { kind: 'qr', quantity: 1, producerId: scene.producer.id });
    const act = await call('/api/activations', {
      method: 'POST',
      token: scene.official.token,
      json: { printRunId: run.id, firstSerial: run.firstSerial, lastSerial: run.lastSerial, batchId: batch.id },
    });
    expect(act.status).toBe(201);
    const [row] = await manifestRows(scene.official.token, run.id);
    const { body } = await scan(`/S/${row!.code}`);
    expect(body!.verdict).toBe('genuine');
    expect(body!.batch).toMatchObject({ lotCode: batch.lotCode, expired: true });
    expect(body!.certificates.map((c) => c.kind)).toEqual(['food_safety']);
    const html = await (await call(`/S/${row!.code}`)).text();
    expect(html).toContain('data-notice="expired"');
    expect(html).toContain('30/06/2024');
  });
});

describe('scans only count when someone opens the stamp', () => {
  it('refuses embedded and cross-site requests without recording them', async () => {
    const { rows } = await activatedStamp();
    const code = rows[2]!.code;
    const embedded: Record<string, string>[] = [
      { 'sec-fetch-dest': 'image', 'sec-fetch-mode': 'no-cors', 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-dest': 'image', 'sec-fetch-mode': 'no-cors', 'sec-fetch-site': 'same-origin' },
      { 'sec-fetch-dest': 'empty', 'sec-fetch-mode': 'cors', 'sec-fetch-site': 'cross-site', accept: 'application/json' },
      { 'sec-fetch-dest': 'iframe', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'cross-site', 'sec-purpose': 'prefetch' },
    ];
    for (const headers of embedded) {
      const res = await call(`/S/${code}`, { headers });
      expect(res.status).toBe(403);
      const text = await res.text();
      expect(text).not.toContain('genuine');
    }
    const opened = await call(`/S/${code}`, {
      headers: { 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'none', 'sec-fetch-user': '?1' },
    });
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain('data-scan-count="1"');
  });
});
