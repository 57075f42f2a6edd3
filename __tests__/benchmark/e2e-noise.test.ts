/**
 * The "done when" of noise, cleanup and the user's own data, end to end over HTTP against the
 * emulator: --repeat 3 with --answer-noise 0.3 reports flaky questions and an interval; after a
 * run the emulator holds only the failed questions' conversations; the billing example with its
 * small dataset (examples/billing) scores what its example queries can answer.
 */
import path from 'node:path'
import { GenieClient, PatAuth } from '../../src/client/index.js'
import { runBenchmarks } from '../../src/benchmark/runner.js'
import { applyRepeat, loadSuites } from '../../src/benchmark/suites.js'
import { markdownReport } from '../../src/benchmark/report.js'
import { renderPayload } from '../../src/model/convert.js'
import { readDefinition } from '../../src/core/validate.js'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { SecretRegistry } from '../../src/util/secrets.js'
import { ROOT } from '../helpers/cli.js'
import { VirtualClock, question, suite } from './helpers.js'

let emulators: RunningEmulator[] = []
afterEach(async () => {
  await Promise.all(emulators.map((e) => e.close()))
  emulators = []
})

async function world(options: { answerNoise?: number; dataset?: string; seed?: number } = {}) {
  const clock = new VirtualClock()
  const emu = await startEmulator({
    port: 0,
    seed: options.seed ?? 11,
    clock: clock.now,
    questionsPerMinute: 0,
    faults: { genieLatencyMs: 3000, genieLatencyJitterMs: 1000, statementLatencyMs: 100, evalLatencyMs: 1000 },
    ...(options.answerNoise !== undefined ? { answerNoise: options.answerNoise } : {}),
    ...(options.dataset !== undefined ? { dataset: options.dataset } : {})
  })
  emulators.push(emu)
  const secrets = new SecretRegistry()
  const client = new GenieClient({ host: emu.url, auth: new PatAuth('dapi-e2e-noise-000001', secrets), secrets, now: clock.now, sleep: clock.sleep })
  return { emu, clock, client }
}

const EXAMPLES = [
  [
    'How many orders were placed last month?',
    "SELECT COUNT(*) AS orders FROM shop_dev.sales.orders WHERE order_date >= date_trunc('month', add_months(current_date(), -1))"
  ],
  [
    'What is the revenue by country?',
    'SELECT c.country, SUM(o.net_amount) AS revenue FROM shop_dev.sales.orders o JOIN shop_dev.sales.customers c ON o.customer_id = c.customer_id GROUP BY c.country'
  ],
  ['How many customers are there?', 'SELECT COUNT(*) AS customers FROM shop_dev.sales.customers'],
  ['What is the total revenue?', 'SELECT SUM(net_amount) AS revenue FROM shop_dev.sales.orders']
] as const

function shopDocument() {
  const id = (n: number) => n.toString(16).padStart(32, '0')
  return {
    version: 2,
    data_sources: { tables: ['shop_dev.sales.customers', 'shop_dev.sales.orders'].map((identifier) => ({ identifier })) },
    instructions: { example_question_sqls: EXAMPLES.map(([q, sql], i) => ({ id: id(i + 1), question: [q], sql: [sql] })) }
  }
}

