import { isSignificant, tokenize, type Token } from './tokenize.js'

/**
 * The one place that decides which SQL may run on a warehouse: `checkReadOnly(sql)` accepts a text
 * that is exactly ONE statement of a read-only kind, and refuses everything else with a one-line
 * reason. Every statement SpaceOps sends (benchmark expected_sql, Genie's SQL re-run for the result
 * check) and every SQL field `validate` checks goes through it.
 *
 * Accepted (case-insensitive, after any whitespace, comments and opening parentheses):
 *  - SELECT …, (SELECT …) UNION (SELECT …), VALUES …, TABLE t, FROM t SELECT … (Spark's FROM-first
 *    query), WITH … <one of these> (a WITH whose main statement is INSERT, MERGE, … is refused:
 *    Databricks accepts `WITH … INSERT`);
 *  - SHOW …, DESCRIBE / DESC …;
 *  - EXPLAIN [EXTENDED | CODEGEN | COST | FORMATTED] <an accepted statement>. Spark's EXPLAIN does
 *    not execute, but the explained statement must be read-only too: nothing a benchmark needs is
 *    lost, and an engine whose EXPLAIN can run the statement (EXPLAIN ANALYZE elsewhere) cannot
 *    be used to smuggle one in.
 * Trailing semicolons and comments are allowed; a second statement after a `;` is refused, as is
 * every other kind (INSERT, UPDATE, DELETE, MERGE, DROP, CREATE, ALTER, TRUNCATE, GRANT, COPY INTO,
 * OPTIMIZE, VACUUM, SET, USE, CALL, EXECUTE IMMEDIATE, BEGIN … END, unknown words).
 *
 * Reading is by the lossless tokenizer, so `;` and keywords inside strings, backticked identifiers
 * and comments are text, not structure. Where SQL engines read the same text differently the check
 * takes the stricter reading:
 *  - a string, backticked identifier or bracketed comment left open is refused;
 *  - a nested bracketed comment (`/* /* *\/ … *\/`) is refused: Spark nests them, other parsers end
 *    the comment at the first `*\/`;
 *  - the text must also be one read-only statement when backslashes escape nothing (Spark's
 *    `spark.sql.parser.escapedStringLiterals`), so `'\'; DROP …` is refused, and when `{{ }}` and
 *    `${ }` are not parameters (they are the tokenizer's, not Spark's), so `{{ ' }}` cannot hide
 *    a quote;
 *  - inside a query (SELECT, WITH, VALUES, TABLE, FROM) the keywords INSERT, UPDATE, DELETE, MERGE,
 *    INTO, OVERWRITE, DROP, CREATE and ALTER are refused anywhere outside strings and backticks
 *    (Spark has no data-changing subqueries, and `SELECT … INTO` is a write elsewhere): a column
 *    literally named `delete` must be backticked.
 *
 * Read-only is about the statement kind. Functions are not judged (a UDF or `http_request` does
 * what it does): the warehouse's grants to the token that runs the SQL stay the real boundary.
 * The Databricks docs do not say whether the Statement Execution API runs more than one statement
 * per request; refusing a second statement makes the answer irrelevant.
 */
export type ReadOnlyCheck =
  | {
      readOnly: true
      /** The statement's kind: `SELECT`, `WITH … SELECT`, `VALUES`, `TABLE`, `FROM … SELECT`, `SHOW`, `DESCRIBE`, `EXPLAIN`. */
      kind: string
      /** The one statement as it is sent: its own text and comments, without surrounding whitespace, the `;` and anything after it. */
      statement: string
    }
  | {
      readOnly: false
      /** One line, e.g. `DROP statements are not read-only`. */
      reason: string
      /** Offset (UTF-16 code units) in the SQL of what was refused. */
      at: number
    }

type Verdict = { ok: true; kind: string } | { ok: false; reason: string; at: number }

const QUERY_STARTS = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE', 'FROM'])
const WRITE_WORDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'INTO', 'OVERWRITE', 'DROP', 'CREATE', 'ALTER'])
const EXPLAIN_MODES = new Set(['EXTENDED', 'CODEGEN', 'COST', 'FORMATTED'])

const wordOf = (t: Token | undefined): string | undefined => (t && (t.kind === 'keyword' || t.kind === 'ident') ? t.text.toUpperCase() : undefined)
const isPunct = (t: Token | undefined, p: string): boolean => t?.kind === 'punct' && t.text === p

