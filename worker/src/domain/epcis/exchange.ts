/**
 * The EPCIS 2.0 REST binding's exchange rules, pure: what an event names (GTINs, locations) for
 * scoping a capture, the query parameters this product answers, opaque signed page tokens, and the
 * `EPCISQueryDocument` built from stored events (GS1 EPCIS 2.0 §8.2.7, REST binding OpenAPI).
 */
import { normaliseGs1Uri } from './digital-link.ts';
import { EVENT_TYPES, type EpcisValidationError } from './rules.ts';
import { EPCIS_CONTEXT_URI } from './vocabulary.ts';

/** The binding's version headers this product announces. */
export const EPCIS_VERSION = '2.0.0';
export const CBV_VERSION = '2.0.0';
/** Most events one capture takes (`GS1-EPCIS-Capture-Limit`). */
export const CAPTURE_EVENT_LIMIT = 1000;
/** Largest capture body in bytes (`GS1-EPCIS-Capture-File-Size-Limit`): 4 MiB. */
export const CAPTURE_BYTE_LIMIT = 4 * 1024 * 1024;
/** Events per page without `perPage`, and the most `perPage` may ask for. */
export const DEFAULT_PER_PAGE = 100;
export const MAX_PER_PAGE = 1000;

type JsonObject = Record<string, unknown>;

/** What an event names in GS1 keys: 14-digit GTINs of its EPCs and classes, and its locations. */
export type EventKeys = { gtins: string[]; locations: string[] };

const EPC_FIELDS = ['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList'] as const;
const CLASS_FIELDS = ['quantityList', 'childQuantityList', 'inputQuantityList', 'outputQuantityList'] as const;

/**
 * The GTINs (14 digits, from SGTIN/LGTIN URNs or Digital Link URIs) and the location URIs
 * (`readPoint.id`, `bizLocation.id`) an event names, each once.
 *
 * @example eventKeys({ type: 'ObjectEvent', epcList: ['urn:epc:id:sgtin:0614141.107346.2017'], readPoint: { id: 'https://id.gs1.org/414/8934588000010' } })
 *   // { gtins: ['10614141073464'], locations: ['https://id.gs1.org/414/8934588000010'] }
 */
export function eventKeys(event: JsonObject): EventKeys {
  const ids: unknown[] = [event.parentID];
  for (const f of EPC_FIELDS) if (Array.isArray(event[f])) ids.push(...(event[f] as unknown[]));
  for (const f of CLASS_FIELDS) if (Array.isArray(event[f])) ids.push(...(event[f] as { epcClass?: unknown }[]).map((q) => q?.epcClass));
  const gtins = new Set<string>();
  for (const id of ids) {
    if (typeof id !== 'string') continue;
    const m = /^https:\/\/id\.gs1\.org\/01\/(\d{14})/.exec(normaliseGs1Uri(id) ?? '');
    if (m) gtins.add(m[1]!);
  }
  const locations = new Set<string>();
  for (const f of ['readPoint', 'bizLocation']) {
    const id = (event[f] as { id?: unknown } | undefined)?.id;
    if (typeof id === 'string') locations.add(id);
  }
  return { gtins: [...gtins], locations: [...locations] };
}

/** A producer's own GS1 keys: GTIN-14s of its products and the URIs of its locations. */
export type ProducerKeys = { gtins: ReadonlySet<string>; locations: ReadonlySet<string> };

/**
 * The scope faults of an enterprise's event: a GTIN that is not one of its products, a location
 * that is not one of its own, or an event naming neither.
 *
 * @param pointer the event's JSON Pointer in the document (`/epcisBody/eventList/3`)
 * @example scopeErrors(event, '/epcisBody/eventList/0', { gtins: new Set(), locations: new Set() })
 *   // [{ pointer: '/epcisBody/eventList/0', message: 'GTIN 10614141073464 is not one of your products' }]
 */
