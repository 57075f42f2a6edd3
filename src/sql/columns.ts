/**
 * Column names a statement refers to, best effort. A name counts as a column when it stands where an
 * expression can stand and is none of: a table, alias, CTE or window name; a function (followed by
 * '('); a keyword; an alias being declared (after AS, or an implicit `expr alias`); a type (after
 * `::` or `AS` inside CAST); a typed literal's type (`DATE '2024-01-01'`); a lambda parameter; a
 * named argument (`x => …`); a JSON path field (`raw:field`); a date unit (`INTERVAL 3 DAYS`,
 * `EXTRACT(YEAR FROM d)`, `datediff(DAY, a, b)`); a reference to a select-list alias declared
 * earlier in the text.
 *
 * For a qualified name the part after the longest prefix that names a relation of the statement is
 * the column (`o.amount`, `main.sales.orders.amount` → amount; `o.address.city` → address); when no
 * prefix is known the last part is taken (`t.col` → col).
 *
 * Known limits: a struct field behind an unknown qualifier is reported as a column; a real column
 * that shares its name with a select alias declared before it is missed; DDL column definitions are
 * reported; no catalog is consulted, so a name is never checked against a table's real columns.
 */
import { analyze, FUNCTION_KEYWORDS, unquote, type Analysis } from './analyze.js'
import type { Token } from './tokenize.js'

const DATE_UNITS = new Set([
  'YEAR',
  'YEARS',
  'QUARTER',
  'QUARTERS',
  'MONTH',
  'MONTHS',
  'WEEK',
  'WEEKS',
  'DAY',
  'DAYS',
  'HOUR',
  'HOURS',
  'MINUTE',
  'MINUTES',
  'SECOND',
  'SECONDS',
  'MILLISECOND',
  'MILLISECONDS',
  'MICROSECOND',
  'MICROSECONDS',
  'DAYOFWEEK',
  'DOW',
  'DAYOFYEAR',
  'DOY',
  'DAYOFMONTH',
  'WEEKDAY',
  'YEAROFWEEK',
  'EPOCH',
  'TO'
])
const UNIT_FUNCTIONS = new Set([
  'EXTRACT',
  'DATEDIFF',
  'DATE_DIFF',
  'DATEADD',
  'DATE_ADD',
  'TIMESTAMPADD',
  'TIMESTAMPDIFF',
  'DATE_PART',
  'DATEPART',
  'TIMESTAMP_DIFF'
])
const CAST_FUNCTIONS = new Set(['CAST', 'TRY_CAST'])
/** Keywords that end an operand, so a name right after them is an alias. */
const OPERAND_KEYWORDS = new Set([
  'END',
  'NULL',
  'TRUE',
  'FALSE',
  'CURRENT_DATE',
  'CURRENT_TIMESTAMP',
  'CURRENT_TIME',
  'CURRENT_USER',
  'CURRENT_CATALOG',
  'CURRENT_SCHEMA',
  'CURRENT_DATABASE',
  'LOCALTIMESTAMP',
  'SESSION_USER'
])

/** Statements without column references. */
const NO_COLUMNS = new Set(['SET', 'USE', 'SHOW', 'DESCRIBE', 'DESC', 'REFRESH', 'OPTIMIZE', 'VACUUM', 'ANALYZE'])

/** ( word , word , … ) */
function isWordList(a: Analysis, open: number): boolean {
  const end = a.close[open] ?? a.sig.length
  if (end >= a.sig.length || end <= open + 1) return false
  for (let x = open + 1; x < end; x++) {
    const t = a.sig[x] as Token
    const ok = (x - open - 1) % 2 === 0 ? t.kind === 'ident' || t.kind === 'quoted-ident' : isOp(t, ',')
    if (!ok) return false
  }
  return true
}

export function extractColumns(sql: string): string[] {
  try {
    return columnsOf(analyze(sql))
  } catch {
    return []
  }
}

function upper(t: Token | undefined): string {
  return t && (t.kind === 'keyword' || t.kind === 'ident') ? t.text.toUpperCase() : ''
}

function isOp(t: Token | undefined, text: string): boolean {
  return !!t && (t.kind === 'operator' || t.kind === 'punct') && t.text === text
}

