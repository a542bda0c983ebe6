import { describe, expect, it } from 'vitest';
import { gs1CheckDigit, isValidGln, isValidGtin, isValidSscc, toGtin14 } from './gs1.ts';

describe('gs1CheckDigit', () => {
  it.each([
    ['400638133393', 1], // EAN-13 4006381333931
    ['03600029145', 2], // UPC-A 036000291452
    ['893458806305', 3], // Vietnamese 893 prefix
    ['9638507', 4], // GTIN-8 96385074
    ['1003600029145', 9], // GTIN-14 10036000291459
    ['10614141123456789', 7], // SSCC 106141411234567897
    ['000000000000', 0],
    ['0', 0],
    ['1', 7],
  ])('%s → %d', (body, digit) => {
    expect(gs1CheckDigit(body)).toBe(digit);
  });

  it.each(['', 'abc', '12 34', '١٢٣', '123456789012345678', '-1'])('%j throws RangeError', (body) => {
    expect(() => gs1CheckDigit(body)).toThrow(RangeError);
  });
});

describe('isValidGtin / toGtin14', () => {
  it.each([
    ['96385074', '00000096385074'],
    ['036000291452', '00036000291452'],
    ['4006381333931', '04006381333931'],
    ['8934588063053', '08934588063053'],
    ['8936000001230', '08936000001230'],
    ['10036000291459', '10036000291459'],
  ])('%s is valid and pads to %s', (gtin, gtin14) => {
    expect(isValidGtin(gtin)).toBe(true);
    expect(toGtin14(gtin)).toBe(gtin14);
    expect(isValidGtin(gtin14)).toBe(true);
  });

  it.each([
    ['wrong check digit', '4006381333932'],
    ['all zeros (GTIN-14)', '00000000000000'],
    ['all zeros (GTIN-8)', '00000000'],
    ['wrong check digit (UPC)', '036000291453'],
    ['transposed digits', '8934588060353'],
    ['length 11', '03600029145'],
    ['length 9', '963850740'],
    ['length 15', '100360002914590'],
    ['letters', '40063813339A1'],
    ['surrounding space', ' 4006381333931'],
    ['hyphens', '400-6381-333931'],
    ['fullwidth digits', '４００６３８１３３３９３１'],
    ['empty', ''],
  ])('%s: %j is invalid and toGtin14 throws', (_name, gtin) => {
    expect(isValidGtin(gtin)).toBe(false);
    expect(() => toGtin14(gtin)).toThrow(RangeError);
  });
});

describe('isValidGln', () => {
  it.each([
    ['8934588000010', true],
    ['0614141000005', true],
    ['0614141000006', false],
    ['614141000005', false],
    ['08934588000010', false],
  ])('%s → %s', (gln, ok) => {
    expect(isValidGln(gln)).toBe(ok);
  });
});

describe('isValidSscc', () => {
  it.each([
    ['106141411234567897', true],
    ['006141411234567890', true],
    ['006141411234567891', false],
    ['106141411234567898', false],
    ['10614141123456789', false],
    ['1061414112345678970', false],
  ])('%s → %s', (sscc, ok) => {
    expect(isValidSscc(sscc)).toBe(ok);
  });
});
