/**
 * EPCIS 2.0 business rules that GS1's JSON Schema does not enforce (EPCIS 2.0 §7.3–7.4, CBV 2.0
 * §7–8, JSON-LD 1.1 §4.1.2 on compact IRIs), checked on a parsed EPCIS document or on one event:
 *
 * - an extension field is a compact IRI whose prefix the `@context` declares (or a full IRI);
 * - CBV 1.x URNs (`urn:epcglobal:cbv:…`) are refused; a bare word must be in its CBV 2.0 / GS1
 *   vocabulary; a full URI outside CBV is a private vocabulary and allowed;
 * - an ObjectEvent names at least one EPC or quantity (or, as GS1's sensor examples do, carries
 *   sensor data only); ADD/DELETE AggregationEvents and every
 *   AssociationEvent name their `parentID`;
 * - no EPC twice in one list (URN and Digital Link spellings of one key count as the same);
 * - every time carries a UTC offset; `eventTimeZoneOffset` is `±hh:mm` between -12:00 and +14:00;
 * - quantities are JSON numbers.
 */
import { normaliseGs1Uri } from './digital-link.ts';
import type { Json } from './event-hash.ts';
import { STANDARD_PREFIXES, VOCABULARIES, type VocabularyKind } from './vocabulary.ts';

/** One validation error: where (RFC 6901 JSON Pointer into the document) and what. */
export interface EpcisValidationError {
  pointer: string;
  message: string;
}

type JsonObject = { [key: string]: Json };
const asObject = (v: Json | undefined): JsonObject | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;

/** Appends a reference token to a JSON Pointer (RFC 6901 §4: `~` → `~0`, `/` → `~1`). */
export function appendPointer(pointer: string, token: string | number): string {
  const t = String(token);
  return `${pointer}/${t.includes('~') || t.includes('/') ? t.replace(/~/g, '~0').replace(/\//g, '~1') : t}`;
}

/** The EPCIS 2.0 event types. */
export const EVENT_TYPES = ['ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent'] as const;

const COMMON = ['@context', 'type', 'eventTime', 'recordTime', 'eventTimeZoneOffset', 'eventID', 'certificationInfo', 'errorDeclaration'];
const WHAT_WHERE_WHY = ['bizStep', 'disposition', 'persistentDisposition', 'readPoint', 'bizLocation', 'bizTransactionList', 'sourceList', 'destinationList', 'sensorElementList'];

/** The standard fields of each event type (EPCIS 2.0 §7.4). */
const EVENT_FIELDS: Readonly<Record<(typeof EVENT_TYPES)[number], ReadonlySet<string>>> = {
  ObjectEvent: new Set([...COMMON, ...WHAT_WHERE_WHY, 'epcList', 'quantityList', 'action', 'ilmd']),
  AggregationEvent: new Set([...COMMON, ...WHAT_WHERE_WHY, 'parentID', 'childEPCs', 'childQuantityList', 'action']),
  TransactionEvent: new Set([...COMMON, ...WHAT_WHERE_WHY, 'parentID', 'epcList', 'quantityList', 'action']),
  TransformationEvent: new Set([...COMMON, ...WHAT_WHERE_WHY, 'inputEPCList', 'inputQuantityList', 'outputEPCList', 'outputQuantityList', 'transformationID', 'ilmd']),
  AssociationEvent: new Set([...COMMON, ...WHAT_WHERE_WHY, 'parentID', 'childEPCs', 'childQuantityList', 'action']),
};

