import { describe, expect, it } from 'vitest';
import { decideVerdict, type VerdictFacts } from './verdict.ts';

const ok: VerdictFacts = { tagValid: true, inPrintRun: true, voided: false, recalled: false, activated: true };

describe('decideVerdict', () => {
  it.each<[string, Partial<VerdictFacts>, string]>([
    ['all good', {}, 'genuine'],
    ['bad tag wins over everything', { tagValid: false, inPrintRun: false, voided: true }, 'invalid'],
    ['no print run', { inPrintRun: false, activated: false }, 'unknown_serial'],
    ['voided beats activation', { voided: true }, 'voided'],
    ['voided beats recall', { voided: true, recalled: true }, 'voided'],
    ['recalled batch', { recalled: true }, 'recalled'],
    ['printed, not bound to a batch', { activated: false }, 'not_activated'],
    ['voided before activation', { activated: false, voided: true }, 'voided'],
  ])('%s', (_name, facts, expected) => {
    expect(decideVerdict({ ...ok, ...facts })).toBe(expected);
  });
});
