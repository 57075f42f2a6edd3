import { NEUTRAL_NAMES, viaOption, type Names } from '../core/names.js'
import { GenieApiError, realSleep, type GenieClient } from '../client/index.js'
import { describeError, SpaceOpsError } from '../util/errors.js'
import { silentLogger, type Logger } from '../util/logger.js'
import { VERSION } from '../version.js'
import { DEFAULT_MAX_RATE_LIMIT_WAIT_MS, runConversations } from './conversation.js'
import { definiteRefusal, needsWrite, planBenchmarkSync, runEvalRuns, serverSideOnly, type BenchmarkSyncPlan } from './eval.js'
import { TokenBucket, type Pacing } from './rate.js'
import type { ResultContext } from './score.js'
import { cleanUpConversations } from './cleanup.js'
import { countQuestions, ProgressTracker, SuiteState, type QuestionState } from './state.js'
import { wilsonInterval } from './stats.js'
import { runStatement } from './statements.js'
import {
  SCHEMA_VERSION,
  type BenchmarkReport,
  type KeepConversations,
  type BenchmarkSuite,
  type Progress,
  type Strategy,
  type StrategyChoice
} from './types.js'

/**
 * runBenchmarks: measure a space's accuracy on Genie, as fast as Genie's limits allow.
 *
 * Everything outside comes in as an argument — the client, the clock (`now`), `sleep`, the logger,
 * the progress callback — so tests drive it with a fake Genie and a fake clock.
 *
 * - `questionsPerMinute` (default 5, Databricks' documented throughput per workspace, all spaces
 *   together): the pace of the asking POSTs — at most that many in any rolling minute (`pacing`
 *   `window`, the default) or one every 60/Q seconds (`even`). Lower it when other jobs share the
 *   workspace; raise it only when Databricks has raised your limit.
 * - `concurrency` (default: 2 × questionsPerMinute, between 2 and 64): attempts in flight at once —
 *   enough to keep the rate busy while answers take up to two minutes each.
 * - `strategy`: `conversation` asks Genie like a user (conversation.ts); `eval` uses the space's
 *   own evaluation runs (eval.ts); `auto` (default) takes eval when every question can be decided
 *   server-side (expected_sql and no other check) AND the workspace answers the eval-runs
 *   endpoint (404, 501, ENDPOINT_NOT_FOUND, FEATURE_DISABLED, NOT_IMPLEMENTED mean it does not),
 *   otherwise conversation.
 * - Writes: a benchmark measures a space; the only change it can make to one is eval's adding the
 *   suite's questions to the space's benchmarks, and only an explicit `strategy: 'eval'` without
 *   `readOnly` may make it. Every other run (auto, a gate's `readOnly`) is read-only: where eval
 *   would have to write, it uses conversations instead and says so in the log and in the report's
 *   `notes`; eval still runs when the space already holds exactly the suite's questions. (Starting
 *   conversations and eval runs is what Genie's benchmarks do; it does not change the space; nor
 *   does deleting, after scoring, the conversations the run itself started — `keepConversations`.)
 * - `warehouseId`: where expected_sql and Genie's SQL run for the result check; default the space's.
 */
export type BenchmarkClient = Pick<
  GenieClient,
  | 'getSpace'
  | 'updateSpace'
  | 'startConversation'
  | 'getMessage'
  | 'executeQuery'
  | 'createEvalRun'
  | 'getEvalRun'
  | 'listEvalRuns'
  | 'listEvalResults'
  | 'getEvalResult'
  | 'executeStatement'
  | 'getStatement'
  | 'getStatementResultChunk'
  | 'cancelStatement'
  | 'deleteConversation'
>

export const DEFAULT_QUESTIONS_PER_MINUTE = 5

