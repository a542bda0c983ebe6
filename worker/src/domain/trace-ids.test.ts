import { describe, expect, it } from 'vitest';
import {
  certificateUri,
  encodeDlValue,
  extensionNamespace,
  isGs1LotCode,
  isUsableGln,
  locationUri,
  lotUri,
  parseLotUri,
  partyUri,
} from './trace-ids.ts';

describe('lot identifiers', () => {
  it.each([
    ['8934588012341', 'CT-2025', 'https://id.gs1.org/01/08934588012341/10/CT-2025'],
    ['08934588012341', 'CT/07', 'https://id.gs1.org/01/08934588012341/10/CT%2F07'],
    ['036000291452', 'A.B_c', 'https://id.gs1.org/01/00036000291452/10/A.B_c'],
    ['96385074', 'x&y=1?', 'https://id.gs1.org/01/00000096385074/10/x%26y%3D1%3F'],
    ['8934588012341', "!\"%'()*+,:;<>", 'https://id.gs1.org/01/08934588012341/10/%21%22%25%27%28%29%2A%2B%2C%3A%3B%3C%3E'],
  ])('lotUri(%s, %j)', (gtin, lot, uri) => {
    expect(lotUri(gtin, lot)).toBe(uri);
    expect(parseLotUri(uri)).toEqual({ gtin14: gtin.padStart(14, '0'), lotCode: lot });
  });

  it.each([
    ['8934588012342', 'L1'], // wrong check digit
    ['00000000000000', 'L1'],
    ['8934588012341', ''],
    ['8934588012341', 'lô 1'],
    ['8934588012341', 'A'.repeat(21)],
    ['8934588012341', 'a~b'], // ~ is not in CSET 82
  ])('lotUri(%s, %j) throws', (gtin, lot) => {
    expect(() => lotUri(gtin, lot)).toThrow(RangeError);
  });

  it.each([
    ['https://example.com/shop/01/8934588012341/10/L1', { gtin14: '08934588012341', lotCode: 'L1' }],
    ['https://id.gs1.org/01/08934588012341/22/2A/10/L1', { gtin14: '08934588012341', lotCode: 'L1' }],
    ['https://id.gs1.org/01/08934588012341/10/L1?17=261231', { gtin14: '08934588012341', lotCode: 'L1' }],
    ['urn:epc:class:lgtin:4012345.012345.998877', { gtin14: '04012345123456', lotCode: '998877' }],
    ['urn:epc:class:lgtin:0614141.107346.2018%2F1', { gtin14: '10614141073464', lotCode: '2018/1' }],
    ['https://id.gs1.org/01/08934588012341/10/L1/21/7', undefined], // a serial: an instance, not a lot
    ['https://id.gs1.org/01/08934588012342/10/L1', undefined],
    ['https://id.gs1.org/01/08934588012341', undefined],
    ['https://id.gs1.org/01/08934588012341/10/%E0%A4', undefined], // not UTF-8
    ['urn:epc:class:lgtin:4012345.0123456.1', undefined], // 14 digits
    ['urn:epc:id:sgtin:4012345.012345.1', undefined],
    ['not a uri', undefined],
  ])('parseLotUri(%j)', (uri, expected) => {
    expect(parseLotUri(uri)).toEqual(expected);
  });

  it('percent-encodes non-ASCII as UTF-8', () => {
    expect(encodeDlValue('ô~')).toBe('%C3%B4~');
    expect(isGs1LotCode('CT-2025/07')).toBe(true);
  });
});

describe('locations, parties, certificates', () => {
  it.each([
    [{ id: 7, gln: null }, 'https://tem.example', 'https://tem.example/locations/7'],
    [{ id: 7, gln: null }, 'https://tem.example//', 'https://tem.example/locations/7'],
    [{ id: 7, gln: '8934588000010' }, 'https://tem.example', 'https://id.gs1.org/414/8934588000010'],
  ])('locationUri(%j, %s)', (loc, base, uri) => {
    expect(locationUri(loc, base)).toBe(uri);
  });

  it.each([
    [{ kind: 'partner', id: 3, gln: null }, 'https://tem.example/partners/3'],
    [{ kind: 'producer', id: 1, gln: null }, 'https://tem.example/producers/1'],
    [{ kind: 'partner', id: 3, gln: '8934588000010' }, 'https://id.gs1.org/417/8934588000010'],
  ] as const)('partyUri(%j)', (party, uri) => {
    expect(partyUri(party, 'https://tem.example/')).toBe(uri);
  });

  it('our other URIs', () => {
    expect(certificateUri(4, 'https://tem.example')).toBe('https://tem.example/certificates/4');
    expect(extensionNamespace('https://tem.example/')).toBe('https://tem.example/ns/epcis#');
  });

  it.each([
    ['8934588000010', true],
    ['0000000000000', false],
    ['8934588000011', false],
    ['893458800001', false],
    ['89345880000100', false],
  ])('isUsableGln(%s) → %s', (gln, ok) => {
    expect(isUsableGln(gln)).toBe(ok);
  });
});
