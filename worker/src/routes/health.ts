import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';

/**
 * `GET /healthz` (readiness): 200 `{ ok: true, db: "ok" }` when the database answers, 503 otherwise.
 * `GET /livez` (liveness): 200 `{ ok: true }` without touching anything; also the bench's bare route.
 */
export const healthRoutes = new Hono<AppEnv>()
  .get('/healthz', async (c) => {
    try {
      await c.var.db.$client.execute('select 1');
      return c.json({ ok: true, db: 'ok', time: new Date().toISOString() });
    } catch {
      return c.json({ ok: false, db: 'unreachable', time: new Date().toISOString() }, 503);
    }
  })
  .get('/livez', (c) => c.json({ ok: true }));