describe('--repeat 3 against an emulator with --answer-noise 0.3', () => {
  test('flaky questions and a 95% interval are reported; only failed attempts keep their conversations', async () => {
    const w = await world({ answerNoise: 0.3 })
    const space = await w.client.createSpace({ warehouse_id: 'wh-noise', title: 'Shop', serialized_space: JSON.stringify(shopDocument()) })
    const suites = applyRepeat(
      [
        suite(
          'Shop',
          EXAMPLES.map(([q, sql]) => question(q, { expectedSql: sql })),
          { minAccuracy: 0.5 }
        )
      ],
      3
    )
    const report = await runBenchmarks({
      client: w.client,
      spaceId: space.space_id,
      suites,
      strategy: 'conversation',
      questionsPerMinute: 60,
      now: w.clock.now,
      sleep: w.clock.sleep,
      statementWaitTimeout: '0s'
    })
    expect(report.totals.attempts).toBe(12)
    // with no noise every one of these passes; with 30% noise (seed 11) some attempts fail
    expect(report.totals.flaky).toBeGreaterThan(0)
    const flaky = report.suites[0]!.questions.filter((q) => q.status === 'flaky')
    for (const q of flaky) expect(q.pass_rate).toBeGreaterThan(0)
    for (const q of flaky) expect(q.pass_rate).toBeLessThan(1)
    expect(report.totals.confidence_interval).toMatchObject({ level: 0.95 })
    expect(report.totals.confidence_interval!.low).toBeLessThan(report.totals.accuracy)
    expect(markdownReport(report)).toMatch(/#### Flaky questions \(\d\): passed in some attempts, failed in others/)

    // the workspace is left clean: the conversations left are exactly those of failed attempts
    const failedIds = report.suites[0]!.questions.flatMap((q) => q.attempts)
      .filter((a) => a.status === 'failed' || a.status === 'error')
      .map((a) => a.conversation_id)
    expect(failedIds.length).toBeGreaterThan(0)
    const left = await w.client.listConversations(space.space_id, { pageSize: 100 })
    expect(left.conversations.map((c) => c.conversation_id).sort()).toEqual([...failedIds].sort())
    expect(report.totals).toMatchObject({ conversations_deleted: 12 - failedIds.length, conversations_kept: failedIds.length })
    // the same run without noise: nothing is flaky (the noise is the emulator's, not the runner's)
    const calm = await world({})
    const calmSpace = await calm.client.createSpace({ warehouse_id: 'wh-noise', title: 'Shop', serialized_space: JSON.stringify(shopDocument()) })
    const calmReport = await runBenchmarks({
      client: calm.client,
      spaceId: calmSpace.space_id,
      suites,
      strategy: 'conversation',
      questionsPerMinute: 60,
      now: calm.clock.now,
      sleep: calm.clock.sleep,
      statementWaitTimeout: '0s'
    })
    expect(calmReport.totals).toMatchObject({ passed: 4, flaky: 0, conversations_deleted: 12, conversations_kept: 0 })
    expect((await calm.client.listConversations(calmSpace.space_id)).conversations).toEqual([])
  })
})

describe('the billing example on its own sample data (--dataset)', () => {
  test('examples/billing scores what its example queries answer: 2 of 3, the third asks for clarification', async () => {
    const w = await world({ dataset: path.join(ROOT, 'examples/billing/data') })
    const { definition } = await readDefinition('examples/billing/space.yaml', { cwd: ROOT })
    const payload = renderPayload(definition.space)
    const space = await w.client.createSpace({
      warehouse_id: 'wh-billing',
      title: payload.title ?? 'Billing',
      serialized_space: JSON.stringify(payload.serialized_space)
    })
    const suites = await loadSuites(['examples/billing/benchmarks/accuracy.yaml'], { cwd: ROOT })
    const report = await runBenchmarks({
      client: w.client,
      spaceId: space.space_id,
      suites,
      strategy: 'conversation',
      questionsPerMinute: 60,
      now: w.clock.now,
      sleep: w.clock.sleep,
      statementWaitTimeout: '0s'
    })
    const [usage, costs, perWorkspace] = report.suites[0]!.questions
    expect(usage).toMatchObject({ status: 'passed' })
    expect(costs).toMatchObject({ status: 'passed' })
    expect(perWorkspace).toMatchObject({ status: 'failed', failure: expect.stringMatching(/^sql: no SQL: Genie asked a clarifying question/) })
    // the expected SQL ran on the user's table (no "does not exist"): an error would make it `error`
    expect(report.totals).toMatchObject({ questions: 3, passed: 2, errors: 0 })
    expect(report.totals.statements).toBeGreaterThan(0)
  })

  test('the dataset tables answer SQL, with types inferred from the CSV', async () => {
    const w = await world({ dataset: path.join(ROOT, 'examples/billing/data') })
    const res = await w.client.executeStatement({
      warehouse_id: 'wh',
      statement: 'SELECT workspace_id, SUM(usage_quantity) AS dbus FROM system.billing.usage GROUP BY workspace_id ORDER BY workspace_id',
      wait_timeout: '0s'
    })
    let r = res
    for (let i = 0; i < 20 && r.status?.state !== 'SUCCEEDED' && r.status?.state !== 'FAILED'; i++) {
      await w.clock.sleep(200)
      r = await w.client.getStatement(res.statement_id as string)
    }
    expect(r.status?.state).toBe('SUCCEEDED')
    // 1001: 12.5 + 40 + 5.75 + 27 = 85.25; 1002: 8.25 + 22 + 9 = 39.25; 1003: 18 + 31.5 + 14.25 = 63.75
    expect(r.result?.data_array).toEqual([
      ['1001', '85.25'],
      ['1002', '39.25'],
      ['1003', '63.75']
    ])
    expect(r.manifest?.schema?.columns?.map((c) => c.type_name)).toEqual(['LONG', 'DOUBLE'])
  })
})

describe("the client's conversation calls against the emulator", () => {
  test('listConversations pages, listMessages pages, sendMessageFeedback, deleteMessage, deleteConversation (twice is fine)', async () => {
    const w = await world({})
    const space = await w.client.createSpace({ warehouse_id: 'wh', title: 'Shop', serialized_space: JSON.stringify(shopDocument()) })
    const a = await w.client.startConversation(space.space_id, 'How many customers are there?')
    await w.clock.sleep(10)
    const b = await w.client.startConversation(space.space_id, 'What is the total revenue?')
    const m2 = await w.client.createMessage(space.space_id, b.conversation_id, 'How many customers are there?')
    const page1 = await w.client.listConversations(space.space_id, { pageSize: 1 })
    expect(page1.conversations.map((c) => c.conversation_id)).toEqual([b.conversation_id])
    const page2 = await w.client.listConversations(space.space_id, { pageSize: 1, pageToken: page1.next_page_token as string, includeAll: true })
    expect(page2.conversations.map((c) => c.conversation_id)).toEqual([a.conversation_id])
    const msgs = await w.client.listMessages(space.space_id, b.conversation_id, { pageSize: 1 })
    expect(msgs.messages.map((m) => m.message_id)).toEqual([b.message_id])
    expect(msgs.next_page_token).toBeDefined()
    await w.client.sendMessageFeedback(space.space_id, b.conversation_id, b.message_id, 'POSITIVE')
    await w.client.deleteMessage(space.space_id, b.conversation_id, m2.message_id)
    expect((await w.client.listMessages(space.space_id, b.conversation_id)).messages).toHaveLength(1)
    await w.client.deleteConversation(space.space_id, a.conversation_id)
    await w.client.deleteConversation(space.space_id, a.conversation_id)
    expect((await w.client.listConversations(space.space_id)).conversations.map((c) => c.conversation_id)).toEqual([b.conversation_id])
  })
})
