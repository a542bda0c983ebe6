import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { alerts, auditLog, voids } from '../../db/schema.ts';
import { call, issuePrintRun, makeActivatedRun, makeScene, makeUser, manifestRows, testDb } from './helpers.ts';

async function activated() {
  const scene = await makeScene();
  return { ...scene, ...(await makeActivatedRun(scene, 4)) };
}

const verdictOf = async (code: string) => ((await (await call(`/S/${code}`, { headers: { accept: 'application/json' } })).json()) as { verdict: string }).verdict;

describe('voids', () => {
  it('voids a range: its stamps answer voided, scans of them alert officials, the rest stay genuine', async () => {
    const { run, rows, official } = await activated();
    const res = await call('/api/voids', {
      method: 'POST',
      token: official.token,
      json: { firstSerial: run.firstSerial, lastSerial: run.firstSerial + 1, reason: 'Tem in hỏng' },
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    expect(await verdictOf(rows[0]!.code)).toBe('voided');
    expect(await verdictOf(rows[1]!.code)).toBe('voided');
    expect(await verdictOf(rows[2]!.code)).toBe('genuine');
    const opened = await testDb().select().from(alerts).where(eq(alerts.serial, run.firstSerial));
    expect(opened.map((a) => a.rule)).toEqual(['scan_of_voided']);
    const audit = await testDb().select().from(auditLog).where(and(eq(auditLog.entity, 'void'), eq(auditLog.entityId, String(id))));
    expect(audit.map((a) => a.action)).toEqual(['void.create']);
  });

  it('refuses to void a range already voided as a whole, but takes a partly new one', async () => {
    const { run, official } = await activated();
    const post = (firstSerial: number, lastSerial: number) =>
      call('/api/voids', { method: 'POST', token: official.token, json: { firstSerial, lastSerial, reason: 'Mất' } });
    expect((await post(run.firstSerial, run.firstSerial + 2)).status).toBe(201);
    const again = await post(run.firstSerial + 1, run.firstSerial + 2);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('conflict');
    expect((await post(run.firstSerial + 2, run.firstSerial + 3)).status).toBe(201);
  });

  it.each<[string, (r: { firstSerial: number; lastSerial: number }) => unknown, number]>([
    ['a range beyond every print run', () => ({ firstSerial: 2 ** 39, lastSerial: 2 ** 39 + 1, reason: 'x' }), 422],
    ['last below first', (r) => ({ firstSerial: r.lastSerial, lastSerial: r.firstSerial, reason: 'x' }), 422],
    ['no reason', (r) => ({ firstSerial: r.firstSerial, lastSerial: r.firstSerial }), 422],
    ['a serial as text', (r) => ({ firstSerial: String(r.firstSerial), lastSerial: r.lastSerial, reason: 'x' }), 422],
    ['a reason with control characters', (r) => ({ firstSerial: r.firstSerial, lastSerial: r.firstSerial, reason: 'hỏng\u0000\u202e' }), 422],
  ])('refuses %s and changes nothing', async (_name, body, status) => {
    const { run, official } = await activated();
    const before = (await testDb().select().from(voids)).length;
    const res = await call('/api/voids', { method: 'POST', token: official.token, json: body(run) });
    expect(res.status).toBe(status);
    expect((await testDb().select().from(voids)).length).toBe(before);
  });

  it('is for officials only', async () => {
    const { producer, run } = await activated();
    const enterprise = await makeUser('enterprise', producer.id);
    const res = await call('/api/voids', { method: 'POST', token: enterprise.token, json: { firstSerial: run.firstSerial, lastSerial: run.firstSerial, reason: 'x' } });
    expect(res.status).toBe(403);
  });
});

describe('recalls', () => {
  it('recalls a batch once: its stamps answer recalled', async () => {
    const { batch, rows, official } = await activated();
    expect(await verdictOf(rows[0]!.code)).toBe('genuine');
    const res = await call(`/api/batches/${batch.id}/recall`, { method: 'POST', token: official.token, json: { reason: 'Phát hiện vi sinh vượt ngưỡng' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { recallReason: string }).recallReason).toBe('Phát hiện vi sinh vượt ngưỡng');
    expect(await verdictOf(rows[0]!.code)).toBe('recalled');
    const page = await (await call(`/S/${rows[1]!.code}`)).text();
    expect(page).toContain('Lô hàng đã bị thu hồi');
    const again = await call(`/api/batches/${batch.id}/recall`, { method: 'POST', token: official.token, json: { reason: 'x' } });
    expect(again.status).toBe(409);
  });

  it.each([
    ['an unknown batch', 987654321, { reason: 'x' }, 404],
    ['an empty reason', 0, { reason: ' ' }, 422],
    ['an extra field', 0, { reason: 'x', at: 1 }, 422],
  ])('refuses %s', async (_name, id, body, status) => {
    const { batch, official } = await activated();
    const res = await call(`/api/batches/${id || batch.id}/recall`, { method: 'POST', token: official.token, json: body });
    expect(res.status).toBe(status);
    expect(await verdictOf((await manifestRows(official.token, (await issuePrintRun(official.token, { kind: 'qr', quantity: 1 })).id))[0]!.code)).toBe('not_activated');
  });
});
