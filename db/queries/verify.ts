/**
 * Bulk verification by enterprise API clients (DESIGN §6): record the checks and read the context
 * of every stamp, set-based, in ONE write batch whatever the number of stamps. The per-stamp range
 * lookup is the scan path's (db/queries/raw-sql.ts): the range row with the greatest
 * `first_serial <= serial`, if its `last_serial` reaches the serial.
 */
import type { Row } from '@libsql/client/web';
import { sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import {
  activations,
  alerts,
  allocations,
  apiUsage,
  batches,
  printRuns,
  producers,
  products,
  scans,
  stamps,
  voids,
  type AlertStatus,
  type StampKind,
} from '../schema.ts';
import { rangeId, statement, str } from './raw-sql.ts';

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
  /** Clone-rule alerts recorded on the stamp (consumer reports aside), open or closed. */
  alerts: { rule: string; status: AlertStatus }[];
};

// `?1` is a JSON array of [serial, kid] pairs. Each pair's range ids come from an index seek each.
const REFS = sql`refs as (
    select key as i, json_extract(value, '$[0]') as serial, json_extract(value, '$[1]') as kid
    from json_each(?1))`;

const RECORD_SQL = statement(sql`
  with ${REFS}
  insert into ${scans} (${scans.serial}, ${scans.channel}, ${scans.scannedAt}, ${scans.apiClientId})
  select serial, 'enterprise', ?2, ?3 from refs order by i`);

const USAGE_SQL = statement(sql`
  update ${apiUsage} set ${apiUsage.codes} = ${apiUsage.codes} + ?1
  where ${apiUsage.apiClientId} = ?2 and ${apiUsage.windowStart} = ?3`);

const refSerial = sql.raw('ids.serial');
const [pr, al, ac, b, p, pd, st] = [printRuns, allocations, activations, batches, products, producers, stamps];
const CONTEXT_SQL = statement(sql`
  with ${REFS},
  ids as (
    select refs.i, refs.serial, refs.kid,
           ${rangeId(printRuns, sql.raw('refs.serial'))} as pr_id,
           ${rangeId(allocations, sql.raw('refs.serial'))} as al_id,
           ${rangeId(activations, sql.raw('refs.serial'))} as ac_id
    from refs)
  select ids.i, ids.serial, ids.kid,
         pr.${pr.id} as print_run_id, pr.${pr.kind} as stamp_kind,
         al.${al.producerId} as allocation_producer_id,
         ac.${ac.id} as activation_id, ac.${ac.batchId} as batch_id,
         exists (select 1 from ${voids} where ${voids.firstSerial} <= ${refSerial} and ${voids.lastSerial} >= ${refSerial}) as voided,
         b.${b.lotCode} as lot_code, b.${b.productionDate} as production_date, b.${b.expiryDate} as expiry_date,
         b.${b.recalledAt} as recalled_at,
         p.${p.name} as product_name, p.${p.gtin} as gtin,
         pd.${pd.id} as producer_id, pd.${pd.name} as producer_name, pd.${pd.taxCode} as tax_code,
         st.${st.scanCount} as scan_count, st.${st.firstScanAt} as first_scan_at,
         (select json_group_array(json_object('rule', ${alerts.rule}, 'status', ${alerts.status})) from ${alerts}
            where ${alerts.serial} = ${refSerial} and ${alerts.rule} <> 'consumer_report') as alerts
  from ids
  left join ${pr} pr on pr.${pr.id} = ids.pr_id and pr.${pr.lastSerial} >= ids.serial and pr.${pr.keyId} = ids.kid
  left join ${al} al on pr.${pr.id} is not null and al.${al.id} = ids.al_id and al.${al.lastSerial} >= ids.serial
  left join ${ac} ac on pr.${pr.id} is not null and ac.${ac.id} = ids.ac_id and ac.${ac.lastSerial} >= ids.serial
  left join ${b} b on b.${b.id} = ac.${ac.batchId}
  left join ${p} p on p.${p.id} = b.${b.productId}
  left join ${pd} pd on pd.${pd.id} = coalesce(b.${b.producerId}, al.${al.producerId})
  left join ${st} st on pr.${pr.id} is not null and st.${st.serial} = ids.serial
  order by ids.i`);

/**
 * Records one enterprise check per stamp (a `scans` row, channel `enterprise`, with the client's
 * id), adds `codes` to the client's usage window, and reads the context of every stamp: one write
 * batch (one transaction, one round trip) for any number of stamps. Never touches `stamps`, so
 * consumer first-scan state is unchanged. A stamp given twice is recorded and answered twice (the
 * route gives each distinct stamp once).
 *
 * @param refs verified stamps, in the order to record them
 * @param check the client, the time, and the usage window (unix ms) to count `codes` in
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

function toContext(r: Row): VerifiedStampContext {
  const producerId = r.producer_id == null ? null : Number(r.producer_id);
  return {
    serial: Number(r.serial),
    kid: Number(r.kid),
    printRun: r.print_run_id == null ? null : { id: Number(r.print_run_id), kind: r.stamp_kind as StampKind },
    activation: r.activation_id == null ? null : { id: Number(r.activation_id), batchId: Number(r.batch_id) },
    voided: Number(r.voided) === 1,
    recalled: r.recalled_at != null,
    alerts: JSON.parse(String(r.alerts ?? '[]')) as VerifiedStampContext['alerts'],
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
