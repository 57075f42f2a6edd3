import type { Client } from './helpers.js'
import {
  assertShape,
  CANCELLED_SQL,
  createSalesSpace,
  hexId,
  lines,
  manualClock,
  salesDoc,
  SPACES,
  sql,
  start,
  stopAll,
  TOP_CUSTOMERS_SQL,
  waitForMessage
} from './genie-helpers.js'

afterEach(stopAll)

const TIMINGS = { genieLatencyMs: 1000, genieLatencyJitterMs: 0, statementLatencyMs: 0, evalLatencyMs: 0 }

async function ask(api: Client, spaceId: string, content: string): Promise<{ cid: string; mid: string; body: Record<string, unknown> }> {
  const r = await api.post(`${SPACES}/${spaceId}/start-conversation`, { content })
  expect(r.status).toBe(200)
  assertShape(r.body, 'GenieStartConversationResponse')
  return { cid: r.body.conversation_id, mid: r.body.message_id, body: r.body }
}

function messagePath(spaceId: string, cid: string, mid: string): string {
  return `${SPACES}/${spaceId}/conversations/${cid}/messages/${mid}`
}

describe('conversation state machine', () => {
  test('SUBMITTED → FETCHING_METADATA → ASKING_AI → EXECUTING_QUERY → COMPLETED with the example SQL, defaults substituted', async () => {
    const clock = manualClock()
    const t0 = clock.now()
    const { api } = await start({ clock: clock.now, faults: TIMINGS })
    const spaceId = await createSalesSpace(api)
    const { cid, mid, body } = await ask(api, spaceId, 'Top customers in a country')

    expect(body.conversation).toEqual({
      conversation_id: cid,
      id: cid,
      space_id: spaceId,
      title: 'Top customers in a country',
      created_timestamp: t0,
      last_updated_timestamp: t0,
      user_id: expect.any(Number)
    })
    expect(body.message).toEqual({
      message_id: mid,
      id: mid,
      conversation_id: cid,
      space_id: spaceId,
      content: 'Top customers in a country',
      status: 'SUBMITTED',
      created_timestamp: t0,
      last_updated_timestamp: t0,
      user_id: expect.any(Number)
    })
    expect(cid).toMatch(/^[0-9a-f]{32}$/)

    const poll = async (): Promise<Record<string, unknown>> => {
      const r = await api.get(messagePath(spaceId, cid, mid))
      expect(r.status).toBe(200)
      assertShape(r.body, 'GenieMessage')
      return r.body
    }
    const statuses: string[] = []
    for (const step of [0, 50, 150, 450, 350]) {
      clock.advance(step)
      statuses.push((await poll())['status'] as string)
    }
    expect(statuses).toEqual(['SUBMITTED', 'FETCHING_METADATA', 'ASKING_AI', 'EXECUTING_QUERY', 'COMPLETED'])

    const expectedSql = TOP_CUSTOMERS_SQL.replace(':country', "'DE'")
    clock.set(t0 + 700)
    const executing = await poll()
    const attachments = executing['attachments'] as Record<string, Record<string, unknown>>[]
    expect(attachments).toHaveLength(1)
    expect(attachments[0]?.['query']).toMatchObject({ query: expectedSql, statement_id: expect.any(String) })
    expect(attachments[0]?.['query']?.['query_result_metadata']).toBeUndefined()

    clock.set(t0 + 1000)
    const done = await poll()
    expect(done['last_updated_timestamp']).toBe(t0 + 1000)
    const [query, suggestions, summary] = done['attachments'] as Record<string, Record<string, unknown>>[]
    expect(query?.['attachment_id']).toEqual(attachments[0]?.['attachment_id'])
    expect(query?.['query']).toEqual({
      query: expectedSql,
      title: 'Top customers in a country',
      description: expect.any(String),
      statement_id: attachments[0]?.['query']?.['statement_id'],
      thoughts: [
        { thought_type: 'THOUGHT_TYPE_DESCRIPTION', content: expect.any(String) },
        { thought_type: 'THOUGHT_TYPE_DATA_SOURCING', content: '- shop_dev.sales.customers\n- shop_dev.sales.orders' }
      ],
      query_result_metadata: { row_count: expect.any(Number) }
    })
    expect(suggestions).toEqual({
      attachment_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      suggested_questions: { questions: ['What was revenue last month?', 'Which product categories grew fastest this quarter?'] }
    })
    // The summary text has no attachment_id, as in the real capture.
    expect(summary).toEqual({ text: { content: expect.stringContaining('rows') } })
    expect(done['query_result']).toEqual({ statement_id: query?.['query']?.['statement_id'], row_count: expect.any(Number) })

    // query-result: the rows of the substituted SQL.
    const qr = await api.get(`${messagePath(spaceId, cid, mid)}/attachments/${query?.['attachment_id']}/query-result`)
    expect(qr.status).toBe(200)
    assertShape(qr.body, 'GenieGetMessageQueryResultResponse')
    const direct = await sql(api, expectedSql)
    expect(qr.body.statement_response.status).toEqual({ state: 'SUCCEEDED' })
    expect(qr.body.statement_response.result.data_array).toEqual(direct.body.result.data_array)
    expect(qr.body.statement_response.result.data_array.length).toBe(
      (query!['query'] as Record<string, Record<string, number>>)['query_result_metadata']?.['row_count']
    )
    expect(qr.body.statement_response.manifest.schema.columns.map((c: { name: string }) => c.name)).toEqual(['name', 'revenue'])
    // The statement behind the attachment is a real statement.
    const statement = await api.get(`/api/2.0/sql/statements/${qr.body.statement_response.statement_id}`)
    expect(statement.body).toEqual(qr.body.statement_response)
  })

  test('real time with a small latency: poll until COMPLETED', async () => {
    const { api } = await start()
    const spaceId = await createSalesSpace(api)
    const { cid, mid } = await ask(api, spaceId, 'How many orders were cancelled?')
    const done = await waitForMessage(api, spaceId, cid, mid)
    assertShape(done.body, 'GenieMessage')
    expect(done.body.status).toBe('COMPLETED')
    expect(done.body.attachments[0].query.query).toBe(CANCELLED_SQL)
    expect(done.body.last_updated_timestamp).toBeGreaterThanOrEqual(done.body.created_timestamp)
    expect(String(done.body.created_timestamp)).toMatch(/^\d{13}$/)
  })

  test('matching: exact after normalisation, then token overlap above the threshold; otherwise a clarifying question', async () => {
    const clock = manualClock()
    const { api } = await start({ clock: clock.now, faults: TIMINGS })
    const spaceId = await createSalesSpace(api)
    const asked = [
      ['HOW many orders were CANCELLED', CANCELLED_SQL],
      ['Show me the top customers by revenue in a country', TOP_CUSTOMERS_SQL.replace(':country', "'DE'")],
      ['cancelled orders: how many?', CANCELLED_SQL]
    ] as const
    const ids = []
    for (const [question] of asked) ids.push(await ask(api, spaceId, question))
    const unclear = await ask(api, spaceId, 'What is the weather in Paris tomorrow?')
    clock.advance(1000)
    for (const [i, [, expected]] of asked.entries()) {
      const m = (await api.get(messagePath(spaceId, ids[i]?.cid ?? '', ids[i]?.mid ?? ''))).body
      expect(m.status).toBe('COMPLETED')
      expect(m.attachments[0].query.query).toBe(expected)
    }
    const text = (await api.get(messagePath(spaceId, unclear.cid, unclear.mid))).body
    assertShape(text, 'GenieMessage')
    expect(text.status).toBe('COMPLETED')
    expect(text.query_result).toBeUndefined()
    expect(text.attachments[0]).toEqual({
      attachment_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      text: { content: expect.stringContaining('clarify'), purpose: 'FOLLOW_UP_QUESTION' }
    })
    expect(text.attachments.some((a: Record<string, unknown>) => 'query' in a)).toBe(false)
    // query-result on a text attachment is refused.
    const qr = await api.get(`${messagePath(spaceId, unclear.cid, unclear.mid)}/attachments/${text.attachments[0].attachment_id}/query-result`)
    expect(qr.status).toBe(400)
  })

  test('the answer comes from the space itself: without examples there is nothing to answer with', async () => {
    const clock = manualClock()
    const { api } = await start({ clock: clock.now, faults: TIMINGS })
    const doc = salesDoc({ benchmarks: [{ id: hexId(0x99), question: 'How many orders were cancelled?', sql: CANCELLED_SQL }] })
    const instructions = doc['instructions'] as Record<string, unknown>
    delete instructions['example_question_sqls']
    const spaceId = await createSalesSpace(api, doc)
    // The benchmark has this exact question and answer; Genie must not see it.
    const { cid, mid } = await ask(api, spaceId, 'How many orders were cancelled?')
    clock.advance(1000)
    const m = (await api.get(messagePath(spaceId, cid, mid))).body
    expect(m.attachments[0].text.purpose).toBe('FOLLOW_UP_QUESTION')
  })

  test('a parameter without a default value makes Genie ask for it', async () => {
    const clock = manualClock()
    const { api } = await start({ clock: clock.now, faults: TIMINGS })
    const doc = salesDoc({
      extraExamples: [
        {
          id: hexId(0x15),
          question: ['Orders of one customer'],
          sql: ['SELECT * FROM shop_dev.sales.orders WHERE customer_id = :customer'],
          parameters: [{ name: 'customer', type_hint: 'INT' }]
        }
      ]
    })
    const spaceId = await createSalesSpace(api, doc)
    const { cid, mid } = await ask(api, spaceId, 'Orders of one customer')
    clock.advance(1000)
    const m = (await api.get(messagePath(spaceId, cid, mid))).body
    expect(m.attachments[0].text).toEqual({ content: expect.stringContaining('customer'), purpose: 'FOLLOW_UP_QUESTION' })
  })

  test('a failing example SQL ends FAILED with SQL_EXECUTION_EXCEPTION', async () => {
    const clock = manualClock()
    const { api } = await start({ clock: clock.now, faults: TIMINGS })
    const doc = salesDoc({ extraExamples: [{ id: hexId(0x16), question: ['Broken question'], sql: lines('SELECT x FROM shop_dev.sales.nothing_here') }] })
    const spaceId = await createSalesSpace(api, doc)
    const { cid, mid } = await ask(api, spaceId, 'Broken question')
    clock.advance(1000)
    const m = (await api.get(messagePath(spaceId, cid, mid))).body
    assertShape(m, 'GenieMessage')
    expect(m.status).toBe('FAILED')
    expect(m.error).toEqual({ error: expect.stringContaining('nothing_here'), type: 'SQL_EXECUTION_EXCEPTION' })
    expect(m.attachments).toHaveLength(1)
    expect(m.attachments[0].query.query).toBe('SELECT x FROM shop_dev.sales.nothing_here')
    const qr = await api.get(`${messagePath(spaceId, cid, mid)}/attachments/${m.attachments[0].attachment_id}/query-result`)
    expect(qr.body.statement_response.status.state).toBe('FAILED')
  })

  test('follow-up messages and the message list', async () => {
    const clock = manualClock()
    const { api } = await start({ clock: clock.now, faults: TIMINGS })
    const spaceId = await createSalesSpace(api)
    const { cid } = await ask(api, spaceId, 'How many orders were cancelled?')
    clock.advance(500)
    const follow = await api.post(`${SPACES}/${spaceId}/conversations/${cid}/messages`, { content: 'Top customers in a country' })
    expect(follow.status).toBe(200)
    assertShape(follow.body, 'GenieMessage')
    expect(follow.body).toMatchObject({ conversation_id: cid, status: 'SUBMITTED', content: 'Top customers in a country' })
    clock.advance(1000)
    const list = await api.get(`${SPACES}/${spaceId}/conversations/${cid}/messages`)
    expect(list.status).toBe(200)
    expect(list.body.messages.map((m: Record<string, unknown>) => [m['content'], m['status']])).toEqual([
      ['How many orders were cancelled?', 'COMPLETED'],
      ['Top customers in a country', 'COMPLETED']
    ])
  })

  test('not found and bad requests', async () => {
    const { api } = await start()
    const spaceId = await createSalesSpace(api)
    const other = await createSalesSpace(api)
    const { cid, mid } = await ask(api, spaceId, 'How many orders were cancelled?')
    expect((await api.post(`${SPACES}/${hexId(0xdead)}/start-conversation`, { content: 'x' })).status).toBe(404)
    expect((await api.post(`${SPACES}/${spaceId}/start-conversation`, {})).body).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: 'Missing required field: content'
    })
    expect((await api.post(`${SPACES}/${spaceId}/start-conversation`, { content: 5 })).status).toBe(400)
    expect((await api.get(messagePath(other, cid, mid))).status).toBe(404)
    expect((await api.get(messagePath(spaceId, cid, hexId(1)))).body.error_code).toBe('RESOURCE_DOES_NOT_EXIST')
    expect((await api.get(`${messagePath(spaceId, cid, mid)}/attachments/${hexId(2)}/query-result`)).status).toBe(404)
    expect((await api.post(`${SPACES}/${spaceId}/conversations/${hexId(3)}/messages`, { content: 'x' })).status).toBe(404)
    // A trashed space takes its conversations with it.
    await api.del(`${SPACES}/${spaceId}`)
    expect((await api.get(messagePath(spaceId, cid, mid))).status).toBe(404)
  })
})

