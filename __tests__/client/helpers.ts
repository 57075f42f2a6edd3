/** Test doubles for the client layer: a scripted fetch, a fake clock, msw wiring. No module mocks. */
import { MemoryLogger } from '../../src/util/logger.js'
import { SecretRegistry } from '../../src/util/secrets.js'
import type { FetchInit, FetchLike, FetchResponse, TransportOptions } from '../../src/client/index.js'

export const HOST = 'https://adb-1234567890.12.azuredatabricks.net'
export const SPACE_ID = '01f0c0b4e81510000000000000000001'

export interface RecordedCall {
  url: string
  method: string
  headers: Record<string, string>
  body?: string
}

type Reply = FetchResponse | Error | Promise<FetchResponse>

/** A fetch that records every call and answers from a script (or a function of the call). */
export class ScriptedFetch {
  readonly calls: RecordedCall[] = []
  private readonly script: ((call: RecordedCall, index: number) => Reply)[] = []
  private fallback: ((call: RecordedCall, index: number) => Reply) | undefined

  reply(...replies: ((call: RecordedCall, index: number) => Reply)[]): this {
    this.script.push(...replies)
    return this
  }

  otherwise(fn: (call: RecordedCall, index: number) => Reply): this {
    this.fallback = fn
    return this
  }

  readonly fetch: FetchLike = async (url: string, init: FetchInit) => {
    const call: RecordedCall = { url, method: init.method, headers: { ...init.headers } }
    if (init.body !== undefined) call.body = init.body
    const index = this.calls.length
    this.calls.push(call)
    const next = this.script.shift() ?? this.fallback
    if (!next) throw new Error(`unexpected request ${init.method} ${url}`)
    const r = await next(call, index)
    if (r instanceof Error) throw r
    return r
  }
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): () => FetchResponse {
  return () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })
}

export function text(status: number, body: string, headers: Record<string, string> = {}): () => FetchResponse {
  return () => new Response(body, { status, headers })
}

export function connectionReset(): () => Error {
  return () => {
    const cause = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })
    return new TypeError('fetch failed', { cause })
  }
}

/** A clock whose sleep advances time instantly and records every wait. */
export class FakeClock {
  t = Date.parse('2026-03-01T12:00:00Z')
  readonly sleeps: number[] = []
  readonly now = (): number => this.t
  readonly sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms)
    this.t += ms
  }
  advance(ms: number): void {
    this.t += ms
  }
}

export interface Harness {
  clock: FakeClock
  logger: MemoryLogger
  secrets: SecretRegistry
  transportOptions(fetch: FetchLike, extra?: Partial<TransportOptions>): TransportOptions
}

export function harness(): Harness {
  const clock = new FakeClock()
  const logger = new MemoryLogger()
  const secrets = new SecretRegistry()
  return {
    clock,
    logger,
    secrets,
    transportOptions: (fetch, extra = {}) => ({
      fetch,
      logger,
      secrets,
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
      ...extra
    })
  }
}

/** Awaits a promise expected to reject and returns the error. */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p
  } catch (err) {
    if (err instanceof Error) return err
    throw new Error(`rejected with a non-Error: ${String(err)}`)
  }
  throw new Error('expected a rejection, but the promise resolved')
}

/** Lets msw's patched global fetch be looked up at call time. */
export const viaGlobalFetch: FetchLike = (url, init) => globalThis.fetch(url, init)
