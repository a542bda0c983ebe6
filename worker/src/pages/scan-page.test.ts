import { describe, expect, it } from 'vitest';
import { fullAddress } from './scan-page.tsx';

describe('fullAddress', () => {
  it.each<[string, string | null, string | null, string]>([
    ['Số 26 phố Cao Xanh, thành phố Hạ Long, tỉnh Quảng Ninh', 'Hạ Long', 'Quảng Ninh', 'Số 26 phố Cao Xanh, thành phố Hạ Long, tỉnh Quảng Ninh'],
    ['Thôn Đồng Quặng, xã Đường Hoa', 'Hải Hà', 'Quảng Ninh', 'Thôn Đồng Quặng, xã Đường Hoa, Hải Hà, Quảng Ninh'],
    ['Thôn 1, HUYỆN TIÊN YÊN', 'Tiên Yên', 'Quảng Ninh', 'Thôn 1, HUYỆN TIÊN YÊN, Quảng Ninh'],
    ['Khu 5', null, null, 'Khu 5'],
  ])('%s', (address, district, province, expected) => {
    expect(fullAddress(address, district, province)).toBe(expected);
  });
});
