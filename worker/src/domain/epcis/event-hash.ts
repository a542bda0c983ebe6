/**
 * The EPCIS event hash ID (CBV 2.0 §8.9, "Event hash ID"): a name for an EPCIS event computed
 * from its content alone, `ni:///sha-256;{hex}?ver=CBV2.0` (RFC 6920), so that the same event
 * captured twice, in any serialisation, gets the same ID.
 *
 * The pre-hash string concatenates `key=value` pairs in the canonical property order, with
 * values canonicalised: times in UTC at millisecond precision, numbers without trailing
 * zeros, bare CBV words and CURIEs expanded to full URIs, CBV 1.x URNs turned into CBV 2.0 Web
 * URIs, and EPC / EPC class / Digital Link URIs turned into constrained canonical GS1 Digital
 * Link URIs. Lists are sorted; user extensions (`{namespace}localName=value`) are sorted and
 * come last, those inside `readPoint`, `bizLocation` and the sensor elements at the end of their
 * parent. `recordTime`, `eventID`, `errorDeclaration`, JSON-LD `@context` and comments are not
 * part of an event's identity.
 *
 * Where the algorithm's prose and GS1's published test vectors (the reference implementation,
 * RalphTro/epcis-event-hash-generator) differ, this follows the vectors, since other
 * implementations are checked against them: `certificationInfo` comes right after
 * `eventTimeZoneOffset` and `parentID` before `epcList`; `bizTransactionList`,
 * `destinationList`, `ilmd` and `sourceList` sort with the event's extensions after
 * `sensorElementList`; a business transaction, source or destination writes its `type` first.
 */
import { encodeHex } from '../bytes.ts';
import { normaliseGs1Uri } from './digital-link.ts';
import { CBV1_URN_PREFIXES, STANDARD_PREFIXES, expandVocabularyWord, type VocabularyKind } from './vocabulary.ts';

/** A JSON value as parsed by `JSON.parse`. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Options of the hash ID computation. */
export interface EventHashOptions {
  /** The JSON-LD `@context` of the document the event came in (namespace prefixes of extensions). */
  context?: Json;
  /**
   * Extra fields to leave out, as written (`repo:hash`) or expanded (`{https://repo.example/}hash`),
   * e.g. fields a repository adds on storage that are not part of the event.
   */
  ignoreFields?: readonly string[];
}

interface Scope {
  prefixes: Readonly<Record<string, string>>;
  ignore: ReadonlySet<string>;
}

const RDFS_COMMENT = '{http://www.w3.org/2000/01/rdf-schema#}comment';

/** Compares strings by Unicode code point (= UTF-8 byte order), as the algorithm sorts. */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

const sorted = (parts: string[]): string => parts.sort(compareCodePoints).join('');

/** Namespace prefixes in force: the standard context's, then the document's own declarations. */
function prefixesOf(context: Json | undefined): Record<string, string> {
  const prefixes: Record<string, string> = { ...STANDARD_PREFIXES };
  const items = Array.isArray(context) ? context : context === undefined ? [] : [context];
  for (const item of items) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
    for (const [prefix, iri] of Object.entries(item)) {
      if (!prefix.startsWith('@') && typeof iri === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(iri)) prefixes[prefix] = iri;
    }
  }
  return prefixes;
}

function splitCurie(s: string, prefixes: Readonly<Record<string, string>>): [ns: string, local: string] | undefined {
  const colon = s.indexOf(':');
  if (colon <= 0) return undefined;
  const ns = prefixes[s.slice(0, colon)];
  return ns === undefined ? undefined : [ns, s.slice(colon + 1)];
}

/** `prefix:local` → `{namespace}local` for a declared prefix; other keys as they are. */
function expandKey(key: string, scope: Scope): string {
  const curie = splitCurie(key, scope.prefixes);
  return curie ? `{${curie[0]}}${curie[1]}` : key;
}

function isIgnored(rawKey: string, expandedKey: string, scope: Scope): boolean {
  return (
    rawKey === 'comment' ||
    expandedKey === RDFS_COMMENT ||
    scope.ignore.has(rawKey) ||
    scope.ignore.has(expandedKey)
  );
}

/**
 * A number as the pre-hash string writes it: integers in full, others in their shortest
 * round-trip form without trailing zeros (scientific below 1e-4, as GS1's reference does).
 *
 * @example formatHashNumber(12.0) // '12'
 * @example formatHashNumber(0.00001) // '1e-05'
 */
export function formatHashNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return BigInt(n).toString();
  const [mantissa, e] = n.toExponential().split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4) return `${mantissa}e-${String(-exp).padStart(2, '0')}`;
  return String(n);
}

const NUMERAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A time as the pre-hash string writes it: UTC, `Z`, exactly three decimals, the third rounded
 * up when the fourth is 5–9. A string that is no ISO 8601 date-time with an offset is returned
 * unchanged.
 *
 * @example normaliseHashTime('2023-01-11T12:00:00+01:00') // '2023-01-11T11:00:00.000Z'
 * @example normaliseHashTime('2023-02-02T11:04:03.1415Z') // '2023-02-02T11:04:03.142Z'
 */
export function normaliseHashTime(text: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/i.exec(text);
  if (!m) return text;
  const [, y, mo, d, h, mi, s, frac = '', zone] = m as unknown as string[];
  const month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return text;
  const ms = Number((frac + '000').slice(0, 3)) + (frac.length > 3 && frac[3]! >= '5' ? 1 : 0);
  let offsetMinutes = 0;
  if (zone!.toUpperCase() !== 'Z') {
    const digits = zone!.replace(':', '');
    offsetMinutes = (digits[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  const t = new Date(0);
  t.setUTCFullYear(Number(y), month - 1, day);
  t.setUTCHours(hour, minute, second, ms);
  if (t.getUTCDate() !== day && ms < 1000) return text; // 31 April and the like
  return new Date(t.getTime() - offsetMinutes * 60_000).toISOString();
}

/** A scalar's text in the pre-hash string: trimmed, URNs and numbers and GS1 keys canonical. */
function canonicalText(value: Json, scope: Scope, vocabulary?: VocabularyKind): string {
  if (typeof value === 'number') return formatHashNumber(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return '';
  let text = value.trim();
  if (text === '') return '';
  const word = vocabulary && expandVocabularyWord(vocabulary, text);
  if (word) return word;
  const curie = splitCurie(text, scope.prefixes);
  if (curie) text = curie[0] + curie[1];
  for (const [urn, web] of CBV1_URN_PREFIXES) {
    if (text.startsWith(urn)) {
      text = web + text.slice(urn.length);
      break;
    }
  }
  if (NUMERAL.test(text)) return formatHashNumber(Number(text));
  return normaliseGs1Uri(text) ?? text;
}

function pair(key: string, value: Json, scope: Scope, vocabulary?: VocabularyKind): string {
  const text = canonicalText(value, scope, vocabulary);
  return text === '' ? '' : `${key}=${text}`;
}

function timePair(key: string, value: Json): string {
  if (typeof value !== 'string' || value.trim() === '') return '';
  return `${key}=${normaliseHashTime(value.trim())}`;
}

const asArray = (v: Json | undefined): Json[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const asObject = (v: Json | undefined): JsonObject | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;

/** Entries of any field the algorithm has no order for (extensions, ILMD): sorted, recursive. */
function genericEntries(key: string, value: Json, scope: Scope): string[] {
  if (Array.isArray(value)) {
    if (key.endsWith('List')) {
      if (value.length === 0) return [];
      return [key + sorted(value.flatMap((item) => genericEntries(key.slice(0, -4), item, scope)))];
    }
    return value.flatMap((item) => genericEntries(key, item, scope));
  }
  const obj = asObject(value);
  if (obj) return [key + genericObject(obj, scope)];
  if (value === null) return [];
  const text = canonicalText(value, scope);
  return [text === '' ? key : `${key}=${text}`];
}

function genericObject(obj: JsonObject, scope: Scope, skip: ReadonlySet<string> = new Set()): string {
  const parts: string[] = [];
  for (const [raw, value] of Object.entries(obj)) {
    if (skip.has(raw)) continue;
    const key = expandKey(raw, scope);
    if (isIgnored(raw, key, scope)) continue;
    parts.push(...genericEntries(key, value, scope));
  }
  return sorted(parts);
}

type Part = (obj: JsonObject, scope: Scope) => string;
interface OrderedField {
  key: string;
  part: (key: string, value: Json, scope: Scope) => string;
}

/** Fields of an object in canonical order, then the object's own extensions (sorted). */
function orderedObject(obj: JsonObject, fields: readonly OrderedField[], scope: Scope): string {
  let out = '';
  for (const f of fields) if (obj[f.key] !== undefined) out += f.part(f.key, obj[f.key]!, scope);
  return out + genericObject(obj, scope, new Set(fields.map((f) => f.key)));
}

const value = (vocabulary?: VocabularyKind): OrderedField['part'] => (key, v, scope) => pair(key, v, scope, vocabulary);
const time: OrderedField['part'] = (key, v) => timePair(key, v);
const field = (key: string, part: OrderedField['part']): OrderedField => ({ key, part });

const epcs: OrderedField['part'] = (key, v, scope) => {
  const items = asArray(v).map((e) => pair('epc', e, scope)).filter(Boolean);
  return items.length ? key + sorted(items) : '';
};

const quantities: OrderedField['part'] = (key, v, scope) => {
  const items = asArray(v).flatMap((q) => {
    const o = asObject(q);
    if (!o) return [];
    const body =
      (o.epcClass !== undefined ? pair('epcClass', o.epcClass, scope) : '') +
      (o.quantity !== undefined ? pair('quantity', o.quantity, scope) : '') +
      (o.uom !== undefined ? pair('uom', o.uom, scope) : '');
    return body ? ['quantityElement' + body] : [];
  });
  return items.length ? key + sorted(items) : '';
};

const persistentDisposition: OrderedField['part'] = (key, v, scope) => {
  const o = asObject(v);
  if (!o) return '';
  const list = (name: string) => sorted(asArray(o[name]).map((d) => pair(name, d, scope, 'disposition')).filter(Boolean));
  const body = list('set') + list('unset');
  return body ? key + body : '';
};

const place: OrderedField['part'] = (key, v, scope) => {
  const o = asObject(v);
  if (!o) return '';
  const body = orderedObject(o, [field('id', value())], scope);
  return body ? key + body : '';
};

const certificationInfo: OrderedField['part'] = (key, v, scope) =>
  sorted(asArray(v).map((c) => pair(key, c, scope)).filter(Boolean));

const SENSOR_METADATA: readonly OrderedField[] = [
  field('time', time), field('startTime', time), field('endTime', time), field('deviceID', value()),
  field('deviceMetadata', value()), field('rawData', value()), field('dataProcessingMethod', value()),
  field('bizRules', value()),
];

const SENSOR_REPORT: readonly OrderedField[] = [
  field('type', value('measurementType')), field('exception', value('sensorAlertType')), field('deviceID', value()),
  field('deviceMetadata', value()), field('rawData', value()), field('dataProcessingMethod', value()),
  field('time', time), field('microorganism', value()), field('chemicalSubstance', value()), field('value', value()),
  field('component', value('component')), field('stringValue', value()), field('booleanValue', value()),
  field('hexBinaryValue', value()), field('uriValue', value()), field('minValue', value()), field('maxValue', value()),
  field('meanValue', value()), field('sDev', value()), field('percRank', value()), field('percValue', value()),
  field('uom', value()), field('coordinateReferenceSystem', value()),
];

const nested = (fields: readonly OrderedField[]): OrderedField['part'] => (key, v, scope) => {
  const o = asObject(v);
  const body = o ? orderedObject(o, fields, scope) : '';
  return body ? key + body : '';
};

const sensorElement: Part = (o, scope) => {
  const metadata = o.sensorMetadata !== undefined ? nested(SENSOR_METADATA)('sensorMetadata', o.sensorMetadata, scope) : '';
  const reports = sorted(asArray(o.sensorReport).map((r) => nested(SENSOR_REPORT)('sensorReport', r, scope)).filter(Boolean));
  const extensions = genericObject(o, scope, new Set(['sensorMetadata', 'sensorReport']));
  const body = metadata + reports + extensions;
  return body ? 'sensorElement' + body : '';
};

const sensorElementList: OrderedField['part'] = (key, v, scope) => {
  const items = asArray(v).flatMap((e) => {
    const o = asObject(e);
    const s = o ? sensorElement(o, scope) : '';
    return s ? [s] : [];
  });
  return items.length ? key + sorted(items) : '';
};

/** Canonical property order of the event-level fields (CBV 2.0 §8.9, as the published vectors have it). */
const EVENT_FIELDS: readonly OrderedField[] = [
  field('eventTime', time),
  field('eventTimeZoneOffset', value()),
  field('certificationInfo', certificationInfo),
  field('parentID', value()),
  field('epcList', epcs),
  field('inputEPCList', epcs),
  field('childEPCs', epcs),
  field('quantityList', quantities),
  field('childQuantityList', quantities),
  field('inputQuantityList', quantities),
  field('outputEPCList', epcs),
  field('outputQuantityList', quantities),
  field('action', value()),
  field('transformationID', value()),
  field('bizStep', value('bizStep')),
  field('disposition', value('disposition')),
  field('persistentDisposition', persistentDisposition),
  field('readPoint', place),
  field('bizLocation', place),
  field('sensorElementList', sensorElementList),
];

/** Typed lists (business transactions, sources, destinations): `type=…` then the value, sorted. */
const TYPED_LISTS: Readonly<Record<string, readonly [valueKey: string, vocabulary: VocabularyKind]>> = {
  bizTransactionList: ['bizTransaction', 'bizTransactionType'],
  sourceList: ['source', 'sourceDestType'],
  destinationList: ['destination', 'sourceDestType'],
};

function typedList(key: string, v: Json, scope: Scope): string {
  const [valueKey, vocabulary] = TYPED_LISTS[key]!;
  const items = asArray(v).flatMap((item) => {
    const o = asObject(item);
    if (!o) return [];
    const body = (o.type !== undefined ? pair('type', o.type, scope, vocabulary) : '') + (o[valueKey] !== undefined ? pair(valueKey, o[valueKey], scope) : '');
    return body ? [body] : [];
  });
  return items.length ? key + sorted(items) : '';
}

/** Event fields that are not part of its identity. */
const NOT_HASHED = new Set(['type', 'eventID', 'recordTime', 'errorDeclaration', '@context']);

/**
 * The pre-hash string of one EPCIS 2.0 event in JSON-LD (CBV 2.0 §8.9).
 *
 * @param event one event object of an `eventList` (its `type` is the event type)
 * @param options the document's `@context` and fields to leave out
 * @returns the canonical string the hash ID digests
 * @throws TypeError when `event` is not an object with a string `type`
 * @example buildEventPreHash({ type: 'ObjectEvent', eventTime: '2020-03-04T11:00:30+01:00', eventTimeZoneOffset: '+01:00', epcList: ['urn:epc:id:sscc:4012345.0000000333'], action: 'OBSERVE' })
 *   // 'eventType=ObjectEventeventTime=2020-03-04T10:00:30.000ZeventTimeZoneOffset=+01:00epcListepc=https://id.gs1.org/00/040123450000003338action=OBSERVE'
 */
export function buildEventPreHash(event: JsonObject, options: EventHashOptions = {}): string {
  if (asObject(event) === undefined || typeof event.type !== 'string') throw new TypeError('an EPCIS event needs a string "type"');
  const scope: Scope = { prefixes: prefixesOf(options.context), ignore: new Set(options.ignoreFields ?? []) };
  let out = `eventType=${event.type}`;
  for (const f of EVENT_FIELDS) if (event[f.key] !== undefined) out += f.part(f.key, event[f.key]!, scope);
  const rest: string[] = [];
  const skip = new Set([...NOT_HASHED, ...EVENT_FIELDS.map((f) => f.key)]);
  for (const [raw, v] of Object.entries(event)) {
    if (skip.has(raw)) continue;
    if (raw in TYPED_LISTS) {
      const s = typedList(raw, v, scope);
      if (s) rest.push(s);
      continue;
    }
    const key = expandKey(raw, scope);
    if (isIgnored(raw, key, scope)) continue;
    rest.push(...genericEntries(key, v, scope));
  }
  return out + sorted(rest);
}

/**
 * The EPCIS event hash ID of one event: SHA-256 (WebCrypto) of its pre-hash string in UTF-8,
 * as an RFC 6920 `ni` URI with the CBV version of the algorithm.
 *
 * @param event one EPCIS 2.0 JSON-LD event object
 * @param options the document's `@context` and fields to leave out
 * @returns `ni:///sha-256;{64 lowercase hex}?ver=CBV2.0`
 * @throws TypeError when `event` is not an object with a string `type`
 * @example await computeEventHashId(event, { context: doc['@context'] }) // 'ni:///sha-256;ffa4…1b4b?ver=CBV2.0'
 */
export async function computeEventHashId(event: JsonObject, options: EventHashOptions = {}): Promise<string> {
  const preHash = buildEventPreHash(event, options);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(preHash));
  return `ni:///sha-256;${encodeHex(new Uint8Array(digest))}?ver=CBV2.0`;
}

/**
 * The events of an `EPCISDocument` (`epcisBody.eventList`), an `EPCISQueryDocument`
 * (`epcisBody.queryResults.resultsBody.eventList`) or a single-event body (`epcisBody.event`),
 * in document order; `[]` when the document has none of these.
 *
 * @example listDocumentEvents({ epcisBody: { eventList: [e1, e2] } }) // [e1, e2]
 */
export function listDocumentEvents(doc: Json): JsonObject[] {
  const body = asObject(asObject(doc)?.epcisBody);
  if (!body) return [];
  const list = body.eventList ?? asObject(asObject(body.queryResults)?.resultsBody)?.eventList ?? (body.event !== undefined ? [body.event] : []);
  return asArray(list).flatMap((e) => (asObject(e) ? [asObject(e)!] : []));
}
