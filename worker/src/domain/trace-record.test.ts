import { describe, expect, it } from 'vitest';
import {
  buildEpcisEvent,
  EPCIS_CONTEXT_URL,
  eventColumns,
  eventLots,
  MAX_INPUTS,
  parseEventTime,
  validateStage,
  type StageContext,
  type StageInput,
} from './trace-record.ts';

const BASE = 'https://tem.example';
const NOW = Date.parse('2025-10-02T10:00:00+07:00');
const ctx: StageContext = { now: NOW, publicBaseUrl: BASE, producer: { id: 1, gln: null }, productionDate: '2025-10-01' };
const FISH = { gtin: '8934588012341', lotCode: 'CA-2509' };
const SAUCE = { gtin: '8934588012358', lotCode: 'NM/2510' };
const SALT = { gtin: '8934588012365', lotCode: 'MUOI-1' };
const FISH_URI = 'https://id.gs1.org/01/08934588012341/10/CA-2509';
const SAUCE_URI = 'https://id.gs1.org/01/08934588012358/10/NM%2F2510';
const SALT_URI = 'https://id.gs1.org/01/08934588012365/10/MUOI-1';
const CONTEXT = [EPCIS_CONTEXT_URL, { tx: 'https://tem.example/ns/epcis#' }];

const stage = (over: Partial<StageInput> & Pick<StageInput, 'stage'>): StageInput => ({
  eventTime: '2025-10-02T08:30+07:00',
  location: { id: 5, gln: null },
  lot: SAUCE,
  quantity: { value: 120, uom: 'XBO' },
  ...over,
});
const processing = (over: Partial<StageInput> = {}) =>
  stage({
    stage: 'processing',
    quantity: { value: 400, uom: 'LTR' },
    inputs: [
      { lot: FISH, quantity: { value: 300, uom: 'KGM' } },
      { lot: SALT, quantity: { value: 100, uom: 'KGM' } },
    ],
    ...over,
  });

describe('parseEventTime', () => {
  it.each([
    ['2025-10-01T06:30+07:00', { ms: Date.parse('2025-09-30T23:30:00Z'), offset: '+07:00', iso: '2025-10-01T06:30:00+07:00' }],
    ['2025-10-01T06:30:15.250+07:00', { ms: Date.parse('2025-09-30T23:30:15.250Z'), offset: '+07:00', iso: '2025-10-01T06:30:15.250+07:00' }],
    ['2025-10-01T06:30:00Z', { ms: Date.parse('2025-10-01T06:30:00Z'), offset: '+00:00', iso: '2025-10-01T06:30:00+00:00' }],
    ['2025-10-01T06:30:00-14:00', { ms: Date.parse('2025-10-01T20:30:00Z'), offset: '-14:00', iso: '2025-10-01T06:30:00-14:00' }],
    ['2025-10-01T06:30:00+14:00', { ms: Date.parse('2025-09-30T16:30:00Z'), offset: '+14:00', iso: '2025-10-01T06:30:00+14:00' }],
    ['2025-10-01T06:30:00', 'time_without_offset'],
    ['2025-10-01T06:30', 'time_without_offset'],
    ['2025-10-01', 'time_invalid'],
    ['2025-02-30T06:30:00+07:00', 'time_invalid'],
    ['2025-10-01T24:00:00+07:00', 'time_invalid'],
    ['2025-10-01T06:30:00+15:00', 'time_invalid'],
    ['2025-10-01T06:30:00.1234+07:00', 'time_invalid'],
    ['1800-10-01T06:30:00+07:00', 'time_invalid'],
    ['yesterday', 'time_invalid'],
  ])('%j', (s, expected) => {
    const got = parseEventTime(s);
    if (typeof expected === 'string') expect(got).toBe(expected);
    else expect(got).toEqual(expected);
  });
});

