import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { authenticateApiClient } from '../../../db/queries/api-clients.ts';
import { API_LIMITS, checkUsage, hashApiKey, looksLikeApiKey, rateWindow } from '../domain/api-keys.ts';
import type { AppEnv } from '../app-env.ts';
import type { Bindings } from '../env.ts';
import { ApiError } from './errors.ts';

/** The request limits in force: {@link API_LIMITS}, with `VERIFY_RATE_LIMIT` (requests/minute) if set. */
export function limitsFor(env: Bindings) {
  const configured = Number(env.VERIFY_RATE_LIMIT);
  const requestsPerWindow = Number.isInteger(configured) && configured > 0 ? configured : API_LIMITS.requestsPerWindow;
  return { ...API_LIMITS, requestsPerWindow };
}

/** Throws `rate_limited` (429) with a `Retry-After` header (seconds to the next window) when `breach` is set. */
export function throwIfLimited(c: Context, breach: ReturnType<typeof checkUsage>, retryAfterSeconds: number): void {
  if (!breach) return;
  // Headers set on the context survive into the error handler's response.
  c.header('retry-after', String(retryAfterSeconds));
  throw new ApiError('rate_limited', breach.message, { limit: breach.limit, retryAfterSeconds });
}

/**
 * Requires an enterprise API key (`Authorization: Bearer txk_…`) and counts the request against
 * the key's per-minute limit, in one round trip; sets `c.var.apiClient`. Throws `unauthorized`
 * (401) for a missing, unknown or revoked key, and `rate_limited` (429, `Retry-After`) past the
 * request limit. The code limit is checked by the route, once it knows how many codes it got.
 */
export const requireApiClient = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization') ?? '';
  const key = /^bearer\s+/i.test(header) ? header.replace(/^bearer\s+/i, '').trim() : '';
  if (!key) throw new ApiError('unauthorized', 'API key required: send Authorization: Bearer <key>');
  if (!looksLikeApiKey(key)) throw new ApiError('unauthorized', 'Unknown or revoked API key');
  const now = new Date();
  const limits = limitsFor(c.env);
  const window = rateWindow(now, limits.windowMs);
  const client = await authenticateApiClient(c.var.db, await hashApiKey(key), now, window.start);
  if (!client) throw new ApiError('unauthorized', 'Unknown or revoked API key');
  c.set('apiClient', { ...client, retryAfterSeconds: window.retryAfterSeconds });
  throwIfLimited(c, checkUsage({ requests: client.requests, codesBefore: 0, codes: 0 }, limits), window.retryAfterSeconds);
  await next();
});
