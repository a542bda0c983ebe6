import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { jwtVerify, SignJWT } from 'jose';
import { findLiveSession } from '../../../db/queries/sessions.ts';
import type { UserRole } from '../../../db/schema.ts';
import type { AppEnv } from '../app-env.ts';
import { ApiError } from './errors.ts';
import type { SessionUser } from './identity.ts';

/** Name of the HttpOnly session cookie. */
export const SESSION_COOKIE = 'tx_session';
/** Session lifetime in seconds (12 hours: one working day). */
export const SESSION_TTL_SECONDS = 12 * 60 * 60;
const ISSUER = 'truyxuat';

function secretKey(secret: string): Uint8Array {
  if (!secret || secret.length < 32) throw new Error('SESSION_SECRET must be at least 32 characters');
  return new TextEncoder().encode(secret);
}

/**
 * Signs a session JWT (HS256, RFC 7519) for `user`, naming its session row `sessionId` as `jti`,
 * valid {@link SESSION_TTL_SECONDS}.
 */
export async function signSessionToken(user: SessionUser, sessionId: string, secret: string): Promise<string> {
  return new SignJWT({ email: user.email, name: user.name, role: user.role, producerId: user.producerId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setJti(sessionId)
    .setSubject(String(user.id))
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(`${SESSION_TTL_SECONDS}s`)
    .sign(secretKey(secret));
}

/** Verifies a session JWT's signature and expiry; returns its subject and session id, or null. */
export async function verifySessionToken(token: string, secret: string): Promise<{ userId: number; sessionId: string } | null> {
  try {
    const { payload } = await jwtVerify(token, secretKey(secret), { issuer: ISSUER, algorithms: ['HS256'] });
    const userId = Number(payload.sub);
    if (!Number.isSafeInteger(userId) || typeof payload.jti !== 'string') return null;
    return { userId, sessionId: payload.jti };
  } catch {
    return null;
  }
}

/**
 * The logged-in user of a request: a valid token whose session is live (not logged out, not
 * expired, user not disabled). Role and producer come from the database, so changes apply at once.
 */
export async function sessionUser(c: Context<AppEnv>): Promise<(SessionUser & { sessionId: string }) | null> {
  const token = tokenFrom(c);
  const claims = token ? await verifySessionToken(token, c.env.SESSION_SECRET) : null;
  if (!claims) return null;
  const live = await findLiveSession(c.var.db, claims.sessionId, Date.now());
  if (!live || live.userId !== claims.userId) return null;
  return { id: live.userId, email: live.email, name: live.name, role: live.role, producerId: live.producerId, sessionId: claims.sessionId };
}

function tokenFrom(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header?.toLowerCase().startsWith('bearer ')) return header.slice(7).trim();
  return getCookie(c, SESSION_COOKIE);
}

/**
 * Requires a valid session (Bearer token or session cookie) and, if given, one of `roles`;
 * sets `c.var.user`. Throws `unauthorized` (401) or `forbidden` (403).
 */
export function requireUser(...roles: UserRole[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const found = await sessionUser(c);
    if (!found) throw new ApiError('unauthorized', 'Login required');
    const { sessionId: _session, ...user } = found;
    if (roles.length > 0 && !roles.includes(user.role)) {
      throw new ApiError('forbidden', 'Your role may not do this');
    }
    c.set('user', user);
    await next();
  });
}

/** True for officials and admins, who see every producer's records. */
export function isOfficial(user: SessionUser): boolean {
  return user.role === 'admin' || user.role === 'official';
}

/** Throws `forbidden` unless `user` may act on records of `producerId`. */
export function assertProducerAccess(user: SessionUser, producerId: number): void {
  if (!isOfficial(user) && user.producerId !== producerId) {
    throw new ApiError('forbidden', 'This record belongs to another producer');
  }
}