export interface RunBenchmarksOptions {
  /** how the face names its settings in messages (`--warehouse-id`, `input warehouse-id`) */
  names?: Names
  client: BenchmarkClient
  spaceId: string
  warehouseId?: string
  suites: readonly BenchmarkSuite[]
  strategy?: StrategyChoice
  questionsPerMinute?: number
  /**
   * `window` (default): at most questionsPerMinute questions in any rolling minute (the first ones
   * at once); `even`: one every 60/questionsPerMinute seconds (see rate.ts).
   */
  pacing?: Pacing
  /** `even` pacing: questions that may be asked back to back (default 1). */
  burst?: number
  concurrency?: number
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  logger?: Logger
  onProgress?: (progress: Progress) => void
  /**
   * Never write to the space, even with `strategy: 'eval'` (gates set it). `by` and `space` word the
   * note when eval gives way to conversations: "`by`: the eval strategy would write the suite into
   * `space`; using conversations (read-only)" (defaults "read-only run", "space <id>").
   */
  readOnly?: boolean | { by: string; space: string }
  /** conversation: give up on one attempt after this long refused by the rate limit (default 30 min). */
  maxRateLimitWaitMs?: number
  /** Per SQL statement on the warehouse (default 10 min). */
  statementTimeoutMs?: number
  /** `wait_timeout` of each statement POST (default `30s`; `0s` polls at once). */
  statementWaitTimeout?: string
  /** conversation: which of the run's conversations stay after scoring (default `failed`; cleanup.ts). */
  keepConversations?: KeepConversations
  /**
   * The question budget to draw from, shared by runs against the same workspace one after another
   * (a preview measures two spaces): Genie's limit is per workspace, not per run. Its rate wins
   * over `questionsPerMinute`.
   */
  bucket?: TokenBucket
}

export function defaultConcurrency(questionsPerMinute: number): number {
  return Math.min(64, Math.max(2, Math.ceil(questionsPerMinute * 2)))
}

/** The eval-runs endpoint is not there (or not enabled) in this workspace. */
export function isEvalUnavailable(err: unknown): boolean {
  if (!(err instanceof GenieApiError)) return false
  const code = err.errorCode?.toUpperCase() ?? ''
  if (['ENDPOINT_NOT_FOUND', 'FEATURE_DISABLED', 'NOT_IMPLEMENTED'].includes(code)) return true
  if (err.status === 404 || err.status === 501) return true
  return (err.status === 400 || err.status === 403) && /feature.*(disabled|not enabled)|not (enabled|available)/i.test(err.apiMessage)
}

