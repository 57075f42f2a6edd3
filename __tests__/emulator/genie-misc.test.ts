import { answerQuestion, jaccard, knowledgeFromDocument, normaliseQuestion, substituteDefaults } from '../../src/emulator/genie/answer.js'
import type { Client } from './helpers.js'
import { CANCELLED_SQL, createSalesSpace, hexId, manualClock, salesDoc, SPACES, start, stopAll, STATEMENTS } from './genie-helpers.js'

afterEach(stopAll)

describe('answer engine', () => {
  test('normalisation: lower case, punctuation, stop words, plurals', () => {
    expect(normaliseQuestion('What were the TOP 10 product categories, by revenue?!')).toEqual(['top', '10', 'product', 'category', 'revenue'])
    expect(normaliseQuestion('How many orders was there in this year’s sales?')).toEqual(['many', 'order', 'this', 'year', 'sale'])
    expect(jaccard(['a', 'b'], ['b', 'c'])).toBeCloseTo(1 / 3)
  })

  test('exact match first, then the best overlap above the threshold', () => {
    const knowledge = knowledgeFromDocument(salesDoc())
    const a = answerQuestion(knowledge, 'how many orders were CANCELLED?')
    expect(a).toMatchObject({ kind: 'query', sql: CANCELLED_SQL, score: 1 })
    // 2 of 4 tokens in common (0.5) is enough; 1 of 4 is not.
    expect(answerQuestion(knowledge, 'orders cancelled yesterday evening')).toMatchObject({ kind: 'text', reason: 'no-match' })
    expect(answerQuestion(knowledge, 'cancelled orders count')).toMatchObject({ kind: 'query', sql: CANCELLED_SQL, score: 0.5 })
    expect(answerQuestion(knowledge, 'cancelled orders count', 0.6)).toMatchObject({ kind: 'text' })
  })

  test('parameter defaults are quoted per type_hint; several values become a list', () => {
    const example = {
      id: hexId(1),
      question: 'q',
      sql: "SELECT * FROM t WHERE a = :s AND b = :n AND c = :d AND e IN (:many) AND f = ':s' AND g::int = 1",
      parameters: [
        { name: 's', type_hint: 'STRING', defaults: ["O'Brien"] },
        { name: 'n', type_hint: 'INTEGER', defaults: ['42'] },
        { name: 'd', type_hint: 'DATE', defaults: ['2024-01-31'] },
        { name: 'many', type_hint: 'STRING', defaults: ['DE', 'FR'] }
      ]
    }
    expect(substituteDefaults(example)).toEqual({
      sql: "SELECT * FROM t WHERE a = 'O\\'Brien' AND b = 42 AND c = DATE '2024-01-31' AND e IN ('DE', 'FR') AND f = ':s' AND g::int = 1"
    })
    expect(substituteDefaults({ ...example, parameters: example.parameters.slice(1) })).toEqual({ missing: 's' })
  })

  test('benchmarks are never knowledge', () => {
    const doc = salesDoc({ benchmarks: [{ id: hexId(0x90), question: 'Which country has the most enterprise customers?', sql: 'SELECT 1' }] })
    expect(answerQuestion(knowledgeFromDocument(doc), 'Which country has the most enterprise customers?').kind).toBe('text')
  })
})

async function scenario(seed: number): Promise<unknown[]> {
  const clock = manualClock()
  const { api } = await start({
    seed,
    clock: clock.now,
    questionsPerMinute: 0,
    faults: { genieLatencyMs: 200, genieLatencyJitterMs: 800, statementLatencyMs: 100, evalLatencyMs: 100, genieFailRate: 0.2, queryResultExpiredRate: 0.2 }
  })
  const seen: unknown[] = []
  const keep = async (p: Promise<{ status: number; body: unknown }>): Promise<Record<string, unknown>> => {
    const r = await p
    seen.push([r.status, r.body])
    return r.body as Record<string, unknown>
  }
  const spaceId = await createSalesSpace(api, salesDoc({ benchmarks: [{ id: hexId(0x81), question: 'How many orders were cancelled?', sql: CANCELLED_SQL }] }))
  const conversations: [string, string][] = []
  for (const q of [
    'How many orders were cancelled?',
    'Top customers in a country',
    'What is the meaning of life?',
    'How many orders were placed last month?'
  ]) {
    const s = await keep(api.post(`${SPACES}/${spaceId}/start-conversation`, { content: q }))
    conversations.push([s['conversation_id'] as string, s['message_id'] as string])
    clock.advance(37)
  }
  const run = await keep(api.post(`${SPACES}/${spaceId}/eval-runs`, {}))
  const statement = await keep(api.post(STATEMENTS, { warehouse_id: 'w', statement: 'SELECT 1', wait_timeout: '0s' }))
  for (let step = 0; step < 6; step++) {
    clock.advance(250)
    for (const [cid, mid] of conversations) await keep(api.get(`${SPACES}/${spaceId}/conversations/${cid}/messages/${mid}`))
    await keep(api.get(`${SPACES}/${spaceId}/eval-runs/${run['eval_run_id']}`))
    await keep(api.get(`${STATEMENTS}/${statement['statement_id']}`))
  }
  return seen
}

