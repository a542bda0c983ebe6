/**
 * Password hashing with WebCrypto PBKDF2-HMAC-SHA256 (RFC 8018 §5.2), in the format
 *
 *   pbkdf2-sha256$<iterations>$<salt>$<hash>
 *
 * with salt and hash in unpadded standard base64 (RFC 4648 §4). New hashes use 100,000
 * iterations (the most Cloudflare Workers' WebCrypto allows), a 16-byte random salt and a
 * 32-byte hash. Passwords are Unicode-normalized to NFC first, so Vietnamese text typed
 * with precomposed or combining diacritics ("ệ" vs "e" + U+0323 + U+0302) matches.
 */

import { decodeBase64, encodeBase64, timingSafeEqual } from './bytes.ts';

/** Iterations for new hashes; also the largest count Workers' PBKDF2 accepts. */
export const PBKDF2_ITERATIONS = 100_000;
const SCHEME = 'pbkdf2-sha256';
const SALT_BYTES = 16;
const HASH_BYTES = 32;
const MAX_STORED_LENGTH = 512;

async function pbkdf2(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number, bytes: number) {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(password.normalize('NFC')),
    'PBKDF2',
    false,
    ['deriveBits'],
  );
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, bytes * 8);
  return new Uint8Array(bits);
}

/**
 * Hashes a password for storage (PBKDF2-HMAC-SHA256, 100,000 iterations, 16-byte random
 * salt, 32-byte hash; password normalized to NFC).
 *
 * @returns `pbkdf2-sha256$100000$<salt base64>$<hash base64>` (unpadded base64)
 * @throws TypeError when `password` is not a string
 * @example await hashPassword('Mật khẩu 123') // "pbkdf2-sha256$100000$q8Lk…$Xw3…"
 */
export async function hashPassword(password: string): Promise<string> {
  if (typeof password !== 'string') throw new TypeError('password must be a string');
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await pbkdf2(password, salt, PBKDF2_ITERATIONS, HASH_BYTES);
  return `${SCHEME}$${PBKDF2_ITERATIONS}$${encodeBase64(salt, false)}$${encodeBase64(hash, false)}`;
}

/**
 * Checks a password against a string from {@link hashPassword}, honouring the iteration
 * count, salt and hash length stored in it (iterations 1..100,000, salt ≥ 8 bytes, hash
 * 16..64 bytes), and comparing in constant time. Never throws: a malformed stored string
 * or a non-string password gives false.
 *
 * @example await verifyPassword('Mật khẩu 123', user.passwordHash) // true or false
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  try {
    if (typeof password !== 'string' || typeof stored !== 'string') return false;
    if (stored.length > MAX_STORED_LENGTH) return false;
    const parts = stored.split('$');
    if (parts.length !== 4) return false;
    const [scheme, iterText, saltText, hashText] = parts as [string, string, string, string];
    if (scheme !== SCHEME || !/^[1-9][0-9]{0,5}$/.test(iterText)) return false;
    const iterations = Number(iterText);
    if (iterations > PBKDF2_ITERATIONS) return false;
    const salt = decodeBase64(saltText);
    const expected = decodeBase64(hashText);
    if (!salt || !expected || salt.length < 8 || expected.length < 16 || expected.length > 64) return false;
    const actual = await pbkdf2(password, salt, iterations, expected.length);
    return timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}
