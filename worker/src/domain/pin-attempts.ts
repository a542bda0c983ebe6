/**
 * Limits on the anti-counterfeit stamp's hidden PIN (DESIGN §3, §5): how many wrong attempts a
 * stamp and a scanner session get, what a refused or wrong attempt tells the buyer, and when a
 * correct PIN is a clone signal. Pure: no I/O.
 */
import { DEFAULT_POLICY, type ClonePolicy, type Finding } from './clone-rules.ts';

/** Wrong hidden-PIN attempts allowed per stamp, and per scanner session across stamps, per window (ms). */
export const PIN_LIMITS = { perStamp: 5, perSession: 10, windowMs: 15 * 60 * 1000 } as const;

/** The limits {@link PIN_LIMITS} has the shape of. */
export type PinLimits = { perStamp: number; perSession: number; windowMs: number };

/**
 * Wrong attempts left after this one: the smaller of the stamp's and the session's remaining
 * attempts in the window, never below 0.
 * @example pinAttemptsLeft({ stampFailures: 2, sessionFailures: 9 }) // 1
 */
export function pinAttemptsLeft(f: { stampFailures: number; sessionFailures: number }, limits: PinLimits = PIN_LIMITS): number {
  return Math.max(0, Math.min(limits.perStamp - f.stampFailures, limits.perSession - f.sessionFailures));
}

/**
 * Seconds until a refused attempt may be tried again (HTTP `Retry-After`): until the oldest wrong
 * attempt in the window leaves it, at least 1.
 *
 * @param oldestFailureAt unix ms of the oldest wrong attempt in the window (null: none seen, wait a whole window)
 * @param now unix ms
 * @example pinRetryAfterSeconds(Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1) + 60_000) // 840
 */
export function pinRetryAfterSeconds(oldestFailureAt: number | null, now: number, limits: PinLimits = PIN_LIMITS): number {
  return Math.max(1, Math.ceil(((oldestFailureAt ?? now) + limits.windowMs - now) / 1000));
}

/**
 * The clone rule a correct PIN fires: `pin_reused` once the stamp's confirmations exceed
 * `policy.maxPinConfirmations` (a hidden code confirmed twice was copied), with the count and the
 * first confirmation's time as detail.
 * @example pinReuseFindings({ confirmations: 2, confirmedAt: new Date(0) }) // [{ rule: 'pin_reused', detail: { confirmations: 2, firstConfirmedAt: '1970-01-01T00:00:00.000Z' } }]
 */
export function pinReuseFindings(
  c: { confirmations: number; confirmedAt: Date },
  policy: Pick<ClonePolicy, 'maxPinConfirmations'> = DEFAULT_POLICY,
): Finding[] {
  if (c.confirmations <= policy.maxPinConfirmations) return [];
  return [{ rule: 'pin_reused', detail: { confirmations: c.confirmations, firstConfirmedAt: c.confirmedAt.toISOString() } }];
}
