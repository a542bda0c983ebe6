/**
 * The EPCIS 2.0 REST binding in workerd: GS1's example documents captured and queried back,
 * all-or-nothing captures, enterprise scoping, the binding's error bodies, paging, and export of
 * every stored event (trace stages and captured) as documents GS1's schema accepts.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildEventQuery } from '../../db/queries/epcis.ts';
import { recordTraceEvent } from '../../db/queries/trace-events.ts';
import { captureJobs, locations, traceEventLots, traceEvents } from '../../db/schema.ts';
import { computeEventHashId, listDocumentEvents, type Json } from '../src/domain/epcis/event-hash.ts';
import { CAPTURE_BYTE_LIMIT, CAPTURE_EVENT_LIMIT } from '../src/domain/epcis/exchange.ts';
import { buildValidationProblem } from '../src/domain/epcis/problem.ts';
import { validateEpcisDocument } from '../src/domain/epcis/validation.ts';
import { toGtin14 } from '../src/domain/gs1.ts';
import { lotUri } from '../src/domain/trace-ids.ts';
import { buildEpcisEvent } from '../src/domain/trace-record.ts';
import { BROKEN_VARIANTS, exampleWith } from './fixtures/epcis/broken-variants.ts';
import association from './fixtures/epcis/gs1-examples/AssociationEvent-a.json';
import query from './fixtures/epcis/gs1-examples/EPCISQueryDocument.json';
import transactions from './fixtures/epcis/gs1-examples/Example-TransactionEvents-2020_07_03y.json';
import objectWithError from './fixtures/epcis/gs1-examples/Example_9.6.1-ObjectEvent-with-error-declaration.json';
import object1 from './fixtures/epcis/gs1-examples/Example_9.6.1-ObjectEvent.json';
import objectDigitalLink from './fixtures/epcis/gs1-examples/Example_9.6.1-ObjectEventWithDigitalLink.json';
import object2 from './fixtures/epcis/gs1-examples/Example_9.6.2-ObjectEvent.json';
import aggregation from './fixtures/epcis/gs1-examples/Example_9.6.3-AggregationEvent.json';
import transformation from './fixtures/epcis/gs1-examples/Example_9.6.4-TransformationEvent.json';
import persistent from './fixtures/epcis/gs1-examples/PersistentDisposition-example.json';
import sensors from './fixtures/epcis/gs1-examples/SensorDataExample1.json';
import objectAll from './fixtures/epcis/gs1-examples/object_event_all_possible_fields.json';
import transformationAll from './fixtures/epcis/gs1-examples/transformation_event_all_possible_fields.json';
import { call, makeApiKey, makeBatch, makeProducer, makeProduct, makeUser, testDb, testEnv, unique } from './helpers.ts';

type Obj = Record<string, unknown>;
type Job = { eventCount: number; storedCount: number };
const EXAMPLES: [string, Obj][] = Object.entries({
  association, query, transactions, objectWithError, object1, objectDigitalLink, object2, aggregation,
  transformation, persistent, sensors, objectAll, transformationAll,
}) as [string, Obj][];
const CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

function capture(token: string, doc: unknown, path = '/api/v1/epcis/capture', type = 'application/ld+json') {
  return call(path, { method: 'POST', token, body: typeof doc === 'string' ? doc : JSON.stringify(doc), headers: { 'content-type': type } });
}
async function queryDoc(token: string, qs: string) {
  const res = await call(`/api/v1/epcis/events${qs}`, { token });
  return { res, doc: (await res.json()) as { '@context': Json; epcisBody: { queryResults: { resultsBody: { eventList: Obj[] } } } } };
}
const eventsOf = (d: Awaited<ReturnType<typeof queryDoc>>['doc']) => d.epcisBody.queryResults.resultsBody.eventList;
const countEvents = async () => (await testDb().select({ n: sql<number>`count(*)` }).from(traceEvents))[0]!.n;
const countJobs = async () => (await testDb().select({ n: sql<number>`count(*)` }).from(captureJobs))[0]!.n;

/** A one-event EPCISDocument about a lot (class) at a time. */
function lotDocument(epcClasses: string[], opts: { time?: string; bizStep?: string; readPoint?: string } = {}) {
  return {
    '@context': [CONTEXT],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-11-02T08:00:00+07:00',
    epcisBody: {
      eventList: epcClasses.map((c, i) => ({
        type: 'ObjectEvent',
        eventTime: opts.time ?? `2026-11-01T0${i % 10}:00:00.000+07:00`,
        eventTimeZoneOffset: '+07:00',
        action: 'OBSERVE',
        bizStep: opts.bizStep ?? 'receiving',
        quantityList: [{ epcClass: c, quantity: i + 1, uom: 'KGM' }],
        ...(opts.readPoint ? { readPoint: { id: opts.readPoint } } : {}),
      })),
    },
  };
}

