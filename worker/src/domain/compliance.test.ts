import { describe, expect, it } from 'vitest';
import {
  assessBatchCompliance,
  assessProductCompliance,
  type BatchFacts,
  COMPLIANCE_ITEMS,
  type ComplianceItemKey,
  type ComplianceResult,
  completeShare,
  isOffsetDateTime,
  type MissingFact,
  type ProducerFacts,
  type ProductFacts,
  type StageFacts,
} from './compliance.ts';

const product = (over: Partial<ProductFacts> = {}): ProductFacts => ({
  name: 'Nước mắm cá cơm Cô Tô',
  imageUrl: '/images/nuoc-mam.svg',
  gtin: '8938505974194',
  shelfLifeDays: 730,
  standards: 'TCVN 5107:2018',
  ...over,
});
const producer = (over: Partial<ProducerFacts> = {}): ProducerFacts => ({
  name: 'HTX Thủy sản Cô Tô',
  address: 'Thôn 1, đặc khu Cô Tô',
  province: 'Quảng Ninh',
  ...over,
});
const stage = (over: Partial<StageFacts> = {}): StageFacts => ({
  bizStep: 'commissioning',
  traceCode: 'urn:epc:class:lgtin:8938505.097419.NM-2026-01',
  locationCode: 'urn:epc:id:sgln:8938505.00001.0',
  eventTime: '2026-05-04T06:30:00+07:00',
  ...over,
});
const batch = (over: Partial<BatchFacts> = {}): BatchFacts => ({
  lotCode: 'NM-2026-01',
  productionDate: '2026-05-04',
  expiryDate: '2028-05-03',
  serialCount: 0,
  stages: [stage(), stage({ bizStep: 'packing', eventTime: '2026-05-10T09:00:00+07:00' })],
  ...over,
});

const KEYS = COMPLIANCE_ITEMS.map((i) => i.item);
/** The items that are not ok, with what each misses. */
const gaps = (r: ComplianceResult): Partial<Record<ComplianceItemKey, MissingFact[]>> =>
  Object.fromEntries(r.items.filter((i) => !i.ok).map((i) => [i.item, i.missing]));
const applicability = (r: ComplianceResult) => Object.fromEntries(r.items.map((i) => [i.item, i.applicable]));

describe('COMPLIANCE_ITEMS', () => {
  it('lists the ten minimum items of Circular 02/2024/TT-BKHCN in its order', () => {
    expect(KEYS).toEqual([
      'product_name',
      'product_image',
      'producer_name',
      'producer_address',
      'stages',
      'production_time',
      'traceability_code',
      'brand_serial',
      'shelf_life',
      'standards',
    ]);
    for (const { label } of COMPLIANCE_ITEMS) expect(label.vi.length > 0 && label.en.length > 0).toBe(true);
    expect(COMPLIANCE_ITEMS[7].label.vi).toBe('Thương hiệu, nhãn hiệu, mã ký hiệu, số sê-ri sản phẩm (nếu có)');
  });
});

