import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { evaluateGate, readBaseline } from '../../src/benchmark/gate.js'
import type { BenchmarkReport, QuestionResult, SuiteResult } from '../../src/benchmark/types.js'

function q(question: string, passed: boolean, failure?: string): QuestionResult {
  return {
    question,
    status: passed ? 'passed' : 'failed',
    passed,
    passes: passed ? 1 : 0,
    attempts_made: 1,
    repeat: 1,
    min_passes: 1,
    tags: [],
    ...(failure ? { failure } : {}),
    attempts: [],
    duration_ms: 1000
  }
}

function s(name: string, questions: QuestionResult[], minAccuracy?: number): SuiteResult {
  const passed = questions.filter((x) => x.passed).length
  return {
    name,
    ...(minAccuracy !== undefined ? { min_accuracy: minAccuracy } : {}),
    total: questions.length,
    passed,
    failed: questions.length - passed,
    errors: 0,
    accuracy: passed / questions.length,
    duration_ms: 1000,
    questions
  }
}

function report(suites: SuiteResult[], strategy: 'eval' | 'conversation' = 'conversation'): BenchmarkReport {
  const all = suites.flatMap((x) => x.questions)
  const passed = all.filter((x) => x.passed).length
  return {
    schema_version: 1,
    tool: 'spaceops',
    space_id: 'space',
    strategy,
    started_at: '2026-03-01T12:00:00.000Z',
    finished_at: '2026-03-01T12:01:00.000Z',
    duration_ms: 60_000,
    totals: { questions: all.length, passed, failed: all.length - passed, errors: 0, accuracy: passed / all.length, attempts: all.length, rate_limited: 0 },
    suites
  }
}

const core = (a: boolean, b: boolean, c: boolean, d: boolean, min?: number) =>
  s('Core', [q('Q1', a, 'tables: missing t'), q('Q2', b, 'result: expected 1, got 2'), q('Q3', c), q('Q4', d)], min)

describe('thresholds', () => {
  test("each suite's own min_accuracy applies", () => {
    const g = evaluateGate(report([core(true, true, true, false, 0.8), s('Other', [q('X', false)], 0)]))
    expect(g.passed).toBe(false)
    expect(g.reasons).toEqual(['suite "Core": accuracy 75.0% (3/4) is below the threshold 80.0%'])
    expect(g.suites).toEqual([
      { name: 'Core', accuracy: 0.75, threshold: 0.8, passed: false },
      { name: 'Other', accuracy: 0, threshold: 0, passed: true }
    ])
  })

  test('--min-accuracy overrides every suite', () => {
    const r = report([core(true, true, true, false, 0.8)])
    expect(evaluateGate(r, { minAccuracy: 0.7 })).toMatchObject({ passed: true, min_accuracy_override: 0.7 })
    expect(evaluateGate(r, { minAccuracy: 1 }).reasons[0]).toMatch(/below the threshold 100\.0%/)
    expect(evaluateGate(report([core(true, true, true, true, 0.5)]), { minAccuracy: 0.75 }).passed).toBe(true)
  })

  test('no threshold anywhere: reported, not gated (0.8 is not assumed)', () => {
    const g = evaluateGate(report([core(false, false, false, false)]))
    expect(g.passed).toBe(true)
    expect(g.notes[0]).toMatch(/accuracy is reported, not gated/)
  })

  test('accuracy exactly at the threshold passes', () => {
    expect(evaluateGate(report([core(true, true, true, false, 0.75)])).passed).toBe(true)
  })

  test('a run where every question errored fails', () => {
    const r = report([core(true, true, true, true)])
    r.totals.errors = r.totals.questions
    expect(evaluateGate(r).reasons).toEqual(['no question got a verdict (4 errors): nothing was measured'])
  })
})

describe('baseline', () => {
  const base = report([core(true, true, true, false)])

  test('a question that passed before and fails now fails the gate, named', () => {
    // same accuracy: Q2 broke, Q4 got fixed
    const g = evaluateGate(report([core(true, false, true, true)]), { baseline: base, baselineName: 'main.json' })
    expect(g.passed).toBe(false)
    expect(g.reasons).toEqual(['suite "Core": 1 question(s) passed in main.json and fail now: "Q2" (result: expected 1, got 2)'])
  })

  test('--max-regression: an accuracy drop beyond it fails and names the questions', () => {
    const now = report([core(false, false, true, false)])
    const g = evaluateGate(now, { baseline: base, baselineName: 'main.json', maxRegression: 0.1 })
    expect(g.passed).toBe(false)
    expect(g.reasons).toEqual([
      'suite "Core": accuracy fell from 75.0% in main.json to 25.0% (50.0 points, more than the allowed 10.0%); now failing: "Q1" (tables: missing t); "Q2" (result: expected 1, got 2)'
    ])
    expect(g.max_regression).toBe(0.1)
  })

  test('--max-regression: a drop within it is a note', () => {
    const g = evaluateGate(report([core(true, false, true, false)]), { baseline: base, maxRegression: 0.25 })
    expect(g.passed).toBe(true)
    expect(g.notes).toEqual(['suite "Core": 1 question(s) passed in the baseline and fail now: "Q2" (result: expected 1, got 2) (within --max-regression 25.0%)'])
  })

  test('improvements, new suites and another strategy pass with notes', () => {
    const g = evaluateGate(report([core(true, true, true, true), s('New', [q('N', false)])], 'eval'), { baseline: base })
    expect(g.passed).toBe(true)
    expect(g.notes).toEqual(['suite "New" is not in the baseline: no regression check', 'the baseline was measured with strategy conversation, this run with eval'])
  })

  test('readBaseline reads a report and refuses anything else in one line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spaceops-baseline-'))
    writeFileSync(path.join(dir, 'ok.json'), JSON.stringify({ ...base, future_field: 1 }))
    writeFileSync(path.join(dir, 'v2.json'), JSON.stringify({ ...base, schema_version: 2 }))
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ schema_version: 1, suites: [] }))
    writeFileSync(path.join(dir, 'junk.json'), '{not json')
    expect((await readBaseline('ok.json', dir)).suites[0]?.questions).toHaveLength(4)
    await expect(readBaseline('v2.json', dir)).rejects.toThrow('the baseline has schema_version 2; this SpaceOps reads version 1')
    await expect(readBaseline('bad.json', dir)).rejects.toThrow(/^the baseline is not a SpaceOps benchmark report \(schema_version 1\): space_id: /)
    await expect(readBaseline('junk.json', dir)).rejects.toThrow(/^the baseline is not JSON/)
    await expect(readBaseline('missing.json', dir)).rejects.toThrow('cannot read the baseline: no such file')
  })
})
