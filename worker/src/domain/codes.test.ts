import { beforeAll, describe, expect, it } from 'vitest';
import { CROCKFORD_ALPHABET } from './crockford.ts';
import {
  CODE_LENGTH,
  SERIAL_MAX,
  derivePin,
  generateKeyringConfig,
  normalizeCode,
  parseKeyring,
  signCode,
  signCodes,
  stampUrl,
  verifyCode,
  verifyPin,
  type Keyring,
} from './codes.ts';

/** Fixed secrets for known-answer tests: base64url of 32 bytes 0x00..0x1f and 0x20..0x3f. */
const FIXED_CONFIG = JSON.stringify({
  active: 1,
  keys: {
    '1': {
      code: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8',
      pin: 'ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8',
    },
  },
});

/** Two configs merged: kid 1 and kid 2, with `active` chosen by the caller. */
function mergeConfigs(active: number, ...configs: string[]): string {
  const keys = Object.assign({}, ...configs.map((c) => JSON.parse(c).keys));
  return JSON.stringify({ active, keys });
}

function randomSerial(): number {
  return 1 + Math.floor(Math.random() * SERIAL_MAX);
}

function randomCodeLike(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(CODE_LENGTH));
  return [...bytes].map((b) => CROCKFORD_ALPHABET[b % 32]).join('');
}

let k1: Keyring;
let k2: Keyring;
let both1: Keyring; // kids 1 and 2, kid 1 active
let both2: Keyring; // kids 1 and 2, kid 2 active
let fixed: Keyring;

beforeAll(async () => {
  const c1 = generateKeyringConfig(1);
  const c2 = generateKeyringConfig(2);
  k1 = await parseKeyring(c1);
  k2 = await parseKeyring(c2);
  both1 = await parseKeyring(mergeConfigs(1, c1, c2));
  both2 = await parseKeyring(mergeConfigs(2, c1, c2));
  fixed = await parseKeyring(FIXED_CONFIG);
});

describe('parseKeyring', () => {
  const good = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8';
  const other = 'ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8';
  const short = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg'; // 31 bytes
  it.each([
    ['not JSON', '{active:1', /not valid JSON/],
    ['an array', '[]', /JSON object/],
    ['missing active', JSON.stringify({ keys: { '1': { code: good, pin: other } } }), /active/],
    ['active out of range', JSON.stringify({ active: 32, keys: {} }), /active/],
    ['active not listed', JSON.stringify({ active: 2, keys: { '1': { code: good, pin: other } } }), /kid 2 is not in keys/],
    ['no keys', JSON.stringify({ active: 1 }), /keys must be/],
    ['bad kid name', JSON.stringify({ active: 1, keys: { '01': { code: good, pin: other } } }), /not a kid/],
    ['kid 32', JSON.stringify({ active: 1, keys: { '32': { code: good, pin: other } } }), /not a kid/],
    ['short code secret', JSON.stringify({ active: 1, keys: { '1': { code: short, pin: other } } }), /31 bytes/],
    ['short pin secret', JSON.stringify({ active: 1, keys: { '1': { code: good, pin: short } } }), /pin is 31 bytes/],
    ['non-base64url secret', JSON.stringify({ active: 1, keys: { '1': { code: `${good}+/`, pin: other } } }), /base64url/],
    ['missing pin', JSON.stringify({ active: 1, keys: { '1': { code: good } } }), /pin must be/],
    ['same secrets', JSON.stringify({ active: 1, keys: { '1': { code: good, pin: good } } }), /must differ/],
  ])('rejects %s', async (_name, config, message) => {
    await expect(parseKeyring(config)).rejects.toThrow(message);
  });

  it('caches by config string and retries after a failure', async () => {
    const config = generateKeyringConfig(7);
    expect(await parseKeyring(config)).toBe(await parseKeyring(config));
    await expect(parseKeyring('nope')).rejects.toThrow();
    await expect(parseKeyring('nope')).rejects.toThrow();
  });

  it.each([0, 1, 31])('generateKeyringConfig(%d) parses with that kid active', async (kid) => {
    const keyring = await parseKeyring(generateKeyringConfig(kid));
    expect(keyring.active).toBe(kid);
    expect([...keyring.keys.keys()]).toEqual([kid]);
  });

  it.each([-1, 32, 1.5])('generateKeyringConfig(%d) throws RangeError', (kid) => {
    expect(() => generateKeyringConfig(kid)).toThrow(RangeError);
  });
});

