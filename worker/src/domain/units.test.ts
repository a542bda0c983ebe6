import { describe, expect, it } from 'vitest';
import { checkQuantity, findUnit, MAX_QUANTITY, unitForLabel, UNIT_CODES, UNITS } from './units.ts';

describe('units (UN/ECE Rec. 20)', () => {
  it('codes fit EPCIS uom (2–3 upper-case letters or digits) and are unique', () => {
    expect(UNIT_CODES.every((c) => /^[A-Z0-9]{2,3}$/.test(c))).toBe(true);
    expect(new Set(UNIT_CODES).size).toBe(UNITS.length);
    expect(UNIT_CODES).toEqual(expect.arrayContaining(['KGM', 'GRM', 'TNE', 'LTR', 'MLT', 'H87']));
  });

  it('finds by code, exactly', () => {
    expect(findUnit('KGM')?.name).toEqual({ vi: 'kilôgam', en: 'kilogram' });
    expect(findUnit('H87')?.name.en).toBe('piece');
    expect(findUnit('kgm')).toBeUndefined();
    expect(findUnit('KG')).toBeUndefined();
  });

  it.each([
    ['gói', 'XPA'],
    ['Gói', 'XPA'],
    [' chai ', 'XBO'],
    ['kg', 'KGM'],
    ['tấn', 'TNE'],
    ['con', 'H87'],
    ['lọ', 'XJR'],
    ['bottle', 'XBO'],
    ['thùng', 'XCT'],
    ['cân', undefined],
    ['', undefined],
  ])('unitForLabel(%j) → %s', (label, code) => {
    expect(unitForLabel(label)?.code).toBe(code);
  });

  it.each([
    [12.5, 'KGM', undefined],
    [0.001, 'TNE', undefined],
    [3, 'XBO', undefined],
    [1.5, 'DZN', undefined],
    [MAX_QUANTITY, 'GRM', undefined],
    [0, 'KGM', 'not_positive'],
    [-1, 'KGM', 'not_positive'],
    [Number.NaN, 'KGM', 'not_positive'],
    [Number.POSITIVE_INFINITY, 'KGM', 'not_positive'],
    [MAX_QUANTITY * 10, 'KGM', 'too_large'],
    [2.5, 'XBO', 'not_whole'],
    [2.5, 'H87', 'not_whole'],
    [5, 'kg', 'unknown_unit'],
    [5, 'XYZ', 'unknown_unit'],
  ])('checkQuantity(%d, %j) → %s', (value, uom, issue) => {
    expect(checkQuantity(value, uom)).toBe(issue);
  });
});
