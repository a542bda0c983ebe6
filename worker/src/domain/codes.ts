/**
 * Self-authenticating stamp codes and the anti-counterfeit hidden PIN (DESIGN.md §3).
 *
 * A code is 18 Crockford base32 symbols = 90 bits, no padding:
 *
 *   symbol 0      kid     5 bits   key id 0..31
 *   symbols 1–8   serial 40 bits   1 .. 2^40-1
 *   symbols 9–17  tag    45 bits   first 45 bits of HMAC-SHA256(code secret of kid,
 *                                  "truyxuat/stamp/v1" || kid byte || serial 5 bytes BE)
 *
 * The PIN is 8 decimal digits: the first 64 bits of HMAC-SHA256(pin secret of kid,
 * "truyxuat/pin/v1" || serial 5 bytes BE), mod 10^8 (bias < 10^-11).
 *
 * Pure and runtime-neutral: WebCrypto (`crypto.subtle`) and TextEncoder only.
 */

import { decodeBase64Url, encodeBase64Url, timingSafeEqual } from './bytes.ts';
import { decodeCrockford, encodeCrockford, normalizeCrockford } from './crockford.ts';

/** Symbols in a code. */
export const CODE_LENGTH = 18;
/** Largest key id (5 bits). */
export const KID_MAX = 31;
/** Smallest serial. */
export const SERIAL_MIN = 1;
/** Largest serial (40 bits). */
export const SERIAL_MAX = 2 ** 40 - 1;
/** Decimal digits in a hidden PIN. */
export const PIN_LENGTH = 8;
/** Minimum secret length in bytes for both code and PIN secrets. */
export const MIN_SECRET_BYTES = 32;

const STAMP_CONTEXT = new TextEncoder().encode('truyxuat/stamp/v1');
const PIN_CONTEXT = new TextEncoder().encode('truyxuat/pin/v1');
const TAG_SYMBOLS = 9;
const SERIAL_SYMBOLS = 8;

/** The two HMAC keys of one key id, imported for WebCrypto. */
export interface StampKey {
  readonly kid: number;
  /** HMAC-SHA256 key that tags codes. */
  readonly code: CryptoKey;
  /** HMAC-SHA256 key that derives hidden PINs. */
  readonly pin: CryptoKey;
}

/** Keys parsed from the `STAMP_KEYS` secret: `active` signs, every listed kid verifies. */
export interface Keyring {
  readonly active: number;
  readonly keys: ReadonlyMap<number, StampKey>;
}

/** Result of {@link verifyCode}. */
export type VerifyCodeResult =
  | { ok: true; code: string; serial: number; kid: number }
  | { ok: false; reason: 'malformed' | 'unknown_key' | 'bad_tag' };

const KEYRING_CACHE_LIMIT = 16;
const keyringCache = new Map<string, Promise<Keyring>>();

/**
 * Parses the `STAMP_KEYS` secret into a keyring of imported HMAC-SHA256 keys, cached per
 * config string (module scope) so a Worker isolate imports each key only once.
 *
 * Shape: `{"active": 1, "keys": {"1": {"code": "<base64url>", "pin": "<base64url>"}, ...}}`;
 * kids are "0".."31", each secret is base64url (RFC 4648 §5) of at least 32 bytes, and
 * a kid's code and PIN secrets must differ.
 *
 * @throws Error with a message naming the problem (never the secret) on bad JSON, a bad
 *   kid, a short or non-base64url secret, or an `active` kid that is not listed
 * @example
 * const keyring = await parseKeyring(env.STAMP_KEYS);
 * keyring.active // 1
 */
export function parseKeyring(config: string): Promise<Keyring> {
  const cached = keyringCache.get(config);
  if (cached) return cached;
  const pending = importKeyring(config);
  if (keyringCache.size >= KEYRING_CACHE_LIMIT) {
    const oldest = keyringCache.keys().next().value;
    if (oldest !== undefined) keyringCache.delete(oldest);
  }
  keyringCache.set(config, pending);
  pending.catch(() => keyringCache.delete(config));
  return pending;
}

