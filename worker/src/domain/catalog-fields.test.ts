import { describe, expect, it } from 'vitest';
import { isImageUrl, isLotCode, normalizeTaxCode } from './catalog-fields.ts';

describe('normalizeTaxCode', () => {
  it.each([
    ['5701862349', '5701862349'],
    ['0101234567-001', '0101234567-001'],
    ['0101234567001', '0101234567-001'],
    ['', null],
    ['570186234', null], // 9 digits
    ['57018623490', null], // 11 digits
    ['010123456-7001', null],
    ['0101234567-01', null],
    ['0101234567 001', null],
    ['0101234567–001', null], // en dash
    ['MST5701862349', null],
    ['５７０１８６２３４９', null], // full-width digits
  ])('%j → %j', (input, expected) => {
    expect(normalizeTaxCode(input)).toBe(expected);
  });
});

describe('isLotCode', () => {
  it.each([
    ['CM-2026/11.A_1', true],
    ['1', true],
    ['A'.repeat(20), true],
    ['A'.repeat(21), false],
    ['', false],
    ['LÔ-1', false],
    ['CM 01', false],
    ['CM#01', false],
    ['CM,01', false],
    ['CM%2F01', false],
    ['CM-01\n', false],
  ])('%j → %s', (lot, valid) => {
    expect(isLotCode(lot)).toBe(valid);
  });
});

describe('isImageUrl', () => {
  it.each([
    ['/images/cha-muc.svg', true],
    ['https://cdn.example.vn/san-pham/cha-muc.jpg?v=2', true],
    ['HTTPS://cdn.example.vn/a.png', true],
    ['//evil.example/a.png', false],
    ['/S/1000000030845ETFTX', false], // a stamp: every page view would scan it
    ['/api/producers', false],
    ['/images/../S/1000000030845ETFTX', false],
    ['http://cdn.example.vn/a.png', false],
    ['javascript:alert(1)', false],
    ['data:image/png;base64,AAAA', false],
    ['images/a.png', false],
    ['https://', false],
    ['https://user:pw@cdn.example.vn/a.png', false],
    ['/images/a b.png', false],
    ['/\\evil.example/a.png', false],
    ['', false],
  ])('%j → %s', (url, valid) => {
    expect(isImageUrl(url)).toBe(valid);
  });
});
