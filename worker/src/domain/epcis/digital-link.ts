/**
 * GS1 identifiers in EPCIS: EPC URIs (`urn:epc:id:…`), EPC class URIs (`urn:epc:class:lgtin:…`),
 * EPC pattern URIs (`urn:epc:idpat:…`) and GS1 Digital Link URIs, brought to one form: the
 * constrained canonical GS1 Digital Link URI the CBV 2.0 event hash ID uses (canonical domain
 * `https://id.gs1.org`, primary keys as numeric AIs, GTINs padded to 14 digits, no query string,
 * no CPV, only the most fine-grained level: a serial drops the lot).
 *
 * Follows GS1 EPC Tag Data Standard 2.x §6–7 (EPC URI bodies, the EPC → GS1 element string
 * mapping), GS1 Digital Link URI Syntax 1.2 §4.11 (canonical URIs, percent-encoding of
 * `! ( ) * + , :`) and the CBV 2.0 event hash ID's rules 17–18.
 */
import { gs1CheckDigit } from '../gs1.ts';

/** One character of a GS1 AI-encodable string in an EPC URI: a %-escape or an allowed symbol. */
const CH = "(?:%[0-9A-Fa-f]{2}|[!'()*+,\\-.0-9:;=A-Z_a-z])";
const chars = (max: number): string => `(${CH}{1,${max}})`;

