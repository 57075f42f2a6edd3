import { RE2JS } from 're2js'
import { z } from 'zod'
import { oneLine } from '../util/errors.js'

/**
 * Benchmark suites (`benchmarks/*.yaml`): the original SpaceOps format (name, description,
 * min_accuracy, queries with question, expected_tables, expected_columns, expected_sql_contains,
 * expected_sql_pattern, tags) plus expected_sql (a ground-truth query), repeat / min_passes for
 * Genie's nondeterminism, and timeouts per suite and per question. Strict like definitions.
 */

/** Where the pattern syntax is documented (RE2, not JavaScript RegExp). */
export const RE2_SYNTAX_URL = 'https://github.com/google/re2/wiki/Syntax'

/**
 * Bounds on every count and duration of a suite, so a typo (`repeat: 1000000000`) is an error and
 * not a run that asks Genie for ever. Genie answers about 5 questions a minute per workspace, so
 * 500 questions asked 20 times each is already days of asking; nobody means more.
 */
export const SUITE_LIMITS = {
  /** questions in one suite */
  maxQueries: 500,
  /** `repeat` (and so `min_passes`, which may not exceed it) */
  maxRepeat: 20,
  /** `timeout_seconds` / `question_timeout_seconds` of one question: an hour */
  maxQuestionSeconds: 3_600,
  /** the suite's own `timeout_seconds`: a day */
  maxSuiteSeconds: 86_400
} as const

const seconds = (max: number) =>
  z
    .number()
    .positive()
    .max(max, { message: `at most ${max} seconds` })
    .describe(`seconds (at most ${max})`)
const count = (what: string) =>
  z
    .number()
    .int()
    .min(1)
    .max(SUITE_LIMITS.maxRepeat, { message: `${what} is at most ${SUITE_LIMITS.maxRepeat}` })

export const SuiteQuery = z.strictObject({
  question: z.string(),
  expected_tables: z.array(z.string()).optional(),
  expected_columns: z.array(z.string()).optional(),
  expected_sql_contains: z.array(z.string()).optional(),
  expected_sql_pattern: z.string().optional().describe(`A regular expression (RE2 syntax, ${RE2_SYNTAX_URL}) the generated SQL must match; a leading (?i) ignores case`),
  expected_sql: z.string().optional().describe('Ground-truth SQL whose result the answer must match'),
  tags: z.array(z.string()).optional(),
  repeat: count('repeat').optional().describe(`Ask this many times (Genie is not deterministic); at most ${SUITE_LIMITS.maxRepeat}`),
  min_passes: count('min_passes').optional().describe('Passes needed out of repeat (at most repeat)'),
  timeout_seconds: seconds(SUITE_LIMITS.maxQuestionSeconds).optional()
})

export const Suite = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  min_accuracy: z.number().min(0).max(1).optional(),
  repeat: count('repeat').optional(),
  min_passes: count('min_passes').optional(),
  timeout_seconds: seconds(SUITE_LIMITS.maxSuiteSeconds).optional(),
  question_timeout_seconds: seconds(SUITE_LIMITS.maxQuestionSeconds).optional(),
  queries: z.array(SuiteQuery).max(SUITE_LIMITS.maxQueries, { message: `a suite holds at most ${SUITE_LIMITS.maxQueries} queries` })
})

export type Suite = z.infer<typeof Suite>
export type SuiteQuery = z.infer<typeof SuiteQuery>

/** A YAML file is a suite when its top level has `queries`. */
export function looksLikeSuite(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'queries' in value
}

/** An expected_sql_pattern ready to test SQL with. */
export interface CompiledPattern {
  readonly source: string
  test(text: string): boolean
}

/** A pattern RE2 cannot compile; the message is one line and names the syntax. */
export class PatternError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PatternError'
  }
}

const INLINE_FLAGS: Readonly<Record<string, number>> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL, x: 0 }

/**
 * expected_sql_pattern compiled by RE2 (re2js): matching takes time linear in the SQL's length
 * whatever the pattern, so a pattern from a pull request such as `(a+)+X` cannot stall a run (a
 * backtracking engine like JavaScript's RegExp would block the event loop, where no timeout can
 * fire). The syntax is RE2's (https://github.com/google/re2/wiki/Syntax): no lookahead, lookbehind or backreferences. A
 * leading inline flag group such as `(?i)` (Python's spelling, which the original SpaceOps used)
 * is honoured; `x` there is accepted and ignored, as before.
 */
export function compilePattern(pattern: string): CompiledPattern {
  const m = /^\(\?([imsx]+)\)/.exec(pattern)
  const body = m ? pattern.slice(m[0].length) : pattern
  const flags = [...new Set(m?.[1] ?? '')].reduce((f, c) => f | (INLINE_FLAGS[c] ?? 0), 0)
  let re: RE2JS
  try {
    re = RE2JS.compile(body, flags)
  } catch (err) {
    const why = err instanceof Error ? err.message.replace(/^error parsing regexp: /, '') : String(err)
    const hint = /\(\?<?[=!]|\\[1-9]/.test(body) ? 'lookahead, lookbehind and backreferences are not RE2 syntax; ' : ''
    throw new PatternError(`${oneLine(why)} (${hint}the syntax is RE2: ${RE2_SYNTAX_URL})`)
  }
  return { source: pattern, test: (text: string) => re.matcher(text).find() }
}
