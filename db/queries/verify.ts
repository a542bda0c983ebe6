/**
 * Bulk verification by enterprise API clients (DESIGN §6): record the checks and read the context
 * of every stamp, set-based, in ONE write batch whatever the number of stamps. The per-stamp range
 * lookup is the scan path's (db/queries/scans.ts): the range row with the greatest
 * `first_serial <= serial`, if its `last_serial` reaches the serial.
 */
import type { Row } from '@libsql/client/web';
import type { Db } from '../client.ts';
import type { StampKind } from '../schema.ts';
import { rangeId, str } from './scans.ts';

/** A stamp whose code verified: its serial and the key id that signed the code. */
export type StampRef = { serial: number; kid: number };

/** What a verification answer needs about one stamp. */
export type VerifiedStampContext = {
  serial: number;
  kid: number;
  printRun: { id: number; kind: StampKind } | null;
  activation: { id: number; batchId: number } | null;
  voided: boolean;
  recalled: boolean;
  /** The company that owns the stamp: the batch's producer, else the allocation's. */
  ownerProducerId: number | null;
  product: { name: string; gtin: string } | null;
  producer: { name: string; taxCode: string } | null;
  batch: { lotCode: string; productionDate: string; expiryDate: string | null } | null;
  /** Consumer scans only (enterprise checks never count); null before the first consumer scan. */
  consumerScans: { count: number; firstScanAt: Date } | null;
  /** Clone rules alerted on the stamp and not dismissed as false positives. */
  alertRules: string[];
};

// `?1` is a JSON array of [serial, kid] pairs. Each pair's range ids come from an index seek each.
const REFS = `refs as (
    select key as i, json_extract(value, '$[0]') as serial, json_extract(value, '$[1]') as kid
    from json_each(?1))`;

const RECORD_SQL = `
  with ${REFS}
  insert into scans (serial, channel, scanned_at, api_client_id)
  select serial, 'enterprise', ?2, ?3 from refs order by i`;

const USAGE_SQL = 'update api_usage set codes = codes + ?1 where api_client_id = ?2 and window_start = ?3';

const CONTEXT_SQL = `
  with ${REFS},
  ids as (
    select refs.i, refs.serial, refs.kid,
           ${rangeId('print_runs', 'refs.serial')} as pr_id,
           ${rangeId('allocations', 'refs.serial')} as al_id,
           ${rangeId('activations', 'refs.serial')} as ac_id
    from refs)
  select ids.i, ids.serial, ids.kid,
         pr.id as print_run_id, pr.kind as stamp_kind,
         al.producer_id as allocation_producer_id,
         ac.id as activation_id, ac.batch_id,
         exists (select 1 from voids where first_serial <= ids.serial and last_serial >= ids.serial) as voided,
         b.lot_code, b.production_date, b.expiry_date, b.recalled_at,
         p.name as product_name, p.gtin,
         pd.id as producer_id, pd.name as producer_name, pd.tax_code,
         st.scan_count, st.first_scan_at,
         (select group_concat(rule) from (select distinct rule from alerts
            where serial = ids.serial and rule <> 'consumer_report' and status <> 'false_positive')) as alert_rules
  from ids
  left join print_runs pr on pr.id = ids.pr_id and pr.last_serial >= ids.serial and pr.key_id = ids.kid
  left join allocations al on pr.id is not null and al.id = ids.al_id and al.last_serial >= ids.serial
  left join activations ac on pr.id is not null and ac.id = ids.ac_id and ac.last_serial >= ids.serial
  left join batches b on b.id = ac.batch_id
  left join products p on p.id = b.product_id
  left join producers pd on pd.id = coalesce(b.producer_id, al.producer_id)
  left join stamps st on pr.id is not null and st.serial = ids.serial
  order by ids.i`;

/**
 * Records one enterprise check per stamp (a `scans` row, channel `enterprise`, with the client's
 * id), adds `codes` to the client's usage window, and reads the context of every stamp: one write
 * batch (one transaction, one round trip) for any number of stamps. Never touches `stamps`, so
 * consumer first-scan state is unchanged. Pass each stamp once.
 *
 * @param refs distinct verified stamps, in the order to record them
 * @param check the client, the time, and the usage window to count `codes` in
 * @returns each stamp's context, in the order of `refs`
 */
export async function recordEnterpriseChecks(
  db: Db,
  refs: readonly StampRef[],
  check: { apiClientId: number; at: Date; windowStart: number; codes: number },
): Promise<VerifiedStampContext[]> {
  const list = JSON.stringify(refs.map((r) => [r.serial, r.kid]));
  const results = await db.$client.batch(
    [
      { sql: RECORD_SQL, args: [list, check.at.getTime(), check.apiClientId] },
      { sql: USAGE_SQL, args: [check.codes, check.apiClientId, check.windowStart] },
      { sql: CONTEXT_SQL, args: [list] },
    ],
    'write',
  );
  return results[2]!.rows.map(toContext);
}

/** Adds `codes` to a client's usage window (for requests that had no stamp to look up). */
export async function countCodes(db: Db, apiClientId: number, windowStart: number, codes: number): Promise<void> {
  await db.$client.execute({ sql: USAGE_SQL, args: [codes, apiClientId, windowStart] });
}


function toContext(r: Row): VerifiedStampContext {
  const producerId = r.producer_id == null ? null : Number(r.producer_id);
  return {
    serial: Number(r.serial),
    kid: Number(r.kid),
    printRun: r.print_run_id == null ? null : { id: Number(r.print_run_id), kind: r.stamp_kind as StampKind },
    activation: r.activation_id == null ? null : { id: Number(r.activation_id), batchId: Number(r.batch_id) },
    voided: Number(r.voided) === 1,
    recalled: r.recalled_at != null,
    alertRules: r.alert_rules == null ? [] : String(r.alert_rules).split(','),
    ownerProducerId: producerId,
    product: r.product_name == null ? null : { name: String(r.product_name), gtin: String(r.gtin) },
    producer: producerId === null ? null : { name: String(r.producer_name), taxCode: String(r.tax_code) },
    batch:
      r.activation_id == null || r.lot_code == null
        ? null
        : { lotCode: String(r.lot_code), productionDate: String(r.production_date), expiryDate: str(r.expiry_date) },
    consumerScans:
      r.scan_count == null ? null : { count: Number(r.scan_count), firstScanAt: new Date(Number(r.first_scan_at)) },
  };
}
