/**
 * Test helpers for the workerd tests: the real app (the Worker's default export) called with this
 * test file's bindings, and fixture factories that insert rows through the real libSQL client.
 *
 * Each test file has a database of its own (a fresh copy of the migrated template, see
 * global-setup.ts), and within a file every factory makes fresh, unique records, so no test
 * depends on another's rows.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { createDb, type Db } from '../../db/client.ts';
import { batches, certificates, printRuns, producers, products, users, type UserRole } from '../../db/schema.ts';
import { parseKeyring, signCodes, stampUrl, type Keyring } from '../src/domain/codes.ts';
import { gs1CheckDigit } from '../src/domain/gs1.ts';
import { hashPassword } from '../src/domain/password.ts';
import worker from '../src/index.ts';

/**
 * The name of this test file's database on the test libSQL server: the file's name and a random
 * suffix (a re-run in watch mode starts afresh). Vitest evaluates this module once per test file.
 */
const databaseName = `${(expect.getState().testPath ?? 'test').split('/').pop()!.replace(/\.test\.ts$/, '').replace(/[^A-Za-z0-9_-]/g, '-')}-${crypto.randomUUID().slice(0, 8)}`;

/**
 * The Worker's bindings for this test file: the project's (vitest.config.ts), with `LIBSQL_URL`
 * naming this file's own database, `{server}/{databaseName}/`. The project's `LIBSQL_URL` is the
 * bare server, which names no database, so nothing can reach a shared one by mistake.
 */
export const testEnv: Cloudflare.Env = { ...env, LIBSQL_URL: `${env.LIBSQL_URL}/${databaseName}/` };

let db: Db | undefined;
/** This test file's database through the same client the Worker uses. */
export function testDb(): Db {
  db ??= createDb(testEnv.LIBSQL_URL);
  return db;
}

let keyring: Promise<Keyring> | undefined;
/** The Worker's stamp keys (the test keys of vitest.config.ts), to sign codes as a print run does. */
export function testKeyring(): Promise<Keyring> {
  keyring ??= parseKeyring(testEnv.STAMP_KEYS);
  return keyring;
}

let counter = 0;
/** A number unique within this test file (seeded by time and randomness). */
export function unique(): number {
  counter += 1;
  return Number(`${Date.now() % 1e8}${Math.floor(Math.random() * 1e3)}${counter}`.slice(-12));
}

/**
 * Calls the Worker like a client would, with this file's bindings. Returns once the request's
 * `waitUntil` work (alerts written after the answer) has settled, so what it wrote can be read at
 * once and nothing of it runs on into the next test.
 */
