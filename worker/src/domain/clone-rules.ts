/**
 * Clone detection (DESIGN.md §5): pure rules that tell a counterfeiter's copies of one genuine QR
 * (many phones, many places, at once) from a legitimate buyer who rescans (one phone, a shop and a
 * home, over days). Every threshold lives in one {@link ClonePolicy}; every fired rule says why in a
 * stable, machine-readable {@link Finding}. No I/O.
 *
 * Vietnamese mobile carriers route traffic through a few gateways, so a phone's IP address often
 * geolocates to Hà Nội or TP.HCM wherever the phone is. The rules therefore never compare two places
 * of one scanner session with each other, and treat a place in a carrier hub region
 * ({@link ClonePolicy.carrierHubRegions}) as too weak to prove travel or a sale outside the
 * distribution area.
 */

import type { CoarsePlace } from './place.ts';

/** Where a scan came from (the coarse place of `place.ts`); every part may be unknown. */
export type ScanPlace = CoarsePlace;

/** One consumer scan. */
export type ScanEvent = {
  /** Unix time in milliseconds. */
  at: number;
  /** Salted hash of the scanner's first-party session id; null when the browser keeps no cookie. */
  sessionHash: string | null;
  place: ScanPlace;
};

/** What the scan path knows about a stamp before the current scan. */
export type StampHistory = {
  /** Earlier consumer scans of this stamp, oldest first (at most the newest ~50; `totals` cover all). */
  recent: ScanEvent[];
  totals: {
    /** Consumer scans before the current one. */
    scans: number;
    /** Distinct non-null `sessionHash` values among them (SQL `COUNT(DISTINCT session_hash)`). */
    distinctSessions: number;
    /** Distinct non-null {@link placeKey} values among them. */
    distinctPlaces: number;
  };
  /** When the stamp's range was bound to a batch (ms), null if not activated. */
  activatedAt: number | null;
  voided: boolean;
  recalled: boolean;
  /** Provinces/regions the producer declares it sells in; null (or empty) = anywhere. */
  distributionArea: string[] | null;
  /** Correct hidden-PIN confirmations so far (including one made by this request, if any). */
  pinConfirmations: number;
  /**
   * Optional: the stamp's first consumer scan ever (`stamps.firstScanAt`), so a scan before
   * activation is still seen once it has dropped out of `recent`.
   */
  firstScanAt?: number | null;
};

/** Every rule, in the order {@link assessScan} reports them. */
export const RULES = [
  'many_sessions',
  'many_places',
  'impossible_travel',
  'scan_before_activation',
  'scan_of_voided',
  'scan_of_recalled',
  'outside_distribution_area',
  'pin_reused',
] as const;
export type Rule = (typeof RULES)[number];

/**
 * Every rule an alert can carry (`alerts.rule`, `GET /api/alerts?rule=`): the clone rules, a
 * consumer's report, and `unknown_serial` (a valid code on a serial no print run holds: a signing-key
 * leak signal). The API's filter and the admin site both take this list.
 */
export const ALERT_RULES = [...RULES, 'consumer_report', 'unknown_serial'] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

/** Every threshold of the rules. */
export type ClonePolicy = {
  /** `many_sessions` fires when distinct scanner sessions (current included) exceed this. */
  maxSessions: number;
  /** `many_places` fires when distinct places (current included) exceed this. */
  maxPlaces: number;
  /** `impossible_travel` compares the current scan only with earlier scans this close in time (ms). */
  travelWindowMs: number;
  /** ... and only across more than this great-circle distance (km): below it is geolocation error. */
  minTravelKm: number;
  /** ... and fires above this speed (km/h). */
  maxSpeedKmh: number;
  /** Elapsed times shorter than this count as this long (ms): guards a division by zero. */
  minElapsedMs: number;
  /** `pin_reused` fires when correct PIN confirmations exceed this. */
  maxPinConfirmations: number;
  /**
   * Regions where carriers' IP addresses geolocate regardless of where the phone is. A scan placed
   * there is ignored by `impossible_travel` and never fires `outside_distribution_area`.
   */
  carrierHubRegions: readonly string[];
};

/**
 * Tuned by `clone-simulation.test.ts`: a few shoppers plus the buyer never fire; 5 cities within an
 * hour, 30 phones, or a PIN confirmed twice always do.
 */
