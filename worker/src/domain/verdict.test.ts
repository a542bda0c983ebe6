import { describe, expect, it } from 'vitest';
import { decideVerdict, withCloneReasons, type Verdict, type VerdictFacts } from './verdict.ts';

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

describe('withCloneReasons', () => {
  it.each<[Verdict, string[], { verdict: Verdict; reasons?: string[] }]>([
    ['genuine', [], { verdict: 'genuine' }],
    ['genuine', ['pin_reused'], { verdict: 'suspect', reasons: ['pin_reused'] }],
    ['genuine', ['pin_reused', 'many_sessions', 'pin_reused'], { verdict: 'suspect', reasons: ['many_sessions', 'pin_reused'] }],
    ['genuine', ['outside_distribution_area', 'scan_of_voided', 'consumer_report'], { verdict: 'genuine' }],
    ['not_activated', ['scan_before_activation'], { verdict: 'not_activated' }],
    ['voided', ['many_places'], { verdict: 'voided' }],
    ['recalled', ['impossible_travel'], { verdict: 'recalled' }],
  ])('%s + %j', (verdict, rules, expected) => {
    expect(withCloneReasons(verdict, rules)).toEqual(expected);
  });
});
