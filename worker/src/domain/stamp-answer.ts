/**
 * A stamp's answer (DESIGN §4): its verdict, the clone rules that make it suspect, and what the scan
 * page, the scan JSON and the verification API say about it — decided here, once, from the facts
 * the queries read. Pure: no I/O.
 */
import type { AlertStatus, CertificateKind, ProducerKind, ProductCategory, StampKind } from '../../../db/schema.ts';
import { assessScan, type Finding, type Rule, type ScanEvent, type StampHistory } from './clone-rules.ts';
import { buildJourney, type JourneyInput, type JourneyStage } from './journey.ts';
import { buildJourneyInput, type JourneyFacts } from './journey-input.ts';
import type { CoarsePlace } from './place.ts';
import { mayReadPrivate } from './verification.ts';

/** Every answer a scan can give, in the order the checks run. */
export const VERDICTS = ['invalid', 'unknown_serial', 'voided', 'recalled', 'not_activated', 'suspect', 'genuine'] as const;
export type Verdict = (typeof VERDICTS)[number];

/**
 * Clone rules that turn a `genuine` stamp `suspect` for whoever asks (consumer or enterprise). The
 * other rules only alert officials: voided and recalled stamps have their own verdicts, and a first
 * scan outside the declared sales area is too often a buyer living across a province border (1.84%
 * of genuine stamps in clone-simulation.test.ts) to warn a consumer about.
 */
export const SUSPECT_RULES: readonly Rule[] = ['many_sessions', 'many_places', 'impossible_travel', 'scan_before_activation', 'pin_reused'];

/** A verdict and, when it is `suspect`, the rules that made it so. */
export type VerdictWithReasons = { verdict: Verdict; reasons?: Rule[] };

/** One clone-rule alert recorded on a stamp, with its status (`false_positive`: an official dismissed it). */
export type StampAlert = { rule: string; status: AlertStatus };

/** What a stamp's verdict depends on, as the queries read it. */
export type StampFacts = {
  /** The print run holding the serial under the key that signed the code; null: none does. */
  printRun: object | null;
  /** The activation binding the serial to a batch; null: not activated. */
  activation: object | null;
  voided: boolean;
  /** The stamp's batch is recalled. */
  recalled: boolean;
  /** Clone-rule alerts on the stamp, open or closed (consumer reports aside). */
  alerts: readonly StampAlert[];
};

/**
 * Applies fired clone rules to a base verdict: `genuine` with any {@link SUSPECT_RULES} becomes
 * `suspect` with those rules as `reasons`, deduplicated, in SUSPECT_RULES order. Other verdicts
 * are unchanged.
 * @example withCloneReasons('genuine', ['pin_reused', 'scan_of_voided']) // { verdict: 'suspect', reasons: ['pin_reused'] }
 */
export function withCloneReasons(verdict: Verdict, rules: readonly string[]): VerdictWithReasons {
  const fired = new Set<string>(rules);
  const reasons = SUSPECT_RULES.filter((r) => fired.has(r));
  if (verdict === 'genuine' && reasons.length > 0) return { verdict: 'suspect', reasons };
  return { verdict };
}

/**
 * The verdict of a stamp: `invalid` (no stamp: the code's tag did not verify) → `unknown_serial`
 * (no print run: a key-leak signal) → `voided` → `recalled` → `not_activated` → `genuine`, which
 * this request's `findings` and the stamp's alerts turn `suspect` (see {@link withCloneReasons}),
 * except rules an official dismissed as false positives on this stamp.
 * @example decideVerdict({ printRun: { id: 1 }, activation: null, voided: false, recalled: false, alerts: [] }) // { verdict: 'not_activated' }
 * @example decideVerdict({ printRun: { id: 1 }, activation: { id: 2 }, voided: false, recalled: false, alerts: [{ rule: 'many_places', status: 'open' }] }) // { verdict: 'suspect', reasons: ['many_places'] }
 */
