import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BROKEN_VARIANTS, exampleWith } from '../../../test/fixtures/epcis/broken-variants.ts';
import { validateEpcisDocument } from './validation.ts';

const EXAMPLES = join(import.meta.dirname, '../../../test/fixtures/epcis/gs1-examples');
const exampleFiles = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json')).sort();

describe('validateEpcisDocument', () => {
  it('has GS1 examples of every event type, a query document and sensor data to check', () => {
    expect(exampleFiles.length).toBeGreaterThanOrEqual(12);
  });

  it.each(exampleFiles)('accepts GS1 example %s', (file) => {
    expect(validateEpcisDocument(JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')))).toEqual({ ok: true });
  });

  it.each(BROKEN_VARIANTS)('refuses $name with exactly the expected errors', ({ mutate, errors }) => {
    expect(validateEpcisDocument(exampleWith(mutate))).toEqual({ ok: false, errors });
  });

  it('reports every fault of a document, in document order', () => {
    const doc = exampleWith((e, d) => {
      d.epcisBody.eventList.push(structuredClone(d.epcisBody.eventList[0]!));
      e.bizStep = 'shiping';
      (d.epcisBody.eventList[1] as Record<string, unknown>).eventTime = '2005-04-03';
    });
    expect(validateEpcisDocument(doc)).toEqual({
      ok: false,
      errors: [
        { pointer: '/epcisBody/eventList/0/bizStep', message: 'unknown CBV 2.0 business step "shiping"; a private vocabulary value is a full URI' },
        { pointer: '/epcisBody/eventList/1/eventTime', message: '"2005-04-03" is not a date-time with a UTC offset (e.g. 2024-05-01T08:30:00+07:00)' },
      ],
    });
  });

  it.each([
    ['a string', 'EPCISDocument', [{ pointer: '', message: 'an EPCIS document is a JSON object' }]],
    ['an array', [], [{ pointer: '', message: 'an EPCIS document is a JSON object' }]],
    ['null', null, [{ pointer: '', message: 'an EPCIS document is a JSON object' }]],
    ['an object without type', {}, [{ pointer: '/type', message: 'is required: "EPCISDocument", "EPCISQueryDocument" or an event type' }]],
    ['a document without its body', { type: 'EPCISDocument', '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'], schemaVersion: '2.0', creationDate: '2024-05-01T08:30:00+07:00' }, [{ pointer: '/epcisBody', message: 'is required' }]],
  ])('refuses %s at the root', (_, doc, errors) => {
    expect(validateEpcisDocument(doc)).toEqual({ ok: false, errors });
  });

  it('accepts one event with its own @context (the single-event capture body)', () => {
    const event = { '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'], ...exampleWith(() => {}).epcisBody.eventList[0] };
    expect(validateEpcisDocument(event)).toEqual({ ok: true });
    expect(validateEpcisDocument({ ...event, bizStep: 'urn:epcglobal:cbv:bizstep:receiving' })).toEqual({
      ok: false,
      errors: [{ pointer: '/bizStep', message: 'CBV 1.x URN "urn:epcglobal:cbv:bizstep:receiving" is not used in EPCIS 2.0 JSON; write "receiving" or https://ref.gs1.org/cbv/BizStep-receiving' }],
    });
  });
});
