import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { createDb } from '../../db/client.ts';
import type { AppEnv } from './app-env.ts';
import { ApiError, handleError } from './http/errors.ts';
import { activationRoutes } from './routes/activations.ts';
import { alertRoutes } from './routes/alerts.ts';
import { apiKeyRoutes } from './routes/api-keys.ts';
import { auditRoutes } from './routes/audit.ts';
import { authRoutes } from './routes/auth.ts';
import { batchRoutes } from './routes/batches.ts';
import { catalogRoutes } from './routes/catalog.ts';
import { healthRoutes } from './routes/health.ts';
import { jwksRoutes } from './routes/jwks.ts';
import { openApiRoutes } from './routes/openapi.ts';
import { printRunRoutes } from './routes/print-runs.ts';
import { scanRoutes } from './routes/scan/index.ts';
import { batchTraceRoutes, locationRoutes, partnerRoutes, traceApiRoutes, traceEventRoutes } from './routes/trace/index.ts';
import { verifyRoutes } from './routes/verify.ts';
import { voidRoutes } from './routes/voids.ts';

/** Largest JSON body the API accepts, in bytes. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Routes with their own, larger body limit (see the route). */
const OWN_BODY_LIMIT = new Set(['/api/v1/verify']);

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
        // Product images may live on producers' own https sites.
        imgSrc: ["'self'", 'data:', 'https:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        // No inline scripts anywhere (the admin site loads module files), so injected markup cannot run.
        scriptSrc: ["'self'"],
        frameAncestors: ["'none'"],
      },
      crossOriginResourcePolicy: false,
    }),
  );
  app.use(async (c, next) => {
    // One client per request: a client shared across requests would share its in-flight limiter
    // and I/O between request contexts, which workerd refuses. Creating one makes no network call.
    c.set('db', createDb(c.env.LIBSQL_URL, c.env.LIBSQL_AUTH_TOKEN));
    await next();
  });
  // API answers are private and current: never cached unless a route says otherwise.
  app.use('/api/*', async (c, next) => {
    await next();
    if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
  });
  const apiBodyLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError('payload_too_large', `Request body is larger than ${MAX_BODY_BYTES} bytes`);
    },
  });
  app.use('/api/*', (c, next) => (OWN_BODY_LIMIT.has(c.req.path) ? next() : apiBodyLimit(c, next)));

  app.route('/', healthRoutes);
  app.route('/', scanRoutes);
  app.route('/api/auth', authRoutes);
  app.route('/api', catalogRoutes);
  app.route('/api/batches', batchRoutes);
  app.route('/api/batches', batchTraceRoutes);
  app.route('/api/locations', locationRoutes);
  app.route('/api/partners', partnerRoutes);
  app.route('/api/trace-events', traceEventRoutes);
  app.route('/api', traceApiRoutes);
  app.route('/api/print-runs', printRunRoutes);
  app.route('/api/activations', activationRoutes);
  app.route('/api/audit-log', auditRoutes);
  app.route('/api/api-keys', apiKeyRoutes);
  app.route('/api/v1/openapi.json', openApiRoutes);
  app.route('/api/v1', verifyRoutes);
  app.route('/', jwksRoutes);
  app.route('/api/alerts', alertRoutes);
  app.route('/api/voids', voidRoutes);

  app.all('/api/*', () => {
    throw new ApiError('not_found', 'No such API route');
  });
  // Everything else is the static admin site.
  app.all('*', async (c) => {
    if (c.env.ASSETS) {
      // A fresh Response: the assets binding's headers are immutable, and middleware adds security headers.
      const asset = await c.env.ASSETS.fetch(c.req.raw);
      return new Response(asset.body, asset);
    }
    throw new ApiError('not_found', 'Not found');
  });

  app.onError(handleError);
  app.notFound((c) => handleError(new ApiError('not_found', 'Not found'), c));
  return app;
}
