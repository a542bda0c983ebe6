import { describe, expect, it } from 'vitest';
import { buildQueryDocument, eventKeys, parseEventQuery, readPageToken, scopeErrors, signPageToken, type EventQuery } from './exchange.ts';
import { validateEpcisDocument } from './validation.ts';
import { EPCIS_CONTEXT_URI } from './vocabulary.ts';

const DL = 'https://id.gs1.org/01/08930000000019/10/LOT-1';
const PLACE = 'https://tem.example/locations/7';

describe('eventKeys', () => {
  it.each([
    ['an SGTIN', { epcList: ['urn:epc:id:sgtin:0614141.107346.2017'] }, { gtins: ['10614141073464'], locations: [] }],
    ['an LGTIN class', { quantityList: [{ epcClass: 'urn:epc:class:lgtin:4012345.012345.998877' }] }, { gtins: ['04012345123456'], locations: [] }],
    ['a Digital Link lot and a place', { quantityList: [{ epcClass: DL }], readPoint: { id: PLACE }, bizLocation: { id: PLACE } }, { gtins: ['08930000000019'], locations: [PLACE] }],
    ['inputs and outputs', { inputQuantityList: [{ epcClass: DL }], outputEPCList: ['urn:epc:id:sgtin:0614141.107346.2017'] }, { gtins: ['10614141073464', '08930000000019'], locations: [] }],
    ['an SSCC parent (no GTIN)', { parentID: 'urn:epc:id:sscc:0614141.1234567890' }, { gtins: [], locations: [] }],
  ])('%s', (_, event, keys) => {
    const got = eventKeys({ type: 'ObjectEvent', ...event });
    expect({ gtins: [...got.gtins].sort(), locations: got.locations }).toEqual({ gtins: [...keys.gtins].sort(), locations: keys.locations });
  });
});

describe('scopeErrors', () => {
  const own = { gtins: new Set(['08930000000019']), locations: new Set([PLACE]) };
  it.each([
    ['own lot and place', { quantityList: [{ epcClass: DL }], readPoint: { id: PLACE } }, []],
    ['another GTIN', { epcList: ['urn:epc:id:sgtin:0614141.107346.2017'] }, ['GTIN 10614141073464 is not one of your products']],
    ['another place', { quantityList: [{ epcClass: DL }], readPoint: { id: 'https://tem.example/locations/8' } }, ['location https://tem.example/locations/8 is not one of your locations']],
    ['nothing of its own', { parentID: 'urn:epc:id:sscc:0614141.1234567890' }, ['names none of your products or locations']],
  ])('%s', (_, event, messages) => {
    expect(scopeErrors({ type: 'ObjectEvent', ...event }, '/epcisBody/eventList/0', own)).toEqual(messages.map((message) => ({ pointer: '/epcisBody/eventList/0', message })));
  });
});

describe('parseEventQuery', () => {
  it.each([
    ['', { ok: true, query: { perPage: 100 } }],
    ['EQ_bizStep=shipping|receiving&perPage=10', { ok: true, query: { bizStep: ['shipping', 'receiving'], perPage: 10 } }],
    ['GE_eventTime=2026-11-01T00:00:00%2B07:00&LT_eventTime=2026-11-02T00:00Z', { ok: true, query: { fromTime: Date.parse('2026-10-31T17:00:00Z'), toTime: Date.parse('2026-11-02T00:00Z'), perPage: 100 } }],
    ['eventType=ObjectEvent|TransformationEvent', { ok: true, query: { eventType: ['ObjectEvent', 'TransformationEvent'], perPage: 100 } }],
    ['foo=1', { ok: false, errors: [expect.stringMatching(/^unknown query parameter foo;/)] }],
    ['EQ_bizStep=a&EQ_bizStep=b', { ok: false, errors: ['query parameter EQ_bizStep given twice; list values separated by |'] }],
    ['GE_eventTime=2026-11-01', { ok: false, errors: ['GE_eventTime must be a date-time with a UTC offset (2026-11-01T08:00:00+07:00), not "2026-11-01"'] }],
    ['perPage=1001', { ok: false, errors: ['perPage must be an integer from 1 to 1000'] }],
    ['perPage=2.5', { ok: false, errors: ['perPage must be an integer from 1 to 1000'] }],
    ['MATCH_epc=', { ok: false, errors: ['query parameter MATCH_epc is empty'] }],
    ['eventType=objectEvent', { ok: false, errors: ['eventType objectEvent is not an EPCIS 2.0 event type'] }],
  ])('%s', (qs, expected) => {
    expect(parseEventQuery(new URLSearchParams(qs))).toEqual(expected);
  });
});