describe('validateStage', () => {
  it('accepts a valid stage of every kind', () => {
    const valid: StageInput[] = [
      stage({ stage: 'harvest', lot: FISH, quantity: { value: 300, uom: 'KGM' }, harvest: { startDate: '2025-09-28', endDate: '2025-09-30', catchArea: '71', areaHectares: 2.5 } }),
      stage({ stage: 'inspection', quantity: null, inspection: { result: 'pass', certificateId: 4 } }),
      processing(),
      stage({ stage: 'packing' }),
      stage({ stage: 'shipping', partner: { id: 3, gln: null } }),
      stage({ stage: 'receiving', partner: { id: 3, gln: null }, lot: FISH, quantity: { value: 300, uom: 'KGM' } }),
      stage({ stage: 'retail', quantity: null }),
    ];
    for (const v of valid) expect(validateStage(v, ctx), v.stage).toEqual([]);
  });

  // Each case: the input, and the issues (field, code) it must produce, in order.
  it.each<[string, StageInput, StageContext, [string, string][]]>([
    ['time without offset', stage({ stage: 'packing', eventTime: '2025-10-02T08:30:00' }), ctx, [['eventTime', 'time_without_offset']]],
    ['time in the future beyond skew', stage({ stage: 'packing', eventTime: '2025-10-02T10:05:01+07:00' }), ctx, [['eventTime', 'time_in_future']]],
    ['packing before the production date', stage({ stage: 'packing', eventTime: '2025-09-30T23:59:00+07:00' }), ctx, [['eventTime', 'time_before_production']]],
    ['shipping before the production date (in Việt Nam time)', stage({ stage: 'shipping', partner: { id: 3, gln: null }, eventTime: '2025-09-30T16:59:00Z' }), ctx, [['eventTime', 'time_before_production']]],
    ['retail before the production date', stage({ stage: 'retail', eventTime: '2025-09-01T08:00+07:00' }), ctx, [['eventTime', 'time_before_production']]],
    ['bad GTIN and lot', stage({ stage: 'packing', lot: { gtin: '8934588012342', lotCode: 'lô 1' } }), ctx, [['lot.gtin', 'invalid_gtin'], ['lot.lotCode', 'invalid_lot_code']]],
    ['zero quantity', stage({ stage: 'packing', quantity: { value: 0, uom: 'XBO' } }), ctx, [['quantity.value', 'quantity_not_positive']]],
    ['negative quantity', stage({ stage: 'packing', quantity: { value: -3, uom: 'XBO' } }), ctx, [['quantity.value', 'quantity_not_positive']]],
    ['unknown unit', stage({ stage: 'packing', quantity: { value: 3, uom: 'kg' } }), ctx, [['quantity.uom', 'unknown_unit']]],
    ['half a bottle', stage({ stage: 'packing', quantity: { value: 2.5, uom: 'XBO' } }), ctx, [['quantity.value', 'quantity_not_whole']]],
    ['shipping without quantity', stage({ stage: 'shipping', partner: { id: 3, gln: null }, quantity: null }), ctx, [['quantity', 'quantity_required']]],
    ['processing with no inputs', processing({ inputs: [] }), ctx, [['inputs', 'no_inputs']]],
    ['processing with inputs missing', processing({ inputs: null }), ctx, [['inputs', 'no_inputs']]],
    ['output is one of its inputs', processing({ inputs: [{ lot: { gtin: '08934588012358', lotCode: 'NM/2510' }, quantity: { value: 1, uom: 'LTR' } }] }), ctx, [['inputs.0.lot', 'output_is_input']]],
    [
      'the same input twice',
      processing({ inputs: [{ lot: FISH, quantity: { value: 1, uom: 'KGM' } }, { lot: { ...FISH, gtin: '08934588012341' }, quantity: { value: 2, uom: 'KGM' } }] }),
      ctx,
      [['inputs.1.lot', 'duplicate_input']],
    ],
    ['an input without quantity', processing({ inputs: [{ lot: FISH }] }), ctx, [['inputs.0.quantity', 'quantity_required']]],
    [
      'too many inputs',
      processing({ inputs: Array.from({ length: MAX_INPUTS + 1 }, (_, i) => ({ lot: { ...FISH, lotCode: `L${i}` }, quantity: { value: 1, uom: 'KGM' } })) }),
      ctx,
      [['inputs', 'too_many_inputs']],
    ],
    ['inputs on packing', stage({ stage: 'packing', inputs: [{ lot: FISH, quantity: { value: 1, uom: 'KGM' } }] }), ctx, [['inputs', 'inputs_not_allowed']]],
    ['shipping without partner', stage({ stage: 'shipping' }), ctx, [['partner', 'partner_required']]],
    ['receiving without partner', stage({ stage: 'receiving' }), ctx, [['partner', 'partner_required']]],
    ['packing with partner', stage({ stage: 'packing', partner: { id: 3, gln: null } }), ctx, [['partner', 'partner_not_allowed']]],
    ['harvest data on packing', stage({ stage: 'packing', harvest: { startDate: '2025-09-28' } }), ctx, [['harvest', 'harvest_not_allowed']]],
    ['harvest ends before it starts', stage({ stage: 'harvest', harvest: { startDate: '2025-09-28', endDate: '2025-09-27' } }), ctx, [['harvest.endDate', 'harvest_dates_order']]],
    ['harvest ends after the event', stage({ stage: 'harvest', harvest: { endDate: '2025-10-03' } }), ctx, [['harvest.endDate', 'harvest_after_event']]],
    ['harvest starts after the event', stage({ stage: 'harvest', harvest: { startDate: '2025-10-03' } }), ctx, [['harvest.startDate', 'harvest_after_event']]],
    ['harvest bad dates', stage({ stage: 'harvest', harvest: { startDate: '2025-13-01', endDate: '28/09/2025' } }), ctx, [['harvest.startDate', 'invalid_date'], ['harvest.endDate', 'invalid_date']]],
    ['bad catch area and area', stage({ stage: 'harvest', harvest: { catchArea: 'Cô Tô', areaHectares: 0 } }), ctx, [['harvest.catchArea', 'invalid_catch_area'], ['harvest.areaHectares', 'invalid_area']]],
    ['inspection without result', stage({ stage: 'inspection' }), ctx, [['inspection', 'inspection_required']]],
    ['result on packing', stage({ stage: 'packing', inspection: { result: 'pass' } }), ctx, [['inspection', 'inspection_not_allowed']]],
    ['expiry on shipping', stage({ stage: 'shipping', partner: { id: 3, gln: null }, expiryDate: '2026-10-01' }), ctx, [['expiryDate', 'expiry_not_allowed']]],
    ['expiry before the event', processing({ expiryDate: '2025-10-01' }), ctx, [['expiryDate', 'expiry_before_event']]],
    ['expiry not a date', processing({ expiryDate: '2026-02-30' }), ctx, [['expiryDate', 'invalid_date']]],
  ])('%s', (_name, input, context, expected) => {
    const issues = validateStage(input, context);
    expect(issues.map((i) => [i.field, i.code])).toEqual(expected);
    for (const i of issues) expect(i.message).toMatch(new RegExp(`^${i.field.replace(/\./g, '\\.')}: .+`));
  });

  it.each([
    ['harvest', stage({ stage: 'harvest', eventTime: '2025-09-25T05:00+07:00' })],
    ['inspection', stage({ stage: 'inspection', eventTime: '2025-09-25T05:00+07:00', inspection: { result: 'fail' } })],
    ['processing', processing({ eventTime: '2025-09-25T05:00+07:00' })],
  ])('%s may precede the production date', (_kind, input) => {
    expect(validateStage(input, ctx)).toEqual([]);
  });

  it('allows the clock skew and no production date', () => {
    expect(validateStage(stage({ stage: 'packing', eventTime: '2025-10-02T10:04:59+07:00' }), ctx)).toEqual([]);
    expect(validateStage(stage({ stage: 'packing', eventTime: '2020-01-01T08:00+07:00' }), { ...ctx, productionDate: null })).toEqual([]);
  });
});

