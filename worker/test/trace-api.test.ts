import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, batches, errorDeclarations, locations, partners, traceEvents } from '../../db/schema.ts';
import { validateEpcisDocument } from '../src/domain/epcis/index.ts';
import { call, makeActivatedRun, makeBatch, makeProduct, makeProducer, makeUser, testDb, testEnv, unique } from './helpers.ts';

type Json = Record<string, any>;
type ErrorBody = { error: { code: string; message: string; requestId: string } };

const post = (path: string, token: string, json: unknown) => call(path, { method: 'POST', token, json });
const CO_TO = { provinceCode: '22', communeCode: '07192' };

async function rowCount(): Promise<number[]> {
  const n = async (t: typeof traceEvents | typeof locations | typeof partners | typeof errorDeclarations | typeof batches) =>
    Number((await testDb().select({ n: sql<number>`count(*)` }).from(t))[0]!.n);
  const recalled = Number((await testDb().select({ n: sql<number>`count(*)` }).from(batches).where(sql`${batches.recalledAt} is not null`))[0]!.n);
  return [await n(traceEvents), await n(locations), await n(partners), await n(errorDeclarations), recalled];
}

/** Sends the request, expects the whole error body (but the request id), and that no row was written. */
async function expectRefused(res: Promise<Response>, status: number, code: string, message: string) {
  const before = await rowCount();
  const r = await res;
  const body = (await r.json()) as ErrorBody;
  expect({ status: r.status, code: body.error.code, message: body.error.message }).toEqual({ status, code, message });
  expect(await rowCount()).toEqual(before);
  expect(await testDb().select().from(auditLog).where(eq(auditLog.requestId, body.error.requestId))).toEqual([]);
}

async function makeLocation(token: string, producerId: number, overrides: Json = {}) {
  const res = await post('/api/locations', token, { producerId, kind: 'fishing_ground', name: `Bến cá Cô Tô ${unique()}`, address: 'Thôn 1', ...CO_TO, ...overrides });
  if (res.status !== 201) throw new Error(`location: ${res.status} ${await res.text()}`);
  return (await res.json()) as Json;
}

async function makePartner(token: string, producerId: number, overrides: Json = {}) {
  const res = await post('/api/partners', token, { producerId, name: `Cửa hàng Hạ Long ${unique()}`, ...overrides });
  if (res.status !== 201) throw new Error(`partner: ${res.status} ${await res.text()}`);
  return (await res.json()) as Json;
}

/** An enterprise producer with a catch lot (anchovies) and a fish-sauce lot, a location and a partner. */
async function makeJourney() {
  const producer = await makeProducer();
  const enterprise = await makeUser('enterprise', producer.id);
  const fish = await makeProduct(producer.id, { name: 'Cá cơm Cô Tô' });
  const sauce = await makeProduct(producer.id, { name: 'Nước mắm Cô Tô' });
  const catchLot = await makeBatch(fish);
  const sauceLot = await makeBatch(sauce);
  const place = await makeLocation(enterprise.token, producer.id);
  const shop = await makePartner(enterprise.token, producer.id);
  return { producer, enterprise, fish, sauce, catchLot, sauceLot, place, shop };
}

const harvest = (locationId: number, overrides: Json = {}) => ({
  stage: 'harvest',
  eventTime: '2026-11-20T05:30:00+07:00',
  locationId,
  quantity: 800,
  unit: 'KGM',
  harvest: { startDate: '2026-11-19', endDate: '2026-11-20', catchArea: '71' },
  ...overrides,
});

