/**
 * Databricks SQL → DuckDB SQL, for the emulator's SQL engine (engine.ts).
 *
 * A small tokenizer (no parser) that rewrites only what differs between the two dialects. Every
 * rewrite, in the order the tokens are visited:
 *
 *   1. String literals. Databricks SQL accepts '…' and "…" as string literals (double quotes are
 *      NOT identifiers there) and uses backslash escapes inside them (\' \" \\ \n \t \r \0; any
 *      other \x is x, except \% and \_ which keep the backslash for LIKE, as Spark does).
 *      DuckDB only knows '…' with '' as the escape. → every string literal is re-emitted as
 *      '…' with the decoded value and '' doubling. Adjacent literals ('a' 'b', and so 'a''b')
 *      are one string in Databricks ("ab") and are merged into one.
 *   2. Backtick identifiers `a``b` → "a""b" (DuckDB's quoted identifier).
 *   3. `current_date` / `current_date()` → DATE 'yyyy-mm-dd' and `current_timestamp` /
 *      `current_timestamp()` / `now()` → TIMESTAMP '…' of the EMULATOR CLOCK (UTC), not the host
 *      clock, so that the demo data (generated relative to the same clock) and "last month"
 *      questions agree even with an injected clock. (DuckDB has no `current_timestamp()` with
 *      parentheses at all.) Databricks' session time zone defaults to UTC; so does this.
 *   4. Function calls (a name directly followed by `(`, not preceded by `.`) listed in
 *      FUNCTION_RENAMES are renamed to the `dbx_*` macros that engine.ts defines (MACROS there):
 *      functions DuckDB lacks (add_months, nvl, nvl2, to_date, to_timestamp, date_format,
 *      percentile, collect_list, collect_set) and functions DuckDB has with OTHER semantics
 *      (date_sub and datediff take a part name first in DuckDB; dayofweek is 0-based in DuckDB and
 *      1-based (Sunday = 1) in Databricks; weekday; date_add is renamed too so it also accepts
 *      strings and timestamps as Databricks does).
 *      For date_format, to_date(s, fmt) and to_timestamp(s, fmt) a literal Java-style format
 *      pattern ('yyyy-MM-dd') is rewritten to a strftime pattern ('%Y-%m-%d'), see
 *      javaPatternToStrftime ("basic": DuckDB needs a constant format).
 *   5. `:name` parameter markers are left alone here (bindParameters replaces them first); `::`
 *      casts are kept (both dialects have them). Comments are kept as they are.
 *
 * Not translated (DuckDB accepts them as Databricks means them): count_if, any_value, ifnull,
 * coalesce, nullif, year/month/day/quarter/hour/minute, last_day, date_trunc, ILIKE, QUALIFY,
 * `||`, INTERVAL literals, CAST(x AS STRING|INT|BIGINT|LONG|DOUBLE|DECIMAL(p,s)|DATE|TIMESTAMP).
 */

export type TokenKind = 'ws' | 'comment' | 'string' | 'ident' | 'word' | 'number' | 'param' | 'punct'

export interface Token {
  kind: TokenKind
  /** The source text of the token. */
  text: string
  /** string: the decoded value; ident: the unquoted name; param: the name without ':'. */
  value?: string
}

export class SqlTranslationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SqlTranslationError'
  }
}

const WORD_START = /[A-Za-z_]/
const WORD_CHAR = /[A-Za-z0-9_$]/

function decodeDatabricksString(body: string): string {
  let out = ''
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string
    if (c !== '\\' || i === body.length - 1) {
      out += c
      continue
    }
    const n = body[++i] as string
    switch (n) {
      case 'n':
        out += '\n'
        break
      case 't':
        out += '\t'
        break
      case 'r':
        out += '\r'
        break
      case '0':
        out += '\0'
        break
      case '%':
      case '_':
        out += `\\${n}`
        break
      default:
        out += n
    }
  }
  return out
}