const PLACE_FIELDS = new Set(['id']);
const SENSOR_ELEMENT_FIELDS = new Set(['sensorMetadata', 'sensorReport']);
const SENSOR_METADATA_FIELDS = new Set(['time', 'startTime', 'endTime', 'deviceID', 'deviceMetadata', 'rawData', 'dataProcessingMethod', 'bizRules']);
const SENSOR_REPORT_FIELDS = new Set([
  'type', 'exception', 'deviceID', 'deviceMetadata', 'rawData', 'dataProcessingMethod', 'bizRules', 'time', 'microorganism',
  'chemicalSubstance', 'value', 'component', 'stringValue', 'booleanValue', 'hexBinaryValue', 'uriValue', 'minValue',
  'maxValue', 'meanValue', 'sDev', 'percRank', 'percValue', 'uom', 'coordinateReferenceSystem',
]);
const JSON_LD_KEYWORDS = new Set(['@id', '@type', '@value', '@language']);
const NO_FIELDS = new Set<string>();
const ERROR_DECLARATION_FIELDS = new Set(['declarationTime', 'reason', 'correctiveEventIDs']);
const EPC_LISTS = ['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList'];
const QUANTITY_LISTS = ['quantityList', 'childQuantityList', 'inputQuantityList', 'outputQuantityList'];

/** The Web URI namespace of each CBV vocabulary, for checking full CBV URIs too. */
const CBV_NAMESPACE: Readonly<Record<VocabularyKind, string>> = {
  bizStep: 'https://ref.gs1.org/cbv/BizStep-',
  disposition: 'https://ref.gs1.org/cbv/Disp-',
  bizTransactionType: 'https://ref.gs1.org/cbv/BTT-',
  sourceDestType: 'https://ref.gs1.org/cbv/SDT-',
  errorReason: 'https://ref.gs1.org/cbv/ER-',
  component: 'https://ref.gs1.org/cbv/Comp-',
  measurementType: 'https://gs1.org/voc/',
  sensorAlertType: 'https://gs1.org/voc/',
};

const VOCABULARY_NAME: Readonly<Record<VocabularyKind, string>> = {
  bizStep: 'CBV 2.0 business step',
  disposition: 'CBV 2.0 disposition',
  bizTransactionType: 'CBV 2.0 business transaction type',
  sourceDestType: 'CBV 2.0 source/destination type',
  errorReason: 'CBV 2.0 error reason',
  component: 'CBV 2.0 sensor component',
  measurementType: 'GS1 measurement type',
  sensorAlertType: 'GS1 sensor alert type',
};

/** RFC 3339 date-time with a mandatory offset (EPCIS 2.0 §7.3.6: `xsd:dateTimeStamp`). */
const TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;
const TIME_WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/i;
/** `eventTimeZoneOffset` (EPCIS 2.0 §7.4.1): `±hh:mm`, -12:00 … +14:00. */
const ZONE_OFFSET = /^([+-])(\d{2}):([0-5]\d)$/;

interface Scope {
  prefixes: ReadonlySet<string>;
  errors: EpcisValidationError[];
}

function contextPrefixes(context: Json | undefined, into: Set<string>): void {
  const items = Array.isArray(context) ? context : context === undefined ? [] : [context];
  for (const item of items) {
    const o = asObject(item);
    if (o) for (const [k, v] of Object.entries(o)) if (!k.startsWith('@') && (typeof v === 'string' || asObject(v))) into.add(k);
  }
}

/** Whether a field name is a namespaced extension: a declared `prefix:name` or an absolute IRI. */
function isNamespaced(key: string, prefixes: ReadonlySet<string>): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(key)) return true;
  const colon = key.indexOf(':');
  return colon > 0 && colon < key.length - 1 && prefixes.has(key.slice(0, colon));
}

function undeclaredMessage(key: string, where: string): string {
  const colon = key.indexOf(':');
  if (colon > 0) return `extension field "${key}": its prefix "${key.slice(0, colon)}" is not declared in @context`;
  return `"${key}" is not a field of ${where}; an extension field is a compact IRI (prefix:name) with its prefix declared in @context`;
}

/** Checks the fields of an object: standard ones pass, others must be namespaced (recursively). */
function checkFields(obj: JsonObject, pointer: string, standard: ReadonlySet<string>, where: string, scope: Scope): void {
  for (const [key, value] of Object.entries(obj)) {
    if (standard.has(key)) continue;
    const at = appendPointer(pointer, key);
    if (!isNamespaced(key, scope.prefixes)) scope.errors.push({ pointer: at, message: undeclaredMessage(key, where) });
    checkExtensionValue(value, at, scope);
  }
}