/** A producer with a product and batch, an enterprise API key for it, and its lot's Digital Link. */
async function makeEnterprise(official: string) {
  const producer = await makeProducer();
  const product = await makeProduct(producer.id);
  const batch = await makeBatch(product);
  const key = (await makeApiKey(official, { producerId: producer.id })).key;
  return { producer, product, batch, key, lot: lotUri(toGtin14(product.gtin), batch.lotCode) };
}

describe('OPTIONS', () => {
  it('announces versions and capture limits', async () => {
    const res = await call('/api/v1/epcis/capture', { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(Object.fromEntries([...res.headers].filter(([k]) => k.startsWith('gs1-') || k === 'allow'))).toEqual({
      allow: 'OPTIONS, POST',
      'gs1-epcis-version': '2.0.0',
      'gs1-epcis-min': '2.0.0',
      'gs1-epcis-max': '2.0.0',
      'gs1-cbv-version': '2.0.0',
      'gs1-cbv-min': '2.0.0',
      'gs1-cbv-max': '2.0.0',
      'gs1-epcis-capture-limit': String(CAPTURE_EVENT_LIMIT),
      'gs1-epcis-capture-file-size-limit': String(CAPTURE_BYTE_LIMIT),
      'gs1-capture-error-behaviour': 'rollback',
    });
  });
});

describe('capture and query back', () => {
  it.each(EXAMPLES)('GS1 example %s is captured and comes back unchanged in meaning', async (_, doc) => {
    const { token } = await makeUser('official');
    const res = await capture(token, doc, '/api/v1/epcis/capture', 'application/json');
    expect(res.status, await res.clone().text()).toBe(202);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/api\/v1\/epcis\/capture\/[0-9a-f-]{36}$/);
    const events = listDocumentEvents(doc as Json);
    const job = await (await call(location, { token })).json();
    expect(job).toMatchObject({ running: false, success: true, captureErrorBehaviour: 'rollback', errors: [], eventCount: events.length });
    for (const original of events) {
      const id = (original.eventID as string | undefined) ?? (await computeEventHashId(original, { context: (doc as Obj)['@context'] as Json }));
      const one = await call(`/api/v1/epcis/events/${encodeURIComponent(id)}`, { token });
      expect(one.status).toBe(200);
      const back = (await one.json()) as Parameters<typeof eventsOf>[0];
      expect(validateEpcisDocument(back)).toEqual({ ok: true });
      const [got] = eventsOf(back);
      const { '@context': _ctx, ...fields } = got!;
      expect(fields).toEqual({ ...original, eventID: id });
      // The document's prefixes travel with the events (hoisted or on the event).
      const ctx = JSON.stringify(got!['@context'] ?? back['@context']);
      for (const c of [(doc as Obj)['@context']].flat()) if (c && typeof c === 'object') for (const k of Object.keys(c)) expect(ctx).toContain(`"${k}"`);
    }
  });

  it('stores an event captured twice once', async () => {
    const { token } = await makeUser('official');
    const doc = lotDocument([`urn:epc:class:lgtin:4012345.012345.${unique()}`]);
    const first = await capture(token, doc);
    const again = await capture(token, doc);
    const jobs = await Promise.all([first, again].map(async (r) => (await (await call(r.headers.get('location')!, { token })).json()) as Job));
    expect(jobs.map((j) => [j.eventCount, j.storedCount])).toEqual([[1, 1], [1, 0]]);
  });

  it('POST /events captures one event and answers its Location', async () => {
    const { token } = await makeUser('official');
    const [event] = lotDocument([`urn:epc:class:lgtin:4012345.012345.${unique()}`]).epcisBody.eventList;
    const res = await capture(token, { '@context': CONTEXT, ...event }, '/api/v1/epcis/events');
    expect(res.status).toBe(201);
    const id = await computeEventHashId(event as Obj as Record<string, Json>, { context: CONTEXT });
    expect(res.headers.get('location')).toBe(`/api/v1/epcis/events/${encodeURIComponent(id)}`);
    expect((await call(res.headers.get('location')!, { token })).status).toBe(200);
  });

  it('a 1,000-event capture is all-or-nothing', async () => {
    const { token } = await makeUser('official');
    const prefix = unique();
    const doc = lotDocument(Array.from({ length: 1000 }, (_, i) => `urn:epc:class:lgtin:4012345.012345.${prefix}x${i}`));
    const broken = structuredClone(doc);
    (broken.epcisBody.eventList[637] as Obj).eventTime = '2026-11-01T09:00:00';
    const [events, jobs] = [await countEvents(), await countJobs()];
    const refused = await capture(token, broken);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual(
      buildValidationProblem([{ pointer: '/epcisBody/eventList/637/eventTime', message: 'time "2026-11-01T09:00:00" has no UTC offset; write Z or ±hh:mm' }]),
    );
    expect([await countEvents(), await countJobs()]).toEqual([events, jobs]);
    const accepted = await capture(token, doc);
    expect(accepted.status).toBe(202);
    expect(await countEvents()).toBe(events + 1000);
    const job = (await (await call(accepted.headers.get('location')!, { token })).json()) as Job;
    expect([job.eventCount, job.storedCount]).toEqual([1000, 1000]);
  });
});

describe('bad input gets the binding error body and changes nothing', () => {
  it.each(BROKEN_VARIANTS)('$name', async ({ mutate, errors }) => {
    const { token } = await makeUser('official');
    const before = [await countEvents(), await countJobs()];
    const res = await capture(token, exampleWith(mutate));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toEqual(buildValidationProblem(errors));
    expect([await countEvents(), await countJobs()]).toEqual(before);
  });

  it('a body over the announced limit → 413', async () => {
    const { token } = await makeUser('official');
    const res = await capture(token, JSON.stringify({ type: 'EPCISDocument', pad: 'x'.repeat(CAPTURE_BYTE_LIMIT) }));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      type: 'epcisException:CaptureLimitExceededException',
      title: 'Capture payload too large',
      status: 413,
      detail: `the body is over ${CAPTURE_BYTE_LIMIT} bytes`,
    });
  });

  it('more events than the capture limit → 413', async () => {
    const { token } = await makeUser('official');
    const doc = lotDocument(Array.from({ length: CAPTURE_EVENT_LIMIT + 1 }, (_, i) => `urn:epc:class:lgtin:4012345.012345.L${i}`));
    const res = await capture(token, doc);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { detail: string }).detail).toBe(`${CAPTURE_EVENT_LIMIT + 1} events; at most ${CAPTURE_EVENT_LIMIT} per capture`);
  });

  it('a media type other than JSON → 415', async () => {
    const { token } = await makeUser('official');
    const res = await capture(token, '<epcis/>', '/api/v1/epcis/capture', 'application/xml');
    expect(res.status).toBe(415);
    expect(((await res.json()) as { type: string }).type).toBe('epcisException:UnsupportedMediaTypeException');
  });

  it('without credentials → 401', async () => {
    const res = await call('/api/v1/epcis/events');
    expect(res.status).toBe(401);
  });

  it.each([
    ['?foo=1', 'unknown query parameter foo; this interface answers eventType, EQ_bizStep, EQ_disposition, EQ_action, GE_eventTime, LT_eventTime, MATCH_epc, MATCH_anyEPCClass, EQ_bizLocation, EQ_readPoint, EQ_eventID, perPage, nextPageToken'],
    ['?GE_eventTime=2026-11-01T00:00:00', 'GE_eventTime must be a date-time with a UTC offset (2026-11-01T08:00:00+07:00), not "2026-11-01T00:00:00"'],
    ['?perPage=0', 'perPage must be an integer from 1 to 1000'],
    ['?eventType=objectEvent', 'eventType objectEvent is not an EPCIS 2.0 event type'],
    ['?nextPageToken=abc.def', 'nextPageToken is not a token this query gave'],
  ])('query %s → 400', async (qs, detail) => {
    const { token } = await makeUser('official');
    const res = await call(`/api/v1/epcis/events${qs}`, { token });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ type: 'epcisException:QueryParameterException', title: 'The query is not valid', status: 400, detail });
  });
});

