import { z } from 'zod'
import { GATE_ON } from './options.js'

/**
 * The benchmark report, schema version 1: what `spaceops benchmark --format json` writes and what
 * `--baseline` reads back. The zod schema is the definition; the TypeScript types are inferred
 * from it. Keys are snake_case and only ever ADDED within a schema version (readers drop unknown
 * keys), so a version 1 baseline stays readable by every later SpaceOps.
 */
export const SCHEMA_VERSION = 1 as const

export const CHECK_NAMES = ['sql', 'tables', 'columns', 'contains', 'pattern', 'result', 'eval'] as const
export type CheckName = (typeof CHECK_NAMES)[number]

export const CheckResultSchema = z.object({
  /** sql (an SQL answer at all), tables, columns, contains, pattern, result (result-set equivalence), eval (Genie's own assessment). */
  name: z.enum(CHECK_NAMES),
  passed: z.boolean(),
  /** Why it failed (or what was compared), one line. */
  detail: z.string()
})
export type CheckResult = z.infer<typeof CheckResultSchema>

/**
 * passed / failed: Genie answered and the checks decided. error: no verdict could be reached for a
 * reason that is not the answer's (an API error, expected_sql failing on the warehouse); it counts
 * as not passed. skipped: not asked, because earlier attempts already decided the question.
 */
export const ATTEMPT_STATUSES = ['passed', 'failed', 'error', 'skipped'] as const
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number]

export const AttemptResultSchema = z.object({
  attempt: z.number().int(),
  status: z.enum(ATTEMPT_STATUSES),
  /** The SQL Genie generated. */
  sql: z.string().optional(),
  /** Genie's text answer (or clarifying question). */
  text: z.string().optional(),
  checks: z.array(CheckResultSchema),
  error: z.string().optional(),
  started_at: z.string().optional(),
  /** From the accepted question to the verdict (answer latency + scoring). */
  duration_ms: z.number(),
  /** 429s / rate-limit answers before the question was accepted (never counted against the space). */
  rate_limited: z.number().int().default(0),
  conversation_id: z.string().optional(),
  message_id: z.string().optional(),
  eval_run_id: z.string().optional(),
  result_id: z.string().optional(),
  assessment: z.string().optional(),
  assessment_reasons: z.array(z.string()).optional()
})
export type AttemptResult = z.infer<typeof AttemptResultSchema>

/** flaky: some asked attempts passed and some failed (whether it counts as passed is still min_passes'). */
export const QUESTION_STATUSES = ['passed', 'failed', 'error', 'flaky'] as const
export type QuestionStatus = (typeof QUESTION_STATUSES)[number]

export const QuestionResultSchema = z.object({
  question: z.string(),
  /**
   * passed: at least min_passes attempts passed (and none failed); failed: not passed and some
   * attempt failed; error: not passed and no attempt got a verdict; flaky: attempts both passed and
   * failed — `passed` says whether min_passes was reached.
   */
  status: z.enum(QUESTION_STATUSES),
  passed: z.boolean(),
  passes: z.number().int(),
  attempts_made: z.number().int(),
  /** passes / attempts asked (0 when none was asked). */
  pass_rate: z.number().optional(),
  repeat: z.number().int(),
  min_passes: z.number().int(),
  expected_sql: z.string().optional(),
  tags: z.array(z.string()).default([]),
  /** One line: the first failed check (or error) of the last failed attempt. */
  failure: z.string().optional(),
  attempts: z.array(AttemptResultSchema),
  duration_ms: z.number()
})
export type QuestionResult = z.infer<typeof QuestionResultSchema>

export const IntervalSchema = z.object({ level: z.number(), low: z.number(), high: z.number() })

export const SuiteResultSchema = z.object({
  name: z.string(),
  file: z.string().optional(),
  /** The suite's own min_accuracy (the gate may override it). */
  min_accuracy: z.number().optional(),
  total: z.number().int(),
  passed: z.number().int(),
  failed: z.number().int(),
  errors: z.number().int(),
  /** passed / total (0 when total is 0). */
  accuracy: z.number(),
  /** Questions whose attempts both passed and failed. */
  flaky: z.number().int().default(0),
  /** The 95% Wilson interval of accuracy (stats.ts). */
  confidence_interval: IntervalSchema.optional(),
  duration_ms: z.number(),
  questions: z.array(QuestionResultSchema)
})
export type SuiteResult = z.infer<typeof SuiteResultSchema>

export { GATE_ON, KEEP_CONVERSATIONS, STRATEGIES, parseProbability, type GateOn, type KeepConversations } from './options.js'

