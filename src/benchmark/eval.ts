import { NEUTRAL_NAMES, settingText, type Names } from '../core/names.js'
import type { GenieClient, GenieEvalResult, GenieEvalResultDetails, GenieEvalRunResponse } from '../client/index.js'
import { GenieApiError } from '../client/index.js'
import { spaceFromApi } from '../deploy/live.js'
import { pushSpace } from '../deploy/push.js'
import { canonicalizeDocument } from '../model/canonical.js'
import type { Space } from '../model/space.js'
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
 *    and spacing). `planBenchmarkSync` reads the space and says what that takes: missing ones are
 *    ADDED with their expected_sql as the SQL answer, and an existing one whose answer differs from
 *    the suite's expected_sql gets the suite's (the suite is what is being measured). A question
 *    that is missing and has no expected_sql cannot be evaluated server-side: the run stops before
 *    anything is written, naming it (use the conversation strategy, or add expected_sql).
 * 2. The write — the only one any benchmark makes — happens in `syncBenchmarkQuestions`, and only
 *    when the context allows writes (`allowWrites`: an explicit `--strategy eval` outside a gate).
 *    A read-only run (a gate, `auto`) never gets there: the runner plans first and uses
 *    conversations when a write would be needed; should it get there anyway, it stops, unwritten.
 *    The space is written with the ordinary push code (etag-checked); when that write's answer is
 *    lost, the space is read again to see whether it went through.
 *    A question whose expected_sql is not one read-only statement (sql/readonly.ts) is neither
 *    written to the space nor evaluated (Genie would run it on the warehouse): it is an `error`.
 * 3. One eval run per round (`repeat`): round r runs the questions with repeat ≥ r not yet decided.
 *    Creating a run is never blindly repeated: when its answer is lost, the space's eval runs are
 *    listed to find the run it may have started (see `createRun`). The run is polled (1 s ×1.5 up
 *    to every 10 s) until DONE or another terminal state, for at most the longest question timeout
 *    plus one rate interval per question; a failed poll is not the end of the run.
 * 4. Every result's details map to a verdict: GOOD passes; BAD fails with its assessment reasons;
 *    NEEDS_REVIEW fails ("needs a manual review"); no assessment (or only TRANSIENT_ERROR) is an
 *    `error`. Checks only the client can make (tables, columns, contains, pattern) run on the SQL
 *    Genie generated, when the suite asks for them.
 * 5. API trouble (a run that cannot be started, results that cannot be read) makes the questions
 *    concerned `error`s with the reason, and the run still ends with its report. Only a definite
 *    refusal of the space itself (a 4xx such as an unknown space) stops the run.
 */
export type EvalClient = Pick<GenieClient, 'getSpace' | 'updateSpace' | 'createEvalRun' | 'getEvalRun' | 'listEvalRuns' | 'listEvalResults' | 'getEvalResult'>

export interface EvalContext {
  client: EvalClient
  spaceId: string
  now: () => number
  sleep: (ms: number) => Promise<void>
  logger: Logger
  progress: ProgressTracker
  /** Whether the suite's questions may be added to / updated in the space's benchmarks. */
  allowWrites: boolean
  /** Milliseconds per question the rate limit allows (for the run's time budget). */
  intervalMs: number
  /** how the face names its settings in messages (`--strategy`, `input benchmark-strategy`) */
  names?: Names
}

const TERMINAL_RUN = new Set(['DONE', 'EVALUATION_FAILED', 'EVALUATION_CANCELLED', 'EVALUATION_TIMEOUT'])
const EVAL_POLL_MAX_MS = 10_000
const DETAIL_CONCURRENCY = 8
/** Creates of one round's run, each tried only after verifying the one before started nothing. */
const CREATE_ATTEMPTS = 3
/** Runs are listed at most this many pages of 100 (the API's order of runs is undocumented). */
const MAX_RUN_PAGES = 20

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

/** A 4xx other than 429: the API understood the request and refused it; nothing transient. */
export function definiteRefusal(err: unknown): boolean {
  return err instanceof GenieApiError && err.status !== undefined && err.status >= 400 && err.status < 500 && err.status !== 429
}

