import { Hono, type Context } from 'hono';
import { recordScan, type StampContext } from '../../../db/queries/scans.ts';
import { parseKeyring, verifyCode } from '../domain/codes.ts';
import { coarsePlace, type CoarsePlace, type EdgeMetadata } from '../domain/place.ts';
import { decideVerdict, type Verdict } from '../domain/verdict.ts';
import type { AppEnv } from '../env.ts';
import { ScanPage } from '../pages/scan-page.tsx';
import { pickLanguage } from '../pages/strings.ts';

/** What a scan answers, as JSON and as the page's data. */
export type ScanAnswer = {
  verdict: Verdict;
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
  batch: StampContext['batch'];
  certificates: StampContext['certificates'];
};

const EMPTY: Omit<ScanAnswer, 'verdict' | 'code' | 'serial'> = {
  kind: null,
  scan: null,
  product: null,
  producer: null,
  batch: null,
  certificates: [],
};

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

function wantsJson(c: Context): boolean {
  const accept = c.req.header('accept') ?? '';
  return accept.includes('application/json') && !accept.startsWith('text/html');
}

async function answerScan(c: Context<AppEnv>): Promise<Response> {
  const raw = c.req.param('code') ?? '';
  const keyring = await parseKeyring(c.env.STAMP_KEYS);
  const verified = await verifyCode(keyring, raw);
  let answer: ScanAnswer;
  if (!verified.ok) {
    // Forged or malformed: answered without touching the database.
    answer = { verdict: 'invalid', code: null, serial: null, ...EMPTY };
  } else {
    const ctx = await recordScan(c.var.db, {
      serial: verified.serial,
      kid: verified.kid,
      at: new Date(),
      place: placeOf(c),
      sessionHash: null,
      channel: 'consumer',
    });
    const verdict = decideVerdict({
      tagValid: true,
      inPrintRun: ctx.printRun !== null,
      voided: ctx.voided,
      recalled: false,
      activated: ctx.activation !== null,
    });
    answer = {
      verdict,
      code: verified.code,
      serial: verified.serial,
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
      batch: ctx.batch,
      certificates: ctx.certificates,
    };
  }
  const status = answer.verdict === 'invalid' ? 404 : 200;
  c.header('cache-control', 'no-store');
  c.header('vary', 'Accept, Accept-Language');
  if (wantsJson(c)) return c.json(answer, status);
  const lang = pickLanguage(c.req.query('lang'), c.req.header('accept-language'));
  const switchUrl = new URL(c.req.url);
  switchUrl.searchParams.set('lang', lang === 'vi' ? 'en' : 'vi');
  const page = ScanPage({ answer, lang, langSwitchHref: `${switchUrl.pathname}${switchUrl.search}` });
  return c.html(`<!doctype html>${page}`, status);
}

/** `GET /s/{code}` (any case, also `/S/{code}`): the consumer's scan, as HTML or JSON. */
export const scanRoutes = new Hono<AppEnv>().get('/s/:code', answerScan).get('/S/:code', answerScan);