export async function runBenchmarks(options: RunBenchmarksOptions): Promise<BenchmarkReport> {
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? realSleep
  const logger = options.logger ?? silentLogger
  const rate = options.bucket?.ratePerMinute ?? options.questionsPerMinute ?? DEFAULT_QUESTIONS_PER_MINUTE
  if (!(rate > 0) || !Number.isFinite(rate)) throw new SpaceOpsError(`questions per minute must be a positive number, not ${rate}`)
  if (options.concurrency !== undefined && !(options.concurrency >= 1)) throw new SpaceOpsError(`concurrency must be at least 1, not ${options.concurrency}`)
  const { client, spaceId } = options
  const suites = options.suites.map((s) => new SuiteState(s))
  const states = suites.flatMap((s) => s.questions)
  if (!states.length) throw new SpaceOpsError('no benchmark questions to ask')
  const startedAt = now()

  let strategy = await chooseStrategy(options.strategy ?? 'auto', client, spaceId, states, logger)
  // Only an explicit eval outside a read-only run may write (eval.ts, syncBenchmarkQuestions).
  const allowWrites = options.strategy === 'eval' && !options.readOnly
  const notes: string[] = []
  let plan: BenchmarkSyncPlan | undefined
  if (strategy === 'eval' && !allowWrites) {
    const ro = typeof options.readOnly === 'object' ? options.readOnly : { by: 'read-only run', space: `space ${spaceId}` }
    let note: string | undefined
    try {
      plan = await planBenchmarkSync(client, spaceId, states)
      if (needsWrite(plan)) note = `${ro.by}: the eval strategy would write the suite into ${ro.space}; using conversations (read-only)`
    } catch (err) {
      if (!(err instanceof GenieApiError) || definiteRefusal(err)) throw err
      note = `${ro.by}: the benchmarks of ${ro.space} could not be read (${describeError(err)}); using conversations (read-only)`
    }
    if (note !== undefined) {
      logger.info(note)
      notes.push(note)
      strategy = 'conversation'
      plan = undefined
    }
  }

  // Conversations compare results on a warehouse: the one given, else the space's (this read also
  // says at once when the space does not exist). Eval runs use the space's own.
  let warehouseId = options.warehouseId
  if (strategy === 'conversation' && warehouseId === undefined && states.some((s) => s.q.expectedSql !== undefined)) {
    const space = await client.getSpace(spaceId, { includeSerializedSpace: false })
    warehouseId = space.warehouse_id || undefined
    if (!warehouseId)
      logger.warn(
        `space ${spaceId} has no warehouse: questions with expected_sql cannot be compared${viaOption(options.names ?? NEUTRAL_NAMES, 'warehouse-id', ' (pass ', ')')}`
      )
  }
  const progress = new ProgressTracker(states.length, startedAt, now, options.onProgress)
  const stats = { rateLimited: 0, statements: 0 }
  const bucket =
    options.bucket ??
    new TokenBucket({
      ratePerMinute: rate,
      ...(options.pacing !== undefined ? { pacing: options.pacing } : {}),
      ...(options.burst !== undefined ? { burst: options.burst } : {}),
      now,
      sleep
    })
  const statementOptions = {
    now,
    sleep,
    onSent: () => {
      stats.statements++
    },
    ...(options.statementTimeoutMs !== undefined ? { timeoutMs: options.statementTimeoutMs } : {}),
    ...(options.statementWaitTimeout !== undefined ? { waitTimeout: options.statementWaitTimeout } : {})
  }

  const resultContext = (qs: QuestionState): ResultContext | undefined => {
    const expectedSql = qs.q.expectedSql
    if (expectedSql === undefined || warehouseId === undefined) return undefined
    const wh = warehouseId
    return {
      expected: () => (qs.expected ??= runStatement(client, wh, expectedSql, statementOptions)),
      run: (sql) => runStatement(client, wh, sql, statementOptions)
    }
  }

  logger.info(
    `benchmarking space ${spaceId}: ${states.length} question(s) in ${suites.length} suite(s), strategy ${strategy}` +
      (strategy === 'conversation' ? `, ${rate} question(s) per minute` : '')
  )
  if (strategy === 'conversation') {
    await runConversations(
      {
        client,
        spaceId,
        bucket,
        concurrency: options.concurrency ?? defaultConcurrency(rate),
        now,
        sleep,
        logger,
        progress,
        resultContext,
        maxRateLimitWaitMs: options.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS,
        stats
      },
      suites
    )
  } else {
    await runEvalRuns(
      { client, spaceId, now, sleep, logger, progress, allowWrites, intervalMs: bucket.intervalMs, ...(options.names ? { names: options.names } : {}) },
      suites,
      plan
    )
  }
  const suiteResults = suites.map((s) => s.result())
  // Deleting the conversations this run started is allowed in a read-only run (a gate): it is
  // cleanup of our own questions, not a write to the space's definition (cleanup.ts).
  const cleanup =
    strategy === 'conversation' ? await cleanUpConversations(client, spaceId, suiteResults, options.keepConversations ?? 'failed', logger) : undefined
  const finishedAt = now()
  const questions = suiteResults.flatMap((s) => s.questions)
  const { passed, errors, flaky } = countQuestions(questions)
  return {
    schema_version: SCHEMA_VERSION,
    tool: 'spaceops',
    tool_version: VERSION,
    space_id: spaceId,
    strategy,
    ...(warehouseId !== undefined ? { warehouse_id: warehouseId } : {}),
    ...(strategy === 'conversation' ? { questions_per_minute: rate } : {}),
    started_at: new Date(startedAt).toISOString(),
    finished_at: new Date(finishedAt).toISOString(),
    duration_ms: finishedAt - startedAt,
    totals: {
      questions: questions.length,
      passed,
      failed: questions.length - passed - errors,
      errors,
      accuracy: questions.length ? passed / questions.length : 0,
      attempts: questions.reduce((n, q) => n + q.attempts_made, 0),
      rate_limited: stats.rateLimited,
      flaky,
      confidence_interval: wilsonInterval(passed, questions.length),
      statements: stats.statements,
      ...(cleanup ? { conversations_deleted: cleanup.deleted, conversations_kept: cleanup.kept } : {})
    },
    suites: suiteResults,
    ...(notes.length ? { notes } : {})
  }
}

async function chooseStrategy(
  choice: StrategyChoice,
  client: BenchmarkClient,
  spaceId: string,
  states: readonly QuestionState[],
  logger: Logger
): Promise<Strategy> {
  if (choice !== 'auto') return choice
  const clientSide = states.filter((s) => !serverSideOnly(s.q))
  if (clientSide.length) {
    logger.debug(`strategy auto: conversation (${clientSide.length} question(s) have checks Genie's eval runs cannot make, or no expected_sql)`)
    return 'conversation'
  }
  try {
    await client.listEvalRuns(spaceId, { pageSize: 1 })
  } catch (err) {
    if (isEvalUnavailable(err)) {
      logger.info(`strategy auto: conversation (eval runs are not available in this workspace: ${err instanceof Error ? err.message : String(err)})`)
      return 'conversation'
    }
    throw err
  }
  logger.debug('strategy auto: eval (every question has expected_sql only, and the workspace has eval runs)')
  return 'eval'
}