describe('assessBatchCompliance', () => {
  it('a complete batch: ten ok items with labels, nothing missing', () => {
    const r = assessBatchCompliance({ product: product(), producer: producer(), batch: batch() });
    expect(r.complete).toBe(true);
    expect(r.items.map((i) => i.item)).toEqual(KEYS);
    for (const i of r.items) {
      expect(i).toMatchObject({ ok: true, missing: [], detail: null });
      expect(i.label).toEqual(COMPLIANCE_ITEMS.find((c) => c.item === i.item)!.label);
    }
    // No brand and no stamps: item 8 does not apply; the rest do.
    expect(applicability(r)).toEqual(Object.fromEntries(KEYS.map((k) => [k, k !== 'brand_serial'])));
  });

  it.each<[string, { product?: Partial<ProductFacts>; producer?: Partial<ProducerFacts>; batch?: Partial<BatchFacts> }, Partial<Record<ComplianceItemKey, MissingFact[]>>]>([
    ['no product name', { product: { name: null } }, { product_name: ['productName'] }],
    ['a blank product name', { product: { name: '  ' } }, { product_name: ['productName'] }],
    ['no image', { product: { imageUrl: null } }, { product_image: ['productImage'] }],
    ['an unsafe image address', { product: { imageUrl: 'javascript:alert(1)' } }, { product_image: ['productImage'] }],
    ['an http: image', { product: { imageUrl: 'http://cdn.example.vn/a.jpg' } }, { product_image: ['productImage'] }],
    ['an https: image is fine', { product: { imageUrl: 'https://cdn.example.vn/a.jpg' } }, {}],
    ['no producer name', { producer: { name: '' } }, { producer_name: ['producerName'] }],
    ['no address', { producer: { address: null } }, { producer_address: ['producerAddress'] }],
    ['no address nor province', { producer: { address: ' ', province: null } }, { producer_address: ['producerAddress', 'producerProvince'] }],
    ['no stage at all', { batch: { stages: [] } }, { stages: ['stages'] }],
    ['only an erroneous stage', { batch: { stages: [stage({ erroneous: true })] } }, { stages: ['stages'] }],
    ['an erroneous stage with gaps is not counted', { batch: { stages: [stage({ erroneous: true, locationCode: null }), stage()] } }, {}],
    ['a stage without trace code', { batch: { stages: [stage({ traceCode: null })] } }, { stages: ['stageTraceCode'] }],
    ['a stage without location code', { batch: { stages: [stage(), stage({ locationCode: '' })] } }, { stages: ['stageLocationCode'] }],
    ['a stage time without offset', { batch: { stages: [stage({ eventTime: '2026-05-04T06:30:00' })] } }, { stages: ['stageEventTime'] }],
    ['a stage without time', { batch: { stages: [stage({ eventTime: null })] } }, { stages: ['stageEventTime'] }],
    [
      'a stage missing everything',
      { batch: { stages: [stage({ traceCode: null, locationCode: null, eventTime: 'yesterday' })] } },
      { stages: ['stageTraceCode', 'stageLocationCode', 'stageEventTime'] },
    ],
    ['no production date', { batch: { productionDate: null } }, { production_time: ['productionDate'] }],
    ['an impossible production date', { batch: { productionDate: '2026-02-30', expiryDate: '2028-01-01' } }, { production_time: ['productionDate'] }],
    ['no GTIN', { product: { gtin: null } }, { traceability_code: ['gtin'] }],
    ['a GTIN with a wrong check digit', { product: { gtin: '8938505974195' } }, { traceability_code: ['gtin'] }],
    ['no lot code', { batch: { lotCode: null } }, { traceability_code: ['lotCode'] }],
    ['a lot code with a space', { batch: { lotCode: 'LÔ 1' } }, { traceability_code: ['lotCode'] }],
    ['a recorded brand', { product: { brand: 'Mắm Cô Tô' } }, {}],
    ['a brand declared but not recorded', { product: { hasBrand: true, brand: null } }, { brand_serial: ['brand'] }],
    ['stamps activated: serials recorded', { batch: { serialCount: 500 } }, {}],
    ['serialised product with no activated stamp', { batch: { serialized: true, serialCount: 0 } }, { brand_serial: ['serial'] }],
    ['brand and serial both missing', { product: { hasBrand: true }, batch: { serialized: true } }, { brand_serial: ['brand', 'serial'] }],
    ['no expiry, but shelf life gives it', { batch: { expiryDate: null } }, {}],
    ['no expiry and no shelf life', { product: { shelfLifeDays: null }, batch: { expiryDate: null } }, { shelf_life: ['expiryDate'] }],
    ['expiry before production', { product: { shelfLifeDays: null }, batch: { expiryDate: '2026-05-01' } }, { shelf_life: ['expiryDate'] }],
    ['an expiry date alone is enough', { product: { shelfLifeDays: null } }, {}],
    ['no shelf life by nature', { product: { shelfLifeDays: null, hasShelfLife: false }, batch: { expiryDate: null } }, {}],
    ['no standards', { product: { standards: null } }, { standards: ['standards'] }],
    ['standards from a certificate', { product: { standards: '', certifiedStandards: ['VietGAP (TCVN 11892-1:2017)'] } }, {}],
    ['blank certified standards do not count', { product: { standards: null, certifiedStandards: [' '] } }, { standards: ['standards'] }],
    [
      'an empty record misses every item but the "where any" one',
      {
        product: { name: null, imageUrl: null, gtin: null, shelfLifeDays: null, standards: null },
        producer: { name: null, address: null, province: null },
        batch: { lotCode: null, productionDate: null, expiryDate: null, stages: [] },
      },
      {
        product_name: ['productName'],
        product_image: ['productImage'],
        producer_name: ['producerName'],
        producer_address: ['producerAddress', 'producerProvince'],
        stages: ['stages'],
        production_time: ['productionDate'],
        traceability_code: ['gtin', 'lotCode'],
        shelf_life: ['expiryDate'],
        standards: ['standards'],
      },
    ],
  ])('%s', (_, over, expected) => {
    const r = assessBatchCompliance({ product: product(over.product), producer: producer(over.producer), batch: batch(over.batch) });
    expect(gaps(r)).toEqual(expected);
    expect(r.complete).toBe(Object.keys(expected).length === 0);
    expect(r.items).toHaveLength(10);
    for (const i of r.items) expect(i.detail === null).toBe(i.ok);
  });

  it('names the stages that miss a fact, by number, in both languages', () => {
    const r = assessBatchCompliance({
      product: product(),
      producer: producer(),
      batch: batch({ stages: [stage(), stage({ locationCode: null }), stage({ erroneous: true }), stage({ locationCode: null, eventTime: null })] }),
    });
    const stages = r.items[4]!;
    expect(stages).toMatchObject({ item: 'stages', ok: false, applicable: true, missing: ['stageLocationCode', 'stageEventTime'] });
    expect(stages.detail).toEqual({
      vi: 'công đoạn 2, 4: thiếu mã truy vết địa điểm; công đoạn 4: thiếu thời gian (có múi giờ) của sự kiện',
      en: 'stage 2, 4: no location trace code; stage 4: no event time with its time-zone offset',
    });
  });

  it('says what is missing in plain words', () => {
    const r = assessBatchCompliance({ product: product({ imageUrl: null }), producer: producer({ province: '' }), batch: batch() });
    expect(r.items[1]!.detail).toEqual({
      vi: 'chưa có ảnh sản phẩm (đường dẫn /images/… hoặc https:)',
      en: 'no product image (an /images/… path or an https: URL)',
    });
    expect(r.items[3]!.detail).toEqual({ vi: 'chưa có tỉnh, thành phố của đơn vị sản xuất', en: "no province of the producer's address" });
  });

  it('a "where any" item that applies and is filled is ok and applicable', () => {
    const r = assessBatchCompliance({ product: product({ brand: 'Mắm Cô Tô' }), producer: producer(), batch: batch({ serialCount: 90_000 }) });
    expect(r.items[7]).toMatchObject({ item: 'brand_serial', ok: true, applicable: true });
    const none = assessBatchCompliance({ product: product({ hasShelfLife: false, shelfLifeDays: null }), producer: producer(), batch: batch({ expiryDate: null }) });
    expect(none.items[8]).toMatchObject({ item: 'shelf_life', ok: true, applicable: false, missing: [], detail: null });
  });
});

