/**
 * Recording a stage: the domain rules a stage input must meet ({@link validateStage}) and the
 * EPCIS 2.0 JSON-LD event it becomes ({@link buildEpcisEvent}); and, for any EPCIS event (ours or
 * captured), the indexed columns and lot links it is stored with ({@link eventColumns},
 * {@link eventLots}).
 *
 * Field shapes (lengths, hostile text, types) are the request schema's job; here are the rules of
 * the domain: times with an offset and not in the future, stage order against the batch's
 * production date, quantities in known units, a transformation's inputs and output.
 */
import { isIsoDate, vietnamToday } from './dates.ts';
import { isValidGtin, toGtin14 } from './gs1.ts';
import {
  certificateUri,
  EXTENSION_PREFIX,
  extensionNamespace,
  isGs1LotCode,
  locationUri,
  lotUri,
  parseLotUri,
  partyUri,
} from './trace-ids.ts';
import type { EpcKind, LotRole } from './trace-events.ts';
import { inspectionDisposition, traceStage, type EpcisAction, type EpcisEventType, type StageKind } from './trace-stages.ts';
import { checkQuantity } from './units.ts';

/** The standard EPCIS 2.0 JSON-LD context. */
export const EPCIS_CONTEXT_URL = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

/** How far ahead of the server's clock an event time may be (clock skew of the recorder's phone). */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** At most this many input lots in one processing event. */
export const MAX_INPUTS = 50;

/** A lot by GS1 keys: GTIN (8/12/13/14 digits) and GS1 AI (10) lot code. */
export type LotInput = { gtin: string; lotCode: string };

/** A quantity in a UN/ECE Rec. 20 unit of the curated list (units.ts). */
export type QuantityInput = { value: number; uom: string };

/** A stage to record, after the request schema has checked field shapes. */
export type StageInput = {
  stage: StageKind;
  /** ISO 8601 with offset: `2025-10-01T06:30+07:00`, `2025-10-01T06:30:00.000+07:00`, `…Z`. */
  eventTime: string;
  /** The registered location (the recorder's) where it happened. */
  location: { id: number; gln: string | null };
  /** The lot the stage is about; for processing, the output lot. */
  lot: LotInput;
  quantity?: QuantityInput | null;
  /** Processing only: the lots consumed, each with its quantity. */
  inputs?: { lot: LotInput; quantity?: QuantityInput | null }[] | null;
  /** Shipping (destination) and receiving (source): the partner. */
  partner?: { id: number; gln: string | null } | null;
  /** Harvest only: lot master data. Dates ISO `YYYY-MM-DD`; catch area an FAO fishing area code. */
  harvest?: { startDate?: string | null; endDate?: string | null; catchArea?: string | null; areaHectares?: number | null } | null;
  /** Inspection only: its result and the certificate it produced, if any. */
  inspection?: { result: 'pass' | 'fail'; certificateId?: number | null } | null;
  /** Harvest and processing: the new lot's expiry date (ISO), as lot master data. */
  expiryDate?: string | null;
};

/** What the rules need beyond the input. */
export type StageContext = {
  /** The server's clock, unix ms. */
  now: number;
  /** `PUBLIC_BASE_URL`, for our URIs of locations, partners and extension terms. */
  publicBaseUrl: string;
  /** The producer recording (the other party of a shipment or receipt). */
  producer: { id: number; gln: string | null };
  /** The batch's production date (`YYYY-MM-DD`) when the stage's lot is a registered batch. */
  productionDate?: string | null;
};

