import { describe, expect, it } from 'vitest';
import {
  assessScan,
  type ClonePolicy,
  countPlaces,
  countSessions,
  DEFAULT_POLICY,
  type Finding,
  greatCircleKm,
  placeKey,
  RULES,
  type Rule,
  type ScanEvent,
  type ScanPlace,
  sameRegion,
  type StampHistory,
} from './clone-rules.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 5, 1, 3, 0, 0);

const at = (region: string | null, city: string | null, latitude: number | null, longitude: number | null): ScanPlace => ({
  country: 'VN',
  region,
  city,
  latitude,
  longitude,
});
const HA_LONG = at('Quảng Ninh', 'Hạ Long', 20.95, 107.07);
const HA_NOI = at('Hanoi', 'Hanoi', 21.03, 105.85);
const HCM = at('Ho Chi Minh', 'Ho Chi Minh City', 10.78, 106.7);
const DA_NANG = at('Da Nang', 'Da Nang', 16.05, 108.2);
const CAN_THO = at('Can Tho', 'Can Tho', 10.03, 105.78);
const VINH = at('Nghe An', 'Vinh', 18.67, 105.69);
const NHA_TRANG = at('Khanh Hoa', 'Nha Trang', 12.24, 109.19);
const HAI_PHONG = at('Hai Phong', 'Hai Phong', 20.86, 106.68);
const NOWHERE: ScanPlace = { country: null, region: null, city: null, latitude: null, longitude: null };
const noPosition = (p: ScanPlace): ScanPlace => ({ ...p, latitude: null, longitude: null });

const scan = (minutes: number, sessionHash: string | null, place: ScanPlace = HA_LONG): ScanEvent => ({
  at: T0 + minutes * MIN,
  sessionHash,
  place,
});

/** The history the scan path would build from earlier scans (oldest first): the newest 50 plus totals. */
function historyOf(earlier: ScanEvent[], extra: Partial<StampHistory> = {}): StampHistory {
  const sessions = new Set(earlier.map((e) => e.sessionHash).filter((s) => s !== null));
  const places = new Set(earlier.map((e) => placeKey(e.place)).filter((k) => k !== null));
  return {
    recent: earlier.slice(-50),
    totals: { scans: earlier.length, distinctSessions: sessions.size, distinctPlaces: places.size },
    activatedAt: T0 - DAY,
    voided: false,
    recalled: false,
    distributionArea: null,
    pinConfirmations: 0,
    ...extra,
  };
}

const rulesOf = (findings: Finding[]): Rule[] => findings.map((f) => f.rule);
const fired = (rule: Rule, history: StampHistory, current: ScanEvent, policy?: ClonePolicy): Finding | undefined =>
  assessScan(history, current, policy).find((f) => f.rule === rule);

/** Feeds scans one by one, as the scan path does; returns the findings of every scan. */
function feed(scans: ScanEvent[], extra: Partial<StampHistory> = {}): Finding[][] {
  return scans.map((current, i) => assessScan(historyOf(scans.slice(0, i), extra), current));
}

