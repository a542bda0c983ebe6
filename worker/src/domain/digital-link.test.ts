import { describe, expect, it } from 'vitest';
import {
  DIGITAL_LINK_AIS,
  DIGITAL_LINK_MAX_LENGTH,
  parseDigitalLink,
  type DigitalLinkErrorCode,
  type DigitalLinkResult,
} from './digital-link.ts';
import vectorFile from './digital-link.vectors.json' with { type: 'json' };

interface Vector {
  source: string;
  uri: string;
  note?: string;
  valid: boolean;
  elementString?: string;
  fnc1String?: string;
  canonicalUri?: string;
  referenceError?: string;
}

const vectors = vectorFile.vectors as Vector[];
const ACCEPTED = new Set(DIGITAL_LINK_AIS.map((a) => a.ai));

/** AIs of a bracketed element string; "\(" inside a value is not an AI. */
const aisOf = (elementString: string) => [...elementString.matchAll(/(?<!\\)\((\d{2,4})\)/g)].map((m) => m[1]!);

/** In scope: the reference refuses it, or accepts it using only AIs this parser accepts. */
const inScope = (v: Vector) => !v.valid || aisOf(v.elementString!).every((ai) => ACCEPTED.has(ai));

const describeVector = (v: Vector) => `${v.source} ${v.uri.length > 100 ? `${v.uri.slice(0, 100)}…` : v.uri}${v.note ? ` (${v.note})` : ''}`;

describe('GS1 Digital Link vectors, compared with the GS1 Barcode Syntax Engine', () => {
  it.each(vectors.filter(inScope).map((v) => [describeVector(v), v] as const))('%s', (_name, v) => {
    const result = parseDigitalLink(v.uri, { pathPrefix: null });
    if (!v.valid) {
      expect(result.ok, JSON.stringify(result)).toBe(false);
      return;
    }
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    expect(result.link.elementString).toBe(v.elementString);
    expect(result.link.canonicalUri).toBe(v.canonicalUri);
    if (v.fnc1String) expect(result.link.fnc1String).toBe(v.fnc1String);
  });

  it.each(vectors.filter((v) => !inScope(v)).map((v) => [describeVector(v), v] as const))(
    'refuses as unsupported (an AI outside this parser): %s',
    (_name, v) => {
      const result = parseDigitalLink(v.uri, { pathPrefix: null });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(['no_primary_key', 'bad_path', 'unknown_ai']).toContain(result.error.code);
    },
  );

  it('counts: every in-scope vector agrees with the reference', () => {
    const inside = vectors.filter(inScope);
    const agree = inside.filter((v) => {
      const r = parseDigitalLink(v.uri, { pathPrefix: null });
      return r.ok === v.valid && (!r.ok || (r.link.elementString === v.elementString && r.link.canonicalUri === v.canonicalUri));
    });
    expect({ total: vectors.length, inScope: inside.length, agree: agree.length, outOfScope: vectors.length - inside.length }).toEqual({
      total: 222,
      inScope: 202,
      agree: 202,
      outOfScope: 20,
    });
  });
});

const GTIN = '09520123456788';
const BASE = 'https://tx.example.vn';

function failure(result: DigitalLinkResult): { code: DigitalLinkErrorCode; message: string } {
  if (result.ok) throw new Error(`expected a failure, got ${result.link.canonicalUri}`);
  return result.error;
}