async function importKeyring(config: string): Promise<Keyring> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(config);
  } catch {
    throw new Error('STAMP_KEYS is not valid JSON');
  }
  if (!isRecord(parsed)) throw new Error('STAMP_KEYS must be a JSON object');
  const { active, keys } = parsed;
  if (!isKid(active)) throw new Error(`STAMP_KEYS.active must be an integer 0..${KID_MAX}`);
  if (!isRecord(keys)) throw new Error('STAMP_KEYS.keys must be an object of kid → {code, pin}');

  const imported = new Map<number, StampKey>();
  for (const [name, entry] of Object.entries(keys)) {
    if (!/^(0|[1-9][0-9]?)$/.test(name) || Number(name) > KID_MAX) {
      throw new Error(`STAMP_KEYS.keys: "${name.slice(0, 8)}" is not a kid 0..${KID_MAX}`);
    }
    const kid = Number(name);
    if (!isRecord(entry)) throw new Error(`STAMP_KEYS.keys.${kid} must be {code, pin}`);
    const code = readSecret(entry.code, `STAMP_KEYS.keys.${kid}.code`);
    const pin = readSecret(entry.pin, `STAMP_KEYS.keys.${kid}.pin`);
    if (timingSafeEqual(code, pin)) {
      throw new Error(`STAMP_KEYS.keys.${kid}: code and pin secrets must differ`);
    }
    imported.set(kid, { kid, code: await importHmacKey(code), pin: await importHmacKey(pin) });
  }
  if (!imported.has(active)) throw new Error(`STAMP_KEYS.active kid ${active} is not in keys`);
  return { active, keys: imported };
}

function readSecret(value: unknown, where: string): Uint8Array<ArrayBuffer> {
  const bytes = typeof value === 'string' ? decodeBase64Url(value) : null;
  if (!bytes) throw new Error(`${where} must be a base64url string`);
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new Error(`${where} is ${bytes.length} bytes; at least ${MIN_SECRET_BYTES} are required`);
  }
  return bytes;
}

function importHmacKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isKid(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= KID_MAX;
}

function isSerial(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= SERIAL_MIN && value <= SERIAL_MAX;
}

/**
 * Makes a fresh `STAMP_KEYS` config with one random 32-byte code secret and one random
 * 32-byte PIN secret (CSPRNG), for local development and tests.
 *
 * @param kid key id 0..31 (default 1), also the active kid
 * @throws RangeError for a kid out of range
 * @example
 * const keyring = await parseKeyring(generateKeyringConfig(2));
 * keyring.active // 2
 */
export function generateKeyringConfig(kid = 1): string {
  if (!isKid(kid)) throw new RangeError(`kid must be an integer 0..${KID_MAX}, got ${kid}`);
  const secret = () => encodeBase64Url(crypto.getRandomValues(new Uint8Array(MIN_SECRET_BYTES)));
  return JSON.stringify({ active: kid, keys: { [kid]: { code: secret(), pin: secret() } } });
}

/**
 * Canonical form of a typed or scanned code: trims surrounding whitespace, folds case,
 * maps O→0 and I/L→1, then requires exactly 18 Crockford symbols. Does not check the tag.
 *
 * @returns the 18-symbol upper-case code, or null for anything else (never throws)
 * @example normalizeCode(' 1000000001abcdefgh ') // "1000000001ABCDEFGH"
 */
export function normalizeCode(input: string): string | null {
  return normalizeCrockford(input, CODE_LENGTH);
}

