/**
 * Locations: `GET /api/locations` (`?producerId=`), `POST /api/locations`, `GET /api/locations/{id}`.
 * Officials manage any producer's, enterprise users their own (another's reads answer 404, writes
 * 404 and write nothing). Answers carry `identifier`, the URI events name the place by, and the
 * province and commune names.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { createLocation, findLocation, listLocations, type Location } from '../../../../db/queries/locations.ts';
import type { AppEnv } from '../../app-env.ts';
import { checkCoordinates, LOCATION_KINDS } from '../../domain/locations.ts';
import { locationUri } from '../../domain/trace-ids.ts';
import { requireUser } from '../../http/auth.ts';
import { ApiError } from '../../http/errors.ts';
import { idField, idParams, requireJson, singleLine, validate } from '../../http/validate.ts';
import { actorOf, producerFilter } from '../catalog.ts';
import { communeCode, communeInProvince, gln, placeNames, provinceCode } from './fields.ts';
import { assertMayWriteFor, readScope } from './scope.ts';

/** Body of `POST /api/locations`. */
export const locationBody = z
  .strictObject({
    producerId: idField,
    kind: z.enum(LOCATION_KINDS),
    name: singleLine(200),
    address: singleLine(300),
    provinceCode,
    communeCode,
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
    gln: gln.optional(),
  })
  .refine(communeInProvince, { message: 'is not a commune of the province', path: ['communeCode'] })
  .refine((l) => checkCoordinates(l.latitude, l.longitude) !== 'incomplete', { message: 'give both latitude and longitude, or neither', path: ['longitude'] });

/** A location as the API answers it. */
export function locationAnswer(l: Location, publicBaseUrl: string) {
  return { ...l, identifier: locationUri(l, publicBaseUrl), ...placeNames(l) };
}

export const locationRoutes = new Hono<AppEnv>()
  .use('*', requireUser())
  .get('/', validate('query', producerFilter), async (c) => {
    const items = await listLocations(c.var.db, readScope(c, c.req.valid('query').producerId));
    return c.json({ items: items.map((l) => locationAnswer(l, c.env.PUBLIC_BASE_URL)) });
  })
  .post('/', requireJson, validate('json', locationBody), async (c) => {
    const body = c.req.valid('json');
    await assertMayWriteFor(c, body.producerId);
    const created = await createLocation(c.var.db, body, actorOf(c));
    if (created === 'duplicate_gln') throw new ApiError('conflict', 'A location with this GLN is already registered');
    if (created === 'producer_not_found') throw new ApiError('unprocessable_entity', `No producer ${body.producerId}`);
    return c.json(locationAnswer(created, c.env.PUBLIC_BASE_URL), 201);
  })
  .get('/:id', validate('param', idParams), async (c) => {
    const { id } = c.req.valid('param');
    const found = await findLocation(c.var.db, id, readScope(c));
    if (!found) throw new ApiError('not_found', `No location ${id}`);
    return c.json(locationAnswer(found, c.env.PUBLIC_BASE_URL));
  });
