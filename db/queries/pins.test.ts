import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pinAttempts, stamps } from '../schema.ts';
import { readPinState, recordPinAttempt } from './pins.ts';
import { recordScan, type ScanPlace } from './scans.ts';
import { makePrintRun, makeStampScene, openTestDb, unique, type TestDb } from './test-fixtures.ts';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => {
  await t?.close();
});

const HA_LONG: ScanPlace = { country: 'VN', region: 'Quảng Ninh', city: 'Hạ Long', latitude: null, longitude: null };
const HA_NOI: ScanPlace = { country: 'VN', region: 'Hanoi', city: 'Hanoi', latitude: null, longitude: null };
const T0 = Date.UTC(2026, 4, 1, 2, 0, 0);
const WINDOW = 15 * 60_000;
const LIMITS = { perStamp: 5, perSession: 10 };

/** An anti-counterfeit stamp someone has scanned (so its row exists). */
async function scannedStamp() {
  const { run } = await makeStampScene(t.db, { kind: 'anti_counterfeit' });
  await recordScan(t.db, { serial: run.firstSerial, kid: 2, at: new Date(T0 - 60_000), place: HA_LONG, sessionHash: 'scanner' });
  return run.firstSerial;
}

const attempt = (serial: number, p: { correct?: boolean; at?: number; session?: string | null; place?: ScanPlace } = {}) => {
  const time = p.at ?? T0;
  return recordPinAttempt(t.db, {
    serial,
    sessionHash: p.session === undefined ? `session-${serial}` : p.session,
    at: time,
    correct: p.correct ?? false,
    place: p.place ?? HA_LONG,
    since: time - WINDOW,
    limits: LIMITS,
  });
};

const attemptsOf = (serial: number) => t.db.select().from(pinAttempts).where(eq(pinAttempts.serial, serial));

describe('readPinState', () => {
  it.each<[string, 'qr' | 'anti_counterfeit', boolean, object]>([
    ['a qr stamp', 'qr', false, { kind: 'qr', inPrintRun: true, stampExists: false }],
    ['an anti-counterfeit stamp never scanned', 'anti_counterfeit', false, { kind: 'anti_counterfeit', inPrintRun: true, stampExists: false }],
    ['an anti-counterfeit stamp scanned', 'anti_counterfeit', true, { kind: 'anti_counterfeit', inPrintRun: true, stampExists: true }],
  ])('reads %s', async (_name, kind, scanned, expected) => {
    const { run } = await makeStampScene(t.db, { kind });
    if (scanned) await recordScan(t.db, { serial: run.firstSerial, kid: 2, at: new Date(T0), place: HA_LONG, sessionHash: null });
    expect(await readPinState(t.db, { serial: run.firstSerial, kid: 2 })).toEqual(expected);
  });

  it.each<[string, (run: { firstSerial: number; lastSerial: number }) => { serial: number; kid: number }]>([
    ['a serial past the print run', (run) => ({ serial: run.lastSerial + 1, kid: 2 })],
    ['a serial below every print run', () => ({ serial: 1, kid: 2 })],
    ['another key than the print run\'s', (run) => ({ serial: run.firstSerial, kid: 1 })],
  ])('finds no print run for %s', async (_name, pick) => {
    const run = await makePrintRun(t.db, { kind: 'anti_counterfeit' });
    expect(await readPinState(t.db, pick(run))).toEqual({ kind: null, inPrintRun: false, stampExists: false });
  });
});

