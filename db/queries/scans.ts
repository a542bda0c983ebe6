/** The scan path's one round trip: record a scan and read everything the verdict needs (DESIGN §4). */
import type { Row } from '@libsql/client/web';
import type { Db } from '../client.ts';
import type { CertificateKind, ProducerKind, ProductCategory, StampKind } from '../schema.ts';

/** Coarse place of a scan, from the edge's request metadata. Never an IP or a precise position. */
export type ScanPlace = {
  country: string | null;
  region: string | null;
  city: string | null;
  latitude: number | null;
  longitude: number | null;
};

/** One scan to record. `kid` is the key id the code was signed with (it must match the print run's). */
export type ScanInput = {
  serial: number;
  kid: number;
  at: Date;
  place: ScanPlace;
  sessionHash: string | null;
};

/** Everything known about a stamp at the moment of a scan. */
export type StampContext = {
  printRun: { id: number; kind: StampKind } | null;
  allocation: { producerId: number } | null;
  activation: { id: number; batchId: number; activatedAt: Date } | null;
  voided: boolean;
  recalled: boolean;
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
  /** Per-stamp state after this scan was counted; null when no print run holds the serial. */
  stamp: {
    scanCount: number;
    firstScanAt: Date;
    firstScanPlace: Pick<ScanPlace, 'country' | 'region' | 'city'>;
    pinConfirmations: number;
  } | null;
  /** Clone rules already alerted on this stamp and not dismissed as false positives. */
  alertRules: string[];
  /** Clone rules an official dismissed as false positives on this stamp: they no longer warn. */
  dismissedRules: string[];
  /** Earlier consumer scans of the stamp (before this one): the newest 50, oldest first, and totals over all. */
  history: {
    recent: { at: number; sessionHash: string | null; place: ScanPlace }[];
    totals: { scans: number; distinctSessions: number; distinctPlaces: number };
  };
};

/** How many earlier scans the clone rules see one by one. */
export const RECENT_SCANS = 50;
/** How many earlier scans the distinct-session and distinct-place totals count. */
export const TOTALS_WINDOW = 500;

/**
 * SQL for the id of the range row of `table` that may hold `serial` (an SQL expression): ranges of
 * one table never overlap, so it is the one with the greatest first_serial <= serial, if its
 * last_serial reaches the serial (an index seek). The caller checks last_serial.
 */
export const rangeId = (table: string, serial = ':serial') =>
  `(select id from ${table} where first_serial <= ${serial} order by first_serial desc limit 1)`;

const CONTEXT_SQL = `
  with pr as (select * from print_runs where id = ${rangeId('print_runs')} and last_serial >= :serial and key_id = :kid),
       al as (select * from allocations where id = ${rangeId('allocations')} and last_serial >= :serial),
       ac as (select * from activations where id = ${rangeId('activations')} and last_serial >= :serial)
  select pr.id as print_run_id, pr.kind as stamp_kind,
         al.producer_id as allocation_producer_id,
         ac.id as activation_id, ac.batch_id, ac.created_at as activated_at, b.recalled_at,
         exists (select 1 from voids where first_serial <= :serial and last_serial >= :serial) as voided,
         b.lot_code, b.production_date, b.expiry_date, b.quantity, b.unit,
         p.id as product_id, p.name as product_name, p.gtin, p.category, p.ocop_stars, p.image_url,
         p.description, p.shelf_life_days, p.standards,
         pd.id as producer_id, pd.name as producer_name, pd.kind as producer_kind, pd.tax_code, pd.address,
         pd.province, pd.district, pd.gln, pd.phone, pd.distribution_area
  from (select 1) one
  left join pr on 1
  left join al on pr.id is not null
  left join ac on pr.id is not null
  left join batches b on b.id = ac.batch_id
  left join products p on p.id = b.product_id
  left join producers pd on pd.id = coalesce(b.producer_id, al.producer_id)`;

const CERTIFICATES_SQL = `
  with ac as (select * from activations where id = ${rangeId('activations')} and last_serial >= :serial),
       b as (select batches.* from batches join ac on ac.batch_id = batches.id)
  select c.kind, c.number, c.issuer, c.valid_from, c.valid_to
  from certificates c join b on c.producer_id = b.producer_id
  where (c.product_id is null or c.product_id = b.product_id)
    -- Only certificates valid today (Việt Nam's calendar day, UTC+7): expired or future ones are not shown.
    and c.valid_from <= date('now', '+7 hours') and (c.valid_to is null or c.valid_to >= date('now', '+7 hours'))
  order by c.kind`;

