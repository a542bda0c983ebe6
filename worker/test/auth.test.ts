import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { users } from '../../db/schema.ts';
import { call, makeProducer, makeScene, makeUser, testDb } from './helpers.ts';

describe('auth', () => {
  it('logs in with a cookie and a bearer token', async () => {
    const u = await makeUser('official');
    const res = await call('/api/auth/login', { method: 'POST', json: { email: u.email.toUpperCase(), password: u.password } });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/tx_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const me = await call('/api/auth/me', { headers: { cookie: cookie.split(';')[0]! } });
    expect(((await me.json()) as { user: { email: string } }).user.email).toBe(u.email);
    const byBearer = await call('/api/auth/me', { token: u.token });
    expect(byBearer.status).toBe(200);
  });

  it.each([
    ['wrong password', (e: string) => ({ email: e, password: 'sai' }), 401],
    ['unknown user', () => ({ email: 'nobody@test.local', password: 'x' }), 401],
    ['missing password', (e: string) => ({ email: e }), 422],
  ])('refuses %s', async (_name, body, status) => {
    const u = await makeUser('official');
    const res = await call('/api/auth/login', { method: 'POST', json: body(u.email) });
    expect(res.status).toBe(status);
  });

  it.each(['/api/producers', '/api/products', '/api/batches', '/api/print-runs', '/api/activations', '/api/audit-log'])(
    '%s needs a session',
    async (path) => {
      const res = await call(path);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: 'Login required', requestId: expect.any(String) } });
      expect((await call(path, { token: 'not.a.jwt' })).status).toBe(401);
    },
  );

  it('scopes an enterprise user to its own producer', async () => {
    const a = await makeScene();
    const b = await makeScene();
    const ent = await makeUser('enterprise', a.producer.id);
    const products = (await (await call('/api/products', { token: ent.token })).json()) as { items: { producerId: number }[] };
    expect(products.items.length).toBeGreaterThan(0);
    expect(products.items.every((p) => p.producerId === a.producer.id)).toBe(true);
    const asked = (await (await call(`/api/batches?producerId=${b.producer.id}`, { token: ent.token })).json()) as { items: { producerId: number }[] };
    expect(asked.items.every((p) => p.producerId === a.producer.id)).toBe(true);
    const official = (await (await call(`/api/batches?producerId=${b.producer.id}`, { token: a.official.token })).json()) as { items: { producerId: number }[] };
    expect(official.items.map((i) => i.producerId)).toEqual([b.producer.id]);
  });

  it('answers health and unknown API routes in the envelope', async () => {
    const health = await call('/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true });
    const missing = await call('/api/nope');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});

describe('password guessing', () => {
  it('refuses an account after 10 wrong passwords in 15 minutes, even with the right one', async () => {
    const u = await makeUser('official');
    for (let i = 0; i < 10; i++) {
      const res = await call('/api/auth/login', { method: 'POST', json: { email: u.email, password: `sai-${i}` } });
      expect(res.status).toBe(401);
    }
    const locked = await call('/api/auth/login', { method: 'POST', json: { email: u.email, password: u.password } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await locked.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    const other = await makeUser('official');
    expect((await call('/api/auth/login', { method: 'POST', json: { email: other.email, password: other.password } })).status).toBe(200);
  });
});

describe('sessions', () => {
  it('stops a token at logout, not only the cookie', async () => {
    const u = await makeUser('official');
    expect((await call('/api/auth/me', { token: u.token })).status).toBe(200);
    expect((await call('/api/auth/logout', { method: 'POST', token: u.token })).status).toBe(204);
    expect((await call('/api/auth/me', { token: u.token })).status).toBe(401);
    expect((await call('/api/producers', { token: u.token })).status).toBe(401);
  });

  it('applies a disabled account and a changed role at once', async () => {
    const u = await makeUser('official');
    const v = await makeUser('official');
    await testDb().update(users).set({ disabledAt: new Date() }).where(eq(users.id, u.user.id));
    expect((await call('/api/auth/me', { token: u.token })).status).toBe(401);
    const producer = await makeProducer();
    await testDb().update(users).set({ role: 'enterprise', producerId: producer.id }).where(eq(users.id, v.user.id));
    const me = (await (await call('/api/auth/me', { token: v.token })).json()) as { user: { role: string; producerId: number } };
    expect(me.user).toMatchObject({ role: 'enterprise', producerId: producer.id });
    expect((await call('/api/print-runs', { method: 'POST', json: { kind: 'qr', quantity: 1 }, token: v.token })).status).toBe(403);
  });
});

describe('password guessing in parallel', () => {
  it('lets at most 10 guesses through per window, however many arrive at once', async () => {
    const u = await makeUser('official');
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => call('/api/auth/login', { method: 'POST', json: { email: u.email, password: `sai-${i}` } }).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
  });

  it('does not count successful logins', async () => {
    const u = await makeUser('official');
    for (let i = 0; i < 12; i++) {
      expect((await call('/api/auth/login', { method: 'POST', json: { email: u.email, password: u.password } })).status).toBe(200);
    }
  });
});

describe('private answers', () => {
  it('are never cached', async () => {
    const u = await makeUser('official');
    for (const path of ['/api/auth/me', '/api/producers', '/api/print-runs', '/api/alerts']) {
      const res = await call(path, { token: u.token });
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });
});