describe('enterprise scoping', () => {
  it('an enterprise key captures its own lots (joining the batch) and not another producer’s', async () => {
    const { token: official } = await makeUser('official');
    const mine = await makeEnterprise(official);
    const other = await makeEnterprise(official);
    const ok = await capture(mine.key, lotDocument([mine.lot]));
    expect(ok.status, await ok.clone().text()).toBe(202);
    const links = await testDb().select().from(traceEventLots).where(eq(traceEventLots.canonicalEpc, mine.lot));
    expect(links.map((l) => l.batchId)).toEqual([mine.batch.id]);

    const before = await countEvents();
    const refused = await capture(mine.key, lotDocument([mine.lot, other.lot], { time: '2026-11-01T05:00:00+07:00' }));
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      type: 'epcisException:SecurityException',
      title: 'Events outside your records',
      status: 403,
      detail: `1 error; /epcisBody/eventList/1: GTIN ${toGtin14(other.product.gtin)} is not one of your products`,
      errors: [{ pointer: '/epcisBody/eventList/1', message: `GTIN ${toGtin14(other.product.gtin)} is not one of your products` }],
    });
    const [location] = await testDb().insert(locations).values({ producerId: other.producer.id, kind: 'warehouse', name: 'Kho', address: 'x', provinceCode: '22', communeCode: '06652' }).returning();
    const foreignPlace = await capture(mine.key, lotDocument([mine.lot], { readPoint: `${testEnv.PUBLIC_BASE_URL.replace(/\/+$/, '')}/locations/${location!.id}` }));
    expect(foreignPlace.status).toBe(403);
    expect(await countEvents()).toBe(before);
  });

  it('an enterprise sees its own events and those one step back or forward, not others', async () => {
    const { token: official } = await makeUser('official');
    const mine = await makeEnterprise(official);
    const other = await makeEnterprise(official);
    const unrelated = await makeEnterprise(official);
    // A transformation from my lot into the other producer's lot, then that lot shipped, and an unrelated event.
    const step = {
      '@context': [CONTEXT], type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2026-11-02T08:00:00+07:00',
      epcisBody: { eventList: [{
        type: 'TransformationEvent', eventTime: '2026-11-01T10:00:00+07:00', eventTimeZoneOffset: '+07:00', bizStep: 'commissioning',
        inputQuantityList: [{ epcClass: mine.lot, quantity: 5, uom: 'KGM' }], outputQuantityList: [{ epcClass: other.lot, quantity: 4, uom: 'KGM' }],
      }] },
    };
    expect((await capture(official, step)).status).toBe(202);
    expect((await capture(official, lotDocument([other.lot], { bizStep: 'shipping', time: '2026-11-01T11:00:00+07:00' }))).status).toBe(202);
    expect((await capture(official, lotDocument([unrelated.lot]))).status).toBe(202);
    const seen = async (key: string, lot: string) => eventsOf((await queryDoc(key, `?MATCH_anyEPCClass=${encodeURIComponent(lot)}`)).doc).length;
    expect(await seen(mine.key, other.lot)).toBe(2);
    expect(await seen(mine.key, unrelated.lot)).toBe(0);
    expect(await seen(unrelated.key, mine.lot)).toBe(0);
    expect(await seen(official, unrelated.lot)).toBe(1);
  });
});

