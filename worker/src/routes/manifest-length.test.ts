import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { manifestLength } from './print-runs.ts';

// The real rows with a stand-in code (length is all that matters): what the stream writes.
function actualLength(baseUrl: string, kind: string, first: number, last: number): number {
  const header = stringify([kind === 'anti_counterfeit' ? ['serial', 'code', 'url', 'pin'] : ['serial', 'code', 'url']]);
  const rows = [];
  for (let s = first; s <= last; s++) {
    const code = 'Z'.repeat(18);
    rows.push([s, code, `${baseUrl}/S/${code}`, ...(kind === 'anti_counterfeit' ? ['12345678'] : [])]);
  }
  return new TextEncoder().encode(header + stringify(rows)).length;
}

describe('manifestLength', () => {
  it.each([
    ['qr', 1, 1],
    ['qr', 5, 12_345],
    ['anti_counterfeit', 9, 101],
    ['anti_counterfeit', 99_990, 100_020],
    ['qr', 999_999, 1_000_001],
  ])('%s serials %i..%i', (kind, first, last) => {
    const base = 'https://truyxuat.quangninh.gov.vn';
    expect(manifestLength(base, { kind, firstSerial: first, lastSerial: last })).toBe(actualLength(base, kind, first, last));
  });
  it('gives up when a field would need quoting', () => {
    expect(manifestLength('https://x.test/a,b', { kind: 'qr', firstSerial: 1, lastSerial: 3 })).toBeNull();
  });
});