function endsOperand(t: Token | undefined): boolean {
  if (!t) return false
  switch (t.kind) {
    case 'ident':
    case 'quoted-ident':
    case 'string':
    case 'number':
    case 'param':
      return true
    case 'punct':
      return t.text === ')' || t.text === ']'
    case 'keyword':
      return OPERAND_KEYWORDS.has(t.text.toUpperCase())
    default:
      return false
  }
}

export function columnsOf(a: Analysis): string[] {
  const { sig } = a
  const n = sig.length
  const view = new Walker(a)
  const aliases = new Map(a.columnAliases)
  // Names that are never a column on their own, and names that may qualify one.
  const relationNames = new Set<string>([...a.relationAliases, ...a.cteNames])
  const tableParts = a.relations.filter((r) => r.kind === 'table' || r.kind === 'cte').map((r) => r.parts)
  for (const p of tableParts) if (p.length === 1) relationNames.add(p[0] as string)
  const realTables = a.relations.filter((r) => r.kind === 'table')
  const tableAliases = new Set(realTables.flatMap((r) => (r.alias === undefined ? [] : [r.alias])))
  const qualifier = (parts: string[]): { k: number; real: boolean } => {
    for (let k = Math.min(parts.length - 1, 3); k >= 1; k--) {
      const prefix = parts.slice(0, k)
      const tails = (r: { parts: string[] }): boolean => r.parts.length >= k && r.parts.slice(r.parts.length - k).every((p, x) => p === prefix[x])
      if (k === 1 && tableAliases.has(prefix[0] as string)) return { k, real: true }
      if (realTables.some(tails)) return { k, real: true }
      if (k === 1 && (relationNames.has(prefix[0] as string) || aliases.has(prefix[0] as string) || a.statementAliases.has(prefix[0] as string)))
        return { k, real: false }
    }
    return { k: parts.length - 1, real: false }
  }
  const lambda = lambdaNames(a)
  const out = new Set<string>()
  const candidates: Array<{ i: number; parts: string[] }> = []

  const declare = (name: string, at: number, isUnit: boolean): void => {
    if (isUnit && DATE_UNITS.has(name.toUpperCase())) return
    if (!aliases.has(name)) aliases.set(name, at)
  }

  for (let i = 0; i < n; i++) {
    const t = sig[i] as Token
    if (t.kind === 'operator' && t.text === '::') {
      i = view.skipType(i + 1) - 1
      continue
    }
    if (t.kind === 'keyword' && t.text.toUpperCase() === 'AS') {
      const p = a.parent[i] ?? -1
      if (p >= 0 && CAST_FUNCTIONS.has(upper(sig[p - 1]))) {
        // CAST(x AS DECIMAL(10, 2)), CAST(x AS ARRAY<STRING>): the rest of the group is a type.
        i = (a.close[p] ?? n) - 1
        continue
      }
      if (isOp(sig[i + 1], '(') && isWordList(a, i + 1)) {
        // explode(m) AS (k, v): several aliases at once
        const c = a.close[i + 1] ?? n
        for (let x = i + 2; x < c; x += 2) declare(unquote((sig[x] as Token).text).toLowerCase(), x, false)
        i = c
        continue
      }
    }
    if (!view.isPart(i) || isOp(sig[i - 1], '.')) continue
    if (t.kind === 'keyword' && !(isOp(sig[i + 1], '.') && view.isPart(i + 2))) continue
    if (NO_COLUMNS.has(upper(sig[a.stmtStart[i] ?? 0]))) continue
    const chain = view.readName(i)
    const last = chain.last
    const next = sig[last + 1]
    const prev = sig[i - 1]
    if (a.marks.has(i) || lambda.has(i)) continue
    if (isOp(next, '(')) continue
    if (t.kind === 'ident' && t.text.toUpperCase() === 'GROUPING' && upper(next) === 'SETS') continue
    if (isOp(next, '.') && isOp(sig[last + 2], '*')) continue
    if (isOp(next, '->') || isOp(next, '=>')) continue
    const parts = chain.parts.map((p) => p.toLowerCase())
    const single = parts.length === 1
    if (single && next?.kind === 'string' && t.kind === 'ident') continue
    const pu = upper(prev)
    if (pu === 'AS') {
      const p = a.parent[i] ?? -1
      const inCall = p >= 0 && (sig[p - 1]?.kind === 'ident' || FUNCTION_KEYWORDS.has(upper(sig[p - 1])))
      if (single && !inCall) declare(parts[0] as string, i, false)
      continue
    }
    // NULLS FIRST, WITH ROLLUP, USING delta (a data source format)
    if (pu === 'NULLS' || pu === 'WITH' || pu === 'USING') continue
    if (prev && prev.kind === 'operator' && (prev.text === ':' || prev.text === '::')) continue
    if (endsOperand(prev)) {
      if (single) declare(parts[0] as string, i, true)
      continue
    }
    if (single && isOp(prev, '(')) {
      const fn = upper(sig[i - 2])
      if (UNIT_FUNCTIONS.has(fn) && DATE_UNITS.has(t.text.toUpperCase())) continue
      if (fn === 'TRIM' && /^(BOTH|LEADING|TRAILING)$/i.test(t.text)) continue
    }
    candidates.push({ i, parts })
  }

  for (const { i, parts } of candidates) {
    const single = parts.length === 1
    const q = single ? { k: 0, real: false } : qualifier(parts)
    const name = parts[q.k] as string
    if (!name) continue
    if (single && relationNames.has(name) && !a.columnAliases.has(name)) continue
    if (a.statementAliases.has(name) && !q.real) continue
    const declaredAt = aliases.get(name)
    // An alias referenced unqualified after its declaration, or through a CTE / subquery alias.
    if (declaredAt !== undefined && (single ? declaredAt < i : !q.real)) continue
    out.add(name)
  }
  return [...out]
}

