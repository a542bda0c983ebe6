import { and, eq, sql } from 'drizzle-orm';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { apiClients, scans, stamps, voids } from '../../db/schema.ts';
import { decodeBase64Url, encodeBase64Url } from '../src/domain/bytes.ts';
import { API_LIMITS, rateWindow } from '../src/domain/api-keys.ts';
import { signCode } from '../src/domain/codes.ts';
import { RESULT_VALIDITY_SECONDS } from '../src/domain/signing.ts';
import { call, issuePrintRun, makeActivatedRun, makeApiKey, makeScene, makeUser, manifestRows, testDb, testEnv, testKeyring, unique } from './helpers.ts';

type Result = {
  reasons?: string[];
  code: string;
  verdict: string;
  serial: number | null;
  kind: string | null;
  product: { name: string; gtin: string } | null;
  producer: { name: string; taxCode: string } | null;
  batch: { lotCode: string; productionDate: string; expiryDate: string | null } | null;
  scan: { count: number; firstScanAt: string | null } | null;
};
type Payload = { iss: string; iat: number; exp: number; requestId: string; client: number; results: Result[] };

const decoder = new TextDecoder();

async function jwks(): Promise<JSONWebKeySet> {
  const res = await call('/.well-known/jwks.json');
  expect(res.status).toBe(200);
  return (await res.json()) as JSONWebKeySet;
}

async function verify(key: string, codes: unknown[]) {
  const res = await call('/api/v1/verify', { method: 'POST', token: key, json: { codes } });
  const body = decoder.decode(await res.arrayBuffer());
  return { res, body };
}

/** Verifies the answer's JWS against the published keys and returns its payload. */
async function verified(key: string, codes: unknown[]): Promise<Payload> {
  const { res, body } = await verify(key, codes);
  if (res.status !== 200) throw new Error(`verify: ${res.status} ${body}`);
  const { payload } = await compactVerify(body, createLocalJWKSet(await jwks()));
  return JSON.parse(decoder.decode(payload)) as Payload;
}

/** `n` codes with valid tags whose serials no print run holds (print runs start at serial 1). */
async function unknownSerialCodes(n: number): Promise<string[]> {
  const keyring = await testKeyring();
  const base = 2 ** 39 + (unique() % 2 ** 38);
  return Promise.all(Array.from({ length: n }, (_, i) => signCode(keyring, base + i)));
}

const forge = (code: string) => code.slice(0, -1) + (code.endsWith('0') ? '1' : '0');

const enterpriseScans = (apiClientId: number) =>
  testDb().select({ n: sql<number>`count(*)` }).from(scans).where(and(eq(scans.apiClientId, apiClientId), eq(scans.channel, 'enterprise')));

