/**
 * The province's signing keys for verification results (DESIGN §6): Ed25519 keys (RFC 8037) that
 * sign compact JWS (RFC 7515, alg `EdDSA`), published as a JWK Set (RFC 7517).
 *
 * The `SIGNING_KEYS` secret lists every key with the time it starts signing:
 *
 *   {"keys":[{"kid":"2026-11","activeFrom":"2026-11-01T00:00:00Z",
 *             "privateJwk":{"kty":"OKP","crv":"Ed25519","x":"…","d":"…"}}]}
 *
 * The key with the latest `activeFrom` not after now signs; every listed key's public part is
 * published, so verifiers can check results signed before a rotation.
 *
 * Rotation policy: a signed result carries `exp` = its `iat` + {@link RESULT_VALIDITY_SECONDS}
 * (2 years). To rotate, add the new key with an `activeFrom` at least
 * {@link JWKS_MAX_AGE_SECONDS} in the future (so cached key sets already hold it when it starts
 * signing). An old key stays listed until its successor's `activeFrom` + the validity window has
 * passed ({@link isRetirable}); only then may it be removed.
 *
 * Parsing and selection are pure; importing and signing use WebCrypto through jose.
 */
import { CompactSign, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { decodeBase64Url } from './bytes.ts';

/** The JWS algorithm of verification results. */
export const SIGNING_ALG = 'EdDSA';
/** How long a signed verification result is valid (its `exp` − `iat`): 2 years, in seconds. */
export const RESULT_VALIDITY_SECONDS = 2 * 365 * 24 * 60 * 60;
/** How long clients may cache the published key set, in seconds. */
export const JWKS_MAX_AGE_SECONDS = 60 * 60;

/** One configured key: its id, when it starts signing, and its private JWK. */
export type SigningKeyConfig = { kid: string; activeFrom: Date; privateJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string; d: string } };

/** A public key as published in the JWK Set. */
export type PublicSigningJwk = { kty: 'OKP'; crv: 'Ed25519'; kid: string; x: string; use: 'sig'; alg: 'EdDSA' };

const KID_RE = /^[A-Za-z0-9._:-]{1,64}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ed25519Part(value: unknown, where: string): string {
  const bytes = typeof value === 'string' ? decodeBase64Url(value) : null;
  if (!bytes || bytes.length !== 32) throw new Error(`${where} must be base64url of 32 bytes (an Ed25519 key)`);
  return value as string;
}

/**
 * Parses the `SIGNING_KEYS` secret (see the module comment), sorted by `activeFrom`. Pure.
 *
 * @throws Error naming the problem (never the key material): bad JSON, no keys, a bad or repeated
 *   kid, an `activeFrom` that is not an ISO date-time, or a private JWK that is not Ed25519
 * @example parseSigningKeys('{"keys":[{"kid":"2026-11","activeFrom":"2026-11-01T00:00:00Z","privateJwk":{…}}]}')[0].kid // "2026-11"
 */
export function parseSigningKeys(config: string): SigningKeyConfig[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(config);
  } catch {
    throw new Error('SIGNING_KEYS is not valid JSON');
  }
  if (!isRecord(parsed) || !Array.isArray(parsed.keys)) throw new Error('SIGNING_KEYS must be {"keys":[…]}');
  if (parsed.keys.length === 0) throw new Error('SIGNING_KEYS.keys is empty: at least one key is needed');
  const seen = new Set<string>();
  const keys = parsed.keys.map((entry: unknown, i: number): SigningKeyConfig => {
    const where = `SIGNING_KEYS.keys[${i}]`;
    if (!isRecord(entry)) throw new Error(`${where} must be {kid, activeFrom, privateJwk}`);
    const { kid, activeFrom, privateJwk } = entry;
    if (typeof kid !== 'string' || !KID_RE.test(kid)) throw new Error(`${where}.kid must be 1–64 characters of A–Z a–z 0–9 . _ : -`);
    if (seen.has(kid)) throw new Error(`${where}.kid "${kid}" is listed twice`);
    seen.add(kid);
    const from = typeof activeFrom === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(activeFrom) ? new Date(activeFrom) : null;
    if (!from || Number.isNaN(from.getTime())) throw new Error(`${where}.activeFrom must be an ISO date-time, e.g. 2026-11-01T00:00:00Z`);
    if (!isRecord(privateJwk) || privateJwk.kty !== 'OKP' || privateJwk.crv !== 'Ed25519') {
      throw new Error(`${where}.privateJwk must be an Ed25519 JWK ({"kty":"OKP","crv":"Ed25519",…})`);
    }
    const x = ed25519Part(privateJwk.x, `${where}.privateJwk.x`);
    const d = ed25519Part(privateJwk.d, `${where}.privateJwk.d`);
    return { kid, activeFrom: from, privateJwk: { kty: 'OKP', crv: 'Ed25519', x, d } };
  });
  return keys.sort((a, b) => a.activeFrom.getTime() - b.activeFrom.getTime());
}