describe('greatCircleKm', () => {
  it.each<[string, [number, number], [number, number], number, number]>([
    ['Hạ Long ↔ Hà Nội', [20.95, 107.07], [21.03, 105.85], 127, 1],
    ['Hà Nội ↔ TP.HCM', [21.03, 105.85], [10.78, 106.7], 1137, 11], // 1143.4 km with these rounded centres
    ['Hạ Long ↔ Đà Nẵng', [20.95, 107.07], [16.05, 108.2], 557.7, 0.5],
    ['same point', [21.03, 105.85], [21.03, 105.85], 0, 0],
    ['pole to pole', [90, 0], [-90, 0], Math.PI * 6371.0088, 1e-6],
    ['antipodes (rounding clamps asin)', [0, 0], [0, 180], Math.PI * 6371.0088, 1e-6],
    ['across the antimeridian', [0, 179.5], [0, -179.5], 111.195, 0.01],
  ])('%s', (_name, [la1, lo1], [la2, lo2], km, tolerance) => {
    const a = { latitude: la1, longitude: lo1 };
    const b = { latitude: la2, longitude: lo2 };
    expect(Math.abs(greatCircleKm(a, b) - km)).toBeLessThanOrEqual(tolerance);
    expect(greatCircleKm(b, a)).toBe(greatCircleKm(a, b));
  });
  it.each([
    [{ latitude: 91, longitude: 0 }],
    [{ latitude: 0, longitude: -180.01 }],
    [{ latitude: Number.NaN, longitude: 0 }],
    [{ latitude: 0, longitude: Infinity }],
    [{ latitude: null, longitude: 1 }],
  ])('throws RangeError for %j', (bad) => {
    expect(() => greatCircleKm(bad as never, { latitude: 0, longitude: 0 })).toThrow(RangeError);
    expect(() => greatCircleKm({ latitude: 0, longitude: 0 }, bad as never)).toThrow(RangeError);
  });
});

describe('sameRegion', () => {
  it.each<[string | null | undefined, string | null | undefined, boolean]>([
    ['Quảng Ninh', 'Quang Ninh', true],
    ['Quảng Ninh', 'quangninh', true],
    ['Quảng Ninh', 'Tỉnh Quảng Ninh', true],
    ['tinh quang ninh', 'QUẢNG NINH', true],
    ['Quang-Ninh', ' Quảng  Ninh ', true],
    ['Quảng Ninh', 'Quang Ninh Province', true],
    ['Hà Nội', 'Hanoi', true],
    ['Hà Nội', 'Ha Noi', true],
    ['Thành phố Hà Nội', 'Hanoi City', true],
    ['HÀ NỘI', 'hà nội', true],
    ['TP. Hồ Chí Minh', 'Ho Chi Minh City', true],
    ['Thành phố Hồ Chí Minh', 'Ho Chi Minh', true],
    ['TP.HCM', 'Hồ Chí Minh', true],
    ['TPHCM', 'Sài Gòn', true],
    ['TP Hồ Chí Minh', 'hochiminh', true],
    ['Đà Nẵng', 'Da Nang', true],
    ['Đắk Lắk', 'Dak Lak', true],
    ['Bà Rịa–Vũng Tàu', 'Ba Ria-Vung Tau', true],
    ['Thanh Hóa', 'Thanh Hoa', true], // "Thanh" is part of the name, not the "Thành phố" prefix
    ['Tiền Giang', 'Tien Giang', true], // "Tiền" is not "Tỉnh"
    ['Quảng Ninh'.normalize('NFD'), 'Quảng Ninh'.normalize('NFC'), true],
    ['Quảng\u200bNinh', 'Quang Ninh', true], // zero-width space
    ['Cần Thơ', 'Can Tho City', true],
    // different provinces
    ['Quảng Ninh', 'Quảng Nam', false],
    ['Hà Nội', 'Hà Nam', false],
    ['Hà Nội', 'Hồ Chí Minh', false],
    ['Thanh Hóa', 'Hòa', false],
    ['Bắc Ninh', 'Quảng Ninh', false],
    ['Hanoi', 'Hanoi2', false],
    // unknown or hostile
    [null, null, false],
    [undefined, 'Hanoi', false],
    ['Hanoi', null, false],
    ['', '', false],
    ['   ', '   ', false],
    ['---', '...', false],
    ['<script>alert(1)</script>', 'scriptalert1script', true], // harmless: both fold to the same letters
    ['Hà Nội; DROP TABLE scans', 'Hanoi', false],
    ['x'.repeat(100_000), 'Hanoi', false],
  ])('%j ~ %j → %s', (a, b, expected) => {
    expect(sameRegion(a, b)).toBe(expected);
    expect(sameRegion(b, a)).toBe(expected);
  });
});

