import { Hono } from 'hono';
import { listAuditLog } from '../../../db/queries/audit.ts';
import type { AppEnv } from '../app-env.ts';
import { requireUser } from '../http/auth.ts';

/** `GET /api/audit-log` (officials): the newest audit rows. */
export const auditRoutes = new Hono<AppEnv>().get('/', requireUser('admin', 'official'), async (c) => {
  return c.json({ items: await listAuditLog(c.var.db) });
});