/**
 * Picks the key that signs at `now`: the one with the latest `activeFrom` not after `now`. Pure.
 *
 * @throws Error when every key starts after `now`
 * @example selectSigningKey(keys, new Date('2026-12-01T00:00:00Z')).kid // "2026-11"
 */
export function selectSigningKey(keys: readonly SigningKeyConfig[], now: Date): SigningKeyConfig {
  let chosen: SigningKeyConfig | undefined;
  for (const key of keys) {
    if (key.activeFrom.getTime() <= now.getTime() && (!chosen || key.activeFrom >= chosen.activeFrom)) chosen = key;
  }
  if (!chosen) {
    const earliest = keys.reduce<Date | null>((d, k) => (d && d <= k.activeFrom ? d : k.activeFrom), null);
    throw new Error(`SIGNING_KEYS has no key active at ${now.toISOString()} (the earliest starts ${earliest?.toISOString() ?? 'never'})`);
  }
  return chosen;
}

/**
 * The JWK Set to publish: the public part of every listed key, newest first. Pure.
 * @example publicJwks(keys).keys[0] // { kty: 'OKP', crv: 'Ed25519', kid: '2026-11', x: '…', use: 'sig', alg: 'EdDSA' }
 */
export function publicJwks(keys: readonly SigningKeyConfig[]): { keys: PublicSigningJwk[] } {
  return {
    keys: [...keys]
      .reverse()
      .map((k) => ({ kty: 'OKP', crv: 'Ed25519', kid: k.kid, x: k.privateJwk.x, use: 'sig', alg: SIGNING_ALG })),
  };
}

/**
 * True when `key` may be removed from `SIGNING_KEYS` at `now`: a newer key took over signing
 * and every result `key` signed has expired ({@link RESULT_VALIDITY_SECONDS} after the takeover). Pure.
 */
export function isRetirable(keys: readonly SigningKeyConfig[], key: SigningKeyConfig, now: Date): boolean {
  const successor = keys.find((k) => k.activeFrom > key.activeFrom);
  if (!successor || successor.activeFrom > now) return false;
  return now.getTime() >= successor.activeFrom.getTime() + RESULT_VALIDITY_SECONDS * 1000;
}

const importCache = new Map<string, Promise<CryptoKey>>();

// Imports the private key and checks, once, that `x` is the public key of `d`: a mismatch would
// publish a key that verifies none of the signatures.
async function importCheckedKey(key: SigningKeyConfig): Promise<CryptoKey> {
  const mismatch = () => new Error(`SIGNING_KEYS key "${key.kid}": privateJwk.x is not the public key of privateJwk.d`);
  let privateKey: CryptoKey;
  try {
    // Some runtimes (Node) already refuse a mismatched pair here.
    privateKey = (await importJWK(key.privateJwk as JWK, SIGNING_ALG)) as CryptoKey;
  } catch {
    throw mismatch();
  }
  const publicKey = (await importJWK({ kty: 'OKP', crv: 'Ed25519', x: key.privateJwk.x }, SIGNING_ALG)) as CryptoKey;
  const probe = new TextEncoder().encode('truyxuat/signing-key-check');
  const signature = await crypto.subtle.sign('Ed25519', privateKey, probe);
  if (!(await crypto.subtle.verify('Ed25519', publicKey, signature, probe))) throw mismatch();
  return privateKey;
}

async function importPrivateKey(key: SigningKeyConfig): Promise<CryptoKey> {
  const cacheKey = `${key.kid}:${key.privateJwk.x}`;
  let pending = importCache.get(cacheKey);
  if (!pending) {
    pending = importCheckedKey(key);
    if (importCache.size > 16) importCache.clear();
    importCache.set(cacheKey, pending);
    pending.catch(() => importCache.delete(cacheKey));
  }
  return pending;
}

/**
 * Signs `payload` (a JSON object) as a compact JWS with `key`: protected header
 * `{"alg":"EdDSA","kid","typ":"JWT"}`.
 *
 * @throws Error when the private JWK cannot be imported
 * @example await signPayload(selectSigningKey(keys, new Date()), { results: [], iat: 1795000000 }) // "eyJhbGciOiJFZERTQSIs…"
 */
export async function signPayload(key: SigningKeyConfig, payload: Record<string, unknown>): Promise<string> {
  const privateKey = await importPrivateKey(key);
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: 'JWT' })
    .sign(privateKey);
}

/**
 * Makes a fresh `SIGNING_KEYS` config with one new Ed25519 key (for local development and tests).
 * @example JSON.parse(await generateSigningKeysConfig('local-1', new Date())).keys[0].kid // "local-1"
 */
export async function generateSigningKeysConfig(kid: string, activeFrom: Date): Promise<string> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  return JSON.stringify({
    keys: [{ kid, activeFrom: activeFrom.toISOString(), privateJwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d } }],
  });
}
