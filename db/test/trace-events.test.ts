import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lotUri } from '../../worker/src/domain/trace-ids.ts';
import { buildEpcisEvent, type LotInput, type StageInput } from '../../worker/src/domain/trace-record.ts';
import type { Db } from '../client.ts';
import type { Actor } from '../queries/audit.ts';
import { createLocation } from '../queries/locations.ts';
import { createPartner } from '../queries/partners.ts';
import { declareError, findTraceEvent, listBatchEvents, listDerivedBatches, recordTraceEvent, traceBatch } from '../queries/trace-events.ts';
import { auditLog } from '../schema.ts';
import { countTraceRows, makeActor, makeBatch, makeProducer, openTestDatabase, unique, type TestDatabase } from './trace-fixtures.ts';

const BASE = 'https://tem.test';
const NOW = Date.parse('2025-10-20T12:00:00+07:00');

let t: TestDatabase;
let db: Db;
let actor: Actor;

beforeAll(async () => {
  t = await openTestDatabase('trace-events');
  db = t.db;
  actor = await makeActor(db);
});
afterAll(async () => t?.close());

/** A stand-in event ID per event (the EPCIS hash module computes real ones). */
const newEventId = () => `ni:///sha-256;${unique().toString(16).padStart(64, '0')}?ver=CBV2.0`;

/** A producer with a location, and lots of its own. */
async function makeWorld() {
  const producer = await makeProducer(db, actor);
  const location = await createLocation(
    db,
    { producerId: producer.id, kind: 'processing_plant', name: 'Xưởng', address: 'Khu 1', provinceCode: '22', communeCode: '07192' },
    actor,
  );
  if (typeof location === 'string') throw new Error(location);
  const lot = async (productionDate = '2025-10-01') => {
    const { product, batch } = await makeBatch(db, actor, producer.id, undefined, productionDate);
    return { batch, lot: { gtin: product.gtin, lotCode: batch.lotCode } as LotInput, uri: lotUri(product.gtin, batch.lotCode) };
  };
  return { producer, location, lot };
}

type World = Awaited<ReturnType<typeof makeWorld>>;

/** Records a stage through the domain builder, as the route will. */
async function record(w: World, input: Omit<StageInput, 'location' | 'eventTime'> & { eventTime?: string }, extra: { sourcePartnerId?: number; destinationPartnerId?: number } = {}) {
  const stageInput: StageInput = { ...input, eventTime: input.eventTime ?? '2025-10-10T08:00+07:00', location: { id: w.location.id, gln: null } };
  const event = buildEpcisEvent(stageInput, { now: NOW, publicBaseUrl: BASE, producer: { id: w.producer.id, gln: null } });
  const eventId = newEventId();
  const result = await recordTraceEvent(
    db,
    { eventId, event: { ...event, eventID: eventId }, stage: input.stage, producerId: w.producer.id, locationId: w.location.id, ...extra },
    actor,
  );
  if (result === 'cycle') return result;
  return result.event;
}

const kg = (value: number) => ({ value, uom: 'KGM' });
const processing = (inputs: LotInput[], output: LotInput, eventTime?: string) =>
  ({ stage: 'processing', lot: output, quantity: kg(10), inputs: inputs.map((lot) => ({ lot, quantity: kg(5) })), eventTime }) as const;

