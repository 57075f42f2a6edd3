/**
 * Both strategies end to end: the real client over HTTP against the emulator (in-process, port 0),
 * which answers from the space's example SQL, runs SQL on DuckDB and enforces the question limit.
 * The emulator and the runner share one virtual clock, so minutes of rate limiting take no time.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { GenieClient, PatAuth } from '../../src/client/index.js'
import { runBenchmarks } from '../../src/benchmark/runner.js'
import { evaluateGate } from '../../src/benchmark/gate.js'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { MemoryLogger } from '../../src/util/logger.js'
import { SecretRegistry } from '../../src/util/secrets.js'
import { benchmarkCommand } from '../../src/cli/commands/benchmark.js'
import { benchmarkMode } from '../../src/action/benchmark.js'
import { readInputs } from '../../src/action/inputs.js'
import { FakeRuntime } from '../helpers/runtime.js'
import { VirtualClock, question, suite } from './helpers.js'

const ORDERS_LAST_MONTH = `SELECT COUNT(*) AS orders FROM shop_dev.sales.orders
WHERE order_date >= date_trunc('month', add_months(current_date(), -1)) AND order_date < date_trunc('month', current_date())`
const REVENUE_BY_COUNTRY = `SELECT c.country, SUM(o.net_amount) AS revenue
FROM shop_dev.sales.orders o JOIN shop_dev.sales.customers c ON o.customer_id = c.customer_id
GROUP BY c.country`
const TOP_PRODUCTS = `SELECT p.name, SUM(o.net_amount) AS revenue FROM shop_dev.sales.orders o
JOIN shop_dev.sales.products p ON o.product_id = p.product_id GROUP BY p.name ORDER BY revenue DESC LIMIT 3`

function document(benchmarks: { id: string; question: string; sql: string }[] = []) {
  const id = (n: number) => n.toString(16).padStart(32, '0')
  return {
    version: 2,
    data_sources: { tables: ['shop_dev.sales.customers', 'shop_dev.sales.orders', 'shop_dev.sales.products'].map((identifier) => ({ identifier })) },
    instructions: {
      example_question_sqls: [
        { id: id(1), question: ['How many orders were placed last month?'], sql: [ORDERS_LAST_MONTH] },
        { id: id(2), question: ['What is the revenue by country?'], sql: [REVENUE_BY_COUNTRY] },
        { id: id(3), question: ['Top 3 products by revenue'], sql: [TOP_PRODUCTS] }
      ]
    },
    ...(benchmarks.length
      ? { benchmarks: { questions: benchmarks.map((b) => ({ id: b.id, question: [b.question], answer: [{ format: 'SQL', content: [b.sql] }] })) } }
      : {})
  }
}

interface World {
  emu: RunningEmulator
  clock: VirtualClock
  client: GenieClient
  spaceId: string
}

async function world(options: { questionsPerMinute?: number; doc?: object; realTime?: boolean } = {}): Promise<World> {
  const clock = new VirtualClock()
  const emu = await startEmulator({
    port: 0,
    seed: 7,
    ...(options.realTime ? {} : { clock: clock.now }),
    questionsPerMinute: options.questionsPerMinute ?? 0,
    faults: options.realTime
      ? { genieLatencyMs: 300, genieLatencyJitterMs: 300, statementLatencyMs: 50, evalLatencyMs: 200 }
      : { genieLatencyMs: 8000, genieLatencyJitterMs: 4000, statementLatencyMs: 300, evalLatencyMs: 3000 }
  })
  const secrets = new SecretRegistry()
  const client = new GenieClient({ host: emu.url, auth: new PatAuth('dapi-e2e-benchmark-0001', secrets), secrets, now: clock.now, sleep: clock.sleep })
  const space = await client.createSpace({ warehouse_id: 'wh-e2e', title: 'Shop', serialized_space: JSON.stringify(options.doc ?? document()) })
  return { emu, clock, client, spaceId: space.space_id }
}

let worlds: World[] = []
afterEach(async () => {
  await Promise.all(worlds.map((w) => w.emu.close()))
  worlds = []
})
async function open(options?: Parameters<typeof world>[0]): Promise<World> {
  const w = await world(options)
  worlds.push(w)
  return w
}

const SUITE = suite(
  'Shop accuracy',
  [
    question('How many orders were placed last month?', {
      expectedSql: ORDERS_LAST_MONTH.replace('AS orders', 'AS n'),
      expectedTables: ['shop_dev.sales.orders']
    }),
    question('What is the revenue by country?', { expectedSql: REVENUE_BY_COUNTRY, expectedTables: ['sales.customers', 'orders'], expectedContains: ['JOIN'] }),
    question('Top 3 products by revenue', { expectedSql: TOP_PRODUCTS.replace('DESC', 'ASC') }),
    question('Which warehouse ships fastest?', { expectedContains: ['warehouse'] })
  ],
  { minAccuracy: 0.5 }
)

describe('conversation strategy against the emulator', () => {
  test('scores real answers: SQL, tables, result sets, clarifying questions', async () => {
    const w = await open()
    const logger = new MemoryLogger()
    const report = await runBenchmarks({
      client: w.client,
      spaceId: w.spaceId,
      suites: [SUITE],
      strategy: 'conversation',
      questionsPerMinute: 30,
      now: w.clock.now,
      sleep: w.clock.sleep,
      statementWaitTimeout: '0s',
      logger
    })
    const [a, b, c, d] = report.suites[0]!.questions
    expect(a).toMatchObject({ status: 'passed' })
    expect(b).toMatchObject({ status: 'passed' })
    expect(b?.attempts[0]?.checks.map((x) => [x.name, x.passed])).toEqual([
      ['sql', true],
      ['tables', true],
      ['contains', true],
      ['result', true]
    ])
    // "top" + ORDER BY: the reversed order is a failure
    expect(c).toMatchObject({ status: 'failed', failure: expect.stringMatching(/^result: row 1 differs \(order matters/) })
    expect(d).toMatchObject({ status: 'failed', failure: expect.stringMatching(/^sql: no SQL: Genie asked a clarifying question/) })
    expect(report).toMatchObject({ strategy: 'conversation', warehouse_id: 'wh-e2e', totals: { questions: 4, passed: 2, accuracy: 0.5, rate_limited: 0 } })
    expect(evaluateGate(report).passed).toBe(true)
  })

  test('a 429 storm (the server allows 2 questions a minute, we ask 10): every question still completes', async () => {
    const w = await open({ questionsPerMinute: 2 })
    const questions = Array.from({ length: 6 }, (_, i) =>
      question(i % 2 ? 'What is the revenue by country?' : 'How many orders were placed last month?', {
        expectedSql: i % 2 ? REVENUE_BY_COUNTRY : ORDERS_LAST_MONTH,
        repeat: 1
      })
    ).map((q, i) => ({ ...q, question: `${q.question}${' '.repeat(i)}` }))
    // distinct texts (trailing spaces) so the six questions are six suite entries
    const report = await runBenchmarks({
      client: w.client,
      spaceId: w.spaceId,
      suites: [suite('storm', questions)],
      strategy: 'conversation',
      questionsPerMinute: 10,
      now: w.clock.now,
      sleep: w.clock.sleep,
      statementWaitTimeout: '0s'
    })
    expect(report.totals).toMatchObject({ questions: 6, passed: 6, errors: 0 })
    expect(report.totals.rate_limited).toBeGreaterThan(0)
    // 2 a minute: the 6th question cannot be asked before 2 minutes
    expect(w.clock.elapsed).toBeGreaterThanOrEqual(120_000)
    const log = (await (await fetch(`${w.emu.url}/_emulator/requests`)).json()) as { method: string; path: string; status: number }[]
    const asks = log.filter((r) => r.method === 'POST' && r.path.endsWith('/start-conversation'))
    expect(asks.filter((r) => r.status === 200)).toHaveLength(6)
    expect(asks.filter((r) => r.status === 429).length).toBe(report.totals.rate_limited)
  })
})

describe('Genie message failures against the emulator', () => {
  const LATENCY = { genieLatencyMs: 8000, genieLatencyJitterMs: 4000, statementLatencyMs: 300, evalLatencyMs: 3000 }
  const two = suite('two', [
    question('How many orders were placed last month?', { expectedSql: ORDERS_LAST_MONTH }),
    question('What is the revenue by country?', { expectedSql: REVENUE_BY_COUNTRY })
  ])
  const ask = (w: World) =>
    runBenchmarks({
      client: w.client,
      spaceId: w.spaceId,
      suites: [two],
      strategy: 'conversation',
      questionsPerMinute: 30,
      now: w.clock.now,
      sleep: w.clock.sleep,
      statementWaitTimeout: '0s'
    })

  test('QUERY_RESULT_EXPIRED: the query is executed again and the answer still scores', async () => {
    const w = await open()
    w.emu.setFaults({ ...LATENCY, queryResultExpiredRate: 1 })
    const report = await ask(w)
    expect(report.totals).toMatchObject({ questions: 2, passed: 2 })
    const log = (await (await fetch(`${w.emu.url}/_emulator/requests`)).json()) as { method: string; path: string }[]
    expect(log.filter((r) => r.method === 'POST' && r.path.endsWith('/execute-query')).length).toBeGreaterThanOrEqual(2)
  })

  test('FAILED and CANCELLED messages fail the question with the reason, and never hang', async () => {
    for (const [fault, word] of [
      ['genieFailRate', /FAILED|UNEXPECTED_REPLY_PROCESS_EXCEPTION/],
      ['genieCancelRate', /cancelled/i]
    ] as const) {
      const w = await open()
      w.emu.setFaults({ ...LATENCY, [fault]: 1 })
      const report = await ask(w)
      expect(report.totals.passed).toBe(0)
      for (const q of report.suites[0]!.questions) {
        expect(q.status).not.toBe('passed')
        expect(q.failure ?? '').toMatch(word)
      }
    }
  })
})

describe('eval strategy against the emulator', () => {
  test("an explicit --strategy eval adds the suite's questions to the space's benchmarks and maps Genie's assessments", async () => {
    const w = await open()
    const evalSuite = suite('Shop eval', [
      question('How many orders were placed last month?', { expectedSql: ORDERS_LAST_MONTH }),
      question('What is the revenue by country?', { expectedSql: REVENUE_BY_COUNTRY.replace('SUM', 'AVG') }),
      question('Which warehouse ships fastest?', { expectedSql: 'SELECT 1' })
    ])
    const logger = new MemoryLogger()
    const report = await runBenchmarks({
      client: w.client,
      spaceId: w.spaceId,
      suites: [evalSuite],
      strategy: 'eval',
      now: w.clock.now,
      sleep: w.clock.sleep,
      statementWaitTimeout: '0s',
      logger
    })
    expect(report.strategy).toBe('eval')
    const live = await w.client.getSpace(w.spaceId)
    const doc = JSON.parse(live.serialized_space ?? '{}') as { benchmarks?: { questions: { question: string[] }[] } }
    expect(doc.benchmarks?.questions.map((q) => q.question.join(''))).toEqual(expect.arrayContaining(evalSuite.questions.map((q) => q.question)))
    const [a, b, c] = report.suites[0]!.questions
    expect(a).toMatchObject({ status: 'passed' })
    expect(a?.attempts[0]).toMatchObject({ assessment: 'GOOD', eval_run_id: expect.any(String) })
    expect(b).toMatchObject({ status: 'failed' })
    expect(b?.failure).toMatch(/^eval: (BAD|NEEDS_REVIEW)/)
    expect(c?.status).not.toBe('passed')
    expect(logger.text()).toMatch(/3 question\(s\) added/)
  })
})

describe('eval runs under faults (lost answers, 5xx) against the emulator', () => {
  const ID = (n: number) => n.toString(16).padStart(32, 'b')
  const held = [
    { id: ID(1), question: 'How many orders were placed last month?', sql: ORDERS_LAST_MONTH },
    { id: ID(2), question: 'What is the revenue by country?', sql: REVENUE_BY_COUNTRY }
  ]
  // the space already holds the suite's questions: eval needs no write, even read-only
  const evalSuite = suite(
    'held',
    held.map((b) => question(b.question, { expectedSql: b.sql, repeat: 2, minPasses: 2 }))
  )
  type Entry = { method: string; path: string; status: number; op: string; fault?: string; applied_status?: number }

  test('12 runs: every one ends with a report, and no eval run is ever started twice', async () => {
    const w = await open({ doc: document(held) })
    const before = (await w.client.getSpace(w.spaceId)).serialized_space
    let adopted = 0
    let lost = 0
    let refused = 0
    for (let seed = 1; seed <= 12; seed++) {
      await fetch(`${w.emu.url}/_emulator/requests`, { method: 'DELETE' })
      // creates: half lose their answer after the run was started, a third answer 5xx before anything happens; reads fail too
      const faults = {
        genieLatencyMs: 8000,
        genieLatencyJitterMs: 4000,
        statementLatencyMs: 300,
        evalLatencyMs: 3000,
        lostResponseRate: 0.5,
        errorRate: 0.2,
        errorRateFor: { 'eval-create': 0.35 }
      }
      await fetch(`${w.emu.url}/_emulator/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...faults, seed: seed * 7919 })
      })
      const logger = new MemoryLogger()
      const report = await runBenchmarks({
        client: w.client,
        spaceId: w.spaceId,
        suites: [evalSuite],
        strategy: 'auto',
        now: w.clock.now,
        sleep: w.clock.sleep,
        logger
      })
      expect(report.strategy).toBe('eval')
      // a report with a verdict or an error for every question, never an abort
      for (const q of report.suites[0]!.questions) {
        expect(q.attempts.length).toBeGreaterThan(0)
        for (const a of q.attempts) if (a.status === 'error') expect(a.error).toMatch(/eval run/)
      }
      const log = (await (await fetch(`${w.emu.url}/_emulator/requests`)).json()) as Entry[]
      const creates = log.filter((r) => r.op === 'eval-create')
      const started = creates.filter((r) => r.status === 200 || (r.fault === 'lost-response' && r.applied_status === 200))
      const reported = new Set(report.suites[0]!.questions.flatMap((q) => q.attempts.map((a) => a.eval_run_id)).filter((x) => x !== undefined))
      // each run started is one the report used: none started twice, none lost

      expect(started.length).toBe(reported.size)
      expect(reported.size).toBeLessThanOrEqual(2)
      lost += creates.filter((r) => r.fault === 'lost-response').length
      refused += creates.filter((r) => r.fault === 'server-error').length
      adopted += logger.lines.filter((l) => /^found eval run [0-9a-f]+ started by that request$/.test(l.message)).length
      // the gate's rule holds under faults too: the space is never written
      expect(log.filter((r) => r.method === 'PATCH')).toEqual([])
    }
    // the faults really happened, and the lost answers were found again
    expect(lost).toBeGreaterThan(3)
    expect(refused).toBeGreaterThan(1)
    expect(adopted).toBe(lost)
    expect((await w.client.getSpace(w.spaceId)).serialized_space).toBe(before)
  }, 60_000)
})

describe('spaceops benchmark against the emulator', () => {
  test('writes every report, prints the Markdown, exits 1 on a failed gate', async () => {
    const w = await open({ realTime: true })
    const dir = mkdtempSync(path.join(tmpdir(), 'spaceops-bench-cli-'))
    writeFileSync(
      path.join(dir, 'suite.yaml'),
      [
        'name: Shop',
        'min_accuracy: 0.9',
        'queries:',
        '  - question: How many orders were placed last month?',
        '    expected_tables: [shop_dev.sales.orders]',
        '  - question: Which warehouse ships fastest?',
        '    expected_sql_contains: [warehouse]'
      ].join('\n')
    )
    let out = ''
    let err = ''
    const code = await benchmarkCommand([w.spaceId, 'suite.yaml', '-o', 'r.json', '-o', 'r.xml', '-o', 'r.md', '--questions-per-minute', '60'], {
      out: (t) => (out += t),
      err: (t) => (err += t),
      env: { DATABRICKS_HOST: w.emu.url, DATABRICKS_TOKEN: 'dapi-e2e-cli-000001' },
      cwd: dir,
      isTTY: false,
      secrets: new SecretRegistry()
    })
    expect(code).toBe(1)
    expect(out).toMatch(/^### ❌ SpaceOps benchmark: 1 of 2 questions passed \(50\.0%\)/)
    expect(err).toMatch(/\[2\/2\] 1 passed, 1 failed/)
    expect(err).toContain('gate: suite "Shop": accuracy 50.0% (1/2) is below the threshold 90.0%')
    expect(err).not.toContain('dapi-e2e-cli-000001')
    const json = JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8')) as { schema_version: number; gate: { passed: boolean } }
    expect(json).toMatchObject({ schema_version: 1, gate: { passed: false } })
    expect(readFileSync(path.join(dir, 'r.xml'), 'utf8')).toMatch(/^<\?xml/)
    expect(readFileSync(path.join(dir, 'r.md'), 'utf8')).toBe(out)
  }, 60_000)
})

describe('mode: benchmark against the emulator', () => {
  test('outputs, JSON report under RUNNER_TEMP, job summary; a failed gate fails the step', async () => {
    const w = await open({ realTime: true })
    const dir = mkdtempSync(path.join(tmpdir(), 'spaceops-bench-action-'))
    const runnerTemp = mkdtempSync(path.join(tmpdir(), 'spaceops-runner-temp-'))
    writeFileSync(
      path.join(dir, 'suite.yaml'),
      [
        'name: Shop',
        'queries:',
        '  - question: How many orders were placed last month?',
        '    expected_tables: [shop_dev.sales.orders]',
        '  - question: Which warehouse ships fastest?',
        '    expected_sql_contains: [warehouse]'
      ].join('\n')
    )
    const token = 'dapi-e2e-action-00001'
    const rt = new FakeRuntime(
      { mode: 'benchmark', 'space-id': w.spaceId, benchmark: 'suite.yaml', 'min-accuracy': '75%', host: w.emu.url, token, 'questions-per-minute': '60' },
      dir,
      { RUNNER_TEMP: runnerTemp }
    )
    const secrets = new SecretRegistry([(s) => rt.setSecret(s)])
    const ok = await benchmarkMode(rt, readInputs(rt, secrets), secrets)
    expect(ok).toBe(false)
    expect(rt.failed).toBe('benchmark gate failed: suite "Shop": accuracy 50.0% (1/2) is below the threshold 75.0%')
    const reportPath = path.join(runnerTemp, `benchmark-${w.spaceId}.json`)
    expect(rt.outputs).toEqual({ accuracy: '0.5', passed: '1', failed: '1', 'report-path': reportPath, 'space-id': w.spaceId })
    expect(JSON.parse(readFileSync(reportPath, 'utf8'))).toMatchObject({ schema_version: 1, space_id: w.spaceId, totals: { passed: 1 } })
    expect(rt.summary).toMatch(/^### ❌ SpaceOps benchmark: 1 of 2 questions passed/)
    expect(rt.summary).toContain('<details><summary>❌ <b>Shop</b>: Which warehouse ships fastest?')
    expect(rt.logs.some((l) => /^\[2\/2\] 1 passed, 1 failed/.test(l))).toBe(true)
    expect(rt.everything()).not.toContain(token)
  }, 60_000)
})

describe('mode: benchmark inputs for noise, regressions, trend and cleanup reach the run', () => {
  test('repeat, gate-on lower-bound, keep-conversations all, baseline with regression-p, trend', async () => {
    const w = await open({ realTime: true })
    const dir = mkdtempSync(path.join(tmpdir(), 'spaceops-bench-action-'))
    writeFileSync(
      path.join(dir, 'suite.yaml'),
      ['name: Shop', 'queries:', '  - question: How many orders were placed last month?', '    expected_tables: [shop_dev.sales.orders]'].join('\n')
    )
    const base = {
      schema_version: 1,
      space_id: w.spaceId,
      strategy: 'conversation',
      started_at: '2026-01-01T00:00:00.000Z',
      finished_at: '2026-01-01T00:01:00.000Z',
      duration_ms: 1,
      totals: { questions: 1, passed: 0, failed: 1, errors: 0, accuracy: 0, attempts: 1 },
      suites: [
        {
          name: 'Shop',
          total: 1,
          passed: 0,
          failed: 1,
          errors: 0,
          accuracy: 0,
          duration_ms: 1,
          questions: [
            {
              question: 'How many orders were placed last month?',
              status: 'failed',
              passed: false,
              passes: 0,
              attempts_made: 1,
              repeat: 1,
              min_passes: 1,
              attempts: [],
              duration_ms: 1
            }
          ]
        }
      ]
    }
    mkdirSync(path.join(dir, 'history'))
    writeFileSync(path.join(dir, 'history/base.json'), JSON.stringify(base))
    const rt = new FakeRuntime(
      {
        mode: 'benchmark',
        'space-id': w.spaceId,
        benchmark: 'suite.yaml',
        'min-accuracy': '50%',
        host: w.emu.url,
        token: 'dapi-e2e-action-00002',
        'questions-per-minute': '60',
        repeat: '2',
        'gate-on': 'lower-bound',
        'keep-conversations': 'all',
        baseline: 'history/base.json',
        'regression-p': '0.05',
        trend: 'history/*.json'
      },
      dir,
      { RUNNER_TEMP: mkdtempSync(path.join(tmpdir(), 'spaceops-runner-temp-')) }
    )
    const secrets = new SecretRegistry([(s) => rt.setSecret(s)])
    const ok = await benchmarkMode(rt, readInputs(rt, secrets), secrets)
    // 1 of 1 passes, but the lower bound of 1/1 is below 50%: centre (1 + 1.9208)/4.8415 = 0.6033,
    // half 1.96·√(3.8415/4)/4.8415 = 0.3967 → low 0.2065 (20.7%); the gate fails on it
    expect(ok).toBe(false)
    expect(rt.failed).toMatch(/the lower bound of the 95% interval of accuracy, 20\.7% \(accuracy 100\.0%, 1\/1\), is below the threshold 50\.0%/)
    const report = JSON.parse(readFileSync(rt.outputs['report-path'] as string, 'utf8'))
    expect(report.totals).toMatchObject({ attempts: 2, conversations_deleted: 0, conversations_kept: 2 })
    expect(report.gate).toMatchObject({
      gate_on: 'lower-bound',
      regression_p: 0.05,
      comparison: { paired: 1, fail_to_pass: ['How many orders were placed last month?'], p_value: 1 }
    })
    expect(report.trend).toEqual([{ started_at: '2026-01-01T00:00:00.000Z', accuracy: 0, passed: 0, questions: 1 }])
    expect(rt.summary).toContain('```mermaid\nxychart-beta')
  }, 60_000)
})
