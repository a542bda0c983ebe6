import { describe, expect, it } from 'vitest';
import {
  buildJourney,
  type JourneyEventInput,
  type JourneyLotInput,
  type JourneyPlaceInput,
  type JourneyStage,
  MAX_JOURNEY_DEPTH,
} from './journey.ts';

// Stage names as the stage catalogue (trace-stages.ts) gives them.
const NAMES: Record<string, { vi: string; en: string }> = {
  harvest: { vi: 'Thu hoạch, đánh bắt', en: 'Harvest or catch' },
  inspection: { vi: 'Kiểm tra, kiểm nghiệm', en: 'Inspection' },
  processing: { vi: 'Chế biến', en: 'Processing' },
  packing: { vi: 'Đóng gói', en: 'Packing' },
  shipping: { vi: 'Xuất hàng', en: 'Shipping' },
  receiving: { vi: 'Nhận hàng', en: 'Receiving' },
  retail: { vi: 'Bán lẻ', en: 'Retail sale' },
};
const BIZ_STEP: Record<string, string> = {
  harvest: 'commissioning',
  inspection: 'inspecting',
  processing: 'commissioning',
  packing: 'packing',
  shipping: 'shipping',
  receiving: 'receiving',
  retail: 'retail_selling',
};

const place = (communeCode: string | null, communeName: string | null, name: string): JourneyPlaceInput => ({
  name,
  provinceCode: '22',
  communeCode,
  communeName,
  provinceName: 'Quảng Ninh',
});
const CO_TO = place('07192', 'Cô Tô', 'Bến cá Cô Tô');
const QUANG_YEN = place('07132', 'Quảng Yên', 'Ruộng muối Quảng Yên');
const VAN_DON = place('06994', 'Vân Đồn', 'Nhà thùng Cái Rồng');
const HA_LONG = place('06688', 'Hạ Long', 'Cửa hàng đặc sản Hạ Long');

let nextId = 0;
/** An event at `time` (ISO with offset); ids and record times follow the order of creation. */
const ev = (stage: string | null, time: string, over: Partial<JourneyEventInput> = {}): JourneyEventInput => {
  nextId += 1;
  return {
    eventId: `ni:///sha-256;${nextId.toString(16).padStart(8, '0')}?ver=CBV2.0`,
    stage,
    stageName: stage ? NAMES[stage]! : null,
    bizStep: stage ? BIZ_STEP[stage]! : 'transporting',
    eventTime: time,
    eventTimeMs: Date.parse(time),
    recordTime: 1_000_000 + nextId,
    place: HA_LONG,
    actor: 'HTX Nước mắm Cái Rồng',
    partner: null,
    erroneous: false,
    ...over,
  };
};

const sauce = (events: JourneyEventInput[], inputs: JourneyLotInput[] = []): JourneyLotInput => ({
  product: { name: 'Nước mắm Cái Rồng', nameEn: 'Cái Rồng fish sauce', category: 'fishery' },
  lotCode: 'NM-2026-05',
  producer: { name: 'HTX Nước mắm Cái Rồng', registered: true },
  events,
  inputs,
});