/** Why a stage input is refused. */
export const TRACE_ISSUE_CODES = [
  'time_without_offset',
  'time_invalid',
  'time_in_future',
  'time_before_production',
  'invalid_gtin',
  'invalid_lot_code',
  'quantity_required',
  'quantity_not_positive',
  'quantity_not_whole',
  'quantity_too_large',
  'unknown_unit',
  'no_inputs',
  'too_many_inputs',
  'inputs_not_allowed',
  'duplicate_input',
  'output_is_input',
  'partner_required',
  'partner_not_allowed',
  'harvest_not_allowed',
  'invalid_date',
  'harvest_dates_order',
  'harvest_after_event',
  'invalid_catch_area',
  'invalid_area',
  'inspection_required',
  'inspection_not_allowed',
  'expiry_not_allowed',
  'expiry_before_event',
] as const;
export type TraceIssueCode = (typeof TRACE_ISSUE_CODES)[number];

/** One refused field: where (dotted path in the input), which rule, and a sentence for people. */
export type TraceIssue = { field: string; code: TraceIssueCode; message: string };

/** A parsed event time. */
export type EventTime = {
  /** unix ms */
  ms: number;
  /** `+07:00` (`Z` becomes `+00:00`) */
  offset: string;
  /** RFC 3339 with seconds and the offset as given: `2025-10-01T06:30:00+07:00` */
  iso: string;
};

const TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;
const OFFSET_RE = /^[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00)$/;

/**
 * Parses an ISO 8601 event time that carries its time-zone offset (EPCIS needs both the instant
 * and `eventTimeZoneOffset`), with at most millisecond precision.
 *
 * @returns the time, or the issue code: `time_without_offset` (a local time with no offset),
 *   `time_invalid` (anything else, e.g. 30 February or offset +15:00)
 * @example parseEventTime('2025-10-01T06:30+07:00') // { ms: 1759275000000, offset: "+07:00", iso: "2025-10-01T06:30:00+07:00" }
 * @example parseEventTime('2025-10-01T06:30:00') // "time_without_offset"
 */
