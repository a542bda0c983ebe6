import { describe, expect, it } from 'vitest';
import type { Rule, ScanEvent } from './clone-rules.ts';
import {
  assessStampScan,
  buildScanAnswer,
  buildVerificationAnswer,
  decideVerdict,
  INVALID_SCAN_ANSWER,
  withCloneReasons,
  type StampAlert,
  type StampFacts,
  type StampRecord,
  type Verdict,
  type VerdictWithReasons,
  type VerifiedStamp,
} from './stamp-answer.ts';

/** The facts the base verdict depends on, as the former `decideVerdict` took them. */
type BaseFacts = { tagValid: boolean; inPrintRun: boolean; voided: boolean; recalled: boolean; activated: boolean };
const ok: BaseFacts = { tagValid: true, inPrintRun: true, voided: false, recalled: false, activated: true };
const factsOf = (f: BaseFacts): StampFacts | null =>
  f.tagValid
    ? { printRun: f.inPrintRun ? { id: 1 } : null, activation: f.activated ? { id: 2 } : null, voided: f.voided, recalled: f.recalled, alerts: [] }
    : null;

describe('decideVerdict: the base verdict', () => {
  it.each<[string, Partial<BaseFacts>, Verdict]>([
    ['all good', {}, 'genuine'],
    ['bad tag wins over everything', { tagValid: false, inPrintRun: false, voided: true }, 'invalid'],
    ['no print run', { inPrintRun: false, activated: false }, 'unknown_serial'],
    ['voided beats activation', { voided: true }, 'voided'],
    ['voided beats recall', { voided: true, recalled: true }, 'voided'],
    ['recalled batch', { recalled: true }, 'recalled'],
    ['printed, not bound to a batch', { activated: false }, 'not_activated'],
    ['voided before activation', { activated: false, voided: true }, 'voided'],
  ])('%s', (_name, facts, expected) => {
    expect(decideVerdict(factsOf({ ...ok, ...facts }))).toEqual({ verdict: expected });
  });

  // The former verdictForStamp's table: a context with ranges and no alerts.
  const base: StampFacts = { printRun: { id: 1 }, activation: { id: 2 }, voided: false, recalled: false, alerts: [] };
  it.each<[string, Partial<StampFacts>, Verdict]>([
    ['activated', {}, 'genuine'],
    ['no print run holds it', { printRun: null, activation: null }, 'unknown_serial'],
    ['printed, not activated', { activation: null }, 'not_activated'],
    ['voided', { voided: true }, 'voided'],
    ['recalled batch', { recalled: true }, 'recalled'],
  ])('a context: %s', (_name, facts, verdict) => {
    expect(decideVerdict({ ...base, ...facts }).verdict).toBe(verdict);
  });
});

describe('decideVerdict: clone rules from findings and alerts', () => {
  const genuine: StampFacts = { printRun: { id: 1 }, activation: { id: 2 }, voided: false, recalled: false, alerts: [] };
  const alert = (rule: string, status: StampAlert['status'] = 'open'): StampAlert => ({ rule, status });
  it.each<[string, Partial<StampFacts>, Rule[], VerdictWithReasons]>([
    ['nothing fired', {}, [], { verdict: 'genuine' }],
    ['a finding of this request', {}, ['many_sessions'], { verdict: 'suspect', reasons: ['many_sessions'] }],
    ['an open alert', { alerts: [alert('many_places')] }, [], { verdict: 'suspect', reasons: ['many_places'] }],
    ['a confirmed alert', { alerts: [alert('pin_reused', 'confirmed_counterfeit')] }, [], { verdict: 'suspect', reasons: ['pin_reused'] }],
    ['an alert dismissed as a false positive', { alerts: [alert('many_places', 'false_positive')] }, [], { verdict: 'genuine' }],
    ['a finding of a rule dismissed on this stamp', { alerts: [alert('many_places', 'false_positive')] }, ['many_places'], { verdict: 'genuine' }],
    [
      'a dismissed rule beside a live one',
      { alerts: [alert('many_places', 'false_positive'), alert('impossible_travel')] },
      ['many_places'],
      { verdict: 'suspect', reasons: ['impossible_travel'] },
    ],
    [
      'findings and alerts merged, in rule order, once each',
      { alerts: [alert('pin_reused'), alert('many_sessions')] },
      ['many_sessions', 'many_places'],
      { verdict: 'suspect', reasons: ['many_sessions', 'many_places', 'pin_reused'] },
    ],
    ['only alerting rules', { alerts: [alert('outside_distribution_area'), alert('scan_of_voided')] }, [], { verdict: 'genuine' }],
    ['not activated stays not activated', { activation: null }, ['scan_before_activation'], { verdict: 'not_activated' }],
    ['voided stays voided', { voided: true, alerts: [alert('many_places')] }, [], { verdict: 'voided' }],
    ['unknown serial stays unknown', { printRun: null, activation: null }, ['unknown_serial' as Rule], { verdict: 'unknown_serial' }],
  ])('%s', (_name, facts, findings, expected) => {
    expect(decideVerdict({ ...genuine, ...facts }, findings.map((rule) => ({ rule })))).toEqual(expected);
  });
});

