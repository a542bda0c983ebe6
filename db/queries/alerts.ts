/** Clone alerts for officials: opened by fired rules and consumer reports, closed by officials. */
import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { alerts, products, producers, scans, type AlertStatus } from '../schema.ts';
import { auditStatement, type Actor } from './audit.ts';
import { bare, statement } from './sql.ts';

/** The columns an opened alert sets; the rest (status, opening time) take their defaults. */
const OPENED = sql.join(
  [alerts.serial, alerts.rule, alerts.producerId, alerts.productId, alerts.region].map(bare),
  sql`, `,
);

/** Who owns the stamp and where the scan that fired happened, copied onto the alert for filtering. */
export type AlertOwner = { producerId: number | null; productId: number | null; region: string | null };

/**
 * Opens one alert per fired rule per stamp: a rule already alerted on this stamp (open or closed)
 * is not alerted again (`insert or ignore` on the unique (serial, rule) index). One write batch.
 * @returns how many alerts were newly opened
 */
export async function openAlerts(
  db: Db,
  serial: number,
  findings: { rule: string; detail: unknown }[],
  owner: AlertOwner,
): Promise<number> {
  if (findings.length === 0) return 0;
  const statements = findings.map((f) =>
    statement(sql`insert or ignore into ${alerts} (${OPENED}, ${bare(alerts.detail)})
      values (${serial}, ${f.rule}, ${owner.producerId}, ${owner.productId}, ${owner.region}, ${JSON.stringify(f.detail ?? null)})`),
  );
  const results = await db.$client.batch(statements, 'write');
  return results.reduce((n, r) => n + r.rowsAffected, 0);
}

/**
 * A consumer's report of a suspected fake: a new alert (rule `consumer_report`), unless the stamp
 * already got `limit` reports since `since` (unix ms) — one statement, so a flood of reports on one
 * stamp cannot bury the other alerts.
 * @returns the alert id, or null when the stamp's limit is reached
 */
export async function reportSuspectedFake(
  db: Db,
  serial: number,
  report: { text: string; contact: string | null; shop: string | null },
  owner: AlertOwner,
  limit: { max: number; since: number },
): Promise<number | null> {
  // A write batch of one statement: the count and the insert are one atomic step.
  const [result] = await db.$client.batch(
    [
      statement(sql`insert into ${alerts} (${OPENED}, ${bare(alerts.reportText)}, ${bare(alerts.reportContact)}, ${bare(alerts.reportShop)})
        select ${serial}, 'consumer_report', ${owner.producerId}, ${owner.productId}, ${owner.region}, ${report.text}, ${report.contact}, ${report.shop}
        where (select count(*) from ${alerts}
               where ${alerts.serial} = ${serial} and ${alerts.rule} = 'consumer_report' and ${alerts.openedAt} >= ${limit.since}) < ${limit.max}
        returning ${alerts.id}`),
    ],
    'write',
  );
  const row = result!.rows[0];
  return row ? Number(row.id) : null;
}

/** Filters of the alert list; all optional. */
export type AlertFilter = {
  rule?: string;
  status?: AlertStatus;
  producerId?: number;
  productId?: number;
  region?: string;
  /** Paging: only alerts with a smaller id (the last id of the previous page). */
  before?: number;
  limit?: number;
};

/** Lists alerts, newest first, with producer and product names. */
export async function listAlerts(db: Db, f: AlertFilter = {}) {
  const conditions: SQL[] = [];
  if (f.rule) conditions.push(eq(alerts.rule, f.rule));
  if (f.status) conditions.push(eq(alerts.status, f.status));
  if (f.producerId !== undefined) conditions.push(eq(alerts.producerId, f.producerId));
  if (f.productId !== undefined) conditions.push(eq(alerts.productId, f.productId));
  if (f.region) conditions.push(eq(alerts.region, f.region));
  if (f.before !== undefined) conditions.push(lt(alerts.id, f.before));
  return db
    .select({
      id: alerts.id,
      serial: alerts.serial,
      rule: alerts.rule,
      status: alerts.status,
      producerId: alerts.producerId,
      producerName: producers.name,
      productId: alerts.productId,
      productName: products.name,
      region: alerts.region,
      detail: alerts.detail,
      reportText: alerts.reportText,
      reportContact: alerts.reportContact,
      reportShop: alerts.reportShop,
      openedAt: alerts.openedAt,
      closedAt: alerts.closedAt,
      closedBy: alerts.closedBy,
    })
    .from(alerts)
    .leftJoin(producers, eq(producers.id, alerts.producerId))
    .leftJoin(products, eq(products.id, alerts.productId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(alerts.id))
    .limit(f.limit ?? 500);
}

/** One alert by id, or undefined. */
export async function findAlert(db: Db, id: number) {
  return db.query.alerts.findFirst({ where: eq(alerts.id, id) });
}

/** Every scan of a stamp, oldest first: the timeline officials read beside an alert. */
export async function scanTimeline(db: Db, serial: number) {
  return db
    .select({
      id: scans.id,
      channel: scans.channel,
      scannedAt: scans.scannedAt,
      country: scans.country,
      region: scans.region,
      city: scans.city,
      latitude: scans.latitude,
      longitude: scans.longitude,
      sessionHash: scans.sessionHash,
    })
    .from(scans)
    .where(eq(scans.serial, serial))
    .orderBy(scans.scannedAt, scans.id)
    .limit(2000);
}

/**
 * Closes an open alert with an official's conclusion, with its audit row, in one write batch.
 * @returns true if closed; false if it was not open (unknown id or already closed)
 */
export async function closeAlert(db: Db, id: number, status: Exclude<AlertStatus, 'open'>, actor: Actor): Promise<boolean> {
  const [updated] = await db.$client.batch(
    [
      statement(
        db
          .update(alerts)
          .set({ status, closedAt: new Date(), closedBy: actor.userId })
          .where(and(eq(alerts.id, id), eq(alerts.status, 'open'))),
      ),
      auditStatement(actor, 'alert.close', 'alert', { status }, { entityId: id, onlyIfChanged: true }),
    ],
    'write',
  );
  return updated!.rowsAffected === 1;
}
