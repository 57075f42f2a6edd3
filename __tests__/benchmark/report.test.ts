import { evaluateGate } from '../../src/benchmark/gate.js'
import { formatFromFile, jsonReport, junitReport, markdownReport, renderReport, xmlEscape } from '../../src/benchmark/report.js'
import { runBenchmarks } from '../../src/benchmark/runner.js'
import { BenchmarkReportSchema, type BenchmarkReport } from '../../src/benchmark/types.js'
import { FakeGenie, SPACE_ID, VirtualClock, checkXml, question, suite, unescapeXml } from './helpers.js'

const NASTY = 'Revenue for "A&B" <Co> — 10% \u0007 bell'

async function sampleReport(): Promise<BenchmarkReport> {
  const clock = new VirtualClock()
  const genie = new FakeGenie(clock)
  genie.answer('How many orders?', { sql: 'SELECT COUNT(*) FROM main.sales.orders' })
  genie.result('SELECT COUNT(*) FROM main.sales.orders', { columns: ['n'], rows: [['42']] })
  genie.answer(NASTY, { sql: "SELECT SUM(x) FROM t WHERE name = 'A&B' -- ``` ]]>" })
  genie.result("SELECT SUM(x) FROM t WHERE name = 'A&B' -- ``` ]]>", { columns: ['s'], rows: [['1']] })
  genie.result('SELECT SUM(x) FROM t', { columns: ['s'], rows: [['2']] })
  genie.answer('Chat?', { text: 'Hello <there>' })
  genie.answer('Broken expected?', { sql: 'SELECT 1' })
  genie.result('SELECT 1', { columns: ['one'], rows: [['1']] })
  genie.result('SELECT broken', 'PARSE_SYNTAX_ERROR near broken')
  const report = await runBenchmarks({
    client: genie,
    spaceId: SPACE_ID,
    strategy: 'conversation',
    questionsPerMinute: 60,
    now: clock.now,
    sleep: clock.sleep,
    suites: [
      suite(
        'Core <accuracy>',
        [
          question('How many orders?', { expectedSql: 'SELECT COUNT(*) FROM main.sales.orders', expectedTables: ['main.sales.orders'] }),
          question(NASTY, { expectedSql: 'SELECT SUM(x) FROM t' })
        ],
        { minAccuracy: 0.8, file: 'benchmarks/core.yaml' }
      ),
      suite('Other', [question('Chat?', { expectedContains: ['SELECT'] }), question('Broken expected?', { expectedSql: 'SELECT broken' })])
    ]
  })
  report.gate = evaluateGate(report)
  return report
}

describe('JSON report', () => {
  test('schema_version 1, stable keys, reads back through the schema unchanged', async () => {
    const r = await sampleReport()
    const text = jsonReport(r)
    const back = BenchmarkReportSchema.parse(JSON.parse(text))
    expect(back).toEqual(r)
    expect(Object.keys(r)).toEqual([
      'schema_version',
      'tool',
      'tool_version',
      'space_id',
      'strategy',
      'warehouse_id',
      'questions_per_minute',
      'started_at',
      'finished_at',
      'duration_ms',
      'totals',
      'suites',
      'gate'
    ])
    expect(r.schema_version).toBe(1)
    // keys are only ever added within schema version 1: the first ones keep their order
    expect(Object.keys(r.totals)).toEqual([
      'questions',
      'passed',
      'failed',
      'errors',
      'accuracy',
      'attempts',
      'rate_limited',
      'flaky',
      'confidence_interval',
      'statements',
      'conversations_deleted',
      'conversations_kept'
    ])
    expect(Object.keys(r.suites[0]!)).toEqual([
      'name',
      'file',
      'min_accuracy',
      'total',
      'passed',
      'failed',
      'errors',
      'accuracy',
      'flaky',
      'confidence_interval',
      'duration_ms',
      'questions'
    ])
    expect(Object.keys(r.suites[0]!.questions[0]!)).toEqual([
      'question',
      'status',
      'passed',
      'passes',
      'attempts_made',
      'pass_rate',
      'repeat',
      'min_passes',
      'expected_sql',
      'tags',
      'attempts',
      'duration_ms'
    ])
    expect(Object.keys(r.suites[0]!.questions[0]!.attempts[0]!)).toEqual([
      'attempt',
      'status',
      'sql',
      'checks',
      'started_at',
      'duration_ms',
      'rate_limited',
      'conversation_id',
      'message_id'
    ])
    expect(r.started_at).toBe('2026-03-01T12:00:00.000Z')
    expect(r.totals).toMatchObject({ questions: 4, passed: 1, failed: 2, errors: 1, accuracy: 0.25 })
    expect(r.suites[1]?.questions[1]).toMatchObject({
      status: 'error',
      failure: 'expected_sql failed on the warehouse: BAD_REQUEST: PARSE_SYNTAX_ERROR near broken'
    })
  })
})

