/** Display formatting for the admin pages (Vietnamese conventions: 1.000.000, dd/mm/yyyy). */
import { vi } from './i18n';

const numberFormat = new Intl.NumberFormat('vi-VN');
const DATE = { day: '2-digit', month: '2-digit', year: 'numeric' } as const;
const DATE_TIME = { ...DATE, hour: '2-digit', minute: '2-digit' } as const;
const dateFormat = new Intl.DateTimeFormat('vi-VN', DATE);
const dateTimeFormat = new Intl.DateTimeFormat('vi-VN', DATE_TIME);
const vnTimeFormat = new Intl.DateTimeFormat('vi-VN', { ...DATE_TIME, timeZone: 'Asia/Ho_Chi_Minh' });
const vnTimeFormatSeconds = new Intl.DateTimeFormat('vi-VN', { ...DATE_TIME, second: '2-digit', timeZone: 'Asia/Ho_Chi_Minh' });

type Value = string | number | null | undefined;

/** True for null, undefined and the empty string: values shown as "—". */
function isBlank(value: Value): value is null | undefined | '' {
  return value === null || value === undefined || value === '';
}

/** 90000 → "90.000"; null → "—". */
export function formatNumber(n: number | null | undefined): string {
  return typeof n === 'number' && Number.isFinite(n) ? numberFormat.format(n) : vi.none;
}

/** Count of serials in the inclusive range [first, last]. */
export function rangeSize(first: number, last: number): number {
  return last - first + 1;
}

/** "1001 – 1040" (serials are identifiers: no grouping separators, so they can be copied). */
export function formatRange(first: number, last: number): string {
  return first === last ? String(first) : `${first} – ${last}`;
}

function toDate(value: Value): Date | null {
  if (isBlank(value)) return null;
  if (typeof value === 'number') return new Date(value < 1e12 ? value * 1000 : value);
  // A bare calendar date ("2025-03-01") is a local date, not UTC midnight.
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m) return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A calendar date as dd/mm/yyyy; unparsable values are shown as given. */
export function formatDate(value: Value): string {
  const d = toDate(value);
  return d ? dateFormat.format(d) : orDash(value);
}

/** A timestamp as dd/mm/yyyy hh:mm (local time). */
export function formatDateTime(value: Value): string {
  const d = toDate(value);
  return d ? dateTimeFormat.format(d) : orDash(value);
}

/**
 * A timestamp as dd/mm/yyyy hh:mm[:ss] in Việt Nam time (Asia/Ho_Chi_Minh), whatever the
 * browser's zone: officials compare scan times with what shops and buyers tell them.
 * @example formatVnDateTime('2026-03-01T02:30:00Z') // "09:30 01/03/2026"
 */
export function formatVnDateTime(value: Value, seconds = false): string {
  const d = toDate(value);
  return d ? (seconds ? vnTimeFormatSeconds : vnTimeFormat).format(d) : orDash(value);
}

/** OCOP rating as stars: 4 → "★★★★☆". */
export function formatStars(n: number | null | undefined): string {
  if (typeof n !== 'number' || n < 1) return '';
  const k = Math.min(5, Math.round(n));
  return '★'.repeat(k) + '☆'.repeat(5 - k);
}

/** Text or "—" for empty values. */
export function orDash(value: Value): string {
  return isBlank(value) ? vi.none : String(value);
}

/** Looks a code up in a label table, falling back to the code itself. */
export function label(table: Record<string, string>, code: string | null | undefined): string {
  if (!code) return vi.none;
  return table[code] ?? code;
}