describe('withCloneReasons', () => {
  it.each<[Verdict, string[], VerdictWithReasons]>([
    ['genuine', [], { verdict: 'genuine' }],
    ['genuine', ['pin_reused'], { verdict: 'suspect', reasons: ['pin_reused'] }],
    ['genuine', ['pin_reused', 'many_sessions', 'pin_reused'], { verdict: 'suspect', reasons: ['many_sessions', 'pin_reused'] }],
    ['genuine', ['outside_distribution_area', 'scan_of_voided', 'consumer_report'], { verdict: 'genuine' }],
    ['not_activated', ['scan_before_activation'], { verdict: 'not_activated' }],
    ['voided', ['many_places'], { verdict: 'voided' }],
    ['recalled', ['impossible_travel'], { verdict: 'recalled' }],
  ])('%s + %j', (verdict, rules, expected) => {
    expect(withCloneReasons(verdict, rules)).toEqual(expected);
  });
});

const HA_LONG = { country: 'VN', region: 'Quảng Ninh', city: 'Hạ Long' };
const record: StampRecord = {
  printRun: { kind: 'qr' },
  activation: { activatedAt: new Date('2026-04-01T00:00:00Z') },
  voided: false,
  recalled: false,
  alerts: [],
  producer: {
    id: 3,
    name: 'HTX Hạ Long',
    kind: 'cooperative',
    taxCode: '5700100100',
    address: '1 Đường Biển',
    province: 'Quảng Ninh',
    district: null,
    gln: null,
    phone: null,
    distributionArea: null,
  },
  product: {
    id: 4,
    name: 'Chả mực',
    gtin: '8930000000019',
    category: 'fishery',
    ocopStars: 4,
    imageUrl: null,
    description: null,
    shelfLifeDays: 10,
    standards: null,
  },
  batch: { id: 5, lotCode: 'L1', productionDate: '2026-04-01', expiryDate: '2026-04-11', quantity: 100, unit: 'gói' },
  certificates: [{ kind: 'ocop', number: 'OCOP-1', issuer: 'UBND', validFrom: '2025-01-01', validTo: null }],
  stamp: { scanCount: 1, firstScanAt: new Date('2026-04-05T02:00:00Z'), firstScanPlace: HA_LONG, pinConfirmations: 0 },
};

describe('buildScanAnswer', () => {
  it('answers a first scan with the stamp\'s facts as read', () => {
    expect(buildScanAnswer({ code: 'CODE', serial: 7, stamp: record, today: '2026-04-05' })).toEqual({
      verdict: 'genuine',
      code: 'CODE',
      serial: 7,
      kind: 'qr',
      scan: { count: 1, first: true, firstScanAt: '2026-04-05T02:00:00.000Z', firstScanPlace: HA_LONG },
      product: record.product,
      producer: record.producer,
      batch: { ...record.batch, expired: false },
      certificates: record.certificates,
      journey: [],
      journeyInputs: [],
    });
  });

  it.each<[string, Partial<StampRecord>, Partial<{ verdict: Verdict; reasons: Rule[]; scan: unknown; batch: unknown; kind: unknown }>]>([
    ['a later scan', { stamp: { ...record.stamp!, scanCount: 3 } }, { scan: expect.objectContaining({ count: 3, first: false }) }],
    ['never scanned (read without recording)', { stamp: null }, { scan: null }],
    ['no batch', { batch: null, activation: null }, { verdict: 'not_activated', batch: null }],
    ['no expiry date never expires', { batch: { ...record.batch!, expiryDate: null } }, { batch: expect.objectContaining({ expired: false }) }],
    ['an anti-counterfeit stamp', { printRun: { kind: 'anti_counterfeit' } }, { kind: 'anti_counterfeit' }],
    ['an open alert', { alerts: [{ rule: 'many_places', status: 'open' }] }, { verdict: 'suspect', reasons: ['many_places'] }],
  ])('%s', (_name, change, expected) => {
    expect(buildScanAnswer({ code: 'CODE', serial: 7, stamp: { ...record, ...change }, today: '2026-04-05' })).toMatchObject(expected);
  });

  it.each([
    ['the day before expiry', '2026-04-10', false],
    ['the expiry day itself', '2026-04-11', false],
    ['the day after', '2026-04-12', true],
  ])('expired on %s: %s', (_name, today, expired) => {
    expect(buildScanAnswer({ code: 'CODE', serial: 7, stamp: record, today }).batch!.expired).toBe(expired);
  });

  it('turns suspect with this request\'s findings', () => {
    const answer = buildScanAnswer({ code: 'CODE', serial: 7, stamp: record, findings: [{ rule: 'pin_reused' }], today: '2026-04-05' });
    expect(answer).toMatchObject({ verdict: 'suspect', reasons: ['pin_reused'] });
  });

  it('answers a forged code with nothing but its verdict', () => {
    expect(INVALID_SCAN_ANSWER).toEqual({
      verdict: 'invalid',
      code: null,
      serial: null,
      kind: null,
      scan: null,
      product: null,
      producer: null,
      batch: null,
      certificates: [],
      journey: [],
      journeyInputs: [],
    });
  });
});