// Counts the scan on the stamp's row, creating it on the first scan. SQLite serializes writers, so
// of any number of simultaneous first scans exactly one sees scan_count = 1.
const STAMP_UPSERT_SQL = `
  insert into stamps (serial, scan_count, first_scan_at, first_scan_country, first_scan_region, first_scan_city, last_scan_at)
  select :serial, 1, :at, :country, :region, :city, :at
  where exists (select 1 from print_runs where id = ${rangeId('print_runs')} and last_serial >= :serial and key_id = :kid)
  on conflict (serial) do update set scan_count = scan_count + 1, last_scan_at = excluded.last_scan_at
  returning scan_count, first_scan_at, first_scan_country, first_scan_region, first_scan_city, pin_confirmations`;

// Both run right after the scan row's insert: last_insert_rowid() is this scan, so "id <" means "before it".
const HISTORY_SQL = `
  select scanned_at, session_hash, country, region, city, latitude, longitude from (
    select * from scans where serial = :serial and channel = 'consumer' and id < last_insert_rowid()
    order by scanned_at desc, id desc limit ${RECENT_SCANS}
  ) order by scanned_at, id`;

// Totals over the newest TOTALS_WINDOW scans only: every threshold is far below it, so counting
// further back changes no answer, and a much-copied code does not get slower with every scan.
const TOTALS_SQL = `
  select count(*) as scans,
         count(distinct session_hash) as sessions,
         count(distinct case when coalesce(country, region, city) is not null
                             then lower(coalesce(country, '') || '|' || coalesce(region, '') || '|' || coalesce(city, '')) end) as places
  from (select * from scans where serial = :serial and channel = 'consumer' and id < last_insert_rowid()
        order by scanned_at desc, id desc limit ${TOTALS_WINDOW})`;

// Suspect rules persist as alerts: a stamp stays suspect until an official dismisses the alert.
const ALERT_RULES_SQL = `
  select rule, status from alerts where serial = :serial and rule <> 'consumer_report'`;

const SCAN_INSERT_SQL = `
  insert into scans (serial, channel, scanned_at, country, region, city, latitude, longitude, session_hash)
  values (:serial, 'consumer', :at, :country, :region, :city, :latitude, :longitude, :session)`;

const STAMP_SQL =
  'select scan_count, first_scan_at, first_scan_country, first_scan_region, first_scan_city, pin_confirmations from stamps where serial = :serial';

type Cell = Row[string] | undefined;
/** A nullable text cell of a libSQL row. */
export const str = (v: Cell) => (v === null || v === undefined ? null : String(v));
const num = (v: Cell) => (v === null || v === undefined ? null : Number(v));

/**
 * Records one consumer scan and returns the stamp's context, in ONE round trip: a single write
 * batch (one transaction) that counts the scan on the stamp row, appends the scan row, and reads
 * the history, ranges, batch, product, producer, certificates and alerts. (Enterprise checks are
 * recorded by db/queries/verify.ts and never touch the stamp row.)
 */
export async function recordScan(db: Db, scan: ScanInput): Promise<StampContext> {
  const { serial, kid } = scan;
  const at = scan.at.getTime();
  const { country, region, city, latitude, longitude } = scan.place;
  const [stampResult, , historyResult, totalsResult, contextResult, certificateResult, alertResult] = await db.$client.batch(
    [
      { sql: STAMP_UPSERT_SQL, args: { serial, kid, at, country, region, city } },
      { sql: SCAN_INSERT_SQL, args: { serial, at, country, region, city, latitude, longitude, session: scan.sessionHash } },
      { sql: HISTORY_SQL, args: { serial } },
      { sql: TOTALS_SQL, args: { serial } },
      { sql: CONTEXT_SQL, args: { serial, kid } },
      { sql: CERTIFICATES_SQL, args: { serial } },
      { sql: ALERT_RULES_SQL, args: { serial } },
    ],
    'write',
  );
  const totals = totalsResult!.rows[0]!;
  const history: StampContext['history'] = {
    recent: historyResult!.rows.map((h) => ({
      at: Number(h.scanned_at),
      sessionHash: str(h.session_hash),
      place: { country: str(h.country), region: str(h.region), city: str(h.city), latitude: num(h.latitude), longitude: num(h.longitude) },
    })),
    totals: { scans: Number(totals.scans), distinctSessions: Number(totals.sessions), distinctPlaces: Number(totals.places) },
  };
  return toContext(stampResult!.rows[0], contextResult!.rows[0]!, certificateResult!.rows, alertResult!.rows, history);
}

