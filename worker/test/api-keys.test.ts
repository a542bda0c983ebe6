import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { apiClients, auditLog } from '../../db/schema.ts';
import { hashApiKey } from '../src/domain/api-keys.ts';
import { call, makeApiKey, makeProducer, makeScene, makeUser, testDb } from './helpers.ts';

type Item = { id: number; name: string; producerId: number | null; keyPrefix: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };

async function list(token: string): Promise<Item[]> {
  const res = await call('/api/api-keys', { token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Item[] }).items;
}

const auditOf = (id: number) =>
  testDb().select().from(auditLog).where(and(eq(auditLog.entity, 'api_client'), eq(auditLog.entityId, String(id))));

describe('POST /api/api-keys', () => {
  it('creates a key shown once, stores only its SHA-256, and audits it', async () => {
    const { producer, official } = await makeScene();
    const res = await call('/api/api-keys', { method: 'POST', token: official.token, json: { name: '  Kho Hạ Long  ', producerId: producer.id } });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const created = (await res.json()) as Item & { key: string };
    expect(created).toEqual({
      id: expect.any(Number),
      name: 'Kho Hạ Long',
      producerId: producer.id,
      key: expect.stringMatching(/^txk_[A-Za-z0-9_-]{43}$/),
      keyPrefix: created.key.slice(0, 12),
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      lastUsedAt: null,
      revokedAt: null,
    });
    const [row] = await testDb().select().from(apiClients).where(eq(apiClients.id, created.id));
    expect(row!.keyHash).toBe(await hashApiKey(created.key));
    expect(row!.createdBy).toBe(official.user.id);

    const listed = (await list(official.token)).find((i) => i.id === created.id);
    expect(listed).toEqual({ ...created, key: undefined });
    expect(JSON.stringify(await list(official.token))).not.toContain(created.key);

    const audit = await auditOf(created.id);
    expect(audit).toEqual([expect.objectContaining({ action: 'api_client.create', userId: official.user.id })]);
    expect(JSON.stringify(audit)).not.toContain(created.key);
  });

  it('lets officials create province-wide keys', async () => {
    const official = await makeUser('official');
    const created = await makeApiKey(official.token);
    expect(created.producerId).toBeNull();
  });

  it("binds an enterprise user's keys to its own company and refuses another's", async () => {
    const { producer } = await makeScene();
    const other = await makeProducer();
    const ent = await makeUser('enterprise', producer.id);
    expect((await makeApiKey(ent.token)).producerId).toBe(producer.id);
    expect((await makeApiKey(ent.token, { producerId: producer.id })).producerId).toBe(producer.id);
    const res = await call('/api/api-keys', { method: 'POST', token: ent.token, json: { name: 'x', producerId: other.id } });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { code: 'forbidden', message: 'You may create keys only for your own company', requestId: expect.any(String) } });
  });

  it.each<[string, unknown, number, string, string]>([
    ['no name', { producerId: 1 }, 422, 'unprocessable_entity', 'name: Invalid input: expected string, received undefined'],
    ['a blank name', { name: '   ' }, 422, 'unprocessable_entity', 'name: must not be empty'],
    ['a long name', { name: 'x'.repeat(101) }, 422, 'unprocessable_entity', 'name: has at most 100 characters'],
    ['an unknown producer', { name: 'x', producerId: 987654321 }, 422, 'unprocessable_entity', 'No producer 987654321'],
    ['a name with control characters', { name: '\u0000\u202e evil' }, 422, 'unprocessable_entity', 'name: must not contain control characters'],
    ['an unknown field', { name: 'x', key: 'txk_mine' }, 422, 'unprocessable_entity', 'Unrecognized key: "key"'],
  ])('refuses %s', async (_name, body, status, code, message) => {
    const official = await makeUser('official');
    const res = await call('/api/api-keys', { method: 'POST', token: official.token, json: body });
    expect(res.status).toBe(status);
    const { error } = (await res.json()) as { error: Record<string, unknown> };
    expect({ ...error, details: undefined }).toEqual({ code, message, requestId: expect.any(String), details: undefined });
  });

  it('needs a session', async () => {
    expect((await call('/api/api-keys', { method: 'POST', json: { name: 'x' } })).status).toBe(401);
    expect((await call('/api/api-keys')).status).toBe(401);
    expect((await call('/api/api-keys/1', { method: 'DELETE' })).status).toBe(401);
  });
});

describe('GET /api/api-keys', () => {
  it("shows enterprise users their own company's keys only", async () => {
    const a = await makeScene();
    const b = await makeScene();
    const entA = await makeUser('enterprise', a.producer.id);
    const mine = await makeApiKey(entA.token);
    const theirs = await makeApiKey(b.official.token, { producerId: b.producer.id });
    const province = await makeApiKey(b.official.token);
    const seen = (await list(entA.token)).map((i) => i.id);
    expect(seen).toContain(mine.id);
    expect(seen).not.toContain(theirs.id);
    expect(seen).not.toContain(province.id);
    const all = (await list(a.official.token)).map((i) => i.id);
    expect(all).toEqual(expect.arrayContaining([mine.id, theirs.id, province.id]));
  });
});

describe('DELETE /api/api-keys/{id}', () => {
  it('revokes once (audited), then answers 204 again without a second audit row', async () => {
    const { official } = await makeScene();
    const { id } = await makeApiKey(official.token);
    expect((await call(`/api/api-keys/${id}`, { method: 'DELETE', token: official.token })).status).toBe(204);
    const [row] = await testDb().select().from(apiClients).where(eq(apiClients.id, id));
    expect(row!.revokedAt).toBeInstanceOf(Date);
    expect((await call(`/api/api-keys/${id}`, { method: 'DELETE', token: official.token })).status).toBe(204);
    const [still] = await testDb().select().from(apiClients).where(eq(apiClients.id, id));
    expect(still!.revokedAt).toEqual(row!.revokedAt);
    expect((await auditOf(id)).map((a) => a.action)).toEqual(['api_client.create', 'api_client.revoke']);
    expect((await list(official.token)).find((i) => i.id === id)!.revokedAt).toBe(row!.revokedAt!.toISOString());
  });

  it("answers 404 for unknown keys and for another company's, changing nothing", async () => {
    const a = await makeScene();
    const b = await makeScene();
    const entA = await makeUser('enterprise', a.producer.id);
    const theirs = await makeApiKey(b.official.token, { producerId: b.producer.id });
    for (const id of [theirs.id, 987654321]) {
      const res = await call(`/api/api-keys/${id}`, { method: 'DELETE', token: entA.token });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'not_found', message: `No API key ${id}`, requestId: expect.any(String) } });
    }
    const [row] = await testDb().select().from(apiClients).where(eq(apiClients.id, theirs.id));
    expect(row!.revokedAt).toBeNull();
    expect((await call('/api/api-keys/abc', { method: 'DELETE', token: entA.token })).status).toBe(400);
  });
});
