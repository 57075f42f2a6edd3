import type { LoadedSuite } from '../model/load.js'
import type { Problem } from '../model/problems.js'
import type { Path } from '../model/space.js'
import { readOnlyProblem } from './rules.js'
import { LITERAL_DATE, RELATIVE_TIME } from './suite-lints.js'

/**
 * Rules for benchmark suites beyond their schema. Async only because RE2 is loaded when a suite
 * has an expected_sql_pattern (it stays out of the action's start otherwise).
 */
export async function validateSuite(loaded: LoadedSuite): Promise<Problem[]> {
  const problems: Problem[] = []
  const compilePattern = loaded.suite.queries.some((q) => q.expected_sql_pattern !== undefined)
    ? (await import('../model/pattern.js')).compilePattern
    : undefined
  const at = (severity: Problem['severity'], rule: string, path: Path, message: string) => {
    const pos = loaded.source.locate(path)
    problems.push({ severity, rule, message, file: loaded.file, ...(pos ? { line: pos.line, col: pos.col } : {}), path: path.join('.') })
  }
  const s = loaded.suite
  if (!s.queries.length) at('error', 'empty', ['queries'], 'the suite has no queries')
  if (s.min_passes !== undefined && s.min_passes > (s.repeat ?? 1))
    at('error', 'min-passes', ['min_passes'], `min_passes ${s.min_passes} is more than repeat ${s.repeat ?? 1}`)
  const seen = new Set<string>()
  s.queries.forEach((q, i) => {
    const question = q.question.trim()
    if (!question) at('error', 'empty', ['queries', i, 'question'], 'a query has an empty question')
    else if (seen.has(question.toLowerCase())) at('error', 'duplicate-question', ['queries', i, 'question'], `question "${question}" is listed twice`)
    seen.add(question.toLowerCase())
    if (q.expected_sql_pattern !== undefined && compilePattern) {
      try {
        compilePattern(q.expected_sql_pattern)
      } catch (err) {
        at('error', 'pattern', ['queries', i, 'expected_sql_pattern'], `expected_sql_pattern is not a valid regular expression: ${(err as Error).message}`)
      }
    }
    if (q.expected_sql !== undefined && !q.expected_sql.trim()) at('error', 'empty', ['queries', i, 'expected_sql'], 'expected_sql is empty')
    else if (q.expected_sql !== undefined) {
      const refused = readOnlyProblem(q.expected_sql, 'expected_sql')
      if (refused) at('error', 'read-only', ['queries', i, 'expected_sql'], refused)
    }
    const repeat = q.repeat ?? s.repeat ?? 1
    const minPasses = q.min_passes ?? s.min_passes
    if (minPasses !== undefined && minPasses > repeat)
      at('error', 'min-passes', ['queries', i, 'min_passes'], `min_passes ${minPasses} is more than repeat ${repeat}`)
    for (const t of q.expected_tables ?? []) {
      if (t.replace(/`/g, '').split('.').length !== 3)
        at('warning', 'identifier', ['queries', i, 'expected_tables'], `expected table "${t}" is not a three-part name; it is compared by its last part only`)
    }
    if (q.expected_sql !== undefined && RELATIVE_TIME.test(q.question) && LITERAL_DATE.test(q.expected_sql)) {
      const word = RELATIVE_TIME.exec(q.question)?.[0] ?? ''
      const date = LITERAL_DATE.exec(q.expected_sql)?.[0] ?? ''
      at(
        'warning',
        'stale-date',
        ['queries', i, 'expected_sql'],
        `question "${question}" says "${word}" but expected_sql has the literal ${date}: the benchmark goes stale (use current_date(), e.g. date_trunc('month', add_months(current_date(), -1)))`
      )
    }
    const checks = [q.expected_tables?.length, q.expected_columns?.length, q.expected_sql_contains?.length, q.expected_sql_pattern, q.expected_sql].filter(
      Boolean
    ).length
    if (!checks) at('warning', 'no-expectation', ['queries', i], `question "${question}" has no expectation: any SQL answer passes`)
  })
  return problems
}