function toContext(stampRow: Row | undefined, r: Row, certRows: Row[], alertRows: Row[], history: StampContext['history']): StampContext {
  return {
    alertRules: alertRows.filter((a) => a.status !== 'false_positive').map((a) => String(a.rule)),
    dismissedRules: alertRows.filter((a) => a.status === 'false_positive').map((a) => String(a.rule)),
    printRun: r.print_run_id == null ? null : { id: Number(r.print_run_id), kind: r.stamp_kind as StampKind },
    allocation: r.allocation_producer_id == null ? null : { producerId: Number(r.allocation_producer_id) },
    activation:
      r.activation_id == null
        ? null
        : { id: Number(r.activation_id), batchId: Number(r.batch_id), activatedAt: new Date(Number(r.activated_at)) },
    voided: Number(r.voided) === 1,
    recalled: r.recalled_at != null,
    producer:
      r.producer_id == null
        ? null
        : {
            id: Number(r.producer_id),
            name: String(r.producer_name),
            kind: r.producer_kind as ProducerKind,
            taxCode: String(r.tax_code),
            address: String(r.address),
            province: String(r.province),
            district: str(r.district),
            gln: str(r.gln),
            phone: str(r.phone),
            distributionArea: splitArea(str(r.distribution_area)),
          },
    product:
      r.product_id == null
        ? null
        : {
            id: Number(r.product_id),
            name: String(r.product_name),
            gtin: String(r.gtin),
            category: r.category as ProductCategory,
            ocopStars: num(r.ocop_stars),
            imageUrl: str(r.image_url),
            description: str(r.description),
            shelfLifeDays: num(r.shelf_life_days),
            standards: str(r.standards),
          },
    batch:
      r.activation_id == null || r.lot_code == null
        ? null
        : {
            id: Number(r.batch_id),
            lotCode: String(r.lot_code),
            productionDate: String(r.production_date),
            expiryDate: str(r.expiry_date),
            quantity: Number(r.quantity),
            unit: String(r.unit),
          },
    certificates: certRows.map((c) => ({
      kind: c.kind as CertificateKind,
      number: String(c.number),
      issuer: String(c.issuer),
      validFrom: String(c.valid_from),
      validTo: str(c.valid_to),
    })),
    stamp: stampRow
      ? {
          scanCount: Number(stampRow.scan_count),
          firstScanAt: new Date(Number(stampRow.first_scan_at)),
          firstScanPlace: {
            country: str(stampRow.first_scan_country),
            region: str(stampRow.first_scan_region),
            city: str(stampRow.first_scan_city),
          },
          pinConfirmations: Number(stampRow.pin_confirmations ?? 0),
        }
      : null,
    history,
  };
}

function splitArea(area: string | null): string[] | null {
  if (!area) return null;
  const parts = area.split(',').map((p) => p.trim()).filter(Boolean);
  return parts.length ? parts : null;
}

/** What a hidden-PIN confirmation must know before the PIN is looked at. */
export type PinState = {
  kind: StampKind | null;
  inPrintRun: boolean;
  /** The stamp has been scanned (its row exists); a PIN is only confirmed after a scan. */
  stampExists: boolean;
};

/** Reads what a hidden-PIN confirmation needs first, in one read batch. */
export async function readPinState(db: Db, q: { serial: number; kid: number }): Promise<PinState> {
  const [run, stamp] = await db.$client.batch(
    [
      {
        sql: `select kind from print_runs where id = ${rangeId('print_runs')} and last_serial >= :serial and key_id = :kid`,
        args: { serial: q.serial, kid: q.kid },
      },
      { sql: 'select 1 from stamps where serial = :serial', args: { serial: q.serial } },
    ],
    'read',
  );
  return {
    kind: (run!.rows[0]?.kind as StampKind | undefined) ?? null,
    inPrintRun: run!.rows.length > 0,
    stampExists: stamp!.rows.length > 0,
  };
}

/** The stamp's PIN confirmation state after a correct PIN. */
export type PinConfirmation = {
  confirmations: number;
  confirmedAt: Date;
  place: Pick<ScanPlace, 'country' | 'region' | 'city'>;
};

/** The outcome of one hidden-PIN attempt. */
export type PinAttemptOutcome = {
  /** False when the stamp or the session had used up its wrong attempts: nothing was recorded. */
  accepted: boolean;
  /** Wrong attempts in the window after this one, on the stamp and by the session. */
  stampFailures: number;
  sessionFailures: number;
  oldestFailureAt: number | null;
  /** For an accepted correct PIN: the stamp's confirmation state after it. */
  confirmation: PinConfirmation | null;
};

