/**
 * EPCIS validation and event hash IDs inside workerd: GS1's JSON Schema, compiled at build time
 * (deployed Workers refuse `new Function`; the test pool allows it, so the unit test
 * schema-validator.test.ts checks the generated code needs none), and WebCrypto's SHA-256 giving
 * the published hash IDs.
 */
import { describe, expect, it } from 'vitest';
import { computeEventHashId, listDocumentEvents, type Json } from '../src/domain/epcis/event-hash.ts';
import { buildValidationProblem } from '../src/domain/epcis/problem.ts';
import { validateEpcisDocument } from '../src/domain/epcis/validation.ts';
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
import variousHashes from './fixtures/epcis/hash-vectors/epcisDocWithVariousEventTypes.hashes?raw';
import various from './fixtures/epcis/hash-vectors/epcisDocWithVariousEventTypes.jsonld?raw';
import sensorHashes from './fixtures/epcis/hash-vectors/epcisDocWithSensorDataObjectEvent.hashes?raw';
import sensorVector from './fixtures/epcis/hash-vectors/epcisDocWithSensorDataObjectEvent.jsonld?raw';

const EXAMPLES: [string, unknown][] = Object.entries({
  association, query, transactions, objectWithError, object1, objectDigitalLink, object2, aggregation,
  transformation, persistent, sensors, objectAll, transformationAll,
});

describe('EPCIS validation in workerd', () => {
  it.each(EXAMPLES)('accepts GS1 example %s', (_, doc) => {
    expect(validateEpcisDocument(doc)).toEqual({ ok: true });
  });

  it.each(BROKEN_VARIANTS)('refuses $name with exactly the expected errors', ({ mutate, errors }) => {
    expect(validateEpcisDocument(exampleWith(mutate))).toEqual({ ok: false, errors });
  });

  it('refuses a 1,000-event document for its one broken event, and says which', () => {
    const doc = exampleWith((e, d) => {
      d.epcisBody.eventList = Array.from({ length: 1000 }, (_, i) => ({ ...e, epcList: [`urn:epc:id:sgtin:0614141.107346.${i}`] })) as typeof d.epcisBody.eventList;
      (d.epcisBody.eventList[617] as Record<string, unknown>).bizStep = 'urn:epcglobal:cbv:bizstep:shipping';
    });
    const result = validateEpcisDocument(doc);
    expect(result.ok).toBe(false);
    const problem = buildValidationProblem(result.ok ? [] : result.errors);
    expect(problem).toMatchObject({ type: 'epcisException:ValidationException', status: 400 });
    expect(problem.errors?.map((e) => e.pointer)).toEqual(['/epcisBody/eventList/617/bizStep']);
  });
});

describe('EPCIS event hash IDs in workerd', () => {
  it.each([
    ['epcisDocWithVariousEventTypes', various, variousHashes],
    ['epcisDocWithSensorDataObjectEvent', sensorVector, sensorHashes],
  ])('%s: WebCrypto gives the published hash of every event', async (_, text, hashes) => {
    const doc = JSON.parse(text) as { [k: string]: Json };
    const ids = await Promise.all(listDocumentEvents(doc).map((e) => computeEventHashId(e, { context: doc['@context'] })));
    expect(ids).toEqual(hashes.split('\n').filter(Boolean));
  });
});
