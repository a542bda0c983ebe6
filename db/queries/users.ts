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
