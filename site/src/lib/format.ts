/** Display formatting for the admin pages (Vietnamese conventions: 1.000.000, dd/mm/yyyy). */
import { vi } from './i18n';

const numberFormat = new Intl.NumberFormat('vi-VN');

/**
 * Every time the admin site shows is Việt Nam time, whatever the browser's zone: officials compare
 * scan, activation and recall times with what shops, buyers and printers tell them.
 */
const VN_TIME_ZONE = 'Asia/Ho_Chi_Minh';
const DATE = { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: VN_TIME_ZONE } as const;
const DATE_TIME = { ...DATE, hour: '2-digit', minute: '2-digit' } as const;
const dateFormat = new Intl.DateTimeFormat('vi-VN', DATE);
const dateTimeFormat = new Intl.DateTimeFormat('vi-VN', DATE_TIME);
const dateTimeSecondsFormat = new Intl.DateTimeFormat('vi-VN', { ...DATE_TIME, second: '2-digit' });

/** A bare calendar date, as the API sends production and expiry dates. */
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

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

/** A timestamp (ISO text, or epoch seconds or milliseconds) as a Date; null when blank or unparsable. */
function toDate(value: Value): Date | null {
  if (isBlank(value)) return null;
  const d = typeof value === 'number' ? new Date(value < 1e12 ? value * 1000 : value) : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * A date as dd/mm/yyyy: a calendar date ("2025-03-01") as written, a timestamp as its day in Việt Nam
 * time; unparsable values are shown as given.
 * @example formatDate('2025-03-01') // "01/03/2025"
 * @example formatDate('2026-02-28T18:30:00Z') // "01/03/2026"
 */
export function formatDate(value: Value): string {
  const calendar = typeof value === 'string' ? CALENDAR_DATE.exec(value) : null;
  if (calendar) return `${calendar[3]}/${calendar[2]}/${calendar[1]}`;
  const d = toDate(value);
  return d ? dateFormat.format(d) : orDash(value);
}

/**
 * A timestamp as hh:mm[:ss] dd/mm/yyyy in Việt Nam time (Asia/Ho_Chi_Minh), whatever the browser's
 * zone: the one time formatter of the admin site.
 * @example formatDateTime('2026-03-01T02:30:00Z') // "09:30 01/03/2026"
 * @example formatDateTime('2026-03-01T02:30:05Z', true) // "09:30:05 01/03/2026"
 */
export function formatDateTime(value: Value, seconds = false): string {
  const d = toDate(value);
  return d ? (seconds ? dateTimeSecondsFormat : dateTimeFormat).format(d) : orDash(value);
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