export function decideVerdict(stamp: StampFacts | null, findings: readonly Pick<Finding, 'rule'>[] = []): VerdictWithReasons {
  if (stamp === null) return { verdict: 'invalid' };
  const base: Verdict =
    stamp.printRun === null ? 'unknown_serial'
    : stamp.voided ? 'voided'
    : stamp.recalled ? 'recalled'
    : stamp.activation === null ? 'not_activated'
    : 'genuine';
  const dismissed = new Set(stamp.alerts.filter((a) => a.status === 'false_positive').map((a) => a.rule));
  const fired = [...findings.map((f) => f.rule), ...stamp.alerts.map((a) => a.rule)].filter((r) => !dismissed.has(r));
  return withCloneReasons(base, fired);
}

/** Country, region and city of a place, as the answers show them. */
export type PlaceName = Pick<CoarsePlace, 'country' | 'region' | 'city'>;

/** Everything known about a stamp at a scan (a `StampContext` from db/queries/scans.ts fits). */
export type StampRecord = StampFacts & {
  printRun: { kind: StampKind } | null;
  activation: { activatedAt: Date } | null;
  producer: {
    id: number;
    name: string;
    kind: ProducerKind;
    taxCode: string;
    address: string;
    province: string;
    district: string | null;
    gln: string | null;
    phone: string | null;
    /** Declared provinces of sale; null = anywhere. */
    distributionArea: string[] | null;
  } | null;
  product: {
    id: number;
    name: string;
    gtin: string;
    category: ProductCategory;
    ocopStars: number | null;
    imageUrl: string | null;
    description: string | null;
    shelfLifeDays: number | null;
    standards: string | null;
  } | null;
  batch: { id: number; lotCode: string; productionDate: string; expiryDate: string | null; quantity: number; unit: string } | null;
  certificates: { kind: CertificateKind; number: string; issuer: string; validFrom: string; validTo: string | null }[];
  /** Per-stamp state (after this scan, if one was recorded); null before the first scan. */
  stamp: { scanCount: number; firstScanAt: Date; firstScanPlace: PlaceName; pinConfirmations: number } | null;
};

/** What a scan answers, as JSON and as the page's data. */
export type ScanAnswer = VerdictWithReasons & {
  code: string | null;
  serial: number | null;
  kind: StampKind | null;
  scan: { count: number; first: boolean; firstScanAt: string; firstScanPlace: PlaceName } | null;
  product: StampRecord['product'];
  producer: StampRecord['producer'];
  /** `expired`: the batch's expiry date is before today in Việt Nam (the stamp may still be genuine). */
  batch: (NonNullable<StampRecord['batch']> & { expired: boolean }) | null;
  certificates: StampRecord['certificates'];
  /** The batch's stages and its input lots' (marked `input`), oldest first (journey.ts); empty when none are recorded. */
  journey: JourneyStage[];
  /** Where the lots it was made from came from, one sentence each ("Cá cơm đánh bắt tại Cô Tô"). */
  journeyInputs: JourneyInput[];
};

/** The answer to a forged or malformed code (nothing was read). */
export const INVALID_SCAN_ANSWER: ScanAnswer = {
  verdict: 'invalid',
  code: null,
  serial: null,
  kind: null,
  scan: null,
  product: null,
  producer: null,
  batch: null,
  certificates: [],
  journey: [],
  journeyInputs: [],
};

/**
 * The answer about a stamp whose code verified: {@link decideVerdict} over its facts and this
 * request's `findings`, its scan count and first scan, and its product, producer, batch (expired
 * when its expiry date is before `today`) and certificates as read, and the batch's journey
 * ({@link buildJourney}) from the trace records when given (none: an empty journey).
 *
 * @param today Việt Nam's calendar day, `YYYY-MM-DD` (see `vietnamToday`)
 * @example buildScanAnswer({ code: 'C', serial: 7, stamp: record, findings: [], today: '2026-05-01' }).scan // { count: 1, first: true, ... }
 */
