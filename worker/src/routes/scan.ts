import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { openAlerts, reportSuspectedFake, type AlertOwner } from '../../../db/queries/alerts.ts';
import {
  readPinState,
  readStampContext,
  recordPinAttempt,
  recordScan,
  type StampContext,
} from '../../../db/queries/scans.ts';
import { assessScan, DEFAULT_POLICY, type Finding, type Rule, type StampHistory } from '../domain/clone-rules.ts';
import { parseKeyring, verifyCode, verifyPin } from '../domain/codes.ts';
import { vietnamToday } from '../domain/dates.ts';
import { isDeliberateScan } from '../domain/fetch-metadata.ts';
import { coarsePlace, type CoarsePlace, type EdgeMetadata } from '../domain/place.ts';
import {
  hashScannerId,
  isScannerId,
  newScannerId,
  SCANNER_COOKIE,
  SCANNER_COOKIE_MAX_AGE,
} from '../domain/scanner-session.ts';
import { withCloneReasons, type Verdict } from '../domain/verdict.ts';
import { verdictForStamp } from '../domain/verification.ts';
import type { AppEnv } from '../app-env.ts';
import { ApiError } from '../http/errors.ts';
import { multiLine, singleLine } from '../http/validate.ts';
import { ScanPage, type Notice } from '../pages/scan-page.tsx';
import { pickLanguage } from '../pages/strings.ts';

/** What a scan answers, as JSON and as the page's data. */
export type ScanAnswer = {
  verdict: Verdict;
  /** Fired clone rules, when the verdict is `suspect`. */
  reasons?: Rule[];
  code: string | null;
  serial: number | null;
  kind: 'qr' | 'anti_counterfeit' | null;
  scan: {
    count: number;
    first: boolean;
    firstScanAt: string;
    firstScanPlace: { country: string | null; region: string | null; city: string | null };
  } | null;
  product: StampContext['product'];
  producer: StampContext['producer'];
  /** `expired`: the batch's expiry date is before today in Việt Nam (the stamp may still be genuine). */
  batch: (NonNullable<StampContext['batch']> & { expired: boolean }) | null;
  certificates: StampContext['certificates'];
};

/** Wrong hidden-PIN attempts allowed per stamp, and per scanner session across stamps, per window. */
export const PIN_LIMITS = { perStamp: 5, perSession: 10, windowMs: 15 * 60 * 1000 } as const;
/** Consumer reports accepted per stamp per day: enough for every buyer, too few to bury other alerts. */
export const REPORT_LIMIT = { perStampPerDay: 5 } as const;
/** Largest body of a PIN confirmation or a consumer report, in bytes. */
const MAX_FORM_BYTES = 8 * 1024;

/**
 * The scan's coarse place: the edge's `request.cf`, or — only when DEV_MODE is "1" (local runs and
 * tests, never production) — an `x-dev-place` header (URI-encoded JSON) standing in for it.
 */
function placeOf(c: Context<AppEnv>): CoarsePlace {
  const devHeader = c.env.DEV_MODE === '1' ? c.req.header('x-dev-place') : undefined;
  if (devHeader) {
    try {
      return coarsePlace(JSON.parse(decodeURIComponent(devHeader)) as EdgeMetadata);
    } catch {
      return coarsePlace(null);
    }
  }
  return coarsePlace(c.req.raw.cf as EdgeMetadata | undefined);
}

/** The scanner session's salted hash; issues the first-party cookie on a first visit. */
async function scannerSession(c: Context<AppEnv>, at: Date): Promise<string> {
  let id = getCookie(c, SCANNER_COOKIE);
  if (!isScannerId(id)) {
    id = newScannerId();
    setCookie(c, SCANNER_COOKIE, id, { httpOnly: true, secure: true, sameSite: 'Lax', path: '/', maxAge: SCANNER_COOKIE_MAX_AGE });
  }
  return hashScannerId(c.env.SCAN_SALT, id, at);
}

function wantsJson(c: Context): boolean {
  if ((c.req.header('content-type') ?? '').includes('application/json')) return true;
  const accept = c.req.header('accept') ?? '';
  return accept.includes('application/json') && !accept.startsWith('text/html');
}

