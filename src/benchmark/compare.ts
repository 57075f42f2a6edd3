/**
 * Result-set equivalence: is the result of Genie's SQL the result of the expected SQL?
 *
 * Rules (Genie's own benchmarks ignore column names; so does this):
 * - Column NAMES are ignored; column ORDER matters: rows are compared as tuples of values in column
 *   order. Different column counts fail at once ("expected 2 columns …, got 3 …").
 * - Rows are compared as MULTISETS (duplicates count) unless the question asks for an order (see
 *   `asksForOrder`), then position by position.
 * - Values: NULL equals NULL only. A value that reads as a number (the Statement Execution API's
 *   JSON_ARRAY sends every value as a string: "42", "42.0", "4.2E1") is compared as a number, with
 *   a relative tolerance of 1e-6 and an absolute one of 1e-9; anything else compares as text,
 *   exactly.
 * - Both results empty (same column count) is equal.
 * Unordered comparison sorts both sides and compares pairwise; if that fails (tolerance can reorder
 * near-equal values) rows are matched one by one, for results up to 4 million row pairs.
 */
export type Cell = string | number | boolean | null

export interface ResultSet {
  columns: string[]
  rows: Cell[][]
  /** The warehouse cut the result at the row limit. */
  truncated?: boolean
}

export interface CompareOptions {
  ordered?: boolean
  relTolerance?: number
  absTolerance?: number
}

export interface Comparison {
  equal: boolean
  /** One line: what differs (or what matched). */
  detail: string
}

export const REL_TOLERANCE = 1e-6
export const ABS_TOLERANCE = 1e-9

type Norm = { k: 0 } | { k: 1; v: number } | { k: 2; v: string }

const NUMERIC = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/

function norm(c: Cell): Norm {
  if (c === null || c === undefined) return { k: 0 }
  if (typeof c === 'number') return Number.isFinite(c) ? { k: 1, v: c } : { k: 2, v: String(c) }
  if (typeof c === 'boolean') return { k: 2, v: String(c) }
  if (NUMERIC.test(c)) {
    const v = Number(c)
    if (Number.isFinite(v)) return { k: 1, v }
  }
  return { k: 2, v: c }
}

function cellEqual(a: Norm, b: Norm, rel: number, abs: number): boolean {
  if (a.k !== b.k) return false
  if (a.k === 0) return true
  if (a.k === 1 && b.k === 1) {
    if (a.v === b.v) return true
    return Math.abs(a.v - b.v) <= Math.max(abs, rel * Math.max(Math.abs(a.v), Math.abs(b.v)))
  }
  return (a as { v: string }).v === (b as { v: string }).v
}

function cellOrder(a: Norm, b: Norm): number {
  if (a.k !== b.k) return a.k - b.k
  if (a.k === 0) return 0
  if (a.k === 1 && b.k === 1) return a.v - b.v
  const x = (a as { v: string }).v
  const y = (b as { v: string }).v
  return x < y ? -1 : x > y ? 1 : 0
}

function rowOrder(a: Norm[], b: Norm[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = cellOrder(a[i] as Norm, b[i] as Norm)
    if (d !== 0) return d
  }
  return 0
}

export function formatCell(c: Cell): string {
  if (c === null || c === undefined) return 'NULL'
  if (typeof c === 'string') return NUMERIC.test(c) ? c.trim() : JSON.stringify(c)
  return String(c)
}

export function formatRow(row: readonly Cell[], max = 120): string {
  const text = `(${row.map(formatCell).join(', ')})`
  return text.length <= max ? text : `${text.slice(0, max - 2)}…)`
}

