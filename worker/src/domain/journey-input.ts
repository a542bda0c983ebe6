/**
 * Turns what the trace queries read about a batch (its events, its trace back, the events and
 * products of the lots it was made from) into the lot tree {@link buildJourney} takes: each event's
 * plain stage name (trace-stages), its place with today's unit names (admin-units, Decision
 * 19/2025/QĐ-TTg), its producer as actor, the partner it names (registered or not), and whether it
 * was declared erroneous; each traced lot hung under the lot its transformation made. Pure.
 */
import { findCommune, findProvince } from './admin-units.ts';
import type { JourneyCategory, JourneyEventInput, JourneyLotInput } from './journey.ts';
import { lotUri, parseLotUri } from './trace-ids.ts';
import type { TracedLot, TraceEventLot, TraceEventRow } from './trace-events.ts';
import { STAGE_KINDS, traceStage, type StageKind } from './trace-stages.ts';

/** The batch a journey is about, as the stamp's answer knows it. */
export type JourneyBatch = {
  product: { name: string; category: JourneyCategory };
  lotCode: string;
  producer: { name: string } | null;
};

/** The public part of a stored trace event that the journey reads (a `TraceEventRow` narrowed). */
export type JourneyEventRow = Pick<TraceEventRow, 'eventId' | 'stage' | 'bizStep' | 'eventTime' | 'eventTimeMs' | 'recordTime' | 'producerName'> & {
  location: Pick<NonNullable<TraceEventRow['location']>, 'name' | 'provinceCode' | 'communeCode'> | null;
  source: JourneyPartnerRow | null;
  destination: JourneyPartnerRow | null;
  lots: readonly Pick<TraceEventLot, 'role' | 'epc'>[];
  /** It has an EPCIS error declaration. */
  declared: boolean;
};

/** A partner an event names: its name, and the registered producer it is, if any. */
export type JourneyPartnerRow = { name: string; linkedProducerId: number | null };

/** A lot of the batch's trace back, as the journey reads it (a `TracedLot` fits). */
export type JourneyTracedLot = Pick<TracedLot, 'depth' | 'epcClass' | 'lotCode' | 'viaEventId'> & {
  batch: { productId: number; productName: string; producerName: string } | null;
};

/** What the trace queries read (db/queries/trace-events.ts `readJourneyRecords`). */
export type JourneyFacts = {
  /** Events naming the batch itself. */
  events: readonly JourneyEventRow[];
  back: readonly JourneyTracedLot[];
  /** Events naming the lots of the trace back (may repeat some of `events`). */
  inputEvents: readonly JourneyEventRow[];
  products: ReadonlyMap<number, { name: string; category: JourneyCategory }>;
};

const isStage = (s: string | null): s is StageKind => s !== null && (STAGE_KINDS as readonly string[]).includes(s);

/** A lot identifier in its one comparable form (Digital Link of GTIN-14 + lot), else as given. */
function canonicalLot(epc: string): string {
  const lot = parseLotUri(epc);
  return lot ? lotUri(lot.gtin14, lot.lotCode) : epc;
}

function partnerOf(row: JourneyEventRow): JourneyEventInput['partner'] {
  const p: JourneyPartnerRow | null = row.stage === 'receiving' ? row.source : row.stage === 'shipping' ? row.destination : (row.destination ?? row.source);
  return p ? { name: p.name, registered: p.linkedProducerId !== null } : null;
}

/**
 * One stored event as the journey reads it: public facts only (no quantities, no ids but the
 * event hash ID that links lots, no partner tax codes: the row's partners carry none).
 *
 * @example journeyEventOf(row).place // { name: "Ngư trường Cô Tô", communeName: "Cô Tô", provinceName: "Quảng Ninh", ... }
 */
export function journeyEventOf(row: JourneyEventRow): JourneyEventInput {
  const location = row.location;
  return {
    eventId: row.eventId,
    stage: row.stage,
    stageName: isStage(row.stage) ? traceStage(row.stage).name : null,
    bizStep: row.bizStep,
    eventTime: row.eventTime,
    eventTimeMs: row.eventTimeMs,
    recordTime: row.recordTime,
    place: location
      ? {
          name: location.name,
          provinceCode: location.provinceCode,
          communeCode: location.communeCode,
          communeName: location.communeCode ? (findCommune(location.communeCode)?.shortName ?? null) : null,
          provinceName: findProvince(location.provinceCode)?.shortName ?? null,
        }
      : null,
    actor: row.producerName,
    partner: partnerOf(row),
    erroneous: row.declared,
  };
}

/**
 * The lot tree of a batch for {@link buildJourney}: the batch with its own events, and each lot
 * of its trace back under the lot that the transformation it went into (`viaEventId`) made, with
 * the events naming it. A traced lot whose parent cannot be found among the events (a declared or
 * unknown transformation) is left out, as buildJourney would.
 *
 * @example buildJourneyInput({ product: { name: 'Nước mắm', category: 'fishery' }, lotCode: 'NM-1', producer: null }, { events: [], back: [], inputEvents: [], products: new Map() })
 *   // { product: { name: "Nước mắm", category: "fishery" }, lotCode: "NM-1", producer: null, events: [], inputs: [] }
 */
export function buildJourneyInput(batch: JourneyBatch, facts: JourneyFacts): JourneyLotInput {
  const root: JourneyLotInput & { inputs: JourneyLotInput[] } = {
    product: batch.product,
    lotCode: batch.lotCode,
    producer: batch.producer ? { name: batch.producer.name, registered: true } : null,
    events: facts.events.map(journeyEventOf),
    inputs: [],
  };
  const allEvents = new Map<string, JourneyEventRow>();
  for (const e of [...facts.events, ...facts.inputEvents]) allEvents.set(e.eventId, e);
  // Traced lots by canonical lot URI; the batch is what its own events make or are about.
  const nodes = new Map<string, JourneyLotInput & { inputs: JourneyLotInput[] }>();
  const rootOutputs = new Set(facts.events.flatMap((e) => e.lots.filter((l) => l.role !== 'input').map((l) => canonicalLot(l.epc))));
  const eventsNaming = (uri: string) => facts.inputEvents.filter((e) => e.lots.some((l) => canonicalLot(l.epc) === uri)).map(journeyEventOf);
  for (const lot of [...facts.back].sort((a, b) => a.depth - b.depth)) {
    const via = allEvents.get(lot.viaEventId);
    if (!via) continue;
    const outputs = via.lots.filter((l) => l.role === 'output').map((l) => canonicalLot(l.epc));
    const parent = lot.depth === 1 ? (outputs.some((o) => rootOutputs.has(o)) ? root : undefined) : outputs.map((o) => nodes.get(o)).find((n) => n !== undefined);
    if (!parent) continue;
    const product = lot.batch ? facts.products.get(lot.batch.productId) : undefined;
    const node: JourneyLotInput & { inputs: JourneyLotInput[] } = {
      product: { name: product?.name ?? lot.batch?.productName ?? '', category: product?.category ?? null },
      lotCode: lot.lotCode,
      producer: lot.batch ? { name: lot.batch.producerName, registered: true } : null,
      events: eventsNaming(canonicalLot(lot.epcClass)),
      via: lot.viaEventId,
      inputs: [],
    };
    nodes.set(canonicalLot(lot.epcClass), node);
    parent.inputs.push(node);
  }
  return root;
}
