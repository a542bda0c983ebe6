/** `POST /s/{code}/report`: a consumer reports a suspected fake; it becomes an alert for officials. */
import { z } from 'zod';
import { reportSuspectedFake } from '../../../../db/queries/alerts.ts';
import { readStampContext } from '../../../../db/queries/scans.ts';
import { ApiError } from '../../http/errors.ts';
import { multiLine, readBody, singleLine } from '../../http/validate.ts';
import { answerFor, answerInvalid, ownerOf, placeOf, render, scanFirst, verifyPathCode, wantsJson, type ScanContext } from './shared.ts';

/** Consumer reports accepted per stamp per day: enough for every buyer, too few to bury other alerts. */
export const REPORT_LIMIT = { perStampPerDay: 5 } as const;

// An empty optional field from an HTML form is "not given".
const optional = (field: z.ZodType<string>) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), field.optional()).transform((v) => v ?? null);

const reportBody = z.object({
  text: multiLine(2000),
  contact: optional(singleLine(200)),
  shop: optional(singleLine(300)),
});

/**
 * Records the report as a `consumer_report` alert: JSON 201 `{id, serial}`, or the stamp's page
 * with a notice. A stamp no print run holds → 404; never scanned → 409 (a browser is sent to the
 * stamp's page); an invalid body → 422 (the page, for a browser); over {@link REPORT_LIMIT} → 429.
 */
export async function reportFake(c: ScanContext): Promise<Response> {
  const { verified } = await verifyPathCode(c);
  if (!verified.ok) return answerInvalid(c);
  const json = wantsJson(c);
  const stamp = await readStampContext(c.var.db, verified.serial, verified.kid);
  if (!stamp.printRun) throw new ApiError('not_found', 'No print run holds this stamp');
  if (!stamp.stamp) return scanFirst(c, verified.code, json);
  const page = (status: number, kind: 'report_invalid' | 'report_ok') =>
    render(c, answerFor(verified.code, verified.serial, stamp), status, { kind });
  let report: z.output<typeof reportBody>;
  try {
    report = await readBody(c, reportBody);
  } catch (err) {
    if (json || !(err instanceof ApiError)) throw err;
    return page(err.status, 'report_invalid');
  }
  const id = await reportSuspectedFake(c.var.db, verified.serial, report, ownerOf(stamp, placeOf(c)), {
    max: REPORT_LIMIT.perStampPerDay,
    since: Date.now() - 24 * 60 * 60 * 1000,
  });
  if (id === null) {
    c.header('retry-after', String(60 * 60));
    if (json) throw new ApiError('rate_limited', 'This stamp has been reported many times today; officials are looking at it');
    return page(429, 'report_ok');
  }
  if (json) return c.json({ id, serial: verified.serial }, 201);
  return page(201, 'report_ok');
}
