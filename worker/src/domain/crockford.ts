/**
 * Crockford base32 (https://www.crockford.com/base32.html) for fixed-width, unsigned
 * integers: no check symbol, no hyphens, no padding. Canonical spelling is upper case.
 * Reading folds case and maps the confusables O→0 and I/L→1; U and anything non-ASCII
 * are rejected.
 */

/** The 32 symbols in value order (no I, L, O, U). */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** ASCII code → symbol value (0..31), or -1. Only ASCII is ever looked up. */
const DECODE: readonly number[] = (() => {
  const table = new Array<number>(128).fill(-1);
  for (let v = 0; v < 32; v++) {
    const ch = CROCKFORD_ALPHABET.charCodeAt(v);
    table[ch] = v;
    table[String.fromCharCode(ch).toLowerCase().charCodeAt(0)] = v;
  }
  for (const [ch, v] of [['O', 0], ['o', 0], ['I', 1], ['i', 1], ['L', 1], ['l', 1]] as const) {
    table[ch.charCodeAt(0)] = v;
  }
  return table;
})();

/** Largest symbol count whose value still fits a JS safe integer (10 × 5 = 50 bits). */
const MAX_NUMBER_SYMBOLS = 10;

/**
 * Encodes a non-negative integer as exactly `length` upper-case Crockford symbols,
 * most significant first, left-padded with `0`.
 *
 * @param value integer, 0 ≤ value < 32^length (and a safe integer)
 * @param length symbol count, 1..10 (up to 50 bits)
 * @throws RangeError when the value is not an integer or does not fit, or length is out of range
 * @example encodeCrockford(31, 2) // "0Z"
 */
export function encodeCrockford(value: number, length: number): string {
  if (!Number.isInteger(length) || length < 1 || length > MAX_NUMBER_SYMBOLS) {
    throw new RangeError(`Crockford length must be 1..${MAX_NUMBER_SYMBOLS}, got ${length}`);
  }
  if (!Number.isSafeInteger(value) || value < 0 || value >= 32 ** length) {
    throw new RangeError(`value ${value} does not fit in ${length} Crockford symbols`);
  }
  let out = '';
  let rest = value;
  for (let i = 0; i < length; i++) {
    out = CROCKFORD_ALPHABET.charAt(rest % 32) + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

/**
 * Decodes Crockford symbols (canonical or not: case and O/I/L are folded) to an integer.
 *
 * @param text 1..10 symbols (up to 50 bits), nothing else
 * @throws RangeError on any symbol outside the alphabet or a length out of range
 * @example decodeCrockford('0z') // 31
 */
export function decodeCrockford(text: string): number {
  if (text.length < 1 || text.length > MAX_NUMBER_SYMBOLS) {
    throw new RangeError(`Crockford length must be 1..${MAX_NUMBER_SYMBOLS}, got ${text.length}`);
  }
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? (DECODE[c] ?? -1) : -1;
    if (v < 0) throw new RangeError(`not a Crockford base32 symbol at ${i}`);
    value = value * 32 + v;
  }
  return value;
}

/**
 * Reads user input as exactly `length` Crockford symbols and returns the canonical
 * spelling: trims surrounding whitespace, folds case, maps O→0 and I/L→1. Anything else
 * (U, hyphens, inner spaces, punctuation, any non-ASCII character such as Cyrillic or
 * fullwidth look-alikes, a wrong length) gives `null`. Never throws. Because only ASCII
 * is ever case-folded, Unicode case mappings (e.g. dotless ı → I) cannot sneak in.
 *
 * @param input untrusted text of any length
 * @param length required symbol count
 * @returns canonical upper-case symbols, or null
 * @example normalizeCrockford(' 0o1il ', 5) // "00111"
 */
export function normalizeCrockford(input: string, length: number): string | null {
  if (typeof input !== 'string') return null;
  const text = input.trim();
  if (text.length !== length) return null;
  let out = '';
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? (DECODE[c] ?? -1) : -1;
    if (v < 0) return null;
    out += CROCKFORD_ALPHABET.charAt(v);
  }
  return out;
}
