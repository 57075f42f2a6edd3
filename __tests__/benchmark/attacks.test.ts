/**
 * SQL and patterns from a pull request (suites, a space's benchmarks) and SQL from Genie are
 * untrusted. These tests perform each attack: write statements must never reach the warehouse's
 * statement endpoint (the emulator's request log is the witness), and a catastrophic pattern must
 * not stall a run.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { GenieClient, PatAuth } from '../../src/client/index.js'
import { runBenchmarks } from '../../src/benchmark/runner.js'
import { staticChecks } from '../../src/benchmark/score.js'
import { benchmarkCommand } from '../../src/cli/commands/benchmark.js'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { SpaceOpsError } from '../../src/util/errors.js'
import { SecretRegistry } from '../../src/util/secrets.js'
import { FakeGenie, question, SPACE_ID, suite, VirtualClock } from './helpers.js'

const ORDERS = 'SELECT COUNT(*) AS n FROM shop_dev.sales.orders'
const ID = (n: number) => n.toString(16).padStart(32, '0')

const WRITES: [string, RegExp][] = [
  ['DROP TABLE shop_dev.sales.orders', /^expected_sql was not run: DROP statements are not read-only$/],
  ['DELETE FROM shop_dev.sales.orders', /^expected_sql was not run: DELETE statements are not read-only$/],
  ['SELECT 1; DELETE FROM shop_dev.sales.orders', /^expected_sql was not run: the SQL holds 2 statements \(a DELETE statement follows a ';'\)/],
  ['WITH x AS (SELECT 1) INSERT INTO shop_dev.sales.orders SELECT * FROM x', /^expected_sql was not run: WITH … INSERT statements are not read-only$/],
  ['SELECT 1 /* ; */; DROP TABLE shop_dev.sales.orders', /^expected_sql was not run: the SQL holds 2 statements \(a DROP statement/],
  ['-- x\nDROP TABLE shop_dev.sales.orders', /^expected_sql was not run: DROP statements are not read-only$/],
  ["SELECT 'a\\'; DROP TABLE shop_dev.sales.orders; --'", /^expected_sql was not run: the SQL holds 2 statements .*backslashes/]
]

let emus: RunningEmulator[] = []
afterEach(async () => {
  await Promise.all(emus.map((e) => e.close()))
  emus = []
})

async function world(realTime = false) {
  const clock = new VirtualClock()
  const emu = await startEmulator({
    port: 0,
    seed: 3,
    ...(realTime ? {} : { clock: clock.now }),
    questionsPerMinute: 0,
    faults: realTime
      ? { genieLatencyMs: 100, statementLatencyMs: 20, evalLatencyMs: 100 }
      : { genieLatencyMs: 4000, statementLatencyMs: 300, evalLatencyMs: 3000 }
  })
  emus.push(emu)
  const secrets = new SecretRegistry()
  const client = new GenieClient({ host: emu.url, auth: new PatAuth('dapi-attacks-000000001', secrets), secrets, now: clock.now, sleep: clock.sleep })
  const document = {
    version: 2,
    data_sources: { tables: [{ identifier: 'shop_dev.sales.orders' }] },
    instructions: { example_question_sqls: [{ id: ID(1), question: ['How many orders are there?'], sql: [ORDERS] }] }
  }
  const space = await client.createSpace({ warehouse_id: 'wh-attacks', title: 'Shop', serialized_space: JSON.stringify(document) })
  const log = async () => (await (await fetch(`${emu.url}/_emulator/requests`)).json()) as { method: string; path: string }[]
  const statementPosts = async () => (await log()).filter((r) => r.method === 'POST' && r.path.startsWith('/api/2.0/sql/statements'))
  return { emu, clock, client, spaceId: space.space_id, log, statementPosts }
}

async function cliBenchmark(host: string, cwd: string, argv: string[]): Promise<{ code: number; out: string }> {
  let out = ''
  const env = { DATABRICKS_HOST: host, DATABRICKS_TOKEN: 'dapi-attacks-000000002' }
  const code = await benchmarkCommand(argv, { out: (t) => (out += t), err: () => {}, env, cwd, isTTY: false, secrets: new SecretRegistry() })
  return { code, out }
}

