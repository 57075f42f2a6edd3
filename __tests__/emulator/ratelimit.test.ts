import { parseEmulatorArgs } from '../../src/emulator/index.js'
import { QuestionLimiter } from '../../src/emulator/ratelimit.js'
import type { Client } from './helpers.js'
import { CANCELLED_SQL, createSalesSpace, hexId, manualClock, salesDoc, SPACES, start, stopAll } from './genie-helpers.js'

afterEach(stopAll)

const TIMINGS = { genieLatencyMs: 1000, genieLatencyJitterMs: 0, statementLatencyMs: 0, evalLatencyMs: 0 }

const startConversation = (api: Client, spaceId: string) => api.post(`${SPACES}/${spaceId}/start-conversation`, { content: 'How many orders were cancelled?' })

describe('the question rate limit (per workspace, rolling minute)', () => {
  test('Q+1 questions within a minute → 429 RESOURCE_EXHAUSTED with Retry-After; polling does not count', async () => {
    const clock = manualClock()
    const t0 = clock.now()
    const { emu, api } = await start({ clock: clock.now, faults: TIMINGS })
    const spaceA = await createSalesSpace(api)
    const spaceB = await createSalesSpace(api)

    const first = await startConversation(api, spaceA)
    expect(first.status).toBe(200)
    const { conversation_id: cid, message_id: mid } = first.body as { conversation_id: string; message_id: string }
    const poll = `${SPACES}/${spaceA}/conversations/${cid}/messages/${mid}`
    // Questions 2–5: other spaces count too, and follow-ups count; 20 polls in between count for nothing.
    for (let i = 2; i <= 5; i++) {
      clock.advance(1000)
      for (let p = 0; p < 5; p++) expect((await api.get(poll)).status).toBe(200)
      const r =
        i % 2 === 0
          ? await startConversation(api, spaceB)
          : await api.post(`${SPACES}/${spaceA}/conversations/${cid}/messages`, { content: 'Top customers in a country' })
      expect(r.status).toBe(200)
    }

    // t0 + 5 s: the 6th question is refused until the first leaves the window at t0 + 60 s.
    clock.advance(1000)
    const refused = await startConversation(api, spaceB)
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('55')
    expect(refused.body).toEqual({ error_code: 'RESOURCE_EXHAUSTED', message: expect.stringContaining('5 questions per minute') })
    const followUp = await api.post(`${SPACES}/${spaceA}/conversations/${cid}/messages`, { content: 'again' })
    expect(followUp.status).toBe(429)
    // Polls still work while the limit is reached.
    expect((await api.get(poll)).status).toBe(200)

    clock.set(t0 + 59_999)
    const almost = await startConversation(api, spaceA)
    expect(almost.status).toBe(429)
    expect(almost.headers.get('retry-after')).toBe('1')
    clock.set(t0 + 60_000)
    expect((await startConversation(api, spaceA)).status).toBe(200)
    // The refused questions took no slot: the window is full again, until t0 + 1 s + 60 s.
    const again = await startConversation(api, spaceA)
    expect(again.status).toBe(429)
    expect(again.headers.get('retry-after')).toBe('1')

    // Logged like every other request, marked as the question limit.
    const limited = emu.state.requests.filter((e) => e.status === 429)
    expect(limited).toEqual([
      { method: 'POST', path: `${SPACES}/${spaceB}/start-conversation`, query: '', status: 429, op: 'start-conversation', fault: 'question-limit' },
      { method: 'POST', path: `${SPACES}/${spaceA}/conversations/${cid}/messages`, query: '', status: 429, op: 'create-message', fault: 'question-limit' },
      { method: 'POST', path: `${SPACES}/${spaceA}/start-conversation`, query: '', status: 429, op: 'start-conversation', fault: 'question-limit' },
      { method: 'POST', path: `${SPACES}/${spaceA}/start-conversation`, query: '', status: 429, op: 'start-conversation', fault: 'question-limit' }
    ])
    const genie = (await (await fetch(`${emu.url}/_emulator/genie`)).json()) as Record<string, unknown>
    expect(genie['question_limit']).toEqual({ questions_per_minute: 5, used_in_window: 5 })
  })

  test('questionsPerMinute option, runtime override through /_emulator/faults, 0 = no limit', async () => {
    const clock = manualClock()
    const { emu, api } = await start({ clock: clock.now, faults: TIMINGS, questionsPerMinute: 2 })
    const spaceId = await createSalesSpace(api)
    expect((await startConversation(api, spaceId)).status).toBe(200)
    expect((await startConversation(api, spaceId)).status).toBe(200)
    expect((await startConversation(api, spaceId)).status).toBe(429)

    const set = async (body: unknown): Promise<void> => {
      const r = await fetch(`${emu.url}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      expect(r.status).toBe(200)
    }
    await set({ ...TIMINGS, 'questions-per-minute': 0 })
    for (let i = 0; i < 8; i++) expect((await startConversation(api, spaceId)).status).toBe(200)
    await set({ ...TIMINGS, questionsPerMinute: 10 })
    expect((await startConversation(api, spaceId)).status).toBe(429)
    // `{}` (no faults) returns to the emulator option: still 2 per minute.
    await set({})
    clock.advance(60_000)
    expect((await startConversation(api, spaceId)).status).toBe(200)
    expect((await startConversation(api, spaceId)).status).toBe(200)
    expect((await startConversation(api, spaceId)).status).toBe(429)
    const bad = await fetch(`${emu.url}/_emulator/faults`, { method: 'POST', body: JSON.stringify({ questionsPerMinute: -1 }) })
    expect(bad.status).toBe(400)
  })

  test('eval runs, statements and refused requests do not count', async () => {
    const clock = manualClock()
    const { api } = await start({ clock: clock.now, faults: TIMINGS, questionsPerMinute: 1 })
    const spaceId = await createSalesSpace(
      api,
      salesDoc({ benchmarks: [{ id: hexId(0x91), question: 'How many orders were cancelled?', sql: CANCELLED_SQL }] })
    )
    for (let i = 0; i < 3; i++) expect((await api.post(`${SPACES}/${spaceId}/eval-runs`, {})).status).toBe(200)
    expect((await api.post('/api/2.0/sql/statements', { warehouse_id: 'w', statement: 'SELECT 1' })).status).toBe(200)
    expect((await api.post(`${SPACES}/${hexId(0xbad)}/start-conversation`, { content: 'x' })).status).toBe(404)
    expect((await api.post(`${SPACES}/${spaceId}/start-conversation`, { content: '' })).status).toBe(400)
    expect((await startConversation(api, spaceId)).status).toBe(200)
    expect((await startConversation(api, spaceId)).status).toBe(429)
  })

  test('the limiter itself', () => {
    const limiter = new QuestionLimiter()
    expect(limiter.take(0, 2)).toEqual({ ok: true })
    expect(limiter.take(10_000, 2)).toEqual({ ok: true })
    expect(limiter.take(10_001, 2)).toEqual({ ok: false, retryAfterSeconds: 50 })
    expect(limiter.take(60_000, 2)).toEqual({ ok: true })
    expect(limiter.used(60_000)).toBe(2)
    // Lowering the limit: wait until enough questions have left the window.
    expect(limiter.take(60_000, 1)).toEqual({ ok: false, retryAfterSeconds: 60 })
    expect(limiter.take(60_000, 0)).toEqual({ ok: true })
  })
})

describe('new emulator flags', () => {
  test('parseEmulatorArgs', () => {
    const parsed = parseEmulatorArgs([
      '--questions-per-minute',
      '3',
      '--genie-latency',
      '50',
      '--genie-latency-jitter',
      '10',
      '--genie-fail-rate',
      '0.1',
      '--genie-cancel-rate',
      '0.2',
      '--query-result-expired-rate',
      '0.3',
      '--statement-latency',
      '5',
      '--eval-latency',
      '7',
      '--answer-threshold',
      '0.6',
      '--data-seed',
      '9'
    ])
    expect(parsed).toEqual({
      help: false,
      verbose: false,
      options: {
        questionsPerMinute: 3,
        answerMatchThreshold: 0.6,
        dataSeed: 9,
        faults: {
          genieLatencyMs: 50,
          genieLatencyJitterMs: 10,
          genieFailRate: 0.1,
          genieCancelRate: 0.2,
          queryResultExpiredRate: 0.3,
          statementLatencyMs: 5,
          evalLatencyMs: 7
        }
      }
    })
    expect(() => parseEmulatorArgs(['--questions-per-minute', '-1'])).toThrow(/questions-per-minute/)
    expect(() => parseEmulatorArgs(['--answer-threshold', '2'])).toThrow(/answer-threshold/)
    expect(() => parseEmulatorArgs(['--genie-fail-rate', '1.5'])).toThrow(/genieFailRate/)
  })
})