/** What making the suite's questions benchmark questions of the space takes (reads only). */
export interface BenchmarkSyncPlan {
  /** Each question's benchmark id in the space (or the id it would get). */
  ids: Map<QuestionState, string>
  added: string[]
  updated: string[]
  /** Missing questions without expected_sql: cannot be added. */
  impossible: string[]
  /** The space with the benchmarks it needs; undefined when it already holds them. */
  desired?: Space
}

/** True when the space does not already hold exactly the suite's questions (and answers). */
export function needsWrite(plan: BenchmarkSyncPlan): boolean {
  return plan.added.length + plan.updated.length + plan.impossible.length > 0
}

export async function planBenchmarkSync(client: Pick<EvalClient, 'getSpace'>, spaceId: string, states: readonly QuestionState[]): Promise<BenchmarkSyncPlan> {
  const space = spaceFromApi(await client.getSpace(spaceId))
  const existing = [...(space.document.benchmarks?.questions ?? [])]
  const byText = new Map(existing.map((b) => [normText(fromLines(b.question)), b]))
  const plan: BenchmarkSyncPlan = { ids: new Map(), added: [], updated: [], impossible: [] }
  for (const qs of states) {
    const q = qs.q
    const key = normText(q.question)
    const found = byText.get(key)
    if (found) {
      plan.ids.set(qs, found.id)
      if (q.expectedSql !== undefined && normSql(answerOf(found)) !== normSql(q.expectedSql)) {
        const replacement = { ...found, answer: [{ format: 'SQL', content: toLines(q.expectedSql) }] }
        existing[existing.indexOf(found)] = replacement
        byText.set(key, replacement)
        plan.updated.push(q.question)
      }
      continue
    }
    if (q.expectedSql === undefined) {
      plan.impossible.push(q.question)
      continue
    }
    const b: WireBenchmarkQuestion = {
      id: idFor.benchmark(q.question),
      question: toLines(q.question),
      answer: [{ format: 'SQL', content: toLines(q.expectedSql) }]
    }
    existing.push(b)
    byText.set(key, b)
    plan.ids.set(qs, b.id)
    plan.added.push(q.question)
  }
  if (plan.added.length || plan.updated.length)
    plan.desired = { meta: space.meta, document: canonicalizeDocument({ ...space.document, benchmarks: { questions: existing } }) }
  return plan
}

/**
 * Makes every question a benchmark question of the space; returns each question's benchmark id.
 * The one place a benchmark writes to a space: refused unless `ctx.allowWrites`.
 */
export async function syncBenchmarkQuestions(
  ctx: EvalContext,
  states: readonly QuestionState[],
  planned?: BenchmarkSyncPlan
): Promise<{ ids: Map<QuestionState, string>; synced: boolean }> {
  const plan = planned ?? (await planBenchmarkSync(ctx.client, ctx.spaceId, states))
  const { impossible } = plan
  if (impossible.length) {
    throw new SpaceOpsError(
      `strategy eval: ${impossible.length} question(s) are not benchmark questions of space ${ctx.spaceId} and have no expected_sql to add them with (${impossible
        .slice(0, 3)
        .map((t) => `"${t}"`)
        .join(', ')}${impossible.length > 3 ? ', …' : ''}); add expected_sql or use ${settingText(ctx.names ?? NEUTRAL_NAMES, 'strategy', 'conversation')}`
    )
  }
  if (!plan.desired) return { ids: plan.ids, synced: false }
  const what = `${plan.added.length} question(s) to add and ${plan.updated.length} answer(s) to update in the space's benchmarks`
  if (!ctx.allowWrites) {
    throw new SpaceOpsError(
      `read-only benchmark run: strategy eval would need ${what} of space ${ctx.spaceId}; nothing was written (use ${settingText(ctx.names ?? NEUTRAL_NAMES, 'strategy', 'conversation')}, or ${settingText(ctx.names ?? NEUTRAL_NAMES, 'strategy', 'eval')} outside a gate)`
    )
  }
  let action: string
  try {
    action = (await pushSpace(ctx.client as unknown as GenieClient, plan.desired, { spaceId: ctx.spaceId, logger: ctx.logger })).action
  } catch (err) {
    if (definiteRefusal(err) || !(err instanceof GenieApiError || err instanceof SpaceOpsError)) throw err
    // The write's answer may be lost (or a retried PATCH met its own etag): did it go through?
    ctx.logger.warn(`writing the benchmark questions of space ${ctx.spaceId}: ${describeError(err)}; reading the space to see whether the write went through`)
    if (needsWrite(await planBenchmarkSync(ctx.client, ctx.spaceId, states))) throw err
    action = 'updated'
  }
  ctx.logger.info(`space ${ctx.spaceId}: ${action} — ${what.replace(' to add', ' added').replace(' to update', ' updated')} for the eval run`)
  return { ids: plan.ids, synced: true }
}

