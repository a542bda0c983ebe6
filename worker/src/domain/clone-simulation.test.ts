/**
 * A deterministic simulation of legitimate and cloned stamps fed scan by scan through
 * {@link assessScan}, the way the scan path builds the history (newest 50 scans + totals). It
 * measures the false-positive rate of DEFAULT_POLICY on legitimate stamps and the detection rate of
 * clones, prints the table, and asserts the bounds the policy was tuned to.
 */
import { describe, expect, it } from 'vitest';
import {
  assessScan,
  type ClonePolicy,
  DEFAULT_POLICY,
  greatCircleKm,
  placeKey,
  RULES,
  type Rule,
  type ScanEvent,
  type ScanPlace,
  type StampHistory,
} from './clone-rules.ts';

const SEED = 0x5eed_2026;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T_START = Date.UTC(2026, 0, 1);

/** mulberry32: a 32-bit seeded PRNG, uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  readonly next: () => number;
  private ids = 0;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  /** k distinct items. */
  sample<T>(xs: readonly T[], k: number): T[] {
    const pool = [...xs];
    const out: T[] = [];
    while (out.length < k && pool.length > 0) out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]!);
    return out;
  }
  id(prefix: string): string {
    return `${prefix}${++this.ids}`;
  }
}

/** A city as the edge names it (ASCII, like Cloudflare) and as Vietnamese write it. */
type City = { region: string; city: string; vi: [region: string, city: string]; latitude: number; longitude: number };
const city = (region: string, name: string, vi: [string, string], latitude: number, longitude: number): City => ({
  region,
  city: name,
  vi,
  latitude,
  longitude,
});
const HA_NOI = city('Hanoi', 'Hanoi', ['Thành phố Hà Nội', 'Hà Nội'], 21.03, 105.85);
const HCM = city('Ho Chi Minh', 'Ho Chi Minh City', ['TP. Hồ Chí Minh', 'Hồ Chí Minh'], 10.78, 106.7);
const DA_NANG = city('Da Nang', 'Da Nang', ['Đà Nẵng', 'Đà Nẵng'], 16.05, 108.2);
const CITIES: readonly City[] = [
  HA_NOI,
  HCM,
  DA_NANG,
  city('Quang Ninh', 'Ha Long', ['Tỉnh Quảng Ninh', 'Hạ Long'], 20.95, 107.07),
  city('Quang Ninh', 'Cam Pha', ['Quảng Ninh', 'Cẩm Phả'], 21.01, 107.27),
  city('Quang Ninh', 'Uong Bi', ['Quảng Ninh', 'Uông Bí'], 21.04, 106.77),
  city('Quang Ninh', 'Mong Cai', ['Quảng Ninh', 'Móng Cái'], 21.52, 107.97),
  city('Hai Phong', 'Hai Phong', ['Hải Phòng', 'Hải Phòng'], 20.86, 106.68),
  city('Bac Ninh', 'Bac Ninh', ['Bắc Ninh', 'Bắc Ninh'], 21.19, 106.06),
  city('Hai Duong', 'Hai Duong', ['Hải Dương', 'Hải Dương'], 20.94, 106.33),
  city('Thai Binh', 'Thai Binh', ['Thái Bình', 'Thái Bình'], 20.45, 106.34),
  city('Nam Dinh', 'Nam Dinh', ['Nam Định', 'Nam Định'], 20.42, 106.17),
  city('Thai Nguyen', 'Thai Nguyen', ['Thái Nguyên', 'Thái Nguyên'], 21.59, 105.85),
  city('Lao Cai', 'Lao Cai', ['Lào Cai', 'Lào Cai'], 22.49, 103.97),
  city('Thanh Hoa', 'Thanh Hoa', ['Thanh Hóa', 'Thanh Hóa'], 19.81, 105.78),
  city('Nghe An', 'Vinh', ['Nghệ An', 'Vinh'], 18.67, 105.69),
  city('Thua Thien Hue', 'Hue', ['Thừa Thiên Huế', 'Huế'], 16.46, 107.59),
  city('Binh Dinh', 'Quy Nhon', ['Bình Định', 'Quy Nhơn'], 13.78, 109.22),
  city('Khanh Hoa', 'Nha Trang', ['Khánh Hòa', 'Nha Trang'], 12.24, 109.19),
  city('Dak Lak', 'Buon Ma Thuot', ['Đắk Lắk', 'Buôn Ma Thuột'], 12.67, 108.04),
  city('Lam Dong', 'Da Lat', ['Lâm Đồng', 'Đà Lạt'], 11.94, 108.44),
  city('Dong Nai', 'Bien Hoa', ['Đồng Nai', 'Biên Hòa'], 10.95, 106.82),
  city('Binh Duong', 'Thu Dau Mot', ['Bình Dương', 'Thủ Dầu Một'], 10.98, 106.65),
  city('Ba Ria-Vung Tau', 'Vung Tau', ['Bà Rịa–Vũng Tàu', 'Vũng Tàu'], 10.35, 107.08),
  city('Can Tho', 'Can Tho', ['Cần Thơ', 'Cần Thơ'], 10.03, 105.78),
  city('An Giang', 'Long Xuyen', ['An Giang', 'Long Xuyên'], 10.39, 105.43),
];
const REGIONS = [...new Set(CITIES.map((c) => c.region))];
const km = (a: City, b: City) => greatCircleKm(a, b);