function checkExtensionValue(value: Json, pointer: string, scope: Scope): void {
  if (Array.isArray(value)) value.forEach((v, i) => checkExtensionValue(v, appendPointer(pointer, i), scope));
  const o = asObject(value);
  if (o) checkFields(o, pointer, JSON_LD_KEYWORDS, 'an extension', scope);
}

/** A vocabulary value: bare word in the CBV/GS1 vocabulary, its full URI, or a URI outside CBV. */
function checkVocabulary(value: Json | undefined, pointer: string, kind: VocabularyKind, scope: Scope): void {
  if (typeof value !== 'string') return;
  const vocabulary = VOCABULARIES[kind];
  const name = VOCABULARY_NAME[kind];
  if (/^urn:epcglobal:cbv:/i.test(value)) {
    const word = value.slice(value.lastIndexOf(':') + 1);
    const hint = vocabulary.has(word) ? `; write "${word}" or ${vocabulary.get(word)}` : '';
    scope.errors.push({ pointer, message: `CBV 1.x URN "${value}" is not used in EPCIS 2.0 JSON${hint}` });
    return;
  }
  let uri = value;
  const colon = value.indexOf(':');
  if (colon > 0 && !value.includes('://')) {
    const ns = STANDARD_PREFIXES[value.slice(0, colon)];
    if (ns === undefined) return; // another scheme (urn:, geo:…) or a private prefix: a private vocabulary
    uri = ns + value.slice(colon + 1);
  } else if (colon < 0) {
    if (!vocabulary.has(value)) {
      scope.errors.push({ pointer, message: `unknown ${name} "${value}"; a private vocabulary value is a full URI` });
    }
    return;
  }
  const ns = CBV_NAMESPACE[kind];
  if (uri.startsWith(ns) && !vocabulary.has(uri.slice(ns.length))) {
    scope.errors.push({ pointer, message: `"${value}" is not a ${name}` });
  }
}

function checkTime(value: Json | undefined, pointer: string, scope: Scope): void {
  if (typeof value !== 'string') return;
  if (TIME_WITH_OFFSET.test(value)) return;
  const message = TIME_WITHOUT_OFFSET.test(value)
    ? `time "${value}" has no UTC offset; write Z or ±hh:mm`
    : `"${value}" is not a date-time with a UTC offset (e.g. 2024-05-01T08:30:00+07:00)`;
  scope.errors.push({ pointer, message });
}

function checkZoneOffset(value: Json | undefined, pointer: string, scope: Scope): void {
  if (typeof value !== 'string') return;
  const m = ZONE_OFFSET.exec(value);
  const minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : NaN;
  if (!(minutes >= -12 * 60 && minutes <= 14 * 60)) {
    scope.errors.push({ pointer, message: `eventTimeZoneOffset "${value}" is not ±hh:mm between -12:00 and +14:00` });
  }
}

function checkEpcList(value: Json | undefined, pointer: string, scope: Scope): void {
  if (!Array.isArray(value)) return;
  const seen = new Map<string, number>();
  value.forEach((epc, i) => {
    if (typeof epc !== 'string') return;
    if (!/^[a-z][a-z0-9+.-]*:[^\s]+$/i.test(epc)) {
      scope.errors.push({ pointer: appendPointer(pointer, i), message: `EPC "${epc}" is not a URI (an EPC URI urn:epc:id:… or a GS1 Digital Link URI)` });
      return;
    }
    const key = normaliseGs1Uri(epc) ?? epc;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else scope.errors.push({ pointer: appendPointer(pointer, i), message: `duplicate EPC "${epc}": the list already has it at ${appendPointer(pointer, first)}` });
  });
}

function checkQuantityList(value: Json | undefined, pointer: string, scope: Scope): void {
  if (!Array.isArray(value)) return;
  value.forEach((q, i) => {
    const o = asObject(q);
    if (o && o.quantity !== undefined && typeof o.quantity !== 'number') {
      scope.errors.push({ pointer: appendPointer(appendPointer(pointer, i), 'quantity'), message: 'quantity is a JSON number (e.g. 200), not a string' });
    }
  });
}