describe('assessStampScan', () => {
  const T = Date.parse('2026-04-05T02:00:00Z');
  const now: ScanEvent = { at: T, sessionHash: 's9', place: { ...HA_LONG, latitude: 20.95, longitude: 107.07 } };
  const quiet = { recent: [], totals: { scans: 0, distinctSessions: 0, distinctPlaces: 0 } };
  it.each<[string, Partial<StampRecord>, Rule[]]>([
    ['a first scan of an activated stamp', {}, []],
    ['a voided stamp', { voided: true }, ['scan_of_voided']],
    ['a recalled batch', { recalled: true }, ['scan_of_recalled']],
    ['a scan before activation', { activation: { activatedAt: new Date(T + 60_000) } }, ['scan_before_activation']],
    ['a second PIN confirmation', { stamp: { ...record.stamp!, pinConfirmations: 2 } }, ['pin_reused']],
  ])('%s', (_name, change, rules) => {
    expect(assessStampScan({ ...record, ...change, history: quiet }, now, 2).map((f) => f.rule)).toEqual(rules);
  });

  it('fires unknown_serial, with the key id, when no print run holds the serial', () => {
    expect(assessStampScan({ ...record, printRun: null, history: quiet }, now, 2)).toEqual([{ rule: 'unknown_serial', detail: { kid: 2 } }]);
  });
});

describe('buildVerificationAnswer', () => {
  const stamp: VerifiedStamp = {
    serial: 7,
    printRun: { kind: 'qr' },
    activation: { id: 2 },
    voided: false,
    recalled: false,
    alerts: [],
    ownerProducerId: 3,
    product: { name: 'Chả mực', gtin: '8930000000019' },
    producer: { name: 'HTX Hạ Long', taxCode: '5700100100' },
    batch: { lotCode: 'L1', productionDate: '2026-04-01', expiryDate: null },
    consumerScans: { count: 2, firstScanAt: new Date('2026-04-05T02:00:00Z') },
  };
  const facts = { serial: 7, kind: 'qr', product: stamp.product, producer: stamp.producer, batch: stamp.batch };

  it.each<[string, VerifiedStamp | undefined, number | null, object]>([
    ['a code that did not verify', undefined, null, { code: 'E', verdict: 'invalid', serial: null, kind: null, product: null, producer: null, batch: null, scan: null }],
    ['its own company\'s stamp', stamp, 3, { code: 'E', verdict: 'genuine', ...facts, scan: { count: 2, firstScanAt: '2026-04-05T02:00:00.000Z' } }],
    ['a province-wide key', stamp, null, { code: 'E', verdict: 'genuine', ...facts, scan: { count: 2, firstScanAt: '2026-04-05T02:00:00.000Z' } }],
    ['another company\'s stamp', stamp, 4, { code: 'E', verdict: 'genuine', ...facts, scan: null }],
    ['never scanned by a consumer', { ...stamp, consumerScans: null }, 3, { code: 'E', verdict: 'genuine', ...facts, scan: { count: 0, firstScanAt: null } }],
    [
      'no print run holds it',
      { ...stamp, printRun: null, activation: null, ownerProducerId: null, product: null, producer: null, batch: null, consumerScans: null },
      null,
      { code: 'E', verdict: 'unknown_serial', serial: 7, kind: null, product: null, producer: null, batch: null, scan: null },
    ],
    [
      'an open clone alert',
      { ...stamp, alerts: [{ rule: 'many_sessions', status: 'open' }] },
      4,
      { code: 'E', verdict: 'suspect', reasons: ['many_sessions'], ...facts, scan: null },
    ],
    ['a dismissed clone alert', { ...stamp, alerts: [{ rule: 'many_sessions', status: 'false_positive' }] }, 4, { code: 'E', verdict: 'genuine', ...facts, scan: null }],
  ])('%s', (_name, s, keyProducerId, expected) => {
    expect(buildVerificationAnswer('E', s, keyProducerId)).toEqual(expected);
  });
});
