import { ACTION_NAMES, CLI_NAMES } from '../../src/core/names.js'
import { runBenchmarks, type RunBenchmarksOptions } from '../../src/benchmark/runner.js'
import type { BenchmarkReport, Progress, QuestionResult } from '../../src/benchmark/types.js'
import { MemoryLogger } from '../../src/util/logger.js'
import { GenieApiError, type GenieEvalRunResponse, type GenieListEvalRunsResponse } from '../../src/client/index.js'
import { FakeGenie, SPACE_ID, VirtualClock, question, suite, type Table } from './helpers.js'

const ORDERS: Table = { columns: ['n'], rows: [['42']] }

function setup(n: number) {
  const clock = new VirtualClock()
  const genie = new FakeGenie(clock)
  const questions = Array.from({ length: n }, (_, i) => {
    const text = `How many orders in region ${i}?`
    const sql = `SELECT COUNT(*) FROM main.sales.orders WHERE region = ${i}`
    genie.answer(text, { sql })
    genie.result(sql, ORDERS)
    return question(text, { expectedSql: sql, expectedTables: ['main.sales.orders'] })
  })
  return { clock, genie, questions }
}

async function run(clock: VirtualClock, genie: FakeGenie, options: Partial<RunBenchmarksOptions> & Pick<RunBenchmarksOptions, 'suites'>) {
  const logger = new MemoryLogger()
  const progress: Progress[] = []
  const report = await runBenchmarks({
    client: genie,
    spaceId: SPACE_ID,
    strategy: 'conversation',
    now: clock.now,
    sleep: clock.sleep,
    logger,
    onProgress: (p) => progress.push(p),
    ...options
  })
  return { report, logger, progress }
}

const only = (r: BenchmarkReport): QuestionResult => r.suites[0]?.questions[0] as QuestionResult

