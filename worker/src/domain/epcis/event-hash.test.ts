import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEventPreHash, computeEventHashId, formatHashNumber, listDocumentEvents, normaliseHashTime, type Json } from './event-hash.ts';

/** GS1's published JSON-LD test vectors (RalphTro/epcis-event-hash-generator, tests/examples). */
const VECTORS = join(import.meta.dirname, '../../../test/fixtures/epcis/hash-vectors');
const vectorFiles = readdirSync(VECTORS).filter((f) => f.endsWith('.jsonld')).sort();
const readVector = (file: string) => ({
  doc: JSON.parse(readFileSync(join(VECTORS, file), 'utf8')) as { [k: string]: Json },
  hashes: readFileSync(join(VECTORS, file.replace(/\.jsonld$/, '.hashes')), 'utf8').split('\n').filter(Boolean),
});

describe('computeEventHashId on GS1 published test vectors', () => {
  it('ships every JSON-LD vector of the reference implementation: 22 documents, 43 events', () => {
    expect(vectorFiles).toHaveLength(22);
    expect(vectorFiles.reduce((n, f) => n + readVector(f).hashes.length, 0)).toBe(43);
  });

  it.each(vectorFiles)('%s: every event gets the published hash ID', async (file) => {
    const { doc, hashes } = readVector(file);
    // Two vectors exercise the reference tool's option to leave repository fields out; they name
    // those fields in the document (or its queryResults) under `repository-x:ignoreFields`.
    const body = doc.epcisBody as { queryResults?: { [k: string]: Json } };
    const ignoreFields = (doc['repository-x:ignoreFields'] ?? body.queryResults?.['repository-x:ignoreFields']) as string[] | undefined;
    const events = listDocumentEvents(doc);
    expect(events).toHaveLength(hashes.length);
    const ids = await Promise.all(events.map((e) => computeEventHashId(e, { context: doc['@context'], ignoreFields })));
    expect(ids).toEqual(hashes);
  });
});

const event = {
  type: 'ObjectEvent',
  eventTime: '2020-03-04T11:00:30.000+01:00',
  eventTimeZoneOffset: '+01:00',
  recordTime: '2020-03-04T11:00:30.999+01:00',
  eventID: 'urn:uuid:6e5e0d0c-3a37-4a3e-8c34-5b2b7d8b3a8f',
  epcList: ['urn:epc:id:sscc:4012345.0000000333', 'urn:epc:id:sscc:4012345.0000000111', 'urn:epc:id:sscc:4012345.0000000222'],
  action: 'OBSERVE',
  bizStep: 'departing',
  readPoint: { id: 'urn:epc:id:sgln:4012345.00011.987' },
  'example:myField1': { 'example:mySubField1': '2', 'example:mySubField2': '5' },
  'example:myField2': '0',
  'example:myField3': { 'example:mySubField3': ['3', '1'] },
} satisfies Json;
const context = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { example: 'https://ns.example.com/epcis/' }];

