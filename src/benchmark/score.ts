import { compilePattern } from '../model/pattern.js'
import { checkReadOnly, extractColumns, tableMatches, tableNames } from '../sql/index.js'
import { describeError } from '../util/errors.js'
import { asksForOrder, compareResults, type ResultSet } from './compare.js'
import { RefusedStatementError } from './statements.js'
import type { AttemptStatus, BenchmarkQuestion, CheckResult } from './types.js'

/**
 * Scoring one answer. Every check of the question runs and is listed with why it failed:
 *
 * | check | passes when |
 * |---|---|
 * | sql | Genie answered with SQL (a text answer or a clarifying question has none: everything fails) |
 * | tables | every expected table is read by the SQL — names from the SQL library (backticks, CTEs, subqueries, UNION understood; a CTE name is not a table), matched on their trailing parts case-insensitively (`orders` matches `main.sales.orders`) |
 * | columns | every expected column is referenced (compared by its last part, case-insensitively) |
 * | contains | every expected_sql_contains string is in the SQL, case-insensitively |
 * | pattern | expected_sql_pattern matches (RE2 syntax, linear time; a leading `(?i)` is honoured) |
 * | result | the SQL's result equals expected_sql's, both run on the space's warehouse (compare.ts) |
 *
 * The answer passes when every check passes. An attempt is an `error` (no verdict, not passed)
 * when expected_sql itself cannot run or no warehouse is known to run it. Only one read-only
 * statement is ever run (statements.ts → sql/readonly.ts): an expected_sql that is refused makes
 * the question an error, a refused Genie SQL fails the result check; neither is sent.
 */
export interface Answer {
  sql?: string
  text?: string
  /** Why there is no usable answer (a text answer, a clarifying question, Genie failing …); fails the answer even when `sql` is set. */
  noSql?: string
}

/** What the result check needs; absent when the question has no expected_sql. */
export interface ResultContext {
  /** The expected result (computed once per question by the caller). */
  expected: () => Promise<ResultSet>
  /** Runs Genie's SQL on the warehouse. */
  run: (sql: string) => Promise<ResultSet>
}

export interface Score {
  status: Exclude<AttemptStatus, 'skipped'>
  checks: CheckResult[]
  error?: string
}