describe('conversation strategy: pacing', () => {
  test("N questions take the rate limit's lower bound, not N × latency (rolling window)", async () => {
    const { clock, genie, questions } = setup(20)
    genie.latencyMs = 10_000
    genie.ratePerMinute = 5 // the server's own limit: 5 in any rolling minute
    const { report, progress } = await run(clock, genie, { suites: [suite('s', questions)], questionsPerMinute: 5 })
    expect(report.totals).toMatchObject({ questions: 20, passed: 20, accuracy: 1, rate_limited: 0 })
    expect(genie.refused).toHaveLength(0)
    // 5 at once, then 5 a minute after each answered POST (+ 250 ms margin)
    const at = genie.asked.map((a) => a.at - clock.start)
    expect(at).toEqual([...Array(5).fill(0), ...Array(5).fill(60_250), ...Array(5).fill(120_500), ...Array(5).fill(180_750)])
    // lower bound: the 20th question can be asked at 3 min, then one answer; polling granularity adds at most 5 s
    const lowerBound = 3 * 60_000 + 10_000
    expect(clock.elapsed).toBeGreaterThanOrEqual(lowerBound)
    expect(clock.elapsed).toBeLessThan(lowerBound + 5000)
    expect(report.duration_ms).toBe(clock.elapsed)
    // progress: n/N, monotonic, ends at N/N
    const decided = progress.filter((p) => p.last)
    expect(decided.map((p) => p.done)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect(decided[5]?.etaMs).toBeGreaterThan(0)
    expect(decided[19]).toMatchObject({ done: 20, total: 20, passed: 20, failed: 0 })
  })

  test('even pacing: one question every 60/Q seconds', async () => {
    const { clock, genie, questions } = setup(20)
    genie.latencyMs = 10_000
    genie.ratePerMinute = 30
    const { report } = await run(clock, genie, { suites: [suite('s', questions)], questionsPerMinute: 30, pacing: 'even' })
    expect(report.totals.passed).toBe(20)
    expect(genie.refused).toHaveLength(0)
    const gaps = genie.asked.slice(1).map((a, i) => a.at - (genie.asked[i] as { at: number }).at)
    expect(new Set(gaps)).toEqual(new Set([2000]))
    const lowerBound = 19 * 2000 + 10_000
    expect(clock.elapsed).toBeGreaterThanOrEqual(lowerBound)
    expect(clock.elapsed).toBeLessThan(lowerBound + 5000)
  })

  test('expected_sql runs once per question; Genie SQL once per attempt', async () => {
    const { clock, genie, questions } = setup(3)
    await run(clock, genie, { suites: [suite('s', questions)], questionsPerMinute: 60 })
    expect(genie.executed).toHaveLength(6)
  })
})

describe("conversation strategy: the rate limit is never the space's fault", () => {
  test('a 429 storm with Retry-After: every question still completes and passes', async () => {
    const { clock, genie, questions } = setup(6)
    genie.storm = 5
    genie.stormRetryAfterMs = 10_000
    const { report, logger } = await run(clock, genie, { suites: [suite('s', questions)], questionsPerMinute: 30 })
    expect(report.totals).toMatchObject({ passed: 6, failed: 0, errors: 0, attempts: 6, rate_limited: 5 })
    expect(genie.asked).toHaveLength(6)
    // every refused question was asked again, after the advised wait
    for (const r of genie.refused) expect(genie.asked.find((a) => a.question === r.question)?.at).toBeGreaterThanOrEqual(r.at + 10_000)
    expect(logger.text()).toMatch(/rate limited \(HTTP 429\): pausing questions for 10 s/)
    expect(report.suites[0]?.questions.reduce((n, q) => n + (q.attempts[0]?.rate_limited ?? 0), 0)).toBe(5)
  })

  test('429 without Retry-After backs off on its own, doubling', async () => {
    const { clock, genie, questions } = setup(1)
    genie.storm = 3
    genie.stormRetryAfterMs = undefined
    const { report } = await run(clock, genie, { suites: [suite('s', questions)], questionsPerMinute: 6 })
    expect(report.totals.passed).toBe(1)
    // refusals at 0, 10 s, 30 s (10 + 20), asked at 70 s (+40)
    expect(genie.refused.map((r) => r.at - clock.start)).toEqual([0, 10_000, 30_000])
    expect((genie.asked[0]?.at ?? 0) - clock.start).toBe(70_000)
  })

  test('asking faster than the server allows: refused questions wait and are asked again', async () => {
    const { clock, genie, questions } = setup(12)
    genie.ratePerMinute = 5
    const { report } = await run(clock, genie, { suites: [suite('s', questions)], questionsPerMinute: 30, burst: 5 })
    expect(report.totals.passed).toBe(12)
    expect(report.totals.rate_limited).toBeGreaterThan(0)
    expect(genie.asked).toHaveLength(12)
  })

  test('a RATE_LIMIT_EXCEEDED message is asked again, not failed', async () => {
    const { clock, genie, questions } = setup(2)
    genie.rateLimitMessages = 1
    const { report } = await run(clock, genie, { suites: [suite('s', questions)], questionsPerMinute: 60 })
    expect(report.totals).toMatchObject({ passed: 2, rate_limited: 1 })
    expect(genie.asked).toHaveLength(3)
    expect(only(report).attempts[0]?.rate_limited).toBe(1)
  })

  test('an attempt refused for longer than maxRateLimitWaitMs is an error, not a failure', async () => {
    const { clock, genie, questions } = setup(1)
    genie.storm = 1000
    genie.stormRetryAfterMs = 60_000
    const { report } = await run(clock, genie, { suites: [suite('s', questions)], maxRateLimitWaitMs: 5 * 60_000 })
    expect(only(report)).toMatchObject({ status: 'error', passed: false })
    expect(only(report).failure).toMatch(/^rate limited for more than 5 min/)
  })
})

describe('conversation strategy: what Genie answers', () => {
  async function one(script: Parameters<FakeGenie['answer']>[1], q = question('How many orders?', { expectedContains: ['COUNT'] })) {
    const clock = new VirtualClock()
    const genie = new FakeGenie(clock)
    genie.answer(q.question, script)
    const { report } = await run(clock, genie, { suites: [suite('s', [q])] })
    return { result: only(report), genie }
  }

  test('a text answer is "no SQL"', async () => {
    const { result } = await one({ text: 'There are 42 orders.' })
    expect(result).toMatchObject({ status: 'failed', failure: 'sql: no SQL: Genie answered with text: "There are 42 orders."' })
    expect(result.attempts[0]?.text).toBe('There are 42 orders.')
  })

  test('a clarifying question is "no SQL"', async () => {
    const { result } = await one({ followUp: 'Which region do you mean?' })
    expect(result.failure).toBe('sql: no SQL: Genie asked a clarifying question: "Which region do you mean?"')
  })

  test('FAILED and CANCELLED fail with the error', async () => {
    const failed = await one({ status: 'FAILED', errorType: 'SQL_EXECUTION_EXCEPTION', error: '[UNRESOLVED_COLUMN] x', sql: 'SELECT x' })
    expect(failed.result.failure).toBe('sql: Genie failed (SQL_EXECUTION_EXCEPTION): [UNRESOLVED_COLUMN] x')
    expect(failed.result.attempts[0]?.sql).toBe('SELECT x')
    const cancelled = await one({ status: 'CANCELLED' })
    expect(cancelled.result.failure).toBe('sql: the message was cancelled')
  })

  test('QUERY_RESULT_EXPIRED re-runs the query, then goes on', async () => {
    const { result, genie } = await one({ status: 'QUERY_RESULT_EXPIRED', sql: 'SELECT COUNT(*) FROM orders' })
    expect(genie.calls).toContain('executeQuery')
    expect(result.status).toBe('passed')
  })

  test('no answer within the question timeout fails', async () => {
    const { result } = await one({ hang: true }, question('Slow?', { timeoutMs: 60_000 }))
    expect(result).toMatchObject({ status: 'failed', failure: 'sql: no answer within 60 s (last status ASKING_AI)' })
  })

  test('polling backs off from 1 s by ×1.5 up to 5 s', async () => {
    const clock = new VirtualClock()
    const genie = new FakeGenie(clock)
    genie.latencyMs = 30_000
    genie.answer('q', { sql: 'SELECT 1' })
    const at: number[] = []
    const getMessage = genie.getMessage.bind(genie)
    genie.getMessage = async (...args) => {
      at.push(clock.elapsed)
      return getMessage(...args)
    }
    await run(clock, genie, { suites: [suite('s', [question('q')])] })
    expect(at.slice(0, 7)).toEqual([1000, 2500, 4750, 8125, 13125, 18125, 23125])
  })
})

describe('repeat / min_passes', () => {
  function flaky(pattern: boolean[], repeat: number, minPasses: number) {
    const clock = new VirtualClock()
    const genie = new FakeGenie(clock)
    genie.answer(
      'q',
      pattern.map((ok) => ({ sql: ok ? 'SELECT COUNT(*) FROM orders' : 'SELECT 1' }))
    )
    return run(clock, genie, { suites: [suite('s', [question('q', { expectedContains: ['COUNT'], repeat, minPasses })])] }).then((r) => ({ ...r, genie }))
  }

  test('2 of 3: pass, fail, pass passes after three asks, and is flaky', async () => {
    const { report, genie } = await flaky([true, false, true], 3, 2)
    expect(only(report)).toMatchObject({ status: 'flaky', passed: true, passes: 2, attempts_made: 3, pass_rate: 2 / 3 })
    expect(report.totals.flaky).toBe(1)
    expect(genie.asked).toHaveLength(3)
  })

  test('2 of 3: two passes decide it; the third is not asked', async () => {
    const { report, genie } = await flaky([true, true, false], 3, 2)
    expect(only(report)).toMatchObject({ status: 'passed', passes: 2, attempts_made: 2 })
    expect(only(report).attempts.map((a) => a.status)).toEqual(['passed', 'passed', 'skipped'])
    expect(genie.asked).toHaveLength(2)
  })

  test('3 of 3: the first failure decides it', async () => {
    const { report } = await flaky([false, true, true], 3, 3)
    expect(only(report)).toMatchObject({ status: 'failed', passes: 0 })
    expect(only(report).attempts.filter((a) => a.status === 'skipped').length).toBeGreaterThanOrEqual(1)
  })
})

describe('suite timeout and warehouse', () => {
  test("questions not asked before the suite's timeout are errors", async () => {
    const { clock, genie, questions } = setup(4)
    const { report } = await run(clock, genie, { suites: [suite('s', questions, { timeoutMs: 30_000 })], questionsPerMinute: 3 })
    const statuses = report.suites[0]?.questions.map((q) => q.status)
    expect(statuses).toEqual(['passed', 'passed', 'passed', 'error'])
    expect(report.suites[0]?.questions[3]?.failure).toMatch(/timeout_seconds ran out/)
  })

  test('the warehouse comes from the space unless given', async () => {
    const { clock, genie, questions } = setup(1)
    const { report } = await run(clock, genie, { suites: [suite('s', questions)] })
    expect(report.warehouse_id).toBe('wh-fake')
    const again = setup(1)
    const r2 = await run(again.clock, again.genie, { suites: [suite('s', again.questions)], warehouseId: 'wh-2' })
    expect(r2.report.warehouse_id).toBe('wh-2')
    expect(again.genie.calls).not.toContain('getSpace')
  })
})

describe('strategy auto', () => {
  test('eval when every question has only expected_sql, eval runs exist and the space already holds the questions', async () => {
    const clock = new VirtualClock()
    const genie = new FakeGenie(clock)
    genie.space.document.benchmarks = {
      questions: [{ id: 'a'.repeat(32), question: ['How many orders?'], answer: [{ format: 'SQL', content: ['SELECT COUNT(*) FROM orders'] }] }]
    }
    const { report } = await run(clock, genie, {
      strategy: 'auto',
      suites: [suite('s', [question('How many orders?', { expectedSql: 'SELECT COUNT(*) FROM orders' })])]
    })
    expect(report.strategy).toBe('eval')
    expect(report.notes).toBeUndefined()
    expect(genie.calls).not.toContain('updateSpace')
  })

  test('auto never writes: where eval would add the questions to the space, conversations are used and the report says so', async () => {
    const clock = new VirtualClock()
    const genie = new FakeGenie(clock)
    genie.answer('How many orders?', { sql: 'SELECT COUNT(*) FROM orders' }).result('SELECT COUNT(*) FROM orders', ORDERS)
    const before = JSON.stringify(genie.space)
    const { report, logger } = await run(clock, genie, {
      strategy: 'auto',
      warehouseId: 'wh',
      suites: [suite('s', [question('How many orders?', { expectedSql: 'SELECT COUNT(*) FROM orders' })])]
    })
    expect(report.strategy).toBe('conversation')
    expect(report.notes).toEqual([`read-only run: the eval strategy would write the suite into space ${SPACE_ID}; using conversations (read-only)`])
    expect(logger.text()).toContain('using conversations (read-only)')
    expect(only(report).status).toBe('passed')
    expect(genie.calls).not.toContain('updateSpace')
    expect(genie.calls).not.toContain('createEvalRun')
    expect(JSON.stringify(genie.space)).toBe(before)
  })

  test("readOnly holds even for an explicit eval: the gate's words name the environment", async () => {
    const clock = new VirtualClock()
    const genie = new FakeGenie(clock)
    genie.answer('How many orders?', { sql: 'SELECT COUNT(*) FROM orders' }).result('SELECT COUNT(*) FROM orders', ORDERS)
    const { report } = await run(clock, genie, {
      strategy: 'eval',
      readOnly: { by: 'gate', space: "dev's space" },
      warehouseId: 'wh',
      suites: [suite('s', [question('How many orders?', { expectedSql: 'SELECT COUNT(*) FROM orders' })])]
    })
    expect(report.strategy).toBe('conversation')
    expect(report.notes).toEqual(["gate: the eval strategy would write the suite into dev's space; using conversations (read-only)"])
    expect(genie.calls).not.toContain('updateSpace')
  })

  test('conversation when eval runs are not available (404 ENDPOINT_NOT_FOUND)', async () => {
    const { clock, genie, questions } = setup(1)
    genie.evalAvailable = false
    const q = { ...questions[0]!, expectedTables: [] }
    const { report, logger } = await run(clock, genie, { strategy: 'auto', suites: [suite('s', [q])] })
    expect(report.strategy).toBe('conversation')
    expect(logger.text()).toMatch(/eval runs are not available/)
  })

  test('conversation when a check needs the client (tables, contains, …)', async () => {
    const { clock, genie, questions } = setup(1)
    const { report } = await run(clock, genie, { strategy: 'auto', suites: [suite('s', questions)] })
    expect(report.strategy).toBe('conversation')
    expect(genie.calls).not.toContain('listEvalRuns')
  })
})

describe('eval strategy', () => {
  test('adds missing questions to the space, runs, and maps assessments to verdicts', async () => {
    const clock = new VirtualClock()
    const genie = new FakeGenie(clock)
    const qs = [
      question('How many orders?', { expectedSql: 'SELECT COUNT(*) FROM orders' }),
      question('Revenue by region', { expectedSql: 'SELECT region, SUM(a) FROM orders GROUP BY 1' }),
      question('Top customer', { expectedSql: 'SELECT c FROM x ORDER BY r DESC LIMIT 1' })
    ]
    genie.evalScripts.set('Revenue by region', {
      assessment: 'BAD',
      reasons: ['RESULT_MISSING_ROWS', 'LLM_JUDGE_MISSING_OR_INCORRECT_FILTER'],
      sql: 'SELECT region FROM orders'
    })
    genie.evalScripts.set('Top customer', { assessment: 'NEEDS_REVIEW' })
    const { report } = await run(clock, genie, { strategy: 'eval', suites: [suite('s', qs)] })
    expect(genie.benchmarkQuestions().map((b) => b.question.join(''))).toEqual(expect.arrayContaining(qs.map((q) => q.question)))
    expect(genie.calls.filter((c) => c === 'updateSpace')).toHaveLength(1)
    const [a, b, c] = report.suites[0]!.questions
    expect(a).toMatchObject({ status: 'passed' })
    expect(b).toMatchObject({ status: 'failed', failure: 'eval: BAD: RESULT_MISSING_ROWS (rows missing), LLM_JUDGE_MISSING_OR_INCORRECT_FILTER' })
    expect(b?.attempts[0]).toMatchObject({ sql: 'SELECT region FROM orders', assessment: 'BAD', eval_run_id: expect.any(String) })
    expect(c?.failure).toMatch(/^eval: NEEDS_REVIEW: needs a manual review/)
    expect(report.totals.accuracy).toBeCloseTo(1 / 3)
  })

  test('questions already in the space are not written again', async () => {
    const clock = new VirtualClock()
    const genie = new FakeGenie(clock)
    genie.space.document.benchmarks = {
      questions: [{ id: 'a'.repeat(32), question: ['How many orders?'], answer: [{ format: 'SQL', content: ['SELECT COUNT(*) FROM orders'] }] }]
    }
    await run(clock, genie, { strategy: 'eval', suites: [suite('s', [question('how many  orders?', { expectedSql: 'SELECT COUNT(*) FROM orders;' })])] })
    expect(genie.calls).not.toContain('updateSpace')
    expect([...genie.evalRuns.values()][0]?.ids).toEqual(['a'.repeat(32)])
  })

  test('a question without expected_sql that is not in the space stops the run before any write', async () => {
    const clock = new VirtualClock()
    const genie = new FakeGenie(clock)
    await expect(
      run(clock, genie, { strategy: 'eval', names: CLI_NAMES, suites: [suite('s', [question('Unknown?', { expectedContains: ['x'] })])] })
    ).rejects.toThrow(/strategy eval: 1 question\(s\) are not benchmark questions of space .* and have no expected_sql .*"Unknown\?".*--strategy conversation/)
    // the action says it as its input is written
    await expect(
      run(clock, genie, { strategy: 'eval', names: ACTION_NAMES, suites: [suite('s', [question('Unknown?', { expectedContains: ['x'] })])] })
    ).rejects.toThrow(/add expected_sql or use benchmark-strategy: conversation$/)
    expect(genie.calls).not.toContain('updateSpace')
    expect(genie.calls).not.toContain('createEvalRun')
  })

  test('client-side checks run on the SQL of the eval result', async () => {
    const clock = new VirtualClock()
    const genie = new FakeGenie(clock)
    genie.evalScripts.set('How many orders?', { assessment: 'GOOD', sql: 'SELECT COUNT(*) FROM `main`.`sales`.`orders`' })
    const { report } = await run(clock, genie, {
      strategy: 'eval',
      suites: [suite('s', [question('How many orders?', { expectedSql: 'SELECT COUNT(*) FROM main.sales.orders', expectedTables: ['main.sales.customers'] })])]
    })
    expect(only(report)).toMatchObject({ status: 'failed', failure: expect.stringMatching(/^tables: missing table main\.sales\.customers/) })
  })
})

/** A Genie whose eval-run creates are applied but answered with a lost connection (first `lose` of them). */
class LossyGenie extends FakeGenie {
  lose = 1
  listFails = false
  override async createEvalRun(spaceId: string, questionIds?: readonly string[]): Promise<GenieEvalRunResponse> {
    const run = await super.createEvalRun(spaceId, questionIds)
    if (this.lose-- > 0)
      throw new GenieApiError({
        operation: 'create eval run',
        spaceId,
        detail: 'connection error: socket closed',
        note: 'the request may have been applied; not retried',
        ambiguous: true
      })
    return run
  }
  override async listEvalRuns(): Promise<GenieListEvalRunsResponse> {
    this.calls.push('listEvalRuns')
    if (this.listFails)
      throw new GenieApiError({ operation: 'list eval runs', spaceId: SPACE_ID, status: 503, detail: 'unavailable', note: 'gave up after 5 attempts' })
    return { eval_runs: [...this.evalRuns].reverse().map(([id, r]) => ({ eval_run_id: id, created_timestamp: r.createdAt, num_questions: r.ids.length })) }
  }
}

describe('eval runs whose create answer is lost', () => {
  const held = () => {
    const genie = new LossyGenie(new VirtualClock())
    genie.space.document.benchmarks = {
      questions: [{ id: 'a'.repeat(32), question: ['How many orders?'], answer: [{ format: 'SQL', content: ['SELECT COUNT(*) FROM orders'] }] }]
    }
    return genie
  }
  const q = question('How many orders?', { expectedSql: 'SELECT COUNT(*) FROM orders', repeat: 2, minPasses: 2 })

  test('the run the lost request started is found and used; nothing is started twice', async () => {
    const genie = held()
    const { report, logger } = await run(genie.clock, genie, { strategy: 'eval', suites: [suite('s', [q])] })
    expect(genie.calls.filter((c) => c === 'createEvalRun')).toHaveLength(2) // one per round
    expect(genie.evalRuns.size).toBe(2)
    expect(only(report)).toMatchObject({ status: 'passed', passes: 2 })
    expect(new Set(only(report).attempts.map((a) => a.eval_run_id))).toEqual(new Set(genie.evalRuns.keys()))
    expect(logger.text()).toMatch(/found eval run run\w+ started by that request/)
  })

  test('when the runs cannot be listed, a lost create is not repeated: the questions are errors in a report', async () => {
    const genie = held()
    genie.listFails = true
    genie.lose = 10
    const { report, logger } = await run(genie.clock, genie, { strategy: 'eval', suites: [suite('s', [q])] })
    // one create, never retried (the error decides the question: round 2 is not run)
    expect(genie.calls.filter((c) => c === 'createEvalRun')).toHaveLength(1)
    expect(only(report).status).toBe('error')
    expect(only(report).failure).toMatch(
      /^the eval run could not be started: create eval run \w+ failed: connection error: socket closed \(the request may have been applied; not retried\)$/
    )
    expect(report.totals).toMatchObject({ questions: 1, errors: 1 })
    expect(logger.text()).toMatch(/cannot be verified, so it will not be tried again/)
  })
})

describe('fatal errors', () => {
  test('an unknown space stops the run at the first question, with the API error', async () => {
    const { clock, genie, questions } = setup(5)
    await expect(run(clock, genie, { suites: [suite('s', questions)], spaceId: 'ffffffffffffffffffffffffffffffff', warehouseId: 'wh' })).rejects.toThrow(
      /^get space ffffffffffffffffffffffffffffffff failed: HTTP 404 RESOURCE_DOES_NOT_EXIST/
    )
    expect(genie.asked).toHaveLength(0)
  })
})
