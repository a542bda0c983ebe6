/**
 * Trace events of a batch: `POST /api/batches/{id}/events` records a stage, `GET` lists them
 * (oldest first, with error declarations); `POST /api/trace-events/{eventId}/error-declaration`
 * declares one erroneous.
 *
 * Recording: the request names the stage and the registry's rows (location, partner, input
 * batches, certificate); the domain builds the EPCIS 2.0 event (trace-record.ts), its identity is
 * its EPCIS event hash ID, it must pass GS1's EPCIS 2.0 JSON Schema and business rules, and it is
 * stored with its lot links and audit row in one write (db/queries/trace-events.ts).
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { findBatch, findCertificate, findProduct } from '../../../../db/queries/catalog.ts';
import { findLocation } from '../../../../db/queries/locations.ts';
import { findPartner } from '../../../../db/queries/partners.ts';
import { declareError, findTraceEvent, listBatchEvents, recordTraceEvent } from '../../../../db/queries/trace-events.ts';
import { producers, traceEvents } from '../../../../db/schema.ts';
import type { AppEnv } from '../../app-env.ts';
import { computeEventHashId, validateEpcisDocument, type Json } from '../../domain/epcis/index.ts';
import { buildEpcisEvent, MAX_INPUTS, validateStage, type LotInput, type StageInput } from '../../domain/trace-record.ts';
import { STAGE_KINDS } from '../../domain/trace-stages.ts';
import type { TraceEventRow } from '../../domain/trace-events.ts';
import { isOfficial, requireUser } from '../../http/auth.ts';
import { ApiError } from '../../http/errors.ts';
import { idField, idParams, multiLine, requireJson, singleLine, validate } from '../../http/validate.ts';
import { actorOf } from '../catalog.ts';
import { batchInScope } from './scope.ts';

const quantity = z.number().finite();
const unit = singleLine(3);

/** One input lot of a processing stage: a registered batch, or a GTIN and lot code. */
const inputBody = z
  .strictObject({
    batchId: idField.optional(),
    gtin: singleLine(14).optional(),
    lotCode: singleLine(20).optional(),
    quantity,
    unit,
  })
  .refine((i) => (i.batchId !== undefined) !== (i.gtin !== undefined || i.lotCode !== undefined), { message: 'name either batchId or gtin and lotCode' })
  .refine((i) => i.batchId !== undefined || (i.gtin !== undefined && i.lotCode !== undefined), { message: 'gtin and lotCode go together' });

/** Body of `POST /api/batches/{id}/events`. */
export const eventBody = z
  .strictObject({
    stage: z.enum(STAGE_KINDS),
    eventTime: singleLine(40),
    locationId: idField,
    quantity: quantity.optional(),
    unit: unit.optional(),
    partnerId: idField.optional(),
    inputs: z.array(inputBody).max(MAX_INPUTS).optional(),
    certificateId: idField.optional(),
    /** Inspection only: `conformant` (passed, the default) or `non_conformant`. */
    disposition: z.enum(['conformant', 'non_conformant']).optional(),
    harvest: z
      .strictObject({
        startDate: singleLine(10).optional(),
        endDate: singleLine(10).optional(),
        catchArea: singleLine(20).optional(),
        areaHectares: z.number().finite().optional(),
      })
      .optional(),
    expiryDate: singleLine(10).optional(),
    note: multiLine(1000).optional(),
  })
  .refine((b) => (b.quantity === undefined) === (b.unit === undefined), { message: 'quantity and unit go together', path: ['unit'] });

/** Body of `POST /api/trace-events/{eventId}/error-declaration`. */
export const errorDeclarationBody = z.strictObject({
  /** CBV 2.0 error reason. */
  reason: z.enum(['did_not_occur', 'incorrect_data']),
  explanation: multiLine(1000),
  correctiveEventIds: z.array(singleLine(200)).max(20).optional(),
});

type EventBody = z.infer<typeof eventBody>;

/** The lot of a registered batch by its GS1 keys. */
async function batchLot(c: Context<AppEnv>, batchId: number, field: string): Promise<LotInput> {
  const batch = await findBatch(c.var.db, batchId);
  const product = batch && (await findProduct(c.var.db, batch.productId));
  if (!batch || !product) throw new ApiError('unprocessable_entity', `${field}: no batch ${batchId}`);
  return { gtin: product.gtin, lotCode: batch.lotCode };
}

/**
 * Resolves the body's registry references against the batch's producer (its location, partner and
 * certificate; another producer's answer `not_found`, nothing is written) into the domain's input.
 */
