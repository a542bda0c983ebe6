import { describe, expect, it } from 'vitest';
import type { Json } from './event-hash.ts';
import { appendPointer, checkEpcisRules } from './rules.ts';

const CONTEXT = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { tx: 'https://truyxuat.example/ns/' }];
const doc = (...events: Json[]): Json => ({ '@context': CONTEXT, type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2024-05-01T08:30:00+07:00', epcisBody: { eventList: events } });
const base = { eventTime: '2024-05-01T08:30:00+07:00', eventTimeZoneOffset: '+07:00' };
const object = (fields: Record<string, Json>): Json => ({ type: 'ObjectEvent', ...base, epcList: ['urn:epc:id:sgtin:8934588.006305.1'], action: 'OBSERVE', ...fields });
const E = '/epcisBody/eventList/0';

describe('checkEpcisRules', () => {
  it.each<[string, Json]>([
    ['a namespaced extension with a declared prefix', object({ 'tx:harvestArea': 'Quảng Ninh' })],
    ['a standard-context prefix (cbvmda) in ilmd', object({ action: 'ADD', ilmd: { 'cbvmda:lotNumber': 'L1' } })],
    ['an extension whose key is a full IRI', object({ 'https://truyxuat.example/ns/area': 'x' })],
    ['a private bizStep URI outside CBV', object({ bizStep: 'https://truyxuat.example/vocab/drying' })],
    ['a CBV Web URI and a CURIE', object({ bizStep: 'https://ref.gs1.org/cbv/BizStep-shipping', disposition: 'cbv:Disp-in_transit' })],
    ['an ObjectEvent with quantities only', object({ epcList: [], quantityList: [{ epcClass: 'urn:epc:class:lgtin:8934588.006305.L1', quantity: 5, uom: 'KGM' }] })],
    ['an OBSERVE AggregationEvent without parentID', { type: 'AggregationEvent', ...base, childEPCs: ['urn:epc:id:sgtin:8934588.006305.1'], action: 'OBSERVE' }],
    ['eventTimeZoneOffset at the extremes', object({ eventTimeZoneOffset: '-12:00' })],
    ['a Z time', object({ eventTime: '2024-05-01T01:30:00.5Z', eventTimeZoneOffset: '+00:00' })],
    ['sensor data with GS1 measurement words', object({ sensorElementList: [{ sensorMetadata: { time: '2024-05-01T08:00:00Z' }, sensorReport: [{ type: 'Temperature', value: 4, uom: 'CEL', component: 'latitude' }] }] })],
  ])('accepts %s', (_, event) => {
    expect(checkEpcisRules(doc(event))).toEqual([]);
  });

  it.each<[string, Json, { pointer: string; message: string }[]]>([
    ['an ObjectEvent with no EPC, quantity or sensor data', object({ epcList: [] }), [{ pointer: E, message: 'an ObjectEvent names at least one EPC (epcList) or quantity (quantityList), or carries sensor data (sensorElementList)' }]],
    ['an ADD AggregationEvent without parentID', { type: 'AggregationEvent', ...base, childEPCs: ['urn:epc:id:sgtin:8934588.006305.1'], action: 'ADD' }, [{ pointer: `${E}/parentID`, message: 'an AggregationEvent with action ADD names its parentID' }]],
    ['a DELETE AggregationEvent without parentID', { type: 'AggregationEvent', ...base, action: 'DELETE' }, [{ pointer: `${E}/parentID`, message: 'an AggregationEvent with action DELETE names its parentID' }]],
    ['an AssociationEvent without parentID', { type: 'AssociationEvent', ...base, childEPCs: ['urn:epc:id:grai:8934588.00001.1'], action: 'ADD' }, [{ pointer: `${E}/parentID`, message: 'an AssociationEvent names its parentID' }]],
    ['a CBV Web URI with an unknown word', object({ bizStep: 'https://ref.gs1.org/cbv/BizStep-drying' }), [{ pointer: `${E}/bizStep`, message: '"https://ref.gs1.org/cbv/BizStep-drying" is not a CBV 2.0 business step' }]],
    ['a CBV 1.x disposition URN in persistentDisposition', object({ persistentDisposition: { set: ['urn:epcglobal:cbv:disp:recalled'] } }), [{ pointer: `${E}/persistentDisposition/set/0`, message: 'CBV 1.x URN "urn:epcglobal:cbv:disp:recalled" is not used in EPCIS 2.0 JSON; write "recalled" or https://ref.gs1.org/cbv/Disp-recalled' }]],
    ['an unknown business transaction type', object({ bizTransactionList: [{ type: 'invoice', bizTransaction: 'urn:epcglobal:cbv:bt:8934588000003:1' }] }), [{ pointer: `${E}/bizTransactionList/0/type`, message: 'unknown CBV 2.0 business transaction type "invoice"; a private vocabulary value is a full URI' }]],
    ['an unknown source type', object({ sourceList: [{ type: 'owner', source: 'urn:epc:id:pgln:8934588.00000' }] }), [{ pointer: `${E}/sourceList/0/type`, message: 'unknown CBV 2.0 source/destination type "owner"; a private vocabulary value is a full URI' }]],
    ['an unknown measurement type', object({ sensorElementList: [{ sensorReport: [{ type: 'Temp', value: 4 }] }] }), [{ pointer: `${E}/sensorElementList/0/sensorReport/0/type`, message: 'unknown GS1 measurement type "Temp"; a private vocabulary value is a full URI' }]],
    ['a sensor time without offset', object({ sensorElementList: [{ sensorMetadata: { startTime: '2024-05-01T08:00' } }] }), [{ pointer: `${E}/sensorElementList/0/sensorMetadata/startTime`, message: 'time "2024-05-01T08:00" has no UTC offset; write Z or ±hh:mm' }]],
    ['an un-namespaced field in readPoint', object({ readPoint: { id: 'urn:epc:id:sgln:8934588.00000.0', name: 'Kho 1' } }), [{ pointer: `${E}/readPoint/name`, message: '"name" is not a field of readPoint; an extension field is a compact IRI (prefix:name) with its prefix declared in @context' }]],
    ['an un-namespaced ILMD field', object({ action: 'ADD', ilmd: { lotNumber: 'L1' } }), [{ pointer: `${E}/ilmd/lotNumber`, message: '"lotNumber" is not a field of ilmd (master data fields are namespaced, e.g. cbvmda:lotNumber); an extension field is a compact IRI (prefix:name) with its prefix declared in @context' }]],
    ['an un-namespaced key inside an extension', object({ 'tx:farm': { name: 'A' } }), [{ pointer: `${E}/tx:farm/name`, message: '"name" is not a field of an extension; an extension field is a compact IRI (prefix:name) with its prefix declared in @context' }]],
    ['a field of another event type', object({ childEPCs: ['urn:epc:id:sgtin:8934588.006305.2'] }), [{ pointer: `${E}/childEPCs`, message: '"childEPCs" is not a field of an ObjectEvent; an extension field is a compact IRI (prefix:name) with its prefix declared in @context' }]],
    ['a malformed eventTimeZoneOffset', object({ eventTimeZoneOffset: '+7:00' }), [{ pointer: `${E}/eventTimeZoneOffset`, message: 'eventTimeZoneOffset "+7:00" is not ±hh:mm between -12:00 and +14:00' }]],
    ['duplicate child EPCs', { type: 'AggregationEvent', ...base, parentID: 'urn:epc:id:sscc:8934588.0000000001', childEPCs: ['urn:epc:id:sgtin:8934588.006305.1', 'urn:epc:id:sgtin:8934588.006305.1'], action: 'ADD' }, [{ pointer: `${E}/childEPCs/1`, message: 'duplicate EPC "urn:epc:id:sgtin:8934588.006305.1": the list already has it at /epcisBody/eventList/0/childEPCs/0' }]],
  ])('refuses %s', (_, event, errors) => {
    expect(checkEpcisRules(doc(event))).toEqual(errors);
  });

  it('checks the events of a query document and of a single-event body, with their pointers', () => {
    const query: Json = { '@context': CONTEXT, type: 'EPCISQueryDocument', epcisBody: { queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList: [object({ disposition: 'lost' })] } } } };
    expect(checkEpcisRules(query)).toEqual([{ pointer: '/epcisBody/queryResults/resultsBody/eventList/0/disposition', message: 'unknown CBV 2.0 disposition "lost"; a private vocabulary value is a full URI' }]);
    const single = { '@context': CONTEXT, ...(object({ 'ex:x': 1 }) as Record<string, Json>) };
    expect(checkEpcisRules(single)).toEqual([{ pointer: '/ex:x', message: 'extension field "ex:x": its prefix "ex" is not declared in @context' }]);
  });

  it('accepts a prefix declared in the event’s own @context', () => {
    expect(checkEpcisRules(doc(object({ '@context': [{ ex: 'https://ex.example/' }], 'ex:x': 1 })))).toEqual([]);
  });

  it.each<Json>([null, 'x', [], { type: 'EPCISDocument' }])('tolerates %j (the schema reports it)', (input) => {
    expect(checkEpcisRules(input)).toEqual([]);
  });
});

describe('appendPointer', () => {
  it.each([
    ['', 'epcisBody', '/epcisBody'],
    ['/a', 0, '/a/0'],
    ['/a', 'tx:x/y~z', '/a/tx:x~1y~0z'],
  ])('%s + %s → %s', (base, token, out) => {
    expect(appendPointer(base, token)).toBe(out);
  });
});
