import { defineConfig } from 'drizzle-kit';

/** drizzle-kit generates SQL migrations from db/schema.ts into db/migrations (applied by db/migrate.ts). */
export default defineConfig({
  dialect: 'turso',
  schema: './db/schema.ts',
  out: './db/migrations',
  casing: 'snake_case',
});
