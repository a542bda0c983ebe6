/**
 * Calendar dates as ISO 8601 `YYYY-MM-DD` text (production, expiry, certificate validity): the
 * form the database stores and `<input type="date">` sends. Pure: the current time is a parameter.
 */

const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Việt Nam is UTC+7 all year (no daylight saving). */
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

/** Years a registry date may fall in: anything outside is a typo (`0001-01-01`, `9999-12-31`). */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2199;

/**
 * Checks that `s` is exactly `YYYY-MM-DD` (zero-padded), a real day of the Gregorian calendar, and
 * in the years {@link MIN_YEAR}..{@link MAX_YEAR}.
 *
 * @example isIsoDate('2028-02-29') // true (leap year)
 * @example isIsoDate('2026-02-29') // false
 * @example isIsoDate('2026-1-5') // false (not zero-padded)
 */
export function isIsoDate(s: string): boolean {
  if (typeof s !== 'string') return false;
  const m = ISO_DATE_RE.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC maps years 0..99 to 1900..1999; setUTCFullYear puts them back.
  d.setUTCFullYear(year);
  return year >= MIN_YEAR && year <= MAX_YEAR && d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/**
 * The ISO date `days` after (or before, when negative) the ISO date `date`.
 *
 * @throws RangeError when `date` is not an {@link isIsoDate} date or `days` not an integer
 * @example addDays('2026-01-01', 180) // "2026-06-30"
 */
export function addDays(date: string, days: number): string {
  if (!isIsoDate(date) || !Number.isSafeInteger(days)) throw new RangeError('addDays needs a YYYY-MM-DD date and whole days');
  const d = new Date(`${date}T00:00:00Z`);
  return new Date(d.getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Today's date in Việt Nam (UTC+7) at `now` (unix ms): the calendar officials and producers use.
 *
 * @example vietnamToday(Date.parse('2026-03-01T18:00:00Z')) // "2026-03-02"
 */
export function vietnamToday(now: number): string {
  return new Date(now + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}