describe('signCode / verifyCode round trip', () => {
  it.each([1, 2, 31, 32, 1000, 90_000, 2 ** 32, SERIAL_MAX, randomSerial(), randomSerial(), randomSerial()])(
    'serial %d',
    async (serial) => {
      const code = await signCode(k1, serial);
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{18}$/);
      expect(code[0]).toBe('1');
      expect(await verifyCode(k1, code)).toEqual({ ok: true, code, serial, kid: 1 });
    },
  );

  it('known answer with fixed secrets (format must never change)', async () => {
    const code = await signCode(fixed, 1);
    expect(code.slice(0, 9)).toBe('100000001');
    expect(code).toBe(KNOWN_CODE_SERIAL_1);
    expect(await derivePin(fixed, 1, 1)).toBe(KNOWN_PIN_SERIAL_1);
  });

  it('matches an independent BigInt reference of the layout', async () => {
    const serial = 123_456_789_012;
    const code = await signCode(fixed, serial);
    const secret = Uint8Array.from({ length: 32 }, (_, i) => i);
    const key = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const message = new Uint8Array([...new TextEncoder().encode('truyxuat/stamp/v1'), 1, 0x1c, 0xbe, 0x99, 0x1a, 0x14]);
    expect(BigInt(`0x${'1cbe991a14'}`)).toBe(BigInt(serial));
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, message));
    const tag = BigInt(`0x${[...mac.slice(0, 6)].map((b) => b.toString(16).padStart(2, '0')).join('')}`) >> 3n;
    let value = (1n << 85n) | (BigInt(serial) << 45n) | tag;
    let expected = '';
    for (let i = 0; i < 18; i++) {
      expected = CROCKFORD_ALPHABET[Number(value & 31n)] + expected;
      value >>= 5n;
    }
    expect(code).toBe(expected);
  });

  it.each([0, -1, 1.5, SERIAL_MAX + 1, Number.NaN, Number.POSITIVE_INFINITY])(
    'signCode rejects serial %d with RangeError',
    async (serial) => {
      await expect(signCode(k1, serial)).rejects.toThrow(RangeError);
    },
  );

  it('different keys give different codes for the same serial', async () => {
    const c1 = await signCode(k1, 77);
    const c2 = await signCode(k2, 77);
    expect(c1.slice(1)).not.toBe(c2.slice(1));
    expect(c1.slice(9)).not.toBe(c2.slice(9));
    expect((await verifyCode(k1, c2)).ok).toBe(false);
  });
});

describe('accepted spellings map to one canonical code', () => {
  let code: string;
  beforeAll(async () => {
    // Find a code containing both 0 and 1 so the O and I/L variants are exercised.
    for (let serial = 33; ; serial++) {
      code = await signCode(k1, serial);
      if (code.includes('0') && code.includes('1')) break;
    }
  });
  const variants: [string, (c: string) => string][] = [
    ['lower case', (c) => c.toLowerCase()],
    ['mixed case', (c) => [...c].map((ch, i) => (i % 2 ? ch.toLowerCase() : ch)).join('')],
    ['O for 0', (c) => c.replace(/0/g, 'O')],
    ['o for 0', (c) => c.replace(/0/g, 'o')],
    ['I for 1', (c) => c.replace(/1/g, 'I')],
    ['i for 1', (c) => c.replace(/1/g, 'i')],
    ['L for 1', (c) => c.replace(/1/g, 'L')],
    ['l for 1', (c) => c.replace(/1/g, 'l')],
    ['surrounding spaces', (c) => `  ${c} `],
    ['surrounding tabs and newlines', (c) => `\t${c}\r\n`],
    ['everything at once', (c) => ` ${c.toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l')}\n`],
  ];
  it.each(variants)('%s', async (_name, spell) => {
    const input = spell(code);
    expect(normalizeCode(input)).toBe(code);
    const result = await verifyCode(k1, input);
    expect(result).toMatchObject({ ok: true, code, kid: 1 });
  });
});