/** How the edge misplaces scans. */
type Noise = {
  /** Share of scans whose IP geolocates to a carrier hub instead of the real city. */
  hubShare: number;
  hubs: readonly City[];
};
const NOISE: Noise = { hubShare: 0.3, hubs: [HA_NOI, HCM] };

/** The place the edge reports for a scan made in `real`. */
function observe(rng: Rng, real: City, noise: Noise = NOISE): ScanPlace {
  if (rng.chance(0.03)) return { country: null, region: null, city: null, latitude: null, longitude: null };
  const c = rng.chance(noise.hubShare) ? rng.pick(noise.hubs) : real;
  const vi = rng.chance(0.15);
  const withPosition = !rng.chance(0.1);
  const withCity = !rng.chance(0.05);
  return {
    country: 'VN',
    region: vi ? c.vi[0] : c.region,
    city: withCity ? (vi ? c.vi[1] : c.city) : null,
    latitude: withPosition ? c.latitude : null,
    longitude: withPosition ? c.longitude : null,
  };
}

type SimScan = ScanEvent & { pin?: boolean };
type Sim = { scans: SimScan[]; activatedAt: number; distributionArea: string[] | null };
/** A phone's session: 10 % of phones keep no cookie. */
const phone = (rng: Rng, prefix: string) => (rng.chance(0.1) ? null : rng.id(prefix));

type LegitOptions = { maxShoppers: number; noise: Noise; secondBrowser: number; family: number };
const BASE: LegitOptions = { maxShoppers: 4, noise: NOISE, secondBrowser: 0, family: 0 };

/**
 * A genuine pack: 0–`maxShoppers` shoppers scan it in the shop over days, then the buyer scans it
 * 1–10 times (half the time once in the shop, the rest at home: the shop's city or a city up to
 * ~200 km away, after the trip), confirming the PIN once 60 % of the time.
 */
