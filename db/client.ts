import { createClient, type Client } from '@libsql/client/web';
import { drizzle } from 'drizzle-orm/libsql/web';
import * as schema from './schema.ts';

/** How TypeScript keys map to SQL names: `expiresAt` is the column `expires_at`. */
export const CASING = 'snake_case';

/**
 * Opens the database over the libSQL remote protocol (HTTP) with `@libsql/client/web`: Turso in
 * production, `db/server` on loopback in development and tests. The Worker and Node scripts share it.
 *
 * @param url `libsql://…`, `https://…` or `http://127.0.0.1:…`
 * @param authToken Turso token, if the server wants one
 * @returns a drizzle handle (snake_case columns) with the raw client at `db.$client`
 */
export function createDb(url: string, authToken?: string) {
  const client: Client = createClient({ url, authToken, intMode: 'number' });
  return drizzle(client, { schema, casing: CASING });
}

/** The drizzle handle every query function takes as its first argument. */
export type Db = ReturnType<typeof createDb>;