describe('placeKey', () => {
  it.each<[Pick<ScanPlace, 'country' | 'region' | 'city'> | null, string | null]>([
    [HA_LONG, 'vn|quangninh|halong'],
    [{ country: 'vn', region: 'Quang Ninh', city: 'Ha Long' }, 'vn|quangninh|halong'],
    [{ country: 'VN', region: 'Tỉnh Quảng Ninh', city: 'Thành phố Hạ Long' }, 'vn|quangninh|halong'],
    [{ country: 'VN', region: 'Quảng Ninh', city: 'Ha Long City' }, 'vn|quangninh|halong'],
    [{ country: 'VN', region: 'Quảng Ninh', city: null }, 'vn|quangninh|'],
    [{ country: null, region: null, city: 'Hạ Long' }, '||halong'],
    [{ country: 'TH', region: 'Bangkok', city: 'Bangkok' }, 'th|bangkok|bangkok'],
    [{ country: 'VN', region: 'a|b', city: 'c' }, 'vn|ab|c'], // the separator cannot be injected
    [{ country: 'VN', region: null, city: null }, null], // a country alone is no place
    [{ country: 'VN', region: '  ', city: '—' }, null],
    [{ country: null, region: null, city: null }, null],
    [null, null],
  ])('%j → %s', (place, expected) => {
    expect(placeKey(place)).toBe(expected);
  });
});

describe('countSessions', () => {
  it.each<[string, (string | null)[], string | null, number]>([
    ['first scan', [], 'a', 1],
    ['one phone rescanning', ['a', 'a', 'a'], 'a', 1],
    ['a new phone', ['a', 'b'], 'c', 3],
    ['cookies off, every time: one scanner', [null, null, null], null, 1],
    ['cookies off count once beside named sessions', ['a', null, 'b', null], null, 3],
    ['a named session after cookie-less scans', [null, null], 'a', 2],
    ['an empty hash is no session', ['', ''], '', 1],
  ])('%s', (_name, earlier, current, expected) => {
    const scans = earlier.map((s, i) => scan(i, s));
    expect(countSessions(historyOf(scans), scan(99, current))).toBe(expected);
  });
  it('uses totals when recent is truncated', () => {
    const h = historyOf(Array.from({ length: 60 }, (_, i) => scan(i, i < 10 ? `old${i}` : 'buyer')));
    expect(h.recent).toHaveLength(50);
    expect(countSessions(h, scan(99, 'buyer'))).toBe(11);
    expect(countSessions(h, scan(99, 'new'))).toBe(12);
    expect(countSessions(h, scan(99, null))).toBe(12);
  });
});

describe('countPlaces', () => {
  it.each<[string, ScanPlace[], ScanPlace, number]>([
    ['first scan', [], HA_LONG, 1],
    ['spellings of one city', [HA_LONG, at('Quang Ninh', 'Ha Long', null, null)], at('QUẢNG NINH', 'HẠ LONG', 1, 1), 1],
    ['unknown places do not count', [NOWHERE, NOWHERE], NOWHERE, 0],
    ['a known place after unknown ones', [NOWHERE], HA_NOI, 1],
    ['region only is not apart from a city in it', [HA_LONG], at('Quảng Ninh', null, null, null), 1],
    ['region only, before the city is known', [at('Quảng Ninh', null, null, null)], HA_LONG, 1],
    ['region only in another region counts', [HA_LONG], at('Hai Phong', null, null, null), 2],
    ['two cities of one region are two places', [HA_LONG], at('Quảng Ninh', 'Cẩm Phả', 21.01, 107.27), 2],
    ['shop, home and both carrier hubs', [HA_LONG, HA_NOI, HCM], HAI_PHONG, 4],
  ])('%s', (_name, earlier, current, expected) => {
    const scans = earlier.map((p, i) => scan(i, 'a', p));
    expect(countPlaces(historyOf(scans), scan(99, 'a', current))).toBe(expected);
  });
  it('uses totals when recent is truncated', () => {
    const scans = [HA_NOI, HCM, DA_NANG, ...Array.from({ length: 50 }, () => HA_LONG)].map((p, i) => scan(i, 'a', p));
    const h = historyOf(scans);
    expect(h.totals.distinctPlaces).toBe(4);
    expect(countPlaces(h, scan(99, 'a', HA_LONG))).toBe(4);
    expect(countPlaces(h, scan(99, 'a', CAN_THO))).toBe(5);
  });
});

