/** Login sessions behind the session JWTs. */
import type { Db } from '../client.ts';
import type { UserRole } from '../schema.ts';

/** Opens a session row for `userId` until `expiresAt` (unix ms). */
export async function openSession(db: Db, s: { id: string; userId: number; expiresAt: number }): Promise<void> {
  await db.$client.execute({
    sql: 'insert into sessions (id, user_id, expires_at) values (?, ?, ?)',
    args: [s.id, s.userId, s.expiresAt],
  });
}

/** The user behind a live session (not revoked, not expired, user not disabled), as stored now; or null. */
export async function findLiveSession(
  db: Db,
  id: string,
  now: number,
): Promise<{ userId: number; email: string; name: string; role: UserRole; producerId: number | null } | null> {
  const result = await db.$client.execute({
    sql: `select u.id, u.email, u.name, u.role, u.producer_id
          from sessions s join users u on u.id = s.user_id
          where s.id = ? and s.revoked_at is null and s.expires_at > ? and u.disabled_at is null`,
    args: [id, now],
  });
  const row = result.rows[0];
  if (!row) return null;
  return {
    userId: Number(row.id),
    email: String(row.email),
    name: String(row.name),
    role: row.role as UserRole,
    producerId: row.producer_id == null ? null : Number(row.producer_id),
  };
}

/** Revokes a session (logout); revoking twice changes nothing. */
export async function revokeSession(db: Db, id: string, now: number): Promise<void> {
  await db.$client.execute({ sql: 'update sessions set revoked_at = ? where id = ? and revoked_at is null', args: [now, id] });
}