export const DEFAULT_POLICY: ClonePolicy = Object.freeze({
  // Up to 4 shoppers + the buyer on two browsers + a family member + "cookies off" = 8.
  maxSessions: 8,
  // Shop city + home city + the two carrier hubs (Hà Nội, TP.HCM) = 4; a 5th city is a copy.
  maxPlaces: 4,
  // At 500 km/h a day covers any trip within Việt Nam and most flights abroad.
  travelWindowMs: 24 * 60 * 60 * 1000,
  // IP geolocation outside the hubs is good to about a province (50–100 km across).
  minTravelKm: 100,
  // Fastest door to door in Việt Nam: HN→HCM by air, 1137 km in ≥ 3 h ≈ 380 km/h.
  maxSpeedKmh: 500,
  // Scan times are per request; two scans in the same minute count as a minute apart.
  minElapsedMs: 60 * 1000,
  // The buyer confirms once; a second correct confirmation means the PIN is known elsewhere.
  maxPinConfirmations: 1,
  carrierHubRegions: Object.freeze(['Hà Nội', 'Hồ Chí Minh']),
});

/** A fired rule and why, as stable machine-readable detail (JSON-safe: no NaN or Infinity). */
export type Finding = { rule: Rule; detail: Record<string, string | number | null> };

/** Mean Earth radius (IUGG), km. */
const EARTH_RADIUS_KM = 6371.0088;
const HOUR_MS = 3_600_000;
const MAX_NAME = 200;
const RADIANS = Math.PI / 180;

/** Common names of a province that its folded Vietnamese name does not cover. */
const REGION_ALIASES: Readonly<Record<string, string>> = {
  saigon: 'hochiminh',
  hcm: 'hochiminh',
  hcmc: 'hochiminh',
  tphcm: 'hochiminh',
};

/** Place names repeat (a few hundred cities): folded names are cached, within a bound. */
const FOLD_CACHE_LIMIT = 2048;
const foldCache = new Map<string, string>();

/**
 * Folds a Vietnamese or English place name for comparison: no diacritics (đ → d), lower case, no
 * administrative prefix ("tỉnh", "thành phố", "tp.") or suffix ("city", "province"), no spaces or
 * punctuation. '' when nothing is left.
 */
function foldName(name: string | null | undefined): string {
  if (typeof name !== 'string') return '';
  const key = name.length > MAX_NAME ? name.slice(0, MAX_NAME) : name;
  const cached = foldCache.get(key);
  if (cached !== undefined) return cached;
  let t = key
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐðÐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  t = t.replace(/^(tinh|thanh pho|tp)\s+/, '').replace(/\s+(city|province)$/, '');
  t = t.replace(/ /g, '');
  t = REGION_ALIASES[t] ?? t;
  if (foldCache.size >= FOLD_CACHE_LIMIT) foldCache.clear();
  foldCache.set(key, t);
  return t;
}

/**
 * Whether two province (region) names name the same province, however spelled: diacritics, case,
 * spaces, hyphens, the prefixes "Tỉnh", "Thành phố", "TP." and the suffixes "City", "Province" do
 * not matter. Unknown (null, empty) names never match.
 * @example sameRegion('Tỉnh Quảng Ninh', 'quang-ninh') // true
 * @example sameRegion('TP. Hồ Chí Minh', 'Ho Chi Minh City') // true
 * @example sameRegion('Hà Nam', 'Hà Nội') // false
 */
export function sameRegion(a: string | null | undefined, b: string | null | undefined): boolean {
  const x = foldName(a);
  return x !== '' && x === foldName(b);
}

/**
 * What counts as one place: country, region and city, each folded like {@link sameRegion}
 * (case/diacritics-insensitive). Null when neither region nor city is known (a country alone is
 * too coarse to tell places apart).
 * @example placeKey({ country: 'VN', region: 'Quảng Ninh', city: 'Hạ Long', latitude: null, longitude: null })
 *   // 'vn|quangninh|halong'
 */
export function placeKey(place: Pick<ScanPlace, 'country' | 'region' | 'city'> | null | undefined): string | null {
  if (!place) return null;
  const region = foldName(place.region);
  const city = foldName(place.city);
  if (region === '' && city === '') return null;
  return `${foldName(place.country)}|${region}|${city}`;
}

type Position = { latitude: number; longitude: number };

const isPosition = (p: { latitude: unknown; longitude: unknown }): p is Position =>
  typeof p.latitude === 'number' &&
  typeof p.longitude === 'number' &&
  Math.abs(p.latitude) <= 90 &&
  Math.abs(p.longitude) <= 180;

/**
 * Great-circle distance between two positions in km (haversine formula, mean Earth radius
 * 6371.0088 km; error below 0.5 % against the ellipsoid).
 * @throws RangeError when a latitude is outside ±90°, a longitude outside ±180°, or either is not finite.
 * @example greatCircleKm({ latitude: 20.95, longitude: 107.07 }, { latitude: 21.03, longitude: 105.85 }) // ≈ 127 (Hạ Long ↔ Hà Nội)
 */
