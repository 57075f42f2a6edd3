/**
 * Genie eval runs (Beta; genie-api.md "Evaluation runs"; JSON per genie-wire-shapes.md:
 * GenieEvalRunResponse, GenieListEvalRunsResponse, GenieEvalResult, GenieListEvalResultsResponse,
 * GenieEvalResultDetails, GenieEvalResponse).
 *
 * A run snapshots the space's benchmark questions (all, or `benchmark_question_ids`) and its
 * answer knowledge when it is created, then evaluates every question at once in the background
 * (answer engine → the answer's SQL and the benchmark's SQL on the SQL engine → compare.ts). What a
 * client SEES follows the emulator clock: NOT_STARTED for the first half of FaultConfig
 * evalLatencyMs, then question i is DONE at start + (i + 1) · evalLatencyMs; RUNNING until the last
 * one is done, then DONE. Counters count done questions only.
 *
 * Choices where the docs are silent:
 *   - Eval runs do NOT count toward the question rate limit (undocumented either way), and the
 *     conversation faults (genieFailRate, …) do not apply to them.
 *   - Assessment: benchmark without a SQL answer → NEEDS_REVIEW; Genie answered with text (no SQL)
 *     → BAD [EMPTY_RESULT]; Genie's SQL failed → BAD [EMPTY_RESULT]; benchmark SQL failed →
 *     NEEDS_REVIEW; benchmark SQL returned no rows → NEEDS_REVIEW [EMPTY_GOOD_SQL]; otherwise
 *     compare.ts decides (no reason → GOOD, else BAD with the reasons).
 *   - GOOD results omit assessment_reasons. `manual_assessment` is false.
 *   - A result's `status` / a details' `eval_run_status` is that question's progress
 *     (NOT_STARTED, RUNNING, DONE).
 *   - Runs list newest first. Page tokens are opaque; page_size default 20, at most 100.
 *   - A space without benchmark questions, or an unknown benchmark_question_id → 400
 *     INVALID_PARAMETER_VALUE.
 */
import { isPlainObject } from '../http.js'
import { Rng } from '../prng.js'
import type { StatementRecord, StatementResponse, StatementStore } from '../statements.js'
import { answerWithNoise, type Answer, type SpaceKnowledge } from './answer.js'
import { compareResults, type ScoreReason } from './compare.js'

export type EvalStatus = 'NOT_STARTED' | 'RUNNING' | 'DONE'
export type Assessment = 'GOOD' | 'BAD' | 'NEEDS_REVIEW'

export interface BenchmarkQuestion {
  id: string
  question: string
  /** The SQL answer (content lines joined), if the benchmark has one. */
  sql?: string
}

interface EvalResponseJson {
  response: string
  response_type: 'SQL' | 'TEXT'
  sql_execution_result?: StatementResponse
}

interface Evaluation {
  assessment: Assessment
  reasons: ScoreReason[]
  expected: EvalResponseJson[]
  actual: EvalResponseJson[]
}

interface EvalQuestionRecord {
  result_id: string
  benchmark: BenchmarkQuestion
  startsAt: number
  doneAt: number
  evaluation: Promise<Evaluation>
}

export interface EvalRunRecord {
  eval_run_id: string
  space_id: string
  created: number
  startsAt: number
  questions: EvalQuestionRecord[]
}

function text(v: unknown): string {
  if (typeof v === 'string') return v
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string').join('')
  return ''
}

/** benchmarks.questions of a stored document. */
export function benchmarkQuestions(doc: Record<string, unknown>): BenchmarkQuestion[] {
  const benchmarks = isPlainObject(doc['benchmarks']) ? doc['benchmarks'] : {}
  const questions = Array.isArray(benchmarks['questions']) ? benchmarks['questions'].filter(isPlainObject) : []
  return questions.map((q) => {
    const answers = Array.isArray(q['answer']) ? q['answer'].filter(isPlainObject) : []
    const sqlAnswer = answers.find((a) => a['format'] === 'SQL' && text(a['content']).trim() !== '')
    const out: BenchmarkQuestion = { id: typeof q['id'] === 'string' ? q['id'] : '', question: text(q['question']) }
    if (sqlAnswer) out.sql = text(sqlAnswer['content'])
    return out
  })
}

export class EvalStore {
  private readonly runs = new Map<string, EvalRunRecord>()
  private rng: Rng

  constructor(
    private readonly statements: StatementStore,
    private readonly seed: number,
    readonly userId: number
  ) {
    this.rng = new Rng(seed ^ 0xe7a1)
    this.noiseRng = new Rng(seed ^ 0xe7a2)
  }
  /** Share of answers made worse on purpose (answer.ts answerWithNoise). */
  answerNoise = 0
  private noiseRng: Rng

  reset(): void {
    this.runs.clear()
    this.rng = new Rng(this.seed ^ 0xe7a1)
    this.noiseRng = new Rng(this.seed ^ 0xe7a2)
  }

  runList(spaceId?: string): EvalRunRecord[] {
    return [...this.runs.values()].filter((r) => spaceId === undefined || r.space_id === spaceId).reverse()
  }

  get(spaceId: string, id: string): EvalRunRecord | undefined {
    const r = this.runs.get(id)
    return r && r.space_id === spaceId ? r : undefined
  }

  create(spaceId: string, questions: BenchmarkQuestion[], knowledge: SpaceKnowledge, now: number, perQuestionMs: number, threshold: number): EvalRunRecord {
    const startsAt = now + Math.floor(perQuestionMs / 2)
    const run: EvalRunRecord = { eval_run_id: this.rng.hex(32), space_id: spaceId, created: now, startsAt, questions: [] }
    // Every statement is submitted now, synchronously and in question order (so statement ids do
    // not depend on timing); the engine runs them one after the other.
    questions.forEach((benchmark, i) => {
      const evaluation = this.evaluate(benchmark, knowledge, now, threshold)
      evaluation.catch(() => undefined)
      run.questions.push({
        result_id: this.rng.hex(32),
        benchmark,
        startsAt: startsAt + i * perQuestionMs,
        doneAt: startsAt + (i + 1) * perQuestionMs,
        evaluation
      })
    })
    this.runs.set(run.eval_run_id, run)
    return run
  }

