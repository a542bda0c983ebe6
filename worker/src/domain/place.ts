/**
 * Coarse place of a scan from the edge's request metadata (Cloudflare `request.cf`), kept to what
 * Decree 13/2023/NĐ-CP lets us keep without consent: country, region, city and a position rounded
 * to a grid of about 5 km. Pure.
 */

/** Grid step for stored coordinates, in degrees (0.05° ≈ 5.5 km of latitude). */
export const COORDINATE_STEP_DEGREES = 0.05;

/** A coarse place; every part may be unknown. */
export type CoarsePlace = {
  country: string | null;
  region: string | null;
  city: string | null;
  latitude: number | null;
  longitude: number | null;
};

/** The subset of `request.cf` (IncomingRequestCfProperties) that we read. */
export type EdgeMetadata = {
  country?: unknown;
  region?: unknown;
  city?: unknown;
  latitude?: unknown;
  longitude?: unknown;
};

const text = (v: unknown, max = 80): string | null => {
  if (typeof v !== 'string') return null;
  const t = v.normalize('NFC').trim().slice(0, max);
  return t === '' ? null : t;
};

/**
 * Rounds a coordinate to the {@link COORDINATE_STEP_DEGREES} grid; null for missing, non-finite or
 * out-of-range input (|value| > `limit`).
 * @example roundCoordinate('21.0285', 90) // 21.05
 */
export function roundCoordinate(value: unknown, limit: number): number | null {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || Math.abs(n) > limit) return null;
  const steps = Math.round(n / COORDINATE_STEP_DEGREES);
  return Number((steps * COORDINATE_STEP_DEGREES).toFixed(2));
}

/**
 * Builds the coarse place from edge metadata (Cloudflare gives latitude/longitude as strings).
 * @example coarsePlace({ country: 'VN', region: 'Quang Ninh', city: 'Ha Long', latitude: '20.9511', longitude: '107.0734' })
 *   // { country: 'VN', region: 'Quang Ninh', city: 'Ha Long', latitude: 20.95, longitude: 107.05 }
 */
export function coarsePlace(meta: EdgeMetadata | undefined | null): CoarsePlace {
  if (!meta) return { country: null, region: null, city: null, latitude: null, longitude: null };
  const country = text(meta.country, 2);
  return {
    country: country && /^[A-Z]{2}$/i.test(country) ? country.toUpperCase() : null,
    region: text(meta.region),
    city: text(meta.city),
    latitude: roundCoordinate(meta.latitude, 90),
    longitude: roundCoordinate(meta.longitude, 180),
  };
}

/** Human label of a place, most precise part first ("Hạ Long, Quảng Ninh, VN"); null when unknown. */
export function formatPlace(p: Pick<CoarsePlace, 'country' | 'region' | 'city'> | null): string | null {
  if (!p) return null;
  const parts = [p.city, p.region, p.country].filter((x): x is string => !!x);
  return parts.length ? [...new Set(parts)].join(', ') : null;
}
