import type { ResultSet } from './compare.js'
import { firstFailure } from './score.js'
import { wilsonInterval } from './stats.js'
import type { AttemptResult, BenchmarkQuestion, BenchmarkSuite, Progress, QuestionResult, SuiteResult } from './types.js'

/**
 * The runner's bookkeeping, shared by both strategies: per question its attempts and whether
 * repeat/min_passes have decided it; per run the progress (n/N decided, passing so far, ETA).
 *
 * A question is decided as soon as min_passes attempts passed, or as soon as so many failed that
 * min_passes can no longer be reached; its remaining attempts are then not asked (they are
 * reported as `skipped`) — questions are the scarce resource (about 5 a minute).
 */
export class QuestionState {
  readonly attempts: AttemptResult[] = []
  decided = false
  /** The expected result, run once per question. */
  expected?: Promise<ResultSet>
  firstStart?: number
  lastEnd?: number

  constructor(
    readonly suite: SuiteState,
    readonly q: BenchmarkQuestion
  ) {}

  get passes(): number {
    return this.attempts.filter((a) => a.status === 'passed').length
  }

  get notPassed(): number {
    return this.attempts.filter((a) => a.status === 'failed' || a.status === 'error').length
  }

  get passed(): boolean {
    return this.passes >= this.q.minPasses
  }

  /** True when this attempt decided the question (it was not decided before). */
  record(attempt: AttemptResult, startedAt: number, endedAt: number): boolean {
    this.attempts.push(attempt)
    if (attempt.status !== 'skipped') {
      this.firstStart = Math.min(this.firstStart ?? startedAt, startedAt)
      this.lastEnd = Math.max(this.lastEnd ?? endedAt, endedAt)
      this.suite.touch(startedAt, endedAt)
    }
    if (this.decided) return false
    const asked = this.attempts.filter((a) => a.status !== 'skipped').length
    const early = !this.q.askAll && (this.passes >= this.q.minPasses || this.notPassed > this.q.repeat - this.q.minPasses)
    if (early || asked >= this.q.repeat) {
      this.decided = true
      return true
    }
    return false
  }

  result(): QuestionResult {
    const attempts = [...this.attempts].sort((a, b) => a.attempt - b.attempt)
    const passed = this.passed
    const someFailed = attempts.some((a) => a.status === 'failed')
    const flaky = someFailed && attempts.some((a) => a.status === 'passed')
    const status = flaky ? 'flaky' : passed ? 'passed' : someFailed ? 'failed' : 'error'
    const asked = attempts.filter((a) => a.status !== 'skipped').length
    const lastBad = [...attempts].reverse().find((a) => a.status === 'failed' || a.status === 'error')
    const failure =
      passed || !lastBad ? undefined : lastBad.status === 'error' && lastBad.error ? lastBad.error : (firstFailure(lastBad.checks) ?? lastBad.error)
    return {
      question: this.q.question,
      status,
      passed,
      passes: this.passes,
      attempts_made: asked,
      pass_rate: asked ? this.passes / asked : 0,
      repeat: this.q.repeat,
      min_passes: this.q.minPasses,
      ...(this.q.expectedSql !== undefined ? { expected_sql: this.q.expectedSql } : {}),
      tags: this.q.tags,
      ...(failure !== undefined ? { failure } : {}),
      attempts,
      duration_ms: this.firstStart !== undefined && this.lastEnd !== undefined ? this.lastEnd - this.firstStart : 0
    }
  }
}

export class SuiteState {
  readonly questions: QuestionState[]
  /** Set when the suite's timeout_seconds starts counting (its first question asked). */
  deadline?: number
  firstStart?: number
  lastEnd?: number

  constructor(readonly suite: BenchmarkSuite) {
    this.questions = suite.questions.map((q) => new QuestionState(this, q))
  }

  touch(start: number, end: number): void {
    this.firstStart = Math.min(this.firstStart ?? start, start)
    this.lastEnd = Math.max(this.lastEnd ?? end, end)
  }

  /** Starts the suite's clock (timeout_seconds) the first time one of its questions is asked. */
  start(now: number): void {
    if (this.deadline === undefined && this.suite.timeoutMs !== undefined) this.deadline = now + this.suite.timeoutMs
  }

  expired(now: number): boolean {
    return this.deadline !== undefined && now >= this.deadline
  }

  result(): SuiteResult {
    const questions = this.questions.map((q) => q.result())
    const { passed, errors, flaky } = countQuestions(questions)
    return {
      name: this.suite.name,
      ...(this.suite.file !== undefined ? { file: this.suite.file } : {}),
      ...(this.suite.minAccuracy !== undefined ? { min_accuracy: this.suite.minAccuracy } : {}),
      total: questions.length,
      passed,
      failed: questions.length - passed - errors,
      errors,
      accuracy: questions.length ? passed / questions.length : 0,
      flaky,
      confidence_interval: wilsonInterval(passed, questions.length),
      duration_ms: this.firstStart !== undefined && this.lastEnd !== undefined ? this.lastEnd - this.firstStart : 0,
      questions
    }
  }
}

/** passed (min_passes reached, flaky or not), errors (no verdict) and flaky questions. */
export function countQuestions(questions: readonly QuestionResult[]): { passed: number; errors: number; flaky: number } {
  return {
    passed: questions.filter((q) => q.passed).length,
    errors: questions.filter((q) => q.status === 'error').length,
    flaky: questions.filter((q) => q.status === 'flaky').length
  }
}

/** Progress over every question of a run. */
export class ProgressTracker {
  done = 0
  passed = 0
  failed = 0
  constructor(
    readonly total: number,
    private readonly started: number,
    private readonly now: () => number,
    private readonly sink: ((p: Progress) => void) | undefined
  ) {}

  /** A question was decided; `etaMs` from the strategy, which knows what is left to ask. */
  decided(q: QuestionState, etaMs?: number): void {
    this.done++
    if (q.passed) this.passed++
    else this.failed++
    this.emit(etaMs, { suite: q.suite.suite.name, question: q.q.question, passed: q.passed })
  }

  /** The highest count of finished questions printed: one line per finished question, never a count twice. */
  private shown = 0

  /**
   * `inRun`: questions an eval run has finished but not yet reported (counted as done, and passed
   * when correct). Nothing is emitted unless more questions are done than the last line said (an
   * eval run's own count comes first; the verdicts read afterwards do not print the counts again).
   */
  emit(etaMs?: number, last?: Progress['last'], inRun: { done: number; correct: number } = { done: 0, correct: 0 }): void {
    if (!this.sink) return
    const done = Math.min(this.total, this.done + inRun.done)
    if (done <= this.shown) return
    this.shown = done
    const passed = this.passed + inRun.correct
    const p: Progress = { done, total: this.total, passed, failed: done - passed, elapsedMs: this.now() - this.started }
    if (etaMs !== undefined && Number.isFinite(etaMs) && done < this.total) p.etaMs = Math.max(0, Math.round(etaMs))
    if (last) p.last = last
    try {
      this.sink(p)
    } catch {
      // a progress printer must never stop a run
    }
  }
}