describe('query', () => {
  it('filters and pages with signed tokens', async () => {
    const { token } = await makeUser('official');
    const lot = `urn:epc:class:lgtin:4012345.012345.P${unique()}`;
    expect((await capture(token, lotDocument([lot, lot, lot, lot, lot].map((l) => l)))).status).toBe(202);
    const base = `?MATCH_anyEPCClass=${encodeURIComponent(lot)}&perPage=2&GE_eventTime=${encodeURIComponent('2026-11-01T00:00:00+07:00')}&LT_eventTime=${encodeURIComponent('2026-11-01T04:00:00+07:00')}`;
    const times: string[] = [];
    let path: string | undefined = `/api/v1/epcis/events${base}`;
    let tokenUsed = '';
    while (path) {
      const res = await call(path, { token });
      expect(res.status).toBe(200);
      const doc = (await res.json()) as Parameters<typeof eventsOf>[0];
      expect(validateEpcisDocument(doc)).toEqual({ ok: true });
      times.push(...eventsOf(doc).map((e) => e.eventTime as string));
      const next = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
      if (next) tokenUsed = new URL(next, 'https://x').searchParams.get('nextPageToken')!;
      path = next;
    }
    expect(times).toEqual(['2026-11-01T00:00:00.000+07:00', '2026-11-01T01:00:00.000+07:00', '2026-11-01T02:00:00.000+07:00', '2026-11-01T03:00:00.000+07:00']);
    // The token is bound to its query: another perPage refuses it, as does a changed character.
    for (const qs of [base.replace('perPage=2', 'perPage=3'), base]) {
      const t = qs === base ? tokenUsed.slice(0, -1) + (tokenUsed.endsWith('A') ? 'B' : 'A') : tokenUsed;
      expect((await call(`/api/v1/epcis/events${qs}&nextPageToken=${t}`, { token })).status).toBe(400);
    }
    const shipping = await queryDoc(token, `?EQ_bizStep=shipping&MATCH_anyEPCClass=${encodeURIComponent(lot)}`);
    expect(eventsOf(shipping.doc)).toEqual([]);
    const object = await queryDoc(token, `?eventType=ObjectEvent&EQ_bizStep=receiving&MATCH_anyEPCClass=${encodeURIComponent(lot)}`);
    expect(eventsOf(object.doc)).toHaveLength(5);
    // A CBV value may be written as a bare word or as its full URI: a query for either finds both.
    const byUri = await queryDoc(token, `?EQ_bizStep=${encodeURIComponent('https://ref.gs1.org/cbv/BizStep-receiving')}&MATCH_anyEPCClass=${encodeURIComponent(lot)}`);
    expect(eventsOf(byUri.doc)).toHaveLength(5);
  });

  it('MATCH_epc, EQ_readPoint and EQ_bizLocation find GS1 example events', async () => {
    const { token } = await makeUser('official');
    await capture(token, object1);
    const [first] = listDocumentEvents(object1 as Json) as Obj[];
    const epc = (first!.epcList as string[])[0]!;
    const byEpc = eventsOf((await queryDoc(token, `?MATCH_epc=${encodeURIComponent(epc)}`)).doc);
    expect(byEpc.map((e) => e.eventID)).toContain(first!.eventID ?? (await computeEventHashId(first as Record<string, Json>, { context: object1['@context'] as Json })));
    const rp = (first!.readPoint as { id: string }).id;
    expect(eventsOf((await queryDoc(token, `?EQ_readPoint=${encodeURIComponent(rp)}`)).doc).length).toBeGreaterThan(0);
    const withPlace = (listDocumentEvents(object1 as Json) as Obj[]).find((e) => e.bizLocation)!;
    const bl = (withPlace.bizLocation as { id: string }).id;
    expect(eventsOf((await queryDoc(token, `?EQ_bizLocation=${encodeURIComponent(bl)}`)).doc).every((e) => (e.bizLocation as { id: string }).id === bl)).toBe(true);
  });

  it('the time-range query uses the event-time index', async () => {
    const q = buildEventQuery(testDb(), { fromTime: Date.parse('2026-11-01T00:00:00Z'), toTime: Date.parse('2026-11-02T00:00:00Z'), perPage: 100 }, {}).toSQL();
    const plan = await testDb().$client.execute({ sql: `explain query plan ${q.sql}`, args: q.params as never });
    const details = plan.rows.map((r) => String(r.detail));
    expect(details.join('\n')).toMatch(/SEARCH trace_events USING INDEX trace_events_time_idx \(event_time>\? AND event_time<\?\)/);
  });
});

