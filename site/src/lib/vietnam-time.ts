/**
 * Times as a clerk in Việt Nam enters them: a `datetime-local` value (no zone) is read as Việt Nam
 * time (UTC+07:00, no daylight saving) and sent as ISO 8601 with its offset, as EPCIS needs.
 */

/** Việt Nam's offset from UTC. */
export const VIETNAM_OFFSET = '+07:00';
const OFFSET_MS = 7 * 60 * 60 * 1000;

/**
 * `now` (unix ms) as a `datetime-local` value in Việt Nam time, to the minute.
 * @example vietnamNowLocal(Date.parse('2026-03-01T18:05:30Z')) // "2026-03-02T01:05"
 */
export function vietnamNowLocal(now: number): string {
  return new Date(now + OFFSET_MS).toISOString().slice(0, 16);
}

/**
 * A `datetime-local` value read as Việt Nam time, with seconds and the `+07:00` offset.
 * @throws RangeError when `local` is not `YYYY-MM-DDTHH:mm` (optionally with seconds)
 * @example vietnamOffsetTime('2026-03-02T01:05') // "2026-03-02T01:05:00+07:00"
 */
export function vietnamOffsetTime(local: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?$/.exec(local);
  if (!m) throw new RangeError(`not a local date and time: ${local}`);
  return `${m[1]}${m[2] ?? ':00'}${VIETNAM_OFFSET}`;
}
