/**
 * The consumer's journey on the scan (issue 7 item 5): a stamp on a processed lot answers its
 * stages and its input lot's, oldest first, in JSON and on the page without JavaScript, with no
 * quantities or partners' tax codes, and without an event declared erroneous.
 */
import { describe, expect, it } from 'vitest';
import { createLocation } from '../../db/queries/locations.ts';
import { createPartner } from '../../db/queries/partners.ts';
import { declareError, recordTraceEvent } from '../../db/queries/trace-events.ts';
import { computeEventHashId, type Json } from '../src/domain/epcis/index.ts';
import { buildEpcisEvent, type StageInput } from '../src/domain/trace-record.ts';
import { call, makeActivatedRun, makeBatch, makeProduct, makeScene, testDb, testEnv, unique } from './helpers.ts';

type Stage = {
  bizStep: string | null;
  stage: string | null;
  eventTime: string;
  location: { name: string | null; provinceCode: string | null; communeCode: string | null };
  actor: string | null;
  input: boolean;
  name: { vi: string; en: string };
};
type ScanJson = { verdict: string; journey: Stage[]; journeyInputs: { sentence: { vi: string; en: string } }[] };

const PARTNER_TAX_CODE = '0109182736';

/** A fish sauce lot made from an anchovy lot caught off Cô Tô, with its stages, and one stamp on it. */
async function stampOnProcessedLot() {
  const scene = await makeScene();
  const db = testDb();
  const actor = { userId: scene.official.user.id, requestId: `req-${unique()}` };
  const anchovyProduct = await makeProduct(scene.producer.id, { name: 'Cá cơm than', ocopStars: null });
  const anchovy = await makeBatch(anchovyProduct, { lotCode: `CC-${unique()}`, productionDate: '2026-10-20' });
  const place = async (kind: 'fishing_ground' | 'processing_plant', name: string, communeCode: string) => {
    const l = await createLocation(db, { producerId: scene.producer.id, kind, name, address: name, provinceCode: '22', communeCode }, actor);
    if (typeof l === 'string') throw new Error(l);
    return l;
  };
  const ground = await place('fishing_ground', 'Ngư trường Cô Tô', '07192');
  const plant = await place('processing_plant', 'Nhà thùng chượp Cái Rồng', '06994');
  const shop = await createPartner(
    db,
    { producerId: scene.producer.id, name: 'Cửa hàng Đặc sản Hạ Long', taxCode: PARTNER_TAX_CODE, provinceCode: '22', communeCode: '06673' },
    actor,
  );
  if (typeof shop === 'string') throw new Error(shop);
  const lot = { gtin: scene.product.gtin, lotCode: scene.batch.lotCode };
  const anchovyLot = { gtin: anchovyProduct.gtin, lotCode: anchovy.lotCode };
  const record = async (input: Omit<StageInput, 'location'>, location: { id: number }, partnerId?: number) => {
    const event = buildEpcisEvent(
      { ...input, location: { id: location.id, gln: null } },
      { now: Date.now(), publicBaseUrl: testEnv.PUBLIC_BASE_URL, producer: { id: scene.producer.id, gln: null }, productionDate: scene.batch.productionDate },
    );
    const eventId = await computeEventHashId(event as { [key: string]: Json }, { context: event['@context'] as Json });
    const stored = await recordTraceEvent(
      db,
      { eventId, event: { ...event, eventID: eventId }, stage: input.stage, producerId: scene.producer.id, locationId: location.id, destinationPartnerId: partnerId },
      actor,
    );
    if (stored === 'cycle') throw new Error('cycle');
    return eventId;
  };
  // Recorded out of order on purpose: the journey is ordered by event time.
  await record({ stage: 'packing', eventTime: '2026-11-01T08:00:00+07:00', lot, quantity: { value: 6543, uom: 'XBO' } }, plant);
  await record(
    { stage: 'harvest', eventTime: '2026-10-20T05:30:00+07:00', lot: anchovyLot, quantity: { value: 7777, uom: 'KGM' }, harvest: { startDate: '2026-10-19', catchArea: '61' } },
    ground,
  );
  await record(
    { stage: 'processing', eventTime: '2026-10-20T15:00:00+07:00', lot, quantity: { value: 4321, uom: 'LTR' }, inputs: [{ lot: anchovyLot, quantity: { value: 7777, uom: 'KGM' } }] },
    plant,
  );
  await record({ stage: 'shipping', eventTime: '2026-11-05T07:00:00+07:00', lot, quantity: { value: 987, uom: 'XBO' }, partner: { id: shop.id, gln: null } }, plant, shop.id);
  // A sale recorded by mistake, then declared erroneous: it must not show.
  const wrong = await record({ stage: 'retail', eventTime: '2026-11-10T10:00:00+07:00', lot, quantity: { value: 5, uom: 'XBO' } }, plant);
  const declared = await declareError(db, { eventId: wrong, declaredAt: Date.now(), reason: 'did_not_occur' }, actor);
  if (typeof declared === 'string') throw new Error(declared);
  const { rows } = await makeActivatedRun(scene, 1);
  return { ...scene, code: rows[0]!.code };
}

