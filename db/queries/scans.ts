/** The scan path's one round trip: record a scan and read everything the verdict needs (DESIGN §4). */
import type { InStatement, Row } from '@libsql/client/web';
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
  channel: 'consumer' | 'enterprise';
};

/** Everything known about a stamp at the moment of a scan. */
export type StampContext = {
  printRun: { id: number; kind: StampKind } | null;
  allocation: { producerId: number } | null;
  activation: { id: number; batchId: number } | null;
  voided: boolean;
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
  } | null;
};

// The range row holding a serial: ranges of one table never overlap, so it is the one with the
// greatest first_serial <= serial, if its last_serial reaches the serial (an index seek).
const rangeId = (table: string) =>
  `(select id from ${table} where first_serial <= :serial order by first_serial desc limit 1)`;

const CONTEXT_SQL = `
  with pr as (select * from print_runs where id = ${rangeId('print_runs')} and last_serial >= :serial and key_id = :kid),
       al as (select * from allocations where id = ${rangeId('allocations')} and last_serial >= :serial),
       ac as (select * from activations where id = ${rangeId('activations')} and last_serial >= :serial)
  select pr.id as print_run_id, pr.kind as stamp_kind,
         al.producer_id as allocation_producer_id,
         ac.id as activation_id, ac.batch_id,
         exists (select 1 from voids where first_serial <= :serial and last_serial >= :serial) as voided,
         b.lot_code, b.production_date, b.expiry_date, b.quantity, b.unit,
         p.id as product_id, p.name as product_name, p.gtin, p.category, p.ocop_stars, p.image_url,
         p.description, p.shelf_life_days, p.standards,
         pd.id as producer_id, pd.name as producer_name, pd.kind as producer_kind, pd.tax_code, pd.address,
         pd.province, pd.district, pd.gln, pd.phone
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
  where c.product_id is null or c.product_id = b.product_id
  order by c.kind`;

// Counts the scan on the stamp's row, creating it on the first scan. SQLite serializes writers, so
// of any number of simultaneous first scans exactly one sees scan_count = 1.
const STAMP_UPSERT_SQL = `
  insert into stamps (serial, scan_count, first_scan_at, first_scan_country, first_scan_region, first_scan_city, last_scan_at)
  select :serial, 1, :at, :country, :region, :city, :at
  where exists (select 1 from print_runs where id = ${rangeId('print_runs')} and last_serial >= :serial and key_id = :kid)
  on conflict (serial) do update set scan_count = scan_count + 1, last_scan_at = excluded.last_scan_at
  returning scan_count, first_scan_at, first_scan_country, first_scan_region, first_scan_city`;

const SCAN_INSERT_SQL = `
  insert into scans (serial, channel, scanned_at, country, region, city, latitude, longitude, session_hash)
  values (:serial, :channel, :at, :country, :region, :city, :latitude, :longitude, :session)`;

type Cell = Row[string] | undefined;
const str = (v: Cell) => (v === null || v === undefined ? null : String(v));
const num = (v: Cell) => (v === null || v === undefined ? null : Number(v));

/**
 * Records one scan and returns the stamp's context, in ONE round trip: a single write batch
 * (one transaction) that counts the scan on the stamp row (consumer channel only: enterprise checks
 * never change first-scan state), appends the scan row, and reads the ranges, batch, product,
 * producer and certificates.
 */
export async function recordScan(db: Db, scan: ScanInput): Promise<StampContext> {
  const args = {
    serial: scan.serial,
    kid: scan.kid,
    at: scan.at.getTime(),
    channel: scan.channel,
    country: scan.place.country,
    region: scan.place.region,
    city: scan.place.city,
    latitude: scan.place.latitude,
    longitude: scan.place.longitude,
    session: scan.sessionHash,
  };
  const statements: InStatement[] = [
    { sql: SCAN_INSERT_SQL, args: { serial: args.serial, channel: args.channel, at: args.at, country: args.country, region: args.region, city: args.city, latitude: args.latitude, longitude: args.longitude, session: args.session } },
    { sql: CONTEXT_SQL, args: { serial: args.serial, kid: args.kid } },
    { sql: CERTIFICATES_SQL, args: { serial: args.serial } },
  ];
  if (scan.channel === 'consumer') {
    statements.unshift({ sql: STAMP_UPSERT_SQL, args: { serial: args.serial, kid: args.kid, at: args.at, country: args.country, region: args.region, city: args.city } });
  } else {
    statements.unshift({
      sql: 'select scan_count, first_scan_at, first_scan_country, first_scan_region, first_scan_city from stamps where serial = :serial',
      args: { serial: args.serial },
    });
  }
  const [stampResult, , contextResult, certificateResult] = await db.$client.batch(statements, 'write');
  return toContext(stampResult!.rows[0], contextResult!.rows[0]!, certificateResult!.rows);
}

function toContext(stampRow: Row | undefined, r: Row, certRows: Row[]): StampContext {
  return {
    printRun: r.print_run_id == null ? null : { id: Number(r.print_run_id), kind: r.stamp_kind as StampKind },
    allocation: r.allocation_producer_id == null ? null : { producerId: Number(r.allocation_producer_id) },
    activation: r.activation_id == null ? null : { id: Number(r.activation_id), batchId: Number(r.batch_id) },
    voided: Number(r.voided) === 1,
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
        }
      : null,
  };
}