/** Split Databricks SQL into tokens. Throws SqlTranslationError for an unterminated string/identifier/comment. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < sql.length) {
    const c = sql[i] as string
    const start = i
    if (/\s/.test(c)) {
      while (i < sql.length && /\s/.test(sql[i] as string)) i++
      tokens.push({ kind: 'ws', text: sql.slice(start, i) })
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++
      tokens.push({ kind: 'comment', text: sql.slice(start, i) })
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2)
      if (end < 0) throw new SqlTranslationError('[PARSE_SYNTAX_ERROR] Unclosed bracketed comment')
      i = end + 2
      tokens.push({ kind: 'comment', text: sql.slice(start, i) })
    } else if (c === "'" || c === '"') {
      i++
      let body = ''
      let closed = false
      while (i < sql.length) {
        const d = sql[i] as string
        if (d === '\\' && i + 1 < sql.length) {
          body += d + (sql[i + 1] as string)
          i += 2
          continue
        }
        if (d === c) {
          i++
          closed = true
          break
        }
        body += d
        i++
      }
      if (!closed) throw new SqlTranslationError(`[PARSE_SYNTAX_ERROR] Unterminated string literal at position ${start}`)
      tokens.push({ kind: 'string', text: sql.slice(start, i), value: decodeDatabricksString(body) })
    } else if (c === '`') {
      i++
      let name = ''
      let closed = false
      while (i < sql.length) {
        const d = sql[i] as string
        if (d === '`') {
          if (sql[i + 1] === '`') {
            name += '`'
            i += 2
            continue
          }
          i++
          closed = true
          break
        }
        name += d
        i++
      }
      if (!closed) throw new SqlTranslationError(`[PARSE_SYNTAX_ERROR] Unterminated quoted identifier at position ${start}`)
      tokens.push({ kind: 'ident', text: sql.slice(start, i), value: name })
    } else if (WORD_START.test(c)) {
      while (i < sql.length && WORD_CHAR.test(sql[i] as string)) i++
      tokens.push({ kind: 'word', text: sql.slice(start, i) })
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      while (i < sql.length && /[0-9.]/.test(sql[i] as string)) i++
      if (/[eE]/.test(sql[i] ?? '') && /[-+0-9]/.test(sql[i + 1] ?? '')) {
        i += 2
        while (i < sql.length && /[0-9]/.test(sql[i] as string)) i++
      }
      tokens.push({ kind: 'number', text: sql.slice(start, i) })
    } else if (c === ':' && sql[i + 1] === ':') {
      tokens.push({ kind: 'punct', text: '::' })
      i += 2
    } else if (c === ':' && WORD_START.test(sql[i + 1] ?? '')) {
      i++
      while (i < sql.length && WORD_CHAR.test(sql[i] as string)) i++
      tokens.push({ kind: 'param', text: sql.slice(start, i), value: sql.slice(start + 1, i) })
    } else {
      tokens.push({ kind: 'punct', text: c })
      i++
    }
  }
  return tokens
}

/** Index of the next token after `i` that is not whitespace or a comment (-1 if none). */
function nextSignificant(tokens: Token[], i: number): number {
  for (let j = i + 1; j < tokens.length; j++) {
    const k = (tokens[j] as Token).kind
    if (k !== 'ws' && k !== 'comment') return j
  }
  return -1
}

function prevSignificant(tokens: Token[], i: number): number {
  for (let j = i - 1; j >= 0; j--) {
    const k = (tokens[j] as Token).kind
    if (k !== 'ws' && k !== 'comment') return j
  }
  return -1
}

/**
 * Databricks function name (lower case) → the DuckDB macro engine.ts defines for it.
 * Keep in sync with MACROS in engine.ts.
 */