describe('verifyCode rejects without throwing', () => {
  let code: string;
  beforeAll(async () => {
    code = await signCode(k1, 4242);
  });

  it.each(Array.from({ length: 18 }, (_, i) => i))('tampered symbol at position %d', async (pos) => {
    const ch = code[pos]!;
    const next = CROCKFORD_ALPHABET[(CROCKFORD_ALPHABET.indexOf(ch) + 1) % 32]!;
    const tampered = code.slice(0, pos) + next + code.slice(pos + 1);
    const result = await verifyCode(k1, tampered);
    expect(result.ok).toBe(false);
    // Changing the kid symbol lands on a kid that is not in the keyring.
    expect(result).toEqual({ ok: false, reason: pos === 0 ? 'unknown_key' : 'bad_tag' });
  });

  const fixedCases: [string, (c: string) => string][] = [
    ['empty', () => ''],
    ['only spaces', () => '     '],
    ['truncated by one', (c) => c.slice(0, 17)],
    ['over-long by one', (c) => `${c}0`],
    ['hyphenated', (c) => `${c.slice(0, 6)}-${c.slice(6, 12)}-${c.slice(12)}`],
    ['inner space', (c) => `${c.slice(0, 9)} ${c.slice(9)}`],
    ['U instead of V', (c) => `${c.slice(0, 17)}U`],
    ['punctuation', (c) => `${c.slice(0, 17)}*`],
    ['Cyrillic homoglyph А', (c) => `${c.slice(0, 17)}\u0410`],
    ['Cyrillic homoglyph о for 0', (c) => c.replace('0', '\u043e')],
    ['fullwidth digits', (c) => c.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)))],
    ['fullwidth letter', (c) => `${c.slice(0, 17)}\uff21`],
    ['dotless ı (upper-cases to I)', (c) => c.replace('1', '\u0131')],
    ['long s ſ (upper-cases to S)', (c) => `${c.slice(0, 17)}\u017f`],
    ['Kelvin sign', (c) => `${c.slice(0, 17)}\u212a`],
    ['Vietnamese diacritics', (c) => `${c.slice(0, 15)}Đặc`],
    ['zero-width space inside', (c) => `${c.slice(0, 9)}\u200b${c.slice(9, 17)}`],
    ['NUL byte', (c) => `${c.slice(0, 17)}\u0000`],
    ['emoji', (c) => `${c.slice(0, 16)}😀`],
    ['URL instead of code', (c) => `https://x.vn/S/${c}`],
    ['1 MB of symbols', () => 'A'.repeat(1 << 20)],
    ['1 MB of spaces around the code', (c) => ' '.repeat(1 << 19) + c + 'x' + ' '.repeat(1 << 19)],
  ];
  it.each(fixedCases)('%s → malformed', async (_name, make) => {
    const input = make(code);
    expect(normalizeCode(input)).toBeNull();
    await expect(verifyCode(k1, input)).resolves.toEqual({ ok: false, reason: 'malformed' });
  });

  it.each([null, undefined, 42, {}])('non-string input %j → malformed', async (input) => {
    await expect(verifyCode(k1, input as unknown as string)).resolves.toEqual({ ok: false, reason: 'malformed' });
  });

  it('serial 0 → malformed', async () => {
    await expect(verifyCode(k1, `1${'0'.repeat(8)}${code.slice(9)}`)).resolves.toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('unknown kid → unknown_key', async () => {
    const fromK2 = await signCode(k2, 4242);
    await expect(verifyCode(k1, fromK2)).resolves.toEqual({ ok: false, reason: 'unknown_key' });
  });

  it('essentially no random 18-symbol string verifies (45-bit tag)', async () => {
    let accepted = 0;
    for (let i = 0; i < 5000; i++) {
      // Force kid 1 so every try reaches the tag comparison.
      const candidate = `1${randomCodeLike().slice(1)}`;
      if ((await verifyCode(k1, candidate)).ok) accepted++;
    }
    expect(accepted).toBe(0);
  });
});