  /** Answer one benchmark question and submit both statements now; the promise resolves with the assessment. */
  private evaluate(benchmark: BenchmarkQuestion, knowledge: SpaceKnowledge, now: number, threshold: number): Promise<Evaluation> {
    const answer = answerWithNoise(knowledge, benchmark.question, threshold, this.answerNoise, () => this.noiseRng.next())
    const expectedStatement = benchmark.sql !== undefined ? this.statements.submit(benchmark.sql, {}, now, 0) : undefined
    const actualStatement = answer.kind === 'query' ? this.statements.submit(answer.sql, {}, now, 0) : undefined
    return this.assess(benchmark, answer, expectedStatement, actualStatement, now)
  }

  private async assess(
    benchmark: BenchmarkQuestion,
    answer: Answer,
    expectedStatement: StatementRecord | undefined,
    actualStatement: StatementRecord | undefined,
    now: number
  ): Promise<Evaluation> {
    const expected: EvalResponseJson[] = []
    if (expectedStatement && benchmark.sql !== undefined) {
      expected.push({ response: benchmark.sql, response_type: 'SQL', sql_execution_result: await this.statements.view(expectedStatement, now) })
    }
    const actual: EvalResponseJson[] = []
    if (actualStatement && answer.kind === 'query') {
      actual.push({ response: answer.sql, response_type: 'SQL', sql_execution_result: await this.statements.view(actualStatement, now) })
    } else if (answer.kind === 'text') actual.push({ response: answer.content, response_type: 'TEXT' })

    const done = (assessment: Assessment, reasons: ScoreReason[]): Evaluation => ({ assessment, reasons, expected, actual })
    if (!expectedStatement) return done('NEEDS_REVIEW', [])
    const exp = await expectedStatement.execution
    if (!exp.ok) return done('NEEDS_REVIEW', [])
    if (!actualStatement) return done('BAD', ['EMPTY_RESULT'])
    const act = await actualStatement.execution
    if (!act.ok) return done('BAD', ['EMPTY_RESULT'])
    if (exp.rows.length === 0) return done('NEEDS_REVIEW', ['EMPTY_GOOD_SQL'])
    const reasons = compareResults({ columns: exp.columns.length, rows: exp.rows }, { columns: act.columns.length, rows: act.rows })
    return done(reasons.length === 0 ? 'GOOD' : 'BAD', reasons)
  }

  private questionStatus(q: EvalQuestionRecord, now: number): EvalStatus {
    if (now >= q.doneAt) return 'DONE'
    return now >= q.startsAt ? 'RUNNING' : 'NOT_STARTED'
  }

  runStatus(run: EvalRunRecord, now: number): EvalStatus {
    if (now < run.startsAt) return 'NOT_STARTED'
    const last = run.questions[run.questions.length - 1]
    return !last || now >= last.doneAt ? 'DONE' : 'RUNNING'
  }

  /** GenieEvalRunResponse JSON at `now`. */
  async runView(run: EvalRunRecord, now: number): Promise<Record<string, unknown>> {
    const done = run.questions.filter((q) => now >= q.doneAt)
    const evaluations = await Promise.all(done.map((q) => q.evaluation))
    const status = this.runStatus(run, now)
    const lastChange = status === 'NOT_STARTED' ? run.created : Math.max(run.startsAt, ...done.map((q) => q.doneAt))
    return {
      eval_run_id: run.eval_run_id,
      eval_run_status: status,
      run_by_user: this.userId,
      created_timestamp: run.created,
      last_updated_timestamp: lastChange,
      num_questions: run.questions.length,
      num_done: done.length,
      num_correct: evaluations.filter((e) => e.assessment === 'GOOD').length,
      num_needs_review: evaluations.filter((e) => e.assessment === 'NEEDS_REVIEW').length
    }
  }

  /** GenieEvalResult JSON. */
  resultSummary(run: EvalRunRecord, q: EvalQuestionRecord, now: number): Record<string, unknown> {
    const out: Record<string, unknown> = {
      result_id: q.result_id,
      space_id: run.space_id,
      benchmark_question_id: q.benchmark.id,
      question: q.benchmark.question
    }
    if (q.benchmark.sql !== undefined) out['benchmark_answer'] = q.benchmark.sql
    out['created_by_user'] = this.userId
    out['status'] = this.questionStatus(q, now)
    return out
  }

  findResult(run: EvalRunRecord, resultId: string): EvalQuestionRecord | undefined {
    return run.questions.find((q) => q.result_id === resultId)
  }

  /** GenieEvalResultDetails JSON at `now` (assessment and responses only once the question is done). */
  async resultDetails(run: EvalRunRecord, q: EvalQuestionRecord, now: number): Promise<Record<string, unknown>> {
    const status = this.questionStatus(q, now)
    const out: Record<string, unknown> = {
      result_id: q.result_id,
      space_id: run.space_id,
      benchmark_question_id: q.benchmark.id,
      eval_run_status: status
    }
    if (status !== 'DONE') return out
    const e = await q.evaluation
    out['assessment'] = e.assessment
    if (e.reasons.length > 0) out['assessment_reasons'] = e.reasons
    out['manual_assessment'] = false
    if (e.expected.length > 0) out['expected_response'] = e.expected
    out['actual_response'] = e.actual
    return out
  }
}