export const FlipsSchema = z.object({
  /** Questions paired (in both runs). */
  paired: z.number().int(),
  pass_to_fail: z.array(z.string()),
  fail_to_pass: z.array(z.string()),
  /** Two-sided exact McNemar p-value of the flips (1 when nothing flipped). */
  p_value: z.number()
})
export const ComparisonSchema = FlipsSchema.extend({
  suites: z.array(FlipsSchema.extend({ name: z.string() })).default([])
})
export type BaselineComparison = z.infer<typeof ComparisonSchema>

export const GateSuiteSchema = z.object({
  name: z.string(),
  accuracy: z.number(),
  /** What was compared with the threshold: accuracy (point) or the interval's lower bound. */
  gated_value: z.number().optional(),
  threshold: z.number().optional(),
  passed: z.boolean()
})

export const GateResultSchema = z.object({
  passed: z.boolean(),
  /** Every reason the gate failed, one line each. */
  reasons: z.array(z.string()),
  /** Things worth knowing that did not fail the gate (e.g. regressions within --max-regression). */
  notes: z.array(z.string()).default([]),
  suites: z.array(GateSuiteSchema),
  min_accuracy_override: z.number().optional(),
  baseline: z.string().optional(),
  max_regression: z.number().optional(),
  gate_on: z.enum(GATE_ON).optional(),
  regression_p: z.number().optional(),
  /** Questions paired with the baseline by text: the flips and the exact McNemar p-value of the change. */
  comparison: ComparisonSchema.optional()
})
export type GateResult = z.infer<typeof GateResultSchema>

export const TrendPointSchema = z.object({ started_at: z.string(), accuracy: z.number(), passed: z.number().int(), questions: z.number().int() })
export type TrendPoint = z.infer<typeof TrendPointSchema>

export const BenchmarkReportSchema = z.object({
  schema_version: z.literal(SCHEMA_VERSION),
  tool: z.string().default('spaceops'),
  tool_version: z.string().optional(),
  space_id: z.string(),
  strategy: z.enum(['eval', 'conversation']),
  warehouse_id: z.string().optional(),
  questions_per_minute: z.number().optional(),
  started_at: z.string(),
  finished_at: z.string(),
  duration_ms: z.number(),
  totals: z.object({
    questions: z.number().int(),
    passed: z.number().int(),
    failed: z.number().int(),
    errors: z.number().int(),
    accuracy: z.number(),
    /** Questions actually put to Genie (attempts not skipped). */
    attempts: z.number().int(),
    rate_limited: z.number().int().default(0),
    flaky: z.number().int().default(0),
    /** The 95% Wilson interval of accuracy. */
    confidence_interval: IntervalSchema.optional(),
    /** SQL statements run on the warehouse (expected and generated SQL of the result check). */
    statements: z.number().int().default(0),
    /** Conversations the run started and deleted afterwards / kept (see --keep-conversations). */
    conversations_deleted: z.number().int().optional(),
    conversations_kept: z.number().int().optional()
  }),
  suites: z.array(SuiteResultSchema),
  /** What the run chose to do differently and why (e.g. conversations instead of eval in a read-only run). */
  notes: z.array(z.string()).optional(),
  gate: GateResultSchema.optional(),
  /** Earlier runs (oldest first) for the trend chart, from their JSON reports (--trend). */
  trend: z.array(TrendPointSchema).optional()
})
export type BenchmarkReport = z.infer<typeof BenchmarkReportSchema>

// ---------------------------------------------------------------- inputs

/** One question of a suite, with the suite's defaults applied. */
export interface BenchmarkQuestion {
  question: string
  expectedTables: string[]
  expectedColumns: string[]
  expectedContains: string[]
  expectedPattern?: string
  expectedSql?: string
  tags: string[]
  /** Times to ask. */
  repeat: number
  /** Passing attempts needed (default: a strict majority of repeat). */
  minPasses: number
  /** Ask all `repeat` attempts even once decided (`--repeat`: the point is measuring noise). */
  askAll?: boolean
  /** How long one answer may take (default 10 minutes, as Databricks advises). */
  timeoutMs: number
  /** The benchmark question's id in the space, when the suite is a space's own benchmarks. */
  spaceQuestionId?: string
}

export interface BenchmarkSuite {
  name: string
  file?: string
  minAccuracy?: number
  /** The whole suite's budget; questions not asked by then are errors. */
  timeoutMs?: number
  questions: BenchmarkQuestion[]
}

export type Strategy = 'eval' | 'conversation'
export type StrategyChoice = Strategy | 'auto'

export interface Progress {
  /** Questions decided so far, of `total`. */
  done: number
  total: number
  passed: number
  failed: number
  elapsedMs: number
  /** Estimated time to finish, when it can be told. */
  etaMs?: number
  /** The question just decided. */
  last?: { suite: string; question: string; passed: boolean }
}
