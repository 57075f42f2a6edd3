import { compareResults } from '../../src/emulator/genie/compare.js'
import type { Client } from './helpers.js'
import {
  assertShape,
  type Benchmark,
  CANCELLED_SQL,
  createSalesSpace,
  hexId,
  LAST_MONTH_SQL,
  lines,
  manualClock,
  REVENUE_SQL,
  salesDoc,
  SPACES,
  start,
  stopAll
} from './genie-helpers.js'

afterEach(stopAll)

const ENTERPRISE_SQL =
  "SELECT country, COUNT(*) AS n FROM shop_dev.sales.customers WHERE segment = 'ENTERPRISE' GROUP BY country ORDER BY n DESC, country LIMIT 1"

const BENCHMARKS: Benchmark[] = [
  {
    // Same result, columns swapped and renamed, rows in another order → GOOD.
    id: hexId(0x81),
    question: 'What was revenue by month this year?',
    sql:
      "SELECT SUM(net_amount) AS total, date_trunc('month', order_date) AS m FROM shop_dev.sales.orders\n" +
      "WHERE status != 'CANCELLED' AND year(order_date) = year(current_date()) GROUP BY 2 ORDER BY 2 DESC"
  },
  {
    // Genie answers with the default country DE; the benchmark wants FR → other rows.
    id: hexId(0x82),
    question: 'Top customers in a country',
    sql: TOP_FR()
  },
  // One number, a different one → SINGLE_CELL_DIFFERENCE.
  { id: hexId(0x83), question: 'How many orders were cancelled?', sql: "SELECT COUNT(*) FROM shop_dev.sales.orders WHERE status = 'RETURNED'" },
  // No example matches → a clarifying question (TEXT) → BAD.
  { id: hexId(0x84), question: 'Which country has the most enterprise customers?', sql: ENTERPRISE_SQL },
  // Identical → GOOD.
  { id: hexId(0x85), question: 'How many orders were placed last month?', sql: LAST_MONTH_SQL },
  // The benchmark has one column more → RESULT_MISSING_COLUMNS.
  {
    id: hexId(0x86),
    question: 'Cancelled orders: how many?',
    sql: "SELECT status, COUNT(*) FROM shop_dev.sales.orders WHERE status = 'CANCELLED' GROUP BY status"
  },
  // The ground truth is empty → NEEDS_REVIEW.
  { id: hexId(0x87), question: 'How many cancelled orders were there?', sql: 'SELECT COUNT(*) FROM shop_dev.sales.orders WHERE order_id < 0 GROUP BY status' }
]

function TOP_FR(): string {
  return (
    'SELECT c.name, SUM(o.net_amount) AS revenue FROM shop_dev.sales.orders o JOIN shop_dev.sales.customers c ON o.customer_id = c.customer_id\n' +
    "WHERE c.country = 'FR' AND o.status <> 'CANCELLED' GROUP BY c.name ORDER BY revenue DESC LIMIT 10"
  )
}

const EVAL_TIMINGS = { genieLatencyMs: 0, genieLatencyJitterMs: 0, statementLatencyMs: 0, evalLatencyMs: 1000 }

async function allResults(api: Client, spaceId: string, runId: string, pageSize: number): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = []
  let token: string | undefined
  for (let pages = 0; pages < 20; pages++) {
    const r = await api.get(`${SPACES}/${spaceId}/eval-runs/${runId}/results?page_size=${pageSize}${token ? `&page_token=${token}` : ''}`)
    expect(r.status).toBe(200)
    assertShape(r.body, 'GenieListEvalResultsResponse')
    out.push(...((r.body.eval_results ?? []) as Record<string, unknown>[]))
    token = r.body.next_page_token
    if (!token) return out
  }
  throw new Error('too many pages')
}

