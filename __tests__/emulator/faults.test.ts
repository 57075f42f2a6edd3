import { startEmulator, type FaultConfig, type RunningEmulator } from '../../src/emulator/index.js'
import { client, createSpace, SPACES, TOKEN } from './helpers.js'

const running: RunningEmulator[] = []
async function start(seed: number, faults: FaultConfig = {}): Promise<RunningEmulator> {
  const emu = await startEmulator({ seed, faults })
  running.push(emu)
  return emu
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()))
})

/** Statuses of n sequential GET list requests (0 = the connection failed). */
async function statuses(url: string, n: number, path = SPACES): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    try {
      const r = await fetch(url + path, { headers: { authorization: `Bearer ${TOKEN}` } })
      await r.text()
      out.push(r.status)
    } catch {
      out.push(0)
    }
  }
  return out
}

async function setFaults(url: string, body: unknown): Promise<Response> {
  return fetch(`${url}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
}

describe('reproducible faults', () => {
  const faults: FaultConfig = { errorRate: 0.3, rate429: 0.2 }

  test('same seed → same sequence of statuses; another seed → another sequence', async () => {
    const a = await statuses((await start(1234, faults)).url, 40)
    const b = await statuses((await start(1234, faults)).url, 40)
    const c = await statuses((await start(99, faults)).url, 40)
    expect(a).toEqual(b)
    expect(c).not.toEqual(a)
    // The faults really happen, and not always.
    expect(a).toContain(200)
    expect(a).toContain(429)
    expect(a.some((s) => s === 500 || s === 503)).toBe(true)
  })

  test('switching on another fault kind does not shift the sequence (fixed draws per request)', async () => {
    const plain = await statuses((await start(77, { errorRate: 0.4 })).url, 30)
    const withSpikes = await statuses((await start(77, { errorRate: 0.4, latencySpikeRate: 0.5, latencySpikeMs: 1 })).url, 30)
    expect(withSpikes).toEqual(plain)
  })

  test('POST /_emulator/reset re-seeds, so the sequence repeats', async () => {
    const emu = await start(5, faults)
    const first = await statuses(emu.url, 25)
    expect((await fetch(`${emu.url}/_emulator/reset`, { method: 'POST' })).status).toBe(200)
    expect(await statuses(emu.url, 25)).toEqual(first)
  })

  test('POST /_emulator/faults with a seed re-seeds the fault stream', async () => {
    const emu = await start(8)
    expect((await setFaults(emu.url, { ...faults, seed: 42 })).status).toBe(200)
    const first = await statuses(emu.url, 25)
    await setFaults(emu.url, { ...faults, seed: 42 })
    expect(await statuses(emu.url, 25)).toEqual(first)
  })
})

describe('fault kinds', () => {
  test('429 carries Retry-After and RESOURCE_EXHAUSTED', async () => {
    const emu = await start(1, { rate429: 1, retryAfter: 7 })
    const r = await fetch(emu.url + SPACES, { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(r.status).toBe(429)
    expect(r.headers.get('retry-after')).toBe('7')
    expect(await r.json()).toEqual({ error_code: 'RESOURCE_EXHAUSTED', message: expect.any(String) })
  })

  test('5xx are 500 INTERNAL_ERROR or 503 TEMPORARILY_UNAVAILABLE', async () => {
    const emu = await start(2, { errorRate: 1 })
    const seen = new Map<number, string>()
    for (let i = 0; i < 20; i++) {
      const r = await client(emu.url).get(SPACES)
      seen.set(r.status, r.body.error_code)
    }
    expect(Object.fromEntries(seen)).toEqual({ 500: 'INTERNAL_ERROR', 503: 'TEMPORARILY_UNAVAILABLE' })
  })

  test('error rate per endpoint', async () => {
    const emu = await start(3, { errorRateFor: { list: 1 } })
    const created = await createSpace(client(emu.url))
    expect(created.status).toBe(200)
    expect((await client(emu.url).get(`${SPACES}/${created.body.space_id}`)).status).toBe(200)
    expect([500, 503]).toContain((await client(emu.url).get(SPACES)).status)
  })

  test('faults never touch /_emulator/** or /oidc/**', async () => {
    const emu = await start(4, { errorRate: 1, dropRate: 1 })
    expect((await fetch(`${emu.url}/_emulator/requests`)).status).toBe(200)
    expect((await fetch(`${emu.url}/_emulator/health`)).status).toBe(200)
    const token = await fetch(`${emu.url}/oidc/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
      body: 'grant_type=client_credentials'
    })
    expect(token.status).toBe(200)
  })

  test('dropped connection: no response at all, logged as status 0 / dropped, nothing applied', async () => {
    const emu = await start(5, { dropRate: 1 })
    await expect(createSpace(client(emu.url))).rejects.toThrow()
    await setFaults(emu.url, {})
    expect((await client(emu.url).get(SPACES)).body.spaces).toBeUndefined()
    const log = (await (await fetch(`${emu.url}/_emulator/requests`)).json()) as Record<string, unknown>[]
    expect(log[0]).toEqual({ method: 'POST', path: SPACES, query: '', status: 0, op: 'create', fault: 'dropped' })
  })

  test('lost response: the write is applied, the client gets no response', async () => {
    const emu = await start(6, { lostResponseRate: 1 })
    // Reads are never "lost".
    expect((await client(emu.url).get(SPACES)).status).toBe(200)
    await expect(createSpace(client(emu.url), undefined, { title: 'ghost' })).rejects.toThrow()
    await setFaults(emu.url, {})
    const list = await client(emu.url).get(SPACES)
    expect(list.body.spaces.map((s: { title: string }) => s.title)).toEqual(['ghost'])
    const log = (await (await fetch(`${emu.url}/_emulator/requests`)).json()) as Record<string, unknown>[]
    expect(log[1]).toEqual({ method: 'POST', path: SPACES, query: '', status: 0, op: 'create', fault: 'lost-response', applied_status: 200 })

    // The same for PATCH and DELETE.
    const id = list.body.spaces[0].space_id as string
    await setFaults(emu.url, { lostResponseRate: 1 })
    await expect(client(emu.url).patch(`${SPACES}/${id}`, { title: 'renamed' })).rejects.toThrow()
    await expect(client(emu.url).del(`${SPACES}/${id}`)).rejects.toThrow()
    await setFaults(emu.url, {})
    expect((await client(emu.url).get(`${SPACES}/${id}`)).status).toBe(404)
    const state = (await (await fetch(`${emu.url}/_emulator/state`)).json()) as { trash: { title: string }[] }
    expect(state.trash.map((s) => s.title)).toEqual(['renamed'])
  })

  test('latency and latency spikes', async () => {
    const emu = await start(7, { latencyMs: 120 })
    let t = Date.now()
    expect((await client(emu.url).get(SPACES)).status).toBe(200)
    expect(Date.now() - t).toBeGreaterThanOrEqual(110)

    await setFaults(emu.url, { latencySpikeRate: 1, latencySpikeMs: 250 })
    t = Date.now()
    await client(emu.url).get(SPACES)
    expect(Date.now() - t).toBeGreaterThanOrEqual(240)
    const log = (await (await fetch(`${emu.url}/_emulator/requests`)).json()) as Record<string, unknown>[]
    expect(log[1]?.['latency_spike']).toBe(true)
    expect(log[0]?.['latency_spike']).toBeUndefined()
  })
})

