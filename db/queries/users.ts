/** User accounts. */
import { eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { users } from '../schema.ts';

/** Finds an enabled or disabled user by e-mail (case-insensitive, stored lower case). */
export async function findUserByEmail(db: Db, email: string) {
  return db.query.users.findFirst({ where: eq(users.email, email.trim().toLowerCase()) });
}

/** Finds a user by id. */
export async function findUser(db: Db, id: number) {
  return db.query.users.findFirst({ where: eq(users.id, id) });
}

/** Failed logins of `email` since `since` (unix ms), and the oldest of them. */
export async function countLoginFailures(db: Db, email: string, since: number): Promise<{ failures: number; oldestAt: number | null }> {
  const result = await db.$client.execute({
    sql: 'select count(*) as n, min(at) as oldest from login_failures where email = ? and at >= ?',
    args: [email.trim().toLowerCase(), since],
  });
  const row = result.rows[0]!;
  return { failures: Number(row.n), oldestAt: row.oldest == null ? null : Number(row.oldest) };
}

/** Records a failed login of `email`. */
export async function recordLoginFailure(db: Db, email: string, at: number): Promise<void> {
  await db.$client.execute({ sql: 'insert into login_failures (email, at) values (?, ?)', args: [email.trim().toLowerCase().slice(0, 254), at] });
}
