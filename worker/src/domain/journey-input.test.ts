import { describe, expect, it } from 'vitest';
import { buildJourney } from './journey.ts';
import { buildJourneyInput, journeyEventOf, type JourneyEventRow, type JourneyFacts, type JourneyTracedLot } from './journey-input.ts';
import { buildScanAnswer, type StampRecord } from './stamp-answer.ts';
import { lotUri } from './trace-ids.ts';
import type { TraceEventLot } from './trace-events.ts';

const FISH = lotUri('8936092700141', 'CC-1');
const SAUCE = lotUri('8936092700110', 'NM-1');
const SALT = lotUri('8936092700158', 'M-1');

let seq = 0;
/** A stored event row with only what the journey reads set meaningfully. */
function row(over: Partial<JourneyEventRow> & Pick<JourneyEventRow, 'lots'>): JourneyEventRow {
  seq += 1;
  return {
    eventId: `ni:///sha-256;${String(seq).padStart(64, '0')}?ver=CBV2.0`,
    stage: 'packing',
    bizStep: 'packing',
    eventTime: '2026-03-20T08:00:00+07:00',
    eventTimeMs: Date.parse('2026-03-20T08:00:00+07:00'),
    recordTime: seq,
    producerName: 'Hợp tác xã Thủy sản Cái Rồng',
    location: { name: 'Nhà thùng chượp', provinceCode: '22', communeCode: '06994' },
    source: null,
    destination: null,
    declared: false,
    ...over,
  };
}
const lot = (role: TraceEventLot['role'], epc: string, batchId: number | null = null): TraceEventLot => ({ role, epc, epcKind: 'class', quantity: 9, uom: 'KGM', batchId });
const at = (iso: string) => ({ eventTime: iso, eventTimeMs: Date.parse(iso) });

const harvest = row({
  stage: 'harvest',
  bizStep: 'commissioning',
  ...at('2025-03-08T05:30:00+07:00'),
  location: { name: 'Ngư trường Cô Tô', provinceCode: '22', communeCode: '07192' },
  lots: [lot('object', FISH, 5)],
});
const processing = row({ stage: 'processing', bizStep: 'commissioning', ...at('2025-03-08T15:00:00+07:00'), lots: [lot('input', FISH, 5), lot('output', SAUCE, 6)] });
const packing = row({ lots: [lot('object', SAUCE, 6)] });
const traced = (epcClass: string, viaEventId: string, depth = 1, batch: JourneyTracedLot['batch'] = null): JourneyTracedLot => ({
  depth,
  epcClass,
  lotCode: epcClass.split('/').pop() ?? null,
  batch,
  viaEventId,
});
const fishBatch = { productId: 50, productName: 'Cá cơm than', producerName: 'Hợp tác xã Thủy sản Cái Rồng' };
const sauceBatch = { product: { name: 'Nước mắm Cái Rồng', category: 'fishery' as const }, lotCode: 'NM-1', producer: { name: 'Hợp tác xã Thủy sản Cái Rồng' } };
const facts = (over: Partial<JourneyFacts> = {}): JourneyFacts => ({
  events: [processing, packing],
  back: [traced(FISH, processing.eventId, 1, fishBatch)],
  inputEvents: [harvest, processing],
  products: new Map([[50, { name: 'Cá cơm than', category: 'fishery' }]]),
  ...over,
});

describe('journeyEventOf', () => {
  it.each<[string, Partial<JourneyEventRow>, Record<string, unknown>]>([
    ['names the stage and the units as today', {}, { stageName: { vi: 'Đóng gói', en: 'Packing' }, place: expect.objectContaining({ communeName: 'Vân Đồn', provinceName: 'Quảng Ninh' }) }],
    ['an event outside the catalogue has no stage name', { stage: null }, { stageName: null }],
    ['no location, no place', { location: null }, { place: null }],
    ['a location without commune', { location: { name: 'Kho', provinceCode: '22', communeCode: null } }, { place: expect.objectContaining({ communeName: null, provinceName: 'Quảng Ninh' }) }],
    ['a shipping names its destination, registered or not', { stage: 'shipping', destination: { name: 'Cửa hàng', linkedProducerId: null } }, { partner: { name: 'Cửa hàng', registered: false } }],
    ['a receiving names its source', { stage: 'receiving', source: { name: 'HTX Chè', linkedProducerId: 9 } }, { partner: { name: 'HTX Chè', registered: true } }],
    ['a declared event is erroneous', { declared: true }, { erroneous: true }],
  ])('%s', (_name, over, expected) => {
    expect(journeyEventOf(row({ lots: [], ...over }))).toMatchObject(expected);
  });
});

