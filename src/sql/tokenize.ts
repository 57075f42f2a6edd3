/**
 * A lossless lexer for Databricks SQL (the Spark SQL dialect). Every character of the input lands
 * in exactly one token, so `tokenize(sql).map((t) => t.text).join('') === sql` for any string, and
 * it never throws: an unterminated string, comment or backticked identifier runs to the end.
 */

export type TokenKind = 'ident' | 'quoted-ident' | 'keyword' | 'string' | 'number' | 'operator' | 'punct' | 'comment' | 'whitespace' | 'param'

export interface Token {
  kind: TokenKind
  text: string
  /** Offset of the first character in the input (UTF-16 code units, like `String#slice`). */
  start: number
  /** Offset just past the last character. */
  end: number
}

/**
 * Words lexed as `keyword`. Deliberately the structural words only: Spark's many non-reserved
 * keywords (`date`, `timestamp`, `year`, `name`, `value`, `type`, `default`, `first`, …) are
 * everyday column and schema names, so they are lexed as `ident` and the analysers decide by
 * position. Comparisons are case-insensitive.
 */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'ALL',
  'ALTER',
  'AND',
  'ANTI',
  'ANY',
  'AS',
  'ASC',
  'BETWEEN',
  'BY',
  'CASE',
  'CAST',
  'CLUSTER',
  'CREATE',
  'CROSS',
  'CURRENT',
  'CURRENT_CATALOG',
  'CURRENT_DATABASE',
  'CURRENT_DATE',
  'CURRENT_SCHEMA',
  'CURRENT_TIME',
  'CURRENT_TIMESTAMP',
  'CURRENT_USER',
  'DELETE',
  'DESC',
  'DISTINCT',
  'DISTRIBUTE',
  'DIV',
  'DROP',
  'ELSE',
  'END',
  'ESCAPE',
  'EXCEPT',
  'EXISTS',
  'FALSE',
  'FETCH',
  'FOLLOWING',
  'FOR',
  'FROM',
  'FULL',
  'GROUP',
  'HAVING',
  'IF',
  'ILIKE',
  'IN',
  'INNER',
  'INSERT',
  'INTERSECT',
  'INTERVAL',
  'INTO',
  'IS',
  'JOIN',
  'LATERAL',
  'LEFT',
  'LIKE',
  'LIMIT',
  'LOCALTIMESTAMP',
  'MATCHED',
  'MERGE',
  'MINUS',
  'NATURAL',
  'NOT',
  'NULL',
  'NULLS',
  'OFFSET',
  'ON',
  'OR',
  'ORDER',
  'OUTER',
  'OVER',
  'OVERWRITE',
  'PARTITION',
  'PIVOT',
  'PRECEDING',
  'QUALIFY',
  'RANGE',
  'RECURSIVE',
  'REGEXP',
  'REPLACE',
  'RIGHT',
  'RLIKE',
  'ROW',
  'ROWS',
  'SELECT',
  'SEMI',
  'SESSION_USER',
  'SET',
  'SOME',
  'SORT',
  'TABLE',
  'TABLESAMPLE',
  'THEN',
  'TRUE',
  'UNBOUNDED',
  'UNION',
  'UNPIVOT',
  'UPDATE',
  'USING',
  'VALUES',
  'VIEW',
  'WHEN',
  'WHERE',
  'WINDOW',
  'WITH',
  'WITHIN'
])

export function isKeyword(word: string): boolean {
  return KEYWORDS.has(word.toUpperCase())
}

// Longest first, so `<=>` wins over `<=` and `>>>` over `>>`.
const OPERATORS = ['<=>', '>>>', '<>', '!=', '>=', '<=', '==', '||', '&&', '::', '->', '=>', '<<', '>>']
const PUNCT = new Set(['(', ')', ',', '.', ';', '[', ']', '{', '}'])

const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:[bB][dD]|[lLsSyYdDfF])?/y
const SPACE = /\s+/y

// Words are letters and digits of any script, and `_`. Building the Unicode classes costs about a
// millisecond (at every start: validate tokenizes every example), so ASCII is judged by code and the
// classes are built when the first character outside ASCII is met; they decide from there.
let unicodeWord: { char: RegExp; run: RegExp } | undefined
const unicode = () => (unicodeWord ??= { char: /[\p{L}\p{N}_]/u, run: /[\p{L}\p{N}_]+/uy })
const isAsciiWord = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95

/** The word starting at `at` ('' when none). */
function matchWord(sql: string, at: number): string {
  let j = at
  while (j < sql.length) {
    const c = sql.charCodeAt(j)
    if (c >= 128) return sql.slice(at, j) + matchAt(unicode().run, sql, j)
    if (!isAsciiWord(c)) break
    j++
  }
  return sql.slice(at, j)
}

/** The match of a sticky regex at `at`, or ''. */
function matchAt(re: RegExp, sql: string, at: number): string {
  re.lastIndex = at
  const m = re.exec(sql)
  return m ? m[0] : ''
}

function isWordChar(ch: string | undefined): boolean {
  if (ch === undefined) return false
  const c = ch.charCodeAt(0)
  return c < 128 ? isAsciiWord(c) : unicode().char.test(ch)
}

