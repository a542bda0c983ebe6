/**
 * Applies the drizzle-kit SQL migrations in db/migrations to the database at LIBSQL_URL (from Node,
 * never inside the Worker). Usage: `LIBSQL_URL=http://127.0.0.1:8080 npm run db:migrate`.
 */
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { createDb } from './client.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

/** Brings the database at `url` up to the newest migration; safe to run repeatedly. */
export async function migrateDatabase(url: string, authToken?: string): Promise<void> {
  const db = createDb(url, authToken);
  try {
    await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    db.$client.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const url = process.env.LIBSQL_URL;
  if (!url) {
    console.error('LIBSQL_URL is not set (e.g. http://127.0.0.1:8080 or libsql://<db>.turso.io)');
    process.exit(2);
  }
  await migrateDatabase(url, process.env.LIBSQL_AUTH_TOKEN);
  console.log(`migrated ${url}`);
}
