import { describe, expect, it } from 'vitest';
import { call, issuePrintRun, makeProducer, makeScene, makeUser, manifestRows, testDb } from './helpers.ts';
import { allocations, auditLog, printRuns } from '../../db/schema.ts';
import { eq } from 'drizzle-orm';
import { LABELS_PER_PAGE } from '../src/domain/label-sheet.ts';
import { qrSvg } from '../src/domain/qr.ts';

describe('POST /api/print-runs', () => {
  it('reserves one range row, allocates it, and writes an audit row', async () => {
    const { producer, official } = await makeScene();
    const run = await issuePrintRun(official.token, { kind: 'qr', quantity: 90_000, producerId: producer.id });
    expect(run.quantity).toBe(90_000);
    expect(run.lastSerial - run.firstSerial + 1).toBe(90_000);
    const rows = await testDb().select().from(printRuns).where(eq(printRuns.id, run.id));
    expect(rows).toHaveLength(1);
    const alloc = await testDb().select().from(allocations).where(eq(allocations.printRunId, run.id));
    expect(alloc).toEqual([expect.objectContaining({ producerId: producer.id, firstSerial: run.firstSerial, lastSerial: run.lastSerial })]);
    const audit = await testDb().select().from(auditLog).where(eq(auditLog.entityId, String(run.id)));
    expect(audit.some((a) => a.action === 'print_run.create' && a.userId === official.user.id)).toBe(true);
  });

  it('issues a million stamps as one row, and concurrent runs never share a serial', async () => {
    const { official } = await makeScene();
    const runs = await Promise.all([
      issuePrintRun(official.token, { kind: 'qr', quantity: 1_000_000 }),
      issuePrintRun(official.token, { kind: 'anti_counterfeit', quantity: 5 }),
      issuePrintRun(official.token, { kind: 'qr', quantity: 7 }),
    ]);
    const sorted = [...runs].sort((a, b) => a.firstSerial - b.firstSerial);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.firstSerial).toBeGreaterThan(sorted[i - 1]!.lastSerial);
  });

  const bad: [string, unknown, number, string][] = [
    ['quantity 0', { kind: 'qr', quantity: 0 }, 422, 'unprocessable_entity'],
    ['negative quantity', { kind: 'qr', quantity: -5 }, 422, 'unprocessable_entity'],
    ['fractional quantity', { kind: 'qr', quantity: 1.5 }, 422, 'unprocessable_entity'],
    ['quantity above the limit', { kind: 'qr', quantity: 1_000_001 }, 422, 'unprocessable_entity'],
    ['quantity as a string', { kind: 'qr', quantity: '100' }, 422, 'unprocessable_entity'],
    ['unknown kind', { kind: 'gold', quantity: 10 }, 422, 'unprocessable_entity'],
    ['unknown producer', { kind: 'qr', quantity: 10, producerId: 987654321 }, 422, 'unprocessable_entity'],
    ['extra field', { kind: 'qr', quantity: 10, firstSerial: 1 }, 422, 'unprocessable_entity'],
    ['array body', [1, 2], 422, 'unprocessable_entity'],
  ];
  it.each(bad)('refuses %s and changes nothing', async (_name, body, status, code) => {
    const { official } = await makeScene();
    const before = (await testDb().select().from(printRuns)).length;
    const res = await call('/api/print-runs', { method: 'POST', json: body, token: official.token });
    expect(res.status).toBe(status);
    const json = (await res.json()) as { error: { code: string; message: string; requestId: string } };
    expect(json.error.code).toBe(code);
    expect(json.error.message).toEqual(expect.any(String));
    expect(json.error.requestId).toEqual(expect.any(String));
    expect((await testDb().select().from(printRuns)).length).toBe(before);
  });

  it.each([
    ['no JSON content type', { body: '{"kind":"qr","quantity":5}', headers: { 'content-type': 'text/plain' } }, 415, 'unsupported_media_type'],
    ['broken JSON', { body: '{"kind":"qr",', headers: { 'content-type': 'application/json' } }, 400, 'bad_request'],
    ['oversized body', { body: JSON.stringify({ kind: 'qr', quantity: 5, note: 'x'.repeat(200_000) }), headers: { 'content-type': 'application/json' } }, 413, 'payload_too_large'],
  ])('refuses %s', async (_name, init, status, code) => {
    const { official } = await makeScene();
    const res = await call('/api/print-runs', { method: 'POST', ...init, token: official.token });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it('is for officials only', async () => {
    const producer = await makeProducer();
    const enterprise = await makeUser('enterprise', producer.id);
    const res = await call('/api/print-runs', { method: 'POST', json: { kind: 'qr', quantity: 5 }, token: enterprise.token });
    expect(res.status).toBe(403);
    expect(await call('/api/print-runs', { method: 'POST', json: { kind: 'qr', quantity: 5 } }).then((r) => r.status)).toBe(401);
  });
});

describe('print run exports', () => {
  it('streams the manifest with serial, code, url, and a PIN for anti-counterfeit stamps', async () => {
    const { producer, official } = await makeScene();
    const qr = await issuePrintRun(official.token, { kind: 'qr', quantity: 2500, producerId: producer.id });
    const res = await call(`/api/print-runs/${qr.id}/manifest.csv`, { token: official.token });
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    // The length is announced before streaming, so a cut download is detectable.
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    const rows = await manifestRows(official.token, qr.id);
    expect(rows).toHaveLength(2500);
    expect(rows[0]!.serial).toBe(String(qr.firstSerial));
    expect(rows.at(-1)!.serial).toBe(String(qr.lastSerial));
    expect(new Set(rows.map((r) => r.code)).size).toBe(2500);
    for (const r of rows.slice(0, 20)) expect(r.url).toBe(`https://tem.test/S/${r.code}`);
    expect(rows[0]!.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{18}$/);

    const ac = await issuePrintRun(official.token, { kind: 'anti_counterfeit', quantity: 3 });
    const acRes = await call(`/api/print-runs/${ac.id}/manifest.csv`, { token: official.token });
    const text = await acRes.text();
    expect(Number(acRes.headers.get('content-length'))).toBe(new TextEncoder().encode(text).length);
    expect(text.split('\n')[0]).toBe('serial,code,url,pin');
    const acRows = await manifestRows(official.token, ac.id);
    for (const r of acRows) expect(r.pin).toMatch(/^\d{8}$/);
  });

  it('draws A4 label pages whose QR codes are the stamp URLs', async () => {
    const { official } = await makeScene();
    const run = await issuePrintRun(official.token, { kind: 'qr', quantity: LABELS_PER_PAGE + 3 });
    const detail = (await (await call(`/api/print-runs/${run.id}`, { token: official.token })).json()) as { labelPages: number };
    expect(detail.labelPages).toBe(2);
    const page2 = await call(`/api/print-runs/${run.id}/labels.svg?page=2`, { token: official.token });
    expect(page2.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    const svg = await page2.text();
    expect(svg).toContain('width="210mm"');
    expect(svg).toContain(String(run.lastSerial));
    expect((await call(`/api/print-runs/${run.id}/labels.svg?page=3`, { token: official.token })).status).toBe(404);
    expect((await call(`/api/print-runs/${run.id}/labels.svg?page=abc`, { token: official.token })).status).toBe(400);
  });

  it('serves one QR per stamp that decodes to the printed URL', async () => {
    const { official } = await makeScene();
    const run = await issuePrintRun(official.token, { kind: 'qr', quantity: 2 });
    const [row] = await manifestRows(official.token, run.id);
    const svg = await (await call(`/api/print-runs/${run.id}/stamps/${run.firstSerial}/qr.svg`, { token: official.token })).text();
    // The symbol is the stamp's URL (decoded back to text in the domain and browser tests).
    expect(row!.url).toMatch(/^https:\/\/tem\.test\/S\/[0-9A-Z]{18}$/);
    expect(svg).toBe(qrSvg(row!.url));
    expect((await call(`/api/print-runs/${run.id}/stamps/${run.lastSerial + 1}/qr.svg`, { token: official.token })).status).toBe(404);
  });

  it('answers unknown ids with 404 and malformed ids with 400', async () => {
    const { official } = await makeScene();
    const unknown = await call('/api/print-runs/987654321', { token: official.token });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect((await call('/api/print-runs/abc', { token: official.token })).status).toBe(400);
    expect((await call('/api/print-runs/-1/manifest.csv', { token: official.token })).status).toBe(400);
  });
});