/**
 * Starts the run, never twice.
 * - Right after the space was written, a read may briefly see the old document (genie-api.md): a
 *   400/404 naming the new questions is tried again, 3 times in all, 2 s apart.
 * - A create whose answer is lost (connection error, timeout, 5xx: "may have been applied") is not
 *   repeated blindly, as space creates are not (deploy/push.ts). The space's eval runs can be
 *   listed (`GET …/eval-runs`, genie-wire-shapes.md GenieListEvalRunsResponse), so the runs that
 *   existed just before the create (`known`) are compared with the runs after it: a new run with
 *   our number of questions and — where it lists results already — exactly our benchmark question
 *   ids is the one the request started, and is adopted. Only when there is none is the create
 *   tried again. Two such new runs (another job started the same questions at the same moment)
 *   cannot be told apart: the create is then reported as failed rather than guessed. Without
 *   `known` (the list could not be read) nothing can be verified, so nothing is tried again. The
 *   docs say nothing of how soon a new run is listed: we wait 1 s × attempt before looking.
 */
async function createRun(ctx: EvalContext, questionIds: string[], justSynced: boolean, known: ReadonlySet<string> | undefined): Promise<GenieEvalRunResponse> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.client.createEvalRun(ctx.spaceId, questionIds)
    } catch (err) {
      if (!(err instanceof GenieApiError)) throw err
      if (err.ambiguous) {
        if (!known) throw err
        ctx.logger.warn(`no clear answer to "create eval run" (${describeError(err)}); looking for the run it may have started`)
        await ctx.sleep(1000 * attempt)
        let found: GenieEvalRunResponse[]
        try {
          found = await findStartedRuns(ctx, questionIds, known)
        } catch (lookupErr) {
          // Cannot tell whether it started: trying again could start a second run.
          ctx.logger.warn(`looking for the eval run: ${describeError(lookupErr)}`)
          throw err
        }
        const [run, ...more] = found
        if (run && !more.length) {
          ctx.logger.info(`found eval run ${run.eval_run_id} started by that request`)
          return run
        }
        if (run) {
          ctx.logger.warn(
            `${found.length} new eval runs of these questions (${found.map((r) => r.eval_run_id).join(', ')}): cannot tell which one that request started`
          )
          throw err
        }
        if (attempt >= CREATE_ATTEMPTS) throw err
        ctx.logger.info(`no eval run was started; trying again (attempt ${attempt + 1} of ${CREATE_ATTEMPTS})`)
        continue
      }
      if (!justSynced || attempt >= 3 || (err.status !== 400 && err.status !== 404)) throw err
      ctx.logger.debug(`create eval run: ${describeError(err)}; the space was just updated, trying again`)
      await ctx.sleep(2000 * attempt)
    }
  }
}

/** Every eval run of the space, page after page (at most MAX_RUN_PAGES). */
async function listRuns(ctx: EvalContext): Promise<GenieEvalRunResponse[]> {
  const runs: GenieEvalRunResponse[] = []
  const tokens = new Set<string>()
  let pageToken: string | undefined
  for (let pages = 0; pages < MAX_RUN_PAGES; pages++) {
    const page = await ctx.client.listEvalRuns(ctx.spaceId, { pageSize: 100, ...(pageToken !== undefined ? { pageToken } : {}) })
    runs.push(...page.eval_runs)
    const next = page.next_page_token
    if (next === undefined || next === '' || tokens.has(next)) break
    tokens.add(next)
    pageToken = next
  }
  return runs
}

