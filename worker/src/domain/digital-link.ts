/**
 * GS1 Digital Link URIs (GS1 Digital Link: URI Syntax, release 1.6): parsing and validation of
 * the uncompressed form for the keys this product serves, GTIN (AI 01, key qualifiers 22, 10,
 * 21 in that order, or 235) and GLN (AI 414, key qualifier 254), with data attributes in the
 * query string.
 *
 * Validity follows GS1's reference parser, the GS1 Barcode Syntax Engine (`gs1_parseDLuri`
 * with its strict defaults): the same character set, scheme and domain checks, the rightmost
 * primary key in the path, percent-decoding (`+` is a space only in the query; a `%` not
 * followed by two hex digits stays a literal `%`), key-qualifier sequences, duplicate AIs,
 * non-numeric query parameters passed through, numeric ones that are not AIs refused, data
 * attributes that belong in the path refused, and each AI's format, character set, check
 * digit, date, requisite and exclusion rules from the GS1 Barcode Syntax Dictionary.
 * Two deliberate differences, both stricter: only the AIs of {@link DIGITAL_LINK_AIS} are
 * accepted (any other AI is refused as unsupported), and by default nothing may precede the
 * primary key in the path (the reference accepts any path "stem"; `pathPrefix: null` does too).
 */

import { gs1CheckDigit } from './gs1.ts';

/** Longest URI accepted, in characters (the Syntax Engine's input buffer, MAX_DATA). */
export const DIGITAL_LINK_MAX_LENGTH = 8191;

/** Most AIs and other query parameters in one URI (the Syntax Engine's MAX_AIS). */
export const DIGITAL_LINK_MAX_ELEMENTS = 64;

/** Canonical host of GS1 Digital Link URIs (GS1's own resolver). */
export const CANONICAL_DIGITAL_LINK_STEM = 'https://id.gs1.org';

/** What went wrong, for an error envelope. */
export type DigitalLinkErrorCode =
  | 'too_long'
  | 'illegal_character'
  | 'bad_scheme'
  | 'bad_domain'
  | 'no_primary_key'
  | 'bad_path'
  | 'empty_value'
  | 'null_character'
  | 'invalid_value'
  | 'unknown_ai'
  | 'bad_key_qualifier_sequence'
  | 'duplicate_ai'
  | 'not_data_attribute'
  | 'qualifier_in_query'
  | 'too_many_elements'
  | 'missing_requisite'
  | 'exclusive_ais';

/** One AI element of a parsed URI: the AI, its decoded value and where it was. */
export interface DigitalLinkElement {
  ai: string;
  value: string;
  /** GS1 data title, e.g. "BATCH/LOT". */
  title: string;
  in: 'path' | 'query';
}

/** A valid GS1 Digital Link URI, taken apart. */
export interface DigitalLink {
  scheme: 'http' | 'https';
  /** Host (and port) as written. */
  host: string;
  /** Path before the primary key ('' unless `pathPrefix` allowed one). */
  stem: string;
  /** The primary key: AI 01 (GTIN-14) or 414 (GLN). */
  key: { ai: '01' | '414'; value: string };
  /** Key qualifiers in path order (22, 10, 21 or 235 for a GTIN; 254 for a GLN). */
  qualifiers: DigitalLinkElement[];
  /** Data attributes from the query string, in the order received. */
  attributes: DigitalLinkElement[];
  /** Every AI element: the path's, then the query's. */
  elements: DigitalLinkElement[];
  gtin?: string;
  cpv?: string;
  lot?: string;
  serial?: string;
  tpx?: string;
  gln?: string;
  glnExtension?: string;
  /** Query parameters that are not AIs (e.g. `linkType`), decoded, in order; null for a bare name. */
  otherParams: { name: string; value: string | null }[];
  /** Bracketed element string, e.g. "(01)09520123456788(10)ABC1"; a "(" inside a value is written "\(". */
  elementString: string;
  /** Barcode data with "^" for FNC1 (leading FNC1 included), e.g. "^010952012345678810ABC1^2112345". */
  fnc1String: string;
  /** Canonical URI: `https://id.gs1.org`, key, qualifiers in order, attributes (fixed-length first), upper-case escapes, no other parameters. */
  canonicalUri: string;
}

