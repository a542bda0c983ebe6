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

/**
 * Clone rules that turn a `genuine` stamp `suspect` for whoever asks (consumer or enterprise). The
 * other rules only alert officials: voided and recalled stamps have their own verdicts, and a first
 * scan outside the declared sales area is too often a buyer living across a province border (1.84%
 * of genuine stamps in clone-simulation.test.ts) to warn a consumer about.
 */
export const SUSPECT_RULES: readonly string[] = ['many_sessions', 'many_places', 'impossible_travel', 'scan_before_activation', 'pin_reused'];

/**
 * Applies fired clone rules (this scan's, and those recorded as alerts not dismissed as false
 * positives) to a base verdict: `genuine` with any {@link SUSPECT_RULES} becomes `suspect` with
 * those rules as `reasons`, deduplicated, in SUSPECT_RULES order. Other verdicts are unchanged.
 * @example withCloneReasons('genuine', ['pin_reused', 'scan_of_voided']) // { verdict: 'suspect', reasons: ['pin_reused'] }
 */
export function withCloneReasons<R extends string>(verdict: Verdict, rules: readonly R[]): { verdict: Verdict; reasons?: R[] } {
  const fired = new Set<string>(rules);
  const reasons = SUSPECT_RULES.filter((r) => fired.has(r)) as R[];
  if (verdict === 'genuine' && reasons.length > 0) return { verdict: 'suspect', reasons };
  return { verdict };
}
