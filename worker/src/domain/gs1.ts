/**
 * GS1 identification keys: the standard mod-10 check digit (GS1 General Specifications
 * §7.9.1) and validation of GTIN-8/12/13/14, GLN and SSCC.
 */

const DIGITS_RE = /^[0-9]+$/;

/**
 * Computes the GS1 mod-10 check digit for a key without its check digit: weights 3 and 1
 * alternate from the rightmost digit (which gets 3); the check digit brings the weighted
 * sum up to a multiple of 10.
 *
 * @param body the key's digits without the check digit (ASCII 0-9, 1..17 digits)
 * @returns the check digit 0..9
 * @throws RangeError when `body` is empty, longer than 17 digits or not all digits
 * @example gs1CheckDigit('400638133393') // 1
 */
export function gs1CheckDigit(body: string): number {
  if (typeof body !== 'string' || body.length < 1 || body.length > 17 || !DIGITS_RE.test(body)) {
    throw new RangeError('GS1 check digit needs 1..17 ASCII digits');
  }
  let sum = 0;
  for (let i = body.length - 1, weight = 3; i >= 0; i--, weight = 4 - weight) {
    sum += (body.charCodeAt(i) - 48) * weight;
  }
  return (10 - (sum % 10)) % 10;
}

function hasValidCheckDigit(s: string, lengths: readonly number[]): boolean {
  if (typeof s !== 'string' || !lengths.includes(s.length) || !DIGITS_RE.test(s)) return false;
  return gs1CheckDigit(s.slice(0, -1)) === s.charCodeAt(s.length - 1) - 48;
}

/**
 * Checks a GTIN: 8, 12, 13 or 14 ASCII digits (GTIN-8, GTIN-12/UPC-A, GTIN-13/EAN-13,
 * GTIN-14) ending in the correct GS1 check digit, and not all zeros (no company prefix is all
 * zeros, though the check digit of zeros is 0). No trimming, no separators.
 *
 * @example isValidGtin('4006381333931') // true
 * @example isValidGtin('00000000000000') // false
 */
export function isValidGtin(s: string): boolean {
  return hasValidCheckDigit(s, [8, 12, 13, 14]) && /[1-9]/.test(s);
}

/**
 * Left-pads a valid GTIN with zeros to the 14-digit form used in GS1 element strings,
 * Digital Link URIs (`/01/{gtin14}`) and EPCIS.
 *
 * @throws RangeError when `s` is not a valid GTIN ({@link isValidGtin})
 * @example toGtin14('036000291452') // "00036000291452"
 */
export function toGtin14(s: string): string {
  if (!isValidGtin(s)) throw new RangeError('not a valid GTIN-8/12/13/14');
  return s.padStart(14, '0');
}

/**
 * Checks a GLN (Global Location Number): 13 ASCII digits with a correct GS1 check digit.
 *
 * @example isValidGln('8934588000010') // true
 */
export function isValidGln(s: string): boolean {
  return hasValidCheckDigit(s, [13]);
}

/**
 * Checks an SSCC (Serial Shipping Container Code): 18 ASCII digits with a correct GS1
 * check digit.
 *
 * @example isValidSscc('106141411234567897') // true
 */
export function isValidSscc(s: string): boolean {
  return hasValidCheckDigit(s, [18]);
}
