import * as z from 'zod/mini'
import '../util/zod.js' // zod set up (messages, jitless) before this module builds a schema

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

/**
 * A share written as a fraction (`0.8`) or a percentage (`"80%"`, YAML reads `80%` as text), read
 * as the fraction. A number above 1 alone (`80`) is refused: it is most likely a percentage
 * without its `%`, but a typo of `0.8` is as likely, and guessing would set a gate silently.
 * Returns the fraction or the reason it is not one.
 */
export function parseShare(value: number | string): number | string {
  const how = 'write a fraction between 0 and 1 (0.8) or a percentage (80%)'
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return `${value} is not a share: ${how}`
    if (value > 1)
      return value <= 100 ? `${value} is ambiguous: write ${value}% for a percentage or ${value / 100} for a fraction` : `${value} is more than 1: ${how}`
    return value
  }
  const t = value.trim()
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*%$/.exec(t)
  if (m) {
    const pct = Number(m[1])
    return pct <= 100 ? pct / 100 : `${t} is more than 100%: ${how}`
  }
  if (/^(\d+(?:\.\d+)?|\.\d+)$/.test(t)) return parseShare(Number(t))
  return `${JSON.stringify(value)} is not a share: ${how}`
}

const SHARE_PATTERN = '^\\s*(\\d+(\\.\\d+)?|\\.\\d+)\\s*%\\s*$'
/**
 * The suite schemas, built when the first suite is read (not by every start: a run that validates
 * only space definitions never needs them).
 */
function buildSuiteSchemas() {
  const seconds = (max: number) => z.number().check(z.positive(), z.maximum(max, { message: `at most ${max} seconds` }), z.describe(`seconds (at most ${max})`))
  const count = (why: string) => z.int().check(z.minimum(1), z.maximum(SUITE_LIMITS.maxRepeat, { message: `at most ${SUITE_LIMITS.maxRepeat} (${why})` }))
  const strings = () => z.optional(z.array(z.string()))

  const SuiteQuery = z.strictObject({
    question: z.string(),
    expected_tables: strings(),
    expected_columns: strings(),
    expected_sql_contains: strings(),
    expected_sql_pattern: z
      .optional(z.string())
      .check(z.describe(`A regular expression (RE2 syntax, ${RE2_SYNTAX_URL}) the generated SQL must match; a leading (?i) ignores case`)),
    expected_sql: z.optional(z.string()).check(z.describe('Ground-truth SQL whose result the answer must match')),
    tags: strings(),
    repeat: z
      .optional(count('each question is asked that many times'))
      .check(z.describe(`Ask this many times (Genie is not deterministic); at most ${SUITE_LIMITS.maxRepeat}`)),
    min_passes: z.optional(count('passes needed out of repeat')).check(z.describe('Passes needed out of repeat (at most repeat)')),
    timeout_seconds: z.optional(seconds(SUITE_LIMITS.maxQuestionSeconds))
  })

  const ShareInput = z.union([z.number(), z.string()])
  const Share = z
    .pipe(
      ShareInput,
      z.transform((v: number | string, ctx) => {
        const r = parseShare(v)
        if (typeof r === 'number') return r
        ctx.issues.push({ code: 'custom', message: r, input: v })
        return z.NEVER
      })
    )
    .check(z.describe('A fraction between 0 and 1 (0.8) or a percentage ("80%")'))

  const Suite = z.strictObject({
    name: z.optional(z.string()),
    description: z.optional(z.string()),
    min_accuracy: z.optional(Share).check(z.describe('The share of questions that must pass: a fraction (0.8) or a percentage ("80%")')),
    repeat: z.optional(count('each question is asked that many times')),
    min_passes: z.optional(count('passes needed out of repeat')),
    timeout_seconds: z.optional(seconds(SUITE_LIMITS.maxSuiteSeconds)),
    question_timeout_seconds: z.optional(seconds(SUITE_LIMITS.maxQuestionSeconds)),
    queries: z.array(SuiteQuery).check(z.maxLength(SUITE_LIMITS.maxQueries, { message: `a suite holds at most ${SUITE_LIMITS.maxQueries} queries` }))
  })
  return { Suite, SuiteQuery, ShareInput }
}

let built: ReturnType<typeof buildSuiteSchemas> | undefined
const suiteSchemas = () => (built ??= buildSuiteSchemas())
/** The suite schema (strict; `min_accuracy` read as a fraction). */
export const suiteSchema = () => suiteSchemas().Suite

/** For the suite's JSON Schema: a share is a number 0..1 or a text "NN%" (the transform has no JSON Schema of its own). */
export function suiteSchemaOverride(ctx: { zodSchema: z.core.$ZodTypes; jsonSchema: Record<string, unknown> }): void {
  if (ctx.zodSchema === (suiteSchemas().ShareInput as unknown)) {
    delete ctx.jsonSchema.anyOf
    ctx.jsonSchema.anyOf = [
      { type: 'number', minimum: 0, maximum: 1 },
      { type: 'string', pattern: SHARE_PATTERN }
    ]
  }
}

export type Suite = z.infer<ReturnType<typeof buildSuiteSchemas>['Suite']>
export type SuiteQuery = z.infer<ReturnType<typeof buildSuiteSchemas>['SuiteQuery']>

/** Top-level keys only a suite has (a space has title, data_sources, …). */
const SUITE_ONLY_KEYS = ['min_accuracy', 'repeat', 'min_passes', 'timeout_seconds', 'question_timeout_seconds']

/**
 * A YAML file is a suite when its top level has `queries`; else, unless it is named space.yaml,
 * when it has another key only suites have or (`file` given) sits in a `benchmarks/` folder: so a suite with a misspelt
 * `querys` is still checked as a suite, with a "did you mean".
 */
export function looksLikeSuite(value: unknown, file?: string): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  if ('queries' in value) return true
  if (file !== undefined && /(^|[\\/])space\.ya?ml$/i.test(file)) return false
  if (SUITE_ONLY_KEYS.some((k) => k in value)) return true
  return file !== undefined && /(^|[\\/])benchmarks[\\/][^\\/]+\.ya?ml$/i.test(file)
}
