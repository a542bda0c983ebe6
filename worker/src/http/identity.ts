/**
 * Who is calling: a logged-in user (session cookie or Bearer session token) or an enterprise API
 * key. Types only, imported by the middleware that sets them (http/auth.ts, http/api-client.ts)
 * and by the app's Hono environment (app-env.ts); this module imports nothing that imports it back.
 */
import type { AuthenticatedClient } from '../../../db/queries/api-clients.ts';
import type { UserRole } from '../../../db/schema.ts';

/** The logged-in user as carried by the session JWT. */
export type SessionUser = {
  id: number;
  email: string;
  name: string;
  role: UserRole;
  /** Set for enterprise users: the one producer whose records they may see and change. */
  producerId: number | null;
};

/** The API client of a request, as set by `requireApiClient` (http/api-client.ts). */
export type ApiClient = AuthenticatedClient & { retryAfterSeconds: number };
