import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadSuites } from '../../src/benchmark/suites.js'
import { MemoryLogger } from '../../src/util/logger.js'
import { ROOT } from '../helpers/cli.js'

describe('loading suites', () => {
  test('the original SpaceOps suite format, verbatim', async () => {
    const [s] = await loadSuites(['__tests__/fixtures/seed/benchmarks/accuracy.yaml'], { cwd: ROOT })
    expect(s).toMatchObject({ name: 'Core Accuracy Tests', minAccuracy: 0.8, file: '__tests__/fixtures/seed/benchmarks/accuracy.yaml' })
    expect(s?.questions[1]).toEqual({
      question: 'Show costs by SKU',
      expectedTables: ['system.billing.usage', 'system.billing.list_prices'],
      expectedColumns: [],
      expectedContains: ['JOIN'],
      tags: [],
      repeat: 1,
      minPasses: 1,
      timeoutMs: 600_000
    })
  })

  test("a directory means its suites and its space's own benchmarks", async () => {
    const suites = await loadSuites(['examples/spaces/sales'], { cwd: ROOT })
    expect(suites.map((s) => s.name)).toEqual(['Sales accuracy', 'Sales analytics benchmarks'])
    const own = suites[1]
    expect(own?.questions).toHaveLength(1)
    expect(own?.questions[0]).toMatchObject({ question: 'How many orders were placed last month?', spaceQuestionId: expect.stringMatching(/^[0-9a-f]{32}$/) })
    expect(own?.questions[0]?.expectedSql).toMatch(/^SELECT COUNT\(\*\) AS orders\nFROM shop_dev\.sales\.orders/)
  })

  test('repeat, min_passes (default: a strict majority) and timeouts', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spaceops-suites-'))
    mkdirSync(path.join(dir, 'benchmarks'))
    writeFileSync(
      path.join(dir, 'benchmarks', 'flaky.yaml'),
      [
        'repeat: 3',
        'question_timeout_seconds: 120',
        'timeout_seconds: 900',
        'queries:',
        '  - question: "  A?  "',
        '    expected_sql: SELECT 1',
        '  - question: B?',
        '    repeat: 4',
        '    timeout_seconds: 30',
        '    expected_sql_contains: [x]',
        '  - question: C?',
        '    min_passes: 1',
        '    expected_sql_contains: [x]'
      ].join('\n')
    )
    const [s] = await loadSuites(['benchmarks/*.yaml'], { cwd: dir })
    expect(s?.name).toBe('flaky')
    expect(s?.timeoutMs).toBe(900_000)
    expect(s?.questions.map((q) => [q.question, q.repeat, q.minPasses, q.timeoutMs])).toEqual([
      ['A?', 3, 2, 120_000],
      ['B?', 4, 3, 30_000],
      ['C?', 3, 1, 120_000]
    ])
  })

  test('an invalid suite stops with one located line; warnings are logged', async () => {
    await expect(loadSuites(['__tests__/fixtures/malformed/40-suite-min-passes.yaml'], { cwd: ROOT })).rejects.toMatchObject({
      message: 'min_passes 3 is more than repeat 2',
      location: { file: '__tests__/fixtures/malformed/40-suite-min-passes.yaml', line: 5, col: 17 }
    })
    const dir = mkdtempSync(path.join(tmpdir(), 'spaceops-suites-'))
    writeFileSync(path.join(dir, 's.yaml'), 'queries:\n  - question: Anything?\n')
    const logger = new MemoryLogger()
    const [s] = await loadSuites(['s.yaml'], { cwd: dir, logger })
    expect(s?.questions).toHaveLength(1)
    expect(logger.text()).toMatch(/warn: s\.yaml:2:\d+: .*has no expectation/)
  })

  test('a space without benchmarks is skipped; nothing at all is an error', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spaceops-suites-'))
    writeFileSync(path.join(dir, 'space.yaml'), 'title: T\ndata_sources:\n  tables:\n    - identifier: a.b.c\n')
    await expect(loadSuites(['space.yaml'], { cwd: dir })).rejects.toThrow(/^no benchmark questions in space\.yaml/)
  })

  test('two suites with one name are told apart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spaceops-suites-'))
    for (const f of ['a.yaml', 'b.yaml']) writeFileSync(path.join(dir, f), 'name: Same\nqueries:\n  - question: Q?\n    expected_sql: SELECT 1\n')
    const suites = await loadSuites(['a.yaml', 'b.yaml'], { cwd: dir })
    expect(suites.map((s) => s.name)).toEqual(['Same', 'Same (b.yaml)'])
  })
})