// The attempt is recorded only while both the stamp and the session are under their limits. In the
// same write batch (one transaction), so parallel guesses cannot slip past the limit.
const PIN_ATTEMPT_SQL = `
  insert into pin_attempts (serial, session_hash, at, result)
  select :serial, :session, :at, :result
  where (select count(*) from pin_attempts where serial = :serial and result = 'wrong' and at >= :since) < :perStamp
    and (select count(*) from pin_attempts where session_hash = :session and result = 'wrong' and at >= :since) < :perSession`;

// Runs right after PIN_ATTEMPT_SQL: changes() = 1 only if the attempt was accepted.
const PIN_CONFIRM_SQL = `
  update stamps set
    pin_confirmations = pin_confirmations + 1,
    pin_confirmed_at = coalesce(pin_confirmed_at, :at),
    pin_confirm_country = case when pin_confirmed_at is null then :country else pin_confirm_country end,
    pin_confirm_region = case when pin_confirmed_at is null then :region else pin_confirm_region end,
    pin_confirm_city = case when pin_confirmed_at is null then :city else pin_confirm_city end
  where serial = :serial and :result = 'ok' and changes() = 1
  returning pin_confirmations, pin_confirmed_at, pin_confirm_country, pin_confirm_region, pin_confirm_city`;

const PIN_FAILURES_SQL = `
  select (select count(*) from pin_attempts where serial = :serial and result = 'wrong' and at >= :since) as stamp_failures,
         (select count(*) from pin_attempts where session_hash = :session and result = 'wrong' and at >= :since) as session_failures,
         (select min(at) from pin_attempts where (serial = :serial or session_hash = :session) and result = 'wrong' and at >= :since) as oldest`;

/**
 * Records one hidden-PIN attempt (whose correctness the caller already checked, offline) and, for
 * a correct one, counts the confirmation on the stamp row keeping the first one's time and place.
 * One write batch: the limit check, the attempt and the confirmation are atomic, so parallel wrong
 * guesses cannot exceed the limits, and of simultaneous first confirmations exactly one gets
 * `confirmations = 1`.
 */
export async function recordPinAttempt(
  db: Db,
  a: {
    serial: number;
    sessionHash: string | null;
    at: number;
    correct: boolean;
    place: ScanPlace;
    since: number;
    limits: { perStamp: number; perSession: number };
  },
): Promise<PinAttemptOutcome> {
  const result = a.correct ? 'ok' : 'wrong';
  const [inserted, confirmed, failures] = await db.$client.batch(
    [
      {
        sql: PIN_ATTEMPT_SQL,
        args: { serial: a.serial, session: a.sessionHash, at: a.at, result, since: a.since, perStamp: a.limits.perStamp, perSession: a.limits.perSession },
      },
      {
        sql: PIN_CONFIRM_SQL,
        args: { serial: a.serial, at: a.at, result, country: a.place.country, region: a.place.region, city: a.place.city },
      },
      { sql: PIN_FAILURES_SQL, args: { serial: a.serial, session: a.sessionHash, since: a.since } },
    ],
    'write',
  );
  const f = failures!.rows[0]!;
  const row = confirmed!.rows[0];
  return {
    accepted: inserted!.rowsAffected === 1,
    stampFailures: Number(f.stamp_failures),
    sessionFailures: Number(f.session_failures),
    oldestFailureAt: num(f.oldest),
    confirmation: row
      ? {
          confirmations: Number(row.pin_confirmations),
          confirmedAt: new Date(Number(row.pin_confirmed_at)),
          place: { country: str(row.pin_confirm_country), region: str(row.pin_confirm_region), city: str(row.pin_confirm_city) },
        }
      : null,
  };
}

const NO_HISTORY: StampContext['history'] = { recent: [], totals: { scans: 0, distinctSessions: 0, distinctPlaces: 0 } };

/** The stamp's context as {@link recordScan} returns it, read without recording a scan (history left empty). */
export async function readStampContext(db: Db, serial: number, kid: number): Promise<StampContext> {
  const [stamp, context, certs, alertRules] = await db.$client.batch(
    [
      { sql: STAMP_SQL, args: { serial } },
      { sql: CONTEXT_SQL, args: { serial, kid } },
      { sql: CERTIFICATES_SQL, args: { serial } },
      { sql: ALERT_RULES_SQL, args: { serial } },
    ],
    'read',
  );
  return toContext(stamp!.rows[0], context!.rows[0]!, certs!.rows, alertRules!.rows, NO_HISTORY);
}