/**
 * The verdict and reasons: the stamp's ranges, this request's findings and earlier alerts, except
 * rules an official dismissed as false positives on this stamp.
 */
function assess(ctx: StampContext, findings: Finding[] = []): { verdict: Verdict; reasons?: Rule[] } {
  const dismissed = new Set(ctx.dismissedRules);
  const rules = [...findings.map((f) => f.rule), ...(ctx.alertRules as Rule[])].filter((r) => !dismissed.has(r));
  return withCloneReasons(verdictForStamp(ctx), rules);
}

function answerFrom(code: string, serial: number, ctx: StampContext, verdict: { verdict: Verdict; reasons?: Rule[] }): ScanAnswer {
  return {
    ...verdict,
    code,
    serial,
    kind: ctx.printRun?.kind ?? null,
    scan: ctx.stamp
      ? {
          count: ctx.stamp.scanCount,
          first: ctx.stamp.scanCount === 1,
          firstScanAt: ctx.stamp.firstScanAt.toISOString(),
          firstScanPlace: ctx.stamp.firstScanPlace,
        }
      : null,
    product: ctx.product,
    producer: ctx.producer,
    batch: ctx.batch ? { ...ctx.batch, expired: ctx.batch.expiryDate !== null && ctx.batch.expiryDate < vietnamToday(Date.now()) } : null,
    certificates: ctx.certificates,
  };
}

const INVALID: ScanAnswer = {
  verdict: 'invalid',
  code: null,
  serial: null,
  kind: null,
  scan: null,
  product: null,
  producer: null,
  batch: null,
  certificates: [],
};

function ownerOf(ctx: StampContext, place: CoarsePlace): AlertOwner {
  return { producerId: ctx.producer?.id ?? null, productId: ctx.product?.id ?? null, region: place.region };
}

/** Alerts do not change the answer: they are written after it, in `waitUntil`. */
function alertLater(c: Context<AppEnv>, serial: number, findings: Finding[], owner: AlertOwner) {
  if (findings.length === 0) return;
  const work = openAlerts(c.var.db, serial, findings, owner).catch((err) => console.error('openAlerts failed', err));
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // no execution context (e.g. app.request in a unit test): the promise still runs
  }
}

function render(c: Context<AppEnv>, answer: ScanAnswer, status: number, notice?: Notice) {
  c.header('cache-control', 'no-store');
  c.header('vary', 'Accept, Accept-Language, Cookie');
  const lang = pickLanguage(c.req.query('lang'), c.req.header('accept-language'));
  const switchUrl = new URL(c.req.url);
  switchUrl.searchParams.set('lang', lang === 'vi' ? 'en' : 'vi');
  // The stamp's own page (also after a form post); for an invalid code, the address as asked.
  const stampPath = answer.code ? `/s/${answer.code}` : switchUrl.pathname;
  const page = ScanPage({
    answer,
    lang,
    notice,
    langSwitchHref: `${stampPath}${switchUrl.search}`,
    formAction: (kind: 'pin' | 'report') => `${stampPath}/${kind}?lang=${lang}`,
  });
  return c.html(`<!doctype html>${page}`, status as 200);
}

async function verifyPathCode(c: Context<AppEnv>) {
  const keyring = await parseKeyring(c.env.STAMP_KEYS);
  return { keyring, verified: await verifyCode(keyring, c.req.param('code') ?? '') };
}

/** Forged or malformed code: answered without touching the database. */
function answerInvalid(c: Context<AppEnv>): Response {
  if (wantsJson(c)) return c.json(INVALID, 404);
  return render(c, INVALID, 404);
}