describe('buildEventPreHash', () => {
  it('writes the pre-hash string GS1 publishes for ReferenceEventHashAlgorithm', () => {
    expect(buildEventPreHash(event, { context })).toBe(
      'eventType=ObjectEventeventTime=2020-03-04T10:00:30.000ZeventTimeZoneOffset=+01:00' +
        'epcListepc=https://id.gs1.org/00/040123450000001112epc=https://id.gs1.org/00/040123450000002225epc=https://id.gs1.org/00/040123450000003338' +
        'action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-departingreadPointid=https://id.gs1.org/414/4012345000115/254/987' +
        '{https://ns.example.com/epcis/}myField1{https://ns.example.com/epcis/}mySubField1=2{https://ns.example.com/epcis/}mySubField2=5' +
        '{https://ns.example.com/epcis/}myField2=0' +
        '{https://ns.example.com/epcis/}myField3{https://ns.example.com/epcis/}mySubField3=1{https://ns.example.com/epcis/}mySubField3=3',
    );
  });

  const same: [string, Json][] = [
    ['fields in another order', Object.fromEntries(Object.entries(event).reverse())],
    ['the EPCs as Digital Link URIs on another domain', { ...event, epcList: ['https://example.com/00/040123450000002225', 'https://id.gs1.org/sscc/040123450000001112?x=1', 'http://id.gs1.org/00/040123450000003338'] }],
    ['the time in UTC without milliseconds', { ...event, eventTime: '2020-03-04T10:00:30Z' }],
    ['the bizStep as its CBV Web URI', { ...event, bizStep: 'https://ref.gs1.org/cbv/BizStep-departing' }],
    ['the bizStep as a CURIE', { ...event, bizStep: 'cbv:BizStep-departing' }],
    ['numbers instead of numeric strings', { ...event, 'example:myField2': 0, 'example:myField1': { 'example:mySubField1': 2.0, 'example:mySubField2': '5.00' } }],
    ['another prefix for the same namespace', { ...Object.fromEntries(Object.entries(event).filter(([k]) => !k.startsWith('example:'))), 'ex:myField1': event['example:myField1'], 'ex:myField2': '0', 'ex:myField3': event['example:myField3'] }],
    ['no recordTime, another eventID, a comment', { ...event, recordTime: undefined as unknown as Json, eventID: 'urn:uuid:0', 'rdfs:comment': 'ignored' }],
    ['whitespace around values', { ...event, action: ' OBSERVE ' }],
  ];
  it.each(same)('is unchanged by %s', (_, variant) => {
    const json = JSON.parse(JSON.stringify(variant)) as { [k: string]: Json };
    const ctx = [...context, { ex: 'https://ns.example.com/epcis/' }];
    expect(buildEventPreHash(json, { context: ctx })).toBe(buildEventPreHash(event, { context }));
  });

  const different: [string, Json][] = [
    ['another EPC', { ...event, epcList: ['urn:epc:id:sscc:4012345.0000000444'] }],
    ['one millisecond later', { ...event, eventTime: '2020-03-04T11:00:30.001+01:00' }],
    ['another offset', { ...event, eventTimeZoneOffset: '+02:00' }],
    ['an extra field', { ...event, 'example:myField4': 'x' }],
    ['another extension value', { ...event, 'example:myField2': '1' }],
  ];
  it.each(different)('changes with %s', (_, variant) => {
    expect(buildEventPreHash(variant as { [k: string]: Json }, { context })).not.toBe(buildEventPreHash(event, { context }));
  });

  it('puts typed lists type first, sorted, with ILMD and extensions after the sensor data', () => {
    const pre = buildEventPreHash(
      {
        type: 'ObjectEvent',
        eventTime: '2024-05-01T08:30:00+07:00',
        eventTimeZoneOffset: '+07:00',
        quantityList: [{ epcClass: 'urn:epc:class:lgtin:8934588.006305.L1', quantity: 12.5, uom: 'KGM' }],
        action: 'ADD',
        sourceList: [{ source: 'urn:epc:id:pgln:8934588.00000', type: 'owning_party' }],
        bizTransactionList: [{ bizTransaction: 'urn:epcglobal:cbv:bt:8934588000007:PO1', type: 'po' }],
        ilmd: { 'cbvmda:harvestStartDate': '2024-04-30' },
        sensorElementList: [{ sensorReport: [{ type: 'Temperature', value: 4, uom: 'CEL' }] }],
      },
      { context },
    );
    expect(pre).toBe(
      'eventType=ObjectEventeventTime=2024-05-01T01:30:00.000ZeventTimeZoneOffset=+07:00' +
        'quantityListquantityElementepcClass=https://id.gs1.org/01/08934588063053/10/L1quantity=12.5uom=KGMaction=ADD' +
        'sensorElementListsensorElementsensorReporttype=https://gs1.org/voc/Temperaturevalue=4uom=CEL' +
        'bizTransactionListtype=https://ref.gs1.org/cbv/BTT-pobizTransaction=urn:epcglobal:cbv:bt:8934588000007:PO1' +
        'ilmd{urn:epcglobal:cbv:mda:}harvestStartDate=2024-04-30' +
        'sourceListtype=https://ref.gs1.org/cbv/SDT-owning_partysource=https://id.gs1.org/417/8934588000003',
    );
  });

  it.each([null, 'ObjectEvent', { eventTime: '2024-05-01T08:30:00Z' }])('throws TypeError for %j', (bad) => {
    expect(() => buildEventPreHash(bad as unknown as { [k: string]: Json })).toThrow(TypeError);
  });
});

describe('computeEventHashId', () => {
  it('is the RFC 6920 ni URI of the SHA-256 of the pre-hash string', async () => {
    const id = await computeEventHashId(event, { context });
    expect(id).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
    // The same event as the vector ReferenceEventHashAlgorithm (plus an eventID, which is not hashed).
    expect(id).toBe(readVector('ReferenceEventHashAlgorithm.jsonld').hashes[0]);
  });
});

describe('normaliseHashTime', () => {
  it.each([
    ['2023-01-11T12:00:00+01:00', '2023-01-11T11:00:00.000Z'],
    ['2022-02-16T20:33:31.116000-06:00', '2022-02-17T02:33:31.116Z'],
    ['2023-02-02T11:04:03.1415Z', '2023-02-02T11:04:03.142Z'],
    ['2023-02-02T11:04:03.1414Z', '2023-02-02T11:04:03.141Z'],
    ['2023-12-31T23:59:59.9996Z', '2024-01-01T00:00:00.000Z'],
    ['2019-10-21T14:45:00z', '2019-10-21T14:45:00.000Z'],
    ['2024-05-01T08:30:00.5+0700', '2024-05-01T01:30:00.500Z'],
    ['2024-05-01T08:30:00', '2024-05-01T08:30:00'], // no offset: left as is
    ['2024-04-31T08:30:00Z', '2024-04-31T08:30:00Z'], // no such day
    ['not a time', 'not a time'],
  ])('%s → %s', (input, output) => {
    expect(normaliseHashTime(input)).toBe(output);
  });
});

describe('formatHashNumber', () => {
  it.each([
    [1, '1'],
    [1.0, '1'],
    [0.3434, '0.3434'],
    [-0, '0'],
    [12.1, '12.1'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [1e21, '1000000000000000000000'],
    [123456789.125, '123456789.125'],
  ])('%d → %s', (n, text) => {
    expect(formatHashNumber(n)).toBe(text);
  });
});

describe('listDocumentEvents', () => {
  it.each<[string, Json, number]>([
    ['an EPCISDocument', { epcisBody: { eventList: [{ type: 'ObjectEvent' }, { type: 'AggregationEvent' }] } }, 2],
    ['an EPCISQueryDocument', { epcisBody: { queryResults: { resultsBody: { eventList: [{ type: 'ObjectEvent' }] } } } }, 1],
    ['a single-event body', { epcisBody: { event: { type: 'ObjectEvent' } } }, 1],
    ['no body', { type: 'EPCISDocument' }, 0],
    ['not an object', 'x', 0],
  ])('finds the events of %s', (_, doc, n) => {
    expect(listDocumentEvents(doc)).toHaveLength(n);
  });
});