const nonEmpty = (v: Json | undefined): boolean => Array.isArray(v) && v.length > 0;

function checkSensorElements(value: Json | undefined, pointer: string, scope: Scope): void {
  if (!Array.isArray(value)) return;
  value.forEach((element, i) => {
    const o = asObject(element);
    if (!o) return;
    const at = appendPointer(pointer, i);
    checkFields(o, at, SENSOR_ELEMENT_FIELDS, 'a sensorElement', scope);
    const metadata = asObject(o.sensorMetadata);
    if (metadata) {
      const mp = appendPointer(at, 'sensorMetadata');
      checkFields(metadata, mp, SENSOR_METADATA_FIELDS, 'sensorMetadata', scope);
      for (const t of ['time', 'startTime', 'endTime']) checkTime(metadata[t], appendPointer(mp, t), scope);
    }
    const reports = Array.isArray(o.sensorReport) ? o.sensorReport : [];
    reports.forEach((report, j) => {
      const r = asObject(report);
      if (!r) return;
      const rp = appendPointer(appendPointer(at, 'sensorReport'), j);
      checkFields(r, rp, SENSOR_REPORT_FIELDS, 'a sensorReport', scope);
      checkTime(r.time, appendPointer(rp, 'time'), scope);
      checkVocabulary(r.type, appendPointer(rp, 'type'), 'measurementType', scope);
      checkVocabulary(r.exception, appendPointer(rp, 'exception'), 'sensorAlertType', scope);
      checkVocabulary(r.component, appendPointer(rp, 'component'), 'component', scope);
    });
  });
}

function checkTypedList(value: Json | undefined, pointer: string, kind: VocabularyKind, scope: Scope): void {
  if (!Array.isArray(value)) return;
  value.forEach((item, i) => checkVocabulary(asObject(item)?.type, appendPointer(appendPointer(pointer, i), 'type'), kind, scope));
}

function checkEvent(event: JsonObject, pointer: string, docPrefixes: ReadonlySet<string>, errors: EpcisValidationError[]): void {
  let prefixes = docPrefixes;
  if (event['@context'] !== undefined) {
    const own = new Set(docPrefixes);
    contextPrefixes(event['@context'], own);
    prefixes = own;
  }
  const scope: Scope = { prefixes, errors };
  const type = event.type;
  const at = (key: string) => appendPointer(pointer, key);
  const known = EVENT_TYPES.find((t) => t === type);
  if (!known) {
    if (typeof type === 'string') {
      const like = EVENT_TYPES.find((t) => t.toLowerCase() === type.toLowerCase());
      if (like) errors.push({ pointer: at('type'), message: `unknown event type "${type}"; EPCIS 2.0 names it "${like}" (case matters)` });
      else if (!/^[a-z][a-z0-9+.-]*:/i.test(type)) errors.push({ pointer: at('type'), message: `unknown event type "${type}"; one of ${EVENT_TYPES.join(', ')}` });
    }
    return;
  }
  checkFields(event, pointer, EVENT_FIELDS[known], `an ${known}`, scope);
  for (const key of ['readPoint', 'bizLocation'] as const) {
    const place = asObject(event[key]);
    if (place) checkFields(place, at(key), PLACE_FIELDS, key, scope);
  }
  const ilmd = asObject(event.ilmd);
  if (ilmd) checkFields(ilmd, at('ilmd'), NO_FIELDS, 'ilmd (master data fields are namespaced, e.g. cbvmda:lotNumber)', scope);
  const declaration = asObject(event.errorDeclaration);
  if (declaration) {
    checkFields(declaration, at('errorDeclaration'), ERROR_DECLARATION_FIELDS, 'errorDeclaration', scope);
    checkTime(declaration.declarationTime, appendPointer(at('errorDeclaration'), 'declarationTime'), scope);
    checkVocabulary(declaration.reason, appendPointer(at('errorDeclaration'), 'reason'), 'errorReason', scope);
  }

  checkTime(event.eventTime, at('eventTime'), scope);
  checkTime(event.recordTime, at('recordTime'), scope);
  checkZoneOffset(event.eventTimeZoneOffset, at('eventTimeZoneOffset'), scope);
  checkVocabulary(event.bizStep, at('bizStep'), 'bizStep', scope);
  checkVocabulary(event.disposition, at('disposition'), 'disposition', scope);
  const persistent = asObject(event.persistentDisposition);
  for (const list of ['set', 'unset'] as const) {
    const values = persistent?.[list];
    if (Array.isArray(values)) values.forEach((d, i) => checkVocabulary(d, appendPointer(appendPointer(at('persistentDisposition'), list), i), 'disposition', scope));
  }
  checkTypedList(event.bizTransactionList, at('bizTransactionList'), 'bizTransactionType', scope);
  checkTypedList(event.sourceList, at('sourceList'), 'sourceDestType', scope);
  checkTypedList(event.destinationList, at('destinationList'), 'sourceDestType', scope);
  checkSensorElements(event.sensorElementList, at('sensorElementList'), scope);
  for (const key of EPC_LISTS) checkEpcList(event[key], at(key), scope);
  for (const key of QUANTITY_LISTS) checkQuantityList(event[key], at(key), scope);

  if (known === 'ObjectEvent' && !nonEmpty(event.epcList) && !nonEmpty(event.quantityList) && !nonEmpty(event.sensorElementList)) {
    errors.push({ pointer, message: 'an ObjectEvent names at least one EPC (epcList) or quantity (quantityList), or carries sensor data (sensorElementList)' });
  }
  if (known === 'AggregationEvent' && (event.action === 'ADD' || event.action === 'DELETE') && event.parentID === undefined) {
    errors.push({ pointer: at('parentID'), message: `an AggregationEvent with action ${event.action} names its parentID` });
  }
  if (known === 'AssociationEvent' && event.parentID === undefined) {
    errors.push({ pointer: at('parentID'), message: 'an AssociationEvent names its parentID' });
  }
}