describe('keyrings with several keys', () => {
  it('only the active key signs; every listed key verifies', async () => {
    const a = await signCode(both1, 500);
    const b = await signCode(both2, 500);
    expect(a[0]).toBe('1');
    expect(b[0]).toBe('2');
    expect(a).toBe(await signCode(k1, 500));
    expect(b).toBe(await signCode(k2, 500));
    for (const keyring of [both1, both2]) {
      expect(await verifyCode(keyring, a)).toEqual({ ok: true, code: a, serial: 500, kid: 1 });
      expect(await verifyCode(keyring, b)).toEqual({ ok: true, code: b, serial: 500, kid: 2 });
    }
    expect(await verifyCode(k1, b)).toEqual({ ok: false, reason: 'unknown_key' });
    expect(await verifyCode(k2, a)).toEqual({ ok: false, reason: 'unknown_key' });
  });

  it('an explicit kid signs with that key (reprinting an old run after rotation)', async () => {
    expect(await signCode(both2, 500, 1)).toBe(await signCode(k1, 500));
    expect(await signCode(both1, 500, 2)).toBe(await signCode(k2, 500));
    const batch: string[] = [];
    for await (const { code } of signCodes(both2, 500, 2, 1)) batch.push(code);
    expect(batch).toEqual([await signCode(k1, 500), await signCode(k1, 501)]);
    await expect(signCode(both1, 500, 3)).rejects.toThrow(/kid 3 is not in the keyring/);
    expect(() => signCodes(both1, 500, 1, 3)).toThrow(/kid 3/);
  });
});

describe('signCodes', () => {
  it('yields consecutive serials with the same codes as signCode', async () => {
    const out: { serial: number; code: string }[] = [];
    for await (const item of signCodes(k1, 999, 1100)) out.push(item);
    expect(out).toHaveLength(1100);
    expect(out.map((o) => o.serial)).toEqual(Array.from({ length: 1100 }, (_, i) => 999 + i));
    for (const i of [0, 511, 512, 1099]) expect(out[i]!.code).toBe(await signCode(k1, out[i]!.serial));
    expect(new Set(out.map((o) => o.code)).size).toBe(1100);
  });

  it.each([
    [0, 1],
    [1, -1],
    [1, 1.5],
    [SERIAL_MAX, 2],
  ])('signCodes(%d, %d) throws RangeError eagerly', (first, count) => {
    expect(() => signCodes(k1, first, count)).toThrow(RangeError);
  });

  it('count 0 yields nothing; the last serial is allowed', async () => {
    const none: unknown[] = [];
    for await (const item of signCodes(k1, 1, 0)) none.push(item);
    expect(none).toEqual([]);
    const last: { serial: number; code: string }[] = [];
    for await (const item of signCodes(k1, SERIAL_MAX, 1)) last.push(item);
    expect(last).toEqual([{ serial: SERIAL_MAX, code: await signCode(k1, SERIAL_MAX) }]);
  });
});