export function scopeErrors(event: JsonObject, pointer: string, own: ProducerKeys): EpcisValidationError[] {
  const keys = eventKeys(event);
  const errors: EpcisValidationError[] = [];
  for (const g of keys.gtins) if (!own.gtins.has(g)) errors.push({ pointer, message: `GTIN ${g} is not one of your products` });
  for (const l of keys.locations) if (!own.locations.has(l)) errors.push({ pointer, message: `location ${l} is not one of your locations` });
  if (keys.gtins.length === 0 && keys.locations.length === 0) {
    errors.push({ pointer, message: 'names none of your products or locations' });
  }
  return errors;
}

/** The query parameters this product answers (EPCIS 2.0 §8.2.7.1 SimpleEventQuery, REST binding). */
export const QUERY_PARAMETERS = [
  'eventType',
  'EQ_bizStep',
  'EQ_disposition',
  'EQ_action',
  'GE_eventTime',
  'LT_eventTime',
  'MATCH_epc',
  'MATCH_anyEPCClass',
  'EQ_bizLocation',
  'EQ_readPoint',
  'EQ_eventID',
  'perPage',
  'nextPageToken',
] as const;

/** A parsed event query; lists are OR-ed within a parameter, parameters AND-ed. */
export type EventQuery = {
  eventType?: string[];
  bizStep?: string[];
  disposition?: string[];
  action?: string[];
  /** unix ms, inclusive */
  fromTime?: number;
  /** unix ms, exclusive */
  toTime?: number;
  epc?: string[];
  epcClass?: string[];
  bizLocation?: string[];
  readPoint?: string[];
  eventId?: string[];
  perPage: number;
  nextPageToken?: string;
};

const TIME_WITH_OFFSET = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

/**
 * Parses the query string of `GET /events` (each parameter once; pipe-delimited lists as the
 * binding's `style: pipeDelimited`).
 *
 * @returns the query, or the faults (unknown parameter, repeated parameter, bad time, bad perPage)
 * @example parseEventQuery(new URLSearchParams('EQ_bizStep=shipping|receiving&perPage=10'))
 *   // { ok: true, query: { bizStep: ['shipping', 'receiving'], perPage: 10 } }
 */
export function parseEventQuery(params: URLSearchParams): { ok: true; query: EventQuery } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const known = new Set<string>(QUERY_PARAMETERS);
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (!known.has(name)) errors.push(`unknown query parameter ${name}; this interface answers ${QUERY_PARAMETERS.join(', ')}`);
    else if (seen.has(name)) errors.push(`query parameter ${name} given twice; list values separated by |`);
    seen.add(name);
  }
  const list = (name: string) => {
    const v = params.get(name);
    if (v === null) return undefined;
    const items = v.split('|').filter((s) => s !== '');
    if (!items.length) errors.push(`query parameter ${name} is empty`);
    return items;
  };
  const time = (name: string) => {
    const v = params.get(name);
    if (v === null) return undefined;
    const ms = TIME_WITH_OFFSET.test(v) ? Date.parse(v) : NaN;
    if (!Number.isFinite(ms)) errors.push(`${name} must be a date-time with a UTC offset (2026-11-01T08:00:00+07:00), not "${v}"`);
    return ms;
  };
  const eventType = list('eventType');
  for (const t of eventType ?? []) if (!(EVENT_TYPES as readonly string[]).includes(t)) errors.push(`eventType ${t} is not an EPCIS 2.0 event type`);
  let perPage = DEFAULT_PER_PAGE;
  const pp = params.get('perPage');
  if (pp !== null) {
    perPage = /^\d{1,7}$/.test(pp) ? Number(pp) : NaN;
    if (!(perPage >= 1 && perPage <= MAX_PER_PAGE)) errors.push(`perPage must be an integer from 1 to ${MAX_PER_PAGE}`);
  }
  const query: EventQuery = {
    eventType,
    bizStep: list('EQ_bizStep'),
    disposition: list('EQ_disposition'),
    action: list('EQ_action'),
    fromTime: time('GE_eventTime'),
    toTime: time('LT_eventTime'),
    epc: list('MATCH_epc'),
    epcClass: list('MATCH_anyEPCClass'),
    bizLocation: list('EQ_bizLocation'),
    readPoint: list('EQ_readPoint'),
    eventId: list('EQ_eventID'),
    perPage,
    nextPageToken: params.get('nextPageToken') ?? undefined,
  };
  for (const k of Object.keys(query) as (keyof EventQuery)[]) if (query[k] === undefined) delete query[k];
  return errors.length ? { ok: false, errors } : { ok: true, query };
}

