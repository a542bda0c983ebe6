/**
 * Scanner sessions: a random first-party cookie id per phone browser (no personal data), stored
 * only as a salted hash whose salt rotates every calendar month (UTC), so stored hashes cannot be
 * linked across months (Decree 13/2023/NĐ-CP: data minimisation). Pure: WebCrypto only.
 */
import { encodeBase64Url, encodeHex } from './bytes.ts';

/** Cookie holding the scanner id. */
export const SCANNER_COOKIE = 'tx_sid';
/** Cookie lifetime in seconds: 395 days, under the 400-day cap of RFC 6265bis. */
export const SCANNER_COOKIE_MAX_AGE = 395 * 24 * 60 * 60;

const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/**
 * A fresh scanner id: 16 random bytes, base64url (22 characters).
 * @example newScannerId() // "q3F0b1x9VfE2mZ8kQw4tHg"
 */
export function newScannerId(): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}

/** True if `value` looks like an id we issued (anything else is replaced, never trusted). */
export function isScannerId(value: string | undefined | null): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

const keyCache = new Map<string, Promise<CryptoKey>>();

/**
 * Salted hash of a scanner id for storage: hex of HMAC-SHA256(salt, "YYYY-MM:" + id), first 32
 * hex digits (128 bits). The month (UTC) of `at` is part of the message, so the salt rotates monthly.
 * @throws Error when `salt` is shorter than 16 characters
 * @example await hashScannerId(env.SCAN_SALT, 'q3F0b1x9VfE2mZ8kQw4tHg', new Date()) // "9f2c…" (32 hex)
 */
export async function hashScannerId(salt: string, id: string, at: Date): Promise<string> {
  if (salt.length < 16) throw new Error('SCAN_SALT must be at least 16 characters');
  let key = keyCache.get(salt);
  if (!key) {
    key = crypto.subtle.importKey('raw', new TextEncoder().encode(salt), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    keyCache.set(salt, key);
  }
  const month = at.toISOString().slice(0, 7);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await key, new TextEncoder().encode(`${month}:${id}`)));
  return encodeHex(mac.subarray(0, 16));
}
