/**
 * What the one-round-trip batches of the scan, PIN and verification queries share: statement text
 * rendered once from drizzle `sql` templates over the schema objects, the range lookup, and readers
 * of libSQL row cells.
 *
 * Raw SQL lives only inside `db.$client.batch([...], 'write')` (drizzle's own batch is a deferred
 * transaction, not `BEGIN IMMEDIATE`, so it cannot count a first scan atomically), and the read
 * batches that reuse the same statements. Even there, every table and column is written as the
 * schema object (`${stamps.scanCount}`), so renaming a column in db/schema.ts fails the typecheck.
 */
import type { Row } from '@libsql/client/web';
import { sql, type SQL } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import type { activations, allocations, printRuns } from '../schema.ts';

// The same casing as createDb (db/client.ts): camelCase keys become snake_case columns.
const dialect = new SQLiteAsyncDialect({ casing: 'snake_case' });

/**
 * Renders a drizzle `sql` template to the text of one statement, once (at module load), for
 * `db.$client.batch`. Columns render unqualified, as drizzle renders them in index definitions, so
 * they fit `insert (…)` lists and `set` targets; a statement that joins tables qualifies them with
 * its own aliases in the text (`pr.${printRuns.kind}`).
 *
 * The text is then made short, since it is sent with every scan: outside string literals,
 * whitespace collapses and goes around punctuation, and an identifier is unquoted unless it is an
 * SQLite keyword (https://www.sqlite.org/lang_keywords.html).
 *
 * Values are bound by name in the statement's `args` (`:serial`, or `?1` positions), never
 * interpolated: a template that would bind a value, or that holds an SQL comment, throws.
 *
 * @example statement(sql`select ${stamps.scanCount} from ${stamps} where ${stamps.serial} = :serial`)
 * // 'select scan_count from stamps where serial=:serial'
 */
export function statement(query: SQL): string {
  const { sql: text, params } = dialect.sqlToQuery(query, 'indexes');
  if (params.length > 0) throw new Error('statement(): bind values by name in args, not inside the template');
  // Split on single quotes: even parts are SQL, odd parts literals ('it''s' splits into SQL '' between).
  const parts = text.split("'");
  if (parts.length % 2 === 0) throw new Error('statement(): unterminated string literal');
  return parts
    .map((part, i) => {
      if (i % 2 === 1) return part;
      if (part.includes('--') || part.includes('/*')) throw new Error('statement(): no SQL comments (write them in TypeScript)');
      return part
        .replace(/\s+/g, ' ')
        .replace(/ ?([,=()<>|*+]) ?/g, '$1')
        .replace(/"([a-z_][a-z0-9_]*)"/g, (quoted, name: string) => (SQLITE_KEYWORDS.has(name) ? quoted : name));
    })
    .join("'")
    .trim();
}

// https://www.sqlite.org/lang_keywords.html: these stay quoted when they name a table or column.
const SQLITE_KEYWORDS = new Set(
  `abort action add after all alter always analyze and as asc attach autoincrement before begin between by cascade case
   cast check collate column commit conflict constraint create cross current current_date current_time current_timestamp
   database default deferrable deferred delete desc detach distinct do drop each else end escape except exclude exclusive
   exists explain fail filter first following for foreign from full generated glob group groups having if ignore
   immediate in index indexed initially inner insert instead intersect into is isnull join key last left like limit match
   materialized natural no not nothing notnull null nulls of offset on or order others outer over partition plan pragma
   preceding primary query raise range recursive references regexp reindex release rename replace restrict returning
   right rollback row rows savepoint select set table temp temporary then ties to transaction trigger unbounded union
   unique update using vacuum values view virtual when where window with without`.split(/\s+/),
);

/** A table of serial ranges `[firstSerial, lastSerial]` that never overlap. */
export type RangeTable = typeof printRuns | typeof allocations | typeof activations;

/**
 * SQL for the id of the range row of `table` that may hold `serial` (an SQL expression, default
 * the named argument `:serial`): ranges of one table never overlap, so it is the one with the
 * greatest `first_serial <= serial` (an index seek). The caller checks `last_serial`.
 */
export const rangeId = (table: RangeTable, serial: SQL = sql.raw(':serial')): SQL =>
  sql`(select ${table.id} from ${table} where ${table.firstSerial} <= ${serial} order by ${table.firstSerial} desc limit 1)`;

type Cell = Row[string] | undefined;
/** A nullable text cell of a libSQL row. */
export const str = (v: Cell): string | null => (v === null || v === undefined ? null : String(v));
/** A nullable number cell of a libSQL row. */
export const num = (v: Cell): number | null => (v === null || v === undefined ? null : Number(v));
