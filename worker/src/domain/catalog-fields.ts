/**
 * Rules for master-data fields that are not GS1 keys (see gs1.ts for GTIN and GLN): Vietnamese tax
 * codes, lot codes and product image addresses. Pure functions.
 */

const TAX_CODE_RE = /^(\d{10})(?:-?(\d{3}))?$/;

/**
 * Normalizes a Vietnamese tax code (mã số thuế, MST): 10 digits for a company, or 13 digits for a
 * branch or dependent unit, written `0101234567-001` (the form on tax registration certificates)
 * or without the hyphen. A 13-digit code is always stored with the hyphen, so one code has one
 * spelling and the unique index catches it typed either way.
 *
 * @returns the normalized code, or null when `s` is not a tax code
 * @example normalizeTaxCode('0101234567001') // "0101234567-001"
 * @example normalizeTaxCode('0101234567') // "0101234567"
 */
export function normalizeTaxCode(s: string): string | null {
  const m = typeof s === 'string' ? TAX_CODE_RE.exec(s) : null;
  if (!m) return null;
  return m[2] === undefined ? m[1]! : `${m[1]}-${m[2]}`;
}

const LOT_CODE_RE = /^[A-Za-z0-9._/-]+$/;
/** Longest lot code: 20 characters, as GS1 AI (10) allows, so every lot fits a GS1 barcode and a Digital Link `/10/` path. */
export const MAX_LOT_CODE_LENGTH = 20;

/**
 * Checks a lot (batch) code: 1..{@link MAX_LOT_CODE_LENGTH} characters from the part of the GS1
 * AI (10) character set (GS1 General Specifications §7.11, set 82) that is safe in URLs and file
 * names: ASCII letters, digits, `-`, `.`, `/` and `_`.
 *
 * @example isLotCode('CM-2026/11.A_1') // true
 * @example isLotCode('LÔ 1') // false
 */
export function isLotCode(s: string): boolean {
  return typeof s === 'string' && s.length <= MAX_LOT_CODE_LENGTH && LOT_CODE_RE.test(s);
}

/**
 * Checks a product image address: a path under `/images/` on this site (`/images/cha-muc.svg`;
 * not `//host/…`, not a stamp's `/S/…` address) or an absolute `https:` URL with a host. Anything else (`http:`, `javascript:`, `data:`, a path
 * relative to the page, backslashes or whitespace) is refused, so the address is safe to put in an
 * `<img src>` on the scan page and the admin site.
 *
 * @example isImageUrl('/images/cha-muc.svg') // true
 * @example isImageUrl('https://cdn.example.vn/a.jpg') // true
 * @example isImageUrl('javascript:alert(1)') // false
 */
export function isImageUrl(s: string): boolean {
  if (typeof s !== 'string' || s.length === 0 || /[\s\\]/.test(s)) return false;
  // Local images live under /images/: a path elsewhere on this origin (a stamp's /S/ address, the
  // API) would make every page view request it.
  if (s.startsWith('/')) return s.startsWith('/images/') && !s.includes('..');
  if (!/^https:\/\//i.test(s)) return false;
  try {
    const url = new URL(s);
    return url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}