describe('assessProductCompliance', () => {
  it.each<[string, Partial<ProductFacts>, Partial<ProducerFacts>, Partial<Record<ComplianceItemKey, MissingFact[]>>]>([
    ['complete master data', {}, {}, {}],
    ['no image', { imageUrl: null }, {}, { product_image: ['productImage'] }],
    ['no GTIN', { gtin: '' }, {}, { traceability_code: ['gtin'] }],
    ['no shelf life', { shelfLifeDays: null }, {}, { shelf_life: ['shelfLifeDays'] }],
    ['a zero shelf life', { shelfLifeDays: 0 }, {}, { shelf_life: ['shelfLifeDays'] }],
    ['no shelf life by nature', { shelfLifeDays: null, hasShelfLife: false }, {}, {}],
    ['a brand declared but not recorded', { hasBrand: true }, {}, { brand_serial: ['brand'] }],
    ['no producer address', {}, { address: null }, { producer_address: ['producerAddress'] }],
    ['no standards', { standards: null }, {}, { standards: ['standards'] }],
  ])('%s', (_, p, pr, expected) => {
    const r = assessProductCompliance({ product: product(p), producer: producer(pr) });
    expect(gaps(r)).toEqual(expected);
    expect(r.complete).toBe(Object.keys(expected).length === 0);
    expect(r.items.map((i) => i.item)).toEqual(KEYS);
  });

  it('marks the batch-only items not applicable (and ok)', () => {
    const r = assessProductCompliance({ product: product(), producer: producer() });
    expect(applicability(r)).toMatchObject({ stages: false, production_time: false, brand_serial: false, traceability_code: true, shelf_life: true });
    expect(r.items.filter((i) => !i.applicable).every((i) => i.ok && i.missing.length === 0)).toBe(true);
  });
});

describe('completeShare', () => {
  it.each<[boolean[], { total: number; complete: number; share: number | null }]>([
    [[], { total: 0, complete: 0, share: null }],
    [[true], { total: 1, complete: 1, share: 1 }],
    [[false, false], { total: 2, complete: 0, share: 0 }],
    [[true, false, true, false], { total: 4, complete: 2, share: 0.5 }],
    [[true, true, false], { total: 3, complete: 2, share: 2 / 3 }],
  ])('%j → %j', (flags, expected) => {
    expect(completeShare(flags.map((complete) => ({ complete })))).toEqual(expected);
  });

  it('counts product results', () => {
    const results = [product(), product({ imageUrl: null }), product({ standards: null })].map((p) => assessProductCompliance({ product: p, producer: producer() }));
    expect(completeShare(results)).toEqual({ total: 3, complete: 1, share: 1 / 3 });
  });
});

describe('isOffsetDateTime', () => {
  it.each([
    ['2026-05-04T06:30:00+07:00', true],
    ['2026-05-04T06:30+07:00', true],
    ['2026-05-03T23:30:00.125Z', true],
    ['2026-05-04T06:30:00-03:30', true],
    ['2026-05-04T06:30:00', false],
    ['2026-05-04', false],
    ['2026-02-30T06:30:00+07:00', false],
    ['2026-05-04T25:30:00+07:00', false],
    ['2026-05-04 06:30:00+07:00', false],
    ['', false],
  ])('%j → %s', (s, expected) => {
    expect(isOffsetDateTime(s)).toBe(expected);
  });
});
