/**
 * Turns a drizzle `sql` template into a libSQL statement, for the raw statements of a
 * single-round-trip write batch (`db.$client.batch([...], 'write')`): columns and tables are
 * written through the schema objects, so a renamed column fails the typecheck.
 */
import type { InArgs, InStatement } from '@libsql/client/web';
import { sql, type Column, type SQL } from 'drizzle-orm';
import { CasingCache } from 'drizzle-orm/casing';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';

const dialect = new SQLiteAsyncDialect({ casing: 'snake_case' });
const casing = new CasingCache('snake_case');

/** The statement `query` renders to (snake_case columns, `?` parameters). */
export function toStatement(query: SQL): InStatement {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return { sql: text, args: params as InArgs };
}

/**
 * A column's bare name (`"producer_id"`), for an INSERT's column list or an UPDATE's SET, where
 * drizzle's `${table.column}` would render the qualified `"table"."column"`.
 */
export function columnName(column: Column): SQL {
  return sql`${sql.identifier(casing.getColumnCasing(column))}`;
}

/** `(a, b, c)` of bare column names. */
export function columnList(...columns: Column[]): SQL {
  return sql`(${sql.join(columns.map(columnName), sql`, `)})`;
}