describe('buildEpcisEvent', () => {
  it('a harvest is an ObjectEvent ADD commissioning with ILMD in cbvmda terms', () => {
    const event = buildEpcisEvent(
      stage({
        stage: 'harvest',
        eventTime: '2025-09-30T17:00+07:00',
        lot: FISH,
        quantity: { value: 300, uom: 'KGM' },
        location: { id: 5, gln: '8934588000010' },
        harvest: { startDate: '2025-09-28', endDate: '2025-09-30', catchArea: '71', areaHectares: 2.5 },
        expiryDate: '2025-10-05',
      }),
      ctx,
    );
    expect(event).toEqual({
      '@context': CONTEXT,
      type: 'ObjectEvent',
      eventTime: '2025-09-30T17:00:00+07:00',
      eventTimeZoneOffset: '+07:00',
      quantityList: [{ epcClass: FISH_URI, quantity: 300, uom: 'KGM' }],
      action: 'ADD',
      bizStep: 'commissioning',
      disposition: 'active',
      readPoint: { id: 'https://id.gs1.org/414/8934588000010' },
      bizLocation: { id: 'https://id.gs1.org/414/8934588000010' },
      ilmd: {
        'cbvmda:countryOfOrigin': 'VN',
        'cbvmda:harvestStartDate': '2025-09-28',
        'cbvmda:harvestEndDate': '2025-09-30',
        'cbvmda:catchArea': '71',
        'tx:harvestAreaHectares': 2.5,
        'cbvmda:itemExpirationDate': '2025-10-05',
      },
    });
  });

  it('processing is a TransformationEvent from input lots to the output lot', () => {
    expect(buildEpcisEvent(processing(), ctx)).toEqual({
      '@context': CONTEXT,
      type: 'TransformationEvent',
      eventTime: '2025-10-02T08:30:00+07:00',
      eventTimeZoneOffset: '+07:00',
      inputQuantityList: [
        { epcClass: FISH_URI, quantity: 300, uom: 'KGM' },
        { epcClass: SALT_URI, quantity: 100, uom: 'KGM' },
      ],
      outputQuantityList: [{ epcClass: SAUCE_URI, quantity: 400, uom: 'LTR' }],
      bizStep: 'commissioning',
      disposition: 'in_progress',
      readPoint: { id: 'https://tem.example/locations/5' },
      bizLocation: { id: 'https://tem.example/locations/5' },
    });
  });

  it('shipping names the partner as destination and leaves no bizLocation', () => {
    const event = buildEpcisEvent(stage({ stage: 'shipping', partner: { id: 3, gln: null } }), { ...ctx, producer: { id: 1, gln: '8934588000010' } });
    expect(event).toEqual({
      '@context': CONTEXT,
      type: 'ObjectEvent',
      eventTime: '2025-10-02T08:30:00+07:00',
      eventTimeZoneOffset: '+07:00',
      quantityList: [{ epcClass: SAUCE_URI, quantity: 120, uom: 'XBO' }],
      action: 'OBSERVE',
      bizStep: 'shipping',
      disposition: 'in_transit',
      readPoint: { id: 'https://tem.example/locations/5' },
      sourceList: [{ type: 'owning_party', source: 'https://id.gs1.org/417/8934588000010' }],
      destinationList: [{ type: 'owning_party', destination: 'https://tem.example/partners/3' }],
    });
  });

  it('receiving names the partner as source', () => {
    const event = buildEpcisEvent(stage({ stage: 'receiving', partner: { id: 3, gln: '8934588000027' } }), ctx);
    expect(event.sourceList).toEqual([{ type: 'owning_party', source: 'https://id.gs1.org/417/8934588000027' }]);
    expect(event.destinationList).toEqual([{ type: 'owning_party', destination: 'https://tem.example/producers/1' }]);
    expect(event.bizLocation).toEqual({ id: 'https://tem.example/locations/5' });
  });

  it.each([
    ['pass', 'conformant'],
    ['fail', 'non_conformant'],
  ] as const)('an inspection that failed or passed: %s', (result, disposition) => {
    const event = buildEpcisEvent(stage({ stage: 'inspection', quantity: null, inspection: { result, certificateId: 4 } }), ctx);
    expect(event).toMatchObject({ type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'inspecting', disposition, certificationInfo: 'https://tem.example/certificates/4' });
    expect(event.quantityList).toEqual([{ epcClass: SAUCE_URI }]);
    expect(event).not.toHaveProperty('ilmd');
  });

  it('retail is retail_selling, retail_sold, without bizLocation', () => {
    const event = buildEpcisEvent(stage({ stage: 'retail' }), ctx);
    expect(event).toMatchObject({ bizStep: 'retail_selling', disposition: 'retail_sold', readPoint: { id: 'https://tem.example/locations/5' } });
    expect(event).not.toHaveProperty('bizLocation');
  });

  it('refuses an invalid stage with its reasons', () => {
    expect(() => buildEpcisEvent(processing({ inputs: [] }), ctx)).toThrow(/inputs: processing needs at least one input lot/);
  });
});