export function greatCircleKm(a: Position, b: Position): number {
  if (!isPosition(a) || !isPosition(b)) throw new RangeError('greatCircleKm: latitude must be within ±90°, longitude within ±180°');
  const dLat = (b.latitude - a.latitude) * RADIANS;
  const dLon = (b.longitude - a.longitude) * RADIANS;
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * RADIANS) * Math.cos(b.latitude * RADIANS) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

const sessionOf = (e: ScanEvent): string | null => (e.sessionHash ? e.sessionHash : null);
const historyIsComplete = (h: StampHistory): boolean => h.recent.length >= h.totals.scans;

/**
 * Distinct scanner sessions on the stamp, the current scan included. Scans without a session
 * (cookies off) count together as one session, so a buyer who blocks cookies is one scanner, not
 * one per scan. Exact while `recent` holds the whole history; otherwise `totals` plus the current
 * session when `recent` has not seen it (then off by at most one per kind: named, cookie-less).
 * @example countSessions(history, current) // 3 when `recent` was scanned by 'a', 'a', null and `current` by 'b'
 */
export function countSessions(history: StampHistory, current: ScanEvent): number {
  const seen = new Set<string>();
  let anonymous = sessionOf(current) === null;
  for (const e of history.recent) {
    const s = sessionOf(e);
    if (s === null) anonymous = true;
    else seen.add(s);
  }
  const s = sessionOf(current);
  const isNew = s !== null && !seen.has(s);
  if (s !== null) seen.add(s);
  const named = historyIsComplete(history) ? seen.size : Math.max(history.totals.distinctSessions + (isNew ? 1 : 0), seen.size);
  return named + (anonymous ? 1 : 0);
}

/** Distinct places among keys: a key without a city is not a new place if a key with a city in that region exists. */
function distinctPlaces(keys: Iterable<string>): number {
  const full = new Set<string>();
  const regionOnly = new Set<string>();
  const regionsWithCity = new Set<string>();
  for (const k of keys) {
    const cut = k.lastIndexOf('|');
    const countryRegion = k.slice(0, cut);
    if (cut === k.length - 1) regionOnly.add(countryRegion);
    else {
      full.add(k);
      regionsWithCity.add(countryRegion);
    }
  }
  let n = full.size;
  for (const r of regionOnly) if (!regionsWithCity.has(r)) n++;
  return n;
}

/**
 * Distinct places ({@link placeKey}) where the stamp was scanned, the current scan included;
 * unknown places do not count, and a place known only to its region does not count apart from a
 * known city in that region. Exact while `recent` holds the whole history; otherwise `totals` plus
 * the current place when `recent` has not seen it.
 * @example countPlaces(history, current) // 2 when `recent` was in 'Hạ Long' and 'Ha Long' (one city), `current` in 'Hà Nội'
 */
export function countPlaces(history: StampHistory, current: ScanEvent): number {
  const keys = history.recent.map((e) => placeKey(e.place)).filter((k): k is string => k !== null);
  const before = distinctPlaces(keys);
  const key = placeKey(current.place);
  const after = key === null ? before : distinctPlaces([...keys, key]);
  return historyIsComplete(history) ? after : Math.max(history.totals.distinctPlaces + (after - before), after);
}

const isCarrierHub = (place: ScanPlace, policy: ClonePolicy): boolean =>
  policy.carrierHubRegions.some((hub) => sameRegion(place.region, hub) || (place.region === null && sameRegion(place.city, hub)));

type Check = (h: StampHistory, c: ScanEvent, p: ClonePolicy) => Finding['detail'] | null;

function checkManySessions(h: StampHistory, c: ScanEvent, p: ClonePolicy): Finding['detail'] | null {
  const sessions = countSessions(h, c);
  return sessions > p.maxSessions ? { sessions, max: p.maxSessions } : null;
}

function checkManyPlaces(h: StampHistory, c: ScanEvent, p: ClonePolicy): Finding['detail'] | null {
  const places = countPlaces(h, c);
  return places > p.maxPlaces ? { places, max: p.maxPlaces } : null;
}

