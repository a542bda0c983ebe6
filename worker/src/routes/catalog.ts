import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import {
  createCertificate,
  createProducer,
  createProduct,
  findProducer,
  findProduct,
  listCertificates,
  listProducers,
  listProducts,
} from '../../../db/queries/catalog.ts';
import { CERTIFICATE_KINDS, PRODUCER_KINDS, PRODUCT_CATEGORIES } from '../../../db/schema.ts';
import { isImageUrl, normalizeTaxCode } from '../domain/catalog-fields.ts';
import { isIsoDate } from '../domain/dates.ts';
import { isValidGln, isValidGtin } from '../domain/gs1.ts';
import type { AppEnv } from '../app-env.ts';
import { isOfficial, requireUser } from '../http/auth.ts';
import type { SessionUser } from '../http/identity.ts';
import { ApiError } from '../http/errors.ts';
import { idField, idParam, multiLine, requireJson, singleLine, validate } from '../http/validate.ts';

/** Query of the lists: `?producerId=` (officials; enterprise users always see their own). */
export const producerFilter = z.object({ producerId: idParam.optional() });

/**
 * A format check on a text field, run only when the field passed its earlier checks (one message
 * per problem: an over-long lot code is not also told its characters are wrong); a failure stops
 * later checks.
 */
export const format = (message: string) => ({ message, abort: true, when: (p: { issues: readonly unknown[] }) => p.issues.length === 0 });

/** A calendar date `YYYY-MM-DD` that exists (2026-02-29 does not). */
export const isoDate = singleLine(10).refine(isIsoDate, format('must be a real date written YYYY-MM-DD'));
/** Both dates valid and `to` not before `from` (ISO dates compare as text). */
export const inOrder = (from: string, to: string | undefined) => !to || !isIsoDate(from) || !isIsoDate(to) || to >= from;

/** Body of `POST /api/producers`. */
export const producerBody = z.strictObject({
  kind: z.enum(PRODUCER_KINDS),
  name: singleLine(200),
  taxCode: singleLine(14)
    .refine((v) => normalizeTaxCode(v) !== null, format('must be a Vietnamese tax code: 10 digits, or 13 written 0101234567-001'))
    .transform((v) => normalizeTaxCode(v)!),
  address: singleLine(300),
  province: singleLine(60),
  district: singleLine(60).optional(),
  gln: singleLine(13).refine(isValidGln, format('must be a 13-digit GLN with a correct GS1 check digit')).optional(),
  phone: singleLine(20)
    .refine((v) => /^\+?[\d() .-]{6,20}$/.test(v), format('may hold only digits, spaces and + ( ) . -'))
    .optional(),
  distributionArea: z
    .array(singleLine(60).refine((v) => !v.includes(','), format('must not contain a comma')))
    .min(1)
    .max(63)
    .transform((names) => [...new Set(names)].join(','))
    .optional(),
});

/** Body of `POST /api/products`. */
export const productBody = z.strictObject({
  producerId: idField,
  name: singleLine(200),
  gtin: singleLine(14).refine(isValidGtin, format('must be a GTIN-8, -12, -13 or -14 with a correct GS1 check digit')),
  category: z.enum(PRODUCT_CATEGORIES),
  ocopStars: z.number().int().min(1).max(5).optional(),
  imageUrl: singleLine(500).refine(isImageUrl, format('must be a path on this site (/images/…) or an https URL')).optional(),
  description: multiLine(2000).optional(),
  shelfLifeDays: z.number().int().min(1).max(3650).optional(),
  standards: singleLine(500).optional(),
});

/** Body of `POST /api/certificates`. */
export const certificateBody = z
  .strictObject({
    producerId: idField,
    productId: idField.optional(),
    kind: z.enum(CERTIFICATE_KINDS),
    number: singleLine(100),
    issuer: singleLine(200),
    validFrom: isoDate,
    validTo: isoDate.optional(),
  })
  .refine((c) => inOrder(c.validFrom, c.validTo), { message: 'must not be before validFrom', path: ['validTo'] });

/** The producer filter a user's list may use: enterprise users see their own producer only, whatever they ask for. */
export function scopeFor(user: SessionUser, requested?: number): { producerId?: number } {
  if (isOfficial(user)) return { producerId: requested };
  return { producerId: user.producerId ?? -1 };
}

/** Who makes a change in this request, for the audit log. */
export const actorOf = (c: Context<AppEnv>) => ({ userId: c.var.user.id, requestId: c.var.requestId });

/**
 * Throws unless the user may add records for `producerId`: officials for any registered producer
 * (an unknown one is `unprocessable_entity`), enterprise users for their own only (another, or an
 * unknown one, is `not_found`: they learn nothing about other producers).
 */
async function assertMayWriteFor(c: Context<AppEnv>, producerId: number): Promise<void> {
  if (!isOfficial(c.var.user)) {
    if (c.var.user.producerId !== producerId) throw new ApiError('not_found', `No producer ${producerId}`);
  } else if (!(await findProducer(c.var.db, producerId))) {
    throw new ApiError('unprocessable_entity', `No producer ${producerId}`);
  }
}

/**
 * Master data: lists (`GET /api/producers`, `/api/products`, `/api/certificates`) and registration
 * (`POST` on the same paths), each write audited. Batches have their own router (batches.ts).
 */
export const catalogRoutes = new Hono<AppEnv>()
  .use('/producers', requireUser())
  .use('/products', requireUser())
  .use('/certificates', requireUser())
  .get('/producers', async (c) => {
    const items = await listProducers(c.var.db, scopeFor(c.var.user));
    return c.json({ items });
  })
  .post('/producers', requireUser('admin', 'official'), requireJson, validate('json', producerBody), async (c) => {
    const created = await createProducer(c.var.db, c.req.valid('json'), actorOf(c));
    if (created === 'duplicate_tax_code') throw new ApiError('conflict', 'A producer with this tax code is already registered');
    if (created === 'duplicate_gln') throw new ApiError('conflict', 'A producer with this GLN is already registered');
    return c.json(created, 201);
  })
  .get('/products', validate('query', producerFilter), async (c) => {
    const { producerId } = c.req.valid('query');
    return c.json({ items: await listProducts(c.var.db, scopeFor(c.var.user, producerId)) });
  })
  .post('/products', requireJson, validate('json', productBody), async (c) => {
    const body = c.req.valid('json');
    await assertMayWriteFor(c, body.producerId);
    const created = await createProduct(c.var.db, body, actorOf(c));
    if (created === 'duplicate_gtin') throw new ApiError('conflict', 'A product with this GTIN is already registered');
    return c.json(created, 201);
  })
  .get('/certificates', validate('query', producerFilter), async (c) => {
    const { producerId } = c.req.valid('query');
    return c.json({ items: await listCertificates(c.var.db, scopeFor(c.var.user, producerId)) });
  })
  .post('/certificates', requireUser('admin', 'official'), requireJson, validate('json', certificateBody), async (c) => {
    const body = c.req.valid('json');
    await assertMayWriteFor(c, body.producerId);
    if (body.productId !== undefined && (await findProduct(c.var.db, body.productId))?.producerId !== body.producerId) {
      throw new ApiError('unprocessable_entity', `Product ${body.productId} is not a product of producer ${body.producerId}`);
    }
    const created = await createCertificate(c.var.db, body, actorOf(c));
    if (created === 'duplicate_certificate') {
      throw new ApiError('conflict', `The producer already has a ${body.kind} certificate numbered ${body.number}`);
    }
    return c.json(created, 201);
  });
