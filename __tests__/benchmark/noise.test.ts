/**
 * Noise measured, the workspace left clean, the cost told: --repeat, flaky questions, the interval,
 * conversation cleanup (--keep-conversations), statements counted, progress printed once.
 */
import { runBenchmarks, type RunBenchmarksOptions } from '../../src/benchmark/runner.js'
import { applyRepeat } from '../../src/benchmark/suites.js'
import { attemptFromEval } from '../../src/benchmark/eval.js'
import { markdownReport } from '../../src/benchmark/report.js'
import { formatOutcome } from '../../src/benchmark/run.js'
import { evaluateGate } from '../../src/benchmark/gate.js'
import type { Progress } from '../../src/benchmark/types.js'
import { MemoryLogger } from '../../src/util/logger.js'
import { FakeGenie, SPACE_ID, VirtualClock, question, suite } from './helpers.js'

async function run(genie: FakeGenie, clock: VirtualClock, options: Partial<RunBenchmarksOptions> & Pick<RunBenchmarksOptions, 'suites'>) {
  const progress: Progress[] = []
  const logger = new MemoryLogger()
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
  return { report, progress, logger }
}

function world() {
  const clock = new VirtualClock()
  const genie = new FakeGenie(clock)
  const good = { sql: 'SELECT COUNT(*) FROM orders' }
  const bad = { sql: 'SELECT 1' }
  genie.answer('steady', good)
  genie.answer('wobbly', [good, bad, good])
  genie.answer('broken', bad)
  const qs = ['steady', 'wobbly', 'broken'].map((t) => question(t, { expectedContains: ['COUNT'] }))
  return { clock, genie, suites: [suite('Core', qs, { minAccuracy: 0.5 })] }
}