describe('buildJourneyInput', () => {
  it.each<[string, JourneyFacts, { inputs: string[]; stages: [string | null, boolean][] }]>([
    ['a batch made from one lot', facts(), { inputs: ['Cá cơm than đánh bắt tại Cô Tô'], stages: [['harvest', true], ['processing', false], ['packing', false]] }],
    ['no trace back: its own stages only', facts({ back: [], inputEvents: [] }), { inputs: [], stages: [['processing', false], ['packing', false]] }],
    ['a traced lot whose transformation is not among the events is left out', facts({ back: [traced(FISH, 'ni:///unknown')] }), { inputs: [], stages: [['processing', false], ['packing', false]] }],
    [
      'a lot two steps back hangs under the lot it made',
      facts({
        back: [traced(FISH, processing.eventId, 1, fishBatch), traced(SALT, 'salting', 2, { ...fishBatch, productId: 51, productName: 'Muối' })],
        inputEvents: [
          harvest,
          processing,
          row({ eventId: 'salting', stage: 'processing', ...at('2025-03-08T10:00:00+07:00'), lots: [lot('input', SALT, 7), lot('output', FISH, 5)] }),
        ],
        products: new Map([
          [50, { name: 'Cá cơm than', category: 'fishery' }],
          [51, { name: 'Muối biển', category: 'farm' }],
        ]),
      }),
      {
        inputs: ['Cá cơm than đánh bắt tại Cô Tô', 'Muối biển chế biến tại Vân Đồn'],
        stages: [['harvest', true], ['processing', true], ['processing', false], ['packing', false]],
      },
    ],
  ])('%s', (_name, f, expected) => {
    const journey = buildJourney(buildJourneyInput(sauceBatch, f));
    expect(journey.inputs.map((i) => i.sentence.vi)).toEqual(expected.inputs);
    expect(journey.stages.map((s) => [s.stage, s.input])).toEqual(expected.stages);
  });

  it('gives the scan answer its journey (buildScanAnswer)', () => {
    const stamp = {
      printRun: { kind: 'qr' },
      activation: { activatedAt: new Date(0) },
      voided: false,
      recalled: false,
      alerts: [],
      producer: { id: 1, name: 'Hợp tác xã Thủy sản Cái Rồng', kind: 'cooperative', taxCode: '5702019476', address: 'Cái Rồng', province: 'Quảng Ninh', district: null, gln: null, phone: null, distributionArea: null },
      product: { id: 6, name: 'Nước mắm Cái Rồng', gtin: '8936092700110', category: 'fishery', ocopStars: 4, imageUrl: null, description: null, shelfLifeDays: null, standards: null },
      batch: { id: 6, lotCode: 'NM-1', productionDate: '2026-03-20', expiryDate: null, quantity: 3000, unit: 'chai' },
      certificates: [],
      stamp: null,
    } satisfies StampRecord;
    const answer = buildScanAnswer({ code: 'C', serial: 1, stamp, today: '2026-04-01', journey: facts() });
    expect(answer.journey.map((s) => [s.bizStep, s.input, s.place])).toEqual([
      ['commissioning', true, 'Cô Tô, Quảng Ninh'],
      ['commissioning', false, 'Vân Đồn, Quảng Ninh'],
      ['packing', false, 'Vân Đồn, Quảng Ninh'],
    ]);
    expect(JSON.stringify(answer.journey)).not.toMatch(/quantity|KGM/);
    expect(buildScanAnswer({ code: 'C', serial: 1, stamp: { ...stamp, batch: null }, today: '2026-04-01', journey: facts() }).journey).toEqual([]);
  });
});
