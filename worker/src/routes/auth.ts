import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { openSession, revokeSession } from '../../../db/queries/sessions.ts';
import { clearLoginAttempt, findUserByEmail, reserveLoginAttempt } from '../../../db/queries/users.ts';
import { verifyPassword } from '../domain/password.ts';
import type { AppEnv } from '../app-env.ts';
import { requireUser, SESSION_COOKIE, SESSION_TTL_SECONDS, sessionUser, signSessionToken } from '../http/auth.ts';
import type { SessionUser } from '../http/identity.ts';
import { ApiError } from '../http/errors.ts';
import { requireJson, validate } from '../http/validate.ts';

const loginBody = z.object({
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(1024),
});

/** Wrong passwords allowed per account in a sliding window before logins are refused (429). */
export const LOGIN_LIMITS = { failures: 10, windowMs: 15 * 60 * 1000 } as const;

// Verified against when the e-mail is unknown, so both failures take the same time.
const DUMMY_HASH = 'pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/** Login, logout and the current user. */
export const authRoutes = new Hono<AppEnv>()
  .post('/login', requireJson, validate('json', loginBody), async (c) => {
    const { email, password } = c.req.valid('json');
    const now = Date.now();
    // Every attempt counts as a failure until it succeeds: parallel guesses cannot pass the limit.
    const attempt = await reserveLoginAttempt(c.var.db, email, now, now - LOGIN_LIMITS.windowMs, LOGIN_LIMITS.failures);
    if (attempt.id === null) {
      const retryAfter = Math.max(1, Math.ceil(((attempt.oldestAt ?? now) + LOGIN_LIMITS.windowMs - now) / 1000));
      c.header('retry-after', String(retryAfter));
      throw new ApiError('rate_limited', 'Too many wrong passwords for this account; try again later');
    }
    const row = await findUserByEmail(c.var.db, email);
    const passwordOk = await verifyPassword(password, row?.passwordHash ?? DUMMY_HASH);
    if (!row || !passwordOk || row.disabledAt) throw new ApiError('unauthorized', 'Wrong e-mail or password');
    await clearLoginAttempt(c.var.db, attempt.id);
    const user: SessionUser = { id: row.id, email: row.email, name: row.name, role: row.role, producerId: row.producerId };
    const sessionId = crypto.randomUUID();
    await openSession(c.var.db, { id: sessionId, userId: row.id, expiresAt: now + SESSION_TTL_SECONDS * 1000 });
    const token = await signSessionToken(user, sessionId, c.env.SESSION_SECRET);
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
      path: '/',
      maxAge: SESSION_TTL_SECONDS,
    });
    return c.json({ token, user });
  })
  .post('/logout', async (c) => {
    // The token stops working here, not only the cookie in this browser.
    const current = await sessionUser(c);
    if (current) await revokeSession(c.var.db, current.sessionId, Date.now());
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true });
    return c.body(null, 204);
  })
  .get('/me', requireUser(), (c) => c.json({ user: c.var.user }));