describe('eventColumns and eventLots', () => {
  it('index a built event', () => {
    const event = buildEpcisEvent(processing(), ctx);
    expect(eventColumns(event)).toEqual({
      type: 'TransformationEvent',
      action: null,
      bizStep: 'commissioning',
      disposition: 'in_progress',
      eventTime: Date.parse('2025-10-02T01:30:00Z'),
      eventTimeZoneOffset: '+07:00',
      readPoint: 'https://tem.example/locations/5',
      bizLocation: 'https://tem.example/locations/5',
    });
    expect(eventLots(event)).toEqual([
      { role: 'input', epc: FISH_URI, epcKind: 'class', quantity: 300, uom: 'KGM', gtin14: '08934588012341', lotCode: 'CA-2509' },
      { role: 'input', epc: SALT_URI, epcKind: 'class', quantity: 100, uom: 'KGM', gtin14: '08934588012365', lotCode: 'MUOI-1' },
      { role: 'output', epc: SAUCE_URI, epcKind: 'class', quantity: 400, uom: 'LTR', gtin14: '08934588012358', lotCode: 'NM/2510' },
    ]);
  });

  it('read a captured aggregation event with EPC URNs', () => {
    const captured = {
      type: 'AggregationEvent',
      eventTime: '2020-06-07T17:10:16Z',
      eventTimeZoneOffset: '+02:00',
      parentID: 'urn:epc:id:sscc:0614141.1234567890',
      childEPCs: ['urn:epc:id:sgtin:0614141.107346.2017', 'urn:epc:id:sgtin:0614141.107346.2017'],
      childQuantityList: [{ epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', quantity: 200, uom: 'KGM' }],
      action: 'ADD',
      bizStep: 'https://ref.gs1.org/cbv/BizStep-packing',
      readPoint: { id: 'urn:epc:id:sgln:0614141.07346.1234' },
    };
    expect(eventColumns(captured)).toMatchObject({ type: 'AggregationEvent', action: 'ADD', bizStep: 'https://ref.gs1.org/cbv/BizStep-packing', disposition: null, bizLocation: null });
    expect(eventLots(captured)).toEqual([
      { role: 'parent', epc: 'urn:epc:id:sscc:0614141.1234567890', epcKind: 'instance', quantity: null, uom: null, gtin14: null, lotCode: null },
      { role: 'child', epc: 'urn:epc:id:sgtin:0614141.107346.2017', epcKind: 'instance', quantity: null, uom: null, gtin14: null, lotCode: null },
      { role: 'child', epc: 'urn:epc:class:lgtin:4012345.012345.998877', epcKind: 'class', quantity: 200, uom: 'KGM', gtin14: '04012345123456', lotCode: '998877' },
    ]);
  });

  it.each([
    [{ type: 'objectEvent', eventTime: '2025-10-01T00:00:00Z', eventTimeZoneOffset: '+00:00' }],
    [{ type: 'ObjectEvent', eventTime: 'soon', eventTimeZoneOffset: '+00:00' }],
    [{ type: 'ObjectEvent', eventTime: '2025-10-01T00:00:00Z' }],
  ])('refuse an event without type, time or offset: %j', (event) => {
    expect(() => eventColumns(event)).toThrow(RangeError);
  });
});
