import { type GenieApiError, HttpTransport } from '../../src/client/index.js'
import type { HttpRequest } from '../../src/client/index.js'
import { HOST, SPACE_ID, ScriptedFetch, json, rejection } from './helpers.js'

// Workers of one run share their client's transport: a 429 pauses all of them, and the run has one
// retry budget, not five retries per request per worker.

const get = (n: number): HttpRequest => ({ operation: `get ${n}`, method: 'GET', url: `${HOST}/api/2.0/genie/spaces/${SPACE_ID}`, idempotent: true })
const flush = () => new Promise<void>((r) => setImmediate(r))

test('a 429 to one request pauses the others until its wait is over', async () => {
  const waits: { ms: number; done: () => void }[] = []
  const fake = new ScriptedFetch().reply(json(429, { error_code: 'RESOURCE_EXHAUSTED' }, { 'Retry-After': '5' }), json(200, {}), json(200, {}), json(200, {}))
  const t = 1_000_000
  const transport = new HttpTransport({ fetch: fake.fetch, now: () => t, sleep: (ms) => new Promise<void>((done) => waits.push({ ms, done })) })
  const first = transport.request(get(1))
  await flush()
  expect(waits.map((w) => w.ms)).toEqual([5000])
  // a second worker starts during the pause: it does not reach the server, it waits for the rest of it
  const second = transport.request(get(2))
  await flush()
  expect(fake.calls).toHaveLength(1)
  expect(waits.map((w) => w.ms)).toEqual([5000, 5000])
  for (const w of waits) w.done()
  await Promise.all([first, second])
  expect(fake.calls).toHaveLength(3)
  // the pause is over: a third request goes at once
  await transport.request(get(3))
  expect(fake.calls).toHaveLength(4)
  expect(waits).toHaveLength(2)
})

test('the retry budget is shared: once spent, a failing request is reported at once', async () => {
  const fake = new ScriptedFetch().otherwise(json(503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy' }))
  const transport = new HttpTransport({ fetch: fake.fetch, sleep: async () => {}, random: () => 0, retry: { maxRunRetries: 2 } })
  const a = (await rejection(transport.request(get(1)))) as GenieApiError
  expect(fake.calls).toHaveLength(3)
  expect(a.message).toMatch(/not retried: the run's retry budget \(2, shared by every request\) is spent/)
  await rejection(transport.request(get(2)))
  expect(fake.calls).toHaveLength(4)
})

test('successes give the budget back: occasional failures in a long run are always retried', async () => {
  // one 503 in every twenty requests, 100 requests, a budget of 2: without refunds the third failure would not be retried
  let n = 0
  const fake = new ScriptedFetch().otherwise(() => (n++ % 20 === 0 ? json(503, { error_code: 'TEMPORARILY_UNAVAILABLE' })() : json(200, {})()))
  const transport = new HttpTransport({ fetch: fake.fetch, sleep: async () => {}, random: () => 0, retry: { maxRunRetries: 2 } })
  for (let i = 0; i < 100; i++) await transport.request(get(i))
  expect(fake.calls.length).toBeGreaterThan(104)
})