/** Significant-token indices of lambda parameters and of their uses inside the lambda body. */
function lambdaNames(a: Analysis): Set<number> {
  const { sig } = a
  const out = new Set<number>()
  const openOf = new Map<number, number>()
  a.close.forEach((c, o) => {
    if (c >= 0) openOf.set(c, o)
  })
  for (let k = 0; k < sig.length; k++) {
    if (!isOp(sig[k], '->')) continue
    const params: string[] = []
    const before = sig[k - 1]
    if (before && (before.kind === 'ident' || before.kind === 'quoted-ident')) {
      params.push(before.text.toLowerCase())
      out.add(k - 1)
    } else if (isOp(before, ')')) {
      const o = openOf.get(k - 1) ?? k
      for (let x = o + 1; x < k - 1; x++) {
        const t = sig[x] as Token
        if (t.kind === 'ident' || t.kind === 'quoted-ident') {
          params.push(t.text.toLowerCase())
          out.add(x)
        }
      }
    }
    if (!params.length) continue
    const p = a.parent[k] ?? -1
    const end = p >= 0 ? (a.close[p] ?? sig.length) : sig.length
    for (let x = k + 1; x < end; x++) {
      const t = sig[x] as Token
      if ((t.kind === 'ident' || t.kind === 'quoted-ident') && !isOp(sig[x - 1], '.') && params.includes(t.text.toLowerCase())) out.add(x)
    }
  }
  return out
}

class Walker {
  constructor(private readonly a: Analysis) {}

  isPart(i: number): boolean {
    const t = this.a.sig[i]
    return !!t && (t.kind === 'ident' || t.kind === 'quoted-ident' || t.kind === 'keyword')
  }

  readName(i: number): { last: number; parts: string[] } {
    const { sig } = this.a
    const parts: string[] = []
    let j = i
    for (;;) {
      const t = sig[j] as Token
      parts.push(t.kind === 'quoted-ident' ? unquote(t.text) : t.text)
      if (isOp(sig[j + 1], '.') && this.isPart(j + 2)) j += 2
      else break
    }
    return { last: j, parts }
  }

  /** Past a type name: word [(…)] [<…>]. */
  skipType(start: number): number {
    const { sig, close } = this.a
    let j = start
    if (!this.isPart(j)) return j
    j++
    if (isOp(sig[j], '(')) j = (close[j] ?? sig.length) + 1
    if (isOp(sig[j], '<')) {
      let depth = 0
      for (; j < sig.length; j++) {
        const t = sig[j] as Token
        if (t.kind !== 'operator') continue
        for (const ch of t.text) {
          if (ch === '<') depth++
          else if (ch === '>') depth--
        }
        if (depth <= 0) return j + 1
      }
    }
    return j
  }
}
