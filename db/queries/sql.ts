/**
 * Raw SQL the way the SQL rule allows it (README, "Database access"): drizzle `sql` templates with
 * tables and columns taken from the schema objects (`${sessions.expiresAt}`), so a renamed column
 * fails the typecheck, rendered here to statements for a single-round-trip write batch
 * (`db.$client.batch([...], 'write')`).
 */
import type { InStatement, InValue } from '@libsql/client/web';
import { sql, type SQLWrapper } from 'drizzle-orm';
import { CasingCache } from 'drizzle-orm/casing';
import { SQLiteAsyncDialect, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { CASING } from '../client.ts';

const dialect = new SQLiteAsyncDialect({ casing: CASING });
const casing = new CasingCache(CASING);

/**
 * Renders an `sql` template, or a query builder's statement (`db.update(...).set(...).where(...)`),
 * to one libSQL statement: its text with a `?` per value, and the values in order. In a template,
 * values go to the driver as given (no column encoding: pass numbers, unix ms for times, strings
 * and null); tables render as `"sessions"`, columns qualified as `"sessions"."expires_at"`.
 */
export function statement(query: SQLWrapper): InStatement {
  const { sql: text, params } = dialect.sqlToQuery(query.getSQL());
  return { sql: text, args: params as InValue[] };
}

/**
 * A column's bare name (`"expires_at"`), where SQLite refuses a qualified one: the column list of
 * an insert, the left side of an update's `set`, an `on conflict` target.
 */
export function bare(column: SQLiteColumn): SQLWrapper {
  return sql.identifier(casing.getColumnCasing(column));
}

/** `(a, b, c)` of bare column names: an insert's column list. */
export function columnList(...columns: SQLiteColumn[]): SQLWrapper {
  return sql`(${sql.join(columns.map(bare), sql`, `)})`;
}
