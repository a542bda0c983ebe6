/**
 * The verdict of a scan (DESIGN §4), decided from the stamp's state before any clone rule runs.
 * Pure: no I/O.
 */

/** Every answer a scan can give, in the order the checks run. */
export const VERDICTS = ['invalid', 'unknown_serial', 'voided', 'recalled', 'not_activated', 'suspect', 'genuine'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The facts the base verdict depends on. */
export type VerdictFacts = {
  /** The code's tag verified. */
  tagValid: boolean;
  /** A print run holds the serial (under the key that signed the code). */
  inPrintRun: boolean;
  voided: boolean;
  recalled: boolean;
  activated: boolean;
};

/**
 * Decides the base verdict: `invalid` (bad tag) → `unknown_serial` (no print run: a key-leak
 * signal) → `voided` → `recalled` → `not_activated` → `genuine`. Clone rules may later turn
 * `genuine` into `suspect`.
 * @example decideVerdict({ tagValid: true, inPrintRun: true, voided: false, recalled: false, activated: true }) // 'genuine'
 */
export function decideVerdict(f: VerdictFacts): Verdict {
  if (!f.tagValid) return 'invalid';
  if (!f.inPrintRun) return 'unknown_serial';
  if (f.voided) return 'voided';
  if (f.recalled) return 'recalled';
  if (!f.activated) return 'not_activated';
  return 'genuine';
}
