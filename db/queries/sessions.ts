/** Login sessions behind the session JWTs. */
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { sessions, users, type UserRole } from '../schema.ts';

/** Opens a session row for `userId` until `expiresAt` (unix ms). */
export async function openSession(db: Db, s: { id: string; userId: number; expiresAt: number }): Promise<void> {
  await db.insert(sessions).values({ id: s.id, userId: s.userId, expiresAt: new Date(s.expiresAt) });
}

/**
 * The user behind a live session (not revoked, not expired at `now`, unix ms; user not disabled),
 * as stored now; or undefined.
 */
export async function findLiveSession(
  db: Db,
  id: string,
  now: number,
): Promise<{ userId: number; email: string; name: string; role: UserRole; producerId: number | null } | undefined> {
  const [row] = await db
    .select({ userId: users.id, email: users.email, name: users.name, role: users.role, producerId: users.producerId })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt), gt(sessions.expiresAt, new Date(now)), isNull(users.disabledAt)));
  return row;
}

/** Revokes a session (logout) at `now` (unix ms); revoking twice changes nothing. */
export async function revokeSession(db: Db, id: string, now: number): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: new Date(now) })
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
}
