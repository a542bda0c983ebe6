import type { Db } from '../../db/client.ts';
import type { ApiClient } from './http/api-client.ts';
import type { SessionUser } from './http/auth.ts';

/** Worker bindings: vars and secrets from wrangler.toml / `.dev.vars` / Worker secrets, plus static assets. */
export type Bindings = {
  /** libSQL over HTTP: `libsql://…turso.io` in production, `http://127.0.0.1:…` locally. */
  LIBSQL_URL: string;
  LIBSQL_AUTH_TOKEN?: string;
  /** Stamp code and PIN keys, JSON (see domain/codes.ts `parseKeyring`). Secret. */
  STAMP_KEYS: string;
  /** Ed25519 keys that sign verification results, JSON (see domain/signing.ts `parseSigningKeys`). Secret. */
  SIGNING_KEYS: string;
  /** Requests per minute per API key on `POST /api/v1/verify`; default 60 (domain/api-keys.ts `API_LIMITS`). */
  VERIFY_RATE_LIMIT?: string;
  /** HMAC secret for session JWTs, at least 32 characters. Secret. */
  SESSION_SECRET: string;
  /** Salt for hashing scanner session ids (rotated monthly inside the hash). Secret, ≥ 16 characters. */
  SCAN_SALT: string;
  /** Origin printed on stamps, e.g. `https://truyxuat.quangninh.gov.vn`. */
  PUBLIC_BASE_URL: string;
  /** "1" only in local development and tests: trusts the `x-dev-place` header for scan places. */
  DEV_MODE?: string;
  ASSETS?: Fetcher;
};

/** Hono environment of the app: bindings plus per-request variables set by middleware. */
export type AppEnv = {
  Bindings: Bindings;
  Variables: {
    requestId: string;
    db: Db;
    user: SessionUser;
    /** Set by `requireApiClient` on the enterprise verification API. */
    apiClient: ApiClient;
  };
};
