import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { evaluateGate, formatP, pairFlips, readBaseline, readTrend } from '../../src/benchmark/gate.js'
import { markdownReport } from '../../src/benchmark/report.js'
import { ACTION_NAMES, CLI_NAMES } from '../../src/core/names.js'
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
    flaky: 0,
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
    totals: {
      questions: all.length,
      passed,
      failed: all.length - passed,
      errors: 0,
      accuracy: passed / all.length,
      attempts: all.length,
      rate_limited: 0,
      flaky: 0,
      statements: 0
    },
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
    const g = evaluateGate(report([core(true, false, true, false)]), { baseline: base, maxRegression: 0.25, names: CLI_NAMES })
    expect(g.passed).toBe(true)
    expect(g.notes).toEqual([
      'suite "Core": 1 question(s) passed in the baseline and fail now: "Q2" (result: expected 1, got 2) (within --max-regression 25.0%)'
    ])
  })

  test('improvements, new suites and another strategy pass with notes', () => {
    const g = evaluateGate(report([core(true, true, true, true), s('New', [q('N', false)])], 'eval'), { baseline: base })
    expect(g.passed).toBe(true)
    expect(g.notes).toEqual([
      'suite "New" is not in the baseline: no regression check',
      'the baseline was measured with strategy conversation, this run with eval'
    ])
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

describe('gate on the lower bound of the 95% interval (--gate-on lower-bound)', () => {
  const eightOfTen = () =>
    report([
      s(
        'Core',
        Array.from({ length: 10 }, (_, i) => q(`q${i}`, i < 8)),
        0.8
      )
    ])
  test('8 of 10 meets 80% as a point estimate, not as a lower bound', () => {
    expect(evaluateGate(eightOfTen()).passed).toBe(true)
    const g = evaluateGate(eightOfTen(), { gateOn: 'lower-bound' })
    // Wilson 8/10: centre (0.8 + 1.9208/10)/1.38415 = 0.71674, half 1.96·√(0.016 + 0.0096)/1.38415 = 0.22658 → low 0.49016
    expect(g.passed).toBe(false)
    expect(g.suites[0]?.gated_value).toBeCloseTo(0.490165, 5)
    expect(g.reasons[0]).toBe('suite "Core": the lower bound of the 95% interval of accuracy, 49.0% (accuracy 80.0%, 8/10), is below the threshold 80.0%')
    expect(g.gate_on).toBe('lower-bound')
  })
  test('a threshold the lower bound meets passes', () => {
    expect(evaluateGate(eightOfTen(), { gateOn: 'lower-bound', minAccuracy: 0.45 }).passed).toBe(true)
  })
})

describe('regressions tested against the baseline (McNemar)', () => {
  const names = Array.from({ length: 10 }, (_, i) => `question ${i}`)
  const base = report([
    s(
      'Core',
      names.map((n) => q(n, true))
    )
  ])
  const now = (failing: number, recovered: string[] = []) =>
    report([s('Core', [...names.map((n, i) => q(n, i >= failing)), ...recovered.map((n) => q(n, true))])])

  test('flips are paired by question text (case and spacing ignored)', () => {
    const b = [q('How many  orders?', true), q('Revenue?', false), q('Only in base', true)]
    const c = [q('how many orders?', false), q('revenue?', true), q('only now', false)]
    expect(pairFlips(b, c)).toEqual({ paired: 2, pass_to_fail: ['how many orders?'], fail_to_pass: ['revenue?'], p_value: 1 })
  })

  test('2 pass→fail, 0 back: p = 2·(½)² = 0.5, noise; kept as a note under --regression-p 0.05', () => {
    const g = evaluateGate(now(2), { baseline: base, baselineName: 'base.json', regressionP: 0.05, names: CLI_NAMES })
    expect(g.passed).toBe(true)
    expect(g.comparison).toMatchObject({ paired: 10, pass_to_fail: ['question 0', 'question 1'], fail_to_pass: [], p_value: 0.5 })
    expect(g.notes.join('\n')).toContain(
      '2 question(s) passed in base.json and fail now, which may be noise (McNemar p = 0.500: 2 pass→fail, 0 fail→pass, not below --regression-p 0.05)'
    )
    // without --regression-p every newly failing question still fails the gate
    expect(evaluateGate(now(2), { baseline: base, baselineName: 'base.json' }).passed).toBe(false)
  })

  test('6 pass→fail, 0 back: p = 2·(½)⁶ = 0.03125 < 0.05 fails', () => {
    const g = evaluateGate(now(6), { baseline: base, baselineName: 'base.json', regressionP: 0.05, names: CLI_NAMES })
    expect(g.passed).toBe(false)
    expect(g.comparison?.p_value).toBeCloseTo(0.03125, 10)
    expect(g.reasons[0]).toMatch(
      /^suite "Core": accuracy fell from 100\.0% in base\.json to 40\.0%, unlikely to be noise \(McNemar p = 0\.031: 6 pass→fail, 0 fail→pass, below --regression-p 0\.05\)/
    )
  })

  test('--max-regression keeps its meaning alongside --regression-p: both must hold', () => {
    // 6 of 10 dropped (60 points) with p 0.031; an allowance of 70% keeps the gate open
    expect(evaluateGate(now(6), { baseline: base, regressionP: 0.05, maxRegression: 0.7 }).passed).toBe(true)
    expect(evaluateGate(now(6), { baseline: base, regressionP: 0.05, maxRegression: 0.5 }).passed).toBe(false)
  })

  test('the Markdown report lists the flips and the p-value', () => {
    const r = now(6)
    r.gate = evaluateGate(r, { baseline: base, baselineName: 'base.json', regressionP: 0.05 })
    const md = markdownReport(r)
    expect(md).toContain('#### Against base.json')
    expect(md).toContain('10 question(s) paired by text: 6 pass→fail, 0 fail→pass; exact McNemar p = 0.031 (the gate fails a drop only below 0.05).')
    expect(md).toContain('Pass → fail:\n\n- question 0\n')
  })

  test('formatP', () => {
    expect([formatP(1), formatP(0.5), formatP(0.0312), formatP(0.0004)]).toEqual(['1', '0.500', '0.031', '< 0.001'])
  })
})

describe('trend of the last runs (--trend)', () => {
  test('reports from a glob, oldest first, drawn as a Mermaid xychart with this run last', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spaceops-trend-'))
    const old = (day: number, passed: number) => {
      const r = report([
        s(
          'Core',
          Array.from({ length: 4 }, (_, i) => q(`q${i}`, i < passed))
        )
      ])
      r.started_at = `2026-02-0${day}T09:30:00.000Z`
      return r
    }
    writeFileSync(path.join(dir, 'b.json'), JSON.stringify(old(2, 3)))
    writeFileSync(path.join(dir, 'a.json'), JSON.stringify(old(1, 2)))
    writeFileSync(path.join(dir, 'notes.txt'), 'not a report')
    // the first runs have no history yet: a glob that matches nothing is no error
    expect(await readTrend(['history/*.json'], dir)).toEqual([])
    const points = await readTrend([`${path.basename(dir)}/*.json`], path.dirname(dir))
    expect(points.map((p) => [p.started_at.slice(0, 10), p.accuracy])).toEqual([
      ['2026-02-01', 0.5],
      ['2026-02-02', 0.75]
    ])
    const r = report([s('Core', [q('q0', true), q('q1', true), q('q2', true), q('q3', true)])])
    r.trend = points
    const md = markdownReport(r)
    expect(md).toContain(
      '```mermaid\nxychart-beta\n    title "Accuracy (%)"\n    x-axis ["02-01 09:30", "02-02 09:30", "now"]\n    y-axis "accuracy %" 0 --> 100\n    line [50.0, 75.0, 100.0]\n```'
    )
  })
  test('a trend file that is not a report stops the run, naming it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spaceops-trend-'))
    writeFileSync(path.join(dir, 'x.json'), '{"schema_version": 1}')
    await expect(readTrend(['x.json'], dir)).rejects.toThrow(/the trend report is not a SpaceOps benchmark report/)
  })
})

describe('the gate names settings the way the face that ran it does', () => {
  const unthresholded = () => report([s('Core', [q('Q1', true)], undefined)])
  test('CLI: --min-accuracy; action: input min-accuracy; called directly: neither', () => {
    expect(evaluateGate(unthresholded(), { names: CLI_NAMES }).notes).toContain(
      'no min_accuracy in the suites, --min-accuracy not given: accuracy is reported, not gated'
    )
    expect(evaluateGate(unthresholded(), { names: ACTION_NAMES }).notes).toContain(
      'no min_accuracy in the suites, input min-accuracy not given: accuracy is reported, not gated'
    )
    expect(evaluateGate(unthresholded()).notes).toContain('no min_accuracy in the suites: accuracy is reported, not gated')
  })
})
