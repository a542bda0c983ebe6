import { describe, expect, it } from 'vitest';
import { assessBatchCompliance } from './compliance.ts';
import { buildPortalRecord, portalRecordRows, safeCell, type PortalRecordInput } from './portal-export.ts';

describe('safeCell', () => {
  it.each([
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+84 203', "'+84 203"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['Nước mắm', 'Nước mắm'],
    [12, '12'],
    [true, 'true'],
    [null, ''],
  ] as const)('%j → %j', (input, expected) => expect(safeCell(input)).toBe(expected));
});

const input = (): PortalRecordInput => ({
  product: { id: 1, name: '=Nước mắm', gtin: '8934588012341', imageUrl: null, standards: 'TCVN 5107:2018', shelfLifeDays: 730 },
  producer: { id: 2, name: 'HTX Cô Tô', address: 'Thôn 1', province: 'Quảng Ninh', taxCode: '5700000001', gln: null },
  batch: { id: 3, lotCode: 'NM-01', productionDate: '2026-05-04', expiryDate: null, quantity: 10, unit: 'chai', recalledAt: Date.parse('2026-06-01T00:00:00Z') },
  traceabilityCode: 'https://id.gs1.org/01/08934588012341/10/NM-01',
  stages: [
    { eventId: 'ni:///a', stage: 'harvest', bizStep: 'commissioning', eventTime: '2026-05-01T05:00:00+07:00', locationCode: 'https://tem.example/locations/1', location: { name: 'Bến cá', provinceCode: '22', communeCode: '07192' }, erroneous: false },
    { eventId: 'ni:///b', stage: null, bizStep: 'storing', eventTime: '2026-05-02T05:00:00+07:00', locationCode: null, location: null, erroneous: true },
  ],
  compliance: assessBatchCompliance({
    product: { name: 'Nước mắm', imageUrl: null, gtin: '8934588012341', shelfLifeDays: 730, standards: 'TCVN 5107:2018' },
    producer: { name: 'HTX Cô Tô', address: 'Thôn 1', province: 'Quảng Ninh' },
    batch: { lotCode: 'NM-01', productionDate: '2026-05-04', expiryDate: null, serialCount: 0, stages: [] },
  }),
  generatedAt: Date.parse('2026-06-02T00:00:00Z'),
});

describe('buildPortalRecord', () => {
  it('names stages in both languages, places by their units, times as ISO', () => {
    const r = buildPortalRecord(input());
    expect(r).toMatchObject({ version: '1', generatedAt: '2026-06-02T00:00:00.000Z', batch: { recalledAt: '2026-06-01T00:00:00.000Z' } });
    expect(r.stages.map((s) => [s.name.en, s.place, s.erroneous])).toEqual([
      ['Harvest or catch', { name: 'Bến cá', address: 'Đặc khu Cô Tô, Tỉnh Quảng Ninh' }, false],
      ['storing', null, true],
    ]);
    expect(r.compliance.complete).toBe(false);
    expect(r.compliance.items.find((i) => i.item === 'product_image')).toEqual({ item: 'product_image', ok: false, missing: ['productImage'] });
  });
});

describe('portalRecordRows', () => {
  it('starts with the header, escapes formulas, and has a row per stage and per item', () => {
    const rows = portalRecordRows(buildPortalRecord(input()));
    expect(rows[0]).toEqual(['section', 'field', 'value', 'detail']);
    expect(rows).toContainEqual(['product', 'name', "'=Nước mắm", '']);
    expect(rows.filter((r) => r[0]!.startsWith('stage '))).toEqual([
      ['stage 1', 'harvest', '2026-05-01T05:00:00+07:00', 'Bến cá, Đặc khu Cô Tô, Tỉnh Quảng Ninh | https://tem.example/locations/1'],
      ['stage 2', 'storing', '2026-05-02T05:00:00+07:00', 'erroneous'],
    ]);
    expect(rows.filter((r) => r[0] === 'compliance')).toHaveLength(11);
  });
});
