import { Hono } from 'hono';
import { JWKS_MAX_AGE_SECONDS, parseSigningKeys, publicJwks } from '../domain/signing.ts';
import type { AppEnv } from '../app-env.ts';

/**
 * `GET /.well-known/jwks.json`: the public keys (RFC 7517 JWK Set) that verify signed verification
 * results: every key listed in `SIGNING_KEYS`, including retired ones still inside the validity
 * window and announced future ones. Cacheable for {@link JWKS_MAX_AGE_SECONDS}.
 */
export const jwksRoutes = new Hono<AppEnv>().get('/.well-known/jwks.json', (c) => {
  const jwks = publicJwks(parseSigningKeys(c.env.SIGNING_KEYS));
  return c.json(jwks, 200, {
    'cache-control': `public, max-age=${JWKS_MAX_AGE_SECONDS}`,
    'access-control-allow-origin': '*',
  });
});
