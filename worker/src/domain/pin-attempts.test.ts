import { describe, expect, it } from 'vitest';
import { PIN_LIMITS, pinAttemptsLeft, pinRetryAfterSeconds, pinReuseFindings } from './pin-attempts.ts';

describe('pinAttemptsLeft', () => {
  it.each([
    ['no failures yet', 0, 0, 5],
    ['the stamp is the tighter limit', 2, 3, 3],
    ['the session is the tighter limit', 2, 9, 1],
    ['the stamp used up', 5, 5, 0],
    ['the session used up', 0, 10, 0],
    ['never below zero', 7, 12, 0],
  ])('%s', (_name, stampFailures, sessionFailures, left) => {
    expect(pinAttemptsLeft({ stampFailures, sessionFailures })).toBe(left);
  });
});

describe('pinRetryAfterSeconds', () => {
  const now = Date.UTC(2026, 4, 1, 8, 0, 0);
  it.each([
    ['the oldest failure just now: a whole window', now, PIN_LIMITS.windowMs / 1000],
    ['the oldest failure a minute ago', now - 60_000, 14 * 60],
    ['rounded up to whole seconds', now - 60_000 - 300, 14 * 60],
    ['a failure about to leave the window: at least 1', now - PIN_LIMITS.windowMs + 10, 1],
    ['a failure already out of the window: at least 1', now - PIN_LIMITS.windowMs - 5_000, 1],
    ['no failure seen: a whole window', null, PIN_LIMITS.windowMs / 1000],
  ])('%s', (_name, oldest, seconds) => {
    expect(pinRetryAfterSeconds(oldest, now)).toBe(seconds);
  });
});

describe('pinReuseFindings', () => {
  const first = new Date('2026-05-01T08:00:00Z');
  it.each([
    ['the first confirmation', 1, []],
    ['a second confirmation', 2, [{ rule: 'pin_reused', detail: { confirmations: 2, firstConfirmedAt: '2026-05-01T08:00:00.000Z' } }]],
    ['a fifth confirmation', 5, [{ rule: 'pin_reused', detail: { confirmations: 5, firstConfirmedAt: '2026-05-01T08:00:00.000Z' } }]],
  ])('%s', (_name, confirmations, findings) => {
    expect(pinReuseFindings({ confirmations, confirmedAt: first })).toEqual(findings);
  });

  it('follows the policy', () => {
    expect(pinReuseFindings({ confirmations: 2, confirmedAt: first }, { maxPinConfirmations: 2 })).toEqual([]);
  });
});
