import { describe, expect, it } from 'vitest';
import { vocabularySpellings } from './vocabulary.ts';

describe('vocabularySpellings', () => {
  it.each([
    ['bizStep', 'shipping', ['shipping', 'https://ref.gs1.org/cbv/BizStep-shipping']],
    ['bizStep', 'https://ref.gs1.org/cbv/BizStep-receiving', ['https://ref.gs1.org/cbv/BizStep-receiving', 'receiving']],
    ['disposition', 'in_transit', ['in_transit', 'https://ref.gs1.org/cbv/Disp-in_transit']],
    ['bizStep', 'https://example.com/steps/salting', ['https://example.com/steps/salting']],
    ['bizStep', 'not_a_cbv_word', ['not_a_cbv_word']],
  ] as const)('%s %s', (kind, value, expected) => {
    expect(vocabularySpellings(kind, value)).toEqual(expected);
  });
});
