/**
 * Trace events as the rest of the product reads them: the shapes the queries in
 * db/queries/trace-events.ts return (a batch's events, trace back and forward), for the consumer's
 * journey, the officials' trace view, the Circular 02/2024 checker and EPCIS query. Domain types
 * only: no drizzle, no HTTP.
 *
 * An event is stored once (its EPCIS 2.0 JSON-LD object as text, identified by its EPCIS event hash
 * ID) with indexed columns beside it, and one row per lot or EPC it names (its role in the event).
 * Events are append-only; a wrong one carries an {@link ErrorDeclarationRow} and stays.
 */
import type { EpcisAction, EpcisEventType, StageKind } from './trace-stages.ts';

/** The part a lot or EPC plays in an event (EPCIS 2.0 §7.4): */
export const LOT_ROLES = [
  /** ObjectEvent `epcList` / `quantityList`, TransactionEvent likewise: what the event is about */
  'object',
  /** TransformationEvent `inputEPCList` / `inputQuantityList` */
  'input',
  /** TransformationEvent `outputEPCList` / `outputQuantityList` */
  'output',
  /** AggregationEvent / AssociationEvent `parentID` */
  'parent',
  /** AggregationEvent / AssociationEvent `childEPCs` / `childQuantityList` */
  'child',
] as const;
export type LotRole = (typeof LOT_ROLES)[number];

/** Whether a linked identifier names one object (an EPC, e.g. an SGTIN) or a class (a lot, LGTIN). */
export const EPC_KINDS = ['instance', 'class'] as const;
export type EpcKind = (typeof EPC_KINDS)[number];

/** One lot or EPC an event names. */
export type TraceEventLot = {
  role: LotRole;
  /** The URI as the event names it: a GS1 Digital Link (`https://id.gs1.org/01/…/10/…`) or EPC URN. */
  epc: string;
  epcKind: EpcKind;
  /** For a class: the quantity and its UN/ECE Rec. 20 unit, when the event gives them. */
  quantity: number | null;
  uom: string | null;
  /** The registered batch this identifier is, when it is one of ours (GTIN + lot code match). */
  batchId: number | null;
};

/** A place an event happened at, when it is a registered location. */
export type TraceEventLocation = {
  id: number;
  producerId: number;
  name: string;
  kind: string;
  /** 2-digit province code (Decision 19/2025/QĐ-TTg). */
  provinceCode: string;
  /** 5-digit commune-level code. */
  communeCode: string | null;
};

/** A trading partner an event names as source (receiving) or destination (shipping). */
export type TraceEventPartner = {
  id: number;
  name: string;
  /** The registered producer the partner is, if it is one. */
  linkedProducerId: number | null;
  provinceCode: string | null;
  communeCode: string | null;
};

/** The EPCIS error declaration of an event: the event is wrong and stays, marked so. */
export type ErrorDeclarationRow = {
  /** unix ms */
  declaredAt: number;
  /** CBV 2.0 error reason: `did_not_occur`, `incorrect_data`, or a URI. */
  reason: string;
  /** The declarant's explanation, in their words. */
  explanation: string | null;
  /** Event hash IDs of the events that correct it. */
  correctiveEventIds: string[];
  declaredBy: number | null;
};

/** One stored trace event as the batch's events query returns it (oldest first). */
export type TraceEventRow = {
  /** Row id (internal). */
  id: number;
  /** EPCIS event hash ID (`ni:///sha-256;…?ver=CBV2.0`) or the captured event's own eventID. */
  eventId: string;
  /** The catalogue stage when the event is one of ours (or matches one); null otherwise. */
  stage: StageKind | null;
  type: EpcisEventType;
  action: EpcisAction | null;
  /** CBV 2.0 bare word or a URI, as the event carries it. */
  bizStep: string | null;
  disposition: string | null;
  /** ISO 8601 with the event's own offset, as in the event (e.g. `2025-10-01T06:30:00+07:00`). */
  eventTime: string;
  /** The same instant, unix ms. */
  eventTimeMs: number;
  /** `+07:00` */
  eventTimeZoneOffset: string;
  /** When the system stored it, unix ms. */
  recordTime: number;
  /** The producer whose record it is; null for an event captured about no registered producer. */
  producerId: number | null;
  producerName: string | null;
  readPoint: string | null;
  bizLocation: string | null;
  location: TraceEventLocation | null;
  source: TraceEventPartner | null;
  destination: TraceEventPartner | null;
  lots: TraceEventLot[];
  errorDeclaration: ErrorDeclarationRow | null;
  /** The EPCIS 2.0 JSON-LD event object as stored. */
  document: Record<string, unknown>;
  /** The user who recorded it through the admin API, or null (API key capture). */
  recordedBy: number | null;
};

/** A lot reached by trace back or forward. */
export type TracedLot = {
  /** Steps from the starting batch (1 = one step back or forward). */
  depth: number;
  /** The lot's identifier as events name it (a GS1 Digital Link URI for our lots). */
  epcClass: string;
  /** GTIN-14 and lot code, when the identifier is a GS1 lot (Digital Link `/01/…/10/…`). */
  gtin: string | null;
  lotCode: string | null;
  /** The registered batch, its product and producer, when the lot is one of ours. */
  batch: { id: number; productId: number; productName: string; producerId: number; producerName: string } | null;
  /** The event hash ID of the transformation that links it to the step before. */
  viaEventId: string;
};

/** A partner a lot was received from (back) or shipped to (forward). */
export type TracedPartner = {
  /** Steps from the starting batch (the lot shipped or received is at depth − 1). */
  depth: number;
  partner: TraceEventPartner & { linkedProducerName: string | null };
  /** The lot shipped or received. */
  epcClass: string;
  /** The shipping or receiving event's hash ID. */
  viaEventId: string;
};

/** Trace back or forward of a batch: the lots and partners one or more steps away. */
export type TraceResult = { lots: TracedLot[]; partners: TracedPartner[] };