const listRunIds = async (ctx: EvalContext): Promise<Set<string>> => new Set((await listRuns(ctx)).map((r) => r.eval_run_id))

/** New runs (not in `known`) of exactly these questions. */
async function findStartedRuns(ctx: EvalContext, questionIds: readonly string[], known: ReadonlySet<string>): Promise<GenieEvalRunResponse[]> {
  const ids = new Set(questionIds)
  const want = [...ids].sort().join(',')
  const found: GenieEvalRunResponse[] = []
  for (const r of await listRuns(ctx)) {
    if (known.has(r.eval_run_id) || (r.num_questions !== undefined && r.num_questions !== ids.size)) continue
    const results = await ctx.client.listEvalResults(ctx.spaceId, r.eval_run_id)
    if (!results.length || [...new Set(results.map((x) => x.benchmark_question_id))].sort().join(',') === want) found.push(r)
  }
  return found
}

/** Records an `error` attempt (no verdict, with the reason) for each question. */
function recordErrors(ctx: EvalContext, states: readonly QuestionState[], round: number, error: string, started: number): void {
  const ended = ctx.now()
  for (const qs of states) {
    const attempt = errorAttempt(round, error)
    attempt.started_at = new Date(started).toISOString()
    attempt.duration_ms = ended - started
    if (qs.record(attempt, started, ended)) ctx.progress.decided(qs)
  }
}

