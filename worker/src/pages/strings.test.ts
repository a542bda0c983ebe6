import { describe, expect, it } from 'vitest';
import { formatDate, formatInstant, pickLanguage } from './strings.ts';

describe('pickLanguage', () => {
  it.each<[string | undefined, string | undefined, string]>([
    [undefined, undefined, 'vi'],
    ['en', 'vi', 'en'],
    ['vi', 'en-US', 'vi'],
    ['fr', 'en-US,en;q=0.9', 'en'],
    [undefined, 'en-US,en;q=0.9,vi;q=0.8', 'en'],
    [undefined, 'vi-VN,vi;q=0.9,en;q=0.8', 'vi'],
    [undefined, 'en;q=0.5,vi;q=0.9', 'vi'],
    [undefined, 'fr-FR,de', 'vi'],
    [undefined, 'en;q=0', 'vi'],
    [undefined, ';;;,,,q=abc', 'vi'],
  ])('lang=%s accept=%s → %s', (query, accept, expected) => {
    expect(pickLanguage(query, accept)).toBe(expected);
  });
});

describe('formatting', () => {
  it('shows instants in Việt Nam time', () => {
    expect(formatInstant(new Date('2026-11-30T07:05:00Z'), 'vi')).toContain('14:05');
    expect(formatInstant(new Date('2026-11-30T07:05:00Z'), 'vi')).toContain('30/11/2026');
  });
  it.each([
    ['2026-11-30', '30/11/2026'],
    ['bad', 'bad'],
  ])('formatDate(%s) = %s', (input, expected) => {
    expect(formatDate(input)).toBe(expected);
  });
});
