/**
 * Reads over a batch's traceability record: `GET /api/batches/{id}/trace` (one step back, one step
 * forward, as far as the records go), `/compliance` (Circular 02/2024), `/record.json` and
 * `/record.csv` (the portal export), `/recall-scope` (what a recall extended to derived lots
 * reaches); and `GET /api/products/{id}/compliance`, `GET /api/compliance/summary` (officials).
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { stringify } from 'csv-stringify/sync';
import { findProduct } from '../../../../db/queries/catalog.ts';
import { listProductFacts, readBatchFacts, readProductFacts } from '../../../../db/queries/compliance.ts';
import { listDerivedBatches, traceBatch } from '../../../../db/queries/trace-events.ts';
import type { AppEnv } from '../../app-env.ts';
import { assessBatchCompliance, assessProductCompliance, completeShare } from '../../domain/compliance.ts';
import { vietnamToday } from '../../domain/dates.ts';
import { buildPortalRecord, portalRecordRows } from '../../domain/portal-export.ts';
import type { TracedLot, TracedPartner, TraceResult } from '../../domain/trace-events.ts';
import { lotUri } from '../../domain/trace-ids.ts';
import { isOfficial, requireUser } from '../../http/auth.ts';
import { ApiError } from '../../http/errors.ts';
import { idParams, validate } from '../../http/validate.ts';
import { batchInScope } from './scope.ts';

/** A traced lot as the API answers it. */
function lotItem(l: TracedLot) {
  return {
    kind: 'lot' as const,
    depth: l.depth,
    epcClass: l.epcClass,
    gtin: l.gtin,
    lotCode: l.lotCode,
    batchId: l.batch?.id ?? null,
    productId: l.batch?.productId ?? null,
    productName: l.batch?.productName ?? null,
    producer: l.batch ? { id: l.batch.producerId, name: l.batch.producerName } : null,
    viaEventId: l.viaEventId,
  };
}

/** A traced partner as the API answers it. */
function partnerItem(p: TracedPartner) {
  return { kind: 'partner' as const, depth: p.depth, partner: p.partner, epcClass: p.epcClass, viaEventId: p.viaEventId };
}

const items = (r: TraceResult) => [...r.lots.map(lotItem), ...r.partners.map(partnerItem)].sort((a, b) => a.depth - b.depth);

async function batchRecord(c: Context<AppEnv>, id: number) {
  const batch = await batchInScope(c, id);
  const now = Date.now();
  const facts = (await readBatchFacts(c.var.db, batch.id, vietnamToday(now)))!;
  const compliance = assessBatchCompliance(facts);
  const { productRow: p, producerRow: o, batchRow: b } = facts;
  return buildPortalRecord({
    product: { id: p.id, name: p.name, gtin: p.gtin, imageUrl: p.imageUrl, standards: p.standards, shelfLifeDays: p.shelfLifeDays },
    producer: { id: o.id, name: o.name, address: o.address, province: o.province, taxCode: o.taxCode, gln: o.gln },
    batch: { id: b.id, lotCode: b.lotCode, productionDate: b.productionDate, expiryDate: b.expiryDate, quantity: b.quantity, unit: b.unit, recalledAt: b.recalledAt?.getTime() ?? null },
    traceabilityCode: lotUri(p.gtin, b.lotCode),
    stages: facts.events.map((e, i) => ({
      eventId: e.eventId,
      stage: e.stage,
      bizStep: e.bizStep,
      eventTime: e.eventTime,
      locationCode: facts.batch.stages[i]!.locationCode,
      location: e.location,
      erroneous: e.errorDeclaration !== null,
    })),
    compliance,
    generatedAt: now,
  });
}

/** Routes under `/api/batches/{id}/…`. */
export const batchReadRoutes = new Hono<AppEnv>()
  .get('/:id/trace', requireUser(), validate('param', idParams), async (c) => {
    const batch = await batchInScope(c, c.req.valid('param').id);
    const [back, forward] = await Promise.all([traceBatch(c.var.db, batch.id, 'back'), traceBatch(c.var.db, batch.id, 'forward')]);
    return c.json({ back: items(back!), forward: items(forward!) });
  })
  .get('/:id/compliance', requireUser(), validate('param', idParams), async (c) => {
    const batch = await batchInScope(c, c.req.valid('param').id);
    const facts = (await readBatchFacts(c.var.db, batch.id, vietnamToday(Date.now())))!;
    return c.json(assessBatchCompliance(facts));
  })
  .get('/:id/record.json', requireUser(), validate('param', idParams), async (c) => {
    const record = await batchRecord(c, c.req.valid('param').id);
    c.header('content-disposition', `attachment; filename="batch-${record.batch.id}-record.json"`);
    return c.json(record);
  })
  .get('/:id/record.csv', requireUser(), validate('param', idParams), async (c) => {
    const record = await batchRecord(c, c.req.valid('param').id);
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="batch-${record.batch.id}-record.csv"`);
    return c.body(stringify(portalRecordRows(record)));
  })
  .get('/:id/recall-scope', requireUser(), validate('param', idParams), async (c) => {
    const batch = await batchInScope(c, c.req.valid('param').id);
    const forward = (await traceBatch(c.var.db, batch.id, 'forward'))!;
    const derived = await listDerivedBatches(c.var.db, batch.id);
    return c.json({
      batchId: batch.id,
      recalled: batch.recalledAt !== null,
      lots: forward.lots.map(lotItem),
      derivedBatchIds: derived.map((d) => d.batch.id),
      partners: forward.partners.map(partnerItem),
    });
  });

/** `GET /api/products/{id}/compliance` and `GET /api/compliance/summary`, under `/api`. */
export const complianceRoutes = new Hono<AppEnv>()
  .use('/products/:id/compliance', requireUser())
  .use('/compliance/*', requireUser('admin', 'official'))
  .get('/products/:id/compliance', validate('param', idParams), async (c) => {
    const { id } = c.req.valid('param');
    const product = await findProduct(c.var.db, id);
    if (!product || (!isOfficial(c.var.user) && product.producerId !== c.var.user.producerId)) throw new ApiError('not_found', `No product ${id}`);
    return c.json(assessProductCompliance((await readProductFacts(c.var.db, id, vietnamToday(Date.now())))!));
  })
  .get('/compliance/summary', async (c) => {
    const all = await listProductFacts(c.var.db, vietnamToday(Date.now()));
    const assessed = all.map((f) => ({ ...f, result: assessProductCompliance(f) }));
    const provinces = [...new Set(assessed.map((a) => a.province))].sort();
    return c.json({
      ...completeShare(assessed.map((a) => a.result)),
      byProvince: provinces.map((province) => ({ province, ...completeShare(assessed.filter((a) => a.province === province).map((a) => a.result)) })),
      incomplete: assessed
        .filter((a) => !a.result.complete)
        .map((a) => ({ productId: a.productId, productName: a.productName, producerId: a.producerId, producerName: a.producerName, missing: a.result.items.filter((i) => !i.ok).map((i) => i.item) })),
    });
  });