export async function runEvalRuns(ctx: EvalContext, suites: SuiteState[], plan?: BenchmarkSyncPlan): Promise<void> {
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
  // a plan made for every question holds the refused ones too: plan again for those that remain
  if (states.length !== suites.flatMap((s) => s.questions).length) plan = undefined
  const rounds = Math.max(0, ...states.map((s) => s.q.repeat))
  let ids: Map<QuestionState, string>
  let synced: boolean
  try {
    ;({ ids, synced } = await syncBenchmarkQuestions(ctx, states, plan))
  } catch (err) {
    if (!(err instanceof GenieApiError) || definiteRefusal(err)) throw err
    // The space could not be read or written: no run can start; every question is an error.
    ctx.logger.warn(`eval: ${describeError(err)}`)
    const started = ctx.now()
    for (let round = 1; round <= rounds; round++)
      recordErrors(
        ctx,
        states.filter((s) => !s.decided && round <= s.q.repeat),
        round,
        `no eval run could be started: ${describeError(err)}`,
        started
      )
    return
  }
  for (let round = 1; round <= rounds; round++) {
    const inRound = states.filter((s) => !s.decided && round <= s.q.repeat)
    if (!inRound.length) break
    const questionIds = [...new Set(inRound.map((s) => ids.get(s) as string))]
    const started = ctx.now()
    for (const s of inRound) s.suite.start(started)
    let run: GenieEvalRunResponse
    try {
      // the runs there before the create, to tell the one it starts should its answer be lost
      let known: Set<string> | undefined
      try {
        known = await listRunIds(ctx)
      } catch (err) {
        if (!(err instanceof GenieApiError)) throw err
        ctx.logger.warn(
          `listing the eval runs of space ${ctx.spaceId}: ${describeError(err)}; a create whose answer is lost cannot be verified, so it will not be tried again`
        )
      }
      run = await createRun(ctx, questionIds, synced, known)
    } catch (err) {
      if (!(err instanceof GenieApiError)) throw err
      ctx.logger.warn(`eval run${rounds > 1 ? ` (round ${round} of ${rounds})` : ''} not started: ${describeError(err)}`)
      recordErrors(ctx, inRound, round, `the eval run could not be started: ${describeError(err)}`, started)
      continue
    }
    ctx.logger.info(`eval run ${run.eval_run_id} started for ${questionIds.length} question(s)${rounds > 1 ? ` (round ${round} of ${rounds})` : ''}`)
    const budget = Math.max(...inRound.map((s) => s.q.timeoutMs)) + questionIds.length * ctx.intervalMs
    const final = await pollRun(ctx, run, started, started + budget)
    const status = final.eval_run_status ?? 'UNKNOWN'
    if (status !== 'DONE') ctx.logger.warn(`eval run ${run.eval_run_id} ended ${status}`)

    const { details, problem } = await readDetails(ctx, run.eval_run_id)
    const ended = ctx.now()
    for (const qs of inRound) {
      const d = details.get(ids.get(qs) as string)
      const attempt = d
        ? attemptFromEval(qs.q, round, d, run.eval_run_id)
        : errorAttempt(round, `eval run ${run.eval_run_id} (${status}) has no result for this question${problem ? `: ${problem}` : ''}`, run.eval_run_id)
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
    try {
      current = await ctx.client.getEvalRun(ctx.spaceId, run.eval_run_id)
    } catch (err) {
      // The run goes on whether or not we hear of it: look again until the budget is spent.
      if (!(err instanceof GenieApiError)) throw err
      ctx.logger.warn(`eval run ${run.eval_run_id}: ${describeError(err)}; polling again`)
      continue
    }
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

/** Each question's result details; `problem` says why the list of results could not be read. */
async function readDetails(ctx: EvalContext, runId: string): Promise<{ details: Map<string, GenieEvalResultDetails>; problem?: string }> {
  const out = new Map<string, GenieEvalResultDetails>()
  let results: GenieEvalResult[]
  try {
    results = await ctx.client.listEvalResults(ctx.spaceId, runId)
  } catch (err) {
    if (!(err instanceof GenieApiError)) throw err
    ctx.logger.warn(`eval run ${runId}: ${describeError(err)}`)
    return { details: out, problem: describeError(err) }
  }
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
  return { details: out }
}

function errorAttempt(attempt: number, error: string, runId?: string): AttemptResult {
  return { attempt, status: 'error', checks: [], error, duration_ms: 0, rate_limited: 0, ...(runId !== undefined ? { eval_run_id: runId } : {}) }
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
  if (assessment === 'GOOD')
    checks.push({ name: 'eval', passed: true, detail: `Genie's assessment: GOOD${reasons.length ? ` (${describeReasons(reasons)})` : ''}` })
  else if (assessment === 'NEEDS_REVIEW') {
    checks.push({
      name: 'eval',
      passed: false,
      detail: `NEEDS_REVIEW: needs a manual review in the space${reasons.length ? ` (${describeReasons(reasons)})` : ''}`
    })
  } else if (!sql?.trim()) {
    // Genie did not answer with SQL (a text answer, a clarifying question): that is the reason, not
    // the result reasons the eval attaches to it (an EMPTY_RESULT of no SQL at all says nothing).
    const said = textResponse?.response?.replace(/\s+/g, ' ').trim()
    const excerpt = said && said.length > 160 ? `${said.slice(0, 159)}…` : said
    checks.push({
      name: 'sql',
      passed: false,
      detail: excerpt ? `no SQL: Genie answered with text: "${excerpt}" (eval: ${assessment})` : `no SQL in the eval result (eval: ${assessment})`
    })
  } else checks.push({ name: 'eval', passed: false, detail: `${assessment}${reasons.length ? `: ${describeReasons(reasons)}` : ''}` })
  if (checks.some((c) => c.name === 'sql')) return { ...base, status: 'failed', checks }
  if (!serverSideOnly(q) && (q.expectedTables.length || q.expectedColumns.length || q.expectedContains.length || q.expectedPattern !== undefined)) {
    if (sql?.trim()) checks.push(...staticChecks(q, sql))
    else checks.push({ name: 'sql', passed: false, detail: textResponse?.response ? 'no SQL: Genie answered with text' : 'no SQL in the eval result' })
  }
  return { ...base, status: checks.every((c) => c.passed) ? 'passed' : 'failed', checks }
}
