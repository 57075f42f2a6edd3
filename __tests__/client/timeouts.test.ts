import { CLI_NAMES } from '../../src/core/names.js'
import { GenieApiError, GenieClient, PatAuth } from '../../src/client/index.js'
import { parseDuration, runTimeoutOptions } from '../../src/client/http.js'
import { SecretRegistry } from '../../src/util/secrets.js'
import { cli, ROOT } from '../helpers/cli.js'
import { rawHost } from '../helpers/net.js'
import { FakeRuntime } from '../helpers/runtime.js'
import { run } from '../../src/main.js'
import { HttpTransport } from '../../src/client/index.js'
import { SPACE_ID, ScriptedFetch, harness, json, rejection } from './helpers.js'

/** A client with the real fetch, clock and sleep: only the limits are chosen by the test. */
function realClient(host: string, options: { timeoutMs?: number; callTimeoutMs?: number; deadline?: number } = {}) {
  const secrets = new SecretRegistry()
  return new GenieClient({
    host,
    auth: new PatAuth('dapi-timeout-test-01', secrets),
    secrets,
    env: {},
    random: () => 0,
    ...options,
    names: CLI_NAMES
  })
}

async function timed<T>(p: Promise<T>): Promise<{ ms: number; err: Error }> {
  const t0 = Date.now()
  const err = await rejection(p)
  return { ms: Date.now() - t0, err }
}

describe('a host that accepts the connection and never answers', () => {
  let host: Awaited<ReturnType<typeof rawHost>>
  beforeEach(async () => {
    host = await rawHost('hang')
  })
  afterEach(async () => {
    await host.close()
  })

  test('one call ends at its --timeout, retries included, with one line naming the limit', async () => {
    const { ms, err } = await timed(realClient(host.url, { callTimeoutMs: 1_500 }).getSpace(SPACE_ID))
    expect(ms).toBeGreaterThanOrEqual(1_400)
    expect(ms).toBeLessThan(3_000)
    expect(err).toBeInstanceOf(GenieApiError)
    expect(err.message).toBe(`get space ${SPACE_ID} failed: no answer within the 1.5 s timeout for one API call; raise it with --timeout`)
    expect(err.message).not.toContain('\n')
  })

  test('each attempt is cut at its own timeout and retried; the call still ends at the call limit', async () => {
    const { ms, err } = await timed(realClient(host.url, { timeoutMs: 400, callTimeoutMs: 1_000 }).getSpace(SPACE_ID))
    expect(ms).toBeLessThan(2_500)
    expect(host.connections).toBeGreaterThanOrEqual(2)
    expect(err.message).toMatch(
      new RegExp(`^get space ${SPACE_ID} failed: no answer within the 1 s timeout for one API call \\(\\d attempts\\); raise it with --timeout$`)
    )
  })

  test('a create cut by the limit is ambiguous and not retried', async () => {
    const { ms, err } = await timed(realClient(host.url, { callTimeoutMs: 1_000 }).createSpace({ warehouse_id: 'w', serialized_space: '{"version":2}' }))
    expect(ms).toBeLessThan(2_500)
    expect(host.connections).toBe(1)
    expect((err as GenieApiError).ambiguous).toBe(true)
    expect(err.message).toBe(
      'create space failed: no answer within the 1 s timeout for one API call; raise it with --timeout (the request may have been applied)'
    )
  })

  test('the run deadline ends the call in flight, and every later call fails at once without connecting', async () => {
    const client = realClient(host.url, { deadline: Date.now() + 1_000 })
    const first = await timed(client.getSpace(SPACE_ID))
    expect(first.ms).toBeLessThan(2_500)
    expect(first.err.message).toBe(`get space ${SPACE_ID} failed: the run's timeout has passed; raise it with --run-timeout`)
    const seen = host.connections
    const second = await timed(client.listAllSpaces())
    expect(second.ms).toBeLessThan(200)
    expect(second.err.message).toBe("list spaces failed: the run's timeout has passed; raise it with --run-timeout")
    expect(host.connections).toBe(seen)
  })

  test('spaceops list --timeout 1s gives up within the limit: one line, exit 1, no stack', async () => {
    const t0 = Date.now()
    const r = await cli(['list', '--host', host.url, '--token', 'dapi-timeout-test-02', '--timeout', '1s'])
    expect(Date.now() - t0).toBeLessThan(3_000)
    expect(r.code).toBe(1)
    expect(r.err.trim()).toBe('error: list spaces failed: no answer within the 1 s timeout for one API call; raise it with --timeout')
  })

  test('the action: input timeout ends a push at the limit with one line naming the input', async () => {
    const rt = new FakeRuntime(
      { mode: 'push', definition: 'examples/spaces/sales/space.yaml', host: host.url, token: 'dapi-timeout-test-04', timeout: '1s' },
      ROOT
    )
    const t0 = Date.now()
    await run(rt)
    expect(Date.now() - t0).toBeLessThan(3_000)
    expect(rt.failed).toMatch(/ failed: no answer within the 1 s timeout for one API call; raise it with input timeout$/)
  })

  test('spaceops push --run-timeout bounds the whole command', async () => {
    const t0 = Date.now()
    const r = await cli(['push', 'examples/spaces/sales/space.yaml', '--host', host.url, '--token', 'dapi-timeout-test-03', '--run-timeout', '1s'])
    expect(Date.now() - t0).toBeLessThan(3_000)
    expect(r.code).toBe(1)
    expect(r.err.trim().split('\n').pop()).toMatch(/^error: .* failed: the run's timeout has passed; raise it with --run-timeout$/)
  })
})

test('a host that sends headers and never finishes the body is cut at the limit too', async () => {
  const host = await rawHost('headers-only')
  try {
    const { ms, err } = await timed(realClient(host.url, { callTimeoutMs: 1_000 }).getSpace(SPACE_ID))
    expect(ms).toBeLessThan(2_500)
    expect(err.message).toBe(`get space ${SPACE_ID} failed: no answer within the 1 s timeout for one API call; raise it with --timeout`)
  } finally {
    await host.close()
  }
})

test('a host answering 503 is retried only while the call limit allows, then one line says how to raise it', async () => {
  const h = harness()
  const fake = new ScriptedFetch().otherwise(json(503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy' }))
  const transport = new HttpTransport(h.transportOptions(fake.fetch, { callTimeoutMs: 10_000, random: () => 1, names: CLI_NAMES }))
  const c = new GenieClient({ host: 'https://adb-1.azuredatabricks.net', auth: new PatAuth('dapi-timeout-test-05', h.secrets), transport })
  const err = await rejection(c.getSpace(SPACE_ID))
  // waits of 1 s, 2 s and 4 s fit in 10 s; the next (8 s) would not
  expect(h.clock.sleeps).toEqual([1_000, 2_000, 4_000])
  expect(err.message).toBe(
    `get space ${SPACE_ID} failed: HTTP 503 TEMPORARILY_UNAVAILABLE: busy (gave up after 4 attempts in 7 s; retry budget 10 s; raise it with --timeout)`
  )
})

describe('durations', () => {
  test.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1500ms', 1_500],
    ['45', 45_000],
    [' 2M ', 120_000]
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text, '--timeout')).toBe(ms)
  })

  test.each(['', '0s', '500ms', '25h', 'soon', '-5s', '5 m', '1e3', 'Infinity'])('%j is refused with one line naming the flag', (text) => {
    expect(() => parseDuration(text, '--timeout')).toThrow(`--timeout must be a duration between 1s and 24h such as 90s, 5m or 1h, not ${JSON.stringify(text)}`)
  })

  test('a run deadline is fixed once, from the clock given', () => {
    expect(runTimeoutOptions({ runTimeoutMs: 60_000 }, CLI_NAMES, () => 1_000)).toEqual({ deadline: 61_000, names: CLI_NAMES })
    expect(runTimeoutOptions({ callTimeoutMs: 5_000 }, CLI_NAMES, () => 0)).toMatchObject({ callTimeoutMs: 5_000, deadline: 2 * 60 * 60_000 })
  })
})