describe('the journey on GET /s/{code}', () => {
  it('answers the stages oldest first in JSON, the input lot\'s marked, without quantities, tax codes or the erroneous event', async () => {
    const { code, producer } = await stampOnProcessedLot();
    const res = await call(`/s/${code}`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    const text = await res.text();
    const body = JSON.parse(text) as ScanJson;
    expect(body.verdict).toBe('genuine');
    expect(body.journey.map((s) => [s.bizStep, s.eventTime, s.location, s.actor, s.input])).toEqual([
      ['commissioning', '2026-10-20T05:30:00+07:00', { name: 'Ngư trường Cô Tô', provinceCode: '22', communeCode: '07192', communeName: 'Cô Tô', provinceName: 'Quảng Ninh' }, producer.name, true],
      ['commissioning', '2026-10-20T15:00:00+07:00', { name: 'Nhà thùng chượp Cái Rồng', provinceCode: '22', communeCode: '06994', communeName: 'Vân Đồn', provinceName: 'Quảng Ninh' }, producer.name, false],
      ['packing', '2026-11-01T08:00:00+07:00', expect.objectContaining({ communeCode: '06994' }), producer.name, false],
      ['shipping', '2026-11-05T07:00:00+07:00', expect.objectContaining({ communeCode: '06994' }), producer.name, false],
    ]);
    expect(body.journey.map((s) => s.name.vi)).toEqual(['Thu hoạch, đánh bắt', 'Chế biến', 'Đóng gói', 'Xuất hàng']);
    expect(body.journeyInputs.map((i) => i.sentence)).toEqual([{ vi: 'Cá cơm than đánh bắt tại Cô Tô', en: 'Cá cơm than caught at Cô Tô' }]);
    const journeyText = JSON.stringify([body.journey, body.journeyInputs]);
    for (const hidden of ['quantity', 'uom', 'KGM', 'LTR', 'XBO', '7777', '4321', '6543', 'retail_selling', 'Cửa hàng Đặc sản Hạ Long']) {
      expect(journeyText, hidden).not.toContain(hidden);
    }
    expect(text).not.toContain(PARTNER_TAX_CODE);
  });

  it('shows the timeline on the page, without JavaScript', async () => {
    const { code } = await stampOnProcessedLot();
    const res = await call(`/s/${code}`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toMatch(/<script/i);
    const timeline = html.slice(html.indexOf('<ol class="journey">'), html.indexOf('</ol>'));
    expect(timeline.match(/<li/g)).toHaveLength(4);
    expect(timeline).toContain('<time datetime="2026-10-20T05:30:00+07:00">20/10/2026</time>');
    expect(timeline).toContain('Thu hoạch, đánh bắt · Nguyên liệu: Cá cơm than');
    expect(timeline).toContain('Cô Tô, Quảng Ninh');
    expect(timeline).toContain('Chế biến');
    expect(timeline).toContain('Vân Đồn, Quảng Ninh');
    expect(timeline).toContain('Thực hiện: Hợp tác xã');
    expect(html).toContain('Nguyên liệu: Cá cơm than đánh bắt tại Cô Tô');
    for (const hidden of [PARTNER_TAX_CODE, 'KGM', 'LTR', 'XBO', 'Bán lẻ']) expect(html, hidden).not.toContain(hidden);

    const en = await (await call(`/s/${code}?lang=en`, { headers: { accept: 'text/html' } })).text();
    expect(en).toContain("The product&#39;s journey");
    expect(en).toContain('Harvest or catch · Ingredient: Cá cơm than');
  });

  it('answers an empty journey for a lot with no recorded stages', async () => {
    const scene = await makeScene();
    const { rows } = await makeActivatedRun(scene, 1);
    const body = (await (await call(`/s/${rows[0]!.code}`, { headers: { accept: 'application/json' } })).json()) as ScanJson;
    expect([body.verdict, body.journey, body.journeyInputs]).toEqual(['genuine', [], []]);
  });
});