describe('JUnit XML', () => {
  test('well-formed, one testsuite per suite, one testcase per question, failures carry details', async () => {
    const r = await sampleReport()
    const xml = junitReport(r)
    const parsed = checkXml(xml)
    if (!parsed.ok) throw new Error(parsed.error)
    const suites = parsed.elements.filter((e) => e.name === 'testsuite')
    expect(suites.map((e) => unescapeXml(e.attrs.name ?? ''))).toEqual(['Core <accuracy>', 'Other'])
    expect(suites[0]?.attrs).toMatchObject({ tests: '2', failures: '1', errors: '0' })
    const cases = parsed.elements.filter((e) => e.name === 'testcase')
    expect(cases.map((e) => unescapeXml(e.attrs.name ?? ''))).toEqual(['How many orders?', 'Revenue for "A&B" <Co> — 10%  bell', 'Chat?', 'Broken expected?'])
    const failures = parsed.elements.filter((e) => e.name === 'failure')
    expect(failures.map((f) => unescapeXml(f.attrs.message ?? ''))).toEqual([
      'result: expected 2, got 1',
      'sql: no SQL: Genie answered with text: "Hello <there>"'
    ])
    expect(unescapeXml(failures[0]?.text ?? '')).toContain("generated SQL:\nSELECT SUM(x) FROM t WHERE name = 'A&B' -- ``` ]]>")
    expect(parsed.elements.filter((e) => e.name === 'error')).toHaveLength(1)
    expect(xml).not.toMatch(/\u0007/)
    expect(parsed.elements[0]?.attrs).toMatchObject({ tests: '4', failures: '2', errors: '1' })
  })

  test('xmlEscape drops what XML cannot carry and keeps astral characters', () => {
    expect(xmlEscape('a\u0000b\uFFFEc😀 <&>"\'')).toBe('abc😀 &lt;&amp;&gt;&quot;&apos;')
  })
})

describe('Markdown report', () => {
  test('summary table per suite, then every question that did not pass in <details>', async () => {
    const r = await sampleReport()
    const md = markdownReport(r)
    expect(md).toMatch(/^### ❌ SpaceOps benchmark: 1 of 4 questions passed \(25\.0%\)/)
    expect(md).toContain('| Suite | Passed | Failed | Flaky | Accuracy | 95% interval | Threshold | Result |')
    // Wilson 95% for 1/2: centre (0.5 + 1.9208/2)/(1 + 3.8415/2) = 0.5, half 1.96·√(0.125 + 0.2401)/2.9207 = 0.4054 → 9.5%–90.5%
    expect(md).toContain('| Core \\<accuracy\\> | 1 | 1 | 0 | 50.0% | 9.5%–90.5% | 80.0% | ❌ fail |')
    // a suite without a threshold is not gated, never "✅ pass"
    expect(md).toContain('| Other | 0 | 2 (1 error) | 0 | 0.0% | 0.0%–65.8% | — | not gated |')
    expect(md).toContain('Cost: 4 questions asked · 6 SQL statements on the warehouse · wall time')
    expect(md).toContain('- suite "Core \\<accuracy\\>": accuracy 50.0% (1/2) is below the threshold 80.0%')
    const details = md.match(/<details>[\s\S]*?<\/details>/g) ?? []
    expect(details).toHaveLength(3)
    expect(details[0]).toContain('<summary>❌ <b>Core &lt;accuracy&gt;</b>: Revenue for &quot;A&amp;B&quot; &lt;Co&gt;')
    // the SQL holds ``` so its fence is longer
    expect(details[0]).toContain("````sql\nSELECT SUM(x) FROM t WHERE name = 'A&B' -- ``` ]]>\n````")
    expect(details[0]).toContain('Expected SQL:\n\n```sql\nSELECT SUM(x) FROM t\n```')
    // the reason is in the summary line, and only there
    expect(details[0]?.split('expected 2, got 1')).toHaveLength(2)
    expect(details[1]?.split('Hello &lt;there&gt;').length).toBe(2)
    expect(details[1]).not.toContain('Generated SQL: none')
    expect(details[1]).not.toContain('Genie said')
    expect(details[2]).toMatch(/^<details><summary>⚠️/)
    expect(md).not.toContain('How many orders?')
  })

  test('renderReport and formatFromFile', async () => {
    const r = await sampleReport()
    expect(renderReport(r, 'json')).toBe(jsonReport(r))
    expect(formatFromFile('out/report.MD')).toBe('markdown')
    expect(formatFromFile('r.json')).toBe('json')
    expect(formatFromFile('junit.xml')).toBe('junit')
    expect(formatFromFile('r.txt')).toBeUndefined()
  })
})