async function stageInputOf(c: Context<AppEnv>, body: EventBody, batch: { id: number; producerId: number }, lot: LotInput): Promise<StageInput> {
  const db = c.var.db;
  const scope = { producerId: batch.producerId };
  const location = await findLocation(db, body.locationId, scope);
  if (!location) throw new ApiError('not_found', `No location ${body.locationId} of the batch's producer`);
  if (location.deactivatedAt) throw new ApiError('unprocessable_entity', `locationId: location ${body.locationId} is deactivated`);
  let partner: StageInput['partner'] = null;
  if (body.partnerId !== undefined) {
    const found = await findPartner(db, body.partnerId, scope);
    if (!found) throw new ApiError('not_found', `No partner ${body.partnerId} of the batch's producer`);
    partner = { id: found.id, gln: found.gln };
  }
  if (body.certificateId !== undefined) {
    const cert = await findCertificate(db, body.certificateId);
    if (!cert || cert.producerId !== batch.producerId) throw new ApiError('not_found', `No certificate ${body.certificateId} of the batch's producer`);
  }
  const inputs = [];
  for (const [i, item] of (body.inputs ?? []).entries()) {
    const inputLot = item.batchId !== undefined ? await batchLot(c, item.batchId, `inputs.${i}.batchId`) : { gtin: item.gtin!, lotCode: item.lotCode! };
    inputs.push({ lot: inputLot, quantity: { value: item.quantity, uom: item.unit } });
  }
  return {
    stage: body.stage,
    eventTime: body.eventTime,
    location: { id: location.id, gln: location.gln },
    lot,
    quantity: body.quantity !== undefined ? { value: body.quantity, uom: body.unit! } : null,
    inputs: body.inputs ? inputs : null,
    partner,
    harvest: body.harvest ?? null,
    inspection:
      body.stage === 'inspection' || body.disposition !== undefined || body.certificateId !== undefined
        ? { result: body.disposition === 'non_conformant' ? 'fail' : 'pass', certificateId: body.certificateId ?? null }
        : null,
    expiryDate: body.expiryDate ?? null,
  };
}

/** Reads the event named by a path segment: an EPCIS event ID (URL-encoded) or the row id. */
async function findEventByPathId(c: Context<AppEnv>, raw: string): Promise<TraceEventRow | undefined> {
  if (/^\d{1,15}$/.test(raw)) {
    const [row] = await c.var.db.select({ eventId: traceEvents.eventId }).from(traceEvents).where(eq(traceEvents.id, Number(raw)));
    return row ? findTraceEvent(c.var.db, row.eventId) : undefined;
  }
  return raw.length <= 300 ? findTraceEvent(c.var.db, raw) : undefined;
}

/** `POST` and `GET /api/batches/{id}/events`, mounted under `/api/batches`. */
export const batchEventRoutes = new Hono<AppEnv>()
  .get('/:id/events', requireUser(), validate('param', idParams), async (c) => {
    const batch = await batchInScope(c, c.req.valid('param').id);
    return c.json({ items: await listBatchEvents(c.var.db, batch.id) });
  })
  .post('/:id/events', requireUser(), validate('param', idParams), requireJson, validate('json', eventBody), async (c) => {
    const db = c.var.db;
    const batch = await batchInScope(c, c.req.valid('param').id);
    const body = c.req.valid('json');
    const product = (await findProduct(db, batch.productId))!;
    const input = await stageInputOf(c, body, batch, { gtin: product.gtin, lotCode: batch.lotCode });
    const [producer] = await db.select({ id: producers.id, gln: producers.gln }).from(producers).where(eq(producers.id, batch.producerId));
    const ctx = { now: Date.now(), publicBaseUrl: c.env.PUBLIC_BASE_URL, producer: producer!, productionDate: batch.productionDate };
    const issues = validateStage(input, ctx);
    if (issues.length) {
      throw new ApiError('unprocessable_entity', issues.map((i) => i.message).join('; '), issues.map((i) => ({ path: i.field, code: i.code, message: i.message })));
    }
    const event = buildEpcisEvent(input, ctx);
    if (body.note) event['tx:note'] = body.note;
    const eventId = await computeEventHashId(event as Json as { [k: string]: Json }, { context: event['@context'] as Json });
    const stored = { ...event, eventID: eventId };
    const valid = validateEpcisDocument(stored);
    if (!valid.ok) {
      const details = valid.errors.map((e) => ({ path: e.pointer, message: e.message }));
      throw new ApiError('unprocessable_entity', `The event is not a valid EPCIS 2.0 event: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`, details);
    }
    const result = await recordTraceEvent(
      db,
      {
        eventId,
        event: stored,
        stage: body.stage,
        producerId: batch.producerId,
        locationId: body.locationId,
        sourcePartnerId: body.stage === 'receiving' ? (body.partnerId ?? null) : null,
        destinationPartnerId: body.stage === 'shipping' ? (body.partnerId ?? null) : null,
      },
      actorOf(c),
    );
    if (result === 'cycle') throw new ApiError('conflict', 'inputs: the batch is already one of the lots its inputs were made from; a lot cannot be made from itself');
    // The same event recorded twice is one event: the second request answers the stored one.
    return c.json(result.event, result.created ? 201 : 200);
  });

/** `POST /api/trace-events/{eventId}/error-declaration`, mounted under `/api/trace-events`. */
export const traceEventRoutes = new Hono<AppEnv>()
  .use('*', requireUser())
  .post('/:eventId/error-declaration', requireJson, validate('json', errorDeclarationBody), async (c) => {
    const raw = c.req.param('eventId');
    const event = await findEventByPathId(c, raw);
    if (!event || (!isOfficial(c.var.user) && event.producerId !== c.var.user.producerId)) throw new ApiError('not_found', `No trace event ${raw}`);
    const body = c.req.valid('json');
    const declared = await declareError(
      c.var.db,
      { eventId: event.eventId, declaredAt: Date.now(), reason: body.reason, explanation: body.explanation, correctiveEventIds: body.correctiveEventIds },
      actorOf(c),
    );
    if (declared === 'already_declared') throw new ApiError('conflict', 'The event is already declared erroneous');
    if (declared === 'event_not_found') throw new ApiError('not_found', `No trace event ${raw}`);
    return c.json({ eventId: event.eventId, errorDeclaration: declared }, 201);
  });