describe('parseDigitalLink: bad input names what is wrong (default: no path before the key)', () => {
  it.each<[string, string, DigitalLinkErrorCode, RegExp]>([
    ['13-digit GTIN', `/01/9520123456788`, 'invalid_value', /AI \(01\) GTIN: the value is too short \(at least 14/],
    ['wrong check digit', `/01/09520123456789`, 'invalid_value', /AI \(01\) GTIN: the check digit is wrong/],
    ['qualifiers out of order', `/01/${GTIN}/21/S1/10/L1`, 'bad_key_qualifier_sequence', /01, 21, 10 .*22, 10, 21 or 235/],
    ['a key after its qualifier', `/21/S1/01/${GTIN}`, 'bad_path', /must start with \/01\/.*"\/21\/S1".*cannot come before its primary key/],
    ['a raw / splitting a serial', `/01/${GTIN}/21/AB/CD`, 'bad_path', /a "\/" inside a value must be written %2F/],
    ['two raw / in a serial', `/01/${GTIN}/21/AB/CD/EF`, 'bad_path', /"CD" in the path is not an AI this resolver accepts/],
    ['a trailing slash', `/01/${GTIN}/`, 'bad_path', /must not end with "\/"/],
    ['an empty segment', `/01/${GTIN}/10//21/X`, 'empty_value', /AI \(10\) BATCH\/LOT has an empty value in the path/],
    ['an empty value at the end', `/01/${GTIN}/10/`, 'empty_value', /AI \(10\) BATCH\/LOT has an empty value/],
    ['a lot in the query', `/01/${GTIN}?10=L1`, 'qualifier_in_query', /AI \(10\) BATCH\/LOT is a key qualifier here: put it in the path/],
    ['a serial in the query', `/01/${GTIN}?21=S1`, 'not_data_attribute', /AI \(21\) SERIAL is not a valid data attribute/],
    ['duplicate query keys', `/01/${GTIN}?17=261231&17=261231`, 'duplicate_ai', /AI \(17\) USE BY or EXPIRY appears more than once/],
    ['a serial of 21 characters', `/01/${GTIN}/21/${'A'.repeat(21)}`, 'invalid_value', /AI \(21\) SERIAL: the value is too long \(at most 20/],
    ['a serial outside CSET 82', `/01/${GTIN}/21/A%7EB`, 'invalid_value', /CSET 82/],
    ['percent-encoded UTF-8', `/01/${GTIN}/21/%C3%A8`, 'invalid_value', /CSET 82/],
    ['raw non-ASCII', `/01/${GTIN}/21/Chè`, 'illegal_character', /U\+00E8/],
    ['a space', `/01/${GTIN}/21/A B`, 'illegal_character', /U\+0020/],
    ['an encoded NUL', `/01/${GTIN}/21/A%00`, 'null_character', /NUL/],
    ['an impossible date', `/01/${GTIN}?17=260230`, 'invalid_value', /illegal day of the month/],
    ['an unknown numeric parameter', `/01/${GTIN}?1234=X`, 'unknown_ai', /query parameter 1234/],
    ['expiry without a GTIN', `/414/9520123456788?17=261231`, 'missing_requisite', /AI \(17\) USE BY or EXPIRY requires one of AI 01, 02/],
    ['two net weights', `/01/${GTIN}?3103=000195&3102=000100`, 'exclusive_ais', /AI \(3103\).*AI \(3102\)/],
    ['no key', `/s/1000000001C6350RCAW`, 'no_primary_key', /GTIN \(\/01\/\{14 digits\}\) or GLN/],
    ['an unsupported key', `/00/006141411234567890`, 'no_primary_key', /no primary key/],
  ])('%s → %s', (_name, path, code, message) => {
    const error = failure(parseDigitalLink(`${BASE}${path}`));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it.each<[string, string, DigitalLinkErrorCode]>([
    ['no scheme', 'tx.example.vn/01/09520123456788', 'bad_scheme'],
    ['mixed-case scheme', 'Https://tx.example.vn/01/09520123456788', 'bad_scheme'],
    ['ftp', 'ftp://tx.example.vn/01/09520123456788', 'bad_scheme'],
    ['user info', 'https://u@tx.example.vn/01/09520123456788', 'bad_domain'],
    ['no path', 'https://tx.example.vn', 'bad_domain'],
    ['over-long', `${BASE}/01/${GTIN}?x=${'A'.repeat(40_000)}`, 'too_long'],
    ['tens of parameters', `${BASE}/01/${GTIN}?${Array.from({ length: 70 }, (_, i) => `p${i}=1`).join('&')}`, 'too_many_elements'],
  ])('%s → %s', (_name, uri, code) => {
    expect(failure(parseDigitalLink(uri)).code).toBe(code);
  });

  it('never throws, whatever the string', () => {
    const samples = ['', '%', '/', '?', '#', 'https://', 'https:///01/', `${BASE}/01`, `${BASE}/01/`, `${BASE}/%`, `${BASE}/01/${GTIN}?&&=&`, '\u0000', '\ud800'];
    for (const s of samples) expect(parseDigitalLink(s).ok).toBe(false);
    expect(parseDigitalLink(42 as unknown as string).ok).toBe(false);
  });

  it(`accepts exactly ${DIGITAL_LINK_MAX_LENGTH} characters and refuses one more`, () => {
    const head = `${BASE}/01/${GTIN}?x=`;
    expect(parseDigitalLink(head + 'A'.repeat(DIGITAL_LINK_MAX_LENGTH - head.length)).ok).toBe(true);
    expect(parseDigitalLink(head + 'A'.repeat(DIGITAL_LINK_MAX_LENGTH - head.length + 1)).ok).toBe(false);
  });
});

describe('parseDigitalLink: a valid URI, taken apart', () => {
  it('a printed Digital Link stamp (upper case, serial = the stamp code)', () => {
    const result = parseDigitalLink('HTTPS://TRUYXUAT.QUANGNINH.GOV.VN/01/08934588063053/21/1000000001C6350RCAW');
    expect(result).toEqual({
      ok: true,
      link: {
        scheme: 'https',
        host: 'TRUYXUAT.QUANGNINH.GOV.VN',
        stem: '',
        key: { ai: '01', value: '08934588063053' },
        gtin: '08934588063053',
        serial: '1000000001C6350RCAW',
        qualifiers: [{ ai: '21', value: '1000000001C6350RCAW', title: 'SERIAL', in: 'path' }],
        attributes: [],
        elements: [
          { ai: '01', value: '08934588063053', title: 'GTIN', in: 'path' },
          { ai: '21', value: '1000000001C6350RCAW', title: 'SERIAL', in: 'path' },
        ],
        otherParams: [],
        elementString: '(01)08934588063053(21)1000000001C6350RCAW',
        fnc1String: '^010893458806305321' + '1000000001C6350RCAW',
        canonicalUri: 'https://id.gs1.org/01/08934588063053/21/1000000001C6350RCAW',
      },
    });
  });

  it('%2F inside a serial is one segment, decoded; escapes come back upper case', () => {
    const result = parseDigitalLink(`${BASE}/01/${GTIN}/10/L%2f1/21/AB%2FCD`);
    expect(result.ok && [result.link.lot, result.link.serial, result.link.canonicalUri]).toEqual([
      'L/1',
      'AB/CD',
      `https://id.gs1.org/01/${GTIN}/10/L%2F1/21/AB%2FCD`,
    ]);
  });

  it('all qualifiers, attributes in canonical order, other parameters kept for the resolver', () => {
    const result = parseDigitalLink(`${BASE}/01/${GTIN}/22/V1/10/LOT1/21/S1?99=X&linkType=gs1%3Apip&17=261231&3103=000195&lang`);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.link).toMatchObject({
      gtin: GTIN,
      cpv: 'V1',
      lot: 'LOT1',
      serial: 'S1',
      attributes: [
        { ai: '99', value: 'X', title: 'INTERNAL', in: 'query' },
        { ai: '17', value: '261231', title: 'USE BY or EXPIRY', in: 'query' },
        { ai: '3103', value: '000195', title: 'NET WEIGHT (kg)', in: 'query' },
      ],
      otherParams: [
        { name: 'linkType', value: 'gs1:pip' },
        { name: 'lang', value: null },
      ],
      elementString: `(01)${GTIN}(22)V1(10)LOT1(21)S1(99)X(17)261231(3103)000195`,
      fnc1String: `^01${GTIN}22V1^10LOT1^21S1^99X^172612313103000195`,
      canonicalUri: `https://id.gs1.org/01/${GTIN}/22/V1/10/LOT1/21/S1?17=261231&3103=000195&99=X`,
    });
  });

  it('a GLN with its extension', () => {
    const result = parseDigitalLink(`${BASE}/414/8934588000010/254/KHO-1`);
    expect(result.ok && [result.link.key, result.link.gln, result.link.glnExtension, result.link.canonicalUri]).toEqual([
      { ai: '414', value: '8934588000010' },
      '8934588000010',
      'KHO-1',
      'https://id.gs1.org/414/8934588000010/254/KHO-1',
    ]);
  });

  it.each([
    ['', `${BASE}/01/${GTIN}`, true],
    ['', `${BASE}/gs1/01/${GTIN}`, false],
    ['/gs1', `${BASE}/gs1/01/${GTIN}`, true],
    ['/gs1', `${BASE}/01/${GTIN}`, false],
    [null, `${BASE}/any/path/01/${GTIN}`, true],
  ])('pathPrefix %j: %s → %s', (pathPrefix, uri, ok) => {
    const result = parseDigitalLink(uri, { pathPrefix });
    expect(result.ok).toBe(ok);
    if (result.ok) expect(result.link.canonicalUri).toBe(`https://id.gs1.org/01/${GTIN}`);
  });

  it('lists the AIs it accepts, each once', () => {
    const ais = DIGITAL_LINK_AIS.map((a) => a.ai);
    expect(new Set(ais).size).toBe(ais.length);
    expect(ais).toEqual(expect.arrayContaining(['01', '10', '11', '17', '21', '22', '235', '254', '3103', '3922', '414', '7007', '99']));
    expect(DIGITAL_LINK_AIS.filter((a) => !a.attribute).map((a) => a.ai).sort()).toEqual(['21', '22', '235', '254']);
  });
});
