import { realSleep } from '../client/index.js'
import type { LoadedSuite } from '../model/load.js'
import type { Problem } from '../model/problems.js'
import { checkReadOnly } from '../sql/index.js'
import { describeError } from '../util/errors.js'
import { runStatement, type StatementClient } from './statements.js'

/**
 * The preflight lint (`spaceops validate --preflight`, input `preflight`): each suite's expected
 * SQL runs once on the warehouse — through runStatement, the only path SQL takes, so only one
 * read-only statement is ever sent (a refused one is validate's error already and is not sent).
 * Warnings, at the suite's file:line:
 * - `empty-expected-result`: no rows. Genie's eval reports such a benchmark as EMPTY_GOOD_SQL, and
 *   SpaceOps' result check would pass any answer that is empty too: the benchmark decides nothing.
 * - `expected-sql-fails`: the warehouse refuses it (a table that does not exist, a typo): every run
 *   of it would be an `error`, not a measurement.
 * Statements run one at a time: this is a lint, not a load test.
 */
export interface PreflightOptions {
  warehouseId: string
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  /** Per statement (default 2 minutes). */
  timeoutMs?: number
}

export async function preflightSuites(client: StatementClient, suites: readonly LoadedSuite[], options: PreflightOptions): Promise<Problem[]> {
  const problems: Problem[] = []
  for (const s of suites) {
    for (const [i, q] of s.suite.queries.entries()) {
      if (q.expected_sql === undefined || !q.expected_sql.trim() || !checkReadOnly(q.expected_sql).readOnly) continue
      const pos = s.source.locate(['queries', i, 'expected_sql'])
      const warn = (rule: string, message: string) =>
        problems.push({ severity: 'warning', rule, message, file: s.file, ...(pos ? { line: pos.line, col: pos.col } : {}), path: `queries.${i}.expected_sql` })
      try {
        const result = await runStatement(client, options.warehouseId, q.expected_sql, {
          now: options.now ?? Date.now,
          sleep: options.sleep ?? realSleep,
          timeoutMs: options.timeoutMs ?? 120_000,
          rowLimit: 1
        })
        if (!result.rows.length) {
          warn(
            'empty-expected-result',
            `the expected_sql of "${q.question.trim()}" returns no rows on warehouse ${options.warehouseId}: Genie's eval reports it as EMPTY_GOOD_SQL and any empty answer would match it`
          )
        }
      } catch (err) {
        warn('expected-sql-fails', `the expected_sql of "${q.question.trim()}" fails on warehouse ${options.warehouseId}: ${describeError(err)}`)
      }
    }
  }
  return problems
}
