import { z } from 'zod'

/**
 * Benchmark suites (`benchmarks/*.yaml`): the original SpaceOps format (name, description,
 * min_accuracy, queries with question, expected_tables, expected_columns, expected_sql_contains,
 * expected_sql_pattern, tags) plus expected_sql (a ground-truth query), repeat / min_passes for
 * Genie's nondeterminism, and timeouts per suite and per question. Strict like definitions.
 */
const Seconds = z.number().positive().describe('seconds')

export const SuiteQuery = z.strictObject({
  question: z.string(),
  expected_tables: z.array(z.string()).optional(),
  expected_columns: z.array(z.string()).optional(),
  expected_sql_contains: z.array(z.string()).optional(),
  expected_sql_pattern: z.string().optional().describe('A regular expression the generated SQL must match'),
  expected_sql: z.string().optional().describe('Ground-truth SQL whose result the answer must match'),
  tags: z.array(z.string()).optional(),
  repeat: z.number().int().min(1).optional().describe('Ask this many times (Genie is not deterministic)'),
  min_passes: z.number().int().min(1).optional().describe('Passes needed out of repeat'),
  timeout_seconds: Seconds.optional()
})

export const Suite = z.strictObject({
  name: z.string().optional(),
  description: z.string().optional(),
  min_accuracy: z.number().min(0).max(1).optional(),
  repeat: z.number().int().min(1).optional(),
  min_passes: z.number().int().min(1).optional(),
  timeout_seconds: Seconds.optional(),
  question_timeout_seconds: Seconds.optional(),
  queries: z.array(SuiteQuery)
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
