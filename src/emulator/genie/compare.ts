/**
 * Result-set comparison for Genie eval runs (genie-api.md: "Scoring compares result sets").
 *
 * Rules (the docs give the reason names, not the algorithm; this is the emulator's choice):
 *   - Column names are ignored. Columns are matched by content first: if every expected column has
 *     an actual column with the same multiset of values (one-to-one), the actual columns are
 *     reordered to match; otherwise they are compared by position.
 *   - Rows are compared as multisets (order-insensitive).
 *   - Cells: both null → equal; both numeric → equal within a relative tolerance of 1e-6
 *     (|a − b| ≤ 1e-6 · max(|a|, |b|), or both below 1e-12); otherwise string equality, after
 *     turning a midnight timestamp ("2024-05-01T00:00:00.000Z") into its date ("2024-05-01").
 *   - Reasons:
 *       fewer / more columns than expected → RESULT_MISSING_COLUMNS / RESULT_EXTRA_COLUMNS
 *       (rows are then not compared cell by cell);
 *       actual empty, expected not → EMPTY_RESULT;
 *       both 1×1 and the cell differs → SINGLE_CELL_DIFFERENCE;
 *       otherwise expected rows without a match → RESULT_MISSING_ROWS, actual rows without a
 *       match → RESULT_EXTRA_ROWS.
 *   - No reason → GOOD. Expected result empty → NEEDS_REVIEW with EMPTY_GOOD_SQL (an empty ground
 *     truth proves nothing), decided by the caller (evals.ts).
 */
export type Cell = string | null
export type Rows = readonly (readonly Cell[])[]

export type ScoreReason =
  | 'RESULT_MISSING_ROWS'
  | 'RESULT_EXTRA_ROWS'
  | 'RESULT_MISSING_COLUMNS'
  | 'RESULT_EXTRA_COLUMNS'
  | 'SINGLE_CELL_DIFFERENCE'
  | 'EMPTY_RESULT'
  | 'EMPTY_GOOD_SQL'

export const RELATIVE_TOLERANCE = 1e-6
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/

function normalise(cell: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T00:00:00(\.0+)?Z?$/.exec(cell)
  return m ? (m[1] as string) : cell
}

export function cellsEqual(a: Cell, b: Cell): boolean {
  if (a === null || b === null) return a === b
  if (NUMBER.test(a.trim()) && NUMBER.test(b.trim())) {
    const x = Number(a)
    const y = Number(b)
    if (x === y) return true
    const scale = Math.max(Math.abs(x), Math.abs(y))
    return scale < 1e-12 || Math.abs(x - y) <= RELATIVE_TOLERANCE * scale
  }
  return normalise(a) === normalise(b)
}

function rowsEqual(a: readonly Cell[], b: readonly Cell[]): boolean {
  return a.length === b.length && a.every((c, i) => cellsEqual(c, b[i] as Cell))
}

/** A sortable key for a column's values (numbers rounded so that tolerance-equal values usually agree). */
function cellKey(c: Cell): string {
  if (c === null) return '\u0000null'
  if (NUMBER.test(c.trim())) return `n:${Number(Number(c).toPrecision(9))}`
  return `s:${normalise(c)}`
}

function columnSignature(rows: Rows, index: number): string {
  return rows
    .map((r) => cellKey(r[index] ?? null))
    .sort()
    .join('\u0001')
}

/** Actual rows with columns reordered to the expected order when a one-to-one content match exists. */
function alignColumns(expected: Rows, actual: Rows, width: number): Rows {
  const expectedSigs = Array.from({ length: width }, (_, i) => columnSignature(expected, i))
  const actualSigs = Array.from({ length: width }, (_, i) => columnSignature(actual, i))
  const used = new Set<number>()
  const order: number[] = []
  for (const sig of expectedSigs) {
    const j = actualSigs.findIndex((s, k) => s === sig && !used.has(k))
    if (j < 0) return actual
    used.add(j)
    order.push(j)
  }
  return actual.map((row) => order.map((j) => row[j] ?? null))
}

/** Compare two results (column counts from the schemas; rows as JSON_ARRAY cells). */
export function compareResults(expected: { columns: number; rows: Rows }, actual: { columns: number; rows: Rows }): ScoreReason[] {
  const reasons: ScoreReason[] = []
  if (actual.columns < expected.columns) reasons.push('RESULT_MISSING_COLUMNS')
  if (actual.columns > expected.columns) reasons.push('RESULT_EXTRA_COLUMNS')
  if (actual.rows.length === 0 && expected.rows.length > 0) return [...reasons, 'EMPTY_RESULT']
  if (reasons.length > 0) {
    if (actual.rows.length < expected.rows.length) reasons.push('RESULT_MISSING_ROWS')
    if (actual.rows.length > expected.rows.length) reasons.push('RESULT_EXTRA_ROWS')
    return reasons
  }
  const aligned = alignColumns(expected.rows, actual.rows, expected.columns)
  if (expected.columns === 1 && expected.rows.length === 1 && aligned.length === 1) {
    return rowsEqual(expected.rows[0] as Cell[], aligned[0] as Cell[]) ? [] : ['SINGLE_CELL_DIFFERENCE']
  }
  // Multiset match: exact-key buckets first, then tolerance-aware search among the leftovers.
  const remaining = new Map<string, number[]>()
  aligned.forEach((row, i) => {
    const key = row.map(cellKey).join('\u0001')
    const bucket = remaining.get(key)
    if (bucket) bucket.push(i)
    else remaining.set(key, [i])
  })
  const matched = new Set<number>()
  const unmatchedExpected: (readonly Cell[])[] = []
  for (const row of expected.rows) {
    const bucket = remaining.get(row.map(cellKey).join('\u0001'))
    const hit = bucket?.find((i) => !matched.has(i) && rowsEqual(row, aligned[i] as Cell[]))
    if (hit !== undefined) matched.add(hit)
    else unmatchedExpected.push(row)
  }
  let missing = 0
  for (const row of unmatchedExpected) {
    const hit = aligned.findIndex((r, i) => !matched.has(i) && rowsEqual(row, r))
    if (hit >= 0) matched.add(hit)
    else missing++
  }
  if (missing > 0) reasons.push('RESULT_MISSING_ROWS')
  if (matched.size < aligned.length) reasons.push('RESULT_EXTRA_ROWS')
  return reasons
}
