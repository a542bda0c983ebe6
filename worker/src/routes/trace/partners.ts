/**
 * Trading partners: `GET /api/partners` (`?producerId=`), `POST /api/partners`,
 * `GET /api/partners/{id}`. Scoped like locations: officials any producer's partners, enterprise
 * users their own.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { findProducer } from '../../../../db/queries/catalog.ts';
import { createPartner, findPartner, listPartners, type Partner } from '../../../../db/queries/partners.ts';
import type { AppEnv } from '../../app-env.ts';
import { normalizeTaxCode } from '../../domain/catalog-fields.ts';
import { partyUri } from '../../domain/trace-ids.ts';
import { requireUser } from '../../http/auth.ts';
import { ApiError } from '../../http/errors.ts';
import { idField, idParams, requireJson, singleLine, validate } from '../../http/validate.ts';
import { actorOf, format, producerFilter } from '../catalog.ts';
import { communeCode, communeInProvince, gln, placeNames, provinceCode } from './fields.ts';
import { assertMayWriteFor, readScope } from './scope.ts';

/** Body of `POST /api/partners`. */
export const partnerBody = z
  .strictObject({
    producerId: idField,
    name: singleLine(200),
    taxCode: singleLine(14)
      .refine((v) => normalizeTaxCode(v) !== null, format('must be a Vietnamese tax code: 10 digits, or 13 written 0101234567-001'))
      .transform((v) => normalizeTaxCode(v)!)
      .optional(),
    gln: gln.optional(),
    address: singleLine(300).optional(),
    provinceCode: provinceCode.optional(),
    communeCode: communeCode.optional(),
    linkedProducerId: idField.optional(),
  })
  .refine((p) => !p.communeCode || p.provinceCode, { message: 'a commune needs its province', path: ['provinceCode'] })
  .refine(communeInProvince, { message: 'is not a commune of the province', path: ['communeCode'] });

const REFUSALS = {
  producer_not_found: ['unprocessable_entity', 'No such producer'],
  linked_producer_not_found: ['unprocessable_entity', 'linkedProducerId: no such producer'],
  linked_to_itself: ['unprocessable_entity', 'linkedProducerId: a producer is not its own partner'],
  duplicate_tax_code: ['conflict', 'The producer already has a partner with this tax code'],
  duplicate_gln: ['conflict', 'The producer already has a partner with this GLN'],
  duplicate_linked_producer: ['conflict', 'The producer already has this registered producer as a partner'],
} as const;

/** A partner as the API answers it: with its identifier in events and the place names. */
export function partnerAnswer(p: Partner & { linkedProducerName?: string | null }, publicBaseUrl: string) {
  return { ...p, identifier: partyUri({ kind: 'partner', id: p.id, gln: p.gln }, publicBaseUrl), ...placeNames(p) };
}

export const partnerRoutes = new Hono<AppEnv>()
  .use('*', requireUser())
  .get('/', validate('query', producerFilter), async (c) => {
    const items = await listPartners(c.var.db, readScope(c, c.req.valid('query').producerId));
    return c.json({ items: items.map((p) => partnerAnswer(p, c.env.PUBLIC_BASE_URL)) });
  })
  .post('/', requireJson, validate('json', partnerBody), async (c) => {
    const body = c.req.valid('json');
    await assertMayWriteFor(c, body.producerId);
    const created = await createPartner(c.var.db, body, actorOf(c));
    if (typeof created === 'string') {
      const [code, message] = REFUSALS[created];
      throw new ApiError(code, created === 'producer_not_found' ? `No producer ${body.producerId}` : message);
    }
    const linked = created.linkedProducerId ? await findProducer(c.var.db, created.linkedProducerId) : undefined;
    return c.json(partnerAnswer({ ...created, linkedProducerName: linked?.name ?? null }, c.env.PUBLIC_BASE_URL), 201);
  })
  .get('/:id', validate('param', idParams), async (c) => {
    const { id } = c.req.valid('param');
    const found = await findPartner(c.var.db, id, readScope(c));
    if (!found) throw new ApiError('not_found', `No partner ${id}`);
    const linked = found.linkedProducerId ? await findProducer(c.var.db, found.linkedProducerId) : undefined;
    return c.json(partnerAnswer({ ...found, linkedProducerName: linked?.name ?? null }, c.env.PUBLIC_BASE_URL));
  });
