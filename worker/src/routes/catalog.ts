import { Hono } from 'hono';
import { z } from 'zod';
import { listBatches, listCertificates, listProducers, listProducts } from '../../../db/queries/catalog.ts';
import type { AppEnv } from '../env.ts';
import { isOfficial, requireUser, type SessionUser } from '../http/auth.ts';
import { validate } from '../http/validate.ts';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const producerFilter = z.object({ producerId: id.optional() });

// Enterprise users see their own producer only, whatever they ask for.
function scopeFor(user: SessionUser, requested?: number): { producerId?: number } {
  if (isOfficial(user)) return { producerId: requested };
  return { producerId: user.producerId ?? -1 };
}

/** Master data lists: `GET /api/producers`, `/api/products`, `/api/batches`, `/api/certificates`. */
export const catalogRoutes = new Hono<AppEnv>()
  .use('/producers', requireUser())
  .use('/products', requireUser())
  .use('/batches', requireUser())
  .use('/certificates', requireUser())
  .get('/producers', async (c) => {
    const items = await listProducers(c.var.db, scopeFor(c.var.user));
    return c.json({ items });
  })
  .get('/products', validate('query', producerFilter), async (c) => {
    const { producerId } = c.req.valid('query');
    return c.json({ items: await listProducts(c.var.db, scopeFor(c.var.user, producerId)) });
  })
  .get('/batches', validate('query', producerFilter.extend({ productId: id.optional() })), async (c) => {
    const { producerId, productId } = c.req.valid('query');
    return c.json({ items: await listBatches(c.var.db, { ...scopeFor(c.var.user, producerId), productId }) });
  })
  .get('/certificates', validate('query', producerFilter), async (c) => {
    const { producerId } = c.req.valid('query');
    return c.json({ items: await listCertificates(c.var.db, scopeFor(c.var.user, producerId)) });
  });
