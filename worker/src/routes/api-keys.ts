import { Hono } from 'hono';
import { z } from 'zod';
import { createApiClient, findApiClient, listApiClients, revokeApiClient } from '../../../db/queries/api-clients.ts';
import { findProducer } from '../../../db/queries/catalog.ts';
import { apiKeyPrefix, generateApiKey, hashApiKey } from '../domain/api-keys.ts';
import type { AppEnv } from '../app-env.ts';
import { isOfficial, requireUser } from '../http/auth.ts';
import { ApiError } from '../http/errors.ts';
import { idField, idParams, requireJson, singleLine, validate } from '../http/validate.ts';

/** Body of `POST /api/api-keys`. */
export const createApiKeySchema = z
  .strictObject({
    name: singleLine(100),
    producerId: idField.optional().meta({ description: "The company the key belongs to; officials may omit it (a province-wide key). Enterprise users' keys are always their own company's." }),
  });

/**
 * API keys of the enterprise verification API, managed by logged-in users: officials and admins
 * for any company (or province-wide), enterprise users for their own company only. The key is
 * returned once, by the create call; only its SHA-256 is stored.
 */
export const apiKeyRoutes = new Hono<AppEnv>()
  .use(requireUser())
  .get('/', async (c) => {
    const user = c.var.user;
    const items = await listApiClients(c.var.db, isOfficial(user) ? {} : { producerId: user.producerId ?? -1 });
    return c.json({ items });
  })
  .post('/', requireJson, validate('json', createApiKeySchema), async (c) => {
    const user = c.var.user;
    const body = c.req.valid('json');
    let producerId: number | null = body.producerId ?? null;
    if (!isOfficial(user)) {
      if (user.producerId === null) throw new ApiError('forbidden', 'Your account belongs to no company');
      if (producerId !== null && producerId !== user.producerId) {
        throw new ApiError('forbidden', 'You may create keys only for your own company');
      }
      producerId = user.producerId;
    } else if (producerId !== null && !(await findProducer(c.var.db, producerId))) {
      throw new ApiError('unprocessable_entity', `No producer ${producerId}`);
    }
    const key = generateApiKey();
    const client = await createApiClient(
      c.var.db,
      { name: body.name, producerId, keyHash: await hashApiKey(key), keyPrefix: apiKeyPrefix(key) },
      { userId: user.id, requestId: c.var.requestId },
    );
    c.header('cache-control', 'no-store');
    return c.json({ ...client, key }, 201);
  })
  .delete('/:id', validate('param', idParams), async (c) => {
    const user = c.var.user;
    const { id } = c.req.valid('param');
    const client = await findApiClient(c.var.db, id);
    // Another company's key is answered as if it did not exist.
    if (!client || (!isOfficial(user) && client.producerId !== user.producerId)) {
      throw new ApiError('not_found', `No API key ${id}`);
    }
    await revokeApiClient(c.var.db, id, new Date(), { userId: user.id, requestId: c.var.requestId });
    return c.body(null, 204);
  });
