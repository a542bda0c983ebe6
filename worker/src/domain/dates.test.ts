import { describe, expect, it } from 'vitest';
import { addDays, isIsoDate, vietnamToday } from './dates.ts';

describe('isIsoDate', () => {
  it.each([
    ['2026-01-05', true],
    ['2028-02-29', true], // leap year
    ['2000-02-29', true], // divisible by 400
    ['0001-01-01', false], // before 1900: a typo
    ['1899-12-31', false],
    ['1900-01-01', true],
    ['2199-12-31', true],
    ['9999-12-31', false], // after 2199: a typo
    ['2026-12-31', true],
    ['0099-03-01', false], // a real day, but before 1900: a typo
    ['2026-02-29', false], // not a leap year
    ['1900-02-29', false], // divisible by 100, not by 400
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-01-00', false],
    ['2026-1-5', false],
    ['26-01-05', false],
    ['2026/01/05', false],
    ['2026-01-05T00:00:00Z', false],
    [' 2026-01-05', false],
    ['2026-01-05\n', false],
    ['２０２６-01-05', false], // full-width digits
    ['', false],
  ])('%j → %s', (s, valid) => {
    expect(isIsoDate(s)).toBe(valid);
  });

  it('refuses values that are not strings', () => {
    expect(isIsoDate(20260105 as unknown as string)).toBe(false);
  });
});

describe('addDays', () => {
  it.each([
    ['2026-01-01', 180, '2026-06-30'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-01-01', 3650, '2035-12-30'],
    ['2026-05-05', 0, '2026-05-05'],
  ])('%s + %d days → %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it.each([
    ['2026-02-30', 1],
    ['2026-01-01', 1.5],
  ])('refuses %s + %d', (date, days) => {
    expect(() => addDays(date, days)).toThrow(RangeError);
  });
});

describe('vietnamToday', () => {
  it.each([
    ['2026-03-01T16:59:59Z', '2026-03-01'],
    ['2026-03-01T17:00:00Z', '2026-03-02'],
    ['2026-12-31T20:00:00Z', '2027-01-01'],
    ['2026-03-01T00:00:00Z', '2026-03-01'],
  ])('%s → %s', (at, today) => {
    expect(vietnamToday(Date.parse(at))).toBe(today);
  });
});
