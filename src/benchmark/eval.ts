import type { GenieClient, GenieEvalResultDetails, GenieEvalRunResponse } from '../client/index.js'
import { GenieApiError } from '../client/index.js'
import { spaceFromApi } from '../deploy/live.js'
import { pushSpace } from '../deploy/push.js'
import { canonicalizeDocument } from '../model/canonical.js'
import { idFor } from '../model/convert.js'
import type { WireBenchmarkQuestion } from '../model/serialized.js'
import { fromLines, toLines } from '../model/text.js'
import { describeError, SpaceOpsError } from '../util/errors.js'
import type { Logger } from '../util/logger.js'
import { singleStatement } from './statements.js'
import { refusedExpectedSql, staticChecks } from './score.js'
import type { ProgressTracker, QuestionState, SuiteState } from './state.js'
import type { AttemptResult, BenchmarkQuestion, CheckResult } from './types.js'

/**
 * The eval strategy: Genie's own evaluation runs (Beta) on the space's benchmark questions.
 *
 * 1. The suite's questions must be benchmark questions of the space (matched by text, ignoring case
 *    and spacing). Missing ones are ADDED with their expected_sql as the SQL answer, and an
 *    existing one whose answer differs from the suite's expected_sql gets the suite's (the suite is
 *    what is being measured); the live space is read, changed in its `benchmarks` only, and written
 *    with the ordinary push code (etag-checked). A question that is missing and has no expected_sql
 *    cannot be evaluated server-side: the run stops before anything is written, naming it (use the
 *    conversation strategy, or add expected_sql). With `sync: false` any needed change stops it too.
 *    A question whose expected_sql is not one read-only statement (sql/readonly.ts) is neither
 *    written to the space nor evaluated (Genie would run it on the warehouse): it is an `error`.
 * 2. One eval run per round (`repeat`): round r runs the questions with repeat ≥ r not yet decided.
 *    The run is polled (1 s ×1.5 up to every 10 s) until DONE or another terminal state, for at most
 *    the longest question timeout plus one rate interval per question.
 * 3. Every result's details map to a verdict: GOOD passes; BAD fails with its assessment reasons;
 *    NEEDS_REVIEW fails ("needs a manual review"); no assessment (or only TRANSIENT_ERROR) is an
 *    `error`. Checks only the client can make (tables, columns, contains, pattern) run on the SQL
 *    Genie generated, when the suite asks for them.
 */
export type EvalClient = Pick<GenieClient, 'getSpace' | 'updateSpace' | 'createEvalRun' | 'getEvalRun' | 'listEvalResults' | 'getEvalResult'>

export interface EvalContext {
  client: EvalClient
  spaceId: string
  now: () => number
  sleep: (ms: number) => Promise<void>
  logger: Logger
  progress: ProgressTracker
  /** Add/update benchmark questions in the space when needed (default true). */
  sync: boolean
  /** Milliseconds per question the rate limit allows (for the run's time budget). */
  intervalMs: number
}

const TERMINAL_RUN = new Set(['DONE', 'EVALUATION_FAILED', 'EVALUATION_CANCELLED', 'EVALUATION_TIMEOUT'])
const EVAL_POLL_MAX_MS = 10_000
const DETAIL_CONCURRENCY = 8

const REASONS: Record<string, string> = {
  RESULT_MISSING_ROWS: 'rows missing',
  RESULT_EXTRA_ROWS: 'extra rows',
  RESULT_MISSING_COLUMNS: 'columns missing',
  RESULT_EXTRA_COLUMNS: 'extra columns',
  SINGLE_CELL_DIFFERENCE: 'a cell differs',
  EMPTY_RESULT: "Genie's SQL returned no rows",
  EMPTY_GOOD_SQL: 'the expected SQL returned no rows',
  COLUMN_TYPE_DIFFERENCE: 'column types differ',
  TRANSIENT_ERROR: 'transient error'
}