describe('locations and partners', () => {
  it('registers a location with its identifier and place names; enterprise users see only their own', async () => {
    const producer = await makeProducer();
    const official = await makeUser('official');
    const created = await makeLocation(official.token, producer.id, { gln: '8934588000010'.slice(0, 12) + '0', latitude: 20.97, longitude: 107.77 });
    expect(created).toMatchObject({ producerId: producer.id, kind: 'fishing_ground', ...CO_TO, provinceName: 'Tỉnh Quảng Ninh', communeName: 'Đặc khu Cô Tô' });
    const plain = await makeLocation(official.token, producer.id);
    expect(created.identifier).toBe(`https://id.gs1.org/414/${created.gln}`);
    expect(plain.identifier).toBe(`${testEnv.PUBLIC_BASE_URL.replace(/\/+$/, '')}/locations/${plain.id}`);

    const own = await makeUser('enterprise', producer.id);
    const other = await makeUser('enterprise', (await makeProducer()).id);
    const list = (await (await call('/api/locations', { token: own.token })).json()) as { items: Json[] };
    expect(list.items.map((l) => l.id).sort()).toEqual([created.id, plain.id].sort());
    expect((await (await call('/api/locations', { token: other.token })).json()) as Json).toEqual({ items: [] });
    expect((await call(`/api/locations/${plain.id}`, { token: own.token })).status).toBe(200);
    const res = await call(`/api/locations/${plain.id}`, { token: other.token });
    expect(res.status).toBe(404);
  });

  it('records a partner linked to a registered producer', async () => {
    const producer = await makeProducer();
    const linked = await makeProducer();
    const own = await makeUser('enterprise', producer.id);
    const partner = await makePartner(own.token, producer.id, { linkedProducerId: linked.id, taxCode: `57${String(unique()).padStart(8, '0').slice(-8)}`, ...CO_TO });
    expect(partner).toMatchObject({ producerId: producer.id, linkedProducerId: linked.id, linkedProducerName: linked.name, communeName: 'Đặc khu Cô Tô' });
    expect(partner.identifier).toMatch(/\/partners\/\d+$/);
    expect(((await (await call('/api/partners', { token: own.token })).json()) as { items: Json[] }).items.map((p) => p.id)).toEqual([partner.id]);
  });

  it.each([
    ['commune not in province', { provinceCode: '22', communeCode: '00004' }, 'communeCode: is not a commune of the province'],
    ['unknown province', { provinceCode: '99' }, 'provinceCode: must be the 2-digit code of a province or city (since 1 July 2025)'],
    ['bad GLN', { gln: '8934588000011' }, 'gln: must be a 13-digit GLN with a correct GS1 check digit'],
    ['bidi control in the name', { name: 'Bến cá \u202eCô Tô' }, 'name: must not contain control characters'],
    ['oversize name', { name: 'x'.repeat(201) }, 'name: has at most 200 characters'],
    ['half the coordinates', { latitude: 20.9 }, 'longitude: give both latitude and longitude, or neither'],
  ])('refuses a location with %s (422, no row)', async (_, overrides, message) => {
    const producer = await makeProducer();
    const official = await makeUser('official');
    const body = { producerId: producer.id, kind: 'farm', name: 'Đồi chè', address: 'Thôn 2', ...CO_TO, ...overrides };
    await expectRefused(post('/api/locations', official.token, body), 422, 'unprocessable_entity', message);
  });

  it("refuses writes for another producer's records (404, no row)", async () => {
    const producer = await makeProducer();
    const other = await makeProducer();
    const own = await makeUser('enterprise', producer.id);
    await expectRefused(post('/api/locations', own.token, { producerId: other.id, kind: 'farm', name: 'Đồi chè', address: 'Thôn 2', ...CO_TO }), 404, 'not_found', `No producer ${other.id}`);
    await expectRefused(post('/api/partners', own.token, { producerId: other.id, name: 'Đại lý' }), 404, 'not_found', `No producer ${other.id}`);
    await expectRefused(post('/api/partners', own.token, { producerId: producer.id, name: 'Chính mình', linkedProducerId: producer.id }), 422, 'unprocessable_entity', 'linkedProducerId: a producer is not its own partner');
  });
});

