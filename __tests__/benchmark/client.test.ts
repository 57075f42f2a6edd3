import { readFileSync } from 'node:fs'
import path from 'node:path'
import { GenieApiError, GenieClient, GenieRateLimitError, PatAuth } from '../../src/client/index.js'
import { HOST, SPACE_ID, ScriptedFetch, harness, json, rejection } from '../client/helpers.js'
import { FIXTURE_RESPONSES } from '../helpers/cli.js'

function client(fetch: ScriptedFetch) {
  const h = harness()
  return { ...h, client: new GenieClient({ host: HOST, auth: new PatAuth('dapi-benchmark-test-0001', h.secrets), ...h.transportOptions(fetch.fetch) }) }
}

const fixture = (name: string) => JSON.parse(readFileSync(path.join(FIXTURE_RESPONSES, name), 'utf8')) as unknown
const base = `${HOST}/api/2.0/genie/spaces/${SPACE_ID}`

describe('conversation, eval-run and statement calls', () => {
  test('each call hits its method and path', async () => {
    const f = new ScriptedFetch().reply(
      json(200, fixture('start_conversation_docs_example.json')),
      json(200, { message_id: 'm2', conversation_id: 'c1', status: 'SUBMITTED' }),
      json(200, fixture('get_message_real_completed_query_text_suggested.json')),
      json(200, { statement_response: fixture('sql_statements_post_inline_json_array_real.json') }),
      json(200, {}),
      json(200, { eval_run_id: 'r1', eval_run_status: 'RUNNING' }),
      json(200, { eval_run_id: 'r1', eval_run_status: 'DONE', num_done: 2 }),
      json(200, { eval_runs: [] }),
      json(200, { result_id: 'x', benchmark_question_id: 'q', assessment: 'GOOD' }),
      json(200, fixture('sql_statements_post_inline_json_array_real.json')),
      json(200, { statement_id: 's1', status: { state: 'RUNNING' } }),
      json(200, { data_array: [['1']] }),
      json(200, {})
    )
    const { client: c } = client(f)
    const started = await c.startConversation(SPACE_ID, 'How many orders?')
    expect(started.conversation_id).toBeTruthy()
    await c.createMessage(SPACE_ID, 'c1', 'And last year?')
    const msg = await c.getMessage(SPACE_ID, 'c1', 'm1')
    expect(msg.attachments[0]?.query?.query).toMatch(/^SELECT COUNT/)
    const qr = await c.getQueryResult(SPACE_ID, 'c1', 'm1', 'a1')
    expect(qr.statement_response?.result?.data_array).toHaveLength(5)
    await c.executeQuery(SPACE_ID, 'c1', 'm1', 'a1')
    await c.createEvalRun(SPACE_ID, ['q1', 'q2'])
    await c.getEvalRun(SPACE_ID, 'r1')
    await c.listEvalRuns(SPACE_ID, { pageSize: 1 })
    await c.getEvalResult(SPACE_ID, 'r1', 'x')
    const st = await c.executeStatement({ warehouse_id: 'wh', statement: 'SELECT 1', wait_timeout: '30s', format: 'JSON_ARRAY', disposition: 'INLINE' })
    expect(st.status?.state).toBe('SUCCEEDED')
    await c.getStatement('s1')
    await c.getStatementResultChunk('s1', 1)
    await c.cancelStatement('s1')
    expect(f.calls.map((x) => `${x.method} ${x.url.replace(HOST, '')}`)).toEqual([
      `POST /api/2.0/genie/spaces/${SPACE_ID}/start-conversation`,
      `POST /api/2.0/genie/spaces/${SPACE_ID}/conversations/c1/messages`,
      `GET /api/2.0/genie/spaces/${SPACE_ID}/conversations/c1/messages/m1`,
      `GET /api/2.0/genie/spaces/${SPACE_ID}/conversations/c1/messages/m1/attachments/a1/query-result`,
      `POST /api/2.0/genie/spaces/${SPACE_ID}/conversations/c1/messages/m1/attachments/a1/execute-query`,
      `POST /api/2.0/genie/spaces/${SPACE_ID}/eval-runs`,
      `GET /api/2.0/genie/spaces/${SPACE_ID}/eval-runs/r1`,
      `GET /api/2.0/genie/spaces/${SPACE_ID}/eval-runs?page_size=1`,
      `GET /api/2.0/genie/spaces/${SPACE_ID}/eval-runs/r1/results/x`,
      'POST /api/2.0/sql/statements',
      'GET /api/2.0/sql/statements/s1',
      'GET /api/2.0/sql/statements/s1/result/chunks/1',
      'POST /api/2.0/sql/statements/s1/cancel'
    ])
    expect(JSON.parse(f.calls[0]?.body ?? '')).toEqual({ content: 'How many orders?' })
    expect(JSON.parse(f.calls[5]?.body ?? '')).toEqual({ benchmark_question_ids: ['q1', 'q2'] })
    expect(JSON.parse(f.calls[9]?.body ?? '')).toEqual({
      warehouse_id: 'wh',
      statement: 'SELECT 1',
      wait_timeout: '30s',
      format: 'JSON_ARRAY',
      disposition: 'INLINE'
    })
  })

  test('listEvalResults reads every page and stops on a repeated token', async () => {
    const f = new ScriptedFetch().reply(
      json(200, { eval_results: [{ result_id: 'a', benchmark_question_id: 'q1' }], next_page_token: 't1' }),
      json(200, { eval_results: [{ result_id: 'b', benchmark_question_id: 'q2' }] })
    )
    const { client: c } = client(f)
    expect((await c.listEvalResults(SPACE_ID, 'r1')).map((r) => r.result_id)).toEqual(['a', 'b'])
    expect(f.calls[1]?.url).toBe(`${base}/eval-runs/r1/results?page_token=t1`)
    const loop = new ScriptedFetch().otherwise(json(200, { eval_results: [], next_page_token: 'same' }))
    await expect(client(loop).client.listEvalResults(SPACE_ID, 'r1')).rejects.toThrow(/repeated a page token/)
  })
})