describe('--repeat N: every attempt asked, pass rates, flaky questions', () => {
  test('3 questions × 3: all 9 asked; the one that passed 2 of 3 is flaky; interval of 2/3', async () => {
    const { clock, genie, suites } = world()
    const { report } = await run(genie, clock, { suites: applyRepeat(suites, 3) })
    // without askAll, "steady" would stop after 2 passes and "broken" after 2 failures
    expect(genie.asked).toHaveLength(9)
    const [steady, wobbly, broken] = report.suites[0]!.questions
    expect(steady).toMatchObject({ status: 'passed', passes: 3, attempts_made: 3, pass_rate: 1 })
    expect(wobbly).toMatchObject({ status: 'flaky', passed: true, passes: 2, attempts_made: 3 })
    expect(wobbly?.pass_rate).toBeCloseTo(2 / 3)
    expect(broken).toMatchObject({ status: 'failed', passed: false, pass_rate: 0 })
    // Wilson 2/3: centre (0.6667 + 0.6402)/2.2805 = 0.5731, half 1.96·√(0.0741 + 0.1067)/2.2805 = 0.3655 → 20.8%–93.9%
    expect(report.totals).toMatchObject({ questions: 3, passed: 2, flaky: 1, attempts: 9 })
    expect(report.totals.confidence_interval?.low).toBeCloseTo(0.2077, 3)
    expect(report.totals.confidence_interval?.high).toBeCloseTo(0.9385, 3)
    report.gate = evaluateGate(report)
    const md = markdownReport(report)
    expect(md).toContain('#### Flaky questions (1): passed in some attempts, failed in others')
    expect(md).toContain('Attempts: 2 of 3 passed (pass rate 66.7%; needs 2 of 3).')
    expect(md).toMatch(/^### ✅ SpaceOps benchmark: 2 of 3 questions passed \(66\.7%\) · 95% interval 20\.8%–93\.9%/)
    expect(formatOutcome(report)).toBe('accuracy 66.7% (2/3), gate passed [95% interval 20.8%–93.9%; 1 flaky]')
  })
})

describe('conversations left behind (--keep-conversations)', () => {
  test('default failed: the conversations of passing attempts are deleted, the failed ones kept and named', async () => {
    const { clock, genie, suites } = world()
    const { report } = await run(genie, clock, { suites: applyRepeat(suites, 3) })
    const attempts = report.suites[0]!.questions.flatMap((q) => q.attempts)
    const failedIds = attempts.filter((a) => a.status === 'failed').map((a) => a.conversation_id)
    const passedIds = attempts.filter((a) => a.status === 'passed').map((a) => a.conversation_id)
    expect(failedIds).toHaveLength(4)
    expect([...genie.deleted].sort()).toEqual([...passedIds].sort())
    expect(report.totals).toMatchObject({ conversations_deleted: 5, conversations_kept: 4 })
    const md = markdownReport(report)
    expect(md).toContain('Cost: 9 questions asked · 0 SQL statements on the warehouse · wall time')
    expect(md).toContain('5 conversations deleted, 4 kept')
    for (const id of failedIds.slice(-1)) expect(md).toContain(`conversation \`${id}\``)
  })
  test('all keeps every one, none deletes every one', async () => {
    const a = world()
    expect((await run(a.genie, a.clock, { suites: a.suites, keepConversations: 'all' })).report.totals).toMatchObject({
      conversations_deleted: 0,
      conversations_kept: 3
    })
    expect(a.genie.deleted).toEqual([])
    const b = world()
    await run(b.genie, b.clock, { suites: b.suites, keepConversations: 'none' })
    expect(b.genie.deleted).toHaveLength(3)
  })
  test('a deletion that fails is a warning; the verdict stands', async () => {
    const { clock, genie, suites } = world()
    genie.deleteConversation = async () => {
      throw new Error('boom')
    }
    const { report, logger } = await run(genie, clock, { suites })
    expect(report.totals.passed).toBe(2)
    expect(report.totals).toMatchObject({ conversations_deleted: 0, conversations_kept: 3 })
    expect(logger.lines.map((l) => l.message).join('\n')).toMatch(/could not delete conversation .* of this run: boom/)
  })
})

describe('cost: statements counted', () => {
  test('expected SQL once per question, Genie SQL once per attempt', async () => {
    const clock = new VirtualClock()
    const genie = new FakeGenie(clock)
    genie.answer('n?', { sql: 'SELECT 42' })
    genie.result('SELECT 42', { columns: ['n'], rows: [['42']] })
    genie.result('SELECT 40 + 2', { columns: ['n'], rows: [['42']] })
    const { report } = await run(genie, clock, { suites: applyRepeat([suite('s', [question('n?', { expectedSql: 'SELECT 40 + 2' })])], 2) })
    expect(report.totals.statements).toBe(3)
    expect(genie.executed).toHaveLength(3)
  })
})

describe('progress: one line per finished question, never repeated', () => {
  test("eval: the run's own count, then no second round of the same counts", async () => {
    const clock = new VirtualClock()
    const genie = new FakeGenie(clock)
    const qs = [question('a?', { expectedSql: 'SELECT 1' }), question('b?', { expectedSql: 'SELECT 2' })]
    const { progress } = await run(genie, clock, { strategy: 'eval', suites: [suite('s', qs)] })
    const done = progress.map((p) => p.done)
    expect(done).toEqual([...new Set(done)])
    expect(done[done.length - 1]).toBe(2)
    expect(done).not.toContain(0)
  })
})

describe('an eval failure says what Genie did', () => {
  test('a clarifying text is not an empty result', () => {
    const a = attemptFromEval(
      question('Revenue?', { expectedSql: 'SELECT 1' }),
      1,
      {
        result_id: 'r1',
        benchmark_question_id: 'b1',
        assessment: 'BAD',
        assessment_reasons: ['EMPTY_RESULT'],
        expected_response: [],
        actual_response: [{ response: 'Which region do you mean?', response_type: 'TEXT' }]
      } as unknown as Parameters<typeof attemptFromEval>[2],
      'run1'
    )
    expect(a.status).toBe('failed')
    expect(a.checks).toEqual([{ name: 'sql', passed: false, detail: 'no SQL: Genie answered with text: "Which region do you mean?" (eval: BAD)' }])
    expect(JSON.stringify(a.checks)).not.toContain('EMPTY_RESULT')
    expect(a.assessment_reasons).toEqual(['EMPTY_RESULT'])
  })
})
