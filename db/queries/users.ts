/** User accounts. */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { loginFailures, users } from '../schema.ts';
import { bare, statement } from './sql.ts';

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
      statement(sql`insert into ${loginFailures} (${bare(loginFailures.email)}, ${bare(loginFailures.at)})
        select ${key}, ${at}
        where (select count(*) from ${loginFailures} where ${loginFailures.email} = ${key} and ${loginFailures.at} >= ${since}) < ${limit}
        returning ${loginFailures.id}`),
      statement(sql`select min(${loginFailures.at}) as oldest from ${loginFailures}
        where ${loginFailures.email} = ${key} and ${loginFailures.at} >= ${since}`),
    ],
    'write',
  );
  const row = inserted!.rows[0];
  const o = oldest!.rows[0]?.oldest;
  return { id: row ? Number(row.id) : null, oldestAt: o == null ? null : Number(o) };
}

/** Clears the reservation of a login attempt that succeeded. */
export async function clearLoginAttempt(db: Db, id: number): Promise<void> {
  await db.delete(loginFailures).where(eq(loginFailures.id, id));
}