export const FUNCTION_RENAMES: Readonly<Record<string, string>> = Object.freeze({
  add_months: 'dbx_add_months',
  date_add: 'dbx_date_add',
  date_sub: 'dbx_date_sub',
  datediff: 'dbx_datediff',
  nvl: 'dbx_nvl',
  nvl2: 'dbx_nvl2',
  to_date: 'dbx_to_date',
  to_timestamp: 'dbx_to_timestamp',
  date_format: 'dbx_date_format',
  dayofweek: 'dbx_dayofweek',
  weekday: 'dbx_weekday',
  percentile: 'dbx_percentile',
  collect_list: 'dbx_collect_list',
  collect_set: 'dbx_collect_set'
})

export function quoteDuckString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0')
}

/** 'yyyy-mm-dd' of an epoch-ms instant, in UTC. */
export function utcDate(ms: number): string {
  const d = new Date(ms)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
}

/** 'yyyy-mm-dd hh:mm:ss.fff' of an epoch-ms instant, in UTC. */
export function utcTimestamp(ms: number): string {
  const d = new Date(ms)
  return `${utcDate(ms)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`
}

export interface TranslateOptions {
  /** "Now" for current_date()/current_timestamp()/now(), epoch ms (the emulator clock). */
  now: number
}

/** Translate Databricks SQL to DuckDB SQL (see the file comment for every rewrite). */
/**
 * 6. Catalog names DuckDB reserves (`system`, `temp`, `main`) cannot be attached, yet Databricks
 *    has a `system` catalog (system tables such as `system.billing.usage`) and workspaces commonly
 *    a `main` catalog, either of which a user's --dataset may hold. As the first part of a three-part name they are rewritten to `"dbx_<name>"`, the name
 *    the dataset loader attaches them under (catalogAlias). DuckDB's own `system` catalog is never
 *    what a Databricks query means.
 */
export const RESERVED_CATALOGS: ReadonlySet<string> = new Set(['system', 'temp', 'main'])

export function catalogAlias(name: string): string {
  return RESERVED_CATALOGS.has(name.toLowerCase()) ? `dbx_${name.toLowerCase()}` : name
}

function isReservedCatalogRef(tokens: Token[], i: number): boolean {
  const t = tokens[i] as Token
  const name = (t.kind === 'ident' ? (t.value ?? '') : t.text).toLowerCase()
  if (!RESERVED_CATALOGS.has(name)) return false
  const prev = prevSignificant(tokens, i)
  if (prev >= 0 && (tokens[prev] as Token).text === '.') return false
  // name . part . part
  let j = i
  for (let parts = 0; parts < 2; parts++) {
    const dot = nextSignificant(tokens, j)
    if (dot < 0 || (tokens[dot] as Token).text !== '.') return false
    const part = nextSignificant(tokens, dot)
    if (part < 0 || ((tokens[part] as Token).kind !== 'word' && (tokens[part] as Token).kind !== 'ident')) return false
    j = part
  }
  return true
}

