import { describe, expect, it } from 'vitest';
import { CROCKFORD_ALPHABET, decodeCrockford, encodeCrockford, normalizeCrockford } from './crockford.ts';

describe('encodeCrockford / decodeCrockford', () => {
  it.each([
    [0, 1, '0'],
    [31, 1, 'Z'],
    [31, 2, '0Z'],
    [32, 2, '10'],
    [1234, 4, '016J'],
    [2 ** 40 - 1, 8, 'ZZZZZZZZ'],
    [2 ** 50 - 1, 10, 'ZZZZZZZZZZ'],
  ])('%d in %d symbols is %s and back', (value, length, text) => {
    expect(encodeCrockford(value, length)).toBe(text);
    expect(decodeCrockford(text)).toBe(value);
    expect(decodeCrockford(text.toLowerCase())).toBe(value);
  });

  it.each([
    [32, 1],
    [-1, 2],
    [1.5, 2],
    [Number.NaN, 2],
    [0, 0],
    [0, 11],
  ])('encodeCrockford(%d, %d) throws RangeError', (value, length) => {
    expect(() => encodeCrockford(value, length)).toThrow(RangeError);
  });

  it.each(['', 'U', '0-1', 'ZZZZZZZZZZZ', 'Ａ'])('decodeCrockford(%j) throws RangeError', (text) => {
    expect(() => decodeCrockford(text)).toThrow(RangeError);
  });

  it('every symbol decodes to its index', () => {
    [...CROCKFORD_ALPHABET].forEach((ch, i) => expect(decodeCrockford(ch)).toBe(i));
  });
});

describe('normalizeCrockford', () => {
  it.each([
    ['abc', 'ABC'],
    [' o1L ', '011'],
    ['\tiIo\n', '110'],
    ['xyz', 'XYZ'],
  ])('%j → %s', (input, out) => {
    expect(normalizeCrockford(input, 3)).toBe(out);
  });

  it.each(['ab', 'abcd', 'a-b', 'a b', 'AUB', 'ıab', 'ſab', 'ÀBC', 'ＡＢＣ', 'АВС'])(
    '%j is rejected',
    (input) => {
      expect(normalizeCrockford(input, 3)).toBeNull();
    },
  );
});