function listRows(rows: readonly (readonly Cell[])[], max = 3): string {
  const shown = rows
    .slice(0, max)
    .map((r) => formatRow(r))
    .join(', ')
  return rows.length > max ? `${shown} (+${rows.length - max} more)` : shown
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

function columnList(cols: readonly string[]): string {
  const names = cols.map((c) => c || '?')
  const shown = names.slice(0, 8).join(', ')
  return names.length > 8 ? `${shown}, …` : shown
}

export function compareResults(expected: ResultSet, actual: ResultSet, options: CompareOptions = {}): Comparison {
  const rel = options.relTolerance ?? REL_TOLERANCE
  const abs = options.absTolerance ?? ABS_TOLERANCE
  const width = expected.columns.length || expected.rows[0]?.length || 0
  const actualWidth = actual.columns.length || actual.rows[0]?.length || 0
  if (width !== actualWidth) {
    const which = actualWidth > width ? 'extra columns' : 'missing columns'
    return {
      equal: false,
      detail: `${which}: expected ${plural(width, 'column')} (${columnList(expected.columns)}), got ${actualWidth} (${columnList(actual.columns)})`
    }
  }
  const e = expected.rows.map((r) => r.map(norm))
  const a = actual.rows.map((r) => r.map(norm))
  const rowsEqual = (x: Norm[], y: Norm[]) => x.every((c, i) => cellEqual(c, y[i] as Norm, rel, abs))
  const truncation = expected.truncated || actual.truncated ? ' (a result was truncated at the row limit)' : ''

  if (e.length === 0 && a.length === 0) return { equal: true, detail: `both results are empty (${plural(width, 'column')})` }
  if (e.length === 0) return { equal: false, detail: `expected no rows, got ${a.length}: ${listRows(actual.rows)}${truncation}` }
  if (a.length === 0) return { equal: false, detail: `expected ${plural(e.length, 'row')}, got none (empty result)${truncation}` }

  if (options.ordered) {
    const n = Math.min(e.length, a.length)
    for (let i = 0; i < n; i++) {
      if (!rowsEqual(e[i] as Norm[], a[i] as Norm[])) {
        const inOtherPlace = a.some((row) => rowsEqual(e[i] as Norm[], row))
        return {
          equal: false,
          detail: `row ${i + 1} differs (order matters for this question): expected ${formatRow(expected.rows[i] as Cell[])}, got ${formatRow(actual.rows[i] as Cell[])}${inOtherPlace ? '; the expected row is present elsewhere (wrong order)' : ''}${truncation}`
        }
      }
    }
    if (e.length !== a.length) return { equal: false, detail: `expected ${plural(e.length, 'row')}, got ${a.length}${truncation}` }
    return { equal: true, detail: `${plural(e.length, 'row')} match in order` }
  }

  // Unordered: sort both sides, compare pairwise.
  const idx = (rows: Norm[][]) => rows.map((_, i) => i).sort((i, j) => rowOrder(rows[i] as Norm[], rows[j] as Norm[]))
  const ei = idx(e)
  const ai = idx(a)
  if (e.length === a.length && ei.every((i, k) => rowsEqual(e[i] as Norm[], a[ai[k] as number] as Norm[]))) {
    return { equal: true, detail: `${plural(e.length, 'row')} match (order ignored)` }
  }
  if (e.length === 1 && a.length === 1) {
    const er = expected.rows[0] as Cell[]
    const ar = actual.rows[0] as Cell[]
    const diffs = (e[0] as Norm[]).map((c, i) => (cellEqual(c, (a[0] as Norm[])[i] as Norm, rel, abs) ? -1 : i)).filter((i) => i >= 0)
    if (width === 1) return { equal: false, detail: `expected ${formatCell(er[0] ?? null)}, got ${formatCell(ar[0] ?? null)}` }
    return {
      equal: false,
      detail: diffs.map((i) => `column ${i + 1}: expected ${formatCell(er[i] ?? null)}, got ${formatCell(ar[i] ?? null)}`).join('; ')
    }
  }
  if (e.length * a.length > 4_000_000) {
    return { equal: false, detail: `the results differ: expected ${plural(e.length, 'row')}, got ${a.length}${truncation}` }
  }
  // Row-by-row matching (tolerance can make sorted order disagree).
  const used = new Array<boolean>(a.length).fill(false)
  const missing: Cell[][] = []
  for (const i of ei) {
    let found = -1
    for (const j of ai) {
      if (!used[j] && rowsEqual(e[i] as Norm[], a[j] as Norm[])) {
        found = j
        break
      }
    }
    if (found >= 0) used[found] = true
    else missing.push(expected.rows[i] as Cell[])
  }
  const extra = ai.filter((j) => !used[j]).map((j) => actual.rows[j] as Cell[])
  if (!missing.length && !extra.length) return { equal: true, detail: `${plural(e.length, 'row')} match (order ignored)` }
  const parts: string[] = []
  if (missing.length) parts.push(`missing ${plural(missing.length, 'row')}: ${listRows(missing)}`)
  if (extra.length) parts.push(`extra ${plural(extra.length, 'row')}: ${listRows(extra)}`)
  return { equal: false, detail: `${parts.join('; ')} (expected ${plural(e.length, 'row')}, got ${a.length})${truncation}` }
}

// ---------------------------------------------------------------- does the question ask for an order?

/**
 * Words that make a question about order. Rows are compared in order only when the question uses
 * one of these AND the expected SQL sorts its final result (a top-level ORDER BY): "top 5
 * customers by revenue" with `ORDER BY revenue DESC LIMIT 5` is ordered; "revenue by region" with
 * an incidental ORDER BY is not, and neither is "highest revenue" answered by `SELECT MAX(…)`.
 */
export const ORDER_WORDS =
  /\b(top|bottom|highest|lowest|largest|smallest|biggest|greatest|fewest|most|least|best|worst|rank|ranks|ranked|ranking|sort|sorted|sorting|order(?:ed)? by|in (?:ascending|descending|alphabetical|chronological) order|in order|ascending|descending|first \d+|last \d+|chronological(?:ly)?|alphabetical(?:ly)?)\b/i

export function asksForOrder(question: string, expectedSql: string): boolean {
  return ORDER_WORDS.test(question) && hasTopLevelOrderBy(expectedSql)
}

/** True when the statement's outermost query ends with ORDER BY (not one inside a subquery or window). */
export function hasTopLevelOrderBy(sql: string): boolean {
  const code = stripSqlLiterals(sql)
  let depth = 0
  const re = /[()]|\border\s+by\b/gi
  let m: RegExpExecArray | null
  while ((m = re.exec(code))) {
    if (m[0] === '(') depth++
    else if (m[0] === ')') depth = Math.max(0, depth - 1)
    else if (depth === 0) return true
  }
  return false
}

/** Replaces comments, string literals and quoted identifiers with spaces (positions kept). */
export function stripSqlLiterals(sql: string): string {
  let out = ''
  let i = 0
  while (i < sql.length) {
    const c = sql[i] as string
    const next = sql[i + 1]
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i)
      const stop = end === -1 ? sql.length : end
      out += ' '.repeat(stop - i)
      i = stop
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2)
      const stop = end === -1 ? sql.length : end + 2
      out += ' '.repeat(stop - i)
      i = stop
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1
      while (j < sql.length) {
        if (sql[j] === '\\' && c !== '`') j += 2
        else if (sql[j] === c) {
          if (sql[j + 1] === c) j += 2
          else break
        } else j++
      }
      const stop = Math.min(sql.length, j + 1)
      out += ' '.repeat(stop - i)
      i = stop
    } else {
      out += c
      i++
    }
  }
  return out
}
