/**
 * The conversation calls the official SDKs make besides asking: list conversations (paged),
 * delete a conversation and a message, message feedback, paged list-messages; the OAuth discovery
 * document; --answer-noise and --dataset on the command line.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import http from 'node:http'
import path from 'node:path'
import { parseEmulatorArgs } from '../../src/emulator/cli.js'
import { startEmulator } from '../../src/emulator/index.js'
import { answerWithNoise, knowledgeFromDocument } from '../../src/emulator/genie/answer.js'
import { assertShape, createSalesSpace, SPACES, start, stopAll } from './genie-helpers.js'
import { client } from './helpers.js'

afterEach(stopAll)

const TIMINGS = { genieLatencyMs: 0, genieLatencyJitterMs: 0, statementLatencyMs: 0, evalLatencyMs: 0 }

describe('conversations: list, delete, feedback, paged messages', () => {
  test('list newest first, paged; delete removes a conversation and its messages; a second delete is 404', async () => {
    const { api } = await start({ faults: TIMINGS, questionsPerMinute: 0 })
    const spaceId = await createSalesSpace(api)
    const ids: string[] = []
    for (let i = 0; i < 3; i++) {
      const r = await api.post(`${SPACES}/${spaceId}/start-conversation`, { content: `Question ${i}` })
      ids.push(r.body.conversation_id as string)
      await new Promise((res) => setTimeout(res, 5))
    }
    const first = await api.get(`${SPACES}/${spaceId}/conversations?page_size=2`)
    expect(first.status).toBe(200)
    expect(first.body.conversations.map((c: { conversation_id: string }) => c.conversation_id)).toEqual([ids[2], ids[1]])
    for (const c of first.body.conversations) assertShape(c, 'GenieConversation')
    const second = await api.get(`${SPACES}/${spaceId}/conversations?page_size=2&page_token=${first.body.next_page_token as string}&include_all=true`)
    expect(second.body.conversations.map((c: { conversation_id: string }) => c.conversation_id)).toEqual([ids[0]])
    expect(second.body.next_page_token).toBeUndefined()
    expect((await api.get(`${SPACES}/${spaceId}/conversations?page_size=101`)).status).toBe(400)

    expect((await api.del(`${SPACES}/${spaceId}/conversations/${ids[1]}`)).status).toBe(200)
    expect((await api.get(`${SPACES}/${spaceId}/conversations/${ids[1]}/messages`)).status).toBe(404)
    const again = await api.del(`${SPACES}/${spaceId}/conversations/${ids[1]}`)
    expect([again.status, again.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST'])
    const left = await api.get(`${SPACES}/${spaceId}/conversations`)
    expect(left.body.conversations.map((c: { conversation_id: string }) => c.conversation_id)).toEqual([ids[2], ids[0]])
  })

  test('messages page; a message can be deleted and rated', async () => {
    const { api } = await start({ faults: TIMINGS, questionsPerMinute: 0 })
    const spaceId = await createSalesSpace(api)
    const started = await api.post(`${SPACES}/${spaceId}/start-conversation`, { content: 'first' })
    const cid = started.body.conversation_id as string
    const mids = [started.body.message_id as string]
    for (const content of ['second', 'third'])
      mids.push((await api.post(`${SPACES}/${spaceId}/conversations/${cid}/messages`, { content })).body.message_id as string)
    const page1 = await api.get(`${SPACES}/${spaceId}/conversations/${cid}/messages?page_size=2`)
    expect(page1.body.messages.map((m: { message_id: string }) => m.message_id)).toEqual(mids.slice(0, 2))
    const page2 = await api.get(`${SPACES}/${spaceId}/conversations/${cid}/messages?page_size=2&page_token=${page1.body.next_page_token as string}`)
    expect(page2.body.messages.map((m: { message_id: string }) => m.message_id)).toEqual([mids[2]])

    const fb = `${SPACES}/${spaceId}/conversations/${cid}/messages/${mids[0]}/feedback`
    expect((await api.post(fb, { rating: 'GREAT' })).status).toBe(400)
    expect((await api.post(fb, { rating: 'NEGATIVE' })).status).toBe(200)
    const rated = await api.get(`${SPACES}/${spaceId}/conversations/${cid}/messages/${mids[0]}`)
    expect(rated.body.feedback).toEqual({ rating: 'NEGATIVE' })
    assertShape(rated.body, 'GenieMessage')

    expect((await api.del(`${SPACES}/${spaceId}/conversations/${cid}/messages/${mids[1]}`)).status).toBe(200)
    expect((await api.get(`${SPACES}/${spaceId}/conversations/${cid}/messages/${mids[1]}`)).status).toBe(404)
    expect((await api.get(`${SPACES}/${spaceId}/conversations/${cid}/messages`)).body.messages).toHaveLength(2)
  })

  test('they need a token, as every /api call does', async () => {
    const { emu, api } = await start({ faults: TIMINGS, questionsPerMinute: 0 })
    const spaceId = await createSalesSpace(api)
    expect((await client(emu.url, null).get(`${SPACES}/${spaceId}/conversations`)).status).toBe(401)
  })
})

describe('OAuth discovery document', () => {
  test('/oidc/.well-known/oauth-authorization-server names the token endpoint the SDKs then call', async () => {
    const { emu } = await start({})
    const res = await fetch(`${emu.url}/oidc/.well-known/oauth-authorization-server`)
    expect(res.status).toBe(200)
    const doc = (await res.json()) as Record<string, unknown>
    expect(doc).toMatchObject({ issuer: `${emu.url}/oidc`, token_endpoint: `${emu.url}/oidc/v1/token` })
    // a Host header that is not the loopback address is not reflected into the URLs
    const spoofed = await new Promise<string>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: emu.port, path: '/oidc/.well-known/oauth-authorization-server', headers: { host: 'evil.example:443' } }, (res) => {
          let body = ''
          res.on('data', (c: Buffer) => (body += c.toString()))
          res.on('end', () => resolve(body))
        })
        .on('error', reject)
    })
    expect((JSON.parse(spoofed) as { token_endpoint: string }).token_endpoint).toBe('http://127.0.0.1/oidc/v1/token')
  })
})

describe('--answer-noise', () => {
  const knowledge = knowledgeFromDocument({
    version: 2,
    instructions: {
      example_question_sqls: [
        { id: '1'.repeat(32), question: ['How many orders were placed?'], sql: ['SELECT COUNT(*) FROM orders'] },
        { id: '2'.repeat(32), question: ['How many customers are there?'], sql: ['SELECT COUNT(*) FROM customers'] }
      ]
    }
  })
  test('no noise: the best answer, and no draw is made', () => {
    let draws = 0
    const a = answerWithNoise(knowledge, 'How many orders were placed?', 0.5, 0, () => (draws++, 0))
    expect(a).toMatchObject({ kind: 'query', sql: 'SELECT COUNT(*) FROM orders' })
    expect(draws).toBe(0)
  })
  test('a noisy answer takes the next-best example, or asks a clarifying question', () => {
    const seq =
      (...xs: number[]) =>
      () =>
        xs.shift() as number
    expect(answerWithNoise(knowledge, 'How many orders were placed?', 0.5, 0.3, seq(0.1, 0.2))).toMatchObject({
      kind: 'query',
      sql: 'SELECT COUNT(*) FROM customers'
    })
    expect(answerWithNoise(knowledge, 'How many orders were placed?', 0.5, 0.3, seq(0.1, 0.9))).toMatchObject({ kind: 'text' })
    expect(answerWithNoise(knowledge, 'How many orders were placed?', 0.5, 0.3, seq(0.31))).toMatchObject({ kind: 'query', sql: 'SELECT COUNT(*) FROM orders' })
  })
  test('the flag is parsed and checked', () => {
    expect(parseEmulatorArgs(['--answer-noise', '0.3'])).toMatchObject({ options: { answerNoise: 0.3 } })
    expect(() => parseEmulatorArgs(['--answer-noise', '1.5'])).toThrow("--answer-noise expects a number from 0 to 1, got '1.5'")
  })
})

describe('--dataset DIR', () => {
  function dir(files: Record<string, string>): string {
    const root = mkdtempSync(path.join(tmpdir(), 'spaceops-dataset-'))
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, name)), { recursive: true })
      writeFileSync(path.join(root, name), text)
    }
    return root
  }
  test('the flag is parsed', () => {
    expect(parseEmulatorArgs(['--dataset', 'data'])).toMatchObject({ options: { dataset: 'data' } })
  })
  test('a name that is not an identifier, a missing folder and no tables are refused at start, naming the file', async () => {
    await expect(startEmulator({ port: 0, dataset: dir({ 'main/sales/bad-name.csv': 'a\n1\n' }) })).rejects.toThrow(
      /bad-name\.csv: "bad-name" is not a table name/
    )
    await expect(startEmulator({ port: 0, dataset: '/nonexistent/spaceops-dataset' })).rejects.toThrow(
      '--dataset /nonexistent/spaceops-dataset: no such directory'
    )
    await expect(startEmulator({ port: 0, dataset: dir({ 'main/readme.txt': 'x' }) })).rejects.toThrow(
      /no <catalog>\/<schema>\/<table>\.csv or \.parquet files/
    )
  })
  test('a CSV DuckDB cannot read fails the start with the file named', async () => {
    const root = dir({ 'main/sales/t.parquet': 'this is not parquet' })
    await expect(startEmulator({ port: 0, dataset: root })).rejects.toThrow(
      new RegExp(`${path.join(root, 'main/sales/t.parquet').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `)
    )
  })
  test('SQL sent to the emulator still cannot read files', async () => {
    const root = dir({ 'main/sales/orders.csv': 'id,amount\n1,2.5\n' })
    const { api } = await start({ dataset: root, faults: TIMINGS })
    const r = await api.post('/api/2.0/sql/statements', {
      warehouse_id: 'w',
      statement: `SELECT * FROM read_csv_auto('${path.join(root, 'main/sales/orders.csv')}')`,
      wait_timeout: '5s'
    })
    expect(r.body.status.state).toBe('FAILED')
    const ok = await api.post('/api/2.0/sql/statements', { warehouse_id: 'w', statement: 'SELECT SUM(amount) FROM main.sales.orders', wait_timeout: '5s' })
    expect(ok.body.status.state).toBe('SUCCEEDED')
    expect(ok.body.result.data_array).toEqual([['2.5']])
  })
})