function serialBytes(serial: number): Uint8Array {
  const out = new Uint8Array(5);
  let rest = serial;
  for (let i = 4; i >= 0; i--) {
    out[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The 9 tag symbols for (kid, serial): the first 45 bits of the HMAC, in Crockford. */
async function tagSymbols(key: StampKey, serial: number): Promise<string> {
  const message = concat(STAMP_CONTEXT, Uint8Array.of(key.kid), serialBytes(serial));
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key.code, message));
  let first48 = 0;
  for (let i = 0; i < 6; i++) first48 = first48 * 256 + (mac[i] ?? 0);
  return encodeCrockford(Math.floor(first48 / 8), TAG_SYMBOLS);
}

function requireSerial(serial: number): void {
  if (!isSerial(serial)) {
    throw new RangeError(`serial must be an integer ${SERIAL_MIN}..${SERIAL_MAX}, got ${serial}`);
  }
}

function requireKey(keyring: Keyring, kid: number): StampKey {
  const key = keyring.keys.get(kid);
  if (!key) throw new Error(`kid ${kid} is not in the keyring`);
  return key;
}

/**
 * Signs a serial, giving its 18-symbol canonical code. New print runs use the keyring's
 * active key; pass the run's recorded `kid` to reproduce the codes of an older run after
 * the active key has rotated (the same kid and serial always give the same code).
 *
 * @param serial integer 1 .. 2^40-1
 * @param kid key id to sign with, default `keyring.active`
 * @throws RangeError when the serial is out of range; Error when `kid` is not in the keyring
 * @example await signCode(keyring, 1) // "100000001C6350RCAW" with the fixed test keys: kid "1", serial "00000001", tag
 */
export async function signCode(keyring: Keyring, serial: number, kid: number = keyring.active): Promise<string> {
  requireSerial(serial);
  const key = requireKey(keyring, kid);
  return encodeCrockford(key.kid, 1) + encodeCrockford(serial, SERIAL_SYMBOLS) + (await tagSymbols(key, serial));
}

/**
 * Signs `count` consecutive serials starting at `firstSerial`, in serial order, computing
 * up to 512 HMACs concurrently; same codes as {@link signCode}. For print-run manifests.
 *
 * @param kid key id to sign with, default `keyring.active`
 * @throws RangeError immediately (not on first iteration) when the range leaves 1 .. 2^40-1
 *   or count is not a non-negative integer; Error when `kid` is not in the keyring
 * @example
 * for await (const { serial, code } of signCodes(keyring, 1001, 90_000)) write(serial, code);
 */
export function signCodes(
  keyring: Keyring,
  firstSerial: number,
  count: number,
  kid: number = keyring.active,
): AsyncIterable<{ serial: number; code: string }> {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`count must be a non-negative integer, got ${count}`);
  }
  requireSerial(firstSerial);
  if (count > 0) requireSerial(firstSerial + count - 1);
  const key = requireKey(keyring, kid);
  const prefix = encodeCrockford(key.kid, 1);
  const batch = 512;
  return (async function* () {
    for (let start = 0; start < count; start += batch) {
      const size = Math.min(batch, count - start);
      const serials = Array.from({ length: size }, (_, i) => firstSerial + start + i);
      const tags = await Promise.all(serials.map((s) => tagSymbols(key, s)));
      for (let i = 0; i < size; i++) {
        const serial = serials[i]!;
        yield { serial, code: prefix + encodeCrockford(serial, SERIAL_SYMBOLS) + tags[i]! };
      }
    }
  })();
}

/**
 * Verifies a typed or scanned code offline: normalizes it ({@link normalizeCode}), finds
 * its key id in the keyring and recomputes the tag, compared in constant time.
 * A code with serial 0 is `malformed` (no such serial exists). Never throws.
 *
 * @returns `{ ok: true, code, serial, kid }` with the canonical code, or
 *   `{ ok: false, reason }` with reason `malformed`, `unknown_key` or `bad_tag`
 * @example
 * // with the fixed test keys of codes.test.ts:
 * await verifyCode(keyring, ' 1ooooooo1c6350rcaw ') // { ok: true, code: '100000001C6350RCAW', serial: 1, kid: 1 }
 * await verifyCode(keyring, '100000001C6350RCAX') // { ok: false, reason: 'bad_tag' }
 */
