/** How the local libSQL server splits SQL scripts and numbers parameters (sql-text.ts). */
import { describe, expect, it } from 'vitest';
import { splitSqlStatements } from './sql-text.ts';

describe('SQL text scanning', () => {
  it('splits scripts, keeping trigger bodies, strings and comments together', () => {
    const script = `
      CREATE TABLE a (x TEXT DEFAULT ';'); -- a comment; with a semicolon
      /* block; comment */ CREATE TRIGGER a_ins AFTER INSERT ON a BEGIN
        INSERT INTO a VALUES (CASE WHEN 1 THEN 'x;' ELSE "y" END);
        UPDATE a SET x = 'end';
      END;
      ;;
      SELECT [odd;name] FROM a`;
    const statements = splitSqlStatements(script);
    expect(statements.map((s) => s.keywords[0])).toEqual(['CREATE', 'CREATE', 'SELECT']);
    expect(statements[1]!.text).toMatch(/END$/);
    expect(splitSqlStatements('  -- only a comment\n ; ')).toEqual([]);
  });

  it('numbers parameters as SQLite does', () => {
    const [statement] = splitSqlStatements("SELECT :a, ?, ?5, @b, :a, $c::d, ':no', ?, x'3f' FROM t WHERE \"?\" = 1");
    expect(statement!.params).toEqual([':a', null, null, null, '?5', '@b', '$c::d', null]);
    expect(splitSqlStatements('SELECT ?, ?1')[0]!.params).toEqual(['?1']);
  });
});