describe('many_sessions (maxSessions 8)', () => {
  it.each<[string, (string | null)[], string | null, boolean]>([
    ['8 phones', ['s1', 's2', 's3', 's4', 's5', 's6', 's7'], 's8', false],
    ['9 phones', ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8'], 's9', true],
    ['8 phones, the 8th rescanning', ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8'], 's1', false],
    ['7 phones + cookies off', ['s1', 's2', 's3', 's4', 's5', 's6', 's7', null, null], null, false],
    ['8 phones + cookies off', ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', null], null, true],
    ['cookies off 40 times', Array.from({ length: 40 }, () => null), null, false],
  ])('%s', (_name, earlier, current, expected) => {
    const h = historyOf(earlier.map((s, i) => scan(i, s)));
    const f = fired('many_sessions', h, scan(99, current));
    expect(!!f).toBe(expected);
    if (f) expect(f.detail).toEqual({ sessions: 9, max: 8 });
  });
});

describe('many_places (maxPlaces 4)', () => {
  it.each<[string, ScanPlace[], ScanPlace, boolean]>([
    ['4 places', [HA_LONG, HA_NOI, HCM], DA_NANG, false],
    ['5 places', [HA_LONG, HA_NOI, HCM, DA_NANG], CAN_THO, true],
    ['5th scan back at a known place', [HA_LONG, HA_NOI, HCM, DA_NANG], at('Quang Ninh', 'Ha Long', null, null), false],
    ['5 places, one without a position', [HA_LONG, HA_NOI, HCM, noPosition(DA_NANG)], noPosition(CAN_THO), true],
    ['4 places + unknown', [HA_LONG, HA_NOI, HCM, NOWHERE], DA_NANG, false],
  ])('%s', (_name, earlier, current, expected) => {
    const h = historyOf(earlier.map((p, i) => scan(i * 600, `s${i}`, p)));
    const f = fired('many_places', h, scan(9_999, 'x', current));
    expect(!!f).toBe(expected);
    if (f) expect(f.detail).toEqual({ places: 5, max: 4 });
  });
});

describe('impossible_travel (> 100 km, > 500 km/h, within 24 h, different known sessions, outside carrier hubs)', () => {
  const hlToDn = greatCircleKm(HA_LONG as never, DA_NANG as never); // 557.7 km
  const minutesAt = (kmh: number) => (hlToDn / kmh) * 60;
  it.each<[string, ScanEvent, ScanEvent, boolean]>([
    ['two phones, Hạ Long → Đà Nẵng in 30 min', scan(0, 'a', HA_LONG), scan(30, 'b', DA_NANG), true],
    ['just faster than 500 km/h', scan(0, 'a', HA_LONG), scan(minutesAt(510), 'b', DA_NANG), true],
    ['just slower than 500 km/h', scan(0, 'a', HA_LONG), scan(minutesAt(490), 'b', DA_NANG), false],
    ['one phone whose IP hops', scan(0, 'a', HA_LONG), scan(1, 'a', DA_NANG), false],
    ['cookies off on the earlier scan', scan(0, null, HA_LONG), scan(1, 'b', DA_NANG), false],
    ['cookies off on the current scan', scan(0, 'a', HA_LONG), scan(1, null, DA_NANG), false],
    ['cookies off on both', scan(0, null, HA_LONG), scan(1, null, DA_NANG), false],
    ['earlier position unknown', scan(0, 'a', noPosition(HA_LONG)), scan(1, 'b', DA_NANG), false],
    ['current position unknown', scan(0, 'a', HA_LONG), scan(1, 'b', noPosition(DA_NANG)), false],
    ['to a carrier hub (Hà Nội)', scan(0, 'a', DA_NANG), scan(1, 'b', HA_NOI), false],
    ['from a carrier hub (TP.HCM)', scan(0, 'a', HCM), scan(1, 'b', HA_LONG), false],
    ['between the hubs', scan(0, 'a', HA_NOI), scan(1, 'b', HCM), false],
    ['hub known by city only', scan(0, 'a', at(null, 'Hà Nội', 21.03, 105.85)), scan(1, 'b', DA_NANG), false],
    ['Hạ Long → Hải Phòng (42 km) in the same minute', scan(0, 'a', HA_LONG), scan(0, 'b', HAI_PHONG), false],
    ['outside the 24 h window', scan(0, 'a', HA_LONG), scan(24 * 60 + 1, 'b', CAN_THO), false],
    ['at the edge of the window, far enough', scan(0, 'a', at('X', 'X', 0, 0)), scan(24 * 60, 'b', at('Y', 'Y', 0, 120)), true],
    ['an earlier scan timed after the current one (clock skew)', scan(30, 'a', HA_LONG), scan(0, 'b', DA_NANG), true],
  ])('%s', (_name, earlier, current, expected) => {
    expect(!!fired('impossible_travel', historyOf([earlier]), current)).toBe(expected);
  });

  it.each<[number, boolean]>([
    [99, false],
    [100, false],
    [101, true],
  ])('%s km in no time fires: %s', (km, expected) => {
    const deg = km / ((6371.0088 * Math.PI) / 180);
    const h = historyOf([scan(0, 'a', at('A', 'A', 20, 106))]);
    expect(!!fired('impossible_travel', h, scan(0, 'b', at('B', 'B', 20 + deg, 106)))).toBe(expected);
  });

  it('elapsed 0 counts as one minute: finite, JSON-safe detail', () => {
    const f = fired('impossible_travel', historyOf([scan(0, 'a', HA_LONG)]), scan(0, 'b', DA_NANG));
    expect(f?.detail).toEqual({
      fromAt: T0,
      fromRegion: 'Quảng Ninh',
      fromCity: 'Hạ Long',
      toRegion: 'Da Nang',
      toCity: 'Da Nang',
      km: 558,
      minutes: 0,
      kmh: Math.round(hlToDn * 60),
      max: 500,
    });
    expect(JSON.parse(JSON.stringify(f))).toEqual(f);
  });

  it('reports the fastest trip', () => {
    const h = historyOf([scan(0, 'a', CAN_THO), scan(50, 'b', HA_LONG), scan(45, 'c', VINH)]);
    const f = fired('impossible_travel', h, scan(60, 'd', DA_NANG));
    expect(f?.detail).toMatchObject({ fromCity: 'Hạ Long', minutes: 10 });
  });
});

describe('scan_before_activation', () => {
  it.each<[string, number[], number, number | null, number | undefined, number | null]>([
    ['not activated: the first scan fires', [], 0, T0, undefined, null],
    ['not activated: a rescan fires', [-10], 0, T0, undefined, null],
    ['activated before every scan', [10, 20], 30, null, undefined, T0],
    ['the current scan exactly at activation', [], 0, null, undefined, T0],
    ['an earlier scan before activation', [-5, 20], 30, T0 - 5 * MIN, undefined, T0],
    ['firstScanAt (out of recent) before activation', [10], 30, T0 - DAY, T0 - DAY, T0],
    ['firstScanAt after activation', [10], 30, null, T0 + MIN, T0],
  ])('%s', (_name, earlier, current, expectedScanAt, firstScanAt, activatedAt) => {
    const h = historyOf(
      earlier.map((m) => scan(m, 'a')),
      { activatedAt, firstScanAt },
    );
    const f = fired('scan_before_activation', h, scan(current, 'a'));
    expect(f?.detail ?? null).toEqual(expectedScanAt === null ? null : { activatedAt, scanAt: expectedScanAt });
  });
});

describe('scan_of_voided / scan_of_recalled', () => {
  it.each<[boolean, boolean, Rule[]]>([
    [false, false, []],
    [true, false, ['scan_of_voided']],
    [false, true, ['scan_of_recalled']],
    [true, true, ['scan_of_voided', 'scan_of_recalled']],
  ])('voided %s, recalled %s → %j', (voided, recalled, expected) => {
    expect(rulesOf(assessScan(historyOf([], { voided, recalled }), scan(0, 'a')))).toEqual(expected);
  });
});

describe('outside_distribution_area (first scan only)', () => {
  it.each<[string, string[] | null, ScanPlace, ScanEvent[], boolean]>([
    ['inside, spelt differently', ['Tỉnh Quảng Ninh', 'Hải Phòng'], at('Quang Ninh', 'Ha Long', null, null), [], false],
    ['outside', ['Quảng Ninh'], DA_NANG, [], true],
    ['abroad', ['Quảng Ninh'], { ...NOWHERE, country: 'TH', region: 'Bangkok', city: 'Bangkok' }, [], true],
    ['anywhere (null)', null, DA_NANG, [], false],
    ['nothing declared ([])', [], DA_NANG, [], false],
    ['region unknown', ['Quảng Ninh'], at(null, 'Da Nang', 16.05, 108.2), [], false],
    ['region blank', ['Quảng Ninh'], at('  ', null, null, null), [], false],
    ['a carrier hub is no evidence', ['Quảng Ninh'], HA_NOI, [], false],
    ['the hub itself declared', ['Thành phố Hồ Chí Minh'], HCM, [], false],
    ['not the first scan', ['Quảng Ninh'], DA_NANG, [scan(0, 'a', HA_LONG)], false],
  ])('%s', (_name, distributionArea, place, earlier, expected) => {
    const f = fired('outside_distribution_area', historyOf(earlier, { distributionArea }), scan(10, 'b', place));
    expect(!!f).toBe(expected);
    if (f) expect(f.detail).toEqual({ region: place.region, area: distributionArea?.join(', ') });
  });
  it('not the first scan when only totals know of earlier scans', () => {
    const h = historyOf([], { distributionArea: ['Quảng Ninh'], totals: { scans: 3, distinctSessions: 1, distinctPlaces: 1 } });
    expect(fired('outside_distribution_area', h, scan(0, 'a', DA_NANG))).toBeUndefined();
  });
});

describe('pin_reused (maxPinConfirmations 1)', () => {
  it.each<[number, boolean]>([
    [0, false],
    [1, false],
    [2, true],
    [7, true],
  ])('%s confirmations → fires: %s', (pinConfirmations, expected) => {
    const f = fired('pin_reused', historyOf([], { pinConfirmations }), scan(0, 'a'));
    expect(f?.detail ?? null).toEqual(expected ? { confirmations: pinConfirmations, max: 1 } : null);
  });
});

describe('assessScan', () => {
  it('reports findings in RULES order', () => {
    const h = historyOf([], { voided: true, recalled: true, activatedAt: null, pinConfirmations: 2 });
    expect(rulesOf(assessScan(h, scan(0, 'a')))).toEqual(['scan_before_activation', 'scan_of_voided', 'scan_of_recalled', 'pin_reused']);
    expect(RULES).toHaveLength(8);
  });
  it('nothing for a first genuine scan', () => {
    expect(assessScan(historyOf([]), scan(0, 'a'))).toEqual([]);
  });
  it('takes a policy', () => {
    const h = historyOf([scan(0, 'a'), scan(1, 'b')]);
    expect(rulesOf(assessScan(h, scan(2, 'c'), { ...DEFAULT_POLICY, maxSessions: 2 }))).toEqual(['many_sessions']);
    expect(rulesOf(assessScan(h, scan(2, 'c')))).toEqual([]);
  });
  it('the default policy is frozen', () => {
    expect(Object.isFrozen(DEFAULT_POLICY)).toBe(true);
    expect(Object.isFrozen(DEFAULT_POLICY.carrierHubRegions)).toBe(true);
  });
  it.each<[string, Partial<ClonePolicy>]>([
    ['negative', { maxSessions: -1 }],
    ['NaN', { maxSpeedKmh: Number.NaN }],
    ['not a number', { maxPlaces: '4' as never }],
  ])('throws RangeError for a %s threshold', (_name, bad) => {
    expect(() => assessScan(historyOf([]), scan(0, 'a'), { ...DEFAULT_POLICY, ...bad })).toThrow(RangeError);
  });
  it('throws RangeError for a current scan without a finite time', () => {
    expect(() => assessScan(historyOf([]), { ...scan(0, 'a'), at: Number.NaN })).toThrow(RangeError);
  });
});

describe('acceptance', () => {
  it('one code scanned from 5 cities within an hour is suspect', () => {
    const scans = [HA_LONG, DA_NANG, CAN_THO, VINH, NHA_TRANG].map((p, i) => scan(i * 14, `phone${i}`, p));
    const findings = feed(scans);
    expect(rulesOf(findings[4]!)).toEqual(['many_places', 'impossible_travel']);
    expect(findings[1]!.map((f) => f.rule)).toEqual(['impossible_travel']);
  });
  it('5 cities within an hour is suspect even with cookies off and no positions', () => {
    const scans = [HA_LONG, DA_NANG, CAN_THO, VINH, NHA_TRANG].map((p, i) => scan(i * 14, null, noPosition(p)));
    expect(rulesOf(feed(scans)[4]!)).toEqual(['many_places']);
  });
  it('one code scanned by 30 different phones is suspect', () => {
    const scans = Array.from({ length: 30 }, (_, i) => scan(i * 90, `phone${i}`, i % 3 ? HA_LONG : HA_NOI));
    const findings = feed(scans);
    expect(findings.findIndex((f) => f.length > 0)).toBe(8); // the 9th phone
    expect(rulesOf(findings[29]!)).toEqual(['many_sessions']);
    expect(findings[29]![0]!.detail).toEqual({ sessions: 30, max: 8 });
  });
  it('a PIN confirmed twice is suspect', () => {
    const h = historyOf([scan(0, 'buyer')], { pinConfirmations: 2 });
    expect(rulesOf(assessScan(h, scan(DAY / MIN, 'other', HAI_PHONG)))).toEqual(['pin_reused']);
  });
  it('a buyer rescanning 10 times from one phone, its IP hopping between carrier hubs, stays genuine', () => {
    const places = [HA_LONG, HA_NOI, HCM, HA_LONG, noPosition(HA_LONG), HCM, NOWHERE, HA_NOI, HA_LONG, HCM];
    const scans = places.map((p, i) => scan(i * 3, 'buyer', p));
    expect(feed(scans, { pinConfirmations: 1 }).flat()).toEqual([]);
  });
  it('4 shoppers in the shop, then the buyer (shop + home 42 km away, cookies off at times) stays genuine', () => {
    const scans = [
      scan(0, 'shopper1', HA_LONG),
      scan(5, 'shopper2', HCM), // carrier IP, the same minute
      scan(DAY / MIN, 'shopper3', HA_NOI),
      scan(DAY / MIN + 30, null, HA_LONG),
      scan(2 * (DAY / MIN), 'buyer', HA_LONG),
      scan(2 * (DAY / MIN) + 60, 'buyer', HAI_PHONG),
      scan(2 * (DAY / MIN) + 61, 'buyer', HCM),
      scan(2 * (DAY / MIN) + 62, null, HAI_PHONG),
    ];
    expect(feed(scans, { distributionArea: ['Quảng Ninh', 'Hải Phòng'] }).flat()).toEqual([]);
  });
});