describe('runtime fault configuration', () => {
  test('GET/POST /_emulator/faults; CLI flag names accepted; bad values refused', async () => {
    const emu = await start(9)
    const set = await setFaults(emu.url, { 'error-rate': 0.5, 'error-rate-for': { get: 0.1 }, 'retry-after': 3 })
    expect(set.status).toBe(200)
    expect(await set.json()).toEqual({ errorRate: 0.5, errorRateFor: { get: 0.1 }, retryAfter: 3 })
    expect(await (await fetch(`${emu.url}/_emulator/faults`)).json()).toEqual({ errorRate: 0.5, errorRateFor: { get: 0.1 }, retryAfter: 3 })

    for (const bad of [{ errorRate: 2 }, { dropRate: -1 }, { errorRateFor: { nosuchop: 0.5 } }, { colour: 'red' }, { latencyMs: 'slow' }]) {
      const r = await setFaults(emu.url, bad)
      expect(r.status).toBe(400)
      expect(((await r.json()) as Record<string, unknown>)['error_code']).toBe('INVALID_PARAMETER_VALUE')
    }
    // Unchanged after the refused updates; `{}` switches everything off.
    expect(await (await fetch(`${emu.url}/_emulator/faults`)).json()).toEqual({ errorRate: 0.5, errorRateFor: { get: 0.1 }, retryAfter: 3 })
    await setFaults(emu.url, {})
    expect(await (await fetch(`${emu.url}/_emulator/faults`)).json()).toEqual({})
  })

  test('setFaults on the handle works like the endpoint', async () => {
    const emu = await start(10)
    emu.setFaults({ rate429: 1 })
    expect((await client(emu.url).get(SPACES)).status).toBe(429)
    expect(() => emu.setFaults({ errorRateFor: { bogus: 1 } })).toThrow(/unknown endpoint 'bogus'/)
  })
})
