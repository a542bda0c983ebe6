import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { printRuns, scans, stamps } from '../schema.ts';
import { num, rangeId, statement, str } from './raw-sql.ts';

describe('statement', () => {
  it.each([
    ['columns by their snake_case names, unqualified', sql`select ${stamps.scanCount} from ${stamps} where ${stamps.serial} = :serial`, 'select scan_count from stamps where serial=:serial'],
    ['an insert list and set targets', sql`insert into ${stamps} (${stamps.serial}, ${stamps.lastScanAt}) values (:s, :at) on conflict (${stamps.serial}) do update set ${stamps.scanCount} = ${stamps.scanCount} + 1`, 'insert into stamps(serial,last_scan_at)values(:s,:at)on conflict(serial)do update set scan_count=scan_count+1'],
    ['aliases written in the text', sql`select pr.${printRuns.kind} from ${printRuns} pr`, 'select pr.kind from print_runs pr'],
    ['whitespace collapsed', sql`select  *\n   from ${scans}\n  where ${scans.id} <   last_insert_rowid()`, 'select*from scans where id<last_insert_rowid()'],
    ['string literals untouched', sql`select 'a  ,  b' || '|' || 'it''s (x)' , date('now', '+7 hours')`, "select 'a  ,  b'||'|'||'it''s (x)',date('now','+7 hours')"],
    ['positional and named arguments kept', sql`select ?1, :serial from json_each(?2)`, 'select ?1,:serial from json_each(?2)'],
    ['an SQLite keyword stays quoted', sql`select ${sql.identifier('order')}, ${sql.identifier('rule')} from t`, 'select "order",rule from t'],
  ])('renders %s', (_name, query, text) => {
    expect(statement(query)).toBe(text);
  });

  it.each([
    ['a bound value', sql`select ${1}`, /bind values by name/],
    ['a line comment', sql`select 1 -- why`, /no SQL comments/],
    ['a block comment', sql`select /* why */ 1`, /no SQL comments/],
    ['an unterminated literal', sql`select 'oops`, /unterminated/],
  ])('refuses %s', (_name, query, error) => {
    expect(() => statement(query)).toThrow(error);
  });
});

describe('rangeId', () => {
  it.each([
    ['the named serial by default', rangeId(printRuns), '(select id from print_runs where first_serial<=:serial order by first_serial desc limit 1)'],
    ['another serial expression', rangeId(printRuns, sql.raw('refs.serial')), '(select id from print_runs where first_serial<=refs.serial order by first_serial desc limit 1)'],
  ])('looks up %s', (_name, query, text) => {
    expect(statement(query)).toBe(text);
  });
});

describe('cell readers', () => {
  it.each([
    [null, null, null],
    [undefined, null, null],
    ['12', '12', 12],
    [7, '7', 7],
    ['', '', 0],
  ])('read %j as text %j and number %j', (cell, text, number) => {
    expect(str(cell)).toBe(text);
    expect(num(cell)).toBe(number);
  });
});
