import { Hono } from 'hono';
import { z } from 'zod';
import { closeAlert, findAlert, listAlerts, scanTimeline } from '../../../db/queries/alerts.ts';
import { ALERT_STATUSES } from '../../../db/schema.ts';
import { ALERT_RULES } from '../domain/clone-rules.ts';
import type { AppEnv } from '../app-env.ts';
import { isOfficial, requireUser } from '../http/auth.ts';
import { ApiError } from '../http/errors.ts';
import { idParam, idParams, singleLine, requireJson, validate } from '../http/validate.ts';

const listQuery = z.object({
  rule: z.enum(ALERT_RULES).optional(),
  status: z.enum(ALERT_STATUSES).optional(),
  producerId: idParam.optional(),
  productId: idParam.optional(),
  region: singleLine(80).optional(),
  /** Paging, newest first: the last id of the previous page. */
  before: idParam.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
const closeBody = z.strictObject({ status: z.enum(['confirmed_counterfeit', 'false_positive']) });

/**
 * Clone alerts: officials list and filter them (`GET /api/alerts`), read one with the stamp's
 * scan timeline (`GET /api/alerts/{id}`) and close them (`PATCH /api/alerts/{id}`).
 * Enterprise users see their own producer's alerts, read-only.
 */
export const alertRoutes = new Hono<AppEnv>()
  .use(requireUser())
  .get('/', validate('query', listQuery), async (c) => {
    const filter = c.req.valid('query');
    const user = c.var.user;
    const producerId = isOfficial(user) ? filter.producerId : (user.producerId ?? -1);
    return c.json({ items: await listAlerts(c.var.db, { ...filter, producerId }) });
  })
  .get('/:id', validate('param', idParams), async (c) => {
    const alert = await findAlert(c.var.db, c.req.valid('param').id);
    const user = c.var.user;
    if (!alert || (!isOfficial(user) && alert.producerId !== user.producerId)) throw new ApiError('not_found', 'No such alert');
    const timeline = await scanTimeline(c.var.db, alert.serial);
    if (isOfficial(user)) return c.json({ ...alert, timeline });
    // A company sees which scans came from the same phone on this stamp, never the stored hash that
    // would link one consumer's scans across all its products.
    const pseudonyms = new Map<string, string>();
    const pseudonymize = (hash: string | null) => {
      if (hash === null) return null;
      if (!pseudonyms.has(hash)) pseudonyms.set(hash, String(pseudonyms.size + 1));
      return pseudonyms.get(hash)!;
    };
    return c.json({ ...alert, timeline: timeline.map((t) => ({ ...t, sessionHash: pseudonymize(t.sessionHash) })) });
  })
  .patch('/:id', requireUser('admin', 'official'), validate('param', idParams), requireJson, validate('json', closeBody), async (c) => {
    const alertId = c.req.valid('param').id;
    const { status } = c.req.valid('json');
    const alert = await findAlert(c.var.db, alertId);
    if (!alert) throw new ApiError('not_found', 'No such alert');
    if (alert.status !== 'open') throw new ApiError('conflict', `The alert is already closed as ${alert.status}`);
    const closed = await closeAlert(c.var.db, alertId, status, { userId: c.var.user.id, requestId: c.var.requestId });
    if (!closed) throw new ApiError('conflict', 'The alert was closed meanwhile');
    return c.json({ ...(await findAlert(c.var.db, alertId)) });
  });