describe('GET /.well-known/jwks.json', () => {
  it('publishes every configured key, public parts only, cacheable', async () => {
    const res = await call('/.well-known/jwks.json');
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
    const { keys } = (await res.json()) as { keys: Record<string, string>[] };
    expect(keys.map((k) => k.kid)).toEqual(['test-2099', 'test-2026', 'test-2025']);
    for (const k of keys) {
      expect(Object.keys(k).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
      expect(k).toMatchObject({ kty: 'OKP', crv: 'Ed25519', use: 'sig', alg: 'EdDSA' });
    }
  });
});

describe('POST /api/v1/verify', () => {
  it('answers with a JWS signed by the active key that verifies against the published JWKS', async () => {
    const scene = await makeScene();
    const { rows } = await makeActivatedRun(scene, 3);
    const { key, id } = await makeApiKey(scene.official.token, { producerId: scene.producer.id });
    const { res, body } = await verify(key, [rows[0]!.code]);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/jose');
    expect(body).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(decodeProtectedHeader(body)).toEqual({ alg: 'EdDSA', kid: 'test-2026', typ: 'JWT' });

    const keySet = createLocalJWKSet(await jwks());
    const { payload } = await jwtVerify(body, keySet, { issuer: 'https://tem.test', algorithms: ['EdDSA'] });
    expect(payload).toEqual({
      iss: 'https://tem.test',
      iat: expect.any(Number),
      exp: (payload.iat as number) + RESULT_VALIDITY_SECONDS,
      requestId: res.headers.get('x-request-id'),
      client: id,
      results: [
        {
          code: rows[0]!.code,
          verdict: 'genuine',
          serial: Number(rows[0]!.serial),
          kind: 'qr',
          product: { name: scene.product.name, gtin: scene.product.gtin },
          producer: { name: scene.producer.name, taxCode: scene.producer.taxCode },
          batch: { lotCode: scene.batch.lotCode, productionDate: '2026-11-01', expiryDate: '2027-05-01' },
          scan: { count: 0, firstScanAt: null },
        },
      ],
    });
  });

  it('fails verification when the payload is changed or the key is wrong', async () => {
    const scene = await makeScene();
    const { rows } = await makeActivatedRun(scene, 1, 0);
    const { key } = await makeApiKey(scene.official.token);
    const { body } = await verify(key, [rows[0]!.code]);
    const keySet = createLocalJWKSet(await jwks());
    const [header, payload, signature] = body.split('.');
    const claims = JSON.parse(decoder.decode(decodeBase64Url(payload!)!));
    expect(claims.results[0].verdict).toBe('not_activated');
    claims.results[0].verdict = 'genuine';
    const changed = encodeBase64Url(new TextEncoder().encode(JSON.stringify(claims)));
    await expect(compactVerify(`${header}.${changed}.${signature}`, keySet)).rejects.toThrow('signature verification failed');

    // Published keys other than the signer's do not verify it (same kid, another key's x).
    const others = (await jwks()).keys.filter((k) => k.kid !== 'test-2026');
    const impostor = createLocalJWKSet({ keys: [{ ...others[0]!, kid: 'test-2026' }] });
    await expect(compactVerify(body, impostor)).rejects.toThrow('signature verification failed');
    // And a key set without the signer's kid finds no key at all.
    await expect(compactVerify(body, createLocalJWKSet({ keys: others }))).rejects.toThrow('no applicable key found');
  });

  it('answers 1,000 codes in one request: genuine, not activated, voided, forged, unknown serial, URLs', async () => {
    const scene = await makeScene();
    const { run, rows } = await makeActivatedRun(scene, 700, 400);
    await testDb().insert(voids).values({ firstSerial: run.firstSerial + 10, lastSerial: run.firstSerial + 19, reason: 'damaged' });
    const { key, id } = await makeApiKey(scene.official.token, { producerId: scene.producer.id });
    const unknown = await unknownSerialCodes(100);
    const codes = [
      ...rows.slice(0, 300).map((r) => r.code), // genuine (10 of them voided)
      ...rows.slice(300, 400).map((r) => r.url), // genuine, as printed URLs
      ...rows.slice(400, 700).map((r) => r.code.toLowerCase()), // printed, not activated
      ...rows.slice(0, 200).map((r) => forge(r.code)), // forged
      ...unknown, // tag valid, no print run
    ];
    expect(codes).toHaveLength(1000);
    const started = performance.now();
    const { res, body } = await verify(key, codes);
    const elapsed = performance.now() - started;
    console.log(`[measure] POST /api/v1/verify with 1000 codes: ${elapsed.toFixed(0)} ms (${body.length} bytes of JWS)`);
    expect(res.status).toBe(200);
    const { payload } = await compactVerify(body, createLocalJWKSet(await jwks()));
    const { results } = JSON.parse(decoder.decode(payload)) as Payload;

    expect(results.map((r) => r.code)).toEqual(codes);
    const tally = results.reduce<Record<string, number>>((t, r) => ({ ...t, [r.verdict]: (t[r.verdict] ?? 0) + 1 }), {});
    expect(tally).toEqual({ genuine: 390, voided: 10, not_activated: 300, invalid: 200, unknown_serial: 100 });
    expect(results[350]).toMatchObject({ verdict: 'genuine', serial: Number(rows[350]!.serial), product: { gtin: scene.product.gtin } });
    expect(results[450]).toMatchObject({ verdict: 'not_activated', serial: Number(rows[450]!.serial), batch: null, producer: { name: scene.producer.name } });
    expect(results[750]).toEqual({ code: codes[750], verdict: 'invalid', serial: null, kind: null, product: null, producer: null, batch: null, scan: null });
    expect(results[950]).toMatchObject({ verdict: 'unknown_serial', product: null, scan: null });
    // One enterprise check per distinct verified stamp: 700 printed + 100 unknown serials.
    expect((await enterpriseScans(id))[0]!.n).toBe(800);
  });

  it('answers duplicates once each, in order, and checks a repeated stamp once', async () => {
    const scene = await makeScene();
    const { rows } = await makeActivatedRun(scene, 2);
    const { key, id } = await makeApiKey(scene.official.token);
    const [a, b] = [rows[0]!, rows[1]!];
    const codes = [a.code, b.code, a.code, a.url, forge(a.code), forge(a.code), a.code.toLowerCase()];
    const { results } = await verified(key, codes);
    expect(results.map((r) => [r.code, r.verdict, r.serial])).toEqual([
      [a.code, 'genuine', Number(a.serial)],
      [b.code, 'genuine', Number(b.serial)],
      [a.code, 'genuine', Number(a.serial)],
      [a.url, 'genuine', Number(a.serial)],
      [forge(a.code), 'invalid', null],
      [forge(a.code), 'invalid', null],
      [a.code.toLowerCase(), 'genuine', Number(a.serial)],
    ]);
    expect((await enterpriseScans(id))[0]!.n).toBe(2);
  });

  it('never disturbs consumer first-scan state: a consumer scan after enterprise checks is still the first', async () => {
    const scene = await makeScene();
    const { rows } = await makeActivatedRun(scene, 1);
    const code = rows[0]!.code;
    const { key } = await makeApiKey(scene.official.token, { producerId: scene.producer.id });
    await verified(key, [code]);
    await verified(key, [code, rows[0]!.url]);
    expect(await testDb().select().from(stamps).where(eq(stamps.serial, Number(rows[0]!.serial)))).toEqual([]);

    const scan = await call(`/S/${code}`, { headers: { accept: 'application/json' } });
    expect(((await scan.json()) as { scan: { count: number; first: boolean } }).scan).toMatchObject({ count: 1, first: true });

    const after = await verified(key, [code]);
    expect(after.results[0]!.scan).toEqual({ count: 1, firstScanAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    const again = await call(`/S/${code}`, { headers: { accept: 'application/json' } });
    expect(((await again.json()) as { scan: { count: number } }).scan.count).toBe(2);
  });

  it("shows every key the public facts, but consumer scans only to the stamp's company and province-wide keys", async () => {
    const owner = await makeScene();
    const other = await makeScene();
    const { rows } = await makeActivatedRun(owner, 1);
    await call(`/S/${rows[0]!.code}`);
    const ownKey = await makeApiKey(owner.official.token, { producerId: owner.producer.id });
    const otherKey = await makeApiKey(other.official.token, { producerId: other.producer.id });
    const provinceKey = await makeApiKey(owner.official.token);

    const seenBy = async (key: string) => (await verified(key, [rows[0]!.code])).results[0]!;
    const own = await seenBy(ownKey.key);
    const foreign = await seenBy(otherKey.key);
    const province = await seenBy(provinceKey.key);
    expect(own.scan).toMatchObject({ count: 1 });
    expect(province.scan).toEqual(own.scan);
    expect(foreign).toEqual({ ...own, scan: null });
    expect(foreign).toMatchObject({ verdict: 'genuine', producer: { name: owner.producer.name }, product: { gtin: owner.product.gtin } });
  });

  it('takes a body above the API-wide 64 KiB limit (1,000 long URLs)', async () => {
    const scene = await makeScene();
    const { rows } = await makeActivatedRun(scene, 1);
    const { key } = await makeApiKey(scene.official.token);
    const url = `${rows[0]!.url}?utm_source=${'x'.repeat(120)}`;
    const codes = Array.from({ length: 1000 }, () => url);
    expect(JSON.stringify({ codes }).length).toBeGreaterThan(128 * 1024);
    const { results } = await verified(key, codes);
    expect(new Set(results.map((r) => r.verdict))).toEqual(new Set(['genuine']));
  });

  it('refuses over the rate limit with 429 and Retry-After', async () => {
    const scene = await makeScene();
    const { rows } = await makeActivatedRun(scene, 1);
    const { key, id } = await makeApiKey(scene.official.token);
    // The clock stands still at the last millisecond of a window (only Date is faked; timers and
    // I/O run as usual): every request lands in that window however long the requests take.
    const now = new Date(rateWindow(new Date()).start + API_LIMITS.windowMs - 1);
    vi.useFakeTimers({ toFake: ['Date'], now });
    try {
      const limit = Number(testEnv.VERIFY_RATE_LIMIT);
      for (let i = 0; i < limit; i++) expect((await verify(key, [rows[0]!.code])).res.status).toBe(200);
      const { res, body } = await verify(key, [rows[0]!.code]);
      expect(res.status).toBe(429);
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(retryAfter).toBe(1);
      expect(JSON.parse(body)).toEqual({
        error: {
          code: 'rate_limited',
          message: `Rate limit: at most ${limit} requests per minute per API key`,
          requestId: expect.any(String),
          details: { limit: 'requests', retryAfterSeconds: retryAfter },
        },
      });
      expect((await enterpriseScans(id))[0]!.n).toBe(limit);
    } finally {
      vi.useRealTimers();
    }
  });

  const longBody = `{"codes":["A"]}${' '.repeat(256 * 1024)}`;
  const refusals: [string, (key: string) => RequestInit & { token?: string; json?: unknown }, number, string, string][] = [
    ['no key', () => ({ json: { codes: ['X'] } }), 401, 'unauthorized', 'API key required: send Authorization: Bearer <key>'],
    ['a session token instead of a key', () => ({ json: { codes: ['X'] }, token: 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln' }), 401, 'unauthorized', 'Unknown or revoked API key'],
    ['an unknown key', () => ({ json: { codes: ['X'] }, token: `txk_${'A'.repeat(43)}` }), 401, 'unauthorized', 'Unknown or revoked API key'],
    ['an empty list', (key) => ({ json: { codes: [] }, token: key }), 422, 'unprocessable_entity', 'codes: send at least 1 code'],
    ['1,001 codes', (key) => ({ json: { codes: Array.from({ length: 1001 }, () => 'A') }, token: key }), 422, 'unprocessable_entity', 'codes: send at most 1000 codes per request'],
    ['a number among the codes', (key) => ({ json: { codes: ['A', 7] }, token: key }), 422, 'unprocessable_entity', 'codes.1: each entry must be a string (a code or a scan URL)'],
    ['a null among the codes', (key) => ({ json: { codes: [null] }, token: key }), 422, 'unprocessable_entity', 'codes.0: each entry must be a string (a code or a scan URL)'],
    ['codes not a list', (key) => ({ json: { codes: 'ABC' }, token: key }), 422, 'unprocessable_entity', 'codes: codes must be an array of strings'],
    ['an overlong entry', (key) => ({ json: { codes: ['A'.repeat(201)] }, token: key }), 422, 'unprocessable_entity', 'codes.0: each entry has at most 200 characters'],
    ['an unknown field', (key) => ({ json: { codes: ['A'], all: true }, token: key }), 422, 'unprocessable_entity', 'Unrecognized key: "all"'],
    ['wrong content type', (key) => ({ body: '{"codes":["A"]}', headers: { 'content-type': 'text/plain' }, token: key }), 415, 'unsupported_media_type', 'Content-Type must be application/json'],
    ['broken JSON', (key) => ({ body: '{"codes":["A"', headers: { 'content-type': 'application/json' }, token: key }), 400, 'bad_request', 'Malformed JSON in request body'],
    ['a body over 256 KiB', (key) => ({ body: longBody, headers: { 'content-type': 'application/json' }, token: key }), 413, 'payload_too_large', 'Request body is larger than 262144 bytes'],
  ];

  it.each(refusals)('refuses %s and changes nothing', async (_name, request, status, code, message) => {
    const scene = await makeScene();
    const { key, id } = await makeApiKey(scene.official.token);
    const res = await call('/api/v1/verify', { method: 'POST', ...request(key) });
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect({ ...body.error, details: undefined }).toEqual({ code, message, requestId: expect.any(String), details: undefined });
    expect((await enterpriseScans(id))[0]!.n).toBe(0);
  });

  it('refuses a revoked key with 401', async () => {
    const scene = await makeScene();
    const { rows } = await makeActivatedRun(scene, 1);
    const { key, id } = await makeApiKey(scene.official.token);
    expect((await verify(key, [rows[0]!.code])).res.status).toBe(200);
    expect((await call(`/api/api-keys/${id}`, { method: 'DELETE', token: scene.official.token })).status).toBe(204);
    const { res, body } = await verify(key, [rows[0]!.code]);
    expect(res.status).toBe(401);
    expect(JSON.parse(body)).toEqual({ error: { code: 'unauthorized', message: 'Unknown or revoked API key', requestId: expect.any(String) } });
    expect((await enterpriseScans(id))[0]!.n).toBe(1);
  });
});

describe('GET /api/v1/producers/{producerId}/usage', () => {
  it("gives a company its own usage, province-wide keys any company's, and refuses other companies' keys with 403", async () => {
    const a = await makeScene();
    const b = await makeScene();
    const { rows } = await makeActivatedRun(a, 1);
    const keyA = await makeApiKey(a.official.token, { producerId: a.producer.id });
    const keyB = await makeApiKey(b.official.token, { producerId: b.producer.id });
    const province = await makeApiKey(a.official.token);
    await verified(keyA.key, [rows[0]!.code, rows[0]!.code, 'X']);

    const own = await call(`/api/v1/producers/${a.producer.id}/usage`, { token: keyA.key });
    expect(own.status).toBe(200);
    const usage = (await own.json()) as { producerId: number; windows: { requests: number; codes: number }[] };
    expect(usage.producerId).toBe(a.producer.id);
    expect(usage.windows.reduce((n, w) => n + w.codes, 0)).toBe(3);

    expect((await call(`/api/v1/producers/${a.producer.id}/usage`, { token: province.key })).status).toBe(200);
    const refused = await call(`/api/v1/producers/${a.producer.id}/usage`, { token: keyB.key });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      error: { code: 'forbidden', message: "This API key may read only its own company's data", requestId: expect.any(String) },
    });
    expect((await call(`/api/v1/producers/${a.producer.id}/usage`)).status).toBe(401);
  });
});

describe('GET /api/v1/openapi.json', () => {
  it('documents the API from the same schemas that validate requests', async () => {
    const res = await call('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>> }> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/verify', '/.well-known/jwks.json', '/api/api-keys']));
    expect(doc.components.schemas.VerifyRequest!.properties.codes).toMatchObject({ type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string', maxLength: 200 } });
    expect(doc.components.schemas.VerificationPayload!.properties.results).toEqual({ type: 'array', items: { $ref: '#/components/schemas/VerificationResult' } });
    expect(JSON.stringify(doc)).not.toContain('$schema');
  });
});

describe('API keys used by the verification API', () => {
  it('records when a key was last used', async () => {
    const scene = await makeScene();
    const ent = await makeUser('enterprise', scene.producer.id);
    const { key, id } = await makeApiKey(ent.token);
    const before = await testDb().select().from(apiClients).where(eq(apiClients.id, id));
    expect(before[0]!.lastUsedAt).toBeNull();
    await verified(key, ['X']);
    const after = await testDb().select().from(apiClients).where(eq(apiClients.id, id));
    expect(after[0]!.lastUsedAt).toBeInstanceOf(Date);
  });
});

describe('clone detection in verification results', () => {
  it('answers suspect with the reasons the consumer sees', async () => {
    const scene = await makeScene();
    const run = await issuePrintRun(scene.official.token, { kind: 'anti_counterfeit', quantity: 2, producerId: scene.producer.id });
    const act = await call('/api/activations', {
      method: 'POST',
      token: scene.official.token,
      json: { printRunId: run.id, firstSerial: run.firstSerial, lastSerial: run.lastSerial, batchId: scene.batch.id },
    });
    expect(act.status).toBe(201);
    const [copied, clean] = await manifestRows(scene.official.token, run.id);
    const json = { accept: 'application/json' };
    await call(`/S/${copied!.code}`, { headers: json });
    for (let i = 0; i < 2; i++) await call(`/s/${copied!.code}/pin`, { method: 'POST', json: { pin: copied!.pin } });
    const { key } = await makeApiKey(scene.official.token, { name: 'Siêu thị' });
    const payload = await verified(key, [copied!.code, clean!.code]);
    expect(payload.results.map((r) => [r.verdict, r.reasons])).toEqual([
      ['suspect', ['pin_reused']],
      ['genuine', undefined],
    ]);
  });
});
