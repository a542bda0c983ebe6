/**
 * EPCIS 2.0 capture and query over the trace-event tables (the same rows the trace stages write):
 * a whole captured document stored in one write batch with its capture job, the GS1 keys a
 * producer owns (for scoping), and the binding's event query with keyset paging.
 */
import { and, asc, eq, gt, gte, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { EventQuery, PageCursor, ProducerKeys } from '../../worker/src/domain/epcis/exchange.ts';
import { vocabularySpellings } from '../../worker/src/domain/epcis/vocabulary.ts';
import { locationUri, lotUri } from '../../worker/src/domain/trace-ids.ts';
import { eventColumns, eventLots, type EpcisEvent } from '../../worker/src/domain/trace-record.ts';
import type { Db } from '../client.ts';
import { batches, captureJobs, locations, products, traceEventLots, traceEvents } from '../schema.ts';
import { auditStatement, type Actor } from './audit.ts';
import { columnList, statement } from './sql.ts';

/** The 14-digit form of a stored GTIN (GTIN-8/12/13 are stored as given). */
const gtin14Of = sql`substr('00000000000000' || ${products.gtin}, -14)`;

/**
 * A producer's GS1 keys: the GTIN-14s of its products and the identifiers of its live locations
 * (as events name them, `locationUri`).
 */
export async function findProducerKeys(db: Db, producerId: number, publicBaseUrl: string): Promise<ProducerKeys> {
  const [gtins, places] = await Promise.all([
    db.select({ gtin: gtin14Of.mapWith(String) }).from(products).where(eq(products.producerId, producerId)),
    db.select({ id: locations.id, gln: locations.gln }).from(locations).where(and(eq(locations.producerId, producerId), isNull(locations.deactivatedAt))),
  ]);
  return { gtins: new Set(gtins.map((g) => g.gtin)), locations: new Set(places.map((l) => locationUri(l, publicBaseUrl))) };
}

/** The producer of each registered product among these GTIN-14s: gtin14 → producer id. */
export async function findGtinProducers(db: Db, gtin14s: string[]): Promise<Map<string, number>> {
  if (!gtin14s.length) return new Map();
  const rows = await db.select({ gtin: gtin14Of.mapWith(String), producerId: products.producerId }).from(products).where(inArray(gtin14Of, gtin14s));
  return new Map(rows.map((r) => [r.gtin, r.producerId]));
}

/** Registered locations by the identifier events name them with, for these identifiers. */
export async function findLocationsByUri(db: Db, uris: string[], publicBaseUrl: string): Promise<Map<string, { id: number; producerId: number }>> {
  const base = publicBaseUrl.replace(/\/+$/, '');
  const ids = uris.map((u) => (u.startsWith(`${base}/locations/`) ? Number(u.slice(base.length + 11)) : NaN)).filter(Number.isSafeInteger);
  const glns = uris.map((u) => /^https:\/\/id\.gs1\.org\/414\/(\d{13})$/.exec(u)?.[1]).filter((g): g is string => !!g);
  if (!ids.length && !glns.length) return new Map();
  const rows = await db
    .select({ id: locations.id, gln: locations.gln, producerId: locations.producerId })
    .from(locations)
    .where(or(ids.length ? inArray(locations.id, ids) : undefined, glns.length ? inArray(locations.gln, glns) : undefined));
  return new Map(rows.map((l) => [locationUri(l, publicBaseUrl), { id: l.id, producerId: l.producerId }]));
}

/** One event of a capture, ready to store. */
export type CapturedEvent = { eventId: string; event: EpcisEvent; producerId: number | null; locationId: number | null };

/** Who captured a document. */
export type Capturer = { producerId: number | null; apiClientId: number | null; userId: number | null; requestId: string };

/** A capture job as the binding reports it. */
export type CaptureJob = typeof captureJobs.$inferSelect;

/**
 * Stores a whole captured document in one all-or-nothing write batch: each event (an event ID
 * already stored, or twice in the document, is stored once), its lot links (each GS1 lot matched
 * to its registered batch, so the event joins that batch's journey and trace), the capture job
 * (`storedCount` = events new to the store) and one audit row `epcis.capture`.
 *
 * @returns the capture job
 */
export async function captureDocument(db: Db, captureId: string, events: CapturedEvent[], by: Capturer): Promise<CaptureJob> {
  // An API key's capture has no user: the audit row's user column is nullable, the Actor type is not.
  const actor = { userId: by.userId, requestId: by.requestId } as Actor;
  const t = traceEvents;
  const l = traceEventLots;
  const j = captureJobs;
  const ids = JSON.stringify([...new Set(events.map((e) => e.eventId))]);
  const now = Date.now();
  const statements = [
    statement(sql`insert into ${j} ${columnList(j.captureId, j.producerId, j.userId, j.apiClientId, j.eventCount, j.storedCount, j.finishedAt)}
      select ${captureId}, ${by.producerId}, ${actor.userId}, ${by.apiClientId}, ${events.length},
        (select count(*) from json_each(${ids}) where value not in (select ${t.eventId} from ${t})), ${now}`),
    auditStatement(actor, 'epcis.capture', 'capture_job', { captureId, events: events.length }, { entityId: captureId }),
  ];
  for (const e of events) {
    const c = eventColumns(e.event);
    statements.push(
      statement(sql`insert into ${t} ${columnList(
        t.eventId, t.type, t.action, t.bizStep, t.disposition, t.eventTime, t.eventTimeZoneOffset, t.producerId, t.locationId,
        t.readPoint, t.bizLocation, t.recordedBy, t.apiClientId, t.document,
      )}
        values (${e.eventId}, ${c.type}, ${c.action}, ${c.bizStep}, ${c.disposition}, ${c.eventTime}, ${c.eventTimeZoneOffset}, ${e.producerId},
          ${e.locationId}, ${c.readPoint}, ${c.bizLocation}, ${actor.userId}, ${by.apiClientId}, ${JSON.stringify(e.event)})
        on conflict do nothing`),
    );
    const lots = eventLots(e.event);
    if (!lots.length) continue;
    const rows = lots.map((x) => {
      const canonical = x.gtin14 && x.lotCode ? lotUri(x.gtin14, x.lotCode) : x.epc;
      return sql`(${x.role}, ${x.epc}, ${canonical}, ${x.epcKind}, ${x.quantity}, ${x.uom}, ${x.gtin14}, ${x.lotCode})`;
    });
    statements.push(
      statement(sql`insert into ${l} ${columnList(l.traceEventId, l.role, l.epc, l.canonicalEpc, l.epcKind, l.quantity, l.uom, l.batchId)}
        select (select ${t.id} from ${t} where ${t.eventId} = ${e.eventId}), v.column1, v.column2, v.column3, v.column4, v.column5, v.column6,
               (select ${batches.id} from ${batches} join ${products} on ${products.id} = ${batches.productId}
                 where ${gtin14Of} = v.column7 and ${batches.lotCode} = v.column8)
        from (values ${sql.join(rows, sql`, `)}) as v
        where changes() = 1`),
    );
  }
  await db.$client.batch(statements, 'write');
  return (await findCaptureJob(db, captureId))!;
}

/** A capture job by its captureID, or undefined. */
export async function findCaptureJob(db: Db, captureId: string): Promise<CaptureJob | undefined> {
  const [row] = await db.select().from(captureJobs).where(eq(captureJobs.captureId, captureId));
  return row;
}

/** A stored event as the query answers it. */
export type QueriedEvent = { id: number; eventId: string; eventTime: number; document: Record<string, unknown> };

const own = alias(traceEvents, 'own');
const ownLot = alias(traceEventLots, 'own_lot');
const near = alias(traceEventLots, 'near');

/**
 * The events a producer may see: its own, and those naming a lot one of its events names (its lots
 * and the lots one step back and forward of them through its transformations and shipments).
 */
function visibleTo(db: Db, producerId: number): SQL {
  const lotsOfMine = db
    .select({ lot: ownLot.canonicalEpc })
    .from(ownLot)
    .innerJoin(own, eq(own.id, ownLot.traceEventId))
    .where(eq(own.producerId, producerId));
  const naming = db.select({ id: near.traceEventId }).from(near).where(inArray(near.canonicalEpc, lotsOfMine));
  return or(eq(traceEvents.producerId, producerId), inArray(traceEvents.id, naming))!;
}

/** Events naming one of `epcs` in one of `roles` (EPCs as written, or as canonical lot URIs). */
function naming(epcs: string[], kind: 'instance' | 'class'): SQL {
  return inArray(
    traceEvents.id,
    sql`(select ${traceEventLots.traceEventId} from ${traceEventLots}
      where ${traceEventLots.epcKind} = ${kind} and (${inArray(traceEventLots.epc, epcs)} or ${inArray(traceEventLots.canonicalEpc, epcs)}))`,
  );
}

/**
 * The binding's event query: filters AND-ed (values of one parameter OR-ed), oldest first by
 * (eventTime, row id), at most `perPage` + 1 rows after `after` (the extra row says whether there is
 * a next page). `MATCH_epc` matches instance EPCs in any role (epcList, childEPCs, parentID,
 * input/output EPCs), `MATCH_anyEPCClass` classes in any quantity list; lot classes match in any
 * spelling (LGTIN URN or Digital Link). `visibleToProducer` limits to what a producer may see.
 */
export async function queryEvents(db: Db, q: EventQuery, opts: { after?: PageCursor; visibleToProducer?: number }): Promise<QueriedEvent[]> {
  const rows = await buildEventQuery(db, q, opts);
  return rows.map((r) => ({ id: r.id, eventId: r.eventId, eventTime: r.eventTime.getTime(), document: JSON.parse(r.document) as Record<string, unknown> }));
}

/** The select {@link queryEvents} runs, unexecuted (its `toSQL()` shows the statement, e.g. for a query plan). */
export function buildEventQuery(db: Db, q: EventQuery, opts: { after?: PageCursor; visibleToProducer?: number }) {
  const t = traceEvents;
  const where: (SQL | undefined)[] = [
    q.eventType && inArray(t.type, q.eventType as (typeof t.type._.data)[]),
    q.bizStep && inArray(t.bizStep, q.bizStep.flatMap((v) => vocabularySpellings('bizStep', v))),
    q.disposition && inArray(t.disposition, q.disposition.flatMap((v) => vocabularySpellings('disposition', v))),
    q.action && inArray(t.action, q.action as NonNullable<typeof t.action._.data>[]),
    q.fromTime !== undefined ? gte(t.eventTime, new Date(q.fromTime)) : undefined,
    q.toTime !== undefined ? lt(t.eventTime, new Date(q.toTime)) : undefined,
    q.bizLocation && inArray(t.bizLocation, q.bizLocation),
    q.readPoint && inArray(t.readPoint, q.readPoint),
    q.eventId && inArray(t.eventId, q.eventId),
    q.epc && naming(q.epc, 'instance'),
    q.epcClass && naming(q.epcClass, 'class'),
    opts.after && or(gt(t.eventTime, new Date(opts.after.time)), and(eq(t.eventTime, new Date(opts.after.time)), gt(t.id, opts.after.id))),
    opts.visibleToProducer !== undefined ? visibleTo(db, opts.visibleToProducer) : undefined,
  ];
  return db
    .select({ id: t.id, eventId: t.eventId, eventTime: t.eventTime, document: t.document })
    .from(t)
    .where(and(...where.filter((w): w is SQL => w !== undefined)))
    .orderBy(asc(t.eventTime), asc(t.id))
    .limit(q.perPage + 1);
}
