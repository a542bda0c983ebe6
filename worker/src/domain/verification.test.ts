import { describe, expect, it } from 'vitest';
import { extractCode, mayReadPrivate } from './verification.ts';

describe('extractCode', () => {
  it.each([
    ['a bare code', '100000001C6350RCAW', '100000001C6350RCAW'],
    ['a code with spaces around', '  100000001c6350rcaw ', '100000001c6350rcaw'],
    ['a printed URL', 'https://truyxuat.quangninh.gov.vn/S/100000001C6350RCAW', '100000001C6350RCAW'],
    ['a lower-case path', 'http://127.0.0.1:8787/s/100000001c6350rcaw', '100000001c6350rcaw'],
    ['a path only', '/s/100000001C6350RCAW', '100000001C6350RCAW'],
    ['a URL without scheme', 'tem.test/S/100000001C6350RCAW', '100000001C6350RCAW'],
    ['a URL with query and fragment', 'https://h/S/100000001C6350RCAW?lang=en#top', '100000001C6350RCAW'],
    ['a URL with a trailing slash', 'https://h/S/100000001C6350RCAW/', '100000001C6350RCAW'],
    ['an encoded segment', 'https://h/S/%31000', '1000'],
    ['a broken escape', 'https://h/S/%E0%A4%A', '%E0%A4%A'],
    ['a URL of another page', 'https://h/products/1', 'https://h/products/1'],
    ['an empty entry', '', ''],
  ])('reads %s', (_name, entry, code) => {
    expect(extractCode(entry)).toBe(code);
  });
});

describe('mayReadPrivate', () => {
  it.each([
    ['a province-wide key, any owner', null, 5, true],
    ['a province-wide key, no owner', null, null, true],
    ['a company key, its own stamp', 5, 5, true],
    ['a company key, another company', 5, 6, false],
    ['a company key, an unallocated stamp', 5, null, false],
  ])('%s', (_name, client, owner, expected) => {
    expect(mayReadPrivate(client, owner)).toBe(expected);
  });
});
