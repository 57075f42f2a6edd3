import { createServer, type Server } from 'node:net'
import { EmulatorArgsError, parseEmulatorArgs, runEmulatorCli, startEmulator } from '../../src/emulator/index.js'

describe('parseEmulatorArgs', () => {
  test('all documented flags', () => {
    const parsed = parseEmulatorArgs([
      '--port',
      '8123',
      '--seed',
      '42',
      '--data',
      '/tmp/x',
      '--error-rate',
      '0.2',
      '--error-rate-for',
      'list=0.5',
      '--error-rate-for=get=0.1,update=0.3',
      '--rate-429',
      '0.1',
      '--retry-after',
      '1',
      '--latency',
      '20',
      '--latency-spike-rate',
      '0.05',
      '--latency-spike-ms',
      '2000',
      '--drop-rate',
      '0.05',
      '--lost-response-rate',
      '0.1',
      '--missing-parent-status',
      '400',
      '--missing-space-status',
      '403',
      '--parent-path-style',
      'strip-workspace',
      '--reject-v1-flags-in-v2',
      '--limit',
      'maxTextInstructions=3',
      '--token',
      'pat-1',
      '--client-id',
      'cid',
      '-v'
    ])
    expect(parsed).toEqual({
      help: false,
      verbose: true,
      options: {
        port: 8123,
        seed: 42,
        dataDir: '/tmp/x',
        faults: {
          errorRate: 0.2,
          errorRateFor: { list: 0.5, get: 0.1, update: 0.3 },
          rate429: 0.1,
          retryAfter: 1,
          latencyMs: 20,
          latencySpikeRate: 0.05,
          latencySpikeMs: 2000,
          dropRate: 0.05,
          lostResponseRate: 0.1
        },
        behaviour: { missingParentStatus: 400, missingSpaceStatus: 403, parentPathStyle: 'strip-workspace', rejectV1FlagsInV2: true },
        limits: { maxTextInstructions: 3 },
        auth: { clientId: 'cid', tokens: ['pat-1'] }
      }
    })
  })

  test('--help', () => {
    expect(parseEmulatorArgs(['--port', '1', '--help'])).toEqual({ help: true })
  })

  test.each([
    [['--port'], '--port needs a value'],
    [['--port', 'abc'], "--port expects a number, got 'abc'"],
    [['--port', '70000'], '--port expects an integer from 0 to 65535'],
    [['--error-rate', '1.5'], 'errorRate'],
    [['--error-rate-for', 'list'], '--error-rate-for expects <name>=<value>'],
    [['--frobnicate'], "unknown option '--frobnicate'"],
    [['--latency', '--seed', '1'], '--latency needs a value'],
    [['--limit', 'maxWidgets=3'], "unknown limit 'maxWidgets'"],
    [['--missing-space-status', '500'], '--missing-space-status expects 404 or 403'],
    [['--verbose=yes'], '--verbose takes no value']
  ])('%j is refused: %s', (argv, message) => {
    expect(() => parseEmulatorArgs(argv)).toThrow(EmulatorArgsError)
    expect(() => parseEmulatorArgs(argv)).toThrow(message)
  })
})

interface Captured {
  out: string[]
  err: string[]
  stop: () => void
  io: Parameters<typeof runEmulatorCli>[1]
  firstLine: Promise<string>
}

function capture(): Captured {
  let stop: () => void = () => {}
  let gotLine: (line: string) => void = () => {}
  const firstLine = new Promise<string>((resolve) => {
    gotLine = resolve
  })
  const stopped = new Promise<void>((resolve) => {
    stop = resolve
  })
  const out: string[] = []
  const err: string[] = []
  return {
    out,
    err,
    firstLine,
    stop: () => stop(),
    io: {
      stdout: (line) => {
        out.push(line)
        gotLine(line)
      },
      stderr: (line) => err.push(line),
      waitForStop: () => stopped
    }
  }
}

describe('runEmulatorCli', () => {
  test('prints the URL first, starts in well under a second, serves, stops cleanly', async () => {
    const c = capture()
    const t0 = performance.now()
    const exit = runEmulatorCli(['--seed', '5', '--error-rate-for', 'list=1'], c.io)
    const url = await c.firstLine
    const startup = performance.now() - t0
    expect(startup).toBeLessThan(1000)
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(c.out[0]).toBe(url)
    expect(c.err.join('\n')).toContain('seed 5')

    const health = await fetch(`${url}/_emulator/health`)
    expect(await health.json()).toEqual({ ok: true, seed: 5 })
    const list = await fetch(`${url}/api/2.0/genie/spaces`, { headers: { authorization: 'Bearer t' } })
    expect([500, 503]).toContain(list.status)

    c.stop()
    expect(await exit).toBe(0)
    await expect(fetch(`${url}/_emulator/health`)).rejects.toThrow()
  })

  test('--verbose logs requests on stderr', async () => {
    const c = capture()
    const exit = runEmulatorCli(['-v'], c.io)
    const url = await c.firstLine
    await fetch(`${url}/api/2.0/genie/spaces`, { headers: { authorization: 'Bearer t' } })
    c.stop()
    expect(await exit).toBe(0)
    expect(c.err.some((l) => /^GET \/api\/2\.0\/genie\/spaces -> 200 \d+ms$/.test(l))).toBe(true)
  })

  test('--help prints usage and exits 0', async () => {
    const c = capture()
    expect(await runEmulatorCli(['--help'], c.io)).toBe(0)
    expect(c.out.join('\n')).toMatch(/^Usage: spaceops emulator/)
    expect(c.out.join('\n')).toContain('--lost-response-rate')
  })

  test('bad flags: one-line error, exit 2, nothing started', async () => {
    for (const argv of [['--error-rate', 'lots'], ['--error-rate-for', 'nosuchop=0.5'], ['--bogus']]) {
      const c = capture()
      const code = await runEmulatorCli(argv, c.io)
      expect(code).toBeGreaterThan(0)
      expect(c.out).toEqual([])
      expect(c.err).toHaveLength(1)
      expect(c.err[0]).toMatch(/^spaceops emulator: /)
      expect(c.err[0]).not.toContain('\n')
    }
  })

  test('a port in use is a start error (exit 1)', async () => {
    const blocker: Server = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as { port: number }).port
    try {
      const c = capture()
      expect(await runEmulatorCli(['--port', String(port)], c.io)).toBe(1)
      expect(c.err[0]).toMatch(/^spaceops emulator: cannot start: .*EADDRINUSE/)
    } finally {
      blocker.close()
    }
  })

  test('startEmulator itself is fast', async () => {
    const t0 = performance.now()
    const emu = await startEmulator({})
    expect(performance.now() - t0).toBeLessThan(1000)
    expect(emu.url).toBe(`http://127.0.0.1:${emu.port}`)
    await emu.close()
  })
})
