/**
 * What the consumer's stamp handlers share: the verified code of the path, the scan's coarse place,
 * the scanner-session cookie, JSON-or-HTML negotiation, the page, and alerts written after the answer.
 */
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { openAlerts, type AlertOwner } from '../../../../db/queries/alerts.ts';
import { readJourneyRecords } from '../../../../db/queries/trace-events.ts';
import type { Finding } from '../../domain/clone-rules.ts';
import { parseKeyring, verifyCode } from '../../domain/codes.ts';
import { vietnamToday } from '../../domain/dates.ts';
import type { JourneyFacts } from '../../domain/journey-input.ts';
import { coarsePlace, type CoarsePlace, type EdgeMetadata } from '../../domain/place.ts';
import {
  hashScannerId,
  isScannerId,
  newScannerId,
  SCANNER_COOKIE,
  SCANNER_COOKIE_MAX_AGE,
} from '../../domain/scanner-session.ts';
import { buildScanAnswer, INVALID_SCAN_ANSWER, type ScanAnswer, type StampRecord } from '../../domain/stamp-answer.ts';
import type { AppEnv } from '../../app-env.ts';
import { ApiError } from '../../http/errors.ts';
import { ScanPage, type Notice } from '../../pages/scan-page.tsx';
import { pickLanguage } from '../../pages/strings.ts';

/** A consumer route's context. */
export type ScanContext = Context<AppEnv>;

/**
 * The scan's coarse place: the edge's `request.cf`, or — only when DEV_MODE is "1" (local runs and
 * tests, never production) — an `x-dev-place` header (URI-encoded JSON) standing in for it.
 */
export function placeOf(c: ScanContext): CoarsePlace {
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

/** The scanner session's salted hash at `at`; issues the first-party cookie on a first visit. */
export async function scannerSession(c: ScanContext, at: Date): Promise<string> {
  let id = getCookie(c, SCANNER_COOKIE);
  if (!isScannerId(id)) {
    id = newScannerId();
    setCookie(c, SCANNER_COOKIE, id, { httpOnly: true, secure: true, sameSite: 'Lax', path: '/', maxAge: SCANNER_COOKIE_MAX_AGE });
  }
  return hashScannerId(c.env.SCAN_SALT, id, at);
}

/** The caller wants JSON: it sent JSON, or accepts JSON and does not ask for HTML first. */
export function wantsJson(c: ScanContext): boolean {
  if ((c.req.header('content-type') ?? '').includes('application/json')) return true;
  const accept = c.req.header('accept') ?? '';
  return accept.includes('application/json') && !accept.startsWith('text/html');
}

/** The stamp keyring and the path's `code` verified against it (offline: no database). */
export async function verifyPathCode(c: ScanContext) {
  const keyring = await parseKeyring(c.env.STAMP_KEYS);
  return { keyring, verified: await verifyCode(keyring, c.req.param('code') ?? '') };
}

/** The answer about a stamp as read, with this request's findings and its batch's journey if read, on Việt Nam's today. */
export function answerFor(code: string, serial: number, stamp: StampRecord, findings: readonly Finding[] = [], journey?: JourneyFacts): ScanAnswer {
  return buildScanAnswer({ code, serial, stamp, findings, today: vietnamToday(Date.now()), journey });
}

/** The trace records of the stamp's batch, for its journey; undefined for a stamp on no batch. Reads only. */
export async function readJourney(c: ScanContext, stamp: Pick<StampRecord, 'batch'>): Promise<JourneyFacts | undefined> {
  return stamp.batch ? readJourneyRecords(c.var.db, stamp.batch.id) : undefined;
}

/** Who owns the stamp and where this request came from, copied onto its alerts. */
export function ownerOf(stamp: Pick<StampRecord, 'producer' | 'product'>, place: CoarsePlace): AlertOwner {
  return { producerId: stamp.producer?.id ?? null, productId: stamp.product?.id ?? null, region: place.region };
}

/** Alerts do not change the answer: they are written after it, in `waitUntil`. */
export function alertLater(c: ScanContext, serial: number, findings: Finding[], owner: AlertOwner): void {
  if (findings.length === 0) return;
  const work = openAlerts(c.var.db, serial, findings, owner).catch((err) => console.error('openAlerts failed', err));
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // no execution context (e.g. app.request in a unit test): the promise still runs
  }
}

/** The scan page of `answer` (not cached, in the asked language), with an optional notice from a form post. */
export function render(c: ScanContext, answer: ScanAnswer, status: number, notice?: Notice): Response {
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

/** Forged or malformed code: answered without touching the database (404). */
export function answerInvalid(c: ScanContext): Response {
  if (wantsJson(c)) return c.json(INVALID_SCAN_ANSWER, 404);
  return render(c, INVALID_SCAN_ANSWER, 404);
}

/**
 * A form or API call about a stamp nobody has scanned yet: JSON callers get 409; a browser is sent
 * to the stamp's page (303), where the visit is a scan like any other.
 */
export function scanFirst(c: ScanContext, code: string, json: boolean): Response {
  if (json) throw new ApiError('conflict', 'Scan the stamp first');
  const lang = pickLanguage(c.req.query('lang'), c.req.header('accept-language'));
  return c.redirect(`/s/${code}?lang=${lang}`, 303);
}
