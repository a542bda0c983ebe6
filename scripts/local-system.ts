/**
 * Prepares the local system's data: a libSQL file under DATA_DIR served over the libSQL HTTP
 * protocol on loopback, migrated and seeded, with local secrets generated once. Shared by
 * `npm start` (scripts/start.ts), the browser tests and the bench.
 */
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createDb } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { activateRange, createPrintRun } from '../db/queries/print-runs.ts';
import { batches, products } from '../db/schema.ts';
import { seedDatabase } from '../db/seed.ts';
import { SAMPLE_LOT } from '../db/seed-data.ts';
import { startLibsqlServer } from '../db/server/index.ts';
import { generateKeyringConfig, parseKeyring, signCode, stampUrl } from '../worker/src/domain/codes.ts';
import { generateSigningKeysConfig } from '../worker/src/domain/signing.ts';
import { hashPassword } from '../worker/src/domain/password.ts';

export type LocalSystem = {
  dataDir: string;
  libsqlUrl: string;
  adminEmail: string;
  /** Present when this start created the admin (first start) or read it from .data/admin-password. */
  adminPassword: string | null;
  /** Secrets for the Worker, as name → value. */
  secrets: { STAMP_KEYS: string; SIGNING_KEYS: string; SESSION_SECRET: string; SCAN_SALT: string };
  sampleCode: string | null;
  close(): Promise<void>;
};

function readOrCreate(path: string, make: () => string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const value = make();
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  return value;
}

/** The local Ed25519 key that signs verification results: made on first start, kept in DATA_DIR/signing-keys.json. */
async function readOrCreateSigningKeys(path: string): Promise<string> {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const now = new Date();
  const value = await generateSigningKeysConfig(`local-${now.toISOString().slice(0, 10)}`, now);
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  return value;
}

/**
 * Starts the local database and brings it up to date. On first start it seeds demo data, makes the
 * admin (password = ADMIN_PASSWORD, else random, saved in DATA_DIR/admin-password) and issues one
 * small activated print run so there is a stamp to scan.
 */
export async function startLocalSystem(opts: { dataDir?: string; libsqlPort?: number; publicBaseUrl: string }): Promise<LocalSystem> {
  const dataDir = resolve(opts.dataDir ?? process.env.DATA_DIR ?? '.data');
  mkdirSync(dataDir, { recursive: true });
  const server = await startLibsqlServer({ file: join(dataDir, 'truyxuat.db'), port: opts.libsqlPort ?? 0 });
  await migrateDatabase(server.url);

  const secrets = {
    STAMP_KEYS: readOrCreate(join(dataDir, 'stamp-keys.json'), () => generateKeyringConfig(1)),
    SIGNING_KEYS: await readOrCreateSigningKeys(join(dataDir, 'signing-keys.json')),
    SESSION_SECRET: readOrCreate(join(dataDir, 'session-secret'), () => randomBytes(32).toString('base64url')),
    SCAN_SALT: readOrCreate(join(dataDir, 'scan-salt'), () => randomBytes(24).toString('base64url')),
  };
  const passwordFile = join(dataDir, 'admin-password');
  const db = createDb(server.url);
  let adminPassword: string | null = existsSync(passwordFile) ? readFileSync(passwordFile, 'utf8').trim() : null;
  let sampleCode: string | null = null;
  const samplePath = join(dataDir, 'sample-code');
  try {
    const firstPassword = process.env.ADMIN_PASSWORD || randomBytes(12).toString('base64url');
    const { seeded } = await seedDatabase(db, { adminPasswordHash: await hashPassword(firstPassword), publicBaseUrl: opts.publicBaseUrl });
    if (seeded) {
      adminPassword = firstPassword;
      if (!process.env.ADMIN_PASSWORD) writeFileSync(passwordFile, `${firstPassword}\n`, { mode: 0o600 });
      sampleCode = await issueSample(db, secrets.STAMP_KEYS);
      writeFileSync(samplePath, `${sampleCode}\n`);
    } else if (existsSync(samplePath)) {
      sampleCode = readFileSync(samplePath, 'utf8').trim();
    }
  } finally {
    db.$client.close();
  }
  return {
    dataDir,
    libsqlUrl: server.url,
    adminEmail: 'admin@localhost',
    adminPassword,
    secrets,
    sampleCode,
    close: () => server.close(),
  };
}

/**
 * One demo print run of 10 stamps for the producer of the sample lot (fish sauce with a journey
 * from the anchovies caught off Cô Tô: db/seed-data.ts `SAMPLE_LOT`), the first 5 activated on it.
 */
async function issueSample(db: ReturnType<typeof createDb>, stampKeys: string): Promise<string> {
  const keyring = await parseKeyring(stampKeys);
  const admin = await db.query.users.findFirst({ where: (u, { eq }) => eq(u.email, 'admin@localhost') });
  const [batch] = await db
    .select({ id: batches.id, producerId: batches.producerId })
    .from(batches)
    .innerJoin(products, eq(products.id, batches.productId))
    .where(and(eq(products.gtin, SAMPLE_LOT.gtin), eq(batches.lotCode, SAMPLE_LOT.lotCode)));
  if (!admin || !batch) throw new Error('seed did not create the admin and the sample lot');
  const actor = { userId: admin.id, requestId: 'local-start' };
  const run = await createPrintRun(db, { kind: 'qr', quantity: 10, keyId: keyring.active, producerId: batch.producerId, note: 'Mẫu' }, actor);
  await activateRange(db, { printRunId: run.id, batchId: batch.id, firstSerial: run.firstSerial, lastSerial: run.firstSerial + 4 }, actor);
  return signCode(keyring, run.firstSerial, run.keyId);
}

/** The printed URL of the sample stamp. */
export function sampleUrl(publicBaseUrl: string, code: string | null): string | null {
  return code ? stampUrl(publicBaseUrl, code) : null;
}
