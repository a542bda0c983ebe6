/**
 * Who calls the EPCIS interface: an API key (`Authorization: Bearer txk_…`) or a session of an
 * official, admin or enterprise user. Sets `c.var.epcisCaller` with the producer it is bound to
 * (null = province-wide key or official: any valid event, every event).
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { buildEpcisProblem, PROBLEM_MEDIA_TYPE, type EpcisProblem } from '../../domain/epcis/problem.ts';
import { CBV_VERSION, EPCIS_VERSION } from '../../domain/epcis/exchange.ts';
import { looksLikeApiKey } from '../../domain/api-keys.ts';
import type { AppEnv } from '../../app-env.ts';
import { requireApiClient } from '../../http/api-client.ts';
import { requireUser } from '../../http/auth.ts';

/** The caller of an EPCIS request. */
export type EpcisCaller = { producerId: number | null; apiClientId: number | null; userId: number | null };

/** The Hono environment of the EPCIS routes. */
export type EpcisEnv = AppEnv & { Variables: AppEnv['Variables'] & { epcisCaller: EpcisCaller } };

const sessionOfAnyRole = requireUser('admin', 'official', 'enterprise');

/** Requires an API key or a session; sets `c.var.epcisCaller`. 401 / 403 / 429 as those middlewares do. */
export const requireEpcisCaller = createMiddleware<EpcisEnv>(async (c, next) => {
  const header = c.req.header('authorization') ?? '';
  const bearer = /^bearer\s+/i.test(header) ? header.replace(/^bearer\s+/i, '').trim() : '';
  if (looksLikeApiKey(bearer)) {
    // The shared middlewares are typed for AppEnv; EpcisEnv only adds a variable they do not touch.
    await requireApiClient(c as unknown as Context<AppEnv>, async () => {
      const k = c.var.apiClient;
      c.set('epcisCaller', { producerId: k.producerId, apiClientId: k.id, userId: null });
      await next();
    });
    return;
  }
  await sessionOfAnyRole(c as unknown as Context<AppEnv>, async () => {
    const u = c.var.user;
    c.set('epcisCaller', { producerId: u.role === 'enterprise' ? u.producerId ?? -1 : null, apiClientId: null, userId: u.id });
    await next();
  });
});

/** The binding's version headers, on every EPCIS answer. */
export function setVersionHeaders(c: Context): void {
  c.header('GS1-EPCIS-Version', EPCIS_VERSION);
  c.header('GS1-CBV-Version', CBV_VERSION);
}

/** An RFC 7807 answer of the binding (`application/problem+json`). */
export function problem(c: Context, body: EpcisProblem): Response {
  setVersionHeaders(c);
  return c.body(JSON.stringify(body), body.status as 400, { 'content-type': PROBLEM_MEDIA_TYPE });
}

/** A `QueryParameterException` (400) naming the faults. */
export function queryProblem(c: Context, errors: string[]): Response {
  return problem(c, { ...buildEpcisProblem('epcisException:QueryParameterException', 400, 'The query is not valid', errors.join('; ')) });
}