describe('derivePin / verifyPin', () => {
  it('is 8 digits, deterministic, and differs across serials and keys', async () => {
    const pins = new Set<string>();
    // Fixed keys keep the distinctness check deterministic (random keys would collide ~1 run in 5,000).
    for (let serial = 1; serial <= 200; serial++) {
      const pin = await derivePin(fixed, 1, serial);
      expect(pin).toMatch(/^[0-9]{8}$/);
      expect(await derivePin(fixed, 1, serial)).toBe(pin);
      pins.add(pin);
    }
    expect(pins.size).toBe(200);
    expect(await derivePin(k2, 2, 5)).not.toBe(await derivePin(k1, 1, 5));
  });

  it('uses the key of the given kid, not the active one', async () => {
    expect(await derivePin(both2, 1, 9)).toBe(await derivePin(k1, 1, 9));
    expect(await derivePin(both1, 2, 9)).toBe(await derivePin(k2, 2, 9));
  });

  it.each([
    ['unknown kid', 3, 1, Error],
    ['serial 0', 1, 0, RangeError],
    ['serial too big', 1, SERIAL_MAX + 1, RangeError],
  ])('derivePin throws for %s', async (_name, kid, serial, type) => {
    await expect(derivePin(k1, kid, serial)).rejects.toThrow(type);
  });

  const pinVariants: [string, (p: string) => string, boolean][] = [
    ['exact', (p) => p, true],
    ['surrounding whitespace', (p) => ` \t${p}\n`, true],
    ['inner spaces', (p) => `${p.slice(0, 4)} ${p.slice(4)}`, true],
    ['hyphens', (p) => `${p.slice(0, 2)}-${p.slice(2, 5)}-${p.slice(5)}`, true],
    ['one digit wrong', (p) => p.slice(0, 7) + String((Number(p[7]) + 1) % 10), false],
    ['seven digits', (p) => p.slice(0, 7), false],
    ['nine digits', (p) => `${p}0`, false],
    ['letters', (p) => `${p.slice(0, 7)}O`, false],
    ['fullwidth digits', (p) => p.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d))), false],
    ['Arabic-Indic digits', (p) => p.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d))), false],
    ['other punctuation', (p) => `${p.slice(0, 4)}.${p.slice(4)}`, false],
    ['empty', () => '', false],
    ['1 MB', () => '1'.repeat(1 << 20), false],
  ];
  it.each(pinVariants)('verifyPin: %s → %s', async (_name, spell, ok) => {
    const pin = await derivePin(k1, 1, 31337);
    expect(await verifyPin(k1, 1, 31337, spell(pin))).toBe(ok);
  });

  it.each([
    ['unknown kid', 9, 31337],
    ['other serial', 1, 31338],
    ['serial 0', 1, 0],
    ['NaN serial', 1, Number.NaN],
  ])('verifyPin is false, not a throw, for %s', async (_name, kid, serial) => {
    const pin = await derivePin(k1, 1, 31337);
    expect(await verifyPin(k1, kid, serial, pin)).toBe(false);
  });
});

describe('stampUrl', () => {
  it.each([
    ['https://tx.example.vn', '1000000001ABCDEFGH', 'https://tx.example.vn/S/1000000001ABCDEFGH'],
    ['https://tx.example.vn/', '1000000001abcdefgh', 'https://tx.example.vn/S/1000000001ABCDEFGH'],
    ['https://tx.example.vn//', ' 1ooooooolIabcdefgh ', 'https://tx.example.vn/S/1000000011ABCDEFGH'],
    ['http://localhost:8787/app', '1000000001ABCDEFGH', 'http://localhost:8787/app/S/1000000001ABCDEFGH'],
  ])('%s + %s', (base, code, url) => {
    expect(stampUrl(base, code)).toBe(url);
  });

  it('throws RangeError for a malformed code', () => {
    expect(() => stampUrl('https://x.vn', 'U'.repeat(18))).toThrow(RangeError);
  });
});

/** Computed independently (Python hmac) from FIXED_CONFIG. */
const KNOWN_CODE_SERIAL_1 = '100000001C6350RCAW';
const KNOWN_PIN_SERIAL_1 = '69763965';
