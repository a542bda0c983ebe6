/** The scan path's one round trip: record a scan and read everything the verdict needs (DESIGN §4). */
import type { Row } from '@libsql/client/web';
import { sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import {
  activations,
  alerts,
  allocations,
  batches,
  certificates,
  printRuns,
  producers,
  products,
  scans,
  stamps,
  voids,
  type AlertStatus,
  type CertificateKind,
  type ProducerKind,
  type ProductCategory,
  type StampKind,
} from '../schema.ts';
import { num, rangeId, statement, str } from './raw-sql.ts';

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
  /** Clone-rule alerts recorded on this stamp (consumer reports aside), open or closed. */
  alerts: { rule: string; status: AlertStatus }[];
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

/** The print run that holds `:serial` under the key `:kid` (a condition on `print_runs`). */
const holdsSerial = sql`${printRuns.id} = ${rangeId(printRuns)} and ${printRuns.lastSerial} >= :serial and ${printRuns.keyId} = :kid`;

const pr = printRuns;
const al = allocations;
const ac = activations;
const b = batches;
const p = products;
const pd = producers;
const CONTEXT_SQL = statement(sql`
  with pr as (select * from ${pr} where ${holdsSerial}),
       al as (select * from ${al} where ${al.id} = ${rangeId(al)} and ${al.lastSerial} >= :serial),
       ac as (select * from ${ac} where ${ac.id} = ${rangeId(ac)} and ${ac.lastSerial} >= :serial)
  select pr.${pr.id} as print_run_id, pr.${pr.kind} as stamp_kind,
         al.${al.producerId} as allocation_producer_id,
         ac.${ac.id} as activation_id, ac.${ac.batchId} as batch_id, ac.${ac.createdAt} as activated_at,
         b.${b.recalledAt} as recalled_at,
         exists (select 1 from ${voids} where ${voids.firstSerial} <= :serial and ${voids.lastSerial} >= :serial) as voided,
         b.${b.lotCode} as lot_code, b.${b.productionDate} as production_date, b.${b.expiryDate} as expiry_date,
         b.${b.quantity} as quantity, b.${b.unit} as unit,
         p.${p.id} as product_id, p.${p.name} as product_name, p.${p.gtin} as gtin, p.${p.category} as category,
         p.${p.ocopStars} as ocop_stars, p.${p.imageUrl} as image_url, p.${p.description} as description,
         p.${p.shelfLifeDays} as shelf_life_days, p.${p.standards} as standards,
         pd.${pd.id} as producer_id, pd.${pd.name} as producer_name, pd.${pd.kind} as producer_kind,
         pd.${pd.taxCode} as tax_code, pd.${pd.address} as address, pd.${pd.province} as province,
         pd.${pd.district} as district, pd.${pd.gln} as gln, pd.${pd.phone} as phone,
         pd.${pd.distributionArea} as distribution_area
  from (select 1) one
  left join pr on 1
  left join al on pr.${pr.id} is not null
  left join ac on pr.${pr.id} is not null
  left join ${b} b on b.${b.id} = ac.${ac.batchId}
  left join ${p} p on p.${p.id} = b.${b.productId}
  left join ${pd} pd on pd.${pd.id} = coalesce(b.${b.producerId}, al.${al.producerId})`);

// Only certificates valid today (Việt Nam's calendar day, UTC+7): expired or future ones are not shown.
const c = certificates;
const CERTIFICATES_SQL = statement(sql`
  with ac as (select * from ${ac} where ${ac.id} = ${rangeId(ac)} and ${ac.lastSerial} >= :serial),
       b as (select ${b}.* from ${b} join ac on ac.${ac.batchId} = ${b}.${b.id})
  select c.${c.kind} as kind, c.${c.number} as number, c.${c.issuer} as issuer,
         c.${c.validFrom} as valid_from, c.${c.validTo} as valid_to
  from ${c} c join b on c.${c.producerId} = b.${b.producerId}
  where (c.${c.productId} is null or c.${c.productId} = b.${b.productId})
    and c.${c.validFrom} <= date('now', '+7 hours') and (c.${c.validTo} is null or c.${c.validTo} >= date('now', '+7 hours'))
  order by c.${c.kind}`);

// Counts the scan on the stamp's row, creating it on the first scan. SQLite serializes writers, so
// of any number of simultaneous first scans exactly one sees scan_count = 1.
// Output columns are named in the text, so the row readers below do not depend on the schema's names.
const STAMP_STATE = sql`${stamps.scanCount} as scan_count, ${stamps.firstScanAt} as first_scan_at,
  ${stamps.firstScanCountry} as first_scan_country, ${stamps.firstScanRegion} as first_scan_region,
  ${stamps.firstScanCity} as first_scan_city, ${stamps.pinConfirmations} as pin_confirmations`;
const STAMP_UPSERT_SQL = statement(sql`
  insert into ${stamps} (${stamps.serial}, ${stamps.scanCount}, ${stamps.firstScanAt}, ${stamps.firstScanCountry},
                         ${stamps.firstScanRegion}, ${stamps.firstScanCity}, ${stamps.lastScanAt})
  select :serial, 1, :at, :country, :region, :city, :at
  where exists (select 1 from ${printRuns} where ${holdsSerial})
  on conflict (${stamps.serial}) do update set ${stamps.scanCount} = ${stamps.scanCount} + 1, ${stamps.lastScanAt} = excluded.${stamps.lastScanAt}
  returning ${STAMP_STATE}`);

// Both run right after the scan row's insert: last_insert_rowid() is this scan, so "id <" means "before it".
const EARLIER_SCANS = sql`select * from ${scans} where ${scans.serial} = :serial and ${scans.channel} = 'consumer' and ${scans.id} < last_insert_rowid()
    order by ${scans.scannedAt} desc, ${scans.id} desc`;
const HISTORY_SQL = statement(sql`
  select ${scans.scannedAt} as scanned_at, ${scans.sessionHash} as session_hash, ${scans.country} as country, ${scans.region} as region,
         ${scans.city} as city, ${scans.latitude} as latitude, ${scans.longitude} as longitude
  from (${EARLIER_SCANS} limit ${sql.raw(String(RECENT_SCANS))}) order by ${scans.scannedAt}, ${scans.id}`);

// Totals over the newest TOTALS_WINDOW scans only: every threshold is far below it, so counting
// further back changes no answer, and a much-copied code does not get slower with every scan.
const TOTALS_SQL = statement(sql`
  select count(*) as scans,
         count(distinct ${scans.sessionHash}) as sessions,
         count(distinct case when coalesce(${scans.country}, ${scans.region}, ${scans.city}) is not null
                             then lower(coalesce(${scans.country}, '') || '|' || coalesce(${scans.region}, '') || '|' || coalesce(${scans.city}, '')) end) as places
  from (${EARLIER_SCANS} limit ${sql.raw(String(TOTALS_WINDOW))})`);

// Suspect rules persist as alerts: a stamp stays suspect until an official dismisses the alert.
const ALERTS_SQL = statement(sql`
  select ${alerts.rule} as rule, ${alerts.status} as status from ${alerts} where ${alerts.serial} = :serial and ${alerts.rule} <> 'consumer_report'`);

const SCAN_INSERT_SQL = statement(sql`
  insert into ${scans} (${scans.serial}, ${scans.channel}, ${scans.scannedAt}, ${scans.country}, ${scans.region}, ${scans.city},
                        ${scans.latitude}, ${scans.longitude}, ${scans.sessionHash})
  values (:serial, 'consumer', :at, :country, :region, :city, :latitude, :longitude, :session)`);

const STAMP_SQL = statement(sql`select ${STAMP_STATE} from ${stamps} where ${stamps.serial} = :serial`);

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
      { sql: ALERTS_SQL, args: { serial } },
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

const NO_HISTORY: StampContext['history'] = { recent: [], totals: { scans: 0, distinctSessions: 0, distinctPlaces: 0 } };

/**
 * The stamp's context as {@link recordScan} returns it, read without recording a scan (history
 * left empty): one read batch of the same statements.
 */
export async function readStampContext(db: Db, serial: number, kid: number): Promise<StampContext> {
  const [stamp, context, certs, alertRows] = await db.$client.batch(
    [
      { sql: STAMP_SQL, args: { serial } },
      { sql: CONTEXT_SQL, args: { serial, kid } },
      { sql: CERTIFICATES_SQL, args: { serial } },
      { sql: ALERTS_SQL, args: { serial } },
    ],
    'read',
  );
  return toContext(stamp!.rows[0], context!.rows[0]!, certs!.rows, alertRows!.rows, NO_HISTORY);
}

function toContext(stampRow: Row | undefined, r: Row, certRows: Row[], alertRows: Row[], history: StampContext['history']): StampContext {
  return {
    alerts: alertRows.map((a) => ({ rule: String(a.rule), status: a.status as AlertStatus })),
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