export function describeReasons(reasons: readonly string[]): string {
  return reasons.map((r) => (REASONS[r] ? `${r} (${REASONS[r]})` : r)).join(', ')
}

const normText = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase()
const normSql = (s: string) => singleStatement(s).replace(/\s+/g, ' ')

function answerOf(b: WireBenchmarkQuestion): string {
  const a = b.answer.find((x) => x.format.toUpperCase() === 'SQL') ?? b.answer[0]
  return a ? fromLines(a.content) : ''
}

/** Whether a suite question can be decided by Genie's eval runs alone. */
export function serverSideOnly(q: BenchmarkQuestion): boolean {
  return q.expectedSql !== undefined && !q.expectedTables.length && !q.expectedColumns.length && !q.expectedContains.length && q.expectedPattern === undefined
}

/** Makes every question a benchmark question of the space; returns each question's benchmark id. */
export async function syncBenchmarkQuestions(ctx: EvalContext, states: readonly QuestionState[]): Promise<{ ids: Map<QuestionState, string>; synced: boolean }> {
  const live = await ctx.client.getSpace(ctx.spaceId)
  const space = spaceFromApi(live)
  const existing = [...(space.document.benchmarks?.questions ?? [])]
  const byText = new Map(existing.map((b) => [normText(fromLines(b.question)), b]))
  const ids = new Map<QuestionState, string>()
  const added: string[] = []
  const updated: string[] = []
  const impossible: string[] = []
  for (const qs of states) {
    const q = qs.q
    const key = normText(q.question)
    const found = byText.get(key)
    if (found) {
      ids.set(qs, found.id)
      if (q.expectedSql !== undefined && normSql(answerOf(found)) !== normSql(q.expectedSql)) {
        const replacement = { ...found, answer: [{ format: 'SQL', content: toLines(q.expectedSql) }] }
        existing[existing.indexOf(found)] = replacement
        byText.set(key, replacement)
        updated.push(q.question)
      }
      continue
    }
    if (q.expectedSql === undefined) {
      impossible.push(q.question)
      continue
    }
    const b: WireBenchmarkQuestion = { id: idFor.benchmark(q.question), question: toLines(q.question), answer: [{ format: 'SQL', content: toLines(q.expectedSql) }] }
    existing.push(b)
    byText.set(key, b)
    ids.set(qs, b.id)
    added.push(q.question)
  }
  if (impossible.length) {
    throw new SpaceOpsError(
      `strategy eval: ${impossible.length} question(s) are not benchmark questions of space ${ctx.spaceId} and have no expected_sql to add them with (${impossible
        .slice(0, 3)
        .map((t) => `"${t}"`)
        .join(', ')}${impossible.length > 3 ? ', …' : ''}); add expected_sql or use --strategy conversation`
    )
  }
  if (added.length || updated.length) {
    const what = `${added.length} question(s) to add and ${updated.length} answer(s) to update in the space's benchmarks`
    if (!ctx.sync) throw new SpaceOpsError(`strategy eval: ${what}, and syncing is off; push the suite's questions to the space first`)
    const desired = { meta: space.meta, document: canonicalizeDocument({ ...space.document, benchmarks: { questions: existing } }) }
    const result = await pushSpace(ctx.client as unknown as GenieClient, desired, { spaceId: ctx.spaceId, logger: ctx.logger })
    ctx.logger.info(`space ${ctx.spaceId}: ${result.action} — ${what.replace(' to add', ' added').replace(' to update', ' updated')} for the eval run`)
    return { ids, synced: true }
  }
  return { ids, synced: false }
}

/**
 * Starts the run. Right after the space was written, a read may briefly see the old document
 * (genie-api.md): a 400/404 naming the new questions is tried again, 3 times in all, 2 s apart.
 */