/** The fish-sauce chain: anchovies caught at Cô Tô and sea salt from Quảng Yên, fermented and bottled at Vân Đồn, sold in Hạ Long. */
function fishSauce() {
  const catchEv = ev('harvest', '2026-03-02T05:10:00+07:00', { place: CO_TO, actor: 'HTX Thủy sản Cô Tô' });
  const landed = ev('shipping', '2026-03-02T09:00:00+07:00', {
    place: CO_TO,
    actor: 'HTX Thủy sản Cô Tô',
    partner: { name: 'HTX Nước mắm Cái Rồng', registered: true },
  });
  const salt = ev('harvest', '2026-02-20T16:00:00+07:00', { place: QUANG_YEN, actor: 'Hộ Trần Văn Muối' });
  const ferment = ev('processing', '2026-03-03T08:00:00+07:00', { place: VAN_DON });
  const bottle = ev('packing', '2026-05-04T08:00:00+07:00', { place: VAN_DON });
  const ship = ev('shipping', '2026-05-05T07:00:00+07:00', { place: VAN_DON, partner: { name: 'Cửa hàng đặc sản Hạ Long', registered: true } });
  const sell = ev('retail', '2026-05-06T10:00:00+07:00', { place: HA_LONG, actor: 'Cửa hàng đặc sản Hạ Long' });
  const anchovies: JourneyLotInput = {
    product: { name: 'Cá cơm', nameEn: 'Anchovies', category: 'fishery' },
    lotCode: 'CC-0302',
    producer: { name: 'HTX Thủy sản Cô Tô', registered: true },
    events: [landed, catchEv, ferment], // the transformation names its inputs too: shown once, as the batch's
    via: ferment.eventId,
  };
  const seaSalt: JourneyLotInput = {
    product: { name: 'Muối biển', nameEn: 'Sea salt', category: 'farm' },
    lotCode: null,
    producer: { name: 'Hộ Trần Văn Muối', registered: false },
    events: [salt],
    via: ferment.eventId,
  };
  return { batch: sauce([sell, bottle, ferment, ship], [anchovies, seaSalt]), ids: { catchEv, landed, salt, ferment, bottle, ship, sell } };
}

const brief = (s: JourneyStage) => [s.stage, s.eventTime, s.input];

