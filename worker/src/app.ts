import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { createDb, type Db } from '../../db/client.ts';
import type { AppEnv } from './env.ts';
import { ApiError, handleError } from './http/errors.ts';
import { activationRoutes } from './routes/activations.ts';
import { auditRoutes } from './routes/audit.ts';
import { authRoutes } from './routes/auth.ts';
import { catalogRoutes } from './routes/catalog.ts';
import { healthRoutes } from './routes/health.ts';
import { printRunRoutes } from './routes/print-runs.ts';
import { scanRoutes } from './routes/scan.ts';

/** Largest JSON body the API accepts, in bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

// One libSQL client per isolate and database URL: the web client is stateless HTTP, safe to share.
const dbCache = new Map<string, Db>();
function dbFor(url: string, token: string | undefined): Db {
  const key = `${url}\u0000${token ?? ''}`;
  let db = dbCache.get(key);
  if (!db) {
    db = createDb(url, token);
    dbCache.set(key, db);
  }
  return db;
}

/**
 * Builds the whole Worker app: middleware order, the one error handler, and every route. Used by
 * production (worker/src/index.ts) and by the tests alike.
 */
export function createApp() {
  const app = new Hono<AppEnv>();

  app.use(requestId({ headerName: 'x-request-id', limitLength: 64 }));
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        frameAncestors: ["'none'"],
      },
      crossOriginResourcePolicy: false,
    }),
  );
  app.use(async (c, next) => {
    c.set('db', dbFor(c.env.LIBSQL_URL, c.env.LIBSQL_AUTH_TOKEN));
    await next();
  });
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError('payload_too_large', `Request body is larger than ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );

  app.route('/', healthRoutes);
  app.route('/', scanRoutes);
  app.route('/api/auth', authRoutes);
  app.route('/api', catalogRoutes);
  app.route('/api/print-runs', printRunRoutes);
  app.route('/api/activations', activationRoutes);
  app.route('/api/audit-log', auditRoutes);

  app.all('/api/*', () => {
    throw new ApiError('not_found', 'No such API route');
  });
  // Everything else is the static admin site.
  app.all('*', async (c) => {
    if (c.env.ASSETS) return c.env.ASSETS.fetch(c.req.raw);
    throw new ApiError('not_found', 'Not found');
  });

  app.onError(handleError);
  app.notFound((c) => handleError(new ApiError('not_found', 'Not found'), c));
  return app;
}