async function createRun(ctx: EvalContext, questionIds: string[], justSynced: boolean): Promise<GenieEvalRunResponse> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.client.createEvalRun(ctx.spaceId, questionIds)
    } catch (err) {
      if (!justSynced || attempt >= 3 || !(err instanceof GenieApiError) || (err.status !== 400 && err.status !== 404)) throw err
      ctx.logger.debug(`create eval run: ${describeError(err)}; the space was just updated, trying again`)
      await ctx.sleep(2000 * attempt)
    }
  }
}

export async function runEvalRuns(ctx: EvalContext, suites: SuiteState[]): Promise<void> {
  const states: QuestionState[] = []
  for (const qs of suites.flatMap((s) => s.questions)) {
    const refused = refusedExpectedSql(qs.q)
    if (refused === undefined) {
      states.push(qs)
      continue
    }
    const now = ctx.now()
    for (let attempt = 1; !qs.decided; attempt++) {
      const decided = qs.record({ attempt, status: 'error', checks: [], error: refused, duration_ms: 0, rate_limited: 0 }, now, now)
      if (decided) ctx.progress.decided(qs)
    }
  }
  if (!states.length) return
  const { ids, synced } = await syncBenchmarkQuestions(ctx, states)
  const rounds = Math.max(0, ...states.map((s) => s.q.repeat))
  for (let round = 1; round <= rounds; round++) {
    const inRound = states.filter((s) => !s.decided && round <= s.q.repeat)
    if (!inRound.length) break
    const questionIds = [...new Set(inRound.map((s) => ids.get(s) as string))]
    const started = ctx.now()
    for (const s of inRound) s.suite.start(started)
    const run = await createRun(ctx, questionIds, synced)
    ctx.logger.info(`eval run ${run.eval_run_id} started for ${questionIds.length} question(s)${rounds > 1 ? ` (round ${round} of ${rounds})` : ''}`)
    const budget = Math.max(...inRound.map((s) => s.q.timeoutMs)) + questionIds.length * ctx.intervalMs
    const final = await pollRun(ctx, run, started, started + budget)
    const status = final.eval_run_status ?? 'UNKNOWN'
    if (status !== 'DONE') ctx.logger.warn(`eval run ${run.eval_run_id} ended ${status}`)

    const details = await readDetails(ctx, run.eval_run_id)
    const ended = ctx.now()
    for (const qs of inRound) {
      const d = details.get(ids.get(qs) as string)
      const attempt = d
        ? attemptFromEval(qs.q, round, d, run.eval_run_id)
        : errorAttempt(round, `eval run ${run.eval_run_id} (${status}) has no result for this question`, run.eval_run_id)
      attempt.started_at = new Date(started).toISOString()
      attempt.duration_ms = ended - started
      if (qs.record(attempt, started, ended)) ctx.progress.decided(qs)
    }
  }
}

async function pollRun(ctx: EvalContext, run: GenieEvalRunResponse, started: number, deadline: number): Promise<GenieEvalRunResponse> {
  let current = run
  let delay = 1000
  let lastDone = -1
  while (!TERMINAL_RUN.has(current.eval_run_status ?? 'NOT_STARTED')) {
    const now = ctx.now()
    if (now >= deadline) {
      ctx.logger.warn(`eval run ${run.eval_run_id} still ${current.eval_run_status ?? 'running'} at the end of its time budget; reading the results it has`)
      return current
    }
    await ctx.sleep(Math.max(1, Math.min(delay, deadline - now)))
    delay = Math.min(delay * 1.5, EVAL_POLL_MAX_MS)
    current = await ctx.client.getEvalRun(ctx.spaceId, run.eval_run_id)
    const done = current.num_done ?? 0
    if (done !== lastDone) {
      lastDone = done
      const total = current.num_questions ?? 0
      ctx.logger.debug(`eval run ${run.eval_run_id}: ${done}/${total} done, ${current.num_correct ?? 0} correct`)
      const perQuestion = done > 0 ? (ctx.now() - started) / done : undefined
      const eta = perQuestion !== undefined && total > done ? perQuestion * (total - done) : undefined
      ctx.progress.emit(eta, undefined, { done: Math.min(done, total), correct: Math.min(current.num_correct ?? 0, done) })
    }
  }
  return current
}

