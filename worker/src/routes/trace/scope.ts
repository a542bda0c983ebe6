/**
 * Scope checks shared by the traceability routes: which batch, location, partner or producer a
 * user may read or write. Enterprise users reach their own producer's records only; another
 * producer's answer `not_found` (they learn nothing about it); officials reach any.
 */
import type { Context } from 'hono';
import { findBatch, findProducer } from '../../../../db/queries/catalog.ts';
import type { AppEnv } from '../../app-env.ts';
import { isOfficial } from '../../http/auth.ts';
import { ApiError } from '../../http/errors.ts';

/**
 * The batch `id` if the user may see it, else throws `not_found` (unknown, or another producer's
 * for an enterprise user).
 */
export async function batchInScope(c: Context<AppEnv>, id: number) {
  const batch = await findBatch(c.var.db, id);
  if (!batch || (!isOfficial(c.var.user) && batch.producerId !== c.var.user.producerId)) throw new ApiError('not_found', `No batch ${id}`);
  return batch;
}

/**
 * Throws unless the user may add records for `producerId`: officials for any registered producer
 * (an unknown one is `unprocessable_entity`), enterprise users for their own only (another is
 * `not_found`).
 */
export async function assertMayWriteFor(c: Context<AppEnv>, producerId: number): Promise<void> {
  if (!isOfficial(c.var.user)) {
    if (c.var.user.producerId !== producerId) throw new ApiError('not_found', `No producer ${producerId}`);
  } else if (!(await findProducer(c.var.db, producerId))) {
    throw new ApiError('unprocessable_entity', `No producer ${producerId}`);
  }
}

/** The producer filter for reads: officials any (or all), enterprise users their own. */
export function readScope(c: Context<AppEnv>, requested?: number): { producerId?: number } {
  return isOfficial(c.var.user) ? { producerId: requested } : { producerId: c.var.user.producerId ?? -1 };
}