export function buildScanAnswer(a: {
  code: string;
  serial: number;
  stamp: StampRecord;
  findings?: readonly Pick<Finding, 'rule'>[];
  today: string;
  journey?: JourneyFacts;
}): ScanAnswer {
  const { stamp } = a;
  const journey =
    a.journey && stamp.batch && stamp.product
      ? buildJourney(
          buildJourneyInput(
            { product: { name: stamp.product.name, category: stamp.product.category }, lotCode: stamp.batch.lotCode, producer: stamp.producer },
            a.journey,
          ),
        )
      : { stages: [], inputs: [] };
  return {
    ...decideVerdict(stamp, a.findings),
    code: a.code,
    serial: a.serial,
    kind: stamp.printRun?.kind ?? null,
    scan: stamp.stamp
      ? {
          count: stamp.stamp.scanCount,
          first: stamp.stamp.scanCount === 1,
          firstScanAt: stamp.stamp.firstScanAt.toISOString(),
          firstScanPlace: stamp.stamp.firstScanPlace,
        }
      : null,
    product: stamp.product,
    producer: stamp.producer,
    batch: stamp.batch ? { ...stamp.batch, expired: stamp.batch.expiryDate !== null && stamp.batch.expiryDate < a.today } : null,
    certificates: stamp.certificates,
    journey: journey.stages,
    journeyInputs: journey.inputs,
  };
}

/**
 * The clone rules one consumer scan fires (DESIGN §5): {@link assessScan} over the stamp's earlier
 * scans and state and this scan. A valid tag on a serial no print run holds fires `unknown_serial`
 * instead: a signing key (`kid`) was used outside issuance.
 * @example assessStampScan({ ...record, printRun: null }, scan, 2) // [{ rule: 'unknown_serial', detail: { kid: 2 } }]
 */
export function assessStampScan(
  stamp: StampRecord & { history: Pick<StampHistory, 'recent' | 'totals'> },
  scan: ScanEvent,
  kid: number,
): Finding[] {
  if (stamp.printRun === null) return [{ rule: 'unknown_serial' as Rule, detail: { kid } }];
  return assessScan(
    {
      recent: stamp.history.recent,
      totals: stamp.history.totals,
      activatedAt: stamp.activation?.activatedAt.getTime() ?? null,
      voided: stamp.voided,
      recalled: stamp.recalled,
      distributionArea: stamp.producer?.distributionArea ?? null,
      pinConfirmations: stamp.stamp?.pinConfirmations ?? 0,
      firstScanAt: stamp.stamp?.firstScanAt.getTime() ?? null,
    },
    scan,
  );
}

/** What a verification answer needs about one stamp (a `VerifiedStampContext` from db/queries/verify.ts fits). */
export type VerifiedStamp = StampFacts & {
  serial: number;
  printRun: { kind: StampKind } | null;
  /** The company that owns the stamp: the batch's producer, else the allocation's. */
  ownerProducerId: number | null;
  product: { name: string; gtin: string } | null;
  producer: { name: string; taxCode: string } | null;
  batch: { lotCode: string; productionDate: string; expiryDate: string | null } | null;
  /** Consumer scans only; null before the first. */
  consumerScans: { count: number; firstScanAt: Date } | null;
};

/** One entry's answer in a verification response (the API's `VerificationResult`). */
export type VerificationAnswer = VerdictWithReasons & {
  code: string;
  serial: number | null;
  kind: StampKind | null;
  product: VerifiedStamp['product'];
  producer: VerifiedStamp['producer'];
  batch: VerifiedStamp['batch'];
  scan: { count: number; firstScanAt: string | null } | null;
};

/**
 * The answer for one entry of a verification request: `invalid` without a stamp (its code did not
 * verify), else {@link decideVerdict} and the stamp's public facts; its consumer scans only when
 * {@link mayReadPrivate} lets the key read them and a print run holds the stamp.
 *
 * @param entry the entry as sent
 * @param keyProducerId the API key's producer; null for a province-wide key
 * @example buildVerificationAnswer('XYZ', undefined, null) // { code: 'XYZ', verdict: 'invalid', serial: null, ... }
 */
export function buildVerificationAnswer(entry: string, stamp: VerifiedStamp | undefined, keyProducerId: number | null): VerificationAnswer {
  if (!stamp) return { code: entry, verdict: 'invalid', serial: null, kind: null, product: null, producer: null, batch: null, scan: null };
  const scan =
    mayReadPrivate(keyProducerId, stamp.ownerProducerId) && stamp.printRun
      ? { count: stamp.consumerScans?.count ?? 0, firstScanAt: stamp.consumerScans?.firstScanAt.toISOString() ?? null }
      : null;
  return {
    code: entry,
    ...decideVerdict(stamp),
    serial: stamp.serial,
    kind: stamp.printRun?.kind ?? null,
    product: stamp.product,
    producer: stamp.producer,
    batch: stamp.batch,
    scan,
  };
}