describe('Genie eval runs', () => {
  test('end to end: progress over time, counters, GOOD / BAD / NEEDS_REVIEW with reasons', async () => {
    const clock = manualClock()
    const t0 = clock.now()
    const { api } = await start({ clock: clock.now, faults: EVAL_TIMINGS })
    const spaceId = await createSalesSpace(api, salesDoc({ benchmarks: BENCHMARKS }))

    const created = await api.post(`${SPACES}/${spaceId}/eval-runs`, {})
    expect(created.status).toBe(200)
    assertShape(created.body, 'GenieEvalRunResponse')
    const runId = created.body.eval_run_id as string
    expect(created.body).toEqual({
      eval_run_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      eval_run_status: 'NOT_STARTED',
      run_by_user: expect.any(Number),
      created_timestamp: t0,
      last_updated_timestamp: t0,
      num_questions: 7,
      num_done: 0,
      num_correct: 0,
      num_needs_review: 0
    })
    const run = async (): Promise<Record<string, unknown>> => {
      const r = await api.get(`${SPACES}/${spaceId}/eval-runs/${runId}`)
      expect(r.status).toBe(200)
      assertShape(r.body, 'GenieEvalRunResponse')
      return r.body
    }
    clock.advance(500)
    expect(await run()).toMatchObject({ eval_run_status: 'RUNNING', num_done: 0 })
    clock.advance(1000)
    expect(await run()).toMatchObject({ eval_run_status: 'RUNNING', num_done: 1, num_correct: 1, last_updated_timestamp: t0 + 1500 })
    const partial = await allResults(api, spaceId, runId, 100)
    expect(partial.map((r) => r['status'])).toEqual(['DONE', 'RUNNING', 'NOT_STARTED', 'NOT_STARTED', 'NOT_STARTED', 'NOT_STARTED', 'NOT_STARTED'])
    clock.set(t0 + 7500)
    expect(await run()).toMatchObject({ eval_run_status: 'DONE', num_done: 7, num_correct: 2, num_needs_review: 1, last_updated_timestamp: t0 + 7500 })

    // Results, paged.
    const results = await allResults(api, spaceId, runId, 3)
    expect(results).toHaveLength(7)
    expect(results[0]).toEqual({
      result_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      space_id: spaceId,
      benchmark_question_id: hexId(0x81),
      question: 'What was revenue by month this year?',
      benchmark_answer: BENCHMARKS[0]?.sql,
      created_by_user: expect.any(Number),
      status: 'DONE'
    })
    expect(results.map((r) => r['benchmark_question_id'])).toEqual(BENCHMARKS.map((b) => b.id))

    const details: Record<string, Record<string, unknown>> = {}
    for (const r of results) {
      const d = await api.get(`${SPACES}/${spaceId}/eval-runs/${runId}/results/${r['result_id']}`)
      expect(d.status).toBe(200)
      assertShape(d.body, 'GenieEvalResultDetails')
      details[r['benchmark_question_id'] as string] = d.body
    }
    const verdict = (n: number): [unknown, unknown] => [details[hexId(n)]?.['assessment'], details[hexId(n)]?.['assessment_reasons']]
    expect(verdict(0x81)).toEqual(['GOOD', undefined])
    expect(verdict(0x82)[0]).toBe('BAD')
    expect(verdict(0x82)[1]).toEqual(expect.arrayContaining(['RESULT_MISSING_ROWS']))
    expect(verdict(0x83)).toEqual(['BAD', ['SINGLE_CELL_DIFFERENCE']])
    expect(verdict(0x84)).toEqual(['BAD', ['EMPTY_RESULT']])
    expect(verdict(0x85)).toEqual(['GOOD', undefined])
    expect(verdict(0x86)).toEqual(['BAD', ['RESULT_MISSING_COLUMNS']])
    expect(verdict(0x87)).toEqual(['NEEDS_REVIEW', ['EMPTY_GOOD_SQL']])

    const good = details[hexId(0x81)] as Record<string, unknown>
    expect(good).toMatchObject({
      result_id: results[0]?.['result_id'],
      space_id: spaceId,
      benchmark_question_id: hexId(0x81),
      eval_run_status: 'DONE',
      manual_assessment: false,
      expected_response: [{ response: BENCHMARKS[0]?.sql, response_type: 'SQL', sql_execution_result: { status: { state: 'SUCCEEDED' } } }],
      actual_response: [{ response: REVENUE_SQL, response_type: 'SQL', sql_execution_result: { status: { state: 'SUCCEEDED' } } }]
    })
    const text = details[hexId(0x84)] as Record<string, Record<string, unknown>[]>
    expect(text['actual_response']).toEqual([{ response: expect.stringContaining('clarify'), response_type: 'TEXT' }])
    const single = details[hexId(0x83)] as Record<string, Record<string, Record<string, unknown>>[]>
    expect(single['actual_response']?.[0]?.['response']).toBe(CANCELLED_SQL)
  })

  test('a better space scores better', async () => {
    const { api } = await start({ faults: { ...EVAL_TIMINGS, evalLatencyMs: 0 }, clock: manualClock().now })
    const score = async (doc: Record<string, unknown>): Promise<number> => {
      const spaceId = await createSalesSpace(api, doc)
      const run = await api.post(`${SPACES}/${spaceId}/eval-runs`, {})
      expect(run.body.eval_run_status).toBe('DONE')
      return run.body.num_correct as number
    }
    const before = await score(salesDoc({ benchmarks: BENCHMARKS }))
    const after = await score(
      salesDoc({
        benchmarks: BENCHMARKS,
        extraExamples: [{ id: hexId(0x17), question: ['Which country has the most enterprise customers?'], sql: lines(ENTERPRISE_SQL) }]
      })
    )
    expect(before).toBe(2)
    expect(after).toBe(3)
  })

  test('a subset of questions, the runs list (newest first), errors', async () => {
    const clock = manualClock()
    const { api } = await start({ clock: clock.now, faults: EVAL_TIMINGS })
    const spaceId = await createSalesSpace(api, salesDoc({ benchmarks: BENCHMARKS }))
    const first = await api.post(`${SPACES}/${spaceId}/eval-runs`, { benchmark_question_ids: [hexId(0x85), hexId(0x83)] })
    expect(first.body.num_questions).toBe(2)
    clock.advance(10)
    const second = await api.post(`${SPACES}/${spaceId}/eval-runs`)
    expect(second.body.num_questions).toBe(7)
    clock.advance(3000)
    const results = await allResults(api, spaceId, first.body.eval_run_id, 10)
    // In the space's order.
    expect(results.map((r) => r['benchmark_question_id'])).toEqual([hexId(0x83), hexId(0x85)])

    const list = await api.get(`${SPACES}/${spaceId}/eval-runs`)
    assertShape(list.body, 'GenieListEvalRunsResponse')
    expect(list.body.eval_runs.map((r: Record<string, unknown>) => r['eval_run_id'])).toEqual([second.body.eval_run_id, first.body.eval_run_id])
    expect(list.body.eval_runs[1]).toMatchObject({ eval_run_status: 'DONE', num_done: 2, num_correct: 1 })
    const paged = await api.get(`${SPACES}/${spaceId}/eval-runs?page_size=1`)
    expect(paged.body.eval_runs).toHaveLength(1)
    const rest = await api.get(`${SPACES}/${spaceId}/eval-runs?page_size=1&page_token=${paged.body.next_page_token}`)
    expect(rest.body.eval_runs[0].eval_run_id).toBe(first.body.eval_run_id)
    expect(rest.body.next_page_token).toBeUndefined()

    const unknown = await api.post(`${SPACES}/${spaceId}/eval-runs`, { benchmark_question_ids: [hexId(0x999)] })
    expect(unknown.status).toBe(400)
    expect(unknown.body.error_code).toBe('INVALID_PARAMETER_VALUE')
    const noBenchmarks = await createSalesSpace(api)
    expect((await api.post(`${SPACES}/${noBenchmarks}/eval-runs`, {})).status).toBe(400)
    expect((await api.get(`${SPACES}/${noBenchmarks}/eval-runs`)).body).toEqual({})
    expect((await api.get(`${SPACES}/${noBenchmarks}/eval-runs/${first.body.eval_run_id}`)).status).toBe(404)
    expect((await api.get(`${SPACES}/${spaceId}/eval-runs/${first.body.eval_run_id}/results/${hexId(5)}`)).status).toBe(404)
    expect((await api.get(`${SPACES}/${spaceId}/eval-runs/${hexId(6)}/results`)).status).toBe(404)
    expect((await api.get(`${SPACES}/${spaceId}/eval-runs?page_size=101`)).status).toBe(400)
    expect((await api.get(`${SPACES}/${spaceId}/eval-runs?page_token=garbage`)).status).toBe(400)
  })

  test('a result before its question is done has no assessment yet', async () => {
    const clock = manualClock()
    const { api } = await start({ clock: clock.now, faults: EVAL_TIMINGS })
    const spaceId = await createSalesSpace(api, salesDoc({ benchmarks: BENCHMARKS }))
    const run = await api.post(`${SPACES}/${spaceId}/eval-runs`, {})
    const results = await allResults(api, spaceId, run.body.eval_run_id, 10)
    const d = await api.get(`${SPACES}/${spaceId}/eval-runs/${run.body.eval_run_id}/results/${results[6]?.['result_id']}`)
    expect(d.body).toEqual({ result_id: results[6]?.['result_id'], space_id: spaceId, benchmark_question_id: hexId(0x87), eval_run_status: 'NOT_STARTED' })
  })
})