describe('determinism', () => {
  test('the same seed and the same calls give byte-identical answers; another seed other ids', async () => {
    const a = await scenario(77)
    const b = await scenario(77)
    expect(JSON.stringify(b)).toBe(JSON.stringify(a))
    const c = await scenario(78)
    expect(JSON.stringify(c)).not.toBe(JSON.stringify(a))
  })
})

describe('introspection and reset', () => {
  const genie = async (url: string): Promise<Record<string, unknown>> => (await (await fetch(`${url}/_emulator/genie`)).json()) as Record<string, unknown>

  test('GET /_emulator/genie shows conversations, eval runs and the question window; reset clears them', async () => {
    const clock = manualClock()
    const { emu, api } = await start({ clock: clock.now, faults: { genieLatencyMs: 100, genieLatencyJitterMs: 0, statementLatencyMs: 0, evalLatencyMs: 10 } })
    const before = await genie(emu.url)
    expect(before).toEqual({
      sql_engine_loaded: false,
      statements: 0,
      question_limit: { questions_per_minute: 5, used_in_window: 0 },
      conversations: [],
      eval_runs: []
    })
    const spaceId = await createSalesSpace(
      api,
      salesDoc({ benchmarks: [{ id: hexId(0x81), question: 'How many orders were cancelled?', sql: CANCELLED_SQL }] })
    )
    const started = await startAndFollowUp(api, spaceId)
    const run = await api.post(`${SPACES}/${spaceId}/eval-runs`, {})
    clock.advance(100)
    const after = await genie(emu.url)
    expect(after).toEqual({
      sql_engine_loaded: true,
      statements: 3,
      question_limit: { questions_per_minute: 5, used_in_window: 2 },
      conversations: [
        {
          conversation_id: started,
          space_id: spaceId,
          title: 'How many orders were cancelled?',
          messages: [
            { message_id: expect.any(String), content: 'How many orders were cancelled?', status: 'COMPLETED' },
            { message_id: expect.any(String), content: 'And the returned ones?', status: 'COMPLETED' }
          ]
        }
      ],
      eval_runs: [{ eval_run_id: run.body.eval_run_id, space_id: spaceId, eval_run_status: 'DONE', num_questions: 1, num_done: 1 }]
    })
    expect((await fetch(`${emu.url}/_emulator/reset`, { method: 'POST' })).status).toBe(200)
    expect(await genie(emu.url)).toMatchObject({ statements: 0, question_limit: { used_in_window: 0 }, conversations: [], eval_runs: [] })
    // Ids restart from the seed after a reset.
    const again = await createSalesSpace(api, salesDoc({ benchmarks: [{ id: hexId(0x81), question: 'How many orders were cancelled?', sql: CANCELLED_SQL }] }))
    expect(again).toBe(spaceId)
    expect(await startAndFollowUp(api, again)).toBe(started)
  })
})

async function startAndFollowUp(api: Client, spaceId: string): Promise<string> {
  const s = await api.post(`${SPACES}/${spaceId}/start-conversation`, { content: 'How many orders were cancelled?' })
  const cid = s.body.conversation_id as string
  expect((await api.post(`${SPACES}/${spaceId}/conversations/${cid}/messages`, { content: 'And the returned ones?' })).status).toBe(200)
  return cid
}
