/** `GET /s/{code}`: the consumer's scan of a stamp (DESIGN §4). */
import { recordScan } from '../../../../db/queries/scans.ts';
import { isDeliberateScan } from '../../domain/fetch-metadata.ts';
import { assessStampScan } from '../../domain/stamp-answer.ts';
import { ApiError } from '../../http/errors.ts';
import { alertLater, answerFor, answerInvalid, ownerOf, placeOf, readJourney, render, scannerSession, verifyPathCode, wantsJson, type ScanContext } from './shared.ts';

/**
 * Verifies the code, records the scan atomically, assesses the clone rules, and answers as JSON
 * or as the scan page. A forged code is a 404 without a database read; a HEAD or a request some
 * page makes the browser send is not a scan (200 empty, or 403) and is recorded nowhere.
 */
export async function answerScan(c: ScanContext): Promise<Response> {
  const { verified } = await verifyPathCode(c);
  if (!verified.ok) return answerInvalid(c);
  // HEAD (link previews, URL checkers) is not a scan: it must not use up a stamp's first scan.
  if (c.req.method === 'HEAD') {
    c.header('cache-control', 'no-store');
    return c.body(null, 200, { 'content-type': wantsJson(c) ? 'application/json' : 'text/html; charset=utf-8' });
  }
  // Nor is a request some page makes the browser send (an <img>, a hidden fetch): refused, recorded
  // nowhere, and telling nothing about the stamp.
  const metadata = {
    dest: c.req.header('sec-fetch-dest')?.toLowerCase(),
    mode: c.req.header('sec-fetch-mode')?.toLowerCase(),
    site: c.req.header('sec-fetch-site')?.toLowerCase(),
    purpose: (c.req.header('sec-purpose') ?? c.req.header('purpose'))?.toLowerCase(),
  };
  if (!isDeliberateScan(metadata)) {
    c.header('cache-control', 'no-store');
    throw new ApiError('forbidden', "Open the stamp's address directly to check it");
  }
  const at = new Date();
  const place = placeOf(c);
  const sessionHash = await scannerSession(c, at);
  const stamp = await recordScan(c.var.db, { serial: verified.serial, kid: verified.kid, at, place, sessionHash });
  const findings = assessStampScan(stamp, { at: at.getTime(), sessionHash, place }, verified.kid);
  alertLater(c, verified.serial, findings, ownerOf(stamp, place));
  // The journey does not change the verdict: a read after the scan's one write round trip.
  const journey = await readJourney(c, stamp);
  const answer = answerFor(verified.code, verified.serial, stamp, findings, journey);
  c.header('cache-control', 'no-store');
  if (wantsJson(c)) return c.json(answer);
  return render(c, answer, 200);
}