describe('recordTraceEvent', () => {
  it('stores the event, its lots linked to the batch, and an audit row, in one write', async () => {
    const w = await makeWorld();
    const fish = await w.lot();
    const before = await countTraceRows(db);
    const row = await record(w, { stage: 'harvest', lot: fish.lot, quantity: kg(300), harvest: { startDate: '2025-10-09', catchArea: '71' } });
    if (row === 'cycle') throw new Error('cycle');
    expect(row).toMatchObject({
      stage: 'harvest',
      type: 'ObjectEvent',
      action: 'ADD',
      bizStep: 'commissioning',
      disposition: 'active',
      eventTime: '2025-10-10T08:00:00+07:00',
      eventTimeMs: Date.parse('2025-10-10T01:00:00Z'),
      eventTimeZoneOffset: '+07:00',
      producerId: w.producer.id,
      producerName: w.producer.name,
      readPoint: `${BASE}/locations/${w.location.id}`,
      bizLocation: `${BASE}/locations/${w.location.id}`,
      location: { id: w.location.id, producerId: w.producer.id, name: 'Xưởng', kind: 'processing_plant', provinceCode: '22', communeCode: '07192' },
      source: null,
      destination: null,
      errorDeclaration: null,
      recordedBy: actor.userId,
      lots: [{ role: 'object', epc: fish.uri, epcKind: 'class', quantity: 300, uom: 'KGM', batchId: fish.batch.id }],
    });
    expect(row.document).toMatchObject({ type: 'ObjectEvent', eventID: row.eventId, ilmd: { 'cbvmda:harvestStartDate': '2025-10-09', 'cbvmda:catchArea': '71' } });
    const after = await countTraceRows(db);
    expect([after.traceEvents! - before.traceEvents!, after.traceEventLots! - before.traceEventLots!, after.auditLog! - before.auditLog!]).toEqual([1, 1, 1]);
    const [audit] = await db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    expect(audit).toMatchObject({ action: 'trace_event.record', entity: 'trace_event', entityId: row.eventId, userId: actor.userId });
  });

  it('stores the same event ID once and answers the stored event', async () => {
    const w = await makeWorld();
    const fish = await w.lot();
    const event = buildEpcisEvent(
      { stage: 'packing', eventTime: '2025-10-10T08:00+07:00', location: { id: w.location.id, gln: null }, lot: fish.lot, quantity: { value: 10, uom: 'XBO' } },
      { now: NOW, publicBaseUrl: BASE, producer: { id: w.producer.id, gln: null } },
    );
    const eventId = newEventId();
    const first = await recordTraceEvent(db, { eventId, event, producerId: w.producer.id }, actor);
    const before = await countTraceRows(db);
    const second = await recordTraceEvent(db, { eventId, event: { ...event, bizStep: 'shipping' }, producerId: w.producer.id }, actor);
    expect(first).toMatchObject({ created: true });
    expect(second).toEqual({ created: false, event: (first as { event: unknown }).event });
    expect(await countTraceRows(db)).toEqual(before);
  });

  it('links a lot named by an LGTIN URN to the same registered batch as its Digital Link', async () => {
    const w = await makeWorld();
    const { product, batch } = await makeBatch(db, actor, w.producer.id, 'URN-1');
    // GTIN 893… split after a 7-digit company prefix: indicator 0, item reference, no check digit.
    const gtin14 = product.gtin.padStart(14, '0');
    const urn = `urn:epc:class:lgtin:${gtin14.slice(1, 8)}.${gtin14[0]}${gtin14.slice(8, 13)}.URN-1`;
    const eventId = newEventId();
    const result = await recordTraceEvent(
      db,
      {
        eventId,
        producerId: null,
        event: { type: 'ObjectEvent', eventTime: '2025-10-10T08:00:00+07:00', eventTimeZoneOffset: '+07:00', action: 'OBSERVE', bizStep: 'receiving', quantityList: [{ epcClass: urn, quantity: 2, uom: 'KGM' }] },
      },
      actor,
    );
    if (result === 'cycle') throw new Error('cycle');
    expect(result.event.lots).toEqual([{ role: 'object', epc: urn, epcKind: 'class', quantity: 2, uom: 'KGM', batchId: batch.id }]);
    expect(result.event.stage).toBeNull();
    expect((await listBatchEvents(db, batch.id)).map((e) => e.eventId)).toEqual([eventId]);
  });

  it.each([
    ['its output is an input of the lot it was made into', (a: string, b: string) => [[a, b], [b, a]]],
    ['three steps round', (a: string, b: string, c: string) => [[a, b], [b, c], [c, a]]],
  ] as const)('refuses a transformation when %s, writing nothing', async (_what, chainOf) => {
    const w = await makeWorld();
    const lots = [await w.lot(), await w.lot(), await w.lot()];
    const byUri = new Map(lots.map((l) => [l.uri, l.lot]));
    const steps = (chainOf as (...u: string[]) => string[][])(...lots.map((l) => l.uri));
    for (const [from, to] of steps.slice(0, -1)) expect(await record(w, processing([byUri.get(from!)!], byUri.get(to!)!))).not.toBe('cycle');
    const before = await countTraceRows(db);
    const [from, to] = steps.at(-1)!;
    expect(await record(w, processing([byUri.get(from!)!], byUri.get(to!)!))).toBe('cycle');
    expect(await countTraceRows(db)).toEqual(before);
  });

  it('is append-only: the engine refuses to change or delete events, links and declarations', async () => {
    const w = await makeWorld();
    const fish = await w.lot();
    const row = await record(w, { stage: 'packing', lot: fish.lot, quantity: { value: 3, uom: 'XBO' } });
    if (row === 'cycle') throw new Error('cycle');
    await declareError(db, { eventId: row.eventId, declaredAt: NOW, reason: 'incorrect_data' }, actor);
    for (const statement of [
      'update trace_events set biz_step = null',
      'delete from trace_events',
      'update trace_event_lots set quantity = 1',
      'delete from trace_event_lots',
      "update error_declarations set reason = 'did_not_occur'",
      'delete from error_declarations',
    ]) {
      await expect(db.$client.execute(statement), statement).rejects.toThrow(/append-only/);
    }
  });
});