describe('page tokens', () => {
  const q: EventQuery = { bizStep: ['shipping'], perPage: 10 };
  const secret = 'a-secret-of-at-least-thirty-two-characters';
  it('round-trips for the same query and refuses altered, foreign or malformed tokens', async () => {
    const token = await signPageToken({ time: 1762000000000, id: 42 }, q, secret);
    expect(await readPageToken(token, { ...q, nextPageToken: token }, secret)).toEqual({ time: 1762000000000, id: 42 });
    const altered = await signPageToken({ time: 1762000000000, id: 43 }, q, secret);
    const forged = `${altered.split('.')[0]}.${token.split('.')[1]}`;
    const cases: [string, EventQuery][] = [
      [forged, q],
      [token, { ...q, perPage: 11 }],
      [token, { ...q, bizStep: ['receiving'] }],
      ['abc', q],
      ['', q],
    ];
    for (const [bad, query] of cases) {
      expect(await readPageToken(bad, query, secret)).toBeUndefined();
    }
    expect(await readPageToken(token, q, 'another-secret-of-at-least-thirty-two-chars')).toBeUndefined();
  });
});

describe('buildQueryDocument', () => {
  const event = (ctx: unknown, extra: Record<string, unknown> = {}) => ({
    ...(ctx === undefined ? {} : { '@context': ctx }),
    type: 'ObjectEvent', eventTime: '2026-11-01T06:30:00.000+07:00', eventTimeZoneOffset: '+07:00', action: 'OBSERVE',
    quantityList: [{ epcClass: DL, quantity: 1, uom: 'KGM' }], ...extra,
  });
  it('hoists the events’ prefixes into one @context and validates against GS1’s schema', () => {
    const doc = buildQueryDocument(
      [
        { eventId: 'ni:///sha-256;1?ver=CBV2.0', document: event([EPCIS_CONTEXT_URI, { tx: 'https://tem.example/ns/epcis#' }], { 'tx:harvestAreaHectares': 1.5 }) },
        { eventId: 'ni:///sha-256;2?ver=CBV2.0', document: event(undefined) },
      ],
      new Date('2026-11-02T00:00:00Z'),
    );
    expect(doc['@context']).toEqual([EPCIS_CONTEXT_URI, { tx: 'https://tem.example/ns/epcis#' }]);
    expect(doc.epcisBody.queryResults.resultsBody.eventList.map((e) => [e.eventID, '@context' in e])).toEqual([
      ['ni:///sha-256;1?ver=CBV2.0', false],
      ['ni:///sha-256;2?ver=CBV2.0', false],
    ]);
    expect(validateEpcisDocument(doc)).toEqual({ ok: true });
  });
  it('leaves an event its own @context when a prefix clashes', () => {
    const doc = buildQueryDocument(
      [
        { eventId: 'a', document: event([EPCIS_CONTEXT_URI, { ex: 'https://one.example/' }]) },
        { eventId: 'b', document: event([EPCIS_CONTEXT_URI, { ex: 'https://two.example/' }]) },
      ],
      new Date(),
    );
    expect(doc['@context']).toEqual([EPCIS_CONTEXT_URI, { ex: 'https://one.example/' }]);
    expect(doc.epcisBody.queryResults.resultsBody.eventList[1]!['@context']).toEqual([EPCIS_CONTEXT_URI, { ex: 'https://two.example/' }]);
  });
});
