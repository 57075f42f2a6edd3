import { z } from 'zod'

/**
 * Benchmark suites (`benchmarks/*.yaml`): the original SpaceOps format (name, description,
 * min_accuracy, queries with question, expected_tables, expected_columns, expected_sql_contains,
 * expected_sql_pattern, tags) plus expected_sql (a ground-truth query), repeat / min_passes for
 * Genie's nondeterminism, and timeouts per suite and per question. Strict like definitions.
 */
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
  expected_sql_pattern: z.string().optional().describe('A regular expression the generated SQL must match'),
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

/**
 * expected_sql_pattern as a RegExp. Patterns are JavaScript regular expressions; a leading inline
 * flag group such as `(?i)` (Python's spelling, which the original SpaceOps used) is accepted and
 * turned into RegExp flags.
 */
export function compilePattern(pattern: string): RegExp {
  const m = /^\(\?([imsx]+)\)/.exec(pattern)
  if (!m) return new RegExp(pattern)
  const flags = [...new Set((m[1] ?? '').replace('x', '').split(''))].join('')
  return new RegExp(pattern.slice(m[0].length), flags)
}
