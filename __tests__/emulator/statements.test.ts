import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { assertShape, manualClock, sql, start, stopAll, STATEMENTS } from './genie-helpers.js'

afterEach(stopAll)

function responseFixture(name: string): unknown {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/responses/${name}`, import.meta.url)), 'utf8'))
}

describe('Statement Execution API', () => {
  test('the shape checker accepts the real captures', () => {
    assertShape(responseFixture('sql_statements_post_inline_json_array_real.json'), 'StatementResponse')
    const wrapper = responseFixture('message_and_statement_response_real_wrapper.json') as Record<string, unknown>
    assertShape({ statement_response: wrapper['query_result'] }, 'GenieGetMessageQueryResultResponse')
    assertShape(responseFixture('get_message_real_completed_query_text_suggested.json'), 'GenieMessage')
    expect(() => assertShape({ statement_id: 'x', status: { state: 'DONE' } }, 'StatementResponse')).toThrow(/bad state/)
    expect(() => assertShape({ statement_id: 'x', colour: 1 }, 'StatementResponse')).toThrow(/unknown key 'colour'/)
  })

  test('synchronous: the default wait returns SUCCEEDED with manifest and inline JSON_ARRAY result', async () => {
    const { api } = await start({ faults: { statementLatencyMs: 30 } })
    const r = await api.post(STATEMENTS, {
      warehouse_id: 'wh-1',
      statement: "SELECT status, count(*) AS n FROM shop_dev.sales.orders WHERE status IN ('CANCELLED', 'RETURNED') GROUP BY status ORDER BY status",
      disposition: 'INLINE',
      format: 'JSON_ARRAY'
    })
    expect(r.status).toBe(200)
    assertShape(r.body, 'StatementResponse')
    expect(r.body.statement_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    expect(r.body.status).toEqual({ state: 'SUCCEEDED' })
    expect(r.body.manifest).toEqual({
      format: 'JSON_ARRAY',
      schema: {
        column_count: 2,
        columns: [
          { name: 'status', position: 0, type_name: 'STRING', type_text: 'STRING' },
          { name: 'n', position: 1, type_name: 'LONG', type_text: 'BIGINT' }
        ]
      },
      total_chunk_count: 1,
      chunks: [{ chunk_index: 0, row_offset: 0, row_count: 2 }],
      total_row_count: 2,
      truncated: false
    })
    expect(r.body.result).toEqual({
      chunk_index: 0,
      row_offset: 0,
      row_count: 2,
      data_array: [
        ['CANCELLED', expect.any(String)],
        ['RETURNED', expect.any(String)]
      ]
    })

    // GET returns the same; the chunk endpoint returns the result data.
    const got = await api.get(`${STATEMENTS}/${r.body.statement_id}`)
    expect(got.body).toEqual(r.body)
    const chunk = await api.get(`${STATEMENTS}/${r.body.statement_id}/result/chunks/0`)
    expect(chunk.body).toEqual(r.body.result)
  })

  test('asynchronous: wait_timeout 0s answers PENDING, then polling sees RUNNING and SUCCEEDED (emulator clock)', async () => {
    const clock = manualClock()
    const { api } = await start({ clock: clock.now, faults: { statementLatencyMs: 1000 } })
    const r = await sql(api, 'SELECT count(*) FROM samples.nyctaxi.trips', { wait_timeout: '0s' })
    expect(r.status).toBe(200)
    expect(r.body).toEqual({ statement_id: expect.any(String), status: { state: 'PENDING' } })
    const id = r.body.statement_id as string
    clock.advance(299)
    expect((await api.get(`${STATEMENTS}/${id}`)).body.status).toEqual({ state: 'PENDING' })
    clock.advance(1)
    expect((await api.get(`${STATEMENTS}/${id}`)).body).toEqual({ statement_id: id, status: { state: 'RUNNING' } })
    clock.advance(700)
    const done = await api.get(`${STATEMENTS}/${id}`)
    assertShape(done.body, 'StatementResponse')
    expect(done.body.status.state).toBe('SUCCEEDED')
    expect(done.body.result.data_array).toEqual([['300']])
  })

  test('asynchronous in real time: poll until SUCCEEDED', async () => {
    const { api } = await start({ faults: { statementLatencyMs: 60 } })
    const r = await sql(api, 'SELECT 42 AS answer', { wait_timeout: '0s' })
    expect(['PENDING', 'RUNNING']).toContain(r.body.status.state)
    const seen = new Set<string>()
    let body = r.body
    while (body.status.state === 'PENDING' || body.status.state === 'RUNNING') {
      seen.add(body.status.state)
      await new Promise((resolve) => setTimeout(resolve, 10))
      body = (await api.get(`${STATEMENTS}/${r.body.statement_id}`)).body
    }
    expect(body.status.state).toBe('SUCCEEDED')
    expect(body.result.data_array).toEqual([['42']])
    expect(seen.has('PENDING') || seen.has('RUNNING')).toBe(true)
  })

  test('a SQL error answers HTTP 200 with state FAILED and the message', async () => {
    const { api } = await start()
    const r = await sql(api, 'SELECT nope FROM shop_dev.sales.missing_table')
    expect(r.status).toBe(200)
    assertShape(r.body, 'StatementResponse')
    expect(r.body).toEqual({
      statement_id: expect.any(String),
      status: {
        state: 'FAILED',
        error: { error_code: 'BAD_REQUEST', message: expect.stringContaining('missing_table') },
        sql_state: expect.any(String)
      }
    })
    const syntax = await sql(api, 'SELECT FROM WHERE')
    expect(syntax.body.status.state).toBe('FAILED')
    expect(syntax.body.status.error.message).toMatch(/syntax/i)
    const write = await sql(api, "INSERT INTO shop_dev.sales.products VALUES (99, 'x', 'y', 1)")
    expect(write.body.status).toMatchObject({ state: 'FAILED', error: { message: expect.stringContaining('read-only') } })
    const two = await sql(api, 'SELECT 1; SELECT 2')
    expect(two.body.status.state).toBe('FAILED')
    // The result of a failed statement cannot be fetched.
    expect((await api.get(`${STATEMENTS}/${r.body.statement_id}/result/chunks/0`)).status).toBe(400)
  })

  test('named parameters, row_limit and an empty result', async () => {
    const { api } = await start()
    const r = await sql(api, 'SELECT count(*) AS n FROM shop_dev.sales.customers WHERE country = :country AND customer_id > :min_id', {
      parameters: [
        { name: 'country', value: 'DE', type: 'STRING' },
        { name: 'min_id', value: '0', type: 'INT' }
      ]
    })
    const direct = await sql(api, "SELECT count(*) FROM shop_dev.sales.customers WHERE country = 'DE'")
    expect(r.body.result.data_array).toEqual(direct.body.result.data_array)
    expect(Number(r.body.result.data_array[0][0])).toBeGreaterThan(0)

    const unbound = await sql(api, 'SELECT :x')
    expect(unbound.body.status).toMatchObject({ state: 'FAILED', error: { message: expect.stringContaining('UNBOUND_SQL_PARAMETER') } })

    const limited = await sql(api, 'SELECT order_id FROM shop_dev.sales.orders ORDER BY order_id', { row_limit: 3 })
    expect(limited.body.result.data_array).toEqual([['1'], ['2'], ['3']])
    expect(limited.body.manifest).toMatchObject({ total_row_count: 3, truncated: true })

    const empty = await sql(api, 'SELECT order_id FROM shop_dev.sales.orders WHERE order_id < 0')
    assertShape(empty.body, 'StatementResponse')
    expect(empty.body.manifest).toEqual({
      format: 'JSON_ARRAY',
      schema: { column_count: 1, columns: [{ name: 'order_id', position: 0, type_name: 'INT', type_text: 'INT' }] },
      total_chunk_count: 0,
      total_row_count: 0,
      truncated: false
    })
    expect(empty.body.result).toEqual({})
  })

  test('cancel', async () => {
    const clock = manualClock()
    const { api } = await start({ clock: clock.now, faults: { statementLatencyMs: 5000 } })
    const r = await sql(api, 'SELECT 1', { wait_timeout: '0s' })
    const id = r.body.statement_id as string
    const c = await api.post(`${STATEMENTS}/${id}/cancel`)
    expect(c.status).toBe(200)
    expect(c.body).toEqual({})
    clock.advance(10_000)
    expect((await api.get(`${STATEMENTS}/${id}`)).body).toEqual({ statement_id: id, status: { state: 'CANCELED' } })

    // Cancelling a finished statement changes nothing.
    const done = await sql(api, 'SELECT 1', { wait_timeout: '0s' })
    clock.advance(5000)
    await api.post(`${STATEMENTS}/${done.body.statement_id}/cancel`)
    expect((await api.get(`${STATEMENTS}/${done.body.statement_id}`)).body.status.state).toBe('SUCCEEDED')
  })

  test('bad requests and unknown statements', async () => {
    const { api } = await start()
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ statement: 'SELECT 1' }, /warehouse_id/],
      [{ warehouse_id: 'w' }, /statement/],
      [{ warehouse_id: 'w', statement: 'SELECT 1', wait_timeout: '3s' }, /wait_timeout/],
      [{ warehouse_id: 'w', statement: 'SELECT 1', wait_timeout: '51s' }, /wait_timeout/],
      [{ warehouse_id: 'w', statement: 'SELECT 1', on_wait_timeout: 'LATER' }, /on_wait_timeout/],
      [{ warehouse_id: 'w', statement: 'SELECT 1', disposition: 'EXTERNAL_LINKS' }, /INLINE/],
      [{ warehouse_id: 'w', statement: 'SELECT 1', format: 'ARROW_STREAM' }, /JSON_ARRAY/],
      [{ warehouse_id: 'w', statement: 'SELECT 1', row_limit: -1 }, /row_limit/],
      [{ warehouse_id: 'w', statement: 'SELECT 1', parameters: [{ value: 'x' }] }, /name/]
    ]
    for (const [body, message] of cases) {
      const r = await api.post(STATEMENTS, body)
      expect(r.status).toBe(400)
      expect(r.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(message) })
    }
    const missing = await api.get(`${STATEMENTS}/00000000-0000-0000-0000-000000000000`)
    expect(missing.status).toBe(404)
    expect(missing.body.error_code).toBe('NOT_FOUND')
    expect((await api.post(`${STATEMENTS}/nope/cancel`)).status).toBe(404)
  })

  test('the request log records statement calls without bodies', async () => {
    const { emu, api } = await start()
    const r = await sql(api, "SELECT 'very secret literal'")
    await api.get(`${STATEMENTS}/${r.body.statement_id}`)
    expect(emu.state.requests).toEqual([
      { method: 'POST', path: STATEMENTS, query: '', status: 200, op: 'statement-execute' },
      { method: 'GET', path: `${STATEMENTS}/${r.body.statement_id}`, query: '', status: 200, op: 'statement-get' }
    ])
    expect(JSON.stringify(emu.state.requests)).not.toContain('secret')
  })
})