export async function call(path: string, init: RequestInit & { json?: unknown; token?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`https://tem.test${path}`, { ...init, headers, body }), testEnv, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** Makes a producer with a unique tax code. */
export async function makeProducer(overrides: Partial<typeof producers.$inferInsert> = {}) {
  const n = unique();
  const [row] = await testDb()
    .insert(producers)
    .values({
      kind: 'cooperative',
      name: `Hợp tác xã Chè Đường Hoa ${n}`,
      taxCode: `57${String(n).padStart(8, '0').slice(-8)}`,
      address: 'Thôn Đồng Quặng, xã Đường Hoa',
      province: 'Quảng Ninh',
      district: 'Hải Hà',
      ...overrides,
    })
    .returning();
  return row!;
}

/** A valid GTIN-13 under Vietnam's 893 prefix. */
export function makeGtin(): string {
  const body = `893${String(unique()).padStart(9, '0').slice(-9)}`;
  return `${body}${gs1CheckDigit(body)}`;
}

/** Makes a product of `producerId`. */
export async function makeProduct(producerId: number, overrides: Partial<typeof products.$inferInsert> = {}) {
  const [row] = await testDb()
    .insert(products)
    .values({ producerId, name: 'Chả mực Hạ Long', gtin: makeGtin(), category: 'fishery', ocopStars: 4, ...overrides })
    .returning();
  return row!;
}

/** Makes a batch of a product. */
export async function makeBatch(product: { id: number; producerId: number }, overrides: Partial<typeof batches.$inferInsert> = {}) {
  const [row] = await testDb()
    .insert(batches)
    .values({
      producerId: product.producerId,
      productId: product.id,
      lotCode: `CM-${unique()}`,
      productionDate: '2026-11-01',
      expiryDate: '2027-05-01',
      quantity: 500,
      unit: 'hộp',
      ...overrides,
    })
    .returning();
  return row!;
}

/** Makes a certificate for a producer. */
export async function makeCertificate(producerId: number, overrides: Partial<typeof certificates.$inferInsert> = {}) {
  const [row] = await testDb()
    .insert(certificates)
    .values({ producerId, kind: 'vietgap', number: `VG-${unique()}`, issuer: 'Chi cục Quản lý chất lượng', validFrom: '2026-01-01', validTo: '2028-12-31', ...overrides })
    .returning();
  return row!;
}

const PASSWORD = 'mật-khẩu-thử-nghiệm';
let passwordHash: Promise<string> | undefined;

/** Makes a user and logs in; returns the user row and its session token. */
export async function makeUser(role: UserRole = 'official', producerId: number | null = null) {
  passwordHash ??= hashPassword(PASSWORD);
  const email = `user${unique()}@test.local`;
  const [user] = await testDb()
    .insert(users)
    .values({ email, name: 'Cán bộ Thử', role, producerId, passwordHash: await passwordHash })
    .returning();
  const res = await call('/api/auth/login', { method: 'POST', json: { email, password: PASSWORD } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  return { user: user!, token, email, password: PASSWORD };
}

/** A producer with a product, a batch and an official's token: the usual starting point. */
export async function makeScene() {
  const producer = await makeProducer();
  const product = await makeProduct(producer.id);
  const batch = await makeBatch(product);
  const official = await makeUser('official');
  return { producer, product, batch, official };
}

/** Issues a print run through the API. */
export async function issuePrintRun(token: string, body: { kind: 'qr' | 'anti_counterfeit'; quantity: number; producerId?: number }) {
  const res = await call('/api/print-runs', { method: 'POST', json: body, token });
  if (res.status !== 201) throw new Error(`print run failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: number; firstSerial: number; lastSerial: number; quantity: number; kind: string };
}

/** Reads a print run's manifest rows (serial, code, url[, pin]). */
export async function manifestRows(token: string, printRunId: number) {
  const res = await call(`/api/print-runs/${printRunId}/manifest.csv`, { token });
  const text = await res.text();
  const [header, ...lines] = text.trim().split('\n');
  const cols = header!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v]))) as {
    serial: string;
    code: string;
    url: string;
    pin?: string;
  }[];
}

/** Creates an API key through the API (as `token`'s user); returns the created client with its key. */
export async function makeApiKey(token: string, body: { name?: string; producerId?: number } = {}) {
  const res = await call('/api/api-keys', { method: 'POST', token, json: { name: `Kho lạnh ${unique()}`, ...body } });
  if (res.status !== 201) throw new Error(`api key failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: number; key: string; name: string; producerId: number | null; keyPrefix: string };
}

/**
 * Issues a qr print run of `quantity` for the scene's producer and activates its first `activated`
 * stamps on the scene's batch. Its rows are the run's manifest (serial, code, printed URL), signed
 * here with the run's key as the manifest is, rather than downloaded.
 */
export async function makeActivatedRun(scene: { producer: { id: number }; batch: { id: number }; official: { token: string } }, quantity: number, activated = quantity) {
  const run = await issuePrintRun(scene.official.token, { kind: 'qr', quantity, producerId: scene.producer.id });
  if (activated > 0) {
    const act = await call('/api/activations', {
      method: 'POST',
      token: scene.official.token,
      json: { printRunId: run.id, firstSerial: run.firstSerial, lastSerial: run.firstSerial + activated - 1, batchId: scene.batch.id },
    });
    if (act.status !== 201) throw new Error(`activation failed: ${act.status} ${await act.text()}`);
  }
  const [{ keyId }] = (await testDb().select({ keyId: printRuns.keyId }).from(printRuns).where(eq(printRuns.id, run.id))) as [{ keyId: number }];
  const rows: { serial: number; code: string; url: string }[] = [];
  for await (const { serial, code } of signCodes(await testKeyring(), run.firstSerial, run.quantity, keyId)) {
    rows.push({ serial, code, url: stampUrl(testEnv.PUBLIC_BASE_URL, code) });
  }
  return { run, rows };
}
