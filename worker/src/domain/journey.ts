/**
 * The consumer's journey: the stages of a batch and of the lots it was made from, oldest first, as
 * the scan page (HTML and JSON) shows them, with a short sentence per input lot saying where it
 * came from ("Cá cơm đánh bắt tại Cô Tô"). It applies the principle "one step back" of Circular
 * 02/2024/TT-BKHCN as far back as the records go.
 *
 * What the public page never shows is kept out here, by building every output field from a short
 * list of public facts: no quantities, prices, tax codes, internal or event ids, recording users,
 * nor the names of partners who are not registered producers (a member household or a fishing boat
 * is a person: Law 91/2025/QH15). Events declared erroneous (EPCIS error declaration) are left out.
 * Text is returned as text (NFC, without control or bidirectional-override characters): the page
 * escapes it; nothing here builds HTML.
 *
 * Pure: the caller reads the trace events and resolves place names (admin-units) beforehand.
 */

/** A Vietnamese and an English text of the same thing. */
export type Bilingual = { vi: string; en: string };

/** Product categories (as in the registry), which choose the harvest verb. */
export type JourneyCategory = 'farm' | 'forest' | 'fishery';

/** The place of an event, names already resolved from the administrative units. */
export type JourneyPlaceInput = {
  /** The location's own name ("Bến cá Cô Tô"). */
  name: string | null;
  /** 2-digit province code (Decision 19/2025/QĐ-TTg). */
  provinceCode: string | null;
  /** 5-digit commune-level code. */
  communeCode: string | null;
  /** Short names without the type word: "Cô Tô", "Quảng Ninh". */
  communeName: string | null;
  provinceName: string | null;
};

/**
 * One trace event of a lot. From a trace-event row (db/queries/trace-events.ts): `eventId`,
 * `bizStep`, `eventTime`, `eventTimeMs`, `recordTime` as they are; `stage` and `stageName` from the
 * row's stage and the stage catalogue; `place` from the row's location with the units' short names;
 * `actor` the row's producer name; `partner` the row's destination (shipping) or source
 * (receiving), registered when it links to a producer; `erroneous` when it has an error declaration.
 */
export type JourneyEventInput = {
  /** EPCIS event hash ID: links an input lot to the transformation that used it and dedupes; never shown. */
  eventId: string;
  /** Our stage kind (`harvest`, `processing`, …) or null for an event outside the catalogue. */
  stage: string | null;
  /** The stage's plain name from the stage catalogue; null shows "Other stage". */
  stageName: Bilingual | null;
  /** CBV 2.0 business step, as the event carries it. */
  bizStep: string | null;
  /** ISO 8601 with the event's own offset (`2026-05-04T06:30:00+07:00`). */
  eventTime: string;
  /** The same instant in unix ms (orders the journey). */
  eventTimeMs: number;
  /** When it was stored, unix ms: orders events at the same instant. */
  recordTime: number;
  place: JourneyPlaceInput | null;
  /** Who did it: the producer whose record the event is. */
  actor: string | null;
  /** The partner a shipping names as destination or a receiving as source. */
  partner: { name: string; registered: boolean } | null;
  /** Declared erroneous (EPCIS error declaration): left out. */
  erroneous: boolean;
};

/**
 * A lot and, recursively, the lots it was made from. From trace back: each traced lot is an input
 * of the lot that its `viaEventId` transformation made (`via` = that id), one depth nearer.
 */
export type JourneyLotInput = {
  product: { name: string; nameEn?: string | null; category?: JourneyCategory | null };
  lotCode: string | null;
  /** The producer that made it, or the partner it came from. */
  producer: { name: string; registered: boolean } | null;
  /** Its own events, any order. */
  events: readonly JourneyEventInput[];
  /**
   * For an input lot: the event hash ID of the transformation (among its parent's events) that used
   * it. Only its events until then are shown (what happened to the rest of the lot afterwards is
   * another product's story), and an input whose transformation was declared erroneous, or is not
   * among the parent's events, did not feed the parent and is left out with its own inputs.
   */
  via?: string;
  inputs?: readonly JourneyLotInput[];
};

/** One stage on the journey. */
export type JourneyStage = {
  bizStep: string | null;
  stage: string | null;
  name: Bilingual;
  /** ISO 8601 with offset, as recorded. */
  eventTime: string;
  location: { name: string | null; provinceCode: string | null; communeCode: string | null; communeName: string | null; provinceName: string | null };
  /** "Cô Tô, Quảng Ninh", or the location's name when no unit is known; null when unknown. */
  place: string | null;
  actor: string | null;
  /** The partner's name, only when the partner is a registered producer. */
  partner: string | null;
  /** The stage belongs to a lot the batch was made from. */
  input: boolean;
  /** The lot the stage is about. */
  lot: { product: Bilingual; lotCode: string | null };
  /** For an input stage: the lot its lot went into. */
  fed: { product: Bilingual; lotCode: string | null } | null;
};

