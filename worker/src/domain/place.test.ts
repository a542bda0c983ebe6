import { describe, expect, it } from 'vitest';
import { coarsePlace, formatPlace, roundCoordinate } from './place.ts';

describe('roundCoordinate', () => {
  it.each<[unknown, number, number | null]>([
    ['21.0285', 90, 21.05],
    [21.0249, 90, 21],
    [-33.8688, 90, -33.85],
    ['107.0734', 180, 107.05],
    [91, 90, null],
    ['abc', 90, null],
    [Number.NaN, 90, null],
    [null, 90, null],
    [undefined, 180, null],
    [Infinity, 180, null],
  ])('%s (limit %s) → %s', (input, limit, expected) => {
    expect(roundCoordinate(input, limit)).toBe(expected);
  });
});

describe('coarsePlace', () => {
  it('keeps country, region, city and rounds the position', () => {
    expect(
      coarsePlace({ country: 'VN', region: 'Quảng Ninh', city: 'Hạ Long', latitude: '20.9511', longitude: '107.0734' }),
    ).toEqual({ country: 'VN', region: 'Quảng Ninh', city: 'Hạ Long', latitude: 20.95, longitude: 107.05 });
  });
  it.each([
    [undefined],
    [null],
    [{}],
    [{ country: 42, region: { x: 1 }, city: '', latitude: 'x', longitude: [] }],
  ])('unknown parts are null: %j', (meta) => {
    expect(coarsePlace(meta as never)).toEqual({ country: null, region: null, city: null, latitude: null, longitude: null });
  });
  it('refuses a malformed country and truncates long names', () => {
    const p = coarsePlace({ country: 'V1', city: 'x'.repeat(500) });
    expect(p.country).toBeNull();
    expect(p.city).toHaveLength(80);
  });
});

describe('formatPlace', () => {
  it.each([
    [{ country: 'VN', region: 'Quảng Ninh', city: 'Hạ Long' }, 'Hạ Long, Quảng Ninh, VN'],
    [{ country: 'VN', region: null, city: null }, 'VN'],
    [{ country: null, region: null, city: null }, null],
    [null, null],
  ])('%j → %s', (p, expected) => {
    expect(formatPlace(p)).toBe(expected);
  });
});