async function readDetails(ctx: EvalContext, runId: string): Promise<Map<string, GenieEvalResultDetails>> {
  const results = await ctx.client.listEvalResults(ctx.spaceId, runId)
  const out = new Map<string, GenieEvalResultDetails>()
  let i = 0
  const worker = async () => {
    for (;;) {
      const r = results[i++]
      if (!r) return
      try {
        const d = await ctx.client.getEvalResult(ctx.spaceId, runId, r.result_id)
        out.set(d.benchmark_question_id || r.benchmark_question_id, d)
      } catch (err) {
        if (!(err instanceof GenieApiError)) throw err
        ctx.logger.warn(`eval result ${r.result_id}: ${describeError(err)}`)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(DETAIL_CONCURRENCY, results.length) }, worker))
  return out
}

function errorAttempt(attempt: number, error: string, runId: string): AttemptResult {
  return { attempt, status: 'error', checks: [], error, duration_ms: 0, rate_limited: 0, eval_run_id: runId }
}

export function attemptFromEval(q: BenchmarkQuestion, attempt: number, d: GenieEvalResultDetails, runId: string): AttemptResult {
  const sqlResponse = d.actual_response.find((r) => (r.response_type ?? 'SQL').toUpperCase() === 'SQL' && r.response?.trim())
  const textResponse = d.actual_response.find((r) => r.response_type?.toUpperCase() === 'TEXT' && r.response?.trim())
  const sql = sqlResponse?.response
  const base = {
    attempt,
    ...(sql !== undefined ? { sql } : {}),
    ...(textResponse?.response !== undefined ? { text: textResponse.response } : {}),
    duration_ms: 0,
    rate_limited: 0,
    eval_run_id: runId,
    result_id: d.result_id,
    ...(d.assessment !== undefined ? { assessment: d.assessment } : {}),
    assessment_reasons: d.assessment_reasons
  }
  const assessment = d.assessment?.toUpperCase()
  const reasons = d.assessment_reasons
  const onlyTransient = reasons.length > 0 && reasons.every((r) => r === 'TRANSIENT_ERROR')
  if (!assessment || onlyTransient) {
    const why = onlyTransient ? 'Genie could not evaluate it (TRANSIENT_ERROR)' : `no assessment (result status ${d.eval_run_status ?? 'unknown'})`
    return { ...base, status: 'error', checks: [{ name: 'eval', passed: false, detail: why }], error: why }
  }
  const checks: CheckResult[] = []
  if (assessment === 'GOOD') checks.push({ name: 'eval', passed: true, detail: `Genie's assessment: GOOD${reasons.length ? ` (${describeReasons(reasons)})` : ''}` })
  else if (assessment === 'NEEDS_REVIEW') {
    checks.push({ name: 'eval', passed: false, detail: `NEEDS_REVIEW: needs a manual review in the space${reasons.length ? ` (${describeReasons(reasons)})` : ''}` })
  } else checks.push({ name: 'eval', passed: false, detail: `${assessment}${reasons.length ? `: ${describeReasons(reasons)}` : ''}` })
  if (!serverSideOnly(q) && (q.expectedTables.length || q.expectedColumns.length || q.expectedContains.length || q.expectedPattern !== undefined)) {
    if (sql?.trim()) checks.push(...staticChecks(q, sql))
    else checks.push({ name: 'sql', passed: false, detail: textResponse?.response ? 'no SQL: Genie answered with text' : 'no SQL in the eval result' })
  }
  return { ...base, status: checks.every((c) => c.passed) ? 'passed' : 'failed', checks }
}