/** The outcome of {@link parseDigitalLink}. */
export type DigitalLinkResult =
  | { ok: true; link: DigitalLink }
  | { ok: false; error: { code: DigitalLinkErrorCode; message: string } };

/** Options of {@link parseDigitalLink}. */
export interface DigitalLinkOptions {
  /**
   * Path expected before the primary key, e.g. '' (default: the key is the first segment) or
   * '/gs1'. `null` accepts any path before the rightmost primary key, as the reference does.
   */
  pathPrefix?: string | null;
}

// ---------------------------------------------------------------------------------------------
// The AI table: the entries of the GS1 Barcode Syntax Dictionary (release 2026-01-27) for the
// AIs accepted here. Formats are components: N = digits, X = GS1 CSET 82; min..max length;
// optional components only at the end; linters name the content checks.

type Linter = 'csum' | 'yymmd0' | 'yymmdd' | 'hhmi' | 'hh' | 'mi' | 'ss';
interface Component {
  cset: 'N' | 'X';
  min: number;
  max: number;
  optional?: boolean;
  linter?: Linter;
}
interface AiEntry {
  ai: string;
  title: string;
  /** Predefined length: no FNC1 separator after it. */
  fixed: boolean;
  /** Permitted as a data attribute (query string). */
  attribute: boolean;
  components: Component[];
  /** Each inner list is one `req=` rule: at least one alternative ('+'-joined AIs, 'n' = any digit) present. */
  req?: string[][];
  /** `ex=`: AIs or patterns that must not appear with this one. */
  ex?: string[];
  /** For a primary key: its permitted qualifier sequences (each ordered, every AI optional). */
  qualifierSequences?: string[][];
}

const n = (len: number, linter?: Linter, optional?: boolean): Component => ({ cset: 'N', min: len, max: len, linter, optional });
const nUpTo = (max: number): Component => ({ cset: 'N', min: 1, max });
const xUpTo = (max: number): Component => ({ cset: 'X', min: 1, max });

const FOR_TRADE_ITEM = ['01', '02', '03', '8006', '8026'];

function entry(ai: string, title: string, fixed: boolean, attribute: boolean, components: Component[], more: Partial<AiEntry> = {}): AiEntry {
  return { ai, title, fixed, attribute, components, ...more };
}

