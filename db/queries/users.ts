/** User accounts. */
import { eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { users } from '../schema.ts';

/** Finds an enabled or disabled user by e-mail (case-insensitive, stored lower case). */
export async function findUserByEmail(db: Db, email: string) {
  return db.query.users.findFirst({ where: eq(users.email, email.trim().toLowerCase()) });
}

/**
 * Reserves a login attempt for `email`: records it as a failure up front, if fewer than `limit`
 * failures since `since` (unix ms) are on record, in one statement, so parallel guesses cannot pass
 * the limit. A successful login then clears its reservation ({@link clearLoginAttempt}).
 * @returns the reservation id, or null (with the oldest failure's time) when the limit is reached
 */
export async function reserveLoginAttempt(
  db: Db,
  email: string,
  at: number,
  since: number,
  limit: number,
): Promise<{ id: number | null; oldestAt: number | null }> {
  const key = email.trim().toLowerCase().slice(0, 254);
  const [inserted, oldest] = await db.$client.batch(
    [
      {
        sql: `insert into login_failures (email, at)
              select ?1, ?2 where (select count(*) from login_failures where email = ?1 and at >= ?3) < ?4
              returning id`,
        args: [key, at, since, limit],
      },
      { sql: 'select min(at) as oldest from login_failures where email = ? and at >= ?', args: [key, since] },
    ],
    'write',
  );
  const row = inserted!.rows[0];
  const o = oldest!.rows[0]?.oldest;
  return { id: row ? Number(row.id) : null, oldestAt: o == null ? null : Number(o) };
}

/** Clears the reservation of a login attempt that succeeded. */
export async function clearLoginAttempt(db: Db, id: number): Promise<void> {
  await db.$client.execute({ sql: 'delete from login_failures where id = ?', args: [id] });
}