describe('declareError', () => {
  it('declares an event erroneous once, with an audit row; the event stays', async () => {
    const w = await makeWorld();
    const fish = await w.lot();
    const row = await record(w, { stage: 'packing', lot: fish.lot, quantity: { value: 3, uom: 'XBO' } });
    if (row === 'cycle') throw new Error('cycle');
    const corrective = newEventId();
    const declaration = await declareError(
      db,
      { eventId: row.eventId, declaredAt: NOW, reason: 'incorrect_data', explanation: 'Sai số lượng', correctiveEventIds: [corrective] },
      actor,
    );
    expect(declaration).toEqual({ declaredAt: NOW, reason: 'incorrect_data', explanation: 'Sai số lượng', correctiveEventIds: [corrective], declaredBy: actor.userId });
    const stored = await findTraceEvent(db, row.eventId);
    expect(stored).toEqual({ ...row, errorDeclaration: declaration });
    const [audit] = await db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    expect(audit).toMatchObject({ action: 'error_declaration.create', entity: 'trace_event', entityId: row.eventId });
  });

  it.each([
    ['an event that does not exist', 'event_not_found'],
    ['an event already declared erroneous', 'already_declared'],
  ] as const)('refuses %s and writes nothing', async (what, refusal) => {
    const w = await makeWorld();
    const fish = await w.lot();
    const row = await record(w, { stage: 'packing', lot: fish.lot, quantity: { value: 3, uom: 'XBO' } });
    if (row === 'cycle') throw new Error('cycle');
    await declareError(db, { eventId: row.eventId, declaredAt: NOW, reason: 'did_not_occur' }, actor);
    const before = await countTraceRows(db);
    const eventId = what === 'an event that does not exist' ? newEventId() : row.eventId;
    expect(await declareError(db, { eventId, declaredAt: NOW, reason: 'incorrect_data' }, actor)).toBe(refusal);
    expect(await countTraceRows(db)).toEqual(before);
  });
});