/** Where one input lot came from. */
export type JourneyInput = {
  product: Bilingual;
  lotCode: string | null;
  producer: string | null;
  place: string | null;
  /** "Cá cơm đánh bắt tại Cô Tô" / "Anchovies caught at Cô Tô". */
  sentence: Bilingual;
  /** 1 = made the batch directly; 2 = made one of its inputs … */
  depth: number;
  /** No recorded inputs of its own: a raw material. */
  raw: boolean;
  fed: { product: Bilingual; lotCode: string | null };
};

/** The journey: stages oldest first, and the input lots in walk order (depth first, as given). */
export type Journey = { stages: JourneyStage[]; inputs: JourneyInput[] };

/** Deepest input chain followed (far beyond real food chains; stops malformed data). */
export const MAX_JOURNEY_DEPTH = 16;

const OTHER_STAGE: Bilingual = { vi: 'Công đoạn khác', en: 'Other stage' };

/** Verb of the sentence about an input lot, by the stage its story starts with. */
const ORIGIN_VERB: Record<string, (category: JourneyCategory | null) => Bilingual> = {
  harvest: (c) =>
    c === 'fishery' ? { vi: 'đánh bắt', en: 'caught' } : c === 'forest' ? { vi: 'khai thác', en: 'gathered' } : { vi: 'thu hoạch', en: 'harvested' },
  processing: () => ({ vi: 'chế biến', en: 'processed' }),
  packing: () => ({ vi: 'đóng gói', en: 'packed' }),
  receiving: () => ({ vi: 'tiếp nhận', en: 'received' }),
};

// C0/C1 controls and bidirectional overrides/isolates: they could disguise a name on the page.
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Display text: NFC, without control or bidi-override characters, trimmed; null when nothing is left. */
function clean(s: string | null | undefined): string | null {
  if (typeof s !== 'string') return null;
  const t = s.normalize('NFC').replace(UNSAFE_CHARS, '').trim();
  return t === '' ? null : t;
}

function productName(p: JourneyLotInput['product']): Bilingual {
  const vi = clean(p.name) ?? '';
  return { vi, en: clean(p.nameEn) ?? vi };
}

function placeOf(place: JourneyPlaceInput | null): JourneyStage['location'] {
  return {
    name: clean(place?.name),
    provinceCode: clean(place?.provinceCode),
    communeCode: clean(place?.communeCode),
    communeName: clean(place?.communeName),
    provinceName: clean(place?.provinceName),
  };
}

function placeLine(l: JourneyStage['location']): string | null {
  const units = [l.communeName, l.provinceName].filter((x): x is string => x !== null);
  return units.length > 0 ? units.join(', ') : l.name;
}

const publicPartner = (p: { name: string; registered: boolean } | null): string | null => (p?.registered ? clean(p.name) : null);

type Walked = { lot: JourneyLotInput; depth: number; events: JourneyEventInput[]; fed: JourneyStage['fed'] };

/** Orders by instant, then deeper lots first (an input's step before the step that used it), then record time, then walk order. */
function compareStages(a: { ms: number; depth: number; recordTime: number; seq: number }, b: typeof a): number {
  return a.ms - b.ms || b.depth - a.depth || a.recordTime - b.recordTime || a.seq - b.seq;
}

const instant = (ms: number): number => (Number.isFinite(ms) ? ms : Number.MAX_SAFE_INTEGER);

function sentenceFor(w: Walked, product: Bilingual, origin: JourneyEventInput | undefined): { sentence: Bilingual; place: string | null } {
  const category = w.lot.product.category ?? null;
  const location = placeOf(origin?.place ?? null);
  // The sentence names the commune ("tại Cô Tô"); the province or the location's name when no commune is known.
  const where = location.communeName ?? location.provinceName ?? location.name;
  const verb = origin?.stage ? ORIGIN_VERB[origin.stage]?.(category) : undefined;
  const producer = publicPartner(w.lot.producer);
  const place = placeLine(location);
  if (verb && where) return { place, sentence: { vi: `${product.vi} ${verb.vi} tại ${where}`, en: `${product.en} ${verb.en} at ${where}` } };
  if (where) return { place, sentence: { vi: `${product.vi} từ ${where}`, en: `${product.en} from ${where}` } };
  if (producer) return { place, sentence: { vi: `${product.vi} của ${producer}`, en: `${product.en} from ${producer}` } };
  return { place, sentence: { vi: product.vi, en: product.en } };
}