/** `GET /s/{code}`: verify, record atomically, assess clone rules, answer. */
async function answerScan(c: Context<AppEnv>): Promise<Response> {
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
  const ctx = await recordScan(c.var.db, { serial: verified.serial, kid: verified.kid, at, place, sessionHash });
  const history: StampHistory = {
    recent: ctx.history.recent,
    totals: ctx.history.totals,
    activatedAt: ctx.activation?.activatedAt.getTime() ?? null,
    voided: ctx.voided,
    recalled: ctx.recalled,
    distributionArea: ctx.producer?.distributionArea ?? null,
    pinConfirmations: ctx.stamp?.pinConfirmations ?? 0,
    firstScanAt: ctx.stamp?.firstScanAt.getTime() ?? null,
  };
  // A valid tag on a serial no print run holds means a signing key was used outside issuance.
  const findings: Finding[] = ctx.printRun
    ? assessScan(history, { at: at.getTime(), sessionHash, place })
    : [{ rule: 'unknown_serial' as Rule, detail: { kid: verified.kid } }];
  alertLater(c, verified.serial, findings, ownerOf(ctx, place));
  const answer = answerFrom(verified.code, verified.serial, ctx, assess(ctx, findings));
  c.header('cache-control', 'no-store');
  if (wantsJson(c)) return c.json(answer);
  return render(c, answer, 200);
}

/** Reads a JSON or HTML-form body and validates it; failures throw the envelope's errors. */
async function readBody<T extends z.ZodType>(c: Context<AppEnv>, schema: T): Promise<z.output<T>> {
  const type = c.req.header('content-type') ?? '';
  let raw: unknown;
  if (/^application\/json/i.test(type)) {
    try {
      raw = await c.req.json();
    } catch {
      throw new ApiError('bad_request', 'Malformed JSON in request body');
    }
  } else if (/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) {
    raw = await c.req.parseBody();
  } else {
    throw new ApiError('unsupported_media_type', 'Send application/json or an HTML form');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new ApiError('unprocessable_entity', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
  }
  return parsed.data;
}

// Spaces and hyphens are how people copy a scratched code; anything but 8 digits is a typo, refused
// before it can use up one of the stamp's attempts.
const pinBody = z.object({
  pin: z
    .string()
    .max(64)
    .transform((v) => v.trim().replace(/[ -]/g, ''))
    .refine((v) => /^[0-9]{8}$/.test(v), 'must be 8 digits'),
});

/** `POST /s/{code}/pin`: the anti-counterfeit stamp's hidden PIN (DESIGN §3, §5). */
async function confirmHiddenPin(c: Context<AppEnv>): Promise<Response> {
  const { keyring, verified } = await verifyPathCode(c);
  if (!verified.ok) return answerInvalid(c);
  const json = wantsJson(c);
  const page = async (notice: Notice, status = 200, verdict?: { verdict: Verdict; reasons?: Rule[] }) => {
    const ctx = await readStampContext(c.var.db, verified.serial, verified.kid);
    return render(c, answerFrom(verified.code, verified.serial, ctx, verdict ?? assess(ctx)), status, notice);
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
    const retryAfter = Math.max(1, Math.ceil(((outcome.oldestFailureAt ?? at.getTime()) + PIN_LIMITS.windowMs - at.getTime()) / 1000));
    c.header('retry-after', String(retryAfter));
    return refuse(new ApiError('rate_limited', 'Too many wrong PINs; try again later'), { kind: 'pin_locked' });
  }
  if (!correct) {
    const attemptsLeft = Math.max(0, Math.min(PIN_LIMITS.perStamp - outcome.stampFailures, PIN_LIMITS.perSession - outcome.sessionFailures));
    if (json) {
      const ctx = await readStampContext(c.var.db, verified.serial, verified.kid);
      return c.json({ ...assess(ctx), code: verified.code, serial: verified.serial, pin: { ok: false, attemptsLeft } });
    }
    return page({ kind: 'pin_wrong', attemptsLeft });
  }

  const confirmation = outcome.confirmation!;
  const ctx = await readStampContext(c.var.db, verified.serial, verified.kid);
  const reused = confirmation.confirmations > DEFAULT_POLICY.maxPinConfirmations;
  const findings: Finding[] = reused
    ? [{ rule: 'pin_reused', detail: { confirmations: confirmation.confirmations, firstConfirmedAt: confirmation.confirmedAt.toISOString() } }]
    : [];
  alertLater(c, verified.serial, findings, ownerOf(ctx, place));
  const verdict = assess(ctx, findings);
  const pinResult = {
    ok: true,
    first: confirmation.confirmations === 1,
    confirmedAt: confirmation.confirmedAt.toISOString(),
    confirmedPlace: confirmation.place,
    confirmations: confirmation.confirmations,
  };
  if (json) return c.json({ ...verdict, code: verified.code, serial: verified.serial, pin: pinResult });
  return page(reused ? { kind: 'pin_again', confirmedAt: pinResult.confirmedAt, place: confirmation.place } : { kind: 'pin_first' }, 200, verdict);
}

const reportBody = z.object({
  text: multiLine(2000),
  // An empty optional field from an HTML form is "not given".
  contact: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), singleLine(200).optional()).transform((v) => v ?? null),
  shop: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), singleLine(300).optional()).transform((v) => v ?? null),
});