describe('result comparison', () => {
  const cmp = (e: (string | null)[][], a: (string | null)[][]): string[] =>
    compareResults({ columns: e[0]?.length ?? 1, rows: e }, { columns: a[0]?.length ?? 1, rows: a })

  test('order-insensitive, names ignored, columns matched by content, numeric tolerance 1e-6 relative', () => {
    expect(
      cmp(
        [
          ['a', '1'],
          ['b', '2']
        ],
        [
          ['b', '2'],
          ['a', '1']
        ]
      )
    ).toEqual([])
    expect(
      cmp(
        [
          ['a', '1'],
          ['b', '2']
        ],
        [
          ['2', 'b'],
          ['1', 'a']
        ]
      )
    ).toEqual([])
    expect(cmp([['1000000']], [['1000000.9']])).toEqual([])
    expect(cmp([['1000000']], [['1000002']])).toEqual(['SINGLE_CELL_DIFFERENCE'])
    expect(cmp([['0.1', null]], [['0.10000000001', null]])).toEqual([])
    expect(cmp([['2024-05-01']], [['2024-05-01T00:00:00.000Z']])).toEqual([])
  })

  test('reasons', () => {
    expect(cmp([['a'], ['b']], [['a']])).toEqual(['RESULT_MISSING_ROWS'])
    expect(cmp([['a']], [['a'], ['b']])).toEqual(['RESULT_EXTRA_ROWS'])
    expect(cmp([['a'], ['b']], [['a'], ['c']])).toEqual(['RESULT_MISSING_ROWS', 'RESULT_EXTRA_ROWS'])
    expect(cmp([['a'], ['a']], [['a'], ['b']])).toEqual(['RESULT_MISSING_ROWS', 'RESULT_EXTRA_ROWS'])
    expect(cmp([['a', '1']], [['a']])).toEqual(['RESULT_MISSING_COLUMNS'])
    expect(cmp([['a']], [['a', '1']])).toEqual(['RESULT_EXTRA_COLUMNS'])
    expect(compareResults({ columns: 1, rows: [['a']] }, { columns: 1, rows: [] })).toEqual(['EMPTY_RESULT'])
  })
})