export function translateSql(sql: string, options: TranslateOptions): string {
  const tokens = tokenize(sql)
  const out: string[] = []
  /** Token index → replacement text, for tokens rewritten ahead of time (format patterns). */
  const overrides = new Map<number, string>()
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token
    const override = overrides.get(i)
    if (override !== undefined) {
      out.push(override)
      continue
    }
    if (t.kind === 'string') {
      // Adjacent literals ('a' 'b', 'a''b') are one string in Databricks: merge them.
      let value = t.value ?? ''
      for (let j = i + 1; j < tokens.length; j++) {
        const u = tokens[j] as Token
        if (u.kind === 'ws') continue
        if (u.kind !== 'string') break
        value += u.value ?? ''
        i = j
      }
      out.push(quoteDuckString(value))
      continue
    }
    if ((t.kind === 'ident' || t.kind === 'word') && isReservedCatalogRef(tokens, i)) {
      out.push(`"${catalogAlias(t.kind === 'ident' ? (t.value ?? '') : t.text)}"`)
      continue
    }
    if (t.kind === 'ident') {
      out.push(`"${(t.value ?? '').replace(/"/g, '""')}"`)
      continue
    }
    if (t.kind !== 'word') {
      out.push(t.text)
      continue
    }
    const lower = t.text.toLowerCase()
    const prev = prevSignificant(tokens, i)
    const qualified = prev >= 0 && (tokens[prev] as Token).text === '.'
    const next = nextSignificant(tokens, i)
    const callsNext = next >= 0 && (tokens[next] as Token).text === '('
    if (!qualified && (lower === 'current_date' || lower === 'current_timestamp' || (lower === 'now' && callsNext))) {
      // Swallow an empty argument list: current_date() / current_timestamp() / now().
      if (callsNext) {
        const close = nextSignificant(tokens, next)
        if (close >= 0 && (tokens[close] as Token).text === ')') i = close
        else {
          out.push(t.text)
          continue
        }
      }
      out.push(lower === 'current_date' ? `DATE '${utcDate(options.now)}'` : `TIMESTAMP '${utcTimestamp(options.now)}'`)
      continue
    }
    const renamed = FUNCTION_RENAMES[lower]
    if (renamed !== undefined && callsNext && !qualified) {
      if (FORMAT_ARGUMENT[lower] !== undefined) {
        // DuckDB's strftime/strptime need a constant format: a literal Java-style pattern is turned
        // into a strftime pattern here; a non-literal format fails in DuckDB ("must be a constant").
        const arg = callArguments(tokens, next)[FORMAT_ARGUMENT[lower]]
        if (arg && arg.length === 1) {
          const only = tokens[arg[0] as number] as Token
          if (only.kind === 'string') overrides.set(arg[0] as number, quoteDuckString(javaPatternToStrftime(only.value ?? '')))
        }
      }
      out.push(renamed)
      continue
    }
    out.push(t.text)
  }
  return out.join('')
}

/** Functions whose argument at this index is a Java date-time pattern (Databricks) → strftime pattern. */
const FORMAT_ARGUMENT: Readonly<Record<string, number>> = { date_format: 1, to_date: 1, to_timestamp: 1 }

/**
 * The token indexes of each top-level argument of the call whose `(` is at `open` (whitespace and
 * comments left out). Returns [] when the parentheses do not close.
 */
function callArguments(tokens: Token[], open: number): number[][] {
  const args: number[][] = [[]]
  let depth = 0
  for (let j = open + 1; j < tokens.length; j++) {
    const t = tokens[j] as Token
    if (t.kind === 'ws' || t.kind === 'comment') continue
    if (t.text === '(') depth++
    if (t.text === ')') {
      if (depth === 0) return args
      depth--
    }
    if (t.text === ',' && depth === 0) {
      args.push([])
      continue
    }
    ;(args[args.length - 1] as number[]).push(j)
  }
  return []
}

/**
 * A Databricks (Java DateTimeFormatter) pattern → a DuckDB strftime/strptime pattern ("basic":
 * y, M, d, H, h, m, s, S, E, a, D and '…' quoted text; other letters are copied).
 */
export function javaPatternToStrftime(pattern: string): string {
  let out = ''
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i] as string
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1)
      const text = end < 0 ? pattern.slice(i + 1) : pattern.slice(i + 1, end)
      out += text === '' ? "'" : text.replace(/%/g, '%%')
      i = end < 0 ? pattern.length : end + 1
      continue
    }
    let n = 1
    while (pattern[i + n] === c) n++
    i += n
    switch (c) {
      case 'y':
        out += n === 2 ? '%y' : '%Y'
        break
      case 'M':
      case 'L':
        out += n === 1 ? '%-m' : n === 2 ? '%m' : n === 3 ? '%b' : '%B'
        break
      case 'd':
        out += n === 1 ? '%-d' : '%d'
        break
      case 'H':
        out += n === 1 ? '%-H' : '%H'
        break
      case 'h':
        out += n === 1 ? '%-I' : '%I'
        break
      case 'm':
        out += n === 1 ? '%-M' : '%M'
        break
      case 's':
        out += n === 1 ? '%-S' : '%S'
        break
      case 'S':
        out += '%g'
        break
      case 'E':
        out += n >= 4 ? '%A' : '%a'
        break
      case 'a':
        out += '%p'
        break
      case 'D':
        out += '%j'
        break
      case '%':
        out += '%%'.repeat(n)
        break
      default:
        out += c.repeat(n)
    }
  }
  return out
}