describe('export', () => {
  it('events recorded by the trace stages come out as documents GS1’s schema accepts, as does every stored event', async () => {
    const { user, token } = await makeUser('official');
    const producer = await makeProducer();
    const product = await makeProduct(producer.id);
    const batch = await makeBatch(product);
    const [place] = await testDb().insert(locations).values({ producerId: producer.id, kind: 'farm', name: 'Đồi chè', address: 'x', provinceCode: '22', communeCode: '06652' }).returning();
    const event = buildEpcisEvent(
      { stage: 'harvest', eventTime: '2026-11-01T06:30+07:00', location: { id: place!.id, gln: null }, lot: { gtin: product.gtin, lotCode: batch.lotCode }, quantity: { value: 120, uom: 'KGM' }, harvest: { startDate: '2026-10-30', areaHectares: 1.5 } },
      { now: Date.parse('2026-11-02T00:00:00Z'), publicBaseUrl: testEnv.PUBLIC_BASE_URL, producer: { id: producer.id, gln: null }, productionDate: batch.productionDate },
    );
    const eventId = await computeEventHashId(event as Record<string, Json>);
    await recordTraceEvent(testDb(), { eventId, event, stage: 'harvest', producerId: producer.id, locationId: place!.id }, { userId: user.id, requestId: 'test' });
    const lot = lotUri(toGtin14(product.gtin), batch.lotCode);
    const mine = await queryDoc(token, `?MATCH_anyEPCClass=${encodeURIComponent(lot)}`);
    expect(validateEpcisDocument(mine.doc)).toEqual({ ok: true });
    expect(eventsOf(mine.doc).map((e) => e.eventID)).toEqual([eventId]);
    expect(mine.doc['@context']).toEqual([CONTEXT, { tx: `${testEnv.PUBLIC_BASE_URL.replace(/\/+$/, '')}/ns/epcis#` }]);

    // Every event stored in this file's database, page by page.
    let path: string | undefined = '/api/v1/epcis/events?perPage=500';
    let total = 0;
    while (path) {
      const res = await call(path, { token });
      const doc = (await res.json()) as Parameters<typeof eventsOf>[0];
      expect(validateEpcisDocument(doc)).toEqual({ ok: true });
      total += eventsOf(doc).length;
      path = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
    }
    expect(total).toBe(await countEvents());
    const stored = await testDb().select({ id: traceEvents.eventId }).from(traceEvents).where(inArray(traceEvents.eventId, [eventId]));
    expect(stored).toHaveLength(1);
  });
});

describe('OpenAPI', () => {
  it('covers the EPCIS routes', async () => {
    const doc = (await (await call('/api/v1/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.fromEntries(Object.entries(doc.paths).filter(([p]) => p.startsWith('/api/v1/epcis')).map(([p, ops]) => [p, Object.keys(ops)]))).toEqual({
      '/api/v1/epcis/capture': ['options', 'post'],
      '/api/v1/epcis/capture/{captureID}': ['get'],
      '/api/v1/epcis/events': ['post', 'get'],
      '/api/v1/epcis/events/{eventID}': ['get'],
    });
  });
});