/** Characters GS1 Digital Link escapes that EPC URIs leave bare (Digital Link 1.2, table 7-1). */
function escapeForDigitalLink(s: string): string {
  return s.replace(/[!()*+,:]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

const withCheck = (digits: string): string => digits + String(gs1CheckDigit(digits));

/** GTIN-14 from an SGTIN-style company prefix and indicator + item reference (13 digits). */
function gtin14(companyPrefix: string, itemRef: string): string | undefined {
  if (companyPrefix.length + itemRef.length !== 13) return undefined;
  return withCheck(itemRef.slice(0, 1) + companyPrefix + itemRef.slice(1));
}

/** A 12-digit key body (GLN, GRAI, GDTI, SGCN, PGLN) from company prefix + reference, else undefined. */
function body12(companyPrefix: string, ref: string): string | undefined {
  return companyPrefix.length + ref.length === 12 ? companyPrefix + ref : undefined;
}

type Rule = readonly [RegExp, (...parts: string[]) => string | undefined];

const CP = '(\\d{6,12})';
const ID = 'https://id.gs1.org';

/** EPC URI / class / pattern schemes (TDS 2.x §6.3, §6.4, §8) and their Digital Link form. */
const EPC_RULES: readonly Rule[] = [
  [new RegExp(`^urn:epc:id:sgtin:${CP}\\.(\\d{1,7})\\.${chars(20)}$`), (cp, ir, s) => {
    const g = gtin14(cp!, ir!);
    return g && `${ID}/01/${g}/21/${escapeForDigitalLink(s!)}`;
  }],
  [new RegExp(`^urn:epc:id:sscc:${CP}\\.(\\d{5,11})$`), (cp, sr) =>
    cp!.length + sr!.length === 17 ? `${ID}/00/${withCheck(sr!.slice(0, 1) + cp + sr!.slice(1))}` : undefined],
  [new RegExp(`^urn:epc:id:sgln:${CP}\\.(\\d{0,6})\\.${chars(20)}$`), (cp, lr, ext) => {
    const b = body12(cp!, lr!);
    return b && `${ID}/414/${withCheck(b)}${ext === '0' ? '' : `/254/${escapeForDigitalLink(ext!)}`}`;
  }],
  [new RegExp(`^urn:epc:id:grai:${CP}\\.(\\d{0,6})\\.${chars(16)}$`), (cp, at, s) => {
    const b = body12(cp!, at!);
    return b && `${ID}/8003/${withCheck('0' + b)}${escapeForDigitalLink(s!)}`;
  }],
  [new RegExp(`^urn:epc:id:giai:${CP}\\.${chars(24)}$`), (cp, ref) =>
    cp!.length + ref!.replace(/%[0-9A-Fa-f]{2}/g, '_').length <= 30 ? `${ID}/8004/${cp}${escapeForDigitalLink(ref!)}` : undefined],
  [new RegExp(`^urn:epc:id:gsrn:${CP}\\.(\\d{5,11})$`), (cp, sr) =>
    cp!.length + sr!.length === 17 ? `${ID}/8018/${withCheck(cp! + sr)}` : undefined],
  [new RegExp(`^urn:epc:id:gsrnp:${CP}\\.(\\d{5,11})$`), (cp, sr) =>
    cp!.length + sr!.length === 17 ? `${ID}/8017/${withCheck(cp! + sr)}` : undefined],
  [new RegExp(`^urn:epc:id:gdti:${CP}\\.(\\d{0,6})\\.${chars(17)}$`), (cp, dt, s) => {
    const b = body12(cp!, dt!);
    return b && `${ID}/253/${withCheck(b)}${escapeForDigitalLink(s!)}`;
  }],
  [new RegExp(`^urn:epc:id:cpi:${CP}\\.((?:%2[3dfDF]|[0-9A-Z-]){1,24})\\.(\\d{1,12})$`), (cp, ref, s) =>
    `${ID}/8010/${escapeForDigitalLink(cp! + ref)}/8011/${s}`],
  [new RegExp(`^urn:epc:id:sgcn:${CP}\\.(\\d{0,6})\\.(\\d{1,12})$`), (cp, ct, s) => {
    const b = body12(cp!, ct!);
    return b && `${ID}/255/${withCheck(b)}${s}`;
  }],
  [new RegExp(`^urn:epc:id:ginc:${CP}\\.${chars(24)}$`), (cp, ref) => `${ID}/401/${cp}${escapeForDigitalLink(ref!)}`],
  [new RegExp(`^urn:epc:id:gsin:${CP}\\.(\\d{4,10})$`), (cp, sr) =>
    cp!.length + sr!.length === 16 ? `${ID}/402/${withCheck(cp! + sr)}` : undefined],
  [new RegExp(`^urn:epc:id:itip:${CP}\\.(\\d{1,7})\\.(\\d{2})\\.(\\d{2})\\.${chars(20)}$`), (cp, ir, piece, total, s) => {
    const g = gtin14(cp!, ir!);
    return g && `${ID}/8006/${g}${piece}${total}/21/${escapeForDigitalLink(s!)}`;
  }],
  [new RegExp(`^urn:epc:id:upui:${CP}\\.(\\d{1,7})\\.${chars(28)}$`), (cp, ir, tpx) => {
    const g = gtin14(cp!, ir!);
    return g && `${ID}/01/${g}/235/${escapeForDigitalLink(tpx!)}`;
  }],
  [new RegExp(`^urn:epc:id:pgln:${CP}\\.(\\d{0,6})$`), (cp, pr) => {
    const b = body12(cp!, pr!);
    return b && `${ID}/417/${withCheck(b)}`;
  }],
  [new RegExp(`^urn:epc:class:lgtin:${CP}\\.(\\d{1,7})\\.${chars(20)}$`), (cp, ir, lot) => {
    const g = gtin14(cp!, ir!);
    return g && `${ID}/01/${g}/10/${escapeForDigitalLink(lot!)}`;
  }],
  [new RegExp(`^urn:epc:idpat:sgtin:${CP}\\.(\\d{1,7})\\.\\*$`), (cp, ir) => {
    const g = gtin14(cp!, ir!);
    return g && `${ID}/01/${g}`;
  }],
  [new RegExp(`^urn:epc:idpat:grai:${CP}\\.(\\d{0,6})\\.\\*$`), (cp, at) => {
    const b = body12(cp!, at!);
    return b && `${ID}/8003/${withCheck('0' + b)}`;
  }],
  [new RegExp(`^urn:epc:idpat:gdti:${CP}\\.(\\d{0,6})\\.\\*$`), (cp, dt) => {
    const b = body12(cp!, dt!);
    return b && `${ID}/253/${withCheck(b)}`;
  }],
  [new RegExp(`^urn:epc:idpat:sgcn:${CP}\\.(\\d{0,6})\\.\\*$`), (cp, ct) => {
    const b = body12(cp!, ct!);
    return b && `${ID}/255/${withCheck(b)}`;
  }],
  [new RegExp(`^urn:epc:idpat:cpi:${CP}\\.((?:%2[3dfDF]|[0-9A-Z-]){1,24})\\.\\*$`), (cp, ref) =>
    `${ID}/8010/${escapeForDigitalLink(cp! + ref)}`],
  [new RegExp(`^urn:epc:idpat:itip:${CP}\\.(\\d{1,7})\\.(\\d{2})\\.(\\d{2})\\.\\*$`), (cp, ir, piece, total) => {
    const g = gtin14(cp!, ir!);
    return g && `${ID}/8006/${g}${piece}${total}`;
  }],
  [new RegExp(`^urn:epc:idpat:upui:${CP}\\.(\\d{1,7})\\.\\*$`), (cp, ir) => {
    const g = gtin14(cp!, ir!);
    return g && `${ID}/01/${g}`;
  }],
];

/** Digital Link short names (Digital Link 1.2 §4.3, deprecated but still read) → numeric AIs. */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  gtin: '01', itip: '8006', cpid: '8010', gln: '414', party: '417', gsrnp: '8017', gsrn: '8018',
  gcn: '255', sscc: '00', gdti: '253', ginc: '401', gsin: '402', grai: '8003', giai: '8004',
  cpv: '22', lot: '10', ser: '21',
};
const PRIMARY_KEYS = new Set(['01', '8006', '8010', '414', '417', '8017', '8018', '255', '00', '253', '401', '402', '8003', '8004']);

/** A value of an AI in a canonical URI: the characters the hash ID keeps unescaped. */
const V = (max: number): string => `[\\x22\\x27\\x2D\\x2E\\x30-\\x39\\x3B-\\x3F\\x41-\\x5A\\x5F\\x61-\\x7A]{0,${max}}`;

/** The constrained canonical forms the hash ID accepts (one key, at most its finest qualifier). */
const CANONICAL = new RegExp(
  '^https://id\\.gs1\\.org/(?:' +
    [
      '00/\\d{18}',
      `01/\\d{14}(?:/21/${V(20)}|/10/${V(20)}|/235/${V(28)})?`,
      `253/\\d{13}${V(17)}`,
      '255/\\d{13}\\d{0,12}',
      `401/${V(30)}`,
      '402/\\d{17}',
      `414/\\d{13}(?:/254/${V(20)})?`,
      '417/\\d{13}',
      `8003/\\d{14}${V(16)}`,
      `8004/${V(30)}`,
      `8006/\\d{18}(?:/21/${V(20)}|/10/${V(20)})?`,
      '8010/[\\x23\\x2D\\x2F\\x30-\\x39\\x41-\\x5A]{0,30}(?:/8011/\\d{0,12})?',
      '8017/\\d{18}',
      '8018/\\d{18}',
    ].join('|') +
    ')$',
);

const GTIN_PAD: Readonly<Record<number, string>> = { 8: '000000', 12: '00', 13: '0', 14: '' };

function normaliseDigitalLink(uri: string): string | undefined {
  const m = /^https?:\/\/[^/?#]+(\/[^?#]*)(?:\?[^#]*)?(?:#.*)?$/.exec(uri);
  if (!m) return undefined;
  const segments = m[1]!.split('/').slice(1);
  if (segments.at(-1) === '') segments.pop();
  const start = segments.findIndex(
    (s, i) => PRIMARY_KEYS.has(SHORT_NAMES[s] ?? s) && /^\d{4}/.test(segments[i + 1] ?? ''),
  );
  if (start < 0 || (segments.length - start) % 2 !== 0) return undefined;
  const pairs: [string, string][] = [];
  for (let i = start; i < segments.length; i += 2) pairs.push([SHORT_NAMES[segments[i]!] ?? segments[i]!, segments[i + 1]!]);
  const [key, value] = pairs[0]!;
  if (key === '01') {
    const pad = GTIN_PAD[value.length];
    if (pad === undefined) return undefined;
    pairs[0] = [key, pad + value];
  }
  let qualifiers = pairs.slice(1).filter(([ai]) => ai !== '22');
  if ((key === '01' || key === '8006') && qualifiers.some(([ai]) => ai === '21')) {
    qualifiers = qualifiers.filter(([ai]) => ai !== '10');
  }
  const out = `${ID}/` + [pairs[0]!, ...qualifiers].map(([ai, v]) => `${ai}/${v}`).join('/');
  return CANONICAL.test(out) ? out : undefined;
}

/**
 * The constrained canonical GS1 Digital Link URI of an EPC URI, EPC class URI, EPC pattern URI
 * or GS1 Digital Link URI; `undefined` for anything else (other URIs, malformed EPCs, Digital
 * Link URIs outside the constrained forms — e.g. with %-escapes or data attributes).
 *
 * @param value a URI as it appears in an EPCIS event (epc, epcClass, parentID, readPoint…)
 * @returns `https://id.gs1.org/{AI}/{key}[/{qualifier AI}/{value}]`, or `undefined`
 * @example normaliseGs1Uri('urn:epc:id:sgtin:0614141.107346.2017') // 'https://id.gs1.org/01/10614141073464/21/2017'
 * @example normaliseGs1Uri('https://example.com/gtin/09780345418913/21/765tz?abc=1') // 'https://id.gs1.org/01/09780345418913/21/765tz'
 */
export function normaliseGs1Uri(value: string): string | undefined {
  if (value.startsWith('urn:epc:')) {
    for (const [re, build] of EPC_RULES) {
      const m = re.exec(value);
      if (m) return build(...m.slice(1));
    }
    return undefined;
  }
  if (value.startsWith('http://') || value.startsWith('https://')) return normaliseDigitalLink(value);
  return undefined;
}