function legitStamp(rng: Rng, o: LegitOptions = BASE): Sim {
  const activatedAt = T_START + rng.int(0, 180) * DAY;
  const shop = rng.pick(CITIES);
  const near = CITIES.filter((c) => c !== shop && km(c, shop) <= 200);
  const home = rng.chance(0.5) || near.length === 0 ? shop : rng.pick(near);
  const scans: SimScan[] = [];
  const onShelf = activatedAt + rng.between(0.5, 10) * DAY;
  let lastInShop = onShelf;
  for (let i = rng.int(0, o.maxShoppers); i > 0; i--) {
    const session = phone(rng, 'shopper');
    const at = onShelf + rng.between(0, 20) * DAY;
    scans.push({ at, sessionHash: session, place: observe(rng, shop, o.noise) });
    if (rng.chance(0.2)) scans.push({ at: at + rng.between(0.2, 5) * MIN, sessionHash: session, place: observe(rng, shop, o.noise) });
    lastInShop = Math.max(lastInShop, at + 5 * MIN);
  }
  const bought = lastInShop + rng.between(1 * MIN, 3 * DAY);
  const buyer = phone(rng, 'buyer');
  const browser2 = rng.chance(o.secondBrowser) ? rng.id('browser') : null;
  const buyerScans: SimScan[] = [];
  let n = rng.int(1, 10);
  if (rng.chance(0.5)) {
    buyerScans.push({ at: bought, sessionHash: buyer, place: observe(rng, shop, o.noise) });
    n--;
  }
  let at = bought + (km(shop, home) / rng.between(30, 60)) * HOUR + rng.between(10, 60) * MIN;
  for (; n > 0; n--) {
    const session = browser2 && rng.chance(0.4) ? browser2 : buyer;
    buyerScans.push({ at, sessionHash: session, place: observe(rng, home, o.noise) });
    at += rng.chance(0.5) ? rng.between(1, 30) * MIN : rng.between(1, 72) * HOUR;
  }
  if (rng.chance(0.6)) rng.pick(buyerScans).pin = true;
  if (rng.chance(o.family)) {
    const relative = phone(rng, 'family');
    for (let i = rng.int(1, 2); i > 0; i--) scans.push({ at: at + rng.between(0, 48) * HOUR, sessionHash: relative, place: observe(rng, home, o.noise) });
  }
  const viRegion = shop.vi[0];
  const distributionArea = rng.chance(0.4) ? null : [viRegion, ...rng.sample(REGIONS, rng.int(0, 2))];
  return { scans: [...scans, ...buyerScans].sort((a, b) => a.at - b.at), activatedAt, distributionArea };
}

/** One genuine code printed on N = 20–500 packs, sold over two months in 2–6 provinces; 10–50 % of buyers scan 1–3 times. */
function cloneStamp(rng: Rng): Sim & { packs: number } {
  const genuine = legitStamp(rng);
  const packs = rng.int(20, 500);
  const provinces = rng.sample(REGIONS, rng.int(2, 6));
  const scanShare = rng.between(0.1, 0.5);
  const onSale = genuine.activatedAt + rng.between(1, 20) * DAY;
  const scans = [...genuine.scans];
  for (let i = 0; i < packs; i++) {
    if (!rng.chance(scanShare)) continue;
    const province = rng.pick(provinces);
    const where = rng.pick(CITIES.filter((c) => c.region === province));
    const session = phone(rng, 'clone');
    const at = onSale + rng.between(0, 60) * DAY;
    for (let j = rng.int(1, 3); j > 0; j--) scans.push({ at: at + rng.between(0, 48) * HOUR, sessionHash: session, place: observe(rng, where) });
  }
  return { ...genuine, scans: scans.sort((a, b) => a.at - b.at), packs };
}

/**
 * A named attack appended to a genuine history half the time (sold anywhere, so that only the
 * attack's own rules fire); `from` is the index of its first scan.
 */
type Attack = Sim & { from: number };
function withPrefix(rng: Rng, attack: (start: number, prefix: SimScan[]) => SimScan[]): Attack {
  const genuine = { ...legitStamp(rng), distributionArea: null };
  const prefix = rng.chance(0.5) ? genuine.scans : [];
  const start = (prefix.at(-1)?.at ?? genuine.activatedAt) + rng.between(0, 10) * DAY;
  return { ...genuine, scans: [...prefix, ...attack(start, prefix)], from: prefix.length };
}

/** Five phones in five different cities within an hour (the edge places each correctly). */
const fiveCitiesInAnHour = (rng: Rng): Attack =>
  withPrefix(rng, (start) =>
    rng.sample(CITIES, 5).map((c, i) => ({
      at: start + (i === 4 ? 60 * MIN : rng.between(0, 60) * MIN),
      sessionHash: phone(rng, 'five'),
      place: { country: 'VN', region: c.region, city: c.city, latitude: rng.chance(0.1) ? null : c.latitude, longitude: c.longitude },
    })).sort((a, b) => a.at - b.at),
  );

/** Thirty different phones (10 % without cookies) scan the code in one city over a month. */
const thirtyPhones = (rng: Rng): Attack =>
  withPrefix(rng, (start) => {
    const where = rng.pick(CITIES);
    return Array.from({ length: 30 }, () => ({ at: start + rng.between(0, 30) * DAY, sessionHash: phone(rng, 'thirty'), place: observe(rng, where) })).sort(
      (a, b) => a.at - b.at,
    );
  });