describe('a batch’s events and its trace', () => {
  /**
   * Anchovies caught by a member cooperative (another registered producer) and salt bought from an
   * unregistered supplier, fermented into fish sauce, bottled, shipped to a shop.
   */
  async function fishSauceJourney() {
    const coop = await makeWorld();
    const plant = await makeWorld();
    const anchovy = await coop.lot('2025-10-02');
    const salt = await plant.lot();
    const sauce = await plant.lot('2025-10-05');
    const bottled = await plant.lot('2025-10-06');
    const coopPartner = await createPartner(db, { producerId: plant.producer.id, name: 'HTX Cô Tô', linkedProducerId: coop.producer.id }, actor);
    const shop = await createPartner(db, { producerId: plant.producer.id, name: 'Cửa hàng Hạ Long', provinceCode: '22', communeCode: '06688' }, actor);
    const plantPartner = await createPartner(db, { producerId: coop.producer.id, name: 'Xưởng nước mắm', linkedProducerId: plant.producer.id }, actor);
    if (typeof coopPartner === 'string' || typeof shop === 'string' || typeof plantPartner === 'string') throw new Error('setup');
    const harvest = await record(coop, { stage: 'harvest', lot: anchovy.lot, quantity: kg(300), eventTime: '2025-10-02T05:00+07:00' });
    const shipToPlant = await record(coop, { stage: 'shipping', lot: anchovy.lot, quantity: kg(300), partner: { id: plantPartner.id, gln: null }, eventTime: '2025-10-02T09:00+07:00' }, { destinationPartnerId: plantPartner.id });
    const received = await record(plant, { stage: 'receiving', lot: anchovy.lot, quantity: kg(300), partner: { id: coopPartner.id, gln: null }, eventTime: '2025-10-02T15:00+07:00' }, { sourcePartnerId: coopPartner.id });
    const ferment = await record(plant, processing([anchovy.lot, salt.lot], sauce.lot, '2025-10-05T08:00+07:00'));
    const bottle = await record(plant, processing([sauce.lot], bottled.lot, '2025-10-06T08:00+07:00'));
    const shipped = await record(plant, { stage: 'shipping', lot: bottled.lot, quantity: { value: 100, uom: 'XBO' }, partner: { id: shop.id, gln: null }, eventTime: '2025-10-07T08:00+07:00' }, { destinationPartnerId: shop.id });
    const events = { harvest, shipToPlant, received, ferment, bottle, shipped };
    for (const e of Object.values(events)) if (e === 'cycle') throw new Error('cycle');
    return { coop, plant, anchovy, salt, sauce, bottled, coopPartner, shop, events: events as Record<keyof typeof events, Exclude<typeof harvest, 'cycle'>> };
  }

  it('lists a batch’s events oldest first, including those that consumed it', async () => {
    const j = await fishSauceJourney();
    const events = await listBatchEvents(db, j.anchovy.batch.id);
    expect(events.map((e) => [e.stage, e.producerId, e.eventTime])).toEqual([
      ['harvest', j.coop.producer.id, '2025-10-02T05:00:00+07:00'],
      ['shipping', j.coop.producer.id, '2025-10-02T09:00:00+07:00'],
      ['receiving', j.plant.producer.id, '2025-10-02T15:00:00+07:00'],
      ['processing', j.plant.producer.id, '2025-10-05T08:00:00+07:00'],
    ]);
    expect(events[2]!.source).toEqual({ id: j.coopPartner.id, name: 'HTX Cô Tô', linkedProducerId: j.coop.producer.id, provinceCode: null, communeCode: null });
    expect(events[3]!.lots.map((l) => [l.role, l.batchId, l.quantity])).toEqual([
      ['input', j.anchovy.batch.id, 5],
      ['input', j.salt.batch.id, 5],
      ['output', j.sauce.batch.id, 10],
    ]);
    expect(await listBatchEvents(db, 999_999)).toEqual([]);
  });

  it('traces back to the inputs with their producers and the partner they came from', async () => {
    const j = await fishSauceJourney();
    const back = await traceBatch(db, j.bottled.batch.id, 'back');
    expect(back!.lots.map((l) => [l.depth, l.epcClass, l.batch?.id, l.batch?.producerName, l.viaEventId])).toEqual([
      [1, j.sauce.uri, j.sauce.batch.id, j.plant.producer.name, j.events.bottle.eventId],
      ...[
        [2, j.anchovy.uri, j.anchovy.batch.id, j.coop.producer.name, j.events.ferment.eventId],
        [2, j.salt.uri, j.salt.batch.id, j.plant.producer.name, j.events.ferment.eventId],
      ].sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    ]);
    expect(back!.lots[0]).toMatchObject({ gtin: j.sauce.lot.gtin.padStart(14, '0'), lotCode: j.sauce.lot.lotCode });
    expect(back!.partners).toEqual([
      {
        depth: 3,
        partner: { id: j.coopPartner.id, name: 'HTX Cô Tô', linkedProducerId: j.coop.producer.id, linkedProducerName: j.coop.producer.name, provinceCode: null, communeCode: null },
        epcClass: j.anchovy.uri,
        viaEventId: j.events.received.eventId,
      },
    ]);
  });

  it('traces forward to derived lots and the partners they were shipped to', async () => {
    const j = await fishSauceJourney();
    const forward = await traceBatch(db, j.anchovy.batch.id, 'forward');
    expect(forward!.lots.map((l) => [l.depth, l.batch?.id])).toEqual([
      [1, j.sauce.batch.id],
      [2, j.bottled.batch.id],
    ]);
    expect(forward!.partners.map((p) => [p.depth, p.partner.name, p.partner.linkedProducerName, p.epcClass, p.viaEventId])).toEqual([
      [1, 'Xưởng nước mắm', j.plant.producer.name, j.anchovy.uri, j.events.shipToPlant.eventId],
      [3, 'Cửa hàng Hạ Long', null, j.bottled.uri, j.events.shipped.eventId],
    ]);
    expect((await listDerivedBatches(db, j.anchovy.batch.id)).map((l) => l.batch.id)).toEqual([j.sauce.batch.id, j.bottled.batch.id]);
    expect(await listDerivedBatches(db, j.bottled.batch.id)).toEqual([]);
    expect(await traceBatch(db, 999_999, 'forward')).toBeUndefined();
  });

  it('stops following a transformation declared erroneous', async () => {
    const j = await fishSauceJourney();
    await declareError(db, { eventId: j.events.bottle.eventId, declaredAt: NOW, reason: 'did_not_occur' }, actor);
    expect((await traceBatch(db, j.bottled.batch.id, 'back'))).toEqual({ lots: [], partners: [] });
    expect((await traceBatch(db, j.anchovy.batch.id, 'forward'))!.lots.map((l) => l.batch?.id)).toEqual([j.sauce.batch.id]);
    // …and, the edge gone, recording the reverse step is no cycle.
    expect(await record(j.plant, processing([j.bottled.lot], j.sauce.lot))).not.toBe('cycle');
  });

  it('follows at most 32 steps', async () => {
    const w = await makeWorld();
    const lots = [];
    for (let i = 0; i < 35; i++) lots.push(await w.lot());
    for (let i = 0; i < 34; i++) expect(await record(w, processing([lots[i]!.lot], lots[i + 1]!.lot))).not.toBe('cycle');
    const forward = await traceBatch(db, lots[0]!.batch.id, 'forward');
    expect(forward!.lots.map((l) => l.depth)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
    // The cycle check is not bounded: closing a 35-lot loop is still refused.
    expect(await record(w, processing([lots[34]!.lot], lots[0]!.lot))).toBe('cycle');
  });

  it('reads only the events of the batch asked for', async () => {
    const j = await fishSauceJourney();
    const shopEvents = await listBatchEvents(db, j.bottled.batch.id);
    expect(shopEvents.map((e) => e.stage)).toEqual(['processing', 'shipping']);
    expect(shopEvents[1]!.destination).toMatchObject({ id: j.shop.id, name: 'Cửa hàng Hạ Long', provinceCode: '22', communeCode: '06688' });
    expect(shopEvents[1]!.document).toMatchObject({ destinationList: [{ type: 'owning_party', destination: `${BASE}/partners/${j.shop.id}` }] });
    const rows = await db.select().from(auditLog).where(eq(auditLog.entityId, shopEvents[1]!.eventId));
    expect(rows).toHaveLength(1);
  });
});