describe('trace events, trace back and forward, compliance, record, recall', () => {
  it('records a journey (catch → processing → shipping) as schema-valid EPCIS events and traces it both ways', async () => {
    const j = await makeJourney();
    const caught = await post(`/api/batches/${j.catchLot.id}/events`, j.enterprise.token, harvest(j.place.id));
    expect(caught.status).toBe(201);
    const catchEvent = (await caught.json()) as Json;
    expect(catchEvent.eventId).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
    expect(catchEvent).toMatchObject({ stage: 'harvest', type: 'ObjectEvent', action: 'ADD', bizStep: 'commissioning', eventTime: '2026-11-20T05:30:00+07:00' });
    expect(validateEpcisDocument(catchEvent.document)).toEqual({ ok: true });

    // The same event again is one event: answered, not stored twice.
    const again = await post(`/api/batches/${j.catchLot.id}/events`, j.enterprise.token, harvest(j.place.id));
    expect(again.status).toBe(200);
    expect(((await again.json()) as Json).eventId).toBe(catchEvent.eventId);

    const processed = await post(`/api/batches/${j.sauceLot.id}/events`, j.enterprise.token, {
      stage: 'processing',
      eventTime: '2026-11-21T09:00:00+07:00',
      locationId: j.place.id,
      quantity: 300,
      unit: 'LTR',
      inputs: [{ batchId: j.catchLot.id, quantity: 800, unit: 'KGM' }],
      note: 'Ủ chượp 12 tháng',
    });
    expect(processed.status).toBe(201);
    const processing = (await processed.json()) as Json;
    expect(processing.type).toBe('TransformationEvent');
    expect(processing.lots.map((l: Json) => [l.role, l.batchId])).toEqual([['input', j.catchLot.id], ['output', j.sauceLot.id]]);
    expect(validateEpcisDocument(processing.document)).toEqual({ ok: true });

    const shipped = await post(`/api/batches/${j.sauceLot.id}/events`, j.enterprise.token, {
      stage: 'shipping', eventTime: '2026-11-25T07:00:00+07:00', locationId: j.place.id, quantity: 100, unit: 'LTR', partnerId: j.shop.id,
    });
    expect(shipped.status).toBe(201);
    const shipping = (await shipped.json()) as Json;
    expect(shipping.destination).toMatchObject({ id: j.shop.id, name: j.shop.name });

    const events = (await (await call(`/api/batches/${j.sauceLot.id}/events`, { token: j.enterprise.token })).json()) as { items: Json[] };
    expect(events.items.map((e) => e.stage)).toEqual(['processing', 'shipping']);

    const audit = await testDb().select().from(auditLog).where(eq(auditLog.action, 'trace_event.record'));
    expect(audit.filter((a) => [catchEvent.eventId, processing.eventId, shipping.eventId].includes(a.entityId)).length).toBe(3);

    const back = (await (await call(`/api/batches/${j.sauceLot.id}/trace`, { token: j.enterprise.token })).json()) as Json;
    expect(back.back).toEqual([
      expect.objectContaining({ kind: 'lot', depth: 1, lotCode: j.catchLot.lotCode, batchId: j.catchLot.id, productName: 'Cá cơm Cô Tô', producer: { id: j.producer.id, name: j.producer.name } }),
    ]);
    expect(back.forward).toEqual([expect.objectContaining({ kind: 'partner', depth: 1, partner: expect.objectContaining({ id: j.shop.id, name: j.shop.name }) })]);

    const fwd = (await (await call(`/api/batches/${j.catchLot.id}/trace`, { token: j.enterprise.token })).json()) as Json;
    expect(fwd.forward.map((i: Json) => [i.kind, i.depth, i.batchId ?? i.partner.id])).toEqual([
      ['lot', 1, j.sauceLot.id],
      ['partner', 2, j.shop.id],
    ]);
  });

  it('assesses compliance and exports the record as JSON and formula-safe CSV', async () => {
    const j = await makeJourney();
    const before = (await (await call(`/api/batches/${j.catchLot.id}/compliance`, { token: j.enterprise.token })).json()) as Json;
    expect(before.complete).toBe(false);
    expect(before.items.map((i: Json) => i.item)).toEqual([
      'product_name', 'product_image', 'producer_name', 'producer_address', 'stages', 'production_time', 'traceability_code', 'brand_serial', 'shelf_life', 'standards',
    ]);
    expect(before.items.find((i: Json) => i.item === 'stages')).toMatchObject({ ok: false, missing: ['stages'] });
    expect((await post(`/api/batches/${j.catchLot.id}/events`, j.enterprise.token, harvest(j.place.id))).status).toBe(201);
    const after = (await (await call(`/api/batches/${j.catchLot.id}/compliance`, { token: j.enterprise.token })).json()) as Json;
    expect(after.items.find((i: Json) => i.item === 'stages')).toMatchObject({ ok: true, missing: [] });

    const product = (await (await call(`/api/products/${j.fish.id}/compliance`, { token: j.enterprise.token })).json()) as Json;
    expect(product.items.find((i: Json) => i.item === 'stages')).toMatchObject({ ok: true, applicable: false });

    const record = (await (await call(`/api/batches/${j.catchLot.id}/record.json`, { token: j.enterprise.token })).json()) as Json;
    expect(record).toMatchObject({ version: '1', batch: { id: j.catchLot.id, lotCode: j.catchLot.lotCode }, stages: [{ stage: 'harvest', eventTime: '2026-11-20T05:30:00+07:00' }] });
    expect(record.stages[0].place).toEqual({ name: j.place.name, address: 'Đặc khu Cô Tô, Tỉnh Quảng Ninh' });

    const hostile = await makeProduct(j.producer.id, { name: '=HYPERLINK("http://x")' });
    const lot = await makeBatch(hostile);
    const csvRes = await call(`/api/batches/${lot.id}/record.csv`, { token: j.enterprise.token });
    expect(csvRes.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const csv = await csvRes.text();
    expect(csv.split('\n')[0]).toBe('section,field,value,detail');
    expect(csv).toContain(`product,name,"'=HYPERLINK(""http://x"")",`);
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);

    const official = await makeUser('official');
    const summary = (await (await call('/api/compliance/summary', { token: official.token })).json()) as Json;
    expect(summary).toMatchObject({ total: expect.any(Number), complete: expect.any(Number) });
    expect(summary.incomplete.map((i: Json) => i.productId)).toContain(hostile.id);
    expect((await call('/api/compliance/summary', { token: j.enterprise.token })).status).toBe(403);
  });

  it('lists the recall scope and recalls the derived lots in one audited write; stamps of those lots then answer recalled', async () => {
    const j = await makeJourney();
    await post(`/api/batches/${j.catchLot.id}/events`, j.enterprise.token, harvest(j.place.id));
    const made = await post(`/api/batches/${j.sauceLot.id}/events`, j.enterprise.token, {
      stage: 'processing', eventTime: '2026-11-21T09:00:00+07:00', locationId: j.place.id, quantity: 300, unit: 'LTR',
      inputs: [{ batchId: j.catchLot.id, quantity: 800, unit: 'KGM' }],
    });
    expect(made.status).toBe(201);
    await post(`/api/batches/${j.sauceLot.id}/events`, j.enterprise.token, { stage: 'shipping', eventTime: '2026-11-25T07:00:00+07:00', locationId: j.place.id, quantity: 100, unit: 'LTR', partnerId: j.shop.id });

    const scope = (await (await call(`/api/batches/${j.catchLot.id}/recall-scope`, { token: j.enterprise.token })).json()) as Json;
    expect(scope).toMatchObject({ batchId: j.catchLot.id, recalled: false, derivedBatchIds: [j.sauceLot.id] });
    expect(scope.partners.map((p: Json) => p.partner.id)).toEqual([j.shop.id]);

    const official = await makeUser('official');
    const { rows: stamps } = await makeActivatedRun({ producer: j.producer, batch: j.sauceLot, official }, 1);
    const scan = async () => ((await (await call(new URL(stamps[0]!.url).pathname, { headers: { accept: 'application/json' } })).json()) as Json).verdict;
    expect(await scan()).toBe('genuine');
    await expectRefused(post(`/api/batches/${j.catchLot.id}/recall`, j.enterprise.token, { reason: 'Nhiễm khuẩn', includeDerived: true }), 403, 'forbidden', 'Your role may not do this');
    const res = await post(`/api/batches/${j.catchLot.id}/recall`, official.token, { reason: 'Nhiễm khuẩn', includeDerived: true });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body.recalledBatchIds).toEqual([j.catchLot.id, j.sauceLot.id]);
    const rows = await testDb().select().from(batches).where(sql`${batches.id} in (${j.catchLot.id}, ${j.sauceLot.id})`);
    expect(rows.map((r) => [r.recallReason, r.recalledAt !== null])).toEqual([['Nhiễm khuẩn', true], ['Nhiễm khuẩn', true]]);
    const audit = await testDb().select().from(auditLog).where(eq(auditLog.action, 'batch.recall'));
    expect(audit.filter((a) => [String(j.catchLot.id), String(j.sauceLot.id)].includes(a.entityId!)).map((a) => a.entityId)).toEqual([String(j.catchLot.id), String(j.sauceLot.id)]);
    expect(await scan()).toBe('recalled');
    await expectRefused(post(`/api/batches/${j.catchLot.id}/recall`, official.token, { reason: 'lần nữa', includeDerived: true }), 409, 'conflict', 'The batch is already recalled');
  });

  it('declares an event erroneous once (201, then 409; unknown 404), by event ID or row id', async () => {
    const j = await makeJourney();
    const e = (await (await post(`/api/batches/${j.catchLot.id}/events`, j.enterprise.token, harvest(j.place.id))).json()) as Json;
    const path = `/api/trace-events/${encodeURIComponent(e.eventId)}/error-declaration`;
    const res = await post(path, j.enterprise.token, { reason: 'incorrect_data', explanation: 'Sai khối lượng' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ eventId: e.eventId, errorDeclaration: { reason: 'incorrect_data', explanation: 'Sai khối lượng' } });
    const events = (await (await call(`/api/batches/${j.catchLot.id}/events`, { token: j.enterprise.token })).json()) as { items: Json[] };
    expect(events.items[0]!.errorDeclaration).toMatchObject({ reason: 'incorrect_data' });
    await expectRefused(post(`/api/trace-events/${e.id}/error-declaration`, j.enterprise.token, { reason: 'did_not_occur', explanation: 'x' }), 409, 'conflict', 'The event is already declared erroneous');
    const missing = 'ni:///sha-256;' + '0'.repeat(64) + '?ver=CBV2.0';
    await expectRefused(post(`/api/trace-events/${encodeURIComponent(missing)}/error-declaration`, j.enterprise.token, { reason: 'did_not_occur', explanation: 'x' }), 404, 'not_found', `No trace event ${missing}`);
    const stranger = await makeUser('enterprise', (await makeProducer()).id);
    const other = (await (await post(`/api/batches/${j.sauceLot.id}/events`, j.enterprise.token, { stage: 'packing', eventTime: '2026-11-22T09:00:00+07:00', locationId: j.place.id })).json()) as Json;
    await expectRefused(post(`/api/trace-events/${other.id}/error-declaration`, stranger.token, { reason: 'did_not_occur', explanation: 'x' }), 404, 'not_found', `No trace event ${other.id}`);
  });
});