/** The buyer confirmed the PIN; later someone else, elsewhere, confirms it again. */
const pinTwice = (rng: Rng): Attack => {
  const genuine = { ...legitStamp(rng), distributionArea: null };
  const scans = genuine.scans.map((s) => ({ ...s, pin: false }));
  scans.at(-1)!.pin = true;
  const second: SimScan = { at: scans.at(-1)!.at + rng.between(1, 30) * DAY, sessionHash: phone(rng, 'pin'), place: observe(rng, rng.pick(CITIES)), pin: true };
  return { ...genuine, scans: [...scans, second], from: scans.length };
};

type Outcome = { scans: number; firstHit: number; rules: Set<Rule>; firstRules: Rule[] };

/** Feeds the scans one by one, building the history as the scan path does; attacks stop at the first finding. */
function run(sim: Sim, stopAtFirstFinding = false, policy: ClonePolicy = DEFAULT_POLICY): Outcome {
  const sessions = new Set<string>();
  const places = new Set<string>();
  let pins = 0;
  const out: Outcome = { scans: 0, firstHit: -1, rules: new Set(), firstRules: [] };
  for (const [i, current] of sim.scans.entries()) {
    if (current.pin) pins++;
    const history: StampHistory = {
      recent: sim.scans.slice(Math.max(0, i - 50), i),
      totals: { scans: i, distinctSessions: sessions.size, distinctPlaces: places.size },
      activatedAt: sim.activatedAt,
      voided: false,
      recalled: false,
      distributionArea: sim.distributionArea,
      pinConfirmations: pins,
      firstScanAt: i > 0 ? sim.scans[0]!.at : null,
    };
    const findings = assessScan(history, current, policy);
    out.scans++;
    for (const f of findings) out.rules.add(f.rule);
    if (findings.length > 0 && out.firstHit < 0) {
      out.firstHit = i;
      out.firstRules = findings.map((f) => f.rule);
      if (stopAtFirstFinding) break;
    }
    if (current.sessionHash) sessions.add(current.sessionHash);
    const key = placeKey(current.place);
    if (key) places.add(key);
  }
  return out;
}

