/**
 * A small SQLite-aware scanner over SQL text: splits a script into statements and recognises
 * EXPLAIN. It knows string literals, quoted identifiers (`"x"`, `` `x` ``, `[x]`), comments,
 * parameters (`:a`, `@a`, `$a`, `?1`) and `CREATE TRIGGER ... BEGIN ... END` bodies (whose inner
 * semicolons do not end the statement). It does not validate SQL: SQLite does that.
 */

/** One statement of a script: its text (without the closing `;`), leading keywords and parameters. */
export interface SqlStatementText {
  text: string;
  keywords: string[];
  /**
   * Parameter names by index, numbered as SQLite does (sqlite3ExprAssignVarNumber): `params[i]`
   * names parameter `i + 1` (`:a`, `@a`, `$a`, `?5`) or is null for a bare `?` or an unused index.
   * Its length is the statement's parameter count.
   */
  params: Array<string | null>;
}

/** SQLite's largest parameter number (SQLITE_MAX_VARIABLE_NUMBER of the libsql build). */
const MAX_PARAMS = 32766;

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DIGIT = /[0-9]/;

/**
 * Splits SQL text into its non-empty statements (statements with only whitespace or comments
 * are dropped). `keywords` holds up to the first four upper-cased keywords of each statement;
 * `params` its parameters.
 *
 * @example splitSqlStatements("SELECT 1; -- x\n;SELECT ';'").length === 2
 */
export function splitSqlStatements(sql: string): SqlStatementText[] {
  const statements: SqlStatementText[] = [];
  let start = 0;
  let hasTokens = false;
  let keywords: string[] = [];
  let params: Array<string | null> = [];
  let paramIndex = new Map<string, number>();
  let wordCount = 0;
  let inTrigger = false;
  let triggerBody = false;
  let caseDepth = 0;
  let triggerEnded = false;

  const finish = (end: number): void => {
    if (hasTokens) statements.push({ text: sql.slice(start, end), keywords, params });
    start = end + 1;
    hasTokens = false;
    keywords = [];
    params = [];
    paramIndex = new Map();
    wordCount = 0;
    inTrigger = triggerBody = triggerEnded = false;
    caseDepth = 0;
  };

  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
    } else if (c === '-' && next === '-') {
      const eol = sql.indexOf('\n', i + 2);
      i = eol < 0 ? sql.length : eol + 1;
    } else if (c === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? sql.length : close + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      i = skipQuoted(sql, i, c);
      hasTokens = true;
    } else if (c === '[') {
      const close = sql.indexOf(']', i + 1);
      i = close < 0 ? sql.length : close + 1;
      hasTokens = true;
    } else if (c === '?') {
      // `?` takes the next number; `?NNN` takes NNN and names it if it has no name yet.
      let end = i + 1;
      while (end < sql.length && DIGIT.test(sql[end]!)) end++;
      if (end === i + 1) {
        params.push(null);
      } else {
        const index = Number(sql.slice(i + 1, end));
        if (index >= 1 && index <= MAX_PARAMS) {
          while (params.length < index) params.push(null);
          params[index - 1] ??= sql.slice(i, end);
        }
      }
      i = end;
      hasTokens = true;
    } else if ((c === ':' || c === '@' || c === '$') && next !== undefined && WORD_PART.test(next)) {
      // A named parameter keeps the number of its first occurrence, else takes the next one.
      let end = i + 1;
      for (;;) {
        if (end < sql.length && WORD_PART.test(sql[end]!)) end++;
        else if (sql[end] === ':' && sql[end + 1] === ':') end += 2;
        else break;
      }
      const name = sql.slice(i, end);
      if (!paramIndex.has(name)) {
        params.push(name);
        paramIndex.set(name, params.length);
      }
      i = end;
      hasTokens = true;
    } else if (WORD_START.test(c)) {
      let end = i + 1;
      while (end < sql.length && WORD_PART.test(sql[end]!)) end++;
      const word = sql.slice(i, end).toUpperCase();
      i = end;
      hasTokens = true;
      wordCount++;
      if (keywords.length < 4 && wordCount === keywords.length + 1) keywords.push(word);
      if (word === 'TRIGGER' && keywords[0] === 'CREATE') {
        // CREATE TRIGGER ... or CREATE TEMP|TEMPORARY TRIGGER ...
        if (wordCount === 2 || (wordCount === 3 && (keywords[1] === 'TEMP' || keywords[1] === 'TEMPORARY'))) inTrigger = true;
      }
      if (inTrigger && !triggerEnded) {
        if (word === 'BEGIN' && !triggerBody) triggerBody = true;
        else if (triggerBody && word === 'CASE') caseDepth++;
        else if (triggerBody && word === 'END') {
          if (caseDepth > 0) caseDepth--;
          else triggerEnded = true;
        }
      }
    } else if (c === ';') {
      if (inTrigger && triggerBody && !triggerEnded) {
        i++;
      } else {
        finish(i);
        i++;
      }
    } else {
      hasTokens = true;
      i++;
    }
  }
  finish(sql.length);
  return statements;
}

function skipQuoted(sql: string, from: number, quote: string): number {
  let i = from + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return sql.length;
}

/** True if the statement is an `EXPLAIN` or `EXPLAIN QUERY PLAN` statement. */
export function isExplain(statement: SqlStatementText): boolean {
  return statement.keywords[0] === 'EXPLAIN';
}