describe('buildJourney', () => {
  it('an empty journey', () => {
    expect(buildJourney(sauce([]))).toEqual({ stages: [], inputs: [] });
  });

  it('one stage: the contract fields and the display fields', () => {
    const { stages, inputs } = buildJourney(sauce([ev('packing', '2026-05-04T08:00:00+07:00', { place: VAN_DON })]));
    expect(inputs).toEqual([]);
    expect(stages).toEqual([
      {
        bizStep: 'packing',
        stage: 'packing',
        name: { vi: 'Đóng gói', en: 'Packing' },
        eventTime: '2026-05-04T08:00:00+07:00',
        location: { name: 'Nhà thùng Cái Rồng', provinceCode: '22', communeCode: '06994', communeName: 'Vân Đồn', provinceName: 'Quảng Ninh' },
        place: 'Vân Đồn, Quảng Ninh',
        actor: 'HTX Nước mắm Cái Rồng',
        partner: null,
        input: false,
        lot: { product: { vi: 'Nước mắm Cái Rồng', en: 'Cái Rồng fish sauce' }, lotCode: 'NM-2026-05' },
        fed: null,
      },
    ]);
  });

  it('a processed product with two input lots from different producers', () => {
    const { batch } = fishSauce();
    const { stages, inputs } = buildJourney(batch);
    expect(stages.map(brief)).toEqual([
      ['harvest', '2026-02-20T16:00:00+07:00', true],
      ['harvest', '2026-03-02T05:10:00+07:00', true],
      ['shipping', '2026-03-02T09:00:00+07:00', true],
      ['processing', '2026-03-03T08:00:00+07:00', false],
      ['packing', '2026-05-04T08:00:00+07:00', false],
      ['shipping', '2026-05-05T07:00:00+07:00', false],
      ['retail', '2026-05-06T10:00:00+07:00', false],
    ]);
    const fed = { product: { vi: 'Nước mắm Cái Rồng', en: 'Cái Rồng fish sauce' }, lotCode: 'NM-2026-05' };
    expect(stages[1]).toMatchObject({
      actor: 'HTX Thủy sản Cô Tô',
      place: 'Cô Tô, Quảng Ninh',
      lot: { product: { vi: 'Cá cơm', en: 'Anchovies' }, lotCode: 'CC-0302' },
      fed,
    });
    expect(stages[2]!.partner).toBe('HTX Nước mắm Cái Rồng');
    for (const s of stages) expect(s.fed).toEqual(s.input ? fed : null);
    expect(inputs).toEqual([
      {
        product: { vi: 'Cá cơm', en: 'Anchovies' },
        lotCode: 'CC-0302',
        producer: 'HTX Thủy sản Cô Tô',
        place: 'Cô Tô, Quảng Ninh',
        sentence: { vi: 'Cá cơm đánh bắt tại Cô Tô', en: 'Anchovies caught at Cô Tô' },
        depth: 1,
        raw: true,
        fed,
      },
      {
        product: { vi: 'Muối biển', en: 'Sea salt' },
        lotCode: null,
        producer: null, // a household that is not a registered producer: not named on the public page
        place: 'Quảng Yên, Quảng Ninh',
        sentence: { vi: 'Muối biển thu hoạch tại Quảng Yên', en: 'Sea salt harvested at Quảng Yên' },
        depth: 1,
        raw: true,
        fed,
      },
    ]);
  });

  it('leaves out events declared erroneous, and inputs whose transformation was', () => {
    const { batch, ids } = fishSauce();
    const wrongShip = { ...ids.ship, erroneous: true };
    const fixedShip = ev('shipping', '2026-05-05T09:30:00+07:00', { place: VAN_DON });
    const j = buildJourney({ ...batch, events: [ids.sell, ids.bottle, ids.ferment, wrongShip, fixedShip] });
    expect(j.stages.filter((s) => s.stage === 'shipping' && !s.input).map((s) => s.eventTime)).toEqual(['2026-05-05T09:30:00+07:00']);
    expect(j.stages).toHaveLength(7);

    const wrongFerment = { ...ids.ferment, erroneous: true };
    const k = buildJourney({ ...batch, events: [ids.sell, ids.bottle, wrongFerment, ids.ship] });
    expect(k.stages.map((s) => s.stage)).toEqual(['packing', 'shipping', 'retail']);
    expect(k.inputs).toEqual([]);
  });

  it("an input lot's stages stop at the transformation that used it", () => {
    const { batch, ids } = fishSauce();
    const rest = ev('shipping', '2026-03-10T07:00:00+07:00', { place: CO_TO, actor: 'HTX Thủy sản Cô Tô', partner: { name: 'Chợ Hạ Long I', registered: false } });
    const anchovies = { ...batch.inputs![0]!, events: [ids.catchEv, ids.landed, ids.ferment, rest] };
    const j = buildJourney({ ...batch, inputs: [anchovies] });
    expect(j.stages.map(brief)).toEqual([
      ['harvest', '2026-03-02T05:10:00+07:00', true],
      ['shipping', '2026-03-02T09:00:00+07:00', true],
      ['processing', '2026-03-03T08:00:00+07:00', false],
      ['packing', '2026-05-04T08:00:00+07:00', false],
      ['shipping', '2026-05-05T07:00:00+07:00', false],
      ['retail', '2026-05-06T10:00:00+07:00', false],
    ]);
    // An input naming a transformation that is not the batch's did not feed it.
    expect(buildJourney({ ...batch, inputs: [{ ...anchovies, via: 'ni:///sha-256;unknown' }] }).inputs).toEqual([]);
  });

  it('orders by instant across offsets, and ties stably', () => {
    const a = ev('harvest', '2026-03-02T05:00:00+07:00'); // 2026-03-01T22:00Z
    const b = ev('inspection', '2026-03-01T23:00:00Z');
    const c = ev('processing', '2026-03-01T21:30:00+00:00');
    const t = '2026-03-03T08:00:00+07:00';
    const [x, y, z] = [ev('packing', t), ev('shipping', t), ev('retail', t)];
    const sameRecord = { ...z, eventId: 'ni:///sha-256;same', recordTime: y.recordTime };
    const j = buildJourney(sauce([sameRecord, y, b, x, a, c]));
    // x, y, z share the instant: record time orders x before y; y and sameRecord share it too, so input order decides.
    expect(j.stages.map((s) => s.stage)).toEqual(['processing', 'harvest', 'inspection', 'packing', 'retail', 'shipping']);
    expect(buildJourney(sauce([y, sameRecord, x])).stages.map((s) => s.stage)).toEqual(['packing', 'shipping', 'retail']);
  });

  it("at the same instant an input's stage comes before the stage of the lot it fed", () => {
    const t = '2026-03-03T08:00:00+07:00';
    const ferment = ev('processing', t);
    const received = ev('receiving', t, { recordTime: ferment.recordTime + 1 });
    const anchovies: JourneyLotInput = { product: { name: 'Cá cơm' }, lotCode: 'CC-1', producer: null, events: [received], via: ferment.eventId };
    expect(buildJourney(sauce([ferment], [anchovies])).stages.map(brief)).toEqual([
      ['receiving', t, true],
      ['processing', t, false],
    ]);
  });

  it('follows inputs of inputs, describes a lot reached twice once, and stops at a cycle', () => {
    const leaves = ev('harvest', '2026-04-01T06:00:00+07:00', { place: place('06946', 'Đường Hoa', 'Đồi chè Đường Hoa'), actor: 'HTX Chè Đường Hoa' });
    const dried = ev('processing', '2026-04-02T06:00:00+07:00', { place: place('06922', 'Quảng Hà', 'Xưởng chè Quảng Hà') });
    const packed = ev('processing', '2026-04-05T06:00:00+07:00');
    const freshLeaves: JourneyLotInput = {
      product: { name: 'Búp chè tươi', nameEn: 'Fresh tea shoots', category: 'farm' },
      lotCode: 'BC-01',
      producer: { name: 'HTX Chè Đường Hoa', registered: true },
      events: [leaves],
      via: dried.eventId,
    };
    const driedTea: JourneyLotInput = {
      product: { name: 'Chè xanh sấy', category: 'farm' },
      lotCode: 'CX-01',
      producer: { name: 'Công ty Chè Hải Hà', registered: true },
      events: [dried],
      via: packed.eventId,
      inputs: [freshLeaves, { ...freshLeaves }],
    };
    const gift: JourneyLotInput = { product: { name: 'Hộp quà chè Hải Hà' }, lotCode: 'HQ-01', producer: null, events: [packed], inputs: [driedTea, driedTea] };
    (driedTea.inputs as JourneyLotInput[]).push(gift); // a cycle in malformed data
    const j = buildJourney(gift);
    expect(j.stages.map((s) => [s.stage, s.lot.lotCode, s.fed?.lotCode ?? null])).toEqual([
      ['harvest', 'BC-01', 'CX-01'],
      ['processing', 'CX-01', 'HQ-01'],
      ['processing', 'HQ-01', null],
    ]);
    expect(j.inputs.map((i) => [i.lotCode, i.depth, i.raw, i.sentence.vi, i.sentence.en])).toEqual([
      ['CX-01', 1, false, 'Chè xanh sấy chế biến tại Quảng Hà', 'Chè xanh sấy processed at Quảng Hà'],
      ['BC-01', 2, true, 'Búp chè tươi thu hoạch tại Đường Hoa', 'Fresh tea shoots harvested at Đường Hoa'],
    ]);
  });

  it(`stops after ${MAX_JOURNEY_DEPTH} steps back`, () => {
    let lot: JourneyLotInput = { product: { name: 'Lô 0' }, lotCode: 'L0', producer: null, events: [ev('harvest', '2026-01-01T00:00:00+07:00')] };
    for (let i = 1; i <= MAX_JOURNEY_DEPTH + 3; i++) {
      const made = ev('processing', `2026-01-01T${String(i).padStart(2, '0')}:00:00+07:00`);
      lot = { product: { name: `Lô ${i}` }, lotCode: `L${i}`, producer: null, events: [made], inputs: [{ ...lot, via: made.eventId }] };
    }
    const j = buildJourney(lot);
    expect(j.inputs).toHaveLength(MAX_JOURNEY_DEPTH);
    expect(Math.max(...j.inputs.map((i) => i.depth))).toBe(MAX_JOURNEY_DEPTH);
  });

  it.each<[string, Partial<JourneyEventInput> | null, JourneyLotInput['product'], JourneyLotInput['producer'], { vi: string; en: string }]>([
    ['a catch', { stage: 'harvest', place: CO_TO }, { name: 'Mực', nameEn: 'Squid', category: 'fishery' }, null, { vi: 'Mực đánh bắt tại Cô Tô', en: 'Squid caught at Cô Tô' }],
    ['a forest harvest', { stage: 'harvest', place: place('06994', 'Vân Đồn', 'Rừng') }, { name: 'Mật ong rừng', nameEn: 'Wild honey', category: 'forest' }, null, { vi: 'Mật ong rừng khai thác tại Vân Đồn', en: 'Wild honey gathered at Vân Đồn' }],
    ['a farm harvest without an English name', { stage: 'harvest', place: QUANG_YEN }, { name: 'Gạo nếp', category: 'farm' }, null, { vi: 'Gạo nếp thu hoạch tại Quảng Yên', en: 'Gạo nếp harvested at Quảng Yên' }],
    ['a lot known by its receipt', { stage: 'receiving', place: VAN_DON }, { name: 'Cá cơm' }, null, { vi: 'Cá cơm tiếp nhận tại Vân Đồn', en: 'Cá cơm received at Vân Đồn' }],
    ['a province only', { stage: 'harvest', place: { ...CO_TO, communeCode: null, communeName: null } }, { name: 'Cá cơm', category: 'fishery' }, null, { vi: 'Cá cơm đánh bắt tại Quảng Ninh', en: 'Cá cơm caught at Quảng Ninh' }],
    ['a stage outside the catalogue', { stage: null, place: CO_TO }, { name: 'Cá cơm' }, null, { vi: 'Cá cơm từ Cô Tô', en: 'Cá cơm from Cô Tô' }],
    ['no place, a registered producer', { stage: 'harvest', place: null }, { name: 'Cá cơm' }, { name: 'HTX Cô Tô', registered: true }, { vi: 'Cá cơm của HTX Cô Tô', en: 'Cá cơm from HTX Cô Tô' }],
    ['no place, an unregistered supplier', { stage: 'harvest', place: null }, { name: 'Cá cơm' }, { name: 'Tàu QN-90123', registered: false }, { vi: 'Cá cơm', en: 'Cá cơm' }],
    ['no event at all', null, { name: 'Cá cơm' }, { name: 'HTX Cô Tô', registered: true }, { vi: 'Cá cơm của HTX Cô Tô', en: 'Cá cơm from HTX Cô Tô' }],
  ])('input sentence: %s', (_, origin, product, producer, sentence) => {
    const made = ev('processing', '2026-06-01T08:00:00+07:00');
    const events = origin ? [ev('harvest', '2026-05-30T08:00:00+07:00', origin)] : [];
    const j = buildJourney(sauce([made], [{ product, lotCode: 'X-1', producer, events, via: made.eventId }]));
    expect(j.inputs.map((i) => i.sentence)).toEqual([sentence]);
  });

  it('an input that starts with a harvest is described by it, whatever came before', () => {
    const made = ev('processing', '2026-06-01T08:00:00+07:00');
    const inspected = ev('inspection', '2026-05-29T08:00:00+07:00', { place: VAN_DON });
    const caught = ev('harvest', '2026-05-30T08:00:00+07:00', { place: CO_TO });
    const j = buildJourney(sauce([made], [{ product: { name: 'Cá cơm', category: 'fishery' }, lotCode: 'X', producer: null, events: [inspected, caught], via: made.eventId }]));
    expect(j.inputs[0]!.sentence.vi).toBe('Cá cơm đánh bắt tại Cô Tô');
  });

  it('keeps Vietnamese text whole: NFC, diacritics intact', () => {
    const nfd = (s: string) => s.normalize('NFD');
    const made = ev('processing', '2026-06-01T08:00:00+07:00', {
      actor: nfd('Hợp tác xã Đặc sản Đầm Hà'),
      place: { name: nfd('Xưởng chế biến Ốc'), provinceCode: '22', communeCode: '06994', communeName: nfd('Vân Đồn'), provinceName: nfd('Quảng Ninh') },
    });
    const caught = ev('harvest', '2026-05-30T08:00:00+07:00', { place: { ...CO_TO, communeName: nfd('Cô Tô') } });
    const j = buildJourney({
      product: { name: nfd('Chả mực Hạ Long') },
      lotCode: 'CM-1',
      producer: null,
      events: [made],
      inputs: [{ product: { name: nfd('Mực ống'), category: 'fishery' }, lotCode: 'MO-1', producer: null, events: [caught], via: made.eventId }],
    });
    expect(j.stages[1]).toMatchObject({
      actor: 'Hợp tác xã Đặc sản Đầm Hà',
      place: 'Vân Đồn, Quảng Ninh',
      location: { name: 'Xưởng chế biến Ốc', communeName: 'Vân Đồn', provinceName: 'Quảng Ninh' },
      lot: { product: { vi: 'Chả mực Hạ Long', en: 'Chả mực Hạ Long' } },
    });
    expect(j.inputs[0]!.sentence).toEqual({ vi: 'Mực ống đánh bắt tại Cô Tô', en: 'Mực ống caught at Cô Tô' });
    expect(JSON.stringify(j)).toBe(JSON.stringify(j).normalize('NFC'));
  });

  it('passes hostile text through as text and builds no markup', () => {
    const hostile = '<img src=x onerror=alert(1)>"&\'</script>';
    const made = ev('processing', '2026-06-01T08:00:00+07:00', {
      actor: hostile,
      stageName: { vi: hostile, en: hostile },
      place: { name: hostile, provinceCode: '22', communeCode: '07192', communeName: hostile, provinceName: 'Quảng Ninh' },
    });
    const j = buildJourney({
      product: { name: hostile },
      lotCode: 'X',
      producer: null,
      events: [made],
      inputs: [{ product: { name: hostile, category: 'fishery' }, lotCode: 'Y', producer: null, events: [ev('harvest', '2026-05-01T08:00:00+07:00', { place: made.place })], via: made.eventId }],
    });
    expect(j.stages[1]).toMatchObject({ actor: hostile, name: { vi: hostile, en: hostile }, place: `${hostile}, Quảng Ninh`, location: { name: hostile } });
    expect(j.inputs[0]!.sentence).toEqual({ vi: `${hostile} đánh bắt tại ${hostile}`, en: `${hostile} caught at ${hostile}` });
    // Every '<', '>' and '&' in the output is part of the hostile text as given: nothing escaped, no markup added.
    const strings: string[] = [];
    const collect = (v: unknown): void => {
      if (typeof v === 'string') strings.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(collect);
    };
    collect(j);
    expect(strings.filter((s) => s.includes(hostile)).length).toBeGreaterThan(5);
    for (const s of strings) expect(s.replaceAll(hostile, '')).not.toMatch(/[<>&]/);
  });

  it('strips control and bidirectional-override characters that could disguise a name', () => {
    const made = ev('packing', '2026-06-01T08:00:00+07:00', { actor: '\u202eHTX\u0000 Cô Tô\u2066\n' });
    expect(buildJourney(sauce([made])).stages[0]!.actor).toBe('HTX Cô Tô');
  });

  it('shows no business-sensitive detail', () => {
    const leaky = {
      ...ev('shipping', '2026-05-05T07:00:00+07:00', { partner: { name: 'Bà Nguyễn Thị Lan', registered: false } }),
      id: 4242,
      quantity: 1200,
      uom: 'LTR',
      price: 85_000,
      taxCode: '5701234567',
      recordedBy: 7,
      document: { quantityList: [{ quantity: 1200 }] },
    } as JourneyEventInput;
    const j = buildJourney({ ...sauce([leaky]), producer: { name: 'HTX', registered: true, taxCode: '5701234567' } as JourneyLotInput['producer'] });
    const text = JSON.stringify(j);
    for (const secret of ['4242', '1200', 'LTR', '85000', '5701234567', 'recordedBy', 'quantity', 'sha-256', 'Nguyễn Thị Lan']) expect(text).not.toContain(secret);
    expect(j.stages[0]!.partner).toBeNull();
    expect(Object.keys(j.stages[0]!).sort()).toEqual(['actor', 'bizStep', 'eventTime', 'fed', 'input', 'location', 'lot', 'name', 'partner', 'place', 'stage']);
  });

  it('names an event outside the catalogue plainly', () => {
    const j = buildJourney(sauce([ev(null, '2026-05-05T07:00:00+07:00', { bizStep: 'https://ref.gs1.org/cbv/BizStep-storing' })]));
    expect(j.stages[0]).toMatchObject({ stage: null, bizStep: 'https://ref.gs1.org/cbv/BizStep-storing', name: { vi: 'Công đoạn khác', en: 'Other stage' } });
  });
});
