import { describe, expect, it } from 'vitest';
import { API_LIMITS, apiKeyPrefix, checkUsage, generateApiKey, hashApiKey, looksLikeApiKey, rateWindow } from './api-keys.ts';

describe('API keys', () => {
  it('makes distinct keys of the documented shape', () => {
    const keys = new Set(Array.from({ length: 50 }, generateApiKey));
    expect(keys.size).toBe(50);
    for (const key of keys) {
      expect(key).toMatch(/^txk_[A-Za-z0-9_-]{43}$/);
      expect(looksLikeApiKey(key)).toBe(true);
      expect(apiKeyPrefix(key)).toBe(key.slice(0, 12));
    }
  });

  it.each(['', 'txk_', 'txk_short', `TXK_${'a'.repeat(43)}`, `txk_${'a'.repeat(42)}!`, `txk_${'a'.repeat(44)}`, 'eyJhbGciOiJIUzI1NiJ9.e30.x'])(
    'does not take %j for a key',
    (text) => expect(looksLikeApiKey(text)).toBe(false),
  );

  it('hashes with SHA-256 in lower-case hex (FIPS 180-4 test vector)', async () => {
    expect(await hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('rate limits', () => {
  it.each([
    [0, 0, 60],
    [125_000, 120_000, 55],
    [179_999, 120_000, 1],
    [180_000, 180_000, 60],
  ])('at %i ms the window starts at %i and the next one in %i s', (t, start, retry) => {
    expect(rateWindow(new Date(t))).toEqual({ start, retryAfterSeconds: retry });
  });

  const limits = { requestsPerWindow: 60, codesPerWindow: 20_000 };
  it.each([
    ['the last allowed request', { requests: 60, codesBefore: 0, codes: 1 }, null],
    ['one request too many', { requests: 61, codesBefore: 0, codes: 1 }, 'requests'],
    ['exactly the code budget', { requests: 20, codesBefore: 19_000, codes: 1_000 }, null],
    ['one code over the budget', { requests: 21, codesBefore: 19_001, codes: 1_000 }, 'codes'],
  ])('%s', (_name, usage, breach) => {
    expect(checkUsage(usage, limits)?.limit ?? null).toBe(breach);
  });

  it('keeps the per-request and per-window code limits consistent', () => {
    expect(API_LIMITS.codesPerWindow % API_LIMITS.codesPerRequest).toBe(0);
    expect(API_LIMITS.codesPerRequest * (API_LIMITS.maxEntryLength + 3)).toBeLessThan(API_LIMITS.maxBodyBytes);
  });
});
