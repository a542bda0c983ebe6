/** `POST /s/{code}/pin`: the anti-counterfeit stamp's hidden PIN (DESIGN §3, §5). */
import { z } from 'zod';
import { recordPinAttempt, readPinState } from '../../../../db/queries/pins.ts';
import { readStampContext } from '../../../../db/queries/scans.ts';
import { verifyPin } from '../../domain/codes.ts';
import type { Finding } from '../../domain/clone-rules.ts';
import { PIN_LIMITS, pinAttemptsLeft, pinRetryAfterSeconds, pinReuseFindings } from '../../domain/pin-attempts.ts';
import { decideVerdict } from '../../domain/stamp-answer.ts';
import { ApiError } from '../../http/errors.ts';
import { readBody } from '../../http/validate.ts';
import type { Notice } from '../../pages/scan-page.tsx';
import {
  alertLater,
  answerFor,
  answerInvalid,
  ownerOf,
  placeOf,
  render,
  scanFirst,
  scannerSession,
  verifyPathCode,
  wantsJson,
  type ScanContext,
} from './shared.ts';

// Spaces and hyphens are how people copy a scratched code; anything but 8 digits is a typo, refused
// before it can use up one of the stamp's attempts.
const pinBody = z.object({
  pin: z
    .string()
    .max(64)
    .transform((v) => v.trim().replace(/[ -]/g, ''))
    .refine((v) => /^[0-9]{8}$/.test(v), 'must be 8 digits'),
});

/**
 * Checks the hidden PIN (offline) and records the attempt within the per-stamp and per-session
 * limits. JSON: `{verdict, reasons?, code, serial, pin}`; a browser gets the stamp's page with a
 * notice. Refusals: malformed PIN 422 (no attempt used), a `qr` stamp 422, never scanned 409 (a
 * browser is sent to the stamp's page), over the limits 429 + `Retry-After`.
 */
export async function confirmHiddenPin(c: ScanContext): Promise<Response> {
  const { keyring, verified } = await verifyPathCode(c);
  if (!verified.ok) return answerInvalid(c);
  const json = wantsJson(c);
  const page = async (notice: Notice, status = 200, findings: Finding[] = []) => {
    const stamp = await readStampContext(c.var.db, verified.serial, verified.kid);
    return render(c, answerFor(verified.code, verified.serial, stamp, findings), status, notice);
  };
  // Refusals a form user should read on the page, not as JSON.
  const refuse = async (error: ApiError, notice: Notice) => {
    if (json || error.code === 'not_found') throw error;
    return page(notice, error.status);
  };
  let pin: string;
  try {
    ({ pin } = await readBody(c, pinBody));
  } catch (err) {
    if (err instanceof ApiError) return refuse(err, { kind: 'pin_format' });
    throw err;
  }
  const at = new Date();
  const place = placeOf(c);
  const sessionHash = await scannerSession(c, at);
  const state = await readPinState(c.var.db, { serial: verified.serial, kid: verified.kid });
  if (!state.inPrintRun) throw new ApiError('not_found', 'No print run holds this stamp');
  if (state.kind !== 'anti_counterfeit') {
    return refuse(new ApiError('unprocessable_entity', 'This stamp has no hidden PIN'), { kind: 'pin_no_pin' });
  }
  // A PIN is confirmed on a stamp someone has scanned. Asked before the PIN is looked at and
  // before anything about the stamp is shown, so probing codes this way reveals nothing.
  if (!state.stampExists) return scanFirst(c, verified.code, json);

  const correct = await verifyPin(keyring, verified.kid, verified.serial, pin);
  const outcome = await recordPinAttempt(c.var.db, {
    serial: verified.serial,
    sessionHash,
    at: at.getTime(),
    correct,
    place,
    since: at.getTime() - PIN_LIMITS.windowMs,
    limits: PIN_LIMITS,
  });
  if (!outcome.accepted) {
    c.header('retry-after', String(pinRetryAfterSeconds(outcome.oldestFailureAt, at.getTime())));
    return refuse(new ApiError('rate_limited', 'Too many wrong PINs; try again later'), { kind: 'pin_locked' });
  }
  if (!correct) {
    const attemptsLeft = pinAttemptsLeft(outcome);
    if (json) {
      const stamp = await readStampContext(c.var.db, verified.serial, verified.kid);
      return c.json({ ...decideVerdict(stamp), code: verified.code, serial: verified.serial, pin: { ok: false, attemptsLeft } });
    }
    return page({ kind: 'pin_wrong', attemptsLeft });
  }

  const confirmation = outcome.confirmation!;
  const stamp = await readStampContext(c.var.db, verified.serial, verified.kid);
  const findings = pinReuseFindings(confirmation);
  alertLater(c, verified.serial, findings, ownerOf(stamp, place));
  const pinResult = {
    ok: true,
    first: confirmation.confirmations === 1,
    confirmedAt: confirmation.confirmedAt.toISOString(),
    confirmedPlace: confirmation.place,
    confirmations: confirmation.confirmations,
  };
  if (json) return c.json({ ...decideVerdict(stamp, findings), code: verified.code, serial: verified.serial, pin: pinResult });
  const answer = answerFor(verified.code, verified.serial, stamp, findings);
  const notice: Notice = findings.length > 0 ? { kind: 'pin_again', confirmedAt: pinResult.confirmedAt, place: confirmation.place } : { kind: 'pin_first' };
  return render(c, answer, 200, notice);
}