/** Where the next page starts: after the event at (`eventTime` ms, row id). */
export type PageCursor = { time: number; id: number };

const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const fromB64url = (s: string) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

async function hmac(secret: string, text: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text))).slice(0, 16);
}

/** The query a token belongs to: every parameter but the token itself, in a fixed order. */
function queryKey(q: EventQuery): string {
  const { nextPageToken: _t, ...rest } = q;
  return JSON.stringify(Object.keys(rest).sort().map((k) => [k, rest[k as keyof typeof rest]]));
}

/**
 * An opaque `nextPageToken`: the cursor and a 128-bit HMAC-SHA256 tag over it and the query, so a
 * token is refused when altered or used with another query.
 *
 * @example await signPageToken({ time: 1762000000000, id: 42 }, query, secret) // "MTc2MjAwMDAwMDAwMC40Mg.…"
 */
export async function signPageToken(cursor: PageCursor, query: EventQuery, secret: string): Promise<string> {
  const body = `${cursor.time}.${cursor.id}`;
  return `${b64url(new TextEncoder().encode(body))}.${b64url(await hmac(secret, `${body}\n${queryKey(query)}`))}`;
}

/**
 * The cursor of a token made by {@link signPageToken} for this same query, or undefined when the
 * token is malformed, altered or from another query.
 */
export async function readPageToken(token: string, query: EventQuery, secret: string): Promise<PageCursor | undefined> {
  const m = /^([A-Za-z0-9_-]{1,40})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) return undefined;
  let body: string;
  try {
    body = new TextDecoder().decode(fromB64url(m[1]!));
  } catch {
    return undefined;
  }
  const c = /^(-?\d{1,16})\.(\d{1,16})$/.exec(body);
  if (!c) return undefined;
  const expected = await hmac(secret, `${body}\n${queryKey(query)}`);
  const given = fromB64url(m[2]!);
  if (given.length !== expected.length || given.some((b, i) => b !== expected[i])) return undefined;
  return { time: Number(c[1]), id: Number(c[2]) };
}

/** A stored event for export: its event ID and the stored JSON-LD object. */
export type StoredEvent = { eventId: string; document: JsonObject };

/**
 * Builds an `EPCISQueryDocument` of stored events (EPCIS 2.0 §9, REST binding): the standard
 * `@context` plus every prefix the events declare, hoisted to the document (an event keeps its own
 * `@context` only if a prefix there clashes with another event's), each event with its `eventID`.
 *
 * @example buildQueryDocument([{ eventId, document }], new Date()).epcisBody.queryResults.resultsBody.eventList.length // 1
 */
export function buildQueryDocument(events: readonly StoredEvent[], creationDate: Date) {
  const prefixes: Record<string, string> = {};
  const clashes = (ctx: unknown) =>
    Array.isArray(ctx) &&
    ctx.some((c) => c && typeof c === 'object' && Object.entries(c as Record<string, unknown>).some(([k, v]) => prefixes[k] !== undefined && prefixes[k] !== v));
  const eventList = events.map(({ eventId, document }) => {
    const { '@context': ctx, ...rest } = document;
    const out: JsonObject = { ...rest, eventID: eventId };
    const hoistable = ctx === undefined || ctx === EPCIS_CONTEXT_URI || (Array.isArray(ctx) && !clashes(ctx) && ctx.every((c) => c === EPCIS_CONTEXT_URI || (c !== null && typeof c === 'object')));
    if (!hoistable) return { '@context': ctx, ...out };
    for (const c of Array.isArray(ctx) ? ctx : []) if (c && typeof c === 'object') Object.assign(prefixes, c);
    return out;
  });
  return {
    '@context': Object.keys(prefixes).length ? [EPCIS_CONTEXT_URI, prefixes] : [EPCIS_CONTEXT_URI],
    type: 'EPCISQueryDocument' as const,
    schemaVersion: '2.0',
    creationDate: creationDate.toISOString(),
    epcisBody: { queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList } } },
  };
}