describe('recordPinAttempt', () => {
  it('counts wrong attempts and refuses the one after the stamp\'s limit, recording nothing', async () => {
    const serial = await scannedStamp();
    for (let i = 1; i <= LIMITS.perStamp; i++) {
      // A new session each time: only the stamp's limit applies.
      const outcome = await attempt(serial, { at: T0 + i * 1000, session: `s${i}` });
      expect(outcome).toEqual({ accepted: true, stampFailures: i, sessionFailures: 1, oldestFailureAt: T0 + 1000, confirmation: null });
    }
    const refused = await attempt(serial, { at: T0 + 10_000, session: 'late', correct: true });
    expect(refused).toEqual({ accepted: false, stampFailures: 5, sessionFailures: 0, oldestFailureAt: T0 + 1000, confirmation: null });
    expect(await attemptsOf(serial)).toHaveLength(LIMITS.perStamp);
    expect((await t.db.select().from(stamps).where(eq(stamps.serial, serial)))[0]!.pinConfirmations).toBe(0);
  });

  it('limits one session across stamps', async () => {
    const session = `roaming-${unique()}`;
    const serials = await Promise.all(Array.from({ length: 3 }, () => scannedStamp()));
    let n = 0;
    for (const serial of serials) {
      for (let i = 0; i < 4 && n < LIMITS.perSession; i++, n++) {
        expect((await attempt(serial, { session, at: T0 + n * 1000 })).accepted).toBe(true);
      }
    }
    const refused = await attempt(serials[2]!, { session, at: T0 + 20_000 });
    expect(refused).toMatchObject({ accepted: false, sessionFailures: LIMITS.perSession, stampFailures: 2, oldestFailureAt: T0 });
  });

  it('forgets wrong attempts older than the window', async () => {
    const serial = await scannedStamp();
    for (let i = 0; i < LIMITS.perStamp; i++) await attempt(serial, { at: T0 + i, session: `old${i}` });
    const later = await attempt(serial, { at: T0 + WINDOW + 10, session: 'new' });
    expect(later).toEqual({ accepted: true, stampFailures: 1, sessionFailures: 1, oldestFailureAt: T0 + WINDOW + 10, confirmation: null });
  });

  it('lets no more parallel wrong guesses through than the limit', async () => {
    const serial = await scannedStamp();
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(serial, { at: T0 + i, session: `p${i}` })));
    expect(outcomes.filter((o) => o.accepted)).toHaveLength(LIMITS.perStamp);
    expect(await attemptsOf(serial)).toHaveLength(LIMITS.perStamp);
  });

  it('confirms a correct PIN, and counts a second confirmation keeping the first one\'s time and place', async () => {
    const serial = await scannedStamp();
    const first = await attempt(serial, { correct: true, at: T0, place: HA_LONG, session: 'buyer' });
    expect(first).toEqual({
      accepted: true,
      stampFailures: 0,
      sessionFailures: 0,
      oldestFailureAt: null,
      confirmation: { confirmations: 1, confirmedAt: new Date(T0), place: { country: 'VN', region: 'Quảng Ninh', city: 'Hạ Long' } },
    });
    const second = await attempt(serial, { correct: true, at: T0 + 3_600_000, place: HA_NOI, session: 'copier' });
    expect(second.confirmation).toEqual({ confirmations: 2, confirmedAt: new Date(T0), place: { country: 'VN', region: 'Quảng Ninh', city: 'Hạ Long' } });
    expect((await attemptsOf(serial)).map((a) => a.result)).toEqual(['ok', 'ok']);
  });

  it('gives exactly one of simultaneous first confirmations confirmations = 1', async () => {
    const serial = await scannedStamp();
    const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => attempt(serial, { correct: true, at: T0 + i, session: `c${i}` })));
    expect(outcomes.map((o) => o.confirmation!.confirmations).sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('records a correct PIN on a stamp without a row but confirms nothing', async () => {
    const { run } = await makeStampScene(t.db, { kind: 'anti_counterfeit' });
    expect(await attempt(run.firstSerial, { correct: true })).toMatchObject({ accepted: true, confirmation: null });
    expect(await t.db.select().from(stamps).where(eq(stamps.serial, run.firstSerial))).toEqual([]);
  });

  it('does not confirm a correct PIN once the stamp is locked', async () => {
    const serial = await scannedStamp();
    for (let i = 0; i < LIMITS.perStamp; i++) await attempt(serial, { at: T0 + i, session: `w${i}` });
    expect(await attempt(serial, { correct: true, at: T0 + 100, session: 'owner' })).toMatchObject({ accepted: false, confirmation: null });
    expect((await t.db.select().from(stamps).where(eq(stamps.serial, serial)))[0]).toMatchObject({ pinConfirmations: 0, pinConfirmedAt: null });
  });
});
