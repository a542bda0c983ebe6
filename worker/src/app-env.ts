import type { Db } from '../../db/client.ts';
import type { Bindings } from './env.ts';
import type { ApiClient, SessionUser } from './http/identity.ts';

/**
 * Hono environment of the app: the bindings plus the per-request variables set by middleware.
 * Imports types only, from modules that never import this one.
 */
export type AppEnv = {
  Bindings: Bindings;
  Variables: {
    requestId: string;
    db: Db;
    /** Set by `requireUser` (http/auth.ts). */
    user: SessionUser;
    /** Set by `requireApiClient` (http/api-client.ts) on the enterprise verification API. */
    apiClient: ApiClient;
  };
};