describe('flags are checked before anything runs', () => {
  test.each([
    [['list', '--timeout', 'forever'], '--timeout must be a duration between 1s and 24h such as 90s, 5m or 1h, not "forever"'],
    [['list', '--run-timeout', '0'], '--run-timeout must be a duration between 1s and 24h such as 90s, 5m or 1h, not "0"'],
    [['push', 'examples/spaces/sales/space.yaml', '--space-id', '..'], '--space-id: ".." is not a Genie space id (32 hexadecimal characters)'],
    [
      ['drift', 'examples/spaces/sales/space.yaml', '--space-id', '../../api/2.0/x'],
      '--space-id: "../../api/2.0/x" is not a Genie space id (32 hexadecimal characters)'
    ]
  ])('%j: usage error, exit 2', async (argv, message) => {
    const r = await cli(argv)
    expect(r.code).toBe(2)
    expect(r.err.trim()).toMatch(new RegExp(`^error: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; usage: spaceops `))
  })
})

describe('action inputs timeout, run-timeout and space-id are checked when read', () => {
  test.each([
    [{ timeout: 'forever' }, 'input timeout must be a duration between 1s and 24h such as 90s, 5m or 1h, not "forever"'],
    [{ 'run-timeout': '48h' }, 'input run-timeout must be a duration between 1s and 24h such as 90s, 5m or 1h, not "48h"'],
    [{ mode: 'snapshot', 'space-id': '..' }, 'input space-id: ".." is not a Genie space id (32 hexadecimal characters)'],
    [
      { mode: 'snapshot', 'space-id': `${SPACE_ID}/../../permissions` },
      `input space-id: "${SPACE_ID}/../../p…" is not a Genie space id (32 hexadecimal characters)`
    ]
  ])('%j', async (inputs, message) => {
    const rt = new FakeRuntime(inputs, ROOT)
    await run(rt)
    expect(rt.failed).toBe(message)
  })
})