export async function verifyCode(keyring: Keyring, input: string): Promise<VerifyCodeResult> {
  try {
    const code = normalizeCode(input);
    if (code === null) return { ok: false, reason: 'malformed' };
    const kid = decodeCrockford(code.slice(0, 1));
    const serial = decodeCrockford(code.slice(1, 1 + SERIAL_SYMBOLS));
    if (!isSerial(serial)) return { ok: false, reason: 'malformed' };
    const key = keyring.keys.get(kid);
    if (!key) return { ok: false, reason: 'unknown_key' };
    const expected = await tagSymbols(key, serial);
    const given = code.slice(1 + SERIAL_SYMBOLS);
    const encoder = new TextEncoder();
    if (!timingSafeEqual(encoder.encode(expected), encoder.encode(given))) {
      return { ok: false, reason: 'bad_tag' };
    }
    return { ok: true, code, serial, kid };
  } catch {
    return { ok: false, reason: 'malformed' };
  }
}

/**
 * Derives the hidden PIN printed under the scratch-off layer of an anti-counterfeit stamp:
 * 8 decimal digits (leading zeros kept) from the first 64 bits of
 * HMAC-SHA256(pin secret of kid, "truyxuat/pin/v1" || serial 5 bytes BE) mod 10^8.
 * Deterministic, so no PIN table is stored.
 *
 * @param kid the key id from the stamp's code (not necessarily the active one)
 * @param serial integer 1 .. 2^40-1
 * @throws RangeError for a serial out of range; Error for a kid not in the keyring
 * @example await derivePin(keyring, 1, 1) // "69763965" with the fixed test keys
 */
export async function derivePin(keyring: Keyring, kid: number, serial: number): Promise<string> {
  requireSerial(serial);
  const key = requireKey(keyring, kid);
  const mac = new Uint8Array(
    await crypto.subtle.sign('HMAC', key.pin, concat(PIN_CONTEXT, serialBytes(serial))),
  );
  let first64 = 0n;
  for (let i = 0; i < 8; i++) first64 = (first64 << 8n) | BigInt(mac[i] ?? 0);
  return (first64 % 10n ** BigInt(PIN_LENGTH)).toString().padStart(PIN_LENGTH, '0');
}

/**
 * Checks a PIN typed by a buyer against the stamp's derived PIN, in constant time.
 * Surrounding whitespace and inner spaces or hyphens are ignored ("6976 3965",
 * "6976-3965"); anything else must be exactly 8 ASCII digits. Never throws: unknown kid,
 * bad serial or odd input give false.
 *
 * @example await verifyPin(keyring, 1, 1, ' 6976-3965 ') // true with the fixed test keys (PIN 69763965)
 */
export async function verifyPin(
  keyring: Keyring,
  kid: number,
  serial: number,
  input: string,
): Promise<boolean> {
  try {
    if (typeof input !== 'string' || input.length > 64) return false;
    const digits = input.trim().replace(/[ \-]/g, '');
    if (!/^[0-9]{8}$/.test(digits)) return false;
    const expected = await derivePin(keyring, kid, serial);
    const encoder = new TextEncoder();
    return timingSafeEqual(encoder.encode(expected), encoder.encode(digits));
  } catch {
    return false;
  }
}

/**
 * Builds the printed URL of a stamp: `{base without trailing slashes}/S/{CODE}`, with the
 * code in canonical upper case so a QR encoder may use alphanumeric mode.
 *
 * @param publicBaseUrl e.g. "https://truyxuat.example.vn" (trailing "/" allowed)
 * @param code a code in any accepted spelling
 * @throws RangeError when `code` is not a well-formed code
 * @example stampUrl('https://tx.example.vn/', '1000000001abcdefgh') // "https://tx.example.vn/S/1000000001ABCDEFGH"
 */
export function stampUrl(publicBaseUrl: string, code: string): string {
  const canonical = normalizeCode(code);
  if (canonical === null) throw new RangeError('not a well-formed stamp code');
  return `${publicBaseUrl.replace(/\/+$/, '')}/S/${canonical}`;
}