function table(): Map<string, AiEntry> {
  const list: AiEntry[] = [
    entry('01', 'GTIN', true, true, [n(14, 'csum')], { ex: ['255', '37'], qualifierSequences: [['22', '10', '21'], ['235']] }),
    entry('10', 'BATCH/LOT', false, true, [xUpTo(20)], { req: [FOR_TRADE_ITEM] }),
    entry('11', 'PROD DATE', true, true, [n(6, 'yymmd0')], { req: [FOR_TRADE_ITEM] }),
    entry('13', 'PACK DATE', true, true, [n(6, 'yymmd0')], { req: [FOR_TRADE_ITEM] }),
    entry('15', 'BEST BEFORE or BEST BY', true, true, [n(6, 'yymmd0')], { req: [FOR_TRADE_ITEM] }),
    entry('16', 'SELL BY', true, true, [n(6, 'yymmd0')], { req: [FOR_TRADE_ITEM] }),
    entry('17', 'USE BY or EXPIRY', true, true, [n(6, 'yymmd0')], { req: [['01', '02', '03', '255', '8006', '8026']] }),
    entry('20', 'VARIANT', true, true, [n(2)], { req: [['01', '02', '8006', '8026']] }),
    entry('21', 'SERIAL', false, false, [xUpTo(20)], { req: [['01', '03', '8006']], ex: ['235'] }),
    entry('22', 'CPV', false, false, [xUpTo(20)], { req: [['01']] }),
    entry('235', 'TPX', false, false, [xUpTo(28)], { req: [['01']] }),
    entry('240', 'ADDITIONAL ID', false, true, [xUpTo(30)], { req: [['01', '02', '8006', '8026']] }),
    entry('241', 'CUST. PART No.', false, true, [xUpTo(30)], { req: [['01', '02', '8006', '8026']] }),
    entry('242', 'MTO VARIANT', false, true, [nUpTo(6)], { req: [['01', '02', '8006', '8026']] }),
    entry('243', 'PCN', false, true, [xUpTo(20)], { req: [['01']] }),
    entry('250', 'SECONDARY SERIAL', false, true, [xUpTo(30)], { req: [['01', '8006'], ['21']] }),
    entry('251', 'REF. TO SOURCE', false, true, [xUpTo(30)], { req: [['01', '8006']] }),
    entry('254', 'GLN EXTENSION COMPONENT', false, false, [xUpTo(20)], { req: [['414']] }),
    entry('30', 'VAR. COUNT', false, true, [nUpTo(8)], { req: [['01', '02']] }),
    entry('414', 'LOC No.', true, true, [n(13, 'csum')], { qualifierSequences: [['254'], ['7040']] }),
    entry('7003', 'EXPIRY TIME', false, true, [n(6, 'yymmdd'), n(4, 'hhmi')], { req: [['01', '02']] }),
    entry('7005', 'CATCH AREA', false, true, [xUpTo(12)], { req: [['01', '02']] }),
    entry('7006', 'FIRST FREEZE DATE', false, true, [n(6, 'yymmdd')], { req: [['01', '02']] }),
    entry('7007', 'HARVEST DATE', false, true, [n(6, 'yymmdd'), n(6, 'yymmdd', true)], { req: [['01', '02']] }),
    entry('7008', 'AQUATIC SPECIES', false, true, [xUpTo(3)], { req: [['01', '02']] }),
    entry('7009', 'FISHING GEAR TYPE', false, true, [xUpTo(10)], { req: [['01', '02']] }),
    entry('7010', 'PROD METHOD', false, true, [xUpTo(2)], { req: [['01', '02']] }),
    entry('8008', 'PROD TIME', false, true, [n(6, 'yymmdd'), n(2, 'hh'), n(2, 'mi', true), n(2, 'ss', true)], { req: [['01', '02']] }),
    entry('90', 'INTERNAL', false, true, [xUpTo(30)]),
  ];
  const measures: [string, string][] = [
    ['310', 'NET WEIGHT (kg)'],
    ['311', 'LENGTH (m)'],
    ['312', 'WIDTH (m)'],
    ['313', 'HEIGHT (m)'],
    ['314', 'AREA (m²)'],
    ['315', 'NET VOLUME (l)'],
    ['316', 'NET VOLUME (m³)'],
  ];
  for (const [prefix, title] of measures) {
    for (let d = 0; d <= 5; d++) {
      list.push(entry(`${prefix}${d}`, title, true, true, [n(6)], { req: [['01', '02']], ex: [`${prefix}n`] }));
    }
  }
  for (let d = 0; d <= 9; d++) {
    list.push(entry(`392${d}`, 'PRICE', false, true, [nUpTo(15)], { req: [['01'], ['30', '31nn', '32nn', '35nn', '36nn']], ex: ['392n', '393n'] }));
  }
  for (let ai = 91; ai <= 99; ai++) list.push(entry(String(ai), 'INTERNAL', false, true, [xUpTo(90)]));
  return new Map(list.map((e) => [e.ai, e]));
}

const AIS = table();

/** The AIs this parser accepts, with their GS1 data titles (sorted by AI). */
export const DIGITAL_LINK_AIS: readonly { ai: string; title: string; attribute: boolean }[] = [...AIS.values()]
  .map(({ ai, title, attribute }) => ({ ai, title, attribute }))
  .sort((a, b) => (a.ai < b.ai ? -1 : 1));

/** Every valid path AI sequence, space-joined ("01", "01 22", "01 22 10", …, "414 254"). */
const PATH_SEQUENCES: ReadonlySet<string> = (() => {
  const out = new Set<string>();
  for (const e of AIS.values()) {
    if (!e.qualifierSequences) continue;
    out.add(e.ai);
    for (const seq of e.qualifierSequences) {
      // Every ordered subset of the sequence keeps its order.
      for (let mask = 1; mask < 1 << seq.length; mask++) {
        out.add([e.ai, ...seq.filter((_, i) => mask & (1 << i))].join(' '));
      }
    }
  }
  return out;
})();

// ---------------------------------------------------------------------------------------------
// Character classes (RFC 3986 and GS1 General Specifications §7.11).