describe('write statements in expected_sql never reach the warehouse', () => {
  test('conversation strategy: each question is an error naming the refusal; the run goes on', async () => {
    const w = await world()
    const questions = [
      question('How many orders are there?', { expectedSql: ORDERS }),
      ...WRITES.map(([sql], i) => question(`How many orders are there?${' '.repeat(i + 1)}`, { expectedSql: sql, expectedContains: ['COUNT'] }))
    ]
    const report = await runBenchmarks({
      client: w.client,
      spaceId: w.spaceId,
      suites: [suite('attacks', questions)],
      strategy: 'conversation',
      questionsPerMinute: 60,
      now: w.clock.now,
      sleep: w.clock.sleep,
      statementWaitTimeout: '0s'
    })
    const [honest, ...attacks] = report.suites[0]!.questions
    expect(honest).toMatchObject({ status: 'passed' })
    attacks.forEach((q, i) => {
      expect(q.status).toBe('error')
      expect(q.failure).toMatch(WRITES[i]![1])
    })
    expect(report.totals).toMatchObject({ questions: WRITES.length + 1, passed: 1, errors: WRITES.length })
    // Only the honest question's two statements (expected and Genie's) were sent.
    const posts = await w.statementPosts()
    expect(posts).toHaveLength(2)
    // A refused question is not even asked: no question of the rate limit is spent on it.
    expect((await w.log()).filter((r) => r.path.endsWith('/start-conversation'))).toHaveLength(1)
  })

  test('eval strategy: a refused question is neither written to the space nor evaluated', async () => {
    const w = await world()
    const questions = WRITES.map(([sql], i) => question(`Attack ${i}`, { expectedSql: sql }))
    const report = await runBenchmarks({
      client: w.client,
      spaceId: w.spaceId,
      suites: [suite('attacks', questions)],
      strategy: 'eval',
      now: w.clock.now,
      sleep: w.clock.sleep
    })
    expect(report.totals).toMatchObject({ questions: WRITES.length, passed: 0, errors: WRITES.length })
    report.suites[0]!.questions.forEach((q, i) => expect(q.failure).toMatch(WRITES[i]![1]))
    const writes = (await w.log()).filter((r) => r.method !== 'GET')
    expect(writes.filter((r) => r.method === 'PATCH' || r.path.includes('eval-runs') || r.path.startsWith('/api/2.0/sql/statements'))).toEqual([])
    const live = JSON.parse((await w.client.getSpace(w.spaceId)).serialized_space ?? '{}') as { benchmarks?: unknown }
    expect(live.benchmarks).toBeUndefined()
  })

  test('spaceops benchmark on a space definition whose benchmarks hold write SQL: the report names each refusal', async () => {
    const w = await world(true)
    const dir = mkdtempSync(path.join(tmpdir(), 'spaceops-attacks-'))
    writeFileSync(
      path.join(dir, 'space.yaml'),
      [
        'title: Shop',
        'data_sources:',
        '  tables:',
        '    - identifier: shop_dev.sales.orders',
        'benchmarks:',
        '  - question: How many orders are there?',
        `    sql: ${ORDERS}`,
        '  - question: How many orders are there, really?',
        '    sql: "SELECT 1; DELETE FROM shop_dev.sales.orders"',
        '  - question: Drop it',
        '    sql: "-- x\\nDROP TABLE shop_dev.sales.orders"'
      ].join('\n')
    )
    const { code, out } = await cliBenchmark(w.emu.url, dir, [w.spaceId, 'space.yaml', '--strategy', 'conversation', '--questions-per-minute', '60'])
    expect(code).toBe(0)
    expect(out).toContain("expected_sql was not run: the SQL holds 2 statements (a DELETE statement follows a ';'); only one statement may run")
    expect(out).toContain('expected_sql was not run: DROP statements are not read-only')
    expect(await w.statementPosts()).toHaveLength(2)
  }, 60_000)

  test('spaceops benchmark on a suite file with write SQL stops before any request, at the line of the SQL', async () => {
    const w = await world(true)
    const dir = mkdtempSync(path.join(tmpdir(), 'spaceops-attacks-'))
    writeFileSync(
      path.join(dir, 'suite.yaml'),
      ['name: s', 'queries:', '  - question: How many orders are there?', '    expected_sql: DROP TABLE shop_dev.sales.orders'].join('\n')
    )
    const failure = await cliBenchmark(w.emu.url, dir, [w.spaceId, 'suite.yaml']).then(
      () => undefined,
      (e: unknown) => e
    )
    expect(failure).toBeInstanceOf(SpaceOpsError)
    expect((failure as SpaceOpsError).format()).toMatch(/suite\.yaml:4:19: expected_sql must be one read-only statement: DROP statements are not read-only$/)
    // nothing after the test's own create-space
    expect((await w.log()).filter((r) => r.path.startsWith('/api/')).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/2.0/genie/spaces'])
  }, 60_000)
})

describe("Genie's SQL is never re-run when it is a write statement", () => {
  const run = async (genie: FakeGenie, clock: VirtualClock, q = question('How many orders?', { expectedSql: 'SELECT COUNT(*) FROM main.sales.orders' })) =>
    runBenchmarks({
      client: genie,
      spaceId: SPACE_ID,
      suites: [suite('s', [q])],
      strategy: 'conversation',
      questionsPerMinute: 60,
      now: clock.now,
      sleep: clock.sleep
    })

  test.each([
    ['DELETE FROM main.sales.orders', /^result: Genie's SQL was not run: DELETE statements are not read-only$/],
    ['SELECT COUNT(*) FROM main.sales.orders; DROP TABLE main.sales.orders', /^result: Genie's SQL was not run: the SQL holds 2 statements \(a DROP statement/],
    ['WITH x AS (SELECT 1) INSERT INTO main.sales.orders SELECT * FROM x', /^result: Genie's SQL was not run: WITH … INSERT statements are not read-only$/]
  ])('%j fails the result check and is not executed', async (sql, failure) => {
    const clock = new VirtualClock()
    const genie = new FakeGenie(clock).answer('How many orders?', { sql }).result('SELECT COUNT(*) FROM main.sales.orders', { columns: ['n'], rows: [['3']] })
    const report = await run(genie, clock)
    expect(report.suites[0]!.questions[0]).toMatchObject({ status: 'failed', failure: expect.stringMatching(failure) })
    expect(genie.executed).toEqual(['SELECT COUNT(*) FROM main.sales.orders'])
  })

  test('an expired query result whose SQL is a write statement is not executed again', async () => {
    const clock = new VirtualClock()
    const genie = new FakeGenie(clock).answer('How many orders?', { status: 'QUERY_RESULT_EXPIRED', sql: 'DROP TABLE main.sales.orders' })
    const report = await run(genie, clock, question('How many orders?', { expectedContains: ['orders'] }))
    expect(genie.calls).not.toContain('executeQuery')
    expect(genie.executed).toEqual([])
    expect(report.suites[0]!.questions[0]?.attempts[0]?.sql).toBe('DROP TABLE main.sales.orders')
  })
})

describe('expected_sql_pattern runs in linear time', () => {
  test('(a+)+X against a 100,000-character SQL finishes well under a second and fails normally', () => {
    const sql = `SELECT '${'a'.repeat(100_000)}'`
    const started = performance.now()
    const [check] = staticChecks(question('q', { expectedPattern: '(a+)+X' }), sql)
    expect(performance.now() - started).toBeLessThan(1000)
    expect(check).toEqual({ name: 'pattern', passed: false, detail: 'does not match /(a+)+X/' })
    // the same engine still matches what it should, (?i) included
    expect(staticChecks(question('q', { expectedPattern: "(?i)^select\\s+'(a+)+'$" }), sql)[0]?.passed).toBe(true)
  })

  test('a pattern RE2 cannot compile fails its check with the RE2 syntax named', () => {
    const [check] = staticChecks(question('q', { expectedPattern: '(?<=SUM)\\(' }), 'SELECT SUM(x)')
    expect(check?.passed).toBe(false)
    expect(check?.detail).toMatch(/^invalid pattern: .*lookbehind.*https:\/\/github\.com\/google\/re2\/wiki\/Syntax\)$/)
  })
})