const lastPart = (name: string): string => {
  const parts = name.replace(/[`"]/g, '').trim().toLowerCase().split('.')
  return parts[parts.length - 1] ?? ''
}

function list(items: readonly string[], max = 8): string {
  if (!items.length) return 'none'
  const shown = items.slice(0, max).join(', ')
  return items.length > max ? `${shown} (+${items.length - max} more)` : shown
}

/** The checks that need only the SQL text. */
export function staticChecks(q: BenchmarkQuestion, sql: string): CheckResult[] {
  const checks: CheckResult[] = []
  if (q.expectedTables.length) {
    try {
      const used = tableNames(sql)
      const missing = q.expectedTables.filter((t) => !used.some((u) => tableMatches(t, u)))
      checks.push(
        missing.length
          ? { name: 'tables', passed: false, detail: `missing table${missing.length === 1 ? '' : 's'} ${list(missing)}; the SQL reads ${list(used)}` }
          : { name: 'tables', passed: true, detail: `reads ${list(q.expectedTables)}` }
      )
    } catch (err) {
      checks.push({ name: 'tables', passed: false, detail: `could not read the tables of the SQL: ${describeError(err)}` })
    }
  }
  if (q.expectedColumns.length) {
    try {
      const used = new Set(extractColumns(sql).map(lastPart))
      const missing = q.expectedColumns.filter((c) => !used.has(lastPart(c)))
      checks.push(
        missing.length
          ? { name: 'columns', passed: false, detail: `missing column${missing.length === 1 ? '' : 's'} ${list(missing)}; the SQL uses ${list([...used])}` }
          : { name: 'columns', passed: true, detail: `uses ${list(q.expectedColumns)}` }
      )
    } catch (err) {
      checks.push({ name: 'columns', passed: false, detail: `could not read the columns of the SQL: ${describeError(err)}` })
    }
  }
  if (q.expectedContains.length) {
    const lower = sql.toLowerCase()
    const missing = q.expectedContains.filter((s) => !lower.includes(s.toLowerCase()))
    checks.push(
      missing.length
        ? { name: 'contains', passed: false, detail: `does not contain ${missing.map((m) => JSON.stringify(m)).join(', ')}` }
        : { name: 'contains', passed: true, detail: `contains ${q.expectedContains.map((m) => JSON.stringify(m)).join(', ')}` }
    )
  }
  if (q.expectedPattern !== undefined) {
    let ok = false
    let why = `does not match /${q.expectedPattern}/`
    try {
      ok = compilePattern(q.expectedPattern).test(sql)
    } catch (err) {
      why = `invalid pattern: ${describeError(err)}`
    }
    checks.push({ name: 'pattern', passed: ok, detail: ok ? `matches /${q.expectedPattern}/` : why })
  }
  return checks
}

/** Why expected_sql will not be run (it is not one read-only statement), or undefined. */
export function refusedExpectedSql(q: BenchmarkQuestion): string | undefined {
  if (q.expectedSql === undefined) return undefined
  const check = checkReadOnly(q.expectedSql)
  return check.readOnly ? undefined : expectedNotRun(check.reason)
}

const expectedNotRun = (reason: string): string => `expected_sql was not run: ${reason}`

/** Compares the answer's result with expected_sql's. `error` is set when no verdict could be had. */
export async function resultCheck(q: BenchmarkQuestion, sql: string, ctx: ResultContext | undefined): Promise<{ check: CheckResult; error?: string }> {
  if (q.expectedSql === undefined) throw new TypeError('resultCheck needs expected_sql')
  if (!ctx) {
    // how to give one is said once, by the run's warning in the face's words
    const why = 'no SQL warehouse to run expected_sql on (the space has none)'
    return { check: { name: 'result', passed: false, detail: why }, error: why }
  }
  // Both statements at once (the expected one is usually cached already).
  const [e, a] = await Promise.allSettled([ctx.expected(), ctx.run(sql)])
  if (e.status === 'rejected') {
    const why = e.reason instanceof RefusedStatementError ? expectedNotRun(e.reason.reason) : `expected_sql failed on the warehouse: ${describeError(e.reason)}`
    return { check: { name: 'result', passed: false, detail: why }, error: why }
  }
  if (a.status === 'rejected') {
    const detail =
      a.reason instanceof RefusedStatementError
        ? `Genie's SQL was not run: ${a.reason.reason}`
        : `the generated SQL failed on the warehouse: ${describeError(a.reason)}`
    return { check: { name: 'result', passed: false, detail } }
  }
  const expected: ResultSet = e.value
  const actual: ResultSet = a.value
  const ordered = asksForOrder(q.question, q.expectedSql)
  const cmp = compareResults(expected, actual, { ordered })
  return { check: { name: 'result', passed: cmp.equal, detail: cmp.detail } }
}

export async function scoreAnswer(q: BenchmarkQuestion, answer: Answer, ctx?: ResultContext): Promise<Score> {
  const sql = answer.sql?.trim()
  if (answer.noSql !== undefined || !sql) {
    return { status: 'failed', checks: [{ name: 'sql', passed: false, detail: answer.noSql ?? 'no SQL in the answer' }] }
  }
  const checks: CheckResult[] = [{ name: 'sql', passed: true, detail: 'Genie answered with SQL' }, ...staticChecks(q, sql)]
  let error: string | undefined
  if (q.expectedSql !== undefined) {
    const r = await resultCheck(q, sql, ctx)
    checks.push(r.check)
    error = r.error
  }
  if (error !== undefined) return { status: 'error', checks, error }
  return { status: checks.every((c) => c.passed) ? 'passed' : 'failed', checks }
}

/** The first failed check as one line (`tables: missing …`). */
export function firstFailure(checks: readonly CheckResult[]): string | undefined {
  const c = checks.find((x) => !x.passed)
  return c ? `${c.name}: ${c.detail}` : undefined
}