export function checkReadOnly(sql: string): ReadOnlyCheck {
  const text = typeof sql === 'string' ? sql : String(sql ?? '')
  const tokens = tokenize(text)
  const open = unclosed(tokens)
  if (open) return { readOnly: false, reason: open.reason, at: open.at }
  const nested = tokens.find((t) => t.kind === 'comment' && t.text.startsWith('/*') && t.text.slice(2, -2).includes('/*'))
  if (nested) return { readOnly: false, reason: 'a nested /* comment is refused (SQL engines disagree where it ends)', at: nested.start }

  const first = judge(tokens)
  if (!first.ok) return { readOnly: false, reason: first.reason, at: first.at }
  // The readings of other parsers, each made by replacing characters with spaces (offsets stay):
  // Spark has no `{{ }}` / `${ }` parameters (a `'` or `;` inside one is code there), and with
  // escapedStringLiterals a backslash escapes nothing.
  const readings: [RegExp, string][] = [
    [/[{]/g, 'when {{ }} and ${ } are not parameters'],
    [/[{\\]/g, 'when backslashes in strings escape nothing']
  ]
  for (const [chars, when] of readings) {
    const other = text.replace(chars, ' ')
    if (other === text) continue
    const alt = judge(tokenize(other))
    if (!alt.ok) return { readOnly: false, reason: `${alt.reason} (${when})`, at: alt.at }
  }
  // The chunk holding the statement, its own comments included.
  const chunks = statementsOf(tokens, (t) => t.kind !== 'whitespace')
  const statement = chunks.find((c) => c.some(isSignificant)) as Token[]
  const start = (statement[0] as Token).start
  const end = (statement[statement.length - 1] as Token).end
  return { readOnly: true, kind: first.kind, statement: text.slice(start, end) }
}

/** True when `checkReadOnly` accepts the SQL. */
export function isReadOnly(sql: string): boolean {
  return checkReadOnly(sql).readOnly
}

/** An unterminated string, backticked identifier or bracketed comment runs to the end: it is the last token. */
function unclosed(tokens: readonly Token[]): { reason: string; at: number } | undefined {
  const last = tokens[tokens.length - 1]
  if (!last || !(last.kind === 'string' || last.kind === 'quoted-ident' || (last.kind === 'comment' && last.text.startsWith('/*')))) return undefined
  // Lexed again with a character after it, a closed token still ends where it ended.
  const again = tokenize(`${last.text}\n`)[0]
  if (again && again.end <= last.text.length) return undefined
  const what = last.kind === 'string' ? 'string literal' : last.kind === 'quoted-ident' ? 'backticked identifier' : '/* comment'
  return { reason: `the SQL has an unterminated ${what}`, at: last.start }
}

/** The tokens (by default the significant ones) of each `;`-separated statement; empty statements are empty arrays. */
function statementsOf(tokens: readonly Token[], keep: (t: Token) => boolean = isSignificant): Token[][] {
  const out: Token[][] = [[]]
  for (const t of tokens) {
    if (!keep(t)) continue
    if (isPunct(t, ';')) out.push([])
    else out[out.length - 1]?.push(t)
  }
  return out
}

function judge(tokens: readonly Token[]): Verdict {
  const statements = statementsOf(tokens).filter((s) => s.length)
  const only = statements[0]
  if (!only) return { ok: false, reason: 'the SQL holds no statement', at: 0 }
  if (statements.length > 1) {
    const second = statements[1] as Token[]
    const word = wordOf(second[0])
    const next = word ? `${/^[AEIOU]/.test(word) ? 'an' : 'a'} ${word} statement` : 'another statement'
    return {
      ok: false,
      reason: `the SQL holds ${statements.length} statements (${next} follows a ';'); only one statement may run`,
      at: (second[0] as Token).start
    }
  }
  return classify(only, 0)
}

function statementName(ts: readonly Token[], i: number): string {
  const w = wordOf(ts[i])
  if (w === 'COPY' && wordOf(ts[i + 1]) === 'INTO') return 'COPY INTO'
  if (w === 'EXECUTE' && wordOf(ts[i + 1]) === 'IMMEDIATE') return 'EXECUTE IMMEDIATE'
  return w ?? ''
}

function refuseKind(ts: readonly Token[], i: number, prefix = ''): Verdict {
  const t = ts[i]
  if (!t) return { ok: false, reason: prefix ? `${prefix}without a main statement` : 'the SQL holds no statement', at: ts[ts.length - 1]?.end ?? 0 }
  const name = statementName(ts, i)
  if (!name) return { ok: false, reason: `the SQL does not start with a statement keyword (it starts with "${t.text}")`, at: t.start }
  return { ok: false, reason: `${prefix}${name} statements are not read-only`, at: t.start }
}

function classify(ts: readonly Token[], i: number): Verdict {
  let j = i
  while (isPunct(ts[j], '(')) j++
  const w = wordOf(ts[j])
  if (w !== undefined && QUERY_STARTS.has(w)) return query(ts, j)
  if (j > i && (w === 'SHOW' || w === 'DESCRIBE' || w === 'DESC' || w === 'EXPLAIN')) {
    return { ok: false, reason: `a parenthesised ${w} statement is refused (only queries go in parentheses)`, at: (ts[j] as Token).start }
  }
  if (j > i) return refuseKind(ts, j)
  if (w === 'SHOW') return { ok: true, kind: 'SHOW' }
  if (w === 'DESCRIBE' || w === 'DESC') return { ok: true, kind: 'DESCRIBE' }
  if (w === 'EXPLAIN') {
    let k = j + 1
    while (EXPLAIN_MODES.has(wordOf(ts[k]) ?? '')) k++
    const inner = classify(ts, k)
    return inner.ok ? { ok: true, kind: 'EXPLAIN' } : { ...inner, reason: `EXPLAIN: ${inner.reason}` }
  }
  return refuseKind(ts, j)
}

/** A query starting at `i` (SELECT, WITH, VALUES, TABLE or FROM). */
function query(ts: readonly Token[], i: number): Verdict {
  const w = wordOf(ts[i]) as string
  let kind = w === 'FROM' ? 'FROM … SELECT' : w
  if (w === 'WITH') {
    const main = afterCtes(ts, i + 1)
    if (typeof main !== 'number') return main
    let j = main
    while (isPunct(ts[j], '(')) j++
    const mw = wordOf(ts[j])
    if (mw === undefined || mw === 'WITH' || !QUERY_STARTS.has(mw)) return refuseKind(ts, j, 'WITH … ')
    kind = `WITH … ${mw === 'FROM' ? 'FROM … SELECT' : mw}`
  }
  const write = ts.slice(i).find((t) => t.kind === 'keyword' && WRITE_WORDS.has(t.text.toUpperCase()))
  if (write) {
    const word = write.text.toUpperCase()
    const reason = word === 'INTO' && w === 'SELECT' ? 'SELECT … INTO statements are not read-only' : `a query containing ${word} is not read-only`
    return { ok: false, reason, at: write.start }
  }
  return { ok: true, kind }
}

/** Whether the parenthesised group at `i` holds a query. */
function startsQuery(ts: readonly Token[], i: number): boolean {
  let k = i
  while (isPunct(ts[k], '(')) k++
  return QUERY_STARTS.has(wordOf(ts[k]) ?? '')
}

/** Index just past a balanced parenthesised group opened at `i`, or the end. */
function skipGroup(ts: readonly Token[], i: number): number {
  let depth = 0
  for (let k = i; k < ts.length; k++) {
    if (isPunct(ts[k], '(')) depth++
    else if (isPunct(ts[k], ')') && --depth === 0) return k + 1
  }
  return ts.length
}

/**
 * Past the CTE list of a WITH (`[RECURSIVE] name [(columns)] [AS] (query) [, …]`): the index of
 * the main statement, or a refusal when the list cannot be read (read conservatively).
 */
function afterCtes(ts: readonly Token[], i: number): number | Verdict {
  let k = i
  if (wordOf(ts[k]) === 'RECURSIVE') k++
  for (;;) {
    const name = ts[k]
    if (!name || !(name.kind === 'ident' || name.kind === 'quoted-ident' || name.kind === 'keyword') || wordOf(name) === 'AS') {
      return { ok: false, reason: 'the WITH clause could not be read (expected a name)', at: name?.start ?? ts[ts.length - 1]?.end ?? 0 }
    }
    k++
    // A column list, unless the group is already the body (AS is optional in Spark).
    if (isPunct(ts[k], '(') && !startsQuery(ts, k)) k = skipGroup(ts, k)
    if (wordOf(ts[k]) === 'AS') k++
    if (!isPunct(ts[k], '(')) return { ok: false, reason: `the WITH clause could not be read (expected "(" after ${name.text})`, at: ts[k]?.start ?? name.end }
    k = skipGroup(ts, k)
    if (!isPunct(ts[k], ',')) return k
    k++
  }
}
