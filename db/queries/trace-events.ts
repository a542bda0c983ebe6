/**
 * Trace events: recording an EPCIS 2.0 event with its lot links and audit row in one write,
 * error declarations, a batch's events, and trace back / forward through the lot graph.
 * Each takes the db handle first. The shapes returned are the domain's
 * (worker/src/domain/trace-events.ts).
 *
 * The graph walks are recursive CTEs: drizzle's SQLite query builder has no `WITH RECURSIVE`, so
 * they are the one kind of read written with the `sql` template (columns through the schema
 * objects, so renames still fail the typecheck).
 */
import type { InStatement, InValue } from '@libsql/client/web';
import { asc, eq, fillPlaceholders, inArray, sql, type Placeholder, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { lotUri, parseLotUri } from '../../worker/src/domain/trace-ids.ts';
import { MAX_TRACE_DEPTH } from '../../worker/src/domain/trace-graph.ts';
import { eventColumns, eventLots, type EpcisEvent } from '../../worker/src/domain/trace-record.ts';
import type {
  ErrorDeclarationRow,
  TracedLot,
  TracedPartner,
  TraceEventLot,
  TraceEventPartner,
  TraceEventRow,
  TraceResult,
} from '../../worker/src/domain/trace-events.ts';
import type { StageKind } from '../../worker/src/domain/trace-stages.ts';
import type { JourneyCategory } from '../../worker/src/domain/journey.ts';
import type { JourneyEventRow, JourneyFacts, JourneyTracedLot } from '../../worker/src/domain/journey-input.ts';
import type { Db } from '../client.ts';
import { batches, errorDeclarations, locations, partners, producers, products, traceEventLots, traceEvents } from '../schema.ts';
import { auditStatement, type Actor } from './audit.ts';
import { columnList, statement } from './sql.ts';

/** An event to store: the EPCIS 2.0 event object, its event ID, and what it is about in the registry. */
export type NewTraceEvent = {
  /** The EPCIS event hash ID (or the captured event's own eventID). */
  eventId: string;
  /** The event as it will be stored (with its `eventID`, if the caller added it). */
  event: EpcisEvent;
  stage?: StageKind | null;
  producerId: number | null;
  locationId?: number | null;
  sourcePartnerId?: number | null;
  destinationPartnerId?: number | null;
  /** The API key that captured it, if it came through one. */
  apiClientId?: number | null;
};

// Canonical identifier of a linked EPC: a GS1 lot in its id.gs1.org Digital Link form, so an LGTIN
// URN and a Digital Link of the same lot are one node of the lot graph.
function canonical(l: { epc: string; gtin14: string | null; lotCode: string | null }): string {
  return l.gtin14 && l.lotCode ? lotUri(l.gtin14, l.lotCode) : l.epc;
}

// The 14-digit form of a stored GTIN (GTIN-8/12/13 are stored as given).
const gtin14Of = (gtin: SQL | typeof products.gtin) => sql`substr('00000000000000' || ${gtin}, -14)`;

/**
 * Whether `output` is already an ancestor of one of `inputs` (or one of them): the whole ancestry
 * of the inputs through stored, undeclared transformations. `union` on the lot alone makes the walk
 * finish on any graph.
 */
function closesCycle(inputs: string[], output: string | undefined): SQL {
  if (!inputs.length || output === undefined) return sql`0`;
  const o = alias(traceEventLots, 'o');
  const i = alias(traceEventLots, 'i');
  return sql`exists (
    with recursive ancestry(lot) as (
      select value from json_each(${JSON.stringify(inputs)})
      union
      select ${i.canonicalEpc} from ancestry
        join ${traceEventLots} as ${o} on ${o.canonicalEpc} = ancestry.lot and ${o.role} = 'output'
        join ${traceEventLots} as ${i} on ${i.traceEventId} = ${o.traceEventId} and ${i.role} = 'input'
      where not exists (select 1 from ${errorDeclarations} where ${errorDeclarations.traceEventId} = ${o.traceEventId})
    )
    select 1 from ancestry where lot = ${output})`;
}

/**
 * Stores a trace event, its lot links (each GS1 lot matched to the registered batch with that GTIN
 * and lot code) and its audit row (`trace_event.record`) in one all-or-nothing write batch. The
 * same event ID twice is stored once: the second call answers the stored event. A
 * TransformationEvent whose output is already an ancestor of one of its inputs (or one of them) is
 * refused, checked inside the write so two concurrent writes cannot close a cycle between them.
 * The caller has checked scope (the producer's own batch, location and partner) and the domain
 * rules (worker/src/domain/trace-record.ts).
 *
 * @returns `{ created, event }` (`created` false when the event ID was already stored), or `cycle`
 */
export async function recordTraceEvent(db: Db, e: NewTraceEvent, actor: Actor): Promise<{ created: boolean; event: TraceEventRow } | 'cycle'> {
  const columns = eventColumns(e.event);
  const lots = eventLots(e.event).map((l) => ({ ...l, canonicalEpc: canonical(l) }));
  const inputs = lots.filter((l) => l.role === 'input').map((l) => l.canonicalEpc);
  const output = lots.find((l) => l.role === 'output')?.canonicalEpc;
  const cycle = closesCycle(inputs, output);
  const t = traceEvents;
  const statements = [
    statement(sql`select exists (select 1 from ${t} where ${t.eventId} = ${e.eventId}) as stored, ${cycle} as cycle`),
    statement(sql`insert into ${t} ${columnList(
      t.eventId,
      t.stage,
      t.type,
      t.action,
      t.bizStep,
      t.disposition,
      t.eventTime,
      t.eventTimeZoneOffset,
      t.producerId,
      t.locationId,
      t.readPoint,
      t.bizLocation,
      t.sourcePartnerId,
      t.destinationPartnerId,
      t.recordedBy,
      t.apiClientId,
      t.document,
    )}
      select ${e.eventId}, ${e.stage ?? null}, ${columns.type}, ${columns.action}, ${columns.bizStep}, ${columns.disposition},
             ${columns.eventTime}, ${columns.eventTimeZoneOffset}, ${e.producerId}, ${e.locationId ?? null}, ${columns.readPoint},
             ${columns.bizLocation}, ${e.sourcePartnerId ?? null}, ${e.destinationPartnerId ?? null}, ${actor.userId}, ${e.apiClientId ?? null},
             ${JSON.stringify(e.event)}
      where not ${cycle}
      on conflict do nothing`),
    // Written only if the event was (changes() of the insert), and then the links only if the audit
    // row was: each statement guards the next.
    auditStatement(actor, 'trace_event.record', 'trace_event', { eventId: e.eventId, stage: e.stage ?? null, type: columns.type }, {
      entityId: e.eventId,
      onlyIfChanged: true,
    }),
  ];
  if (lots.length) {
    const l = traceEventLots;
    const rows = lots.map(
      (x) => sql`(${x.role}, ${x.epc}, ${x.canonicalEpc}, ${x.epcKind}, ${x.quantity}, ${x.uom}, ${x.gtin14}, ${x.lotCode})`,
    );
    statements.push(
      statement(sql`insert into ${l} ${columnList(l.traceEventId, l.role, l.epc, l.canonicalEpc, l.epcKind, l.quantity, l.uom, l.batchId)}
        select (select ${t.id} from ${t} where ${t.eventId} = ${e.eventId}), v.column1, v.column2, v.column3, v.column4, v.column5, v.column6,
               (select ${batches.id} from ${batches} join ${products} on ${products.id} = ${batches.productId}
                 where ${gtin14Of(products.gtin)} = v.column7 and ${batches.lotCode} = v.column8)
        from (values ${sql.join(rows, sql`, `)}) as v
        where changes() = 1`),
    );
  }
  const [check] = await db.$client.batch(statements, 'write');
  const stored = Number(check!.rows[0]!.stored) === 1;
  if (!stored && Number(check!.rows[0]!.cycle) === 1) return 'cycle';
  const event = await findTraceEvent(db, e.eventId);
  return { created: !stored, event: event! };
}

/** An error declaration to record (EPCIS `errorDeclaration`). */
export type NewErrorDeclaration = {
  eventId: string;
  /** EPCIS `declarationTime`, unix ms. */
  declaredAt: number;
  /** CBV 2.0 error reason: `did_not_occur`, `incorrect_data`, or a URI. */
  reason: string;
  explanation?: string | null;
  correctiveEventIds?: string[];
  apiClientId?: number | null;
};

/**
 * Declares a stored event erroneous, with its audit row (`error_declaration.create`), in one
 * write batch. The event stays as it was; trace back and forward stop following it.
 * @returns the declaration, or why not: `event_not_found`, `already_declared`
 */
export async function declareError(
  db: Db,
  d: NewErrorDeclaration,
  actor: Actor,
): Promise<ErrorDeclarationRow | 'event_not_found' | 'already_declared'> {
  const t = traceEvents;
  const x = errorDeclarations;
  const corrective = JSON.stringify(d.correctiveEventIds ?? []);
  const explanation = d.explanation ?? null;
  const [check, insert] = await db.$client.batch(
    [
      statement(sql`select exists (select 1 from ${t} where ${t.eventId} = ${d.eventId}) as stored,
        exists (select 1 from ${x} join ${t} on ${t.id} = ${x.traceEventId} where ${t.eventId} = ${d.eventId}) as declared`),
      statement(sql`insert into ${x} ${columnList(x.traceEventId, x.declaredAt, x.reason, x.explanation, x.correctiveEventIds, x.declaredBy, x.apiClientId)}
        select ${t.id}, ${d.declaredAt}, ${d.reason}, ${explanation}, ${corrective}, ${actor.userId}, ${d.apiClientId ?? null}
        from ${t} where ${t.eventId} = ${d.eventId}
        on conflict do nothing returning ${x.id}`),
      auditStatement(actor, 'error_declaration.create', 'trace_event', { reason: d.reason, explanation, correctiveEventIds: d.correctiveEventIds ?? [] }, {
        entityId: d.eventId,
        onlyIfChanged: true,
      }),
    ],
    'write',
  );
  if (!insert!.rows[0]) return Number(check!.rows[0]!.stored) ? 'already_declared' : 'event_not_found';
  return (await findTraceEvent(db, d.eventId))!.errorDeclaration!;
}

const sourcePartner = alias(partners, 'source_partner');
const destinationPartner = alias(partners, 'destination_partner');

function partnerOf(p: typeof partners.$inferSelect | null): TraceEventPartner | null {
  if (!p) return null;
  return { id: p.id, name: p.name, linkedProducerId: p.linkedProducerId, provinceCode: p.provinceCode, communeCode: p.communeCode };
}

/** Reads events with their place, partners, producer, declaration and lots, oldest first. */
async function readEvents(db: Db, where: SQL): Promise<TraceEventRow[]> {
  const rows = await db
    .select({
      event: traceEvents,
      producerName: producers.name,
      location: locations,
      source: sourcePartner,
      destination: destinationPartner,
      declaration: errorDeclarations,
    })
    .from(traceEvents)
    .leftJoin(producers, eq(producers.id, traceEvents.producerId))
    .leftJoin(locations, eq(locations.id, traceEvents.locationId))
    .leftJoin(sourcePartner, eq(sourcePartner.id, traceEvents.sourcePartnerId))
    .leftJoin(destinationPartner, eq(destinationPartner.id, traceEvents.destinationPartnerId))
    .leftJoin(errorDeclarations, eq(errorDeclarations.traceEventId, traceEvents.id))
    .where(where)
    .orderBy(asc(traceEvents.eventTime), asc(traceEvents.id));
  if (!rows.length) return [];
  const links = await db
    .select()
    .from(traceEventLots)
    .where(
      inArray(
        traceEventLots.traceEventId,
        rows.map((r) => r.event.id),
      ),
    )
    .orderBy(asc(traceEventLots.id));
  const lotsOf = new Map<number, TraceEventLot[]>();
  for (const l of links) {
    const list = lotsOf.get(l.traceEventId) ?? [];
    list.push({ role: l.role, epc: l.epc, epcKind: l.epcKind, quantity: l.quantity, uom: l.uom, batchId: l.batchId });
    lotsOf.set(l.traceEventId, list);
  }
  return rows.map(({ event: e, producerName, location, source, destination, declaration }) => {
    const document = JSON.parse(e.document) as Record<string, unknown>;
    return {
      id: e.id,
      eventId: e.eventId,
      stage: e.stage,
      type: e.type,
      action: e.action,
      bizStep: e.bizStep,
      disposition: e.disposition,
      eventTime: typeof document.eventTime === 'string' ? document.eventTime : e.eventTime.toISOString(),
      eventTimeMs: e.eventTime.getTime(),
      eventTimeZoneOffset: e.eventTimeZoneOffset,
      recordTime: e.recordTime.getTime(),
      producerId: e.producerId,
      producerName,
      readPoint: e.readPoint,
      bizLocation: e.bizLocation,
      location: location
        ? { id: location.id, producerId: location.producerId, name: location.name, kind: location.kind, provinceCode: location.provinceCode, communeCode: location.communeCode }
        : null,
      source: partnerOf(source),
      destination: partnerOf(destination),
      lots: lotsOf.get(e.id) ?? [],
      errorDeclaration: declaration
        ? {
            declaredAt: declaration.declaredAt.getTime(),
            reason: declaration.reason,
            explanation: declaration.explanation,
            correctiveEventIds: declaration.correctiveEventIds,
            declaredBy: declaration.declaredBy,
          }
        : null,
      document,
      recordedBy: e.recordedBy,
    };
  });
}

/** One stored event by its event ID, or undefined. */
export async function findTraceEvent(db: Db, eventId: string): Promise<TraceEventRow | undefined> {
  return (await readEvents(db, eq(traceEvents.eventId, eventId)))[0];
}

/**
 * Every event that names the batch (as object, input, output, parent or child), oldest first,
 * declared-erroneous ones included with their declaration (the journey leaves them out).
 */
export async function listBatchEvents(db: Db, batchId: number): Promise<TraceEventRow[]> {
  const named = db.select({ id: traceEventLots.traceEventId }).from(traceEventLots).where(eq(traceEventLots.batchId, batchId));
  return readEvents(db, inArray(traceEvents.id, named));
}

/** The lot URI of a registered batch, or undefined when there is no such batch. */
async function batchLotUri(db: Db, batchId: number): Promise<string | undefined> {
  const [row] = await db
    .select({ gtin: products.gtin, lotCode: batches.lotCode })
    .from(batches)
    .innerJoin(products, eq(products.id, batches.productId))
    .where(eq(batches.id, batchId));
  return row ? lotUri(row.gtin, row.lotCode) : undefined;
}

type WalkRow = {
  kind: 'lot' | 'partner';
  lot: string;
  depth: number;
  via: string;
  batch_id: number | null;
  product_id: number | null;
  product_name: string | null;
  producer_id: number | null;
  producer_name: string | null;
  partner_id: number | null;
  partner_name: string | null;
  linked_producer_id: number | null;
  linked_producer_name: string | null;
  province_code: string | null;
  commune_code: string | null;
};

/**
 * Trace back (`back`: the lots a batch was made from, and the partners it or they were received
 * from) or forward (`forward`: the lots made from it, and the partners it or they were shipped to),
 * through stored transformations not declared erroneous, at most {@link MAX_TRACE_DEPTH} steps.
 * Each lot once, at its shortest distance, with its registered batch, product and producer when it
 * is one of ours; each partner with the registered producer it is, if any.
 *
 * @returns the lots and partners nearest first, or undefined when the batch does not exist
 */
export async function traceBatch(db: Db, batchId: number, direction: 'back' | 'forward'): Promise<TraceResult | undefined> {
  const start = await batchLotUri(db, batchId);
  if (start === undefined) return undefined;
  const [fromRole, toRole] = direction === 'back' ? ['output', 'input'] : ['input', 'output'];
  const partnerColumn = direction === 'back' ? traceEvents.sourcePartnerId : traceEvents.destinationPartnerId;
  const cur = alias(traceEventLots, 'cur');
  const nxt = alias(traceEventLots, 'nxt');
  const link = alias(traceEventLots, 'link');
  const lp = alias(producers, 'linked_producer');
  const undeclared = (id: SQL | typeof traceEvents.id) =>
    sql`not exists (select 1 from ${errorDeclarations} where ${errorDeclarations.traceEventId} = ${id})`;
  const rows = await db.all<WalkRow>(sql`
    with recursive walk(lot, depth, via) as (
      select ${start}, 0, ''
      union
      select ${nxt.canonicalEpc}, walk.depth + 1, ${traceEvents.eventId}
      from walk
      join ${traceEventLots} as ${cur} on ${cur.canonicalEpc} = walk.lot and ${cur.role} = ${fromRole}
      join ${traceEvents} on ${traceEvents.id} = ${cur.traceEventId}
      join ${traceEventLots} as ${nxt} on ${nxt.traceEventId} = ${traceEvents.id} and ${nxt.role} = ${toRole}
      where walk.depth < ${MAX_TRACE_DEPTH} and ${undeclared(traceEvents.id)}
    ),
    reached as (select lot, min(depth) as depth, via from walk group by lot)
    select 'lot' as kind, reached.lot, reached.depth, reached.via,
           ${batches.id} as batch_id, ${products.id} as product_id, ${products.name} as product_name,
           ${producers.id} as producer_id, ${producers.name} as producer_name,
           null as partner_id, null as partner_name, null as linked_producer_id, null as linked_producer_name,
           null as province_code, null as commune_code
    from reached
    left join ${batches} on ${batches.id} = (select max(${link.batchId}) from ${traceEventLots} as ${link} where ${link.canonicalEpc} = reached.lot)
    left join ${products} on ${products.id} = ${batches.productId}
    left join ${producers} on ${producers.id} = ${batches.producerId}
    where reached.depth > 0
    union all
    select 'partner', ${link.canonicalEpc}, min(reached.depth) + 1, ${traceEvents.eventId},
           null, null, null, null, null,
           ${partners.id}, ${partners.name}, ${partners.linkedProducerId}, ${lp.name}, ${partners.provinceCode}, ${partners.communeCode}
    from reached
    join ${traceEventLots} as ${link} on ${link.canonicalEpc} = reached.lot and ${link.role} = 'object'
    join ${traceEvents} on ${traceEvents.id} = ${link.traceEventId}
    join ${partners} on ${partners.id} = ${partnerColumn}
    left join ${producers} as ${lp} on ${lp.id} = ${partners.linkedProducerId}
    where ${undeclared(traceEvents.id)}
    group by ${traceEvents.id}, ${partners.id}
    order by 3, 1, 2`);
  const lots: TracedLot[] = [];
  const partnerRows: TracedPartner[] = [];
  for (const r of rows) {
    if (r.kind === 'lot') {
      const gs1 = parseLotUri(r.lot);
      lots.push({
        depth: Number(r.depth),
        epcClass: r.lot,
        gtin: gs1?.gtin14 ?? null,
        lotCode: gs1?.lotCode ?? null,
        batch:
          r.batch_id === null
            ? null
            : { id: r.batch_id, productId: r.product_id!, productName: r.product_name!, producerId: r.producer_id!, producerName: r.producer_name! },
        viaEventId: r.via,
      });
    } else {
      partnerRows.push({
        depth: Number(r.depth),
        partner: {
          id: r.partner_id!,
          name: r.partner_name!,
          linkedProducerId: r.linked_producer_id,
          linkedProducerName: r.linked_producer_name,
          provinceCode: r.province_code,
          communeCode: r.commune_code,
        },
        epcClass: r.lot,
        viaEventId: r.via,
      });
    }
  }
  return { lots, partners: partnerRows };
}

/**
 * The registered batches made from a batch, at any depth (trace forward's lots that are ours): what
 * a recall extends to.
 *
 * @returns nearest first; empty when none (or no such batch)
 */
export async function listDerivedBatches(db: Db, batchId: number): Promise<(TracedLot & { batch: NonNullable<TracedLot['batch']> })[]> {
  const forward = await traceBatch(db, batchId, 'forward');
  return (forward?.lots ?? []).filter((l): l is TracedLot & { batch: NonNullable<TracedLot['batch']> } => l.batch !== null && l.batch.id !== batchId);
}

// ---------------------------------------------------------------------------------------------
// The consumer's journey (the scan page): what buildJourney (worker/src/domain/journey.ts) is fed.

/**
 * The lots a batch was made from (trace back through undeclared transformations, at most
 * {@link MAX_TRACE_DEPTH} steps, each lot at its shortest distance with the transformation that
 * used it), the batch's own lots at depth 0, and the ids of every event naming any of them.
 */
function journeyWalk(batchId: Placeholder<'batchId'>): SQL {
  const cur = alias(traceEventLots, 'cur');
  const nxt = alias(traceEventLots, 'nxt');
  return sql`with recursive walk(lot, depth, via) as (
      select distinct ${traceEventLots.canonicalEpc}, 0, '' from ${traceEventLots} where ${traceEventLots.batchId} = ${batchId}
      union
      select ${nxt.canonicalEpc}, walk.depth + 1, ${traceEvents.eventId}
      from walk
      join ${traceEventLots} as ${cur} on ${cur.canonicalEpc} = walk.lot and ${cur.role} = 'output'
      join ${traceEvents} on ${traceEvents.id} = ${cur.traceEventId}
      join ${traceEventLots} as ${nxt} on ${nxt.traceEventId} = ${traceEvents.id} and ${nxt.role} = 'input'
      where walk.depth < ${MAX_TRACE_DEPTH}
        and not exists (select 1 from ${errorDeclarations} where ${errorDeclarations.traceEventId} = ${traceEvents.id})
    ),
    reached as (select lot, min(depth) as depth, via from walk group by lot),
    named as (select distinct ${traceEventLots.traceEventId} as id from ${traceEventLots} join reached on reached.lot = ${traceEventLots.canonicalEpc})`;
}

// The journey's statements, rendered once per isolate (drizzle's rendering of these templates costs
// more than running them); each call fills in its batch id.
type RenderedStatement = { sql: string; args: unknown[] };
let journeyStatements: RenderedStatement[] | undefined;

/** `statement()` of a template whose values include placeholders, to fill in per call. */
const rendered = (query: SQL) => statement(query) as Exclude<InStatement, string> as RenderedStatement;

function renderJourneyStatements(): RenderedStatement[] {
  const walk = journeyWalk(sql.placeholder('batchId'));
  const link = alias(traceEventLots, 'link');
  const src = alias(partners, 'src');
  const dst = alias(partners, 'dst');
  const t = traceEvents;
  return [
    rendered(sql`${walk}
      select reached.lot, reached.depth, reached.via, ${products.id} as product_id, ${products.name} as product_name,
             ${products.category} as category, ${producers.name} as producer_name
      from reached
      left join ${batches} on ${batches.id} = (select max(${link.batchId}) from ${traceEventLots} as ${link} where ${link.canonicalEpc} = reached.lot)
      left join ${products} on ${products.id} = ${batches.productId}
      left join ${producers} on ${producers.id} = ${batches.producerId}
      where reached.depth > 0
      order by reached.depth, reached.lot`),
    rendered(sql`${walk}
      select ${t.id} as id, ${t.eventId} as event_id, ${t.stage} as stage, ${t.bizStep} as biz_step,
             coalesce(json_extract(${t.document}, '$.eventTime'), '') as event_time_text, ${t.eventTime} as event_time,
             ${t.recordTime} as record_time, ${producers.name} as producer_name,
             ${locations.name} as location_name, ${locations.provinceCode} as province_code, ${locations.communeCode} as commune_code,
             ${src.name} as source_name, ${src.linkedProducerId} as source_linked, ${dst.name} as destination_name,
             ${dst.linkedProducerId} as destination_linked,
             exists (select 1 from ${errorDeclarations} where ${errorDeclarations.traceEventId} = ${t.id}) as declared
      from named
      join ${t} on ${t.id} = named.id
      left join ${producers} on ${producers.id} = ${t.producerId}
      left join ${locations} on ${locations.id} = ${t.locationId}
      left join ${partners} as ${src} on ${src.id} = ${t.sourcePartnerId}
      left join ${partners} as ${dst} on ${dst.id} = ${t.destinationPartnerId}
      order by ${t.eventTime}, ${t.id}`),
    rendered(sql`${walk}
      select ${traceEventLots.traceEventId} as event, ${traceEventLots.role} as role, ${traceEventLots.epc} as epc,
             ${traceEventLots.batchId} as batch_id
      from named join ${traceEventLots} on ${traceEventLots.traceEventId} = named.id
      order by ${traceEventLots.id}`),
  ];
}

/**
 * What a batch's journey is built from (the domain's `JourneyFacts`), read in ONE round trip (a
 * read batch of three statements over the same walk: the traced lots with their products, the
 * events naming the batch or those lots with their place, producer, partners and whether they were
 * declared erroneous, and those events' lot links). Only the public facts are read: no
 * quantities, no partners' tax codes, no event documents.
 *
 * @returns the facts; empty lists for a batch without events (or no such batch)
 */
export async function readJourneyRecords(db: Db, batchId: number): Promise<JourneyFacts> {
  journeyStatements ??= renderJourneyStatements();
  const [lotRows, eventRows, linkRows] = await db.$client.batch(
    journeyStatements.map((q) => ({ sql: q.sql, args: fillPlaceholders(q.args, { batchId }) as InValue[] })),
    'read',
  );
  const lotsOf = new Map<number, { role: TraceEventLot['role']; epc: string }[]>();
  const ofBatch = new Set<number>();
  for (const l of linkRows!.rows) {
    const id = Number(l.event);
    const list = lotsOf.get(id) ?? [];
    list.push({ role: l.role as TraceEventLot['role'], epc: String(l.epc) });
    lotsOf.set(id, list);
    if (l.batch_id !== null && Number(l.batch_id) === batchId) ofBatch.add(id);
  }
  const partner = (name: unknown, linked: unknown) => (name === null ? null : { name: String(name), linkedProducerId: linked === null ? null : Number(linked) });
  const events = eventRows!.rows.map((r) => {
    const ms = Number(r.event_time);
    return {
      id: Number(r.id),
      row: {
        eventId: String(r.event_id),
        stage: r.stage === null ? null : (String(r.stage) as StageKind),
        bizStep: r.biz_step === null ? null : String(r.biz_step),
        eventTime: String(r.event_time_text) || new Date(ms).toISOString(),
        eventTimeMs: ms,
        recordTime: Number(r.record_time),
        producerName: r.producer_name === null ? null : String(r.producer_name),
        location:
          r.province_code === null
            ? null
            : { name: String(r.location_name), provinceCode: String(r.province_code), communeCode: r.commune_code === null ? null : String(r.commune_code) },
        source: partner(r.source_name, r.source_linked),
        destination: partner(r.destination_name, r.destination_linked),
        lots: lotsOf.get(Number(r.id)) ?? [],
        declared: Number(r.declared) === 1,
      } satisfies JourneyEventRow,
    };
  });
  const productsById = new Map<number, { name: string; category: JourneyCategory }>();
  const back = lotRows!.rows.map((r) => {
    const lot = String(r.lot);
    if (r.product_id !== null) productsById.set(Number(r.product_id), { name: String(r.product_name), category: r.category as JourneyCategory });
    return {
      depth: Number(r.depth),
      epcClass: lot,
      lotCode: parseLotUri(lot)?.lotCode ?? null,
      viaEventId: String(r.via),
      batch: r.product_id === null ? null : { productId: Number(r.product_id), productName: String(r.product_name), producerName: String(r.producer_name) },
    } satisfies JourneyTracedLot;
  });
  return {
    events: events.filter((e) => ofBatch.has(e.id)).map((e) => e.row),
    back,
    inputEvents: events.map((e) => e.row),
    products: productsById,
  };
}