/**
 * Checks EPCIS 2.0 business rules the JSON Schema leaves out, on an `EPCISDocument`, an
 * `EPCISQueryDocument` or one event with its own `@context`. Tolerates any JSON (what the schema
 * refuses is the schema's to report).
 *
 * @param doc a parsed JSON document
 * @returns the errors, in document order; `[]` when every rule holds
 * @example checkEpcisRules({ type: 'EPCISDocument', '@context': [...], epcisBody: { eventList: [{ type: 'ObjectEvent', bizStep: 'urn:epcglobal:cbv:bizstep:shipping', … }] } })
 *   // [{ pointer: '/epcisBody/eventList/0/bizStep', message: 'CBV 1.x URN "urn:epcglobal:cbv:bizstep:shipping" is not used in EPCIS 2.0 JSON; write "shipping" or https://ref.gs1.org/cbv/BizStep-shipping' }]
 */
export function checkEpcisRules(doc: Json): EpcisValidationError[] {
  const root = asObject(doc);
  if (!root) return [];
  const errors: EpcisValidationError[] = [];
  const prefixes = new Set(Object.keys(STANDARD_PREFIXES));
  contextPrefixes(root['@context'], prefixes);
  if (typeof root.type === 'string' && (EVENT_TYPES as readonly string[]).includes(root.type)) {
    checkEvent(root, '', prefixes, errors);
    return errors;
  }
  checkTime(root.creationDate, '/creationDate', { prefixes, errors });
  const body = asObject(root.epcisBody);
  const results = asObject(asObject(body?.queryResults)?.resultsBody);
  const [list, pointer] = body?.eventList !== undefined ? [body.eventList, '/epcisBody/eventList'] : [results?.eventList, '/epcisBody/queryResults/resultsBody/eventList'];
  if (Array.isArray(list)) {
    list.forEach((event, i) => {
      const e = asObject(event);
      if (e) checkEvent(e, appendPointer(pointer, i), prefixes, errors);
    });
  }
  return errors;
}