/** Kinds after which `.5` is a qualifier dot, not a number, and `x:y` a JSON path, not a parameter. */
function endsOperand(t: Token | undefined): boolean {
  if (!t) return false
  if (t.kind === 'ident' || t.kind === 'quoted-ident' || t.kind === 'string' || t.kind === 'number' || t.kind === 'param') return true
  return t.kind === 'punct' && (t.text === ')' || t.text === ']')
}

/** End offset of a quoted run opened at `start` by `quote`; doubled quotes and (unless raw) backslash escapes stay inside. */
function quotedEnd(sql: string, start: number, quote: string, escapes: boolean): number {
  let i = start + 1
  while (i < sql.length) {
    const ch = sql[i]
    if (escapes && ch === '\\') {
      i += 2
      continue
    }
    if (ch === quote) {
      if (sql[i + 1] === quote) {
        i += 2
        continue
      }
      return i + 1
    }
    i++
  }
  return sql.length
}

/** End of a bracketed comment at `start`; Spark allows them nested. */
function blockCommentEnd(sql: string, start: number): number {
  let depth = 0
  let i = start
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth++
      i += 2
    } else if (sql.startsWith('*/', i)) {
      depth--
      i += 2
      if (depth === 0) return i
    } else i++
  }
  return sql.length
}

export function tokenize(sql: string): Token[] {
  const text = typeof sql === 'string' ? sql : String(sql ?? '')
  const out: Token[] = []
  try {
    lex(text, out)
  } catch {
    // Cannot happen by construction; keep the promise of losslessness regardless.
    const done = out.length ? (out[out.length - 1]?.end ?? 0) : 0
    if (done < text.length) out.push({ kind: 'operator', text: text.slice(done), start: done, end: text.length })
  }
  return out
}

function lex(sql: string, out: Token[]): void {
  let i = 0
  const push = (kind: TokenKind, end: number): void => {
    out.push({ kind, text: sql.slice(i, end), start: i, end })
    i = end
  }
  while (i < sql.length) {
    const ch = sql[i] as string
    const next = sql[i + 1]
    const prev = out[out.length - 1]

    if (/\s/.test(ch)) {
      push('whitespace', i + Math.max(1, matchAt(SPACE, sql, i).length))
      continue
    }
    if (ch === '-' && next === '-') {
      let j = i + 2
      while (j < sql.length && sql[j] !== '\n' && sql[j] !== '\r') j++
      push('comment', j)
      continue
    }
    if (ch === '/' && next === '*') {
      push('comment', blockCommentEnd(sql, i))
      continue
    }
    if (ch === "'" || ch === '"') {
      push('string', quotedEnd(sql, i, ch, true))
      continue
    }
    if (ch === '`') {
      push('quoted-ident', quotedEnd(sql, i, '`', false))
      continue
    }
    // Raw string literals: r'C:\path' (no escapes).
    if ((ch === 'r' || ch === 'R') && (next === "'" || next === '"') && !isWordChar(sql[i - 1])) {
      push('string', quotedEnd(sql, i + 1, next, false))
      continue
    }
    // {{ param }} (legacy Databricks SQL) and ${var} (widgets / variable substitution).
    if (ch === '{' && next === '{') {
      const close = sql.indexOf('}}', i + 2)
      push('param', close < 0 ? sql.length : close + 2)
      continue
    }
    if (ch === '$' && next === '{') {
      const close = sql.indexOf('}', i + 2)
      push('param', close < 0 ? sql.length : close + 1)
      continue
    }
    if (ch === '?') {
      push('param', i + 1)
      continue
    }
    if (ch === ':' && next !== ':' && (isWordChar(next) || next === '`') && !(endsOperand(prev) && prev?.end === i)) {
      // :name parameter marker (a `col:field` JSON path follows its operand directly and stays an operator).
      let j = i + 1
      if (next === '`') j = quotedEnd(sql, j, '`', false)
      else while (j < sql.length && isWordChar(sql[j])) j++
      push('param', j)
      continue
    }
    const dotNumber = ch === '.' && next !== undefined && /\d/.test(next) && !(prev && prev.end === i && (endsOperand(prev) || prev.kind === 'keyword'))
    if (/\d/.test(ch) || dotNumber) {
      const num = matchAt(NUMBER, sql, i) || ch
      if (!isWordChar(sql[i + num.length])) {
        push('number', i + num.length)
        continue
      }
      if (!/[.eE]/.test(num) || /^\d+$/.test(num)) {
        // 2023_sales, 1st_quarter: Spark identifiers may start with a digit.
        push('ident', i + Math.max(1, matchWord(sql, i).length))
        continue
      }
      push('number', i + num.length)
      continue
    }
    const word = matchWord(sql, i)
    if (word) {
      push(isKeyword(word) ? 'keyword' : 'ident', i + word.length)
      continue
    }
    if (PUNCT.has(ch)) {
      push('punct', i + 1)
      continue
    }
    const op = OPERATORS.find((o) => sql.startsWith(o, i))
    if (op) {
      push('operator', i + op.length)
      continue
    }
    // Any other character is a one-character operator; a surrogate pair stays whole.
    const cp = sql.codePointAt(i) ?? 0
    push('operator', i + (cp > 0xffff ? 2 : 1))
  }
}

/** Tokens that carry meaning: everything but whitespace and comments. */
export function isSignificant(t: Token): boolean {
  return t.kind !== 'whitespace' && t.kind !== 'comment'
}