describe('asking a question: the caller owns the pacing', () => {
  test('a 429 on start-conversation surfaces at once with the Retry-After, not retried', async () => {
    const f = new ScriptedFetch().reply(json(429, { error_code: 'RESOURCE_EXHAUSTED', message: 'Too many requests' }, { 'retry-after': '17' }))
    const { client: c, clock, logger } = client(f)
    const err = await rejection(c.startConversation(SPACE_ID, 'q'))
    expect(err).toBeInstanceOf(GenieRateLimitError)
    expect(err).toBeInstanceOf(GenieApiError)
    expect(err).toMatchObject({ status: 429, retryAfterMs: 17_000 })
    expect(err.message).toBe(`start conversation ${SPACE_ID} failed: HTTP 429: too many requests (Retry-After 17 s)`)
    expect(f.calls).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
    // the transport's "retrying in" line is not shown as info: the runner says what it does
    expect(logger.lines.filter((l) => l.level === 'info')).toEqual([])
  })

  test('without Retry-After, retryAfterMs is undefined; createMessage behaves the same', async () => {
    const f = new ScriptedFetch().reply(json(429, { error_code: 'RESOURCE_EXHAUSTED', message: 'slow down' }))
    const { client: c } = client(f)
    const err = await rejection(c.createMessage(SPACE_ID, 'c1', 'q'))
    expect(err).toBeInstanceOf(GenieRateLimitError)
    expect((err as GenieRateLimitError).retryAfterMs).toBeUndefined()
    expect(f.calls).toHaveLength(1)
  })

  test('a 5xx on the asking POST is not retried and is ambiguous', async () => {
    const f = new ScriptedFetch().reply(json(503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy' }))
    const err = await rejection(client(f).client.startConversation(SPACE_ID, 'q'))
    expect(err).toMatchObject({ status: 503, ambiguous: true })
    expect(err).not.toBeInstanceOf(GenieRateLimitError)
  })

  test('polling keeps the transport policy: a 429 on getMessage is retried', async () => {
    const f = new ScriptedFetch().reply(json(429, {}, { 'retry-after': '2' }), json(200, { message_id: 'm1', conversation_id: 'c1', status: 'COMPLETED' }))
    const { client: c, clock } = client(f)
    const m = await c.getMessage(SPACE_ID, 'c1', 'm1')
    expect(m.status).toBe('COMPLETED')
    expect(clock.sleeps).toEqual([2000])
  })

  test('the ordinary transport is untouched after a surfaced 429', async () => {
    const f = new ScriptedFetch().reply(
      json(429, {}, { 'retry-after': '5' }),
      json(429, {}, { 'retry-after': '1' }),
      json(200, { space_id: SPACE_ID, title: 'T' })
    )
    const { client: c, clock } = client(f)
    await rejection(c.startConversation(SPACE_ID, 'q'))
    await c.getSpace(SPACE_ID)
    expect(clock.sleeps).toEqual([1000])
  })
})