const URI_CHARACTERS_RE = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;
const BAD_DOMAIN_CHARACTERS = new Set("_~?#@!$&'()*+,;=%");
const UNRESERVED_RE = /[A-Za-z0-9\-._~]/;
const CSET82_RE = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;
const DIGITS_RE = /^[0-9]+$/;

function hexValue(c: string | undefined): number {
  if (c === undefined) return -1;
  const v = parseInt(c, 16);
  return /^[0-9A-Fa-f]$/.test(c) ? v : -1;
}

/** Percent-decodes to one char per byte, as the Syntax Engine does; null for an encoded NUL. */
function unescape(raw: string, query: boolean): string | null {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '%' && i < raw.length - 2) {
      const hi = hexValue(raw[i + 1]);
      const lo = hexValue(raw[i + 2]);
      if (hi < 0 || lo < 0) {
        out += '%';
        continue;
      }
      const byte = (hi << 4) | lo;
      if (byte === 0) return null;
      out += String.fromCharCode(byte);
      i += 2;
    } else if (query && c === '+') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

/** Percent-encodes every byte outside the unreserved set with upper-case hex ('+' for a space in the query). */
function escape(value: string, query: boolean): string {
  let out = '';
  for (const c of value) {
    if (UNRESERVED_RE.test(c)) out += c;
    else if (query && c === ' ') out += '+';
    else out += `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function decodeParam(raw: string): string {
  const bytes = unescape(raw, true) ?? raw;
  return new TextDecoder().decode(Uint8Array.from(bytes, (c) => c.charCodeAt(0)));
}

// ---------------------------------------------------------------------------------------------
// Content checks ("linters").

function daysInMonth(yy: number, mm: number): number {
  if (mm === 2) return yy % 4 === 0 ? 29 : 28; // the reference maps YY to 1972–2071, where every 4th year is leap
  return [4, 6, 9, 11].includes(mm) ? 30 : 31;
}

function lint(linter: Linter, v: string): string | null {
  const num = (from: number) => Number(v.slice(from, from + 2));
  switch (linter) {
    case 'csum':
      return gs1CheckDigit(v.slice(0, -1)) === Number(v.slice(-1)) ? null : 'the check digit is wrong';
    case 'yymmd0':
    case 'yymmdd': {
      const [yy, mm, dd] = [num(0), num(2), num(4)];
      if (mm < 1 || mm > 12) return 'the date has an illegal month';
      if ((dd === 0 && linter === 'yymmdd') || dd > daysInMonth(yy, mm)) return 'the date has an illegal day of the month';
      return null;
    }
    case 'hhmi':
      return num(0) > 23 ? 'the time has an illegal hour' : num(2) > 59 ? 'the time has an illegal minute' : null;
    case 'hh':
      return num(0) > 23 ? 'the time has an illegal hour' : null;
    case 'mi':
      return num(0) > 59 ? 'the time has an illegal minute' : null;
    case 'ss':
      return num(0) > 59 ? 'the time has an illegal second' : null;
  }
}

const minLength = (e: AiEntry) => e.components.reduce((s, c) => s + (c.optional ? 0 : c.min), 0);
const maxLength = (e: AiEntry) => e.components.reduce((s, c) => s + c.max, 0);

/** Checks a value against its AI's components; the reason when it does not fit. */
function checkContent(e: AiEntry, value: string): string | null {
  let pos = 0;
  for (const c of e.components) {
    if (pos === value.length && c.optional) break;
    const part = value.slice(pos, pos + c.max);
    if (part.length < c.min) return 'the value has the wrong length';
    pos += part.length;
    if (c.cset === 'N' && !DIGITS_RE.test(part)) return 'a non-digit character where a digit is expected';
    if (c.cset === 'X' && !CSET82_RE.test(part)) return 'a character outside GS1 CSET 82 (A-Z a-z 0-9 and !"%&\'()*+,-./:;<=>?_)';
    const bad = c.linter ? lint(c.linter, part) : null;
    if (bad) return bad;
  }
  return pos === value.length ? null : 'the value has the wrong length';
}

function matchesPattern(pattern: string, ai: string): boolean {
  return pattern.length === ai.length && [...pattern].every((p, i) => p === 'n' || p === ai[i]);
}

// ---------------------------------------------------------------------------------------------

type Failure = { ok: false; error: { code: DigitalLinkErrorCode; message: string } };
const fail = (code: DigitalLinkErrorCode, message: string): Failure => ({ ok: false, error: { code, message } });
const label = (e: AiEntry) => `AI (${e.ai}) ${e.title}`;

interface Parsed {
  entry: AiEntry;
  value: string;
  in: 'path' | 'query';
}

const KEY_NAMES = 'GTIN (/01/{14 digits}) or GLN (/414/{13 digits})';

/**
 * Parses and validates a GS1 Digital Link URI (uncompressed, GS1 Digital Link URI Syntax 1.6)
 * as GS1's reference parser does with its strict defaults, for the AIs this product accepts
 * (GTIN 01 with 22/10/21 or 235, GLN 414 with 254, and the data attributes listed in
 * {@link DIGITAL_LINK_AIS}). Never throws for any string.
 *
 * @param uri the whole URI, e.g. `https://example.vn/01/08934588063053/10/LOT1?17=261231`
 * @param options.pathPrefix path required before the key ('' by default; null: any, as the reference)
 * @returns `{ ok: true, link }` with the element string and canonical URI, or `{ ok: false, error }`
 *   whose message names what is wrong (for a 400 error envelope)
 * @example
 * parseDigitalLink('https://tx.example.vn/01/09520123456788/10/ABC1/21/12345?17=180426')
 * // { ok: true, link: { gtin: '09520123456788', lot: 'ABC1', serial: '12345',
 * //   elementString: '(01)09520123456788(10)ABC1(21)12345(17)180426',
 * //   canonicalUri: 'https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426', … } }
 * @example parseDigitalLink('https://tx.example.vn/01/9520123456788').ok // false: AI 01 needs 14 digits
 */
export function parseDigitalLink(uri: string, options: DigitalLinkOptions = {}): DigitalLinkResult {
  const pathPrefix = options.pathPrefix === undefined ? '' : options.pathPrefix;
  if (typeof uri !== 'string') return fail('illegal_character', 'the URI must be a string');
  if (uri.length > DIGITAL_LINK_MAX_LENGTH) {
    return fail('too_long', `the URI is longer than ${DIGITAL_LINK_MAX_LENGTH} characters`);
  }
  if (!URI_CHARACTERS_RE.test(uri)) {
    const bad = [...uri].find((c) => !URI_CHARACTERS_RE.test(c))!;
    const shown = /^[\x21-\x7e]$/.test(bad) ? `"${bad}"` : `U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    return fail('illegal_character', `the URI contains ${shown}, which a URI cannot carry unescaped (percent-encode it)`);
  }

  let scheme: 'http' | 'https';
  let rest: string;
  if (uri.startsWith('https://') || uri.startsWith('HTTPS://')) [scheme, rest] = ['https', uri.slice(8)];
  else if (uri.startsWith('http://') || uri.startsWith('HTTP://')) [scheme, rest] = ['http', uri.slice(7)];
  else return fail('bad_scheme', 'the URI must start with https:// or http:// (all lower or all upper case)');

  const slash = rest.indexOf('/');
  const host = slash < 0 ? rest : rest.slice(0, slash);
  const badDomainChar = [...host].find((c) => BAD_DOMAIN_CHARACTERS.has(c));
  if (badDomainChar) return fail('bad_domain', `the domain contains "${badDomainChar}"`);
  if (slash < 1) return fail('bad_domain', 'the URI needs a domain followed by a path');

  let pathAndQuery = rest.slice(slash);
  const hash = pathAndQuery.indexOf('#');
  if (hash >= 0) pathAndQuery = pathAndQuery.slice(0, hash);
  const qmark = pathAndQuery.indexOf('?');
  const path = qmark < 0 ? pathAndQuery : pathAndQuery.slice(0, qmark);
  const query = qmark < 0 ? null : pathAndQuery.slice(qmark + 1);

  // The rightmost "/AI/value" pair whose AI is a primary key starts the Digital Link path;
  // walking back from the end, every pair before it must be an AI of the table.
  const segments = path.split('/').slice(1); // path starts with '/'
  let keyIndex = -1;
  for (let i = segments.length - 2; i >= 0; i -= 2) {
    const e = AIS.get(segments[i]!);
    if (!e) break;
    if (e.qualifierSequences) {
      keyIndex = i;
      break;
    }
  }
  if (keyIndex < 0) {
    const first = segments.findIndex((s) => AIS.get(s)?.qualifierSequences);
    if (first < 0) return fail('no_primary_key', `the path has no primary key this resolver serves: ${KEY_NAMES}`);
    const tail = segments.slice(first);
    if (tail[tail.length - 1] === '') return fail('bad_path', 'the path must not end with "/"');
    const odd = tail.length % 2 === 1;
    const badAi = tail.find((s, i) => i % 2 === 0 && !AIS.has(s));
    return fail(
      'bad_path',
      odd
        ? `after /${tail[0]}/ the path must be AI/value pairs; a "/" inside a value must be written %2F`
        : `"${badAi}" in the path is not an AI this resolver accepts (after /${tail[0]}/ the path is AI/value pairs; a "/" inside a value must be written %2F)`,
    );
  }
  const stem = keyIndex === 0 ? '' : `/${segments.slice(0, keyIndex).join('/')}`;
  if (pathPrefix !== null && stem !== pathPrefix) {
    const before = AIS.has(segments[0]!) ? ' (a key qualifier or attribute cannot come before its primary key)' : '';
    return fail('bad_path', `the path must start with ${pathPrefix}/${segments[keyIndex]}/…; found "${stem}" before it${before}`);
  }

  const elements: Parsed[] = [];
  for (let i = keyIndex; i < segments.length; i += 2) {
    const e = AIS.get(segments[i]!)!;
    const raw = segments[i + 1]!;
    if (raw === '') return fail('empty_value', `${label(e)} has an empty value in the path`);
    const value = unescape(raw, false);
    if (value === null) return fail('null_character', `${label(e)} decodes to a NUL character`);
    const bad = checkLength(e, value);
    if (bad) return bad;
    elements.push({ entry: e, value, in: 'path' });
  }
  const pathCount = elements.length;

  const otherParams: { name: string; value: string | null }[] = [];
  let count = pathCount;
  for (const param of query === null ? [] : query.split('&')) {
    if (param === '') continue;
    const eq = param.indexOf('=');
    const name = eq < 0 ? param : param.slice(0, eq);
    // A name of digits only (or none at all, as the reference counts it) must be an AI.
    const numeric = eq >= 0 && /^[0-9]*$/.test(name);
    const e = numeric ? AIS.get(name) : undefined;
    if (numeric && !e) {
      return fail('unknown_ai', name ? `query parameter ${name} is numeric but not an AI this resolver accepts` : 'a query parameter has no name');
    }
    if (e) {
      const raw = param.slice(eq + 1);
      if (raw === '') return fail('empty_value', `${label(e)} has an empty value in the query`);
      const value = unescape(raw, true);
      if (value === null) return fail('null_character', `${label(e)} decodes to a NUL character`);
      const bad = checkLength(e, value);
      if (bad) return bad;
    }
    if (count >= DIGITAL_LINK_MAX_ELEMENTS) {
      return fail('too_many_elements', `the URI has more than ${DIGITAL_LINK_MAX_ELEMENTS} AIs and query parameters`);
    }
    count++;
    if (e) elements.push({ entry: e, value: unescape(param.slice(eq + 1), true)!, in: 'query' });
    else otherParams.push({ name: decodeParam(name), value: eq < 0 ? null : decodeParam(param.slice(eq + 1)) });
  }

  const pathAis = elements.slice(0, pathCount).map((p) => p.entry.ai);
  if (!PATH_SEQUENCES.has(pathAis.join(' '))) {
    const allowed = AIS.get(pathAis[0]!)!.qualifierSequences!.map((s) => s.join(', ')).join(' or ');
    return fail(
      'bad_key_qualifier_sequence',
      `the path AIs ${pathAis.join(', ')} are not a valid key-qualifier sequence: after ${pathAis[0]} come only ${allowed}, each at most once, in that order`,
    );
  }

  const seen = new Set<string>();
  for (const p of [...elements].sort((a, b) => (a.entry.ai < b.entry.ai ? -1 : a.entry.ai > b.entry.ai ? 1 : 0))) {
    if (seen.has(p.entry.ai)) return fail('duplicate_ai', `${label(p.entry)} appears more than once`);
    seen.add(p.entry.ai);
  }
  for (const p of [...elements.slice(pathCount)].sort((a, b) => (a.entry.ai < b.entry.ai ? -1 : 1))) {
    if (!p.entry.attribute) {
      return fail('not_data_attribute', `${label(p.entry)} is not a valid data attribute: it belongs in the path`);
    }
    for (let j = 1; j <= pathCount; j++) {
      const trial = [...pathAis.slice(0, j), p.entry.ai, ...pathAis.slice(j)].join(' ');
      if (PATH_SEQUENCES.has(trial)) {
        return fail('qualifier_in_query', `${label(p.entry)} is a key qualifier here: put it in the path, /${p.entry.ai}/{value}, after /${pathAis[j - 1]}/`);
      }
    }
  }

  for (const p of elements) {
    const bad = checkContent(p.entry, p.value);
    if (bad) return fail('invalid_value', `${label(p.entry)}: ${bad}`);
  }
  const present = elements.map((p) => p.entry.ai);
  for (const p of elements) {
    for (const pattern of p.entry.ex ?? []) {
      const clash = present.find((ai) => ai !== p.entry.ai && matchesPattern(pattern, ai));
      if (clash) return fail('exclusive_ais', `${label(p.entry)} cannot be used together with AI (${clash})`);
    }
  }
  for (const p of elements) {
    for (const rule of p.entry.req ?? []) {
      const satisfied = rule.some((alt) => alt.split('+').every((pattern) => present.some((ai) => matchesPattern(pattern, ai))));
      if (!satisfied) return fail('missing_requisite', `${label(p.entry)} requires one of AI ${rule.join(', ')}`);
    }
  }

  return { ok: true, link: buildLink(scheme, host, stem, elements, pathCount, otherParams) };
}

function checkLength(e: AiEntry, value: string): Failure | null {
  if (value.length < minLength(e)) return fail('invalid_value', `${label(e)}: the value is too short (at least ${minLength(e)} characters)`);
  if (value.length > maxLength(e)) return fail('invalid_value', `${label(e)}: the value is too long (at most ${maxLength(e)} characters)`);
  if (value.includes('^')) return fail('invalid_value', `${label(e)}: the value contains "^"`);
  return null;
}

const FIELD_OF: Record<string, keyof DigitalLink> = { '01': 'gtin', '22': 'cpv', '10': 'lot', '21': 'serial', '235': 'tpx', '414': 'gln', '254': 'glnExtension' };

function buildLink(
  scheme: 'http' | 'https',
  host: string,
  stem: string,
  parsed: Parsed[],
  pathCount: number,
  otherParams: { name: string; value: string | null }[],
): DigitalLink {
  const elements: DigitalLinkElement[] = parsed.map((p) => ({ ai: p.entry.ai, value: p.value, title: p.entry.title, in: p.in }));
  let elementString = '';
  let fnc1String = '';
  let fnc1 = true;
  for (const p of parsed) {
    elementString += `(${p.entry.ai})${p.value.replace(/\(/g, '\\(')}`;
    fnc1String += `${fnc1 ? '^' : ''}${p.entry.ai}${p.value}`;
    fnc1 = !p.entry.fixed;
  }
  const path = parsed.slice(0, pathCount).map((p) => `/${p.entry.ai}/${escape(p.value, false)}`).join('');
  const attributes = parsed.slice(pathCount);
  const ordered = [...attributes.filter((p) => p.entry.fixed), ...attributes.filter((p) => !p.entry.fixed)];
  const queryString = ordered.map((p) => `${p.entry.ai}=${escape(p.value, true)}`).join('&');
  const link: DigitalLink = {
    scheme,
    host,
    stem,
    key: { ai: parsed[0]!.entry.ai as '01' | '414', value: parsed[0]!.value },
    qualifiers: elements.slice(1, pathCount),
    attributes: elements.slice(pathCount),
    elements,
    otherParams,
    elementString,
    fnc1String,
    canonicalUri: `${CANONICAL_DIGITAL_LINK_STEM}${path}${queryString ? `?${queryString}` : ''}`,
  };
  for (const el of elements.slice(0, pathCount)) {
    const field = FIELD_OF[el.ai];
    if (field) (link as unknown as Record<string, string>)[field] = el.value;
  }
  return link;
}
