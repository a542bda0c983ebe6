import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { activations, auditLog } from '../../db/schema.ts';
import { call, issuePrintRun, makeBatch, makeProduct, makeProducer, makeScene, makeUser, testDb } from './helpers.ts';

type ErrorBody = { error: { code: string; message: string } };

describe('POST /api/activations', () => {
  it('binds a range of the allocation to a batch, with an audit row', async () => {
    const { producer, batch, official } = await makeScene();
    const run = await issuePrintRun(official.token, { kind: 'qr', quantity: 100, producerId: producer.id });
    const res = await call('/api/activations', {
      method: 'POST',
      token: official.token,
      json: { printRunId: run.id, firstSerial: run.firstSerial, lastSerial: run.firstSerial + 9, batchId: batch.id },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: number; quantity: number };
    expect(body.quantity).toBe(10);
    const audit = await testDb().select().from(auditLog).where(eq(auditLog.entityId, String(body.id)));
    expect(audit.map((a) => a.action)).toContain('activation.create');
    const list = (await (await call(`/api/activations?printRunId=${run.id}`, { token: official.token })).json()) as { items: { id: number }[] };
    expect(list.items.map((i) => i.id)).toEqual([body.id]);
  });

  it('lets an enterprise activate its own allocation, never another producer\'s', async () => {
    const { producer, batch, official } = await makeScene();
    const run = await issuePrintRun(official.token, { kind: 'qr', quantity: 20, producerId: producer.id });
    const own = await makeUser('enterprise', producer.id);
    const ok = await call('/api/activations', {
      method: 'POST',
      token: own.token,
      json: { printRunId: run.id, firstSerial: run.firstSerial, lastSerial: run.firstSerial, batchId: batch.id },
    });
    expect(ok.status).toBe(201);
    const other = await makeUser('enterprise', (await makeProducer()).id);
    const refused = await call('/api/activations', {
      method: 'POST',
      token: other.token,
      json: { printRunId: run.id, firstSerial: run.firstSerial + 1, lastSerial: run.firstSerial + 1, batchId: batch.id },
    });
    expect(refused.status).toBe(404);
  });

  it('lets exactly one of many concurrent overlapping activations through', async () => {
    const { producer, batch, official } = await makeScene();
    const run = await issuePrintRun(official.token, { kind: 'qr', quantity: 100, producerId: producer.id });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        call('/api/activations', {
          method: 'POST',
          token: official.token,
          json: { printRunId: run.id, firstSerial: run.firstSerial + i, lastSerial: run.firstSerial + 50, batchId: batch.id },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(7);
    const rows = await testDb().select().from(activations).where(eq(activations.printRunId, run.id));
    expect(rows).toHaveLength(1);
  });

  it.each<[string, (s: Awaited<ReturnType<typeof setup>>) => unknown, number, string]>([
    ['overlap with an earlier activation', (s) => ({ ...s.base, firstSerial: s.run.firstSerial + 5, lastSerial: s.run.firstSerial + 15 }), 409, 'conflict'],
    ['range outside the print run', (s) => ({ ...s.base, firstSerial: s.run.lastSerial, lastSerial: s.run.lastSerial + 1 }), 422, 'unprocessable_entity'],
    ['batch of a producer without the allocation', (s) => ({ ...s.base, firstSerial: s.run.firstSerial + 20, lastSerial: s.run.firstSerial + 21, batchId: s.otherBatch.id }), 422, 'unprocessable_entity'],
    ['unallocated print run', (s) => ({ ...s.base, printRunId: s.unallocated.id, firstSerial: s.unallocated.firstSerial, lastSerial: s.unallocated.firstSerial }), 422, 'unprocessable_entity'],
    ['unknown print run', (s) => ({ ...s.base, printRunId: 987654321 }), 404, 'not_found'],
    ['unknown batch', (s) => ({ ...s.base, batchId: 987654321 }), 404, 'not_found'],
    ['last below first', (s) => ({ ...s.base, firstSerial: s.run.firstSerial + 30, lastSerial: s.run.firstSerial + 29 }), 422, 'unprocessable_entity'],
    ['serials as strings', (s) => ({ ...s.base, firstSerial: String(s.run.firstSerial) }), 422, 'unprocessable_entity'],
    ['missing batch', (s) => ({ printRunId: s.run.id, firstSerial: s.run.firstSerial, lastSerial: s.run.firstSerial }), 422, 'unprocessable_entity'],
  ])('refuses %s and changes nothing', async (_name, makeBody, status, code) => {
    const s = await setup();
    const before = (await testDb().select().from(activations)).length;
    const res = await call('/api/activations', { method: 'POST', token: s.official.token, json: makeBody(s) });
    expect(res.status).toBe(status);
    expect(((await res.json()) as ErrorBody).error.code).toBe(code);
    expect((await testDb().select().from(activations)).length).toBe(before);
  });
});

async function setup() {
  const { producer, batch, official } = await makeScene();
  const run = await issuePrintRun(official.token, { kind: 'qr', quantity: 40, producerId: producer.id });
  const unallocated = await issuePrintRun(official.token, { kind: 'qr', quantity: 5 });
  const otherProduct = await makeProduct((await makeProducer()).id);
  const otherBatch = await makeBatch(otherProduct);
  const base = { printRunId: run.id, firstSerial: run.firstSerial, lastSerial: run.firstSerial + 9, batchId: batch.id };
  const first = await call('/api/activations', { method: 'POST', token: official.token, json: base });
  if (first.status !== 201) throw new Error(await first.text());
  return { official, run, unallocated, otherBatch, base };
}

describe('what enterprise users learn', () => {
  it("answers another producer's print run as missing, whatever the serials", async () => {
    const mine = await makeScene();
    const theirs = await makeScene();
    const run = await issuePrintRun(theirs.official.token, { kind: 'qr', quantity: 40, producerId: theirs.producer.id });
    const me = await makeUser('enterprise', mine.producer.id);
    const bodies = [];
    for (const [first, last] of [[run.firstSerial, run.firstSerial], [run.lastSerial, run.lastSerial + 1], [1, 1]]) {
      const res = await call('/api/activations', {
        method: 'POST',
        token: me.token,
        json: { printRunId: run.id, firstSerial: first, lastSerial: last, batchId: mine.batch.id },
      });
      expect(res.status).toBe(404);
      bodies.push(((await res.json()) as { error: { message: string } }).error.message);
    }
    expect(new Set(bodies)).toEqual(new Set(['No such print run']));
  });
});