describe('conversation faults', () => {
  test('genieFailRate: FAILED with UNEXPECTED_REPLY_PROCESS_EXCEPTION', async () => {
    const clock = manualClock()
    const { api } = await start({ clock: clock.now, faults: { ...TIMINGS, genieFailRate: 1 } })
    const spaceId = await createSalesSpace(api)
    const { cid, mid } = await ask(api, spaceId, 'How many orders were cancelled?')
    clock.advance(700)
    expect((await api.get(messagePath(spaceId, cid, mid))).body.status).toBe('ASKING_AI')
    clock.advance(300)
    const m = (await api.get(messagePath(spaceId, cid, mid))).body
    assertShape(m, 'GenieMessage')
    expect(m.status).toBe('FAILED')
    expect(m.error).toEqual({ error: expect.any(String), type: 'UNEXPECTED_REPLY_PROCESS_EXCEPTION' })
    expect(m.attachments).toBeUndefined()
  })

  test('genieCancelRate: CANCELLED', async () => {
    const clock = manualClock()
    const { api } = await start({ clock: clock.now, faults: { ...TIMINGS, genieCancelRate: 1 } })
    const spaceId = await createSalesSpace(api)
    const { cid, mid } = await ask(api, spaceId, 'How many orders were cancelled?')
    clock.advance(1000)
    const m = (await api.get(messagePath(spaceId, cid, mid))).body
    expect(m.status).toBe('CANCELLED')
    expect(m.error).toBeUndefined()
    expect(m.attachments).toBeUndefined()
  })

  test('queryResultExpiredRate: QUERY_RESULT_EXPIRED, query-result CLOSED until execute-query', async () => {
    const clock = manualClock()
    const { api } = await start({ clock: clock.now, faults: { ...TIMINGS, queryResultExpiredRate: 1 } })
    const spaceId = await createSalesSpace(api)
    const { cid, mid } = await ask(api, spaceId, 'How many orders were cancelled?')
    clock.advance(1000)
    const expired = (await api.get(messagePath(spaceId, cid, mid))).body
    assertShape(expired, 'GenieMessage')
    expect(expired.status).toBe('QUERY_RESULT_EXPIRED')
    const attachmentId = expired.attachments[0].attachment_id as string
    const oldStatement = expired.attachments[0].query.statement_id as string
    const resultPath = `${messagePath(spaceId, cid, mid)}/attachments/${attachmentId}/query-result`
    const closed = await api.get(resultPath)
    expect(closed.status).toBe(200)
    expect(closed.body).toEqual({ statement_response: { statement_id: oldStatement, status: { state: 'CLOSED' } } })
    expect((await api.get(`/api/2.0/sql/statements/${oldStatement}`)).body.status.state).toBe('CLOSED')

    clock.advance(5000)
    const rerun = await api.post(`${messagePath(spaceId, cid, mid)}/attachments/${attachmentId}/execute-query`)
    expect(rerun.status).toBe(200)
    assertShape(rerun.body, 'GenieGetMessageQueryResultResponse')
    expect(rerun.body.statement_response.status.state).toBe('SUCCEEDED')
    expect(rerun.body.statement_response.statement_id).not.toBe(oldStatement)
    const direct = await sql(api, CANCELLED_SQL)
    expect(rerun.body.statement_response.result.data_array).toEqual(direct.body.result.data_array)

    const after = (await api.get(messagePath(spaceId, cid, mid))).body
    expect(after.status).toBe('COMPLETED')
    expect(after.last_updated_timestamp).toBe(clock.now())
    expect(after.attachments[0].query.statement_id).toBe(rerun.body.statement_response.statement_id)
    expect((await api.get(resultPath)).body.statement_response.status.state).toBe('SUCCEEDED')
  })

  test('execute-query before the message is final is refused', async () => {
    const clock = manualClock()
    const { api } = await start({ clock: clock.now, faults: TIMINGS })
    const spaceId = await createSalesSpace(api)
    const { cid, mid } = await ask(api, spaceId, 'How many orders were cancelled?')
    clock.advance(700)
    const m = (await api.get(messagePath(spaceId, cid, mid))).body
    expect(m.status).toBe('EXECUTING_QUERY')
    const running = await api.get(`${messagePath(spaceId, cid, mid)}/attachments/${m.attachments[0].attachment_id}/query-result`)
    expect(running.body.statement_response.status.state).toBe('RUNNING')
    const r = await api.post(`${messagePath(spaceId, cid, mid)}/attachments/${m.attachments[0].attachment_id}/execute-query`)
    expect(r.status).toBe(400)
  })

  test('fault draws are seeded: the same seed gives the same outcomes; latency has seeded jitter', async () => {
    const run = async (seed: number): Promise<string[]> => {
      const clock = manualClock()
      const { api } = await start({
        seed,
        clock: clock.now,
        questionsPerMinute: 0,
        faults: { genieLatencyMs: 100, genieLatencyJitterMs: 900, statementLatencyMs: 0, genieFailRate: 0.3, genieCancelRate: 0.3, queryResultExpiredRate: 0.3 }
      })
      const spaceId = await createSalesSpace(api)
      const asked = []
      for (let i = 0; i < 12; i++) asked.push(await ask(api, spaceId, 'How many orders were cancelled?'))
      const out: string[] = []
      for (let step = 0; step < 12; step++) {
        clock.advance(100)
        for (const { cid, mid } of asked) out.push((await api.get(messagePath(spaceId, cid, mid))).body.status)
      }
      return out
    }
    const a = await run(5)
    expect(await run(5)).toEqual(a)
    expect(await run(6)).not.toEqual(a)
    const finals = a.slice(-12)
    expect(new Set(finals).size).toBeGreaterThan(1)
    // With jitter, not all messages finish at the same time.
    expect(a.slice(0, 12 * 5).filter((s) => s === 'COMPLETED').length).toBeLessThan(12 * 5)
  })
})

describe('request log', () => {
  test('conversation calls are logged with their ops, never with the question', async () => {
    const { emu, api } = await start()
    const spaceId = await createSalesSpace(api)
    const { cid, mid } = await ask(api, spaceId, 'Top customers in a secret country')
    await api.get(messagePath(spaceId, cid, mid))
    expect(emu.state.requests.map((e) => [e.method, e.op, e.status])).toEqual([
      ['POST', 'create', 200],
      ['POST', 'start-conversation', 200],
      ['GET', 'get-message', 200]
    ])
    expect(JSON.stringify(emu.state.requests)).not.toContain('secret')
  })
})