/**
 * Builds the journey of a batch from its trace events and those of its input lots (recursively, up
 * to {@link MAX_JOURNEY_DEPTH}). Stages are ordered oldest first by instant; at the same instant an
 * input's stage comes before the stage of the lot it fed, then by record time, then as given. An
 * event reached twice (a lot feeding two inputs of the batch) is shown once, and a lot reached twice
 * is described once.
 *
 * @example
 * buildJourney({ product: { name: 'Nước mắm Cô Tô' }, lotCode: 'NM-01', producer: null, events: [], inputs: [] })
 * // { stages: [], inputs: [] }
 */
export function buildJourney(batch: JourneyLotInput): Journey {
  // Walk the input tree depth first, keeping each lot's events up to the transformation that used it.
  const walked: Walked[] = [];
  const visit = (lot: JourneyLotInput, depth: number, fed: JourneyStage['fed'], cutoff: number, path: Set<JourneyLotInput>) => {
    if (path.has(lot) || depth > MAX_JOURNEY_DEPTH) return;
    const live = lot.events.filter((e) => !e.erroneous);
    const events = live.filter((e) => instant(e.eventTimeMs) <= cutoff);
    walked.push({ lot, depth, events, fed });
    const inner = new Set(path).add(lot);
    const self = { product: productName(lot.product), lotCode: clean(lot.lotCode) };
    for (const input of lot.inputs ?? []) {
      let inputCutoff = Number.POSITIVE_INFINITY;
      if (input.via !== undefined) {
        const transformation = live.find((e) => e.eventId === input.via);
        if (!transformation) continue; // declared erroneous or not ours: it did not feed this lot
        inputCutoff = instant(transformation.eventTimeMs);
      }
      visit(input, depth + 1, self, inputCutoff, inner);
    }
  };
  visit(batch, 0, null, Number.POSITIVE_INFINITY, new Set());

  const seenEvents = new Set<string>();
  const rows: { stage: JourneyStage; ms: number; depth: number; recordTime: number; seq: number }[] = [];
  for (const w of walked) {
    const lot = { product: productName(w.lot.product), lotCode: clean(w.lot.lotCode) };
    for (const e of w.events) {
      if (seenEvents.has(e.eventId)) continue;
      seenEvents.add(e.eventId);
      const location = placeOf(e.place);
      rows.push({
        ms: instant(e.eventTimeMs),
        depth: w.depth,
        recordTime: Number.isFinite(e.recordTime) ? e.recordTime : 0,
        seq: rows.length,
        stage: {
          bizStep: clean(e.bizStep),
          stage: clean(e.stage),
          name: e.stageName ? { vi: clean(e.stageName.vi) ?? OTHER_STAGE.vi, en: clean(e.stageName.en) ?? OTHER_STAGE.en } : { ...OTHER_STAGE },
          eventTime: e.eventTime,
          location,
          place: placeLine(location),
          actor: clean(e.actor),
          partner: publicPartner(e.partner),
          input: w.depth > 0,
          lot,
          fed: w.fed,
        },
      });
    }
  }
  rows.sort(compareStages);

  // A lot is the same lot when it is the same object, or has the same product and lot code.
  const seenLots = new Set<JourneyLotInput | string>();
  const inputs: JourneyInput[] = [];
  for (const w of walked) {
    if (w.depth === 0 || w.fed === null) continue;
    const product = productName(w.lot.product);
    const lotCode = clean(w.lot.lotCode);
    const key = lotCode === null ? w.lot : JSON.stringify([product.vi, lotCode]);
    if (seenLots.has(w.lot) || seenLots.has(key)) continue;
    seenLots.add(w.lot).add(key);
    const ordered = [...w.events].sort((a, b) => instant(a.eventTimeMs) - instant(b.eventTimeMs) || a.recordTime - b.recordTime);
    const origin = ordered.find((e) => e.stage === 'harvest') ?? ordered[0];
    const { sentence, place } = sentenceFor(w, product, origin);
    inputs.push({
      product,
      lotCode,
      producer: publicPartner(w.lot.producer),
      place,
      sentence,
      depth: w.depth,
      raw: (w.lot.inputs ?? []).length === 0,
      fed: w.fed,
    });
  }
  return { stages: rows.map((r) => r.stage), inputs };
}