/** The `:name` parameter markers used in the SQL, in order of first use. */
export function parameterNames(sql: string): string[] {
  const names: string[] = []
  for (const t of tokenize(sql)) if (t.kind === 'param' && !names.includes(t.value ?? '')) names.push(t.value ?? '')
  return names
}

/**
 * Replace `:name` markers with SQL text (Databricks dialect). `literalFor` returns the replacement,
 * or undefined to leave the marker (the caller reports unbound parameters).
 */
export function bindParameters(sql: string, literalFor: (name: string) => string | undefined): string {
  return tokenize(sql)
    .map((t) => (t.kind === 'param' ? (literalFor(t.value ?? '') ?? t.text) : t.text))
    .join('')
}

/** A Databricks string literal (backslash escapes, as Databricks SQL reads them). */
export function databricksString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
}

const NUMERIC_TYPES = new Set([
  'INT',
  'INTEGER',
  'BIGINT',
  'LONG',
  'SMALLINT',
  'SHORT',
  'TINYINT',
  'BYTE',
  'DOUBLE',
  'FLOAT',
  'REAL',
  'DECIMAL',
  'NUMERIC',
  'DEC'
])
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/

/**
 * A Databricks literal for a parameter value of the given type (a Genie example's `type_hint`, a
 * statement parameter's `type`): numbers and booleans bare when they look like one, DATE '…',
 * TIMESTAMP '…', everything else a quoted string. null → NULL.
 */
export function literalForType(value: string | null, type: string | undefined): string {
  if (value === null) return 'NULL'
  const base = (type ?? 'STRING').trim().toUpperCase().replace(/\(.*$/, '').trim()
  if (NUMERIC_TYPES.has(base) && NUMBER.test(value.trim())) return value.trim()
  if (base === 'BOOLEAN' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase()
  if (base === 'DATE') return `DATE ${databricksString(value)}`
  if (base === 'TIMESTAMP' || base === 'TIMESTAMP_NTZ' || base === 'TIMESTAMP_LTZ') return `TIMESTAMP ${databricksString(value)}`
  return databricksString(value)
}

export type StatementCheck = { ok: true } | { ok: false; message: string }

/**
 * Read-only check before anything runs: exactly one statement, starting with SELECT, WITH or
 * VALUES (after comments and opening parentheses). engine.ts also checks DuckDB's own statement
 * type after preparing, which catches `WITH … INSERT`.
 */
export function checkReadOnly(sql: string): StatementCheck {
  const tokens = tokenize(sql)
  let first: Token | undefined
  let sawSemicolon = false
  for (const t of tokens) {
    if (t.kind === 'ws' || t.kind === 'comment') continue
    if (sawSemicolon) {
      if (t.text === ';') continue
      return { ok: false, message: '[INVALID_SQL_MULTIPLE_STATEMENTS] Only one statement can be executed at a time.' }
    }
    if (t.text === ';') {
      sawSemicolon = true
      continue
    }
    if (!first && t.text !== '(') first = t
  }
  if (!first) return { ok: false, message: '[PARSE_EMPTY_STATEMENT] Syntax error, unexpected empty statement.' }
  const kw = first.kind === 'word' ? first.text.toUpperCase() : first.text
  if (kw !== 'SELECT' && kw !== 'WITH' && kw !== 'VALUES') {
    return {
      ok: false,
      message: `[EMULATOR_READ_ONLY] The emulator's SQL warehouse is read-only: only SELECT, WITH and VALUES statements run (got ${kw}).`
    }
  }
  return { ok: true }
}