/** The fastest qualifying trip between an earlier scan and the current one (see {@link ClonePolicy}). */
function checkImpossibleTravel(h: StampHistory, c: ScanEvent, p: ClonePolicy): Finding['detail'] | null {
  const session = sessionOf(c);
  if (session === null || !isPosition(c.place) || isCarrierHub(c.place, p)) return null;
  let worst: { from: ScanEvent; km: number; ms: number; kmh: number } | null = null;
  for (const from of h.recent) {
    const other = sessionOf(from);
    // One phone whose IP hops between places, or a scanner we cannot tell apart, is not travel.
    if (other === null || other === session || !isPosition(from.place) || isCarrierHub(from.place, p)) continue;
    const ms = Math.abs(c.at - from.at);
    if (!(ms <= p.travelWindowMs)) continue;
    const km = greatCircleKm(from.place, c.place);
    if (km <= p.minTravelKm) continue;
    const kmh = km / (Math.max(ms, p.minElapsedMs) / HOUR_MS);
    if (kmh > p.maxSpeedKmh && (worst === null || kmh > worst.kmh)) worst = { from, km, ms, kmh };
  }
  if (worst === null) return null;
  return {
    fromAt: worst.from.at,
    fromRegion: worst.from.place.region,
    fromCity: worst.from.place.city,
    toRegion: c.place.region,
    toCity: c.place.city,
    km: Math.round(worst.km),
    minutes: Math.round(worst.ms / 60_000),
    kmh: Math.round(worst.kmh),
    max: p.maxSpeedKmh,
  };
}

function checkScanBeforeActivation(h: StampHistory, c: ScanEvent): Finding['detail'] | null {
  if (h.activatedAt === null) return { activatedAt: null, scanAt: c.at };
  let earliest = c.at;
  for (const e of h.recent) earliest = Math.min(earliest, e.at);
  if (typeof h.firstScanAt === 'number') earliest = Math.min(earliest, h.firstScanAt);
  return earliest < h.activatedAt ? { activatedAt: h.activatedAt, scanAt: earliest } : null;
}

function checkOutsideDistributionArea(h: StampHistory, c: ScanEvent, p: ClonePolicy): Finding['detail'] | null {
  const area = h.distributionArea;
  if (h.recent.length > 0 || h.totals.scans > 0 || !area || area.length === 0) return null;
  const region = c.place.region;
  if (foldName(region) === '' || isCarrierHub(c.place, p)) return null;
  if (area.some((a) => sameRegion(a, region))) return null;
  return { region, area: area.join(', ') };
}

const CHECKS: Readonly<Record<Rule, Check>> = {
  many_sessions: checkManySessions,
  many_places: checkManyPlaces,
  impossible_travel: checkImpossibleTravel,
  scan_before_activation: checkScanBeforeActivation,
  scan_of_voided: (h) => (h.voided ? {} : null),
  scan_of_recalled: (h) => (h.recalled ? {} : null),
  outside_distribution_area: checkOutsideDistributionArea,
  pin_reused: (h, _c, p) =>
    h.pinConfirmations > p.maxPinConfirmations ? { confirmations: h.pinConfirmations, max: p.maxPinConfirmations } : null,
};

const NUMERIC_POLICY_FIELDS = [
  'maxSessions',
  'maxPlaces',
  'travelWindowMs',
  'minTravelKm',
  'maxSpeedKmh',
  'minElapsedMs',
  'maxPinConfirmations',
] as const satisfies readonly (keyof ClonePolicy)[];

/**
 * Assesses one scan (`current`) against the stamp's history before it and returns the fired rules
 * in {@link RULES} order (empty: nothing suspicious). Counts include the current scan.
 * - `many_sessions`: distinct scanner sessions > `maxSessions` (see {@link countSessions});
 * - `many_places`: distinct places > `maxPlaces` (see {@link countPlaces});
 * - `impossible_travel`: an earlier scan by another known session within `travelWindowMs`, both
 *   positions known and outside carrier hubs, more than `minTravelKm` away, faster than `maxSpeedKmh`;
 * - `scan_before_activation`: the stamp is not activated, or was scanned before its activation;
 * - `scan_of_voided` / `scan_of_recalled`: the stamp is voided / its batch recalled;
 * - `outside_distribution_area`: the stamp's first scan, in a known region outside a declared area;
 * - `pin_reused`: correct PIN confirmations > `maxPinConfirmations`.
 * @throws RangeError when `current.at` is not finite or a policy threshold is negative or not a number.
 * @example assessScan(history, current) // [{ rule: 'many_places', detail: { places: 5, max: 4 } }]
 */
export function assessScan(history: StampHistory, current: ScanEvent, policy: ClonePolicy = DEFAULT_POLICY): Finding[] {
  if (!Number.isFinite(current.at)) throw new RangeError('assessScan: current.at must be a finite time in ms');
  for (const f of NUMERIC_POLICY_FIELDS) {
    const v = policy[f];
    if (typeof v !== 'number' || Number.isNaN(v) || v < 0) throw new RangeError(`assessScan: policy.${f} must be a number ≥ 0`);
  }
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const detail = CHECKS[rule](history, current, policy);
    if (detail !== null) findings.push({ rule, detail });
  }
  return findings;
}
