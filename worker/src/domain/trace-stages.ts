/**
 * The stages an enterprise records on its lots, and how each maps to EPCIS 2.0 and CBV 2.0.
 * One list ({@link TRACE_STAGES}) drives the database enum, the request schema and the site's
 * forms, so adding a stage is one edit here.
 *
 * CBV words are the bare CBV 2.0 terms the EPCIS 2.0 JSON Schema enumerates (`commissioning`,
 * `inspecting`, ...), never the CBV 1.x URNs (`urn:epcglobal:cbv:bizstep:...`). CBV has no
 * "harvesting": a harvest or catch creates the lot, so it is an ObjectEvent ADD with bizStep
 * `commissioning` and the harvest data as lot master data (ILMD).
 */

/** EPCIS 2.0 event types (EPCIS 2.0 §7.4). */
export const EPCIS_EVENT_TYPES = ['ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent'] as const;
export type EpcisEventType = (typeof EPCIS_EVENT_TYPES)[number];

/** EPCIS 2.0 `action` (none on a TransformationEvent). */
export const EPCIS_ACTIONS = ['ADD', 'OBSERVE', 'DELETE'] as const;
export type EpcisAction = (typeof EPCIS_ACTIONS)[number];

/** The stage kinds recorded through the admin site and API. */
export const STAGE_KINDS = ['harvest', 'inspection', 'processing', 'packing', 'shipping', 'receiving', 'retail'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

/** Which party list a stage names its partner in: shipping names a destination, receiving a source. */
export type PartnerSide = 'destination' | 'source';

/** One stage kind and its EPCIS 2.0 / CBV 2.0 mapping. */
export type TraceStage = {
  kind: StageKind;
  type: EpcisEventType;
  /** EPCIS action; null for a TransformationEvent, which has none. */
  action: EpcisAction | null;
  /** CBV 2.0 business step, bare word. */
  bizStep: string;
  /** CBV 2.0 disposition, bare word: the state the lot is in after the stage. */
  disposition: string;
  /** The partner the stage names, if it must name one. */
  partner: PartnerSide | null;
  /**
   * Whether the event may fall before the batch's production date: a harvest, an inspection and
   * the processing that makes a lot can happen before the date the lot is labelled with (tea is
   * picked days before it is packed and dated; fish sauce ferments for months before it is
   * bottled); the lot cannot be packed, shipped, received or sold before it exists.
   */
  mayPrecedeProductionDate: boolean;
  /**
   * Whether the lot the event is about may be another producer's (or an unregistered partner's):
   * only a receipt is about a lot someone else made. Every other stage is about the recorder's own
   * batch (a processing's inputs may be anyone's; its output is the recorder's).
   */
  foreignLot: boolean;
  name: { vi: string; en: string };
};

/**
 * The catalogue. Dispositions follow CBV 2.0's pairing of steps and states: a harvested lot is
 * `active`; an inspection leaves it `conformant` (or `non_conformant` when it failed, see
 * {@link inspectionDisposition}); processing and packing leave it `in_progress`; a shipped lot is
 * `in_transit`; a received lot `in_progress`; a sold one `retail_sold`.
 */
export const TRACE_STAGES: readonly TraceStage[] = [
  {
    kind: 'harvest',
    type: 'ObjectEvent',
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    partner: null,
    mayPrecedeProductionDate: true,
    foreignLot: false,
    name: { vi: 'Thu hoạch, đánh bắt', en: 'Harvest or catch' },
  },
  {
    kind: 'inspection',
    type: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'inspecting',
    disposition: 'conformant',
    partner: null,
    mayPrecedeProductionDate: true,
    foreignLot: false,
    name: { vi: 'Kiểm tra, kiểm nghiệm', en: 'Inspection' },
  },
  {
    kind: 'processing',
    type: 'TransformationEvent',
    action: null,
    bizStep: 'commissioning',
    disposition: 'in_progress',
    partner: null,
    mayPrecedeProductionDate: true,
    foreignLot: false,
    name: { vi: 'Chế biến', en: 'Processing' },
  },
  {
    kind: 'packing',
    type: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'packing',
    disposition: 'in_progress',
    partner: null,
    mayPrecedeProductionDate: false,
    foreignLot: false,
    name: { vi: 'Đóng gói', en: 'Packing' },
  },
  {
    kind: 'shipping',
    type: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    partner: 'destination',
    mayPrecedeProductionDate: false,
    foreignLot: false,
    name: { vi: 'Xuất hàng', en: 'Shipping' },
  },
  {
    kind: 'receiving',
    type: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'receiving',
    disposition: 'in_progress',
    partner: 'source',
    mayPrecedeProductionDate: false,
    foreignLot: true,
    name: { vi: 'Nhận hàng', en: 'Receiving' },
  },
  {
    kind: 'retail',
    type: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'retail_selling',
    disposition: 'retail_sold',
    partner: null,
    mayPrecedeProductionDate: false,
    foreignLot: false,
    name: { vi: 'Bán lẻ', en: 'Retail sale' },
  },
];

/**
 * The catalogue entry of a stage kind.
 *
 * @throws RangeError for a kind not in {@link STAGE_KINDS}
 * @example traceStage('harvest').bizStep // "commissioning"
 */
export function traceStage(kind: StageKind): TraceStage {
  const stage = TRACE_STAGES.find((s) => s.kind === kind);
  if (!stage) throw new RangeError(`unknown stage kind: ${String(kind)}`);
  return stage;
}

/**
 * The disposition an inspection leaves the lot in: CBV 2.0 `conformant` when it passed,
 * `non_conformant` when it failed.
 *
 * @example inspectionDisposition('fail') // "non_conformant"
 */
export function inspectionDisposition(result: 'pass' | 'fail'): 'conformant' | 'non_conformant' {
  return result === 'pass' ? 'conformant' : 'non_conformant';
}

/**
 * The stage kind an EPCIS event corresponds to, for events captured from elsewhere: the first
 * catalogue entry with the same type, action and bizStep (bare CBV word or its
 * `https://ref.gs1.org/cbv/BizStep-` URI). Undefined when none matches: such events are stored and
 * shown by their bizStep alone.
 *
 * @example stageOfEvent('ObjectEvent', 'ADD', 'https://ref.gs1.org/cbv/BizStep-commissioning') // "harvest"
 */
export function stageOfEvent(type: string, action: string | null | undefined, bizStep: string | null | undefined): StageKind | undefined {
  if (!bizStep) return undefined;
  const word = bizStep.startsWith(CBV_BIZSTEP_URI) ? bizStep.slice(CBV_BIZSTEP_URI.length) : bizStep;
  return TRACE_STAGES.find((s) => s.type === type && (s.action ?? null) === (action ?? null) && s.bizStep === word)?.kind;
}

/** The URI form of CBV 2.0 business steps: the bare word appended (CBV 2.0 §8.1). */
export const CBV_BIZSTEP_URI = 'https://ref.gs1.org/cbv/BizStep-';