export function parseEventTime(s: string): EventTime | 'time_without_offset' | 'time_invalid' {
  const m = typeof s === 'string' ? TIME_RE.exec(s) : null;
  if (!m) return 'time_invalid';
  const [, y, mo, d, h, mi, sec = '00', frac = '', zone] = m;
  if (!zone) return 'time_without_offset';
  const offset = zone === 'Z' ? '+00:00' : zone;
  if (!OFFSET_RE.test(offset)) return 'time_invalid';
  if (!isIsoDate(`${y}-${mo}-${d}`) || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return 'time_invalid';
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${sec}${frac}${offset}`;
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return 'time_invalid';
  return { ms, offset, iso };
}

const CATCH_AREA_RE = /^\d{2}(?:\.[0-9a-z]{1,4}){0,4}$/i;

const MESSAGES: Record<TraceIssueCode, string> = {
  time_without_offset: 'must carry its time-zone offset, e.g. 2025-10-01T06:30:00+07:00',
  time_invalid: 'must be an ISO 8601 date and time with offset, e.g. 2025-10-01T06:30:00+07:00',
  time_in_future: 'must not be in the future',
  time_before_production: "must not be before the batch's production date",
  invalid_gtin: 'must be a GTIN-8/12/13/14 with a valid check digit',
  invalid_lot_code: 'must be 1..20 characters of GS1 character set 82',
  quantity_required: 'is required for this stage',
  quantity_not_positive: 'must be greater than zero',
  quantity_not_whole: 'must be a whole number in this unit',
  quantity_too_large: 'is too large',
  unknown_unit: 'must be one of the UN/ECE Rec. 20 units offered',
  no_inputs: 'processing needs at least one input lot',
  too_many_inputs: `has at most ${MAX_INPUTS} input lots`,
  inputs_not_allowed: 'only a processing stage has input lots',
  duplicate_input: 'names the same input lot twice',
  output_is_input: 'the output lot cannot be one of its own inputs',
  partner_required: 'this stage names a partner',
  partner_not_allowed: 'only shipping and receiving name a partner',
  harvest_not_allowed: 'only a harvest carries harvest data',
  invalid_date: 'must be a date YYYY-MM-DD',
  harvest_dates_order: 'the harvest cannot end before it starts',
  harvest_after_event: 'the harvest cannot end after the event',
  invalid_catch_area: 'must be an FAO fishing area code, e.g. 71 or 27.4.a',
  invalid_area: 'must be a number of hectares greater than zero',
  inspection_required: 'an inspection states its result',
  inspection_not_allowed: 'only an inspection carries a result',
  expiry_not_allowed: 'only a harvest or processing creates a lot with an expiry date',
  expiry_before_event: 'the lot cannot expire before it is made',
};

const QUANTITY_ISSUE = {
  not_positive: 'quantity_not_positive',
  unknown_unit: 'unknown_unit',
  not_whole: 'quantity_not_whole',
  too_large: 'quantity_too_large',
} as const;

/** Stages whose quantity is required: what was harvested, made, shipped or received. */
const QUANTITY_REQUIRED: ReadonlySet<StageKind> = new Set(['harvest', 'processing', 'shipping', 'receiving']);

/**
 * Checks a stage input against the domain rules:
 * - the time carries an offset, is a real time, and is at most {@link MAX_CLOCK_SKEW_MS} ahead of
 *   `ctx.now`;
 * - packing, shipping, receiving and retail are not before the batch's production date (compared
 *   as Việt Nam calendar days); harvest, inspection and processing may be (see `TraceStage`);
 * - GTIN and lot code are GS1-valid; quantities are > 0 in a curated Rec. 20 unit, whole in counts
 *   and packages, and present where the stage moves goods (harvest, processing, shipping, receiving);
 * - processing has 1..{@link MAX_INPUTS} distinct input lots, each with a quantity, and its output
 *   is not one of them; other stages have none;
 * - shipping and receiving name a partner, others do not; harvest data only on a harvest (dates
 *   in order, not after the event); a result only on an inspection.
 *
 * @returns every issue found (empty = valid)
 * @example validateStage({ stage: 'processing', inputs: [], ... }, ctx) // [{ field: "inputs", code: "no_inputs", ... }]
 */
export function validateStage(input: StageInput, ctx: StageContext): TraceIssue[] {
  const issues: TraceIssue[] = [];
  const add = (field: string, code: TraceIssueCode) => issues.push({ field, code, message: `${field}: ${MESSAGES[code]}` });
  const stage = traceStage(input.stage);

  const time = parseEventTime(input.eventTime);
  let eventDay: string | undefined;
  if (typeof time === 'string') add('eventTime', time);
  else {
    eventDay = vietnamToday(time.ms);
    if (time.ms > ctx.now + MAX_CLOCK_SKEW_MS) add('eventTime', 'time_in_future');
    else if (!stage.mayPrecedeProductionDate && ctx.productionDate && eventDay < ctx.productionDate) add('eventTime', 'time_before_production');
  }

  const checkLot = (field: string, lot: LotInput) => {
    if (!isValidGtin(lot.gtin)) add(`${field}.gtin`, 'invalid_gtin');
    if (!isGs1LotCode(lot.lotCode)) add(`${field}.lotCode`, 'invalid_lot_code');
  };
  const checkQty = (field: string, q: QuantityInput | null | undefined, required: boolean) => {
    if (!q) {
      if (required) add(field, 'quantity_required');
      return;
    }
    const issue = checkQuantity(q.value, q.uom);
    if (issue) add(issue === 'unknown_unit' ? `${field}.uom` : `${field}.value`, QUANTITY_ISSUE[issue]);
  };

  checkLot('lot', input.lot);
  checkQty('quantity', input.quantity, QUANTITY_REQUIRED.has(stage.kind));

  const inputs = input.inputs ?? [];
  if (stage.type === 'TransformationEvent') {
    if (inputs.length === 0) add('inputs', 'no_inputs');
    else if (inputs.length > MAX_INPUTS) add('inputs', 'too_many_inputs');
    const seen = new Set<string>();
    const output = lotKey(input.lot);
    inputs.forEach((item, i) => {
      checkLot(`inputs.${i}.lot`, item.lot);
      checkQty(`inputs.${i}.quantity`, item.quantity, true);
      const key = lotKey(item.lot);
      if (key === undefined) return;
      if (key === output) add(`inputs.${i}.lot`, 'output_is_input');
      else if (seen.has(key)) add(`inputs.${i}.lot`, 'duplicate_input');
      seen.add(key);
    });
  } else if (inputs.length > 0) add('inputs', 'inputs_not_allowed');

  if (stage.partner && !input.partner) add('partner', 'partner_required');
  if (!stage.partner && input.partner) add('partner', 'partner_not_allowed');

  const h = input.harvest;
  if (h && stage.kind !== 'harvest') add('harvest', 'harvest_not_allowed');
  else if (h) {
    const startOk = !h.startDate || isIsoDate(h.startDate);
    const endOk = !h.endDate || isIsoDate(h.endDate);
    if (!startOk) add('harvest.startDate', 'invalid_date');
    if (!endOk) add('harvest.endDate', 'invalid_date');
    if (startOk && endOk && h.startDate && h.endDate && h.endDate < h.startDate) add('harvest.endDate', 'harvest_dates_order');
    const last = endOk ? (h.endDate ?? (startOk ? h.startDate : null)) : null;
    if (last && eventDay && last > eventDay) add(h.endDate ? 'harvest.endDate' : 'harvest.startDate', 'harvest_after_event');
    if (h.catchArea != null && !CATCH_AREA_RE.test(h.catchArea)) add('harvest.catchArea', 'invalid_catch_area');
    if (h.areaHectares != null && !(Number.isFinite(h.areaHectares) && h.areaHectares > 0 && h.areaHectares <= 1e7)) {
      add('harvest.areaHectares', 'invalid_area');
    }
  }

  if (stage.kind === 'inspection' && !input.inspection) add('inspection', 'inspection_required');
  if (stage.kind !== 'inspection' && input.inspection) add('inspection', 'inspection_not_allowed');

  if (input.expiryDate != null) {
    if (stage.kind !== 'harvest' && stage.kind !== 'processing') add('expiryDate', 'expiry_not_allowed');
    else if (!isIsoDate(input.expiryDate)) add('expiryDate', 'invalid_date');
    else if (eventDay && input.expiryDate < eventDay) add('expiryDate', 'expiry_before_event');
  }
  return issues;
}

/** GTIN-14 + lot code as one comparable key; undefined for an invalid GTIN. */
function lotKey(lot: LotInput): string | undefined {
  return isValidGtin(lot.gtin) ? `${toGtin14(lot.gtin)}\u0000${lot.lotCode}` : undefined;
}

/** An EPCIS 2.0 event object (JSON-LD), as built here or captured. */
export type EpcisEvent = Record<string, unknown> & { type: string };

type QuantityElement = { epcClass: string; quantity?: number; uom?: string };

function quantityElement(lot: LotInput, q: QuantityInput | null | undefined): QuantityElement {
  const element: QuantityElement = { epcClass: lotUri(lot.gtin, lot.lotCode) };
  if (q) {
    element.quantity = q.value;
    element.uom = q.uom;
  }
  return element;
}

/**
 * Builds the EPCIS 2.0 JSON-LD event of a valid stage (no `eventID`: the event hash ID is
 * computed from this object and added by the caller). The event carries the standard context
 * plus the `tx` prefix for this product's extension terms; `eventTime` as given (seconds added)
 * with `eventTimeZoneOffset`; the catalogue's type, action, bizStep and disposition (an inspection's
 * from its result); `readPoint` the location and `bizLocation` the location too, except after
 * shipping and retail sale, when the goods are no longer there; quantities as `quantityList` (or
 * `inputQuantityList`/`outputQuantityList`) of lot Digital Link URIs with Rec. 20 units; shipping's
 * `destinationList` and receiving's `sourceList` name the partner (`owning_party`) with the
 * recording producer on the other side; harvest ILMD in `cbvmda:` terms (`countryOfOrigin` VN,
 * `harvestStartDate`, `harvestEndDate`, `catchArea`, `itemExpirationDate`) and the harvested area
 * as `tx:harvestAreaHectares`, which CBV lacks; an inspection's certificate as `certificationInfo`.
 *
 * @throws RangeError listing the issues when {@link validateStage} finds any
 * @example buildEpcisEvent({ stage: 'shipping', ... }, ctx).bizStep // "shipping"
 */
export function buildEpcisEvent(input: StageInput, ctx: StageContext): EpcisEvent {
  const issues = validateStage(input, ctx);
  if (issues.length) throw new RangeError(issues.map((i) => i.message).join('; '));
  const stage = traceStage(input.stage);
  const time = parseEventTime(input.eventTime) as EventTime;
  const base = ctx.publicBaseUrl;
  const place = locationUri(input.location, base);

  const event: EpcisEvent = {
    '@context': [EPCIS_CONTEXT_URL, { [EXTENSION_PREFIX]: extensionNamespace(base) }],
    type: stage.type,
    eventTime: time.iso,
    eventTimeZoneOffset: time.offset,
  };
  if (stage.type === 'TransformationEvent') {
    event.inputQuantityList = (input.inputs ?? []).map((i) => quantityElement(i.lot, i.quantity));
    event.outputQuantityList = [quantityElement(input.lot, input.quantity)];
  } else {
    event.quantityList = [quantityElement(input.lot, input.quantity)];
    event.action = stage.action;
  }
  event.bizStep = stage.bizStep;
  event.disposition = input.inspection ? inspectionDisposition(input.inspection.result) : stage.disposition;
  event.readPoint = { id: place };
  if (stage.kind !== 'shipping' && stage.kind !== 'retail') event.bizLocation = { id: place };

  if (stage.partner && input.partner) {
    const partner = partyUri({ kind: 'partner', ...input.partner }, base);
    const self = partyUri({ kind: 'producer', ...ctx.producer }, base);
    const [from, to] = stage.partner === 'destination' ? [self, partner] : [partner, self];
    event.sourceList = [{ type: 'owning_party', source: from }];
    event.destinationList = [{ type: 'owning_party', destination: to }];
  }
  if (input.inspection?.certificateId != null) event.certificationInfo = certificateUri(input.inspection.certificateId, base);

  const ilmd: Record<string, unknown> = {};
  if (stage.kind === 'harvest') {
    ilmd['cbvmda:countryOfOrigin'] = 'VN';
    if (input.harvest?.startDate) ilmd['cbvmda:harvestStartDate'] = input.harvest.startDate;
    if (input.harvest?.endDate) ilmd['cbvmda:harvestEndDate'] = input.harvest.endDate;
    if (input.harvest?.catchArea) ilmd['cbvmda:catchArea'] = input.harvest.catchArea;
    if (input.harvest?.areaHectares != null) ilmd[`${EXTENSION_PREFIX}:harvestAreaHectares`] = input.harvest.areaHectares;
  }
  if (input.expiryDate) ilmd['cbvmda:itemExpirationDate'] = input.expiryDate;
  if (Object.keys(ilmd).length) event.ilmd = ilmd;
  return event;
}

/** The columns an event is indexed by (the event itself is stored whole as JSON text). */
export type EventColumns = {
  type: EpcisEventType;
  action: EpcisAction | null;
  bizStep: string | null;
  disposition: string | null;
  /** unix ms */
  eventTime: number;
  eventTimeZoneOffset: string;
  readPoint: string | null;
  bizLocation: string | null;
};

const EVENT_TYPES: ReadonlySet<string> = new Set(['ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent']);

/**
 * The indexed columns of an EPCIS 2.0 event (ours or one captured and schema-validated).
 *
 * @throws RangeError when the event has no known `type`, no parseable `eventTime` or no
 *   `eventTimeZoneOffset` (a schema-valid event always has them)
 * @example eventColumns(event).bizStep // "commissioning"
 */
export function eventColumns(event: EpcisEvent): EventColumns {
  if (!EVENT_TYPES.has(event.type)) throw new RangeError(`unknown EPCIS event type: ${String(event.type)}`);
  const ms = typeof event.eventTime === 'string' ? Date.parse(event.eventTime) : NaN;
  if (!Number.isFinite(ms) || typeof event.eventTimeZoneOffset !== 'string') throw new RangeError('event needs eventTime and eventTimeZoneOffset');
  const id = (v: unknown) => (v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string' ? (v as { id: string }).id : null);
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const action = str(event.action);
  return {
    type: event.type as EpcisEventType,
    action: action === 'ADD' || action === 'OBSERVE' || action === 'DELETE' ? action : null,
    bizStep: str(event.bizStep),
    disposition: str(event.disposition),
    eventTime: ms,
    eventTimeZoneOffset: event.eventTimeZoneOffset,
    readPoint: id(event.readPoint),
    bizLocation: id(event.bizLocation),
  };
}

/** One identifier an event names, for the lot-link table. */
export type EventLot = {
  role: LotRole;
  epc: string;
  epcKind: EpcKind;
  quantity: number | null;
  uom: string | null;
  /** GTIN-14 and lot code when the identifier is a GS1 lot (to find a registered batch). */
  gtin14: string | null;
  lotCode: string | null;
};

/**
 * Every EPC and EPC class an EPCIS 2.0 event names, with its role: `epcList`/`quantityList` →
 * object, `inputEPCList`/`inputQuantityList` → input, `outputEPCList`/`outputQuantityList` →
 * output, `parentID` → parent, `childEPCs`/`childQuantityList` → child. A class named twice in one
 * role is one link (the first quantity kept).
 *
 * @example eventLots({ type: 'TransformationEvent', inputQuantityList: [{ epcClass: a, quantity: 5, uom: 'KGM' }], outputQuantityList: [{ epcClass: b }] })
 *   // [{ role: "input", epc: a, epcKind: "class", quantity: 5, uom: "KGM", ... }, { role: "output", epc: b, ... }]
 */
export function eventLots(event: EpcisEvent): EventLot[] {
  const out: EventLot[] = [];
  const seen = new Set<string>();
  const push = (role: LotRole, epc: unknown, epcKind: EpcKind, quantity: unknown = null, uom: unknown = null) => {
    if (typeof epc !== 'string' || seen.has(`${role} ${epc}`)) return;
    seen.add(`${role} ${epc}`);
    const lot = epcKind === 'class' ? parseLotUri(epc) : undefined;
    out.push({
      role,
      epc,
      epcKind,
      quantity: typeof quantity === 'number' ? quantity : null,
      uom: typeof uom === 'string' ? uom : null,
      gtin14: lot?.gtin14 ?? null,
      lotCode: lot?.lotCode ?? null,
    });
  };
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const epcs = (role: LotRole, v: unknown) => list(v).forEach((e) => push(role, e, 'instance'));
  const classes = (role: LotRole, v: unknown) =>
    list(v).forEach((q) => {
      const e = q as { epcClass?: unknown; quantity?: unknown; uom?: unknown } | null;
      if (e) push(role, e.epcClass, 'class', e.quantity, e.uom);
    });
  epcs('parent', event.parentID === undefined ? [] : [event.parentID]);
  epcs('object', event.epcList);
  classes('object', event.quantityList);
  epcs('child', event.childEPCs);
  classes('child', event.childQuantityList);
  epcs('input', event.inputEPCList);
  classes('input', event.inputQuantityList);
  epcs('output', event.outputEPCList);
  classes('output', event.outputQuantityList);
  return out;
}