const quantile = (xs: number[], q: number): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(2)}%`;
const byRule = (outcomes: Outcome[], pickRules: (o: Outcome) => Iterable<Rule>) => {
  const counts = new Map<Rule, number>();
  for (const o of outcomes) for (const r of pickRules(o)) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = RULES.filter((r) => counts.has(r)).map((r) => `${r} ${counts.get(r)}`);
  return parts.length ? parts.join(', ') : '—';
};

type Row = { name: string; outcomes: Outcome[]; from?: number[] };

function summarize(rows: Row[]): string {
  const lines = [
    `clone-rules simulation, seed 0x${SEED.toString(16)}, DEFAULT_POLICY ${JSON.stringify({ ...DEFAULT_POLICY })}`,
    'population                                     stamps   scans  flagged     rate  scans to 1st finding (median/p90/max)  rules (stamps where it fired; first finding for attacks)',
  ];
  for (const { name, outcomes, from } of rows) {
    const hits = outcomes.filter((o) => o.firstHit >= 0);
    const toHit = outcomes.flatMap((o, i) => (o.firstHit >= 0 ? [o.firstHit - (from?.[i] ?? 0) + 1] : []));
    const q = `${quantile(toHit, 0.5) ?? '—'}/${quantile(toHit, 0.9) ?? '—'}/${toHit.length ? Math.max(...toHit) : '—'}`;
    const rules = from ? byRule(hits, (o) => o.firstRules) : byRule(outcomes, (o) => o.rules);
    lines.push(
      [
        name.padEnd(45),
        String(outcomes.length).padStart(7),
        String(outcomes.reduce((n, o) => n + o.scans, 0)).padStart(7),
        String(hits.length).padStart(8),
        pct(hits.length, outcomes.length).padStart(8),
        q.padStart(38),
        ` ${rules}`,
      ].join(' '),
    );
  }
  return lines.join('\n');
}

describe('clone rules simulation (DEFAULT_POLICY)', () => {
  it('never flags a few shoppers + the buyer, and catches the named attacks every time', () => {
    const rng = new Rng(SEED);
    const legitSims = Array.from({ length: 5000 }, () => legitStamp(rng));
    const anywhere = legitSims.map((sim) => run({ ...sim, distributionArea: null }));
    const declared = legitSims.map((sim) => run(sim));
    const stress = Array.from({ length: 2000 }, () =>
      run(legitStamp(rng, { maxShoppers: 6, noise: { hubShare: 0.4, hubs: [HA_NOI, HCM] }, secondBrowser: 0.3, family: 0.3 })),
    );
    const thirdHubSims = Array.from({ length: 2000 }, () => legitStamp(rng, { ...BASE, noise: { hubShare: 0.3, hubs: [HA_NOI, HCM, DA_NANG] } }));
    const thirdHub = thirdHubSims.map((sim) => run(sim));
    const withDaNang = { ...DEFAULT_POLICY, carrierHubRegions: [...DEFAULT_POLICY.carrierHubRegions, 'Đà Nẵng'] };
    const thirdHubKnown = thirdHubSims.map((sim) => run(sim, false, withDaNang));
    const clones = Array.from({ length: 500 }, () => cloneStamp(rng));
    const cloneOutcomes = clones.map((c) => run(c, true));
    const attack = (make: (rng: Rng) => Attack) => {
      const xs = Array.from({ length: 300 }, () => make(rng));
      return { outcomes: xs.map((a) => run(a, true)), from: xs.map((a) => a.from) };
    };
    const five = attack(fiveCitiesInAnHour);
    const thirty = attack(thirtyPhones);
    const pin = attack(pinTwice);
    const bySize = (lo: number, hi: number): Row => {
      const idx = clones.flatMap((c, i) => (c.packs >= lo && c.packs <= hi ? [i] : []));
      return { name: `  of them ${lo}–${hi} packs`, outcomes: idx.map((i) => cloneOutcomes[i]!), from: idx.map(() => 0) };
    };

    console.log(
      summarize([
        { name: 'legit: 0–4 shoppers + buyer, sells anywhere', outcomes: anywhere },
        { name: '  same stamps, area = shop province + 0–2', outcomes: declared },
        { name: 'legit+: ≤6 shoppers, 2nd browser, relative', outcomes: stress },
        { name: 'legit, carrier IPs also in Đà Nẵng', outcomes: thirdHub },
        { name: '  same, Đà Nẵng added to carrierHubRegions', outcomes: thirdHubKnown },
        { name: 'clone: 1 code on 20–500 packs, 2–6 provinces', outcomes: cloneOutcomes, from: clones.map(() => 0) },
        bySize(20, 49),
        bySize(50, 199),
        bySize(200, 500),
        { name: 'attack: 5 cities within an hour', ...five },
        { name: 'attack: 30 different phones', ...thirty },
        { name: 'attack: PIN confirmed twice', ...pin },
      ]),
    );

    // "Never" for the population the issue names.
    expect(anywhere.filter((o) => o.firstHit >= 0)).toHaveLength(0);
    // A declared area adds only first scans at a home across the province border.
    expect(declared.filter((o) => o.firstHit >= 0 && [...o.rules].some((r) => r !== 'outside_distribution_area'))).toHaveLength(0);
    expect(declared.filter((o) => o.firstHit >= 0).length / declared.length).toBeLessThan(0.03);
    // Beyond it (more shoppers, a second browser, a relative's phone, noisier IPs) still rare.
    expect(stress.filter((o) => o.rules.has('many_sessions')).length / stress.length).toBeLessThan(0.02);
    expect(stress.filter((o) => o.rules.has('many_places') || o.rules.has('impossible_travel'))).toHaveLength(0);
    // Every named attack is caught, by its own rule, by the end of the attack.
    for (const [{ outcomes, from }, rule, within] of [
      [five, 'many_places', 5],
      [thirty, 'many_sessions', 30],
      [pin, 'pin_reused', 1],
    ] as const) {
      outcomes.forEach((o, i) => {
        expect(o.firstHit).toBeGreaterThanOrEqual(from[i]!);
        expect(o.firstHit - from[i]! + 1).toBeLessThanOrEqual(within);
      });
    }
    // Clones large enough to leave a trail are caught.
    const big = cloneOutcomes.filter((_, i) => clones[i]!.packs >= 50);
    expect(big.filter((o) => o.firstHit >= 0).length / big.length).toBeGreaterThanOrEqual(0.95);
  });
});
