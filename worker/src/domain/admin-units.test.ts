import { describe, expect, it } from 'vitest';
import {
  ADMIN_UNITS_EFFECTIVE_FROM,
  checkAdminUnits,
  findCommune,
  findProvince,
  formatPlace,
  isCommuneInProvince,
  listCommunes,
  listProvinces,
} from './admin-units.ts';

describe('administrative units since 1 July 2025', () => {
  it('has 34 provinces and 3,321 commune-level units with unique codes, no districts', () => {
    const provinces = listProvinces();
    expect(provinces).toHaveLength(34);
    expect(provinces.filter((p) => p.type === 'thanh_pho').map((p) => p.shortName)).toEqual([
      'Hà Nội',
      'Hải Phòng',
      'Huế',
      'Đà Nẵng',
      'Hồ Chí Minh',
      'Cần Thơ',
    ]);
    const communes = provinces.flatMap((p) => listCommunes(p.code));
    expect(communes).toHaveLength(3321);
    expect(new Set(communes.map((c) => c.code)).size).toBe(3321);
    expect(communes.every((c) => /^\d{5}$/.test(c.code) && c.name.endsWith(c.shortName))).toBe(true);
    expect(provinces.reduce((n, p) => n + p.communeCount, 0)).toBe(3321);
    expect(ADMIN_UNITS_EFFECTIVE_FROM).toBe('2025-07-01');
  });

  it('Quảng Ninh is 22 with 54 units: 30 phường, 22 xã, 2 đặc khu', () => {
    expect(findProvince('22')).toEqual({ code: '22', type: 'tinh', shortName: 'Quảng Ninh', name: 'Tỉnh Quảng Ninh', communeCount: 54 });
    const units = listCommunes('22');
    const byType = (t: string) => units.filter((c) => c.type === t).length;
    expect([units.length, byType('phuong'), byType('xa'), byType('dac_khu')]).toEqual([54, 30, 22, 2]);
    expect(units.filter((c) => c.type === 'dac_khu').map((c) => c.name)).toEqual(['Đặc khu Vân Đồn', 'Đặc khu Cô Tô']);
  });

  it.each([
    ['07192', { code: '07192', provinceCode: '22', type: 'dac_khu', shortName: 'Cô Tô', name: 'Đặc khu Cô Tô' }],
    ['06688', { code: '06688', provinceCode: '22', type: 'phuong', shortName: 'Hạ Long', name: 'Phường Hạ Long' }],
    ['30580', { code: '30580', provinceCode: '91', type: 'xa', shortName: 'Cô Tô', name: 'Xã Cô Tô' }],
    ['00004', { code: '00004', provinceCode: '01', type: 'phuong', shortName: 'Ba Đình', name: 'Phường Ba Đình' }],
    ['07195', undefined], // Xã Đồng Tiến, merged into Cô Tô: old codes do not come back
    ['7192', undefined],
    ['', undefined],
  ])('findCommune(%j)', (code, expected) => {
    expect(findCommune(code)).toEqual(expected);
  });

  it.each([
    ['01', 'Thành phố Hà Nội'],
    ['79', 'Thành phố Hồ Chí Minh'],
    ['96', 'Tỉnh Cà Mau'],
    ['02', undefined], // Hà Giang, merged into Tuyên Quang
    ['2', undefined],
    ['220', undefined],
  ])('findProvince(%j)', (code, name) => {
    expect(findProvince(code)?.name).toBe(name);
  });

  it.each([
    ['22', '07192', undefined],
    ['22', undefined, undefined],
    ['22', null, undefined],
    ['91', '30580', undefined],
    ['22', '30580', 'commune_not_in_province'],
    ['22', '00004', 'commune_not_in_province'],
    ['22', '07195', 'unknown_commune'],
    ['02', '07192', 'unknown_province'],
    ['', undefined, 'unknown_province'],
  ] as const)('checkAdminUnits(%j, %j) → %j', (province, commune, issue) => {
    expect(checkAdminUnits(province, commune)).toBe(issue);
    if (commune) expect(isCommuneInProvince(commune, province)).toBe(issue === undefined);
  });

  it('formats a place as commune, province', () => {
    expect(formatPlace('07192', '22')).toBe('Đặc khu Cô Tô, Tỉnh Quảng Ninh');
    expect(formatPlace(null, '22')).toBe('Tỉnh Quảng Ninh');
    expect(formatPlace('99999', '22')).toBe('Tỉnh Quảng Ninh');
  });

  it('returns copies, so a caller cannot change the list', () => {
    listCommunes('22').pop();
    expect(listCommunes('22')).toHaveLength(54);
  });
});
