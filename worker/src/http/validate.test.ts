import { describe, expect, it } from 'vitest';
import { multiLine, singleLine } from './validate.ts';

describe('singleLine', () => {
  const field = singleLine(20);
  it.each<[string, string]>([
    ['  Hợp tác xã  ', 'Hợp tác xã'],
    ['Ha\u0323 Long', 'Hạ Long'], // NFD → NFC
    ['Chè 🍵', 'Chè 🍵'], // a surrogate pair is fine
  ])('takes %j as %j', (input, expected) => {
    expect(field.parse(input)).toBe(expected);
  });
  it.each([
    ['empty', '   '],
    ['too long', 'x'.repeat(21)],
    ['NUL', 'a\u0000b'],
    ['newline', 'a\nb'],
    ['bidi override', 'abc\u202edef'],
    ['zero-width space', 'HTX\u200bA'],
    ['byte order mark inside', 'HT\ufeffX'],
    ['lone high surrogate', 'a\ud800b'],
    ['lone low surrogate', 'a\udc00b'],
  ])('refuses %s', (_name, input) => {
    expect(field.safeParse(input).success).toBe(false);
  });
});

describe('multiLine', () => {
  it('keeps line breaks but refuses other controls', () => {
    expect(multiLine(50).parse('dòng 1\r\ndòng 2')).toBe('dòng 1\r\ndòng 2');
    expect(multiLine(50).safeParse('a\u0007b').success).toBe(false);
    expect(multiLine(50).safeParse('a\u200bb').success).toBe(false);
  });
});
