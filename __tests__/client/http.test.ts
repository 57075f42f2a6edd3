import { GenieApiError, GenieClient, HttpTransport, PatAuth, parseRetryAfter } from '../../src/client/index.js'
import type { HttpRequest, TransportOptions } from '../../src/client/index.js'
import { Agent, fetch as undiciFetch } from 'undici'
import { HOST, SPACE_ID, ScriptedFetch, connectionReset, harness, json, rejection, text } from './helpers.js'

const SPACE = { space_id: SPACE_ID, title: 'Sales', warehouse_id: 'w1' }
const SERIALIZED = JSON.stringify({ version: 2 })

function client(fake: ScriptedFetch, extra: Partial<TransportOptions> = {}) {
  const h = harness()
  const c = new GenieClient({ host: HOST, auth: new PatAuth('dapi-test-token-1', h.secrets), ...h.transportOptions(fake.fetch, extra) })
  return { ...h, client: c }
}

function retryLines(logger: { lines: { level: string; message: string }[] }): string[] {
  return logger.lines.filter((l) => l.message.includes('retrying')).map((l) => l.message)
}

describe('retries', () => {
  test('429 with Retry-After seconds waits exactly the advised time, then succeeds', async () => {
    const fake = new ScriptedFetch().reply(json(429, { error_code: 'RESOURCE_EXHAUSTED', message: 'slow down' }, { 'Retry-After': '7' }), json(200, SPACE))
    const { client: c, clock, logger } = client(fake)
    const space = await c.getSpace(SPACE_ID)
    expect(space.title).toBe('Sales')
    expect(fake.calls).toHaveLength(2)
    expect(clock.sleeps).toEqual([7000])
    const lines = retryLines(logger)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toBe(`get space ${SPACE_ID}: HTTP 429 RESOURCE_EXHAUSTED, retrying in 7 s (attempt 2 of 5)`)
  })

  test('503 with an HTTP-date Retry-After waits until that date', async () => {
    const h = harness()
    const at = new Date(h.clock.t + 12_000).toUTCString()
    const fake = new ScriptedFetch().reply(json(503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy' }, { 'Retry-After': at }), json(200, SPACE))
    const c = new GenieClient({ host: HOST, auth: new PatAuth('dapi-test-token-1', h.secrets), ...h.transportOptions(fake.fetch) })
    await c.getSpace(SPACE_ID)
    expect(h.clock.sleeps).toEqual([12_000])
  })

  test('a huge Retry-After is capped', async () => {
    const fake = new ScriptedFetch().reply(json(429, {}, { 'Retry-After': '3600' }), json(200, SPACE))
    const { client: c, clock } = client(fake, { retry: { maxRetryAfterMs: 30_000 } })
    await c.getSpace(SPACE_ID)
    expect(clock.sleeps).toEqual([30_000])
  })

  test('500 on GET is retried with exponential backoff and full jitter, then succeeds', async () => {
    const fake = new ScriptedFetch().reply(
      json(500, { error_code: 'INTERNAL_ERROR', message: 'boom' }),
      json(502, { error_code: 'INTERNAL_ERROR', message: 'boom' }),
      json(200, SPACE)
    )
    const { client: c, clock } = client(fake, { random: () => 0.5 })
    await expect(c.getSpace(SPACE_ID)).resolves.toMatchObject({ space_id: SPACE_ID })
    expect(fake.calls).toHaveLength(3)
    // base 1 s: ceilings 1 s, 2 s; random 0.5 → 500 ms, 1000 ms
    expect(clock.sleeps).toEqual([500, 1000])
  })

  test('backoff grows and is capped by maxDelayMs', async () => {
    const fake = new ScriptedFetch().otherwise(json(500, { error_code: 'INTERNAL_ERROR', message: 'boom' }))
    const { client: c, clock } = client(fake, { random: () => 0.999, retry: { maxAttempts: 7, maxDelayMs: 10_000 } })
    await rejection(c.getSpace(SPACE_ID))
    expect(clock.sleeps).toEqual([999, 1998, 3996, 7992, 9990, 9990])
  })

  test('attempts are bounded; the final error is one line naming operation, space, status, code and message', async () => {
    const fake = new ScriptedFetch().otherwise(json(500, { error_code: 'INTERNAL_ERROR', message: 'Something\nwent wrong' }))
    const { client: c, clock } = client(fake)
    const err = await rejection(c.getSpace(SPACE_ID))
    expect(fake.calls).toHaveLength(5)
    expect(clock.sleeps).toHaveLength(4)
    expect(err).toBeInstanceOf(GenieApiError)
    const e = err as GenieApiError
    expect(e.message).toBe(`get space ${SPACE_ID} failed: HTTP 500 INTERNAL_ERROR: Something went wrong (gave up after 5 attempts)`)
    expect(e).toMatchObject({ operation: 'get space', spaceId: SPACE_ID, status: 500, errorCode: 'INTERNAL_ERROR', ambiguous: false })
    expect(e.message).not.toContain('\n')
  })

  test('total retry time is bounded even when attempts remain', async () => {
    const fake = new ScriptedFetch().otherwise(json(429, { error_code: 'RESOURCE_EXHAUSTED', message: 'later' }, { 'Retry-After': '40' }))
    const { client: c, clock } = client(fake, { retry: { maxAttempts: 50, maxTotalMs: 100_000 } })
    const start = clock.t
    const err = await rejection(c.getSpace(SPACE_ID))
    expect(clock.sleeps).toEqual([40_000, 40_000])
    expect(fake.calls).toHaveLength(3)
    expect(clock.t - start).toBeLessThanOrEqual(100_000)
    expect(err.message).toMatch(/^get space \S+ failed: HTTP 429 RESOURCE_EXHAUSTED: later \(gave up after 3 attempts in 80 s; retry budget 100 s\)$/)
  })

  test('time spent inside slow requests counts toward the budget', async () => {
    const h = harness()
    const fake = new ScriptedFetch().otherwise(() => {
      h.clock.advance(50_000) // each attempt takes 50 s before failing
      return json(500, { error_code: 'INTERNAL_ERROR', message: 'slow' })()
    })
    const c = new GenieClient({
      host: HOST,
      auth: new PatAuth('dapi-test-token-1', h.secrets),
      ...h.transportOptions(fake.fetch, { retry: { maxTotalMs: 120_000 } })
    })
    await rejection(c.getSpace(SPACE_ID))
    expect(fake.calls).toHaveLength(3) // 50 s + wait, 100 s + wait, then over budget
  })

  test('POST create is NOT retried on 500; the error is ambiguous', async () => {
    const fake = new ScriptedFetch().otherwise(json(500, { error_code: 'INTERNAL_ERROR', message: 'oops' }))
    const { client: c, clock } = client(fake)
    const err = await rejection(c.createSpace({ warehouse_id: 'w1', serialized_space: SERIALIZED, title: 'Sales' }))
    expect(fake.calls).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
    expect(err).toBeInstanceOf(GenieApiError)
    expect((err as GenieApiError).ambiguous).toBe(true)
    expect(err.message).toBe('create space failed: HTTP 500 INTERNAL_ERROR: oops (the request may have been applied; not retried)')
  })

  test('POST create is NOT retried on 503 either (ambiguous)', async () => {
    const fake = new ScriptedFetch().otherwise(json(503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'x' }, { 'Retry-After': '1' }))
    const { client: c } = client(fake)
    const err = (await rejection(c.createSpace({ warehouse_id: 'w1', serialized_space: SERIALIZED }))) as GenieApiError
    expect(fake.calls).toHaveLength(1)
    expect(err.ambiguous).toBe(true)
  })

  test('POST create is NOT retried on a connection reset (ambiguous)', async () => {
    const fake = new ScriptedFetch().otherwise(connectionReset())
    const { client: c } = client(fake)
    const err = (await rejection(c.createSpace({ warehouse_id: 'w1', serialized_space: SERIALIZED }))) as GenieApiError
    expect(fake.calls).toHaveLength(1)
    expect(err.ambiguous).toBe(true)
    expect(err.message).toBe('create space failed: connection error: read ECONNRESET (the request may have been applied; not retried)')
  })

  test('POST create IS retried on 429 (the request was not processed)', async () => {
    const fake = new ScriptedFetch().reply(json(429, { error_code: 'RESOURCE_EXHAUSTED', message: 'x' }, { 'Retry-After': '2' }), json(200, SPACE))
    const { client: c, clock } = client(fake)
    await expect(c.createSpace({ warehouse_id: 'w1', serialized_space: SERIALIZED })).resolves.toMatchObject({ space_id: SPACE_ID })
    expect(fake.calls).toHaveLength(2)
    expect(clock.sleeps).toEqual([2000])
  })

  test('a 4xx is reported at once, not retried, not ambiguous', async () => {
    const fake = new ScriptedFetch().otherwise(json(400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid export proto: bad' }))
    const { client: c } = client(fake)
    const err = (await rejection(c.createSpace({ warehouse_id: 'w1', serialized_space: SERIALIZED }))) as GenieApiError
    expect(fake.calls).toHaveLength(1)
    expect(err.ambiguous).toBe(false)
    expect(err.message).toBe('create space failed: HTTP 400 INVALID_PARAMETER_VALUE: Invalid export proto: bad')
  })

  test('GET is retried after connection errors', async () => {
    const fake = new ScriptedFetch().reply(connectionReset(), json(200, SPACE))
    const { client: c } = client(fake)
    await expect(c.getSpace(SPACE_ID)).resolves.toMatchObject({ title: 'Sales' })
    expect(fake.calls).toHaveLength(2)
  })
})

describe('timeouts', () => {
  /** A fetch that never answers; it rejects only when its signal aborts, as real fetch does. */
  function hangingFetch(signals: AbortSignal[]) {
    return async (_url: string, init: { signal?: AbortSignal }) => {
      if (init.signal) signals.push(init.signal)
      return new Promise<never>((_, reject) =>
        init.signal?.addEventListener('abort', () => reject(new DOMException('This operation was aborted', 'AbortError')))
      )
    }
  }

  test('a request that does not answer is aborted after timeoutMs; GET retries, then gives up', async () => {
    const signals: AbortSignal[] = []
    const h = harness()
    const transport = new HttpTransport(h.transportOptions(hangingFetch(signals), { timeoutMs: 20, retry: { maxAttempts: 2 } }))
    const req: HttpRequest = { operation: 'get space', spaceId: SPACE_ID, method: 'GET', url: `${HOST}/api/2.0/genie/spaces/${SPACE_ID}`, idempotent: true }
    const err = (await rejection(transport.request(req))) as GenieApiError
    expect(signals).toHaveLength(2)
    expect(signals.every((s) => s.aborted)).toBe(true)
    expect(err.message).toBe(`get space ${SPACE_ID} failed: request timed out after 20 ms (gave up after 2 attempts)`)
    expect(err.status).toBeUndefined()
  })

  test('a timed-out POST create is ambiguous and not retried', async () => {
    const signals: AbortSignal[] = []
    const h = harness()
    const c = new GenieClient({
      host: HOST,
      auth: new PatAuth('dapi-test-token-1', h.secrets),
      ...h.transportOptions(hangingFetch(signals), { timeoutMs: 15 })
    })
    const err = (await rejection(c.createSpace({ warehouse_id: 'w', serialized_space: SERIALIZED }))) as GenieApiError
    expect(signals).toHaveLength(1)
    expect(signals[0]?.aborted).toBe(true)
    expect(err.ambiguous).toBe(true)
    expect(err.message).toBe('create space failed: request timed out after 15 ms (the request may have been applied; not retried)')
  })
})

describe('request shape and responses', () => {
  test('sends User-Agent spaceops/<version>, Accept and JSON content type; never follows redirects', async () => {
    const fake = new ScriptedFetch().reply(json(200, SPACE))
    const { client: c } = client(fake, { userAgent: 'spaceops/9.9.9' })
    await c.updateSpace(SPACE_ID, { title: 'New' })
    const call = fake.calls[0]
    expect(call?.headers['User-Agent']).toBe('spaceops/9.9.9')
    expect(call?.headers['Accept']).toBe('application/json')
    expect(call?.headers['Content-Type']).toBe('application/json')
  })

  test('the default User-Agent is spaceops/<version>', async () => {
    const fake = new ScriptedFetch().reply(json(200, SPACE))
    const { client: c } = client(fake)
    await c.getSpace(SPACE_ID)
    expect(fake.calls[0]?.headers['User-Agent']).toMatch(/^spaceops\/\d+\.\d+\.\d+/)
  })

  test('a redirect (wrong host / login page) is an error naming where it points', async () => {
    const fake = new ScriptedFetch().reply(text(302, '', { Location: 'https://login.example.com/sso' }))
    const { client: c } = client(fake)
    const err = await rejection(c.getSpace(SPACE_ID))
    expect(err.message).toBe(`get space ${SPACE_ID} failed: HTTP 302: redirected to https://login.example.com/sso (is the host right?)`)
  })

  test('a non-JSON error body becomes a short single-line excerpt', async () => {
    const html = `<html><head><title>502 Bad Gateway</title></head>\n<body><h1>Bad Gateway</h1>\n${'x'.repeat(5000)}</body></html>`
    const fake = new ScriptedFetch().otherwise(text(502, html, { 'content-type': 'text/html' }))
    const { client: c } = client(fake, { retry: { maxAttempts: 1 } })
    const err = await rejection(c.getSpace(SPACE_ID))
    expect(err.message).not.toContain('\n')
    expect(err.message).not.toContain('<')
    expect(err.message.length).toBeLessThan(400)
    expect(err.message).toMatch(/^get space \S+ failed: HTTP 502: 502 Bad Gateway Bad Gateway x+…/)
  })

  test('a 200 whose body does not match the schema is a one-line error', async () => {
    const fake = new ScriptedFetch().reply(json(200, { title: 'no id' }))
    const { client: c } = client(fake)
    const err = (await rejection(c.getSpace(SPACE_ID))) as GenieApiError
    expect(err.message).toMatch(/^get space \S+ failed: unexpected response from the API: space_id: /)
  })

  test('a 200 that is not JSON on a create is ambiguous (it was applied)', async () => {
    const fake = new ScriptedFetch().reply(text(200, 'OK'))
    const { client: c } = client(fake)
    const err = (await rejection(c.createSpace({ warehouse_id: 'w', serialized_space: SERIALIZED }))) as GenieApiError
    expect(err.ambiguous).toBe(true)
    expect(err.message).toBe('create space failed: HTTP 200: response is not JSON: OK')
  })
})

describe('parseRetryAfter', () => {
  test('seconds, decimals, dates in the past and garbage', () => {
    const now = Date.parse('2026-03-01T12:00:00Z')
    expect(parseRetryAfter('3', now)).toBe(3000)
    expect(parseRetryAfter('1.5', now)).toBe(1500)
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:05 GMT', now)).toBe(5000)
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(null, now)).toBeUndefined()
  })
})

describe('failures no retry can mend fail at once, naming the host', () => {
  // the DNS failure comes from the resolver undici is given, so no query leaves the machine; the
  // error reaches the transport wrapped exactly as undici wraps a real one
  const failingLookup = (code: string) =>
    new Agent({
      connect: {
        lookup: (hostname: string, _o: unknown, cb: (err: Error | null, address: string, family: number) => void) =>
          cb(Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), { code, hostname, syscall: 'getaddrinfo' }), '', 4)
      }
    })

  test('a host that does not resolve (ENOTFOUND) fails after one attempt, with the host named and no retry line', async () => {
    const agent = failingLookup('ENOTFOUND')
    let calls = 0
    const h = harness()
    const c = new GenieClient({
      host: 'https://nonexistent.invalid',
      auth: new PatAuth('dapi-test-token-1', h.secrets),
      ...h.transportOptions((url, init) => {
        calls++
        return undiciFetch(url, { ...init, dispatcher: agent })
      })
    })
    const err = await rejection(c.getSpace(SPACE_ID))
    await agent.close()
    expect(calls).toBe(1)
    expect(h.clock.sleeps).toEqual([])
    expect(retryLines(h.logger)).toEqual([])
    expect((err as Error).message).toContain('cannot resolve host nonexistent.invalid (DNS ENOTFOUND): is the host name right?')
    expect((err as Error).message).not.toMatch(/gave up|attempts/)
  })

  test('a temporary DNS failure (EAI_AGAIN) is retried: the resolver may answer a moment later', async () => {
    const fake = new ScriptedFetch().reply(
      () => new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo EAI_AGAIN adb-1.example'), { code: 'EAI_AGAIN' }) }),
      json(200, SPACE)
    )
    const { client: c, clock } = client(fake)
    await expect(c.getSpace(SPACE_ID)).resolves.toMatchObject({ space_id: SPACE_ID })
    expect(clock.sleeps).toHaveLength(1)
  })

  test.each(['CERT_HAS_EXPIRED', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID', 'DEPTH_ZERO_SELF_SIGNED_CERT'])(
    'a TLS certificate refused (%s) fails at once, naming the host, and is not ambiguous (nothing was sent)',
    async (code) => {
      const fake = new ScriptedFetch().otherwise(
        () => new TypeError('fetch failed', { cause: Object.assign(new Error(`certificate problem ${code.toLowerCase()}`), { code }) })
      )
      const { client: c, clock } = client(fake)
      const err = await rejection(c.getSpace(SPACE_ID))
      expect(fake.calls).toHaveLength(1)
      expect(clock.sleeps).toEqual([])
      expect((err as Error).message).toContain(`TLS to ${new URL(HOST).hostname} failed (${code})`)
      expect((err as GenieApiError).ambiguous).toBe(false)
    }
  )
})