/** `POST /s/{code}/report`: a consumer reports a suspected fake; it becomes an alert for officials. */
async function reportFake(c: Context<AppEnv>): Promise<Response> {
  const { verified } = await verifyPathCode(c);
  if (!verified.ok) return answerInvalid(c);
  const json = wantsJson(c);
  const ctx = await readStampContext(c.var.db, verified.serial, verified.kid);
  if (!ctx.printRun) throw new ApiError('not_found', 'No print run holds this stamp');
  if (!ctx.stamp) return scanFirst(c, verified.code, json);
  let report: z.output<typeof reportBody>;
  try {
    report = await readBody(c, reportBody);
  } catch (err) {
    if (json || !(err instanceof ApiError)) throw err;
    return render(c, answerFrom(verified.code, verified.serial, ctx, assess(ctx)), err.status, { kind: 'report_invalid' });
  }
  const id = await reportSuspectedFake(c.var.db, verified.serial, report, ownerOf(ctx, placeOf(c)), {
    max: REPORT_LIMIT.perStampPerDay,
    since: Date.now() - 24 * 60 * 60 * 1000,
  });
  if (id === null) {
    c.header('retry-after', String(60 * 60));
    if (json) throw new ApiError('rate_limited', 'This stamp has been reported many times today; officials are looking at it');
    return render(c, answerFrom(verified.code, verified.serial, ctx, assess(ctx)), 429, { kind: 'report_ok' });
  }
  if (json) return c.json({ id, serial: verified.serial }, 201);
  return render(c, answerFrom(verified.code, verified.serial, ctx, assess(ctx)), 201, { kind: 'report_ok' });
}

/**
 * A form or API call about a stamp nobody has scanned yet: JSON callers get 409; a browser is sent
 * to the stamp's page (303), where the visit is a scan like any other.
 */
function scanFirst(c: Context<AppEnv>, code: string, json: boolean): Response {
  if (json) throw new ApiError('conflict', 'Scan the stamp first');
  const lang = pickLanguage(c.req.query('lang'), c.req.header('accept-language'));
  return c.redirect(`/s/${code}?lang=${lang}`, 303);
}

const formLimit = bodyLimit({
  maxSize: MAX_FORM_BYTES,
  onError: () => {
    throw new ApiError('payload_too_large', `Body is larger than ${MAX_FORM_BYTES} bytes`);
  },
});

/**
 * The consumer's routes, any case of `/s/`: `GET /s/{code}` (scan, HTML or JSON),
 * `POST /s/{code}/pin` (hidden PIN), `POST /s/{code}/report` (report a fake).
 */
export const scanRoutes = new Hono<AppEnv>();
for (const prefix of ['/s', '/S']) {
  scanRoutes.get(`${prefix}/:code`, answerScan);
  scanRoutes.post(`${prefix}/:code/pin`, formLimit, confirmHiddenPin);
  scanRoutes.post(`${prefix}/:code/report`, formLimit, reportFake);
  // Anything else under /s/ is not a stamp: the error envelope, not the admin site's 404 page.
  scanRoutes.all(`${prefix}/*`, () => {
    throw new ApiError('not_found', 'Not a stamp address');
  });
  scanRoutes.all(prefix, () => {
    throw new ApiError('not_found', 'Not a stamp address');
  });
}