async function scene() {
  const j = await makeJourney();
  const official = await makeUser('official');
  const other = await makeProducer();
  const otherPlace = await makeLocation(official.token, other.id);
  const otherPartner = await makePartner(official.token, other.id);
  return { ...j, otherPlace, otherPartner, other };
}

type Scene = Awaited<ReturnType<typeof scene>>;

describe('bad events get a clear 4xx and write nothing', () => {
  const cases: [string, (j: Scene) => Json, number, string, string | ((j: Scene) => string)][] = [
    ['a time without offset', (j) => harvest(j.place.id, { eventTime: '2026-11-20T05:30:00' }), 422, 'unprocessable_entity', 'eventTime: must carry its time-zone offset, e.g. 2025-10-01T06:30:00+07:00'],
    ['a time in the future', (j) => harvest(j.place.id, { eventTime: '2099-01-01T00:00:00+07:00', harvest: undefined }), 422, 'unprocessable_entity', 'eventTime: must not be in the future'],
    ['packing before the production date', (j) => ({ stage: 'packing', eventTime: '2026-10-01T08:00:00+07:00', locationId: j.place.id }), 422, 'unprocessable_entity', "eventTime: must not be before the batch's production date"],
    ['a quantity of zero', (j) => harvest(j.place.id, { quantity: 0 }), 422, 'unprocessable_entity', 'quantity.value: must be greater than zero'],
    ['an unknown unit', (j) => harvest(j.place.id, { unit: 'XYZ' }), 422, 'unprocessable_entity', 'quantity.uom: must be one of the UN/ECE Rec. 20 units offered'],
    ['a processing with no inputs', (j) => ({ stage: 'processing', eventTime: '2026-11-21T09:00:00+07:00', locationId: j.place.id, quantity: 3, unit: 'LTR', inputs: [] }), 422, 'unprocessable_entity', 'inputs: processing needs at least one input lot'],
    ['a processing whose input is its output', (j) => ({ stage: 'processing', eventTime: '2026-11-21T09:00:00+07:00', locationId: j.place.id, quantity: 3, unit: 'LTR', inputs: [{ batchId: j.catchLot.id, quantity: 1, unit: 'KGM' }] }), 422, 'unprocessable_entity', 'inputs.0.lot: the output lot cannot be one of its own inputs'],
    ['shipping with no partner', (j) => ({ stage: 'shipping', eventTime: '2026-11-25T07:00:00+07:00', locationId: j.place.id, quantity: 1, unit: 'KGM' }), 422, 'unprocessable_entity', 'partner: this stage names a partner'],
    ['a bidi control in the note', (j) => harvest(j.place.id, { note: 'ghi chú \u202e' }), 422, 'unprocessable_entity', 'note: must not contain control characters'],
    ['an oversize note', (j) => harvest(j.place.id, { note: 'x'.repeat(1001) }), 422, 'unprocessable_entity', 'note: has at most 1000 characters'],
    ["another producer's location", (j) => harvest(j.otherPlace.id), 404, 'not_found', (j) => `No location ${j.otherPlace.id} of the batch's producer`],
    ["another producer's partner", (j) => ({ stage: 'shipping', eventTime: '2026-11-25T07:00:00+07:00', locationId: j.place.id, quantity: 1, unit: 'KGM', partnerId: j.otherPartner.id }), 404, 'not_found', (j) => `No partner ${j.otherPartner.id} of the batch's producer`],
  ];

  it.each(cases)('refuses %s', async (_, body, status, code, message) => {
    const j = await scene();
    await expectRefused(post(`/api/batches/${j.catchLot.id}/events`, j.enterprise.token, body(j)), status, code, typeof message === 'string' ? message : message(j));
  });

  it("refuses an event on another producer's batch (404)", async () => {
    const j = await scene();
    const stranger = await makeUser('enterprise', j.other.id);
    await expectRefused(post(`/api/batches/${j.catchLot.id}/events`, stranger.token, harvest(j.otherPlace.id)), 404, 'not_found', `No batch ${j.catchLot.id}`);
    expect((await call(`/api/batches/${j.catchLot.id}/events`, { token: stranger.token })).status).toBe(404);
    expect((await call(`/api/batches/${j.catchLot.id}/trace`, { token: stranger.token })).status).toBe(404);
  });

  it('refuses a processing that closes a cycle in the lot graph (409)', async () => {
    const j = await scene();
    const made = await post(`/api/batches/${j.sauceLot.id}/events`, j.enterprise.token, {
      stage: 'processing', eventTime: '2026-11-21T09:00:00+07:00', locationId: j.place.id, quantity: 3, unit: 'LTR', inputs: [{ batchId: j.catchLot.id, quantity: 1, unit: 'KGM' }],
    });
    expect(made.status).toBe(201);
    await expectRefused(
      post(`/api/batches/${j.catchLot.id}/events`, j.enterprise.token, {
        stage: 'processing', eventTime: '2026-11-22T09:00:00+07:00', locationId: j.place.id, quantity: 3, unit: 'KGM', inputs: [{ batchId: j.sauceLot.id, quantity: 1, unit: 'LTR' }],
      }),
      409,
      'conflict',
      'inputs: the batch is already one of the lots its inputs were made from; a lot cannot be made from itself',
    );
  });
});
