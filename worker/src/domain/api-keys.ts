/**
 * Enterprise API keys and their limits (DESIGN §6). A key is `txk_` + 32 random bytes in
 * base64url (43 symbols): shown once, stored only as the hex SHA-256 of the whole key, listed by
 * its first {@link API_KEY_PREFIX_LENGTH} characters. Pure except for the CSPRNG and WebCrypto digest.
 */
import { encodeBase64Url, encodeHex } from './bytes.ts';

/** Recognisable start of every key (so secret scanners and people can spot a leaked one). */
export const API_KEY_PREFIX = 'txk_';
/** Characters of the key kept for display (`txk_` + 8). */
export const API_KEY_PREFIX_LENGTH = 12;
const API_KEY_RE = /^txk_[A-Za-z0-9_-]{43}$/;

/**
 * Limits of the verification API, all in one place. Counted per API client in fixed windows of
 * {@link API_LIMITS.windowMs} (the `api_usage` table).
 */
export const API_LIMITS = {
  /** Length of one rate-limit window, in ms. */
  windowMs: 60_000,
  /** Requests per client per window (the `VERIFY_RATE_LIMIT` binding may lower or raise it). */
  requestsPerWindow: 60,
  /** Codes verified per client per window. */
  codesPerWindow: 20_000,
  /** Codes in one request. */
  codesPerRequest: 1_000,
  /** Longest entry (a code or a full scan URL), in characters. */
  maxEntryLength: 200,
  /** Largest request body of `POST /api/v1/verify`, in bytes (1,000 full URLs fit). */
  maxBodyBytes: 256 * 1024,
} as const;

/**
 * Makes a new key from 32 CSPRNG bytes.
 * @example generateApiKey() // "txk_0c2VjcmV0LWtleS1leGFtcGxlLW9ubHktbm90LXJlYWw"
 */
export function generateApiKey(): string {
  return API_KEY_PREFIX + encodeBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** True when `text` has the shape of a key (prefix + 43 base64url symbols); says nothing of its validity. */
export function looksLikeApiKey(text: string): boolean {
  return API_KEY_RE.test(text);
}

/**
 * The stored form of a key: lower-case hex SHA-256 (FIPS 180-4) of its UTF-8 text.
 * @example await hashApiKey('abc') // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 */
export async function hashApiKey(key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key)));
  return encodeHex(digest);
}

/** The part of a key shown in lists. @example apiKeyPrefix('txk_abcdefgh…') // "txk_abcdefgh" */
export function apiKeyPrefix(key: string): string {
  return key.slice(0, API_KEY_PREFIX_LENGTH);
}

/** Start of the fixed window holding `now`, unix ms. @example rateWindow(new Date(125_000)) // { start: 120000, retryAfterSeconds: 55 } */
export function rateWindow(now: Date, windowMs: number = API_LIMITS.windowMs): { start: number; retryAfterSeconds: number } {
  const t = now.getTime();
  const start = t - (t % windowMs);
  return { start, retryAfterSeconds: Math.max(1, Math.ceil((start + windowMs - t) / 1000)) };
}

/** Which limit a request would break, if any. */
export type LimitBreach = { limit: 'requests' | 'codes'; message: string } | null;

/**
 * Checks a request against the window's counts. `requests` includes this request; `codesBefore`
 * excludes its `codes`.
 * @example checkUsage({ requests: 61, codesBefore: 0, codes: 1 }, { requestsPerWindow: 60, codesPerWindow: 20000 }) // { limit: 'requests', … }
 */
export function checkUsage(
  usage: { requests: number; codesBefore: number; codes: number },
  limits: { requestsPerWindow: number; codesPerWindow: number },
): LimitBreach {
  if (usage.requests > limits.requestsPerWindow) {
    return { limit: 'requests', message: `Rate limit: at most ${limits.requestsPerWindow} requests per minute per API key` };
  }
  if (usage.codesBefore + usage.codes > limits.codesPerWindow) {
    return { limit: 'codes', message: `Rate limit: at most ${limits.codesPerWindow} codes per minute per API key` };
  }
  return null;
}
