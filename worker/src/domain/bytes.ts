/**
 * Small byte helpers shared by the domain modules: base64 / base64url (RFC 4648) and a
 * constant-time comparison. Runtime-neutral: uses only `btoa`/`atob`, present in
 * Cloudflare Workers and Node alike.
 */

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64URL_RE = /^[A-Za-z0-9_-]*={0,2}$/;

/**
 * Encodes bytes as base64 (RFC 4648 §4), optionally without `=` padding.
 *
 * @param bytes the bytes to encode
 * @param padding keep the `=` padding (default true)
 * @example encodeBase64(new Uint8Array([1, 2, 3])) // "AQID"
 */
export function encodeBase64(bytes: Uint8Array, padding = true): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  const out = btoa(binary);
  return padding ? out : out.replace(/=+$/, '');
}

/**
 * Decodes base64 (RFC 4648 §4), padded or not.
 *
 * @returns the bytes, or `null` for anything that is not canonical-looking base64
 *   (wrong alphabet, impossible length, misplaced padding). Never throws.
 * @example decodeBase64('AQID') // Uint8Array [1, 2, 3]
 */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> | null {
  if (!BASE64_RE.test(text)) return null;
  const bare = text.replace(/=+$/, '');
  if (bare.length % 4 === 1) return null;
  if (text.length !== bare.length && text.length % 4 !== 0) return null;
  let binary: string;
  try {
    binary = atob(bare + '='.repeat((4 - (bare.length % 4)) % 4));
  } catch {
    return null;
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * Encodes bytes as unpadded base64url (RFC 4648 §5), the form used in secrets and JWKs.
 *
 * @example encodeBase64Url(new Uint8Array([251, 255])) // "-_8"
 */
export function encodeBase64Url(bytes: Uint8Array): string {
  return encodeBase64(bytes, false).replace(/\+/g, '-').replace(/\//g, '_');
}

/**
 * Encodes bytes as lower-case hexadecimal, two digits a byte.
 *
 * @example encodeHex(new Uint8Array([10, 255])) // "0aff"
 */
export function encodeHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Decodes base64url (RFC 4648 §5), padded or not.
 *
 * @returns the bytes, or `null` when the text is not base64url. Never throws.
 * @example decodeBase64Url('-_8') // Uint8Array [251, 255]
 */
export function decodeBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!BASE64URL_RE.test(text)) return null;
  return decodeBase64(text.replace(/-/g, '+').replace(/_/g, '/'));
}

/**
 * Compares two byte arrays in time that depends only on their lengths, not on where
 * they differ (for MACs, tags, PINs, password hashes).
 *
 * @returns true when both have the same length and the same bytes
 * @example timingSafeEqual(new Uint8Array([1]), new Uint8Array([1])) // true
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  const n = Math.max(a.length, b.length);
  let diff = a.length ^ b.length;
  for (let i = 0; i < n; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}
