/**
 * The anti-counterfeit stamp's hidden PIN (DESIGN §3, §5): what a confirmation must know first,
 * and one attempt recorded atomically against the per-stamp and per-session limits.
 */
import { and, desc, eq, gte, lte, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { pinAttempts, printRuns, stamps, type StampKind } from '../schema.ts';
import { num, statement, str } from './raw-sql.ts';
import type { ScanPlace } from './scans.ts';

/** What a hidden-PIN confirmation must know before the PIN is looked at. */
export type PinState = {
  kind: StampKind | null;
  inPrintRun: boolean;
  /** The stamp has been scanned (its row exists); a PIN is only confirmed after a scan. */
  stampExists: boolean;
};

/**
 * Reads what a hidden-PIN confirmation needs first: the kind of the print run holding `serial`
 * under key `kid` (the range row with the greatest first serial not above it, if it reaches the
 * serial), and whether the stamp has a row. One batch, one round trip.
 */
export async function readPinState(db: Db, q: { serial: number; kid: number }): Promise<PinState> {
  const holder = db
    .select({ id: printRuns.id })
    .from(printRuns)
    .where(lte(printRuns.firstSerial, q.serial))
    .orderBy(desc(printRuns.firstSerial))
    .limit(1);
  const [run, stamp] = await db.batch([
    db
      .select({ kind: printRuns.kind })
      .from(printRuns)
      .where(and(eq(printRuns.id, holder), gte(printRuns.lastSerial, q.serial), eq(printRuns.keyId, q.kid))),
    db.select({ serial: stamps.serial }).from(stamps).where(eq(stamps.serial, q.serial)),
  ]);
  return { kind: run[0]?.kind ?? null, inPrintRun: run.length > 0, stampExists: stamp.length > 0 };
}

/** The stamp's PIN confirmation state after a correct PIN. */
export type PinConfirmation = {
  confirmations: number;
  confirmedAt: Date;
  place: Pick<ScanPlace, 'country' | 'region' | 'city'>;
};

/** The outcome of one hidden-PIN attempt. */
export type PinAttemptOutcome = {
  /** False when the stamp or the session had used up its wrong attempts: nothing was recorded. */
  accepted: boolean;
  /** Wrong attempts in the window after this one, on the stamp and by the session. */
  stampFailures: number;
  sessionFailures: number;
  /** The oldest wrong attempt in the window on the stamp or by the session (unix ms), if any. */
  oldestFailureAt: number | null;
  /** For an accepted correct PIN: the stamp's confirmation state after it. */
  confirmation: PinConfirmation | null;
};

const pa = pinAttempts;
const stampFailures = sql`(select count(*) from ${pa} where ${pa.serial} = :serial and ${pa.result} = 'wrong' and ${pa.at} >= :since)`;
const sessionFailures = sql`(select count(*) from ${pa} where ${pa.sessionHash} = :session and ${pa.result} = 'wrong' and ${pa.at} >= :since)`;

// The attempt is recorded only while both the stamp and the session are under their limits. In the
// same write batch (one transaction), so parallel guesses cannot slip past the limit.
const PIN_ATTEMPT_SQL = statement(sql`
  insert into ${pa} (${pa.serial}, ${pa.sessionHash}, ${pa.at}, ${pa.result})
  select :serial, :session, :at, :result
  where ${stampFailures} < :perStamp and ${sessionFailures} < :perSession`);

// Runs right after PIN_ATTEMPT_SQL: changes() = 1 only if the attempt was accepted.
const s = stamps;
const PIN_CONFIRM_SQL = statement(sql`
  update ${s} set
    ${s.pinConfirmations} = ${s.pinConfirmations} + 1,
    ${s.pinConfirmedAt} = coalesce(${s.pinConfirmedAt}, :at),
    ${s.pinConfirmCountry} = case when ${s.pinConfirmedAt} is null then :country else ${s.pinConfirmCountry} end,
    ${s.pinConfirmRegion} = case when ${s.pinConfirmedAt} is null then :region else ${s.pinConfirmRegion} end,
    ${s.pinConfirmCity} = case when ${s.pinConfirmedAt} is null then :city else ${s.pinConfirmCity} end
  where ${s.serial} = :serial and :result = 'ok' and changes() = 1
  returning ${s.pinConfirmations} as pin_confirmations, ${s.pinConfirmedAt} as pin_confirmed_at,
            ${s.pinConfirmCountry} as country, ${s.pinConfirmRegion} as region, ${s.pinConfirmCity} as city`);

const PIN_FAILURES_SQL = statement(sql`
  select ${stampFailures} as stamp_failures, ${sessionFailures} as session_failures,
         (select min(${pa.at}) from ${pa} where (${pa.serial} = :serial or ${pa.sessionHash} = :session)
            and ${pa.result} = 'wrong' and ${pa.at} >= :since) as oldest`);

/**
 * Records one hidden-PIN attempt (whose correctness the caller already checked, offline) and, for
 * a correct one, counts the confirmation on the stamp row keeping the first one's time and place.
 * One write batch: the limit check, the attempt and the confirmation are atomic, so parallel wrong
 * guesses cannot exceed the limits, and of simultaneous first confirmations exactly one gets
 * `confirmations = 1`.
 *
 * @param a.at, a.since unix ms: the attempt's time, and the start of the window wrong attempts count in
 * @param a.limits wrong attempts allowed in the window per stamp and per session
 */
export async function recordPinAttempt(
  db: Db,
  a: {
    serial: number;
    sessionHash: string | null;
    at: number;
    correct: boolean;
    place: ScanPlace;
    since: number;
    limits: { perStamp: number; perSession: number };
  },
): Promise<PinAttemptOutcome> {
  const result = a.correct ? 'ok' : 'wrong';
  const [inserted, confirmed, failures] = await db.$client.batch(
    [
      {
        sql: PIN_ATTEMPT_SQL,
        args: { serial: a.serial, session: a.sessionHash, at: a.at, result, since: a.since, perStamp: a.limits.perStamp, perSession: a.limits.perSession },
      },
      {
        sql: PIN_CONFIRM_SQL,
        args: { serial: a.serial, at: a.at, result, country: a.place.country, region: a.place.region, city: a.place.city },
      },
      { sql: PIN_FAILURES_SQL, args: { serial: a.serial, session: a.sessionHash, since: a.since } },
    ],
    'write',
  );
  const f = failures!.rows[0]!;
  const row = confirmed!.rows[0];
  return {
    accepted: inserted!.rowsAffected === 1,
    stampFailures: Number(f.stamp_failures),
    sessionFailures: Number(f.session_failures),
    oldestFailureAt: num(f.oldest),
    confirmation: row
      ? {
          confirmations: Number(row.pin_confirmations),
          confirmedAt: new Date(Number(row.pin_confirmed_at)),
          place: { country: str(row.country), region: str(row.region), city: str(row.city) },
        }
      : null,
  };
}
