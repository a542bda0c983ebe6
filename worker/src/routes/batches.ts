import { Hono } from 'hono';
import { z } from 'zod';
import { createBatch, findBatch, findProduct, listBatches } from '../../../db/queries/catalog.ts';
import { recallBatch, recallBatchWithDerived } from '../../../db/queries/lifecycle.ts';
import { listDerivedBatches } from '../../../db/queries/trace-events.ts';
import { isLotCode, MAX_LOT_CODE_LENGTH } from '../domain/catalog-fields.ts';
import { addDays, vietnamToday } from '../domain/dates.ts';
import type { AppEnv } from '../app-env.ts';
import { isOfficial, requireUser } from '../http/auth.ts';
import { ApiError } from '../http/errors.ts';
import { idField, idParam, idParams, requireJson, singleLine, validate } from '../http/validate.ts';
import { actorOf, format, inOrder, isoDate, producerFilter, scopeFor } from './catalog.ts';

/** Body of `POST /api/batches`. */
export const batchBody = z
  .strictObject({
    productId: idField,
    lotCode: singleLine(MAX_LOT_CODE_LENGTH).refine(isLotCode, format('may hold only ASCII letters, digits and - . / _')),
    productionDate: isoDate.refine((d) => d <= vietnamToday(Date.now()), format('must not be in the future')),
    expiryDate: isoDate.optional(),
    quantity: z.number().int().min(1).max(10_000_000),
    unit: singleLine(20).default('gói'),
  })
  .refine((b) => inOrder(b.productionDate, b.expiryDate), { message: 'must not be before productionDate', path: ['expiryDate'] });

/** Body of `POST /api/batches/{id}/recall`. */
const recallBody = z.strictObject({ reason: singleLine(500), includeDerived: z.boolean().optional() });

/**
 * Batches (lots): list (`GET /api/batches`, any logged-in user, enterprise users their own
 * producer's), create (`POST /api/batches`, officials, and enterprise users for their own
 * products), and recall (`POST /api/batches/{id}/recall`, officials: every stamp of the batch then
 * answers `recalled`; with `includeDerived`, the batches made from it too, in one write). Writes are
 * audited.
 */
export const batchRoutes = new Hono<AppEnv>()
  .use('/', requireUser())
  .get('/', validate('query', producerFilter.extend({ productId: idParam.optional() })), async (c) => {
    const { producerId, productId } = c.req.valid('query');
    return c.json({ items: await listBatches(c.var.db, { ...scopeFor(c.var.user, producerId), productId }) });
  })
  .post('/', requireJson, validate('json', batchBody), async (c) => {
    const body = c.req.valid('json');
    const product = await findProduct(c.var.db, body.productId);
    if (!isOfficial(c.var.user) && product?.producerId !== c.var.user.producerId) {
      throw new ApiError('not_found', `No product ${body.productId}`);
    }
    if (!product) throw new ApiError('unprocessable_entity', `No product ${body.productId}`);
    // Without an expiry date, the product's shelf life gives one.
    const expiryDate = body.expiryDate ?? (product.shelfLifeDays ? addDays(body.productionDate, product.shelfLifeDays) : null);
    const created = await createBatch(c.var.db, { ...body, expiryDate }, actorOf(c));
    if (created === 'duplicate_lot') throw new ApiError('conflict', `The product already has a batch with lot code ${body.lotCode}`);
    if (created === 'product_not_found') throw new ApiError('unprocessable_entity', `No product ${body.productId}`);
    return c.json(created, 201);
  })
  .post('/:id/recall', requireUser('admin', 'official'), validate('param', idParams), requireJson, validate('json', recallBody), async (c) => {
    const { id } = c.req.valid('param');
    const batch = await findBatch(c.var.db, id);
    if (!batch) throw new ApiError('not_found', `No batch ${id}`);
    if (batch.recalledAt) throw new ApiError('conflict', 'The batch is already recalled');
    const { reason, includeDerived } = c.req.valid('json');
    if (includeDerived) {
      // The batches made from it (trace forward) are recalled in the same write.
      const derived = await listDerivedBatches(c.var.db, id);
      const recalled = await recallBatchWithDerived(c.var.db, id, derived.map((d) => d.batch.id), reason, actorOf(c));
      if (!recalled) throw new ApiError('conflict', 'The batch was recalled meanwhile');
      return c.json({ ...(await findBatch(c.var.db, id)), recalledBatchIds: recalled });
    }
    const done = await recallBatch(c.var.db, id, reason, actorOf(c));
    if (!done) throw new ApiError('conflict', 'The batch was recalled meanwhile');
    return c.json({ ...(await findBatch(c.var.db, id)) });
  });
