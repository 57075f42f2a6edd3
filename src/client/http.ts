/**
 * The transport: ONE `request()` used by every API call (Genie, permissions, workspace, OAuth token).
 *
 * - HTTP goes through an injected `fetch`-compatible function (msw and fakes can stand in). The
 *   default is undici's `fetch` with an `EnvHttpProxyAgent` built from the given env, so
 *   HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case) are honoured as curl does.
 * - JSON in/out (or a form body, for the OAuth token endpoint); `User-Agent: spaceops/<version>`;
 *   a per-attempt timeout through AbortSignal (default 60 s); redirects are NOT followed (a 3xx is
 *   reported with its Location — it almost always means a wrong host / login page).
 * - Retries (all waiting goes through the injected `sleep`; elapsed time comes from injected `now`):
 *     429 ................................... every call (the request was explicitly not processed)
 *     503, other 5xx, connection error, timeout ... only calls declared `idempotent`
 *   `Retry-After` (seconds or HTTP date) is honoured whenever present, capped at `maxRetryAfterMs`;
 *   otherwise exponential backoff with full jitter (`random() * min(maxDelay, base * 2^(n-1))`;
 *   a 429 waits at least `baseDelayMs`). Bounded by `maxAttempts` (5) and `maxTotalMs` (5 min).
 * - Timeouts, three of them, every one a hard wall (the socket is aborted when it is reached):
 *     per attempt  `timeoutMs` (60 s): one HTTP exchange, body included; a timed-out attempt is
 *                  retried like a lost connection (idempotent calls only);
 *     per call     `callTimeoutMs` (5 min; the user's `--timeout` / input `timeout`): one API call,
 *                  all its attempts and the waits between them; no attempt runs past it, no retry
 *                  starts that could not finish before it;
 *     per run      `deadline` (an instant on the `now` clock; the user's `--run-timeout` / input
 *                  `run-timeout`): shared by every call of a run; once passed, calls fail at once.
 *   Reaching the per-call or per-run wall ends the call with a one-line error naming the limit and
 *   how to raise it (in the face's words: `names`).
 *   Docs are silent on 503 for POST: the SDKs retry it, but the brief for SpaceOps is stricter —
 *   a non-idempotent call that gets 503/5xx/connection error/timeout throws `ambiguous: true`.
 *   A 4xx (other than 429) is definite: never retried, never ambiguous.
 * - Shared by every request of the transport (one per client, so one per workspace of a run, whose
 *   workers run side by side): a 429 pauses every request of the transport until its wait is over,
 *   not only the one that got it (the server said the client as a whole is too fast), and the run
 *   has one retry budget, a token bucket as in the AWS SDKs' standard retry mode: `maxRunRetries`
 *   (50) tokens, a retry takes one, a request answered at its first attempt gives a tenth back (up
 *   to the 50) — so occasional failures in a long run are always retried, while a server failing
 *   most requests drains it and the run reports failures at once instead of every worker retrying
 *   five times.
 * - A 401 on a call whose auth provider holds a cached OAuth token drops that token and retries once
 *   (a token revoked or expired early); a PAT cannot be refreshed, so its 401 is reported at once.
 * - Logs (through the Logger, every line redacted): one debug line per attempt (method, path, status,
 *   duration) and one info line per retry (operation, status, wait, attempt). Never a header, never a
 *   body, never a token.
 */
import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici'
import { NEUTRAL_NAMES, viaOption, type Names } from '../core/names.js'
import { oneLine } from '../util/errors.js'
import { VERSION } from '../version.js'
import { silentLogger, type Logger } from '../util/logger.js'
import { SecretRegistry } from '../util/secrets.js'
import { GenieApiError, excerpt, parseErrorBody, redactCredentials } from './errors.js'

/** The version sent in User-Agent unless the caller passes its own. */
export const CLIENT_VERSION = VERSION
export const DEFAULT_USER_AGENT = `spaceops/${CLIENT_VERSION}`

export type Env = Readonly<Record<string, string | undefined>>
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** The subset of `fetch` the client uses; `globalThis.fetch` and undici's `fetch` both fit. */
export interface FetchInit {
  method: string
  headers: Record<string, string>
  body?: string
  signal?: AbortSignal
  redirect?: 'manual'
}
export interface FetchResponse {
  readonly status: number
  readonly headers: { get(name: string): string | null }
  text(): Promise<string>
}
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>

/** What the transport needs from an auth provider (see auth.ts). */
export interface RequestAuth {
  headers(): Promise<Record<string, string>>
  /** Drop a cached token; true when that happened and a retry could help. */
  invalidate?(): boolean
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number
  /** No retry is started once this much time (from the first attempt) would be exceeded. */
  maxTotalMs: number
  baseDelayMs: number
  maxDelayMs: number
  /** Cap on a server-advised Retry-After wait. */
  maxRetryAfterMs: number
  /** The run's shared retry budget: tokens at the start and at most (a retry takes one; a first-attempt success gives 0.1 back). */
  maxRunRetries: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  maxTotalMs: 5 * 60_000,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
  maxRunRetries: 50
}
export const DEFAULT_TIMEOUT_MS = 60_000
/** One API call, retries included (the retry budget's default, now enforced as a wall). */
export const DEFAULT_CALL_TIMEOUT_MS = DEFAULT_RETRY_POLICY.maxTotalMs
/** A whole run (every call of one command or action step). */
export const DEFAULT_RUN_TIMEOUT_MS = 2 * 60 * 60_000

export interface TransportOptions {
  /** Defaults to undici fetch through a proxy-aware dispatcher built from `env`. */
  fetch?: FetchLike
  /** Used only to build the default fetch's proxy settings. Defaults to process.env. */
  env?: Env
  logger?: Logger
  secrets?: SecretRegistry
  /** Milliseconds since the epoch. */
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  /** [0, 1), for jitter. */
  random?: () => number
  /** Per attempt (default 60 s); capped by `callTimeoutMs`. */
  timeoutMs?: number
  /** Per call, every attempt and wait included (default 5 min). */
  callTimeoutMs?: number
  /** Per run: no call goes on past this instant (milliseconds on the `now` clock). */
  deadline?: number
  /** how the face names its settings: errors say how to raise a limit (`--timeout`, `input timeout`) */
  names?: Names
  retry?: Partial<RetryPolicy>
  userAgent?: string
}

/** State every request of one transport shares. */
export interface SharedRetryState {
  /** a 429 pauses every request until this instant on the `now` clock (0: no pause) */
  pausedUntil: number
  /** retry tokens spent, net of those given back by successes (every request together) */
  retriesUsed: number
  /** false for a transport whose caller paces 429s itself (see genie.ts rateLimitSurfacingTransport) */
  pauses: boolean
}

/** The limits of one run as a user sets them (`--timeout`, `--run-timeout`, inputs of the same names). */
export interface RunTimeouts {
  callTimeoutMs?: number
  runTimeoutMs?: number
}

/**
 * Transport options for a run that starts now: the per-call limit, and the run's deadline computed
 * once (pass the result to every client of the run so they share it).
 */
export function runTimeoutOptions(t: RunTimeouts, names: Names, now: () => number = Date.now): Pick<TransportOptions, 'callTimeoutMs' | 'deadline' | 'names'> {
  return {
    ...(t.callTimeoutMs !== undefined ? { callTimeoutMs: t.callTimeoutMs } : {}),
    deadline: now() + (t.runTimeoutMs ?? DEFAULT_RUN_TIMEOUT_MS),
    names
  }
}

/** Bounds on what a user may set: a second to a day. */
export const MIN_TIMEOUT_MS = 1_000
export const MAX_TIMEOUT_MS = 24 * 60 * 60_000

/**
 * `90s`, `5m`, `1h`, `1h30m`, `500ms`, or a bare number of seconds. One-line error naming `what`
 * (e.g. `--timeout`, `input timeout`) when it is not a duration between 1 s and 24 h.
 */
export { parseDuration } from '../util/duration.js'

export interface HttpRequest {
  /** Human operation name used in errors and logs: `get space`, `create space`, … */
  operation: string
  spaceId?: string
  method: HttpMethod
  /** Absolute URL. */
  url: string
  query?: Record<string, string | number | boolean | undefined>
  /** JSON body. */
  json?: unknown
  /** Form body (application/x-www-form-urlencoded). */
  form?: Record<string, string>
  headers?: Record<string, string>
  auth?: RequestAuth
  /** Safe to repeat: retried on 5xx / connection errors / timeouts. POST create is not. */
  idempotent: boolean
  timeoutMs?: number
}

export function createProxyDispatcher(env: Env = process.env, secrets?: SecretRegistry): EnvHttpProxyAgent {
  const pick = (...names: string[]): string => {
    for (const n of names) {
      const v = env[n]
      if (v !== undefined && v.trim() !== '') return v.trim()
    }
    return ''
  }
  const httpProxy = pick('http_proxy', 'HTTP_PROXY')
  const httpsProxy = pick('https_proxy', 'HTTPS_PROXY')
  for (const p of [httpProxy, httpsProxy]) registerProxyPassword(p, secrets)
  // Empty strings (not undefined) so undici does not fall back to reading process.env itself.
  return withoutExperimentalWarning(() => new EnvHttpProxyAgent({ httpProxy, httpsProxy, noProxy: pick('no_proxy', 'NO_PROXY') }))
}

/**
 * undici 6 — the major @actions/* depend on, so the bundle holds one copy — marks EnvHttpProxyAgent
 * experimental and prints a process warning on its first construction (undici 7 no longer does,
 * with the same options). Nothing in it is for a user to act on, and it would land on stderr of
 * every run: that one warning (code UNDICI-EHPA) is dropped while the agent is made; any other
 * warning passes.
 */
function withoutExperimentalWarning<T>(make: () => T): T {
  const emit = process.emitWarning
  process.emitWarning = function (this: unknown, warning: string | Error, ...rest: unknown[]) {
    const options = rest[0]
    const code = typeof options === 'object' && options !== null ? (options as { code?: unknown }).code : rest[1]
    if (code === 'UNDICI-EHPA') return
    return (emit as (...args: unknown[]) => void).call(process, warning, ...rest)
  } as typeof process.emitWarning
  try {
    return make()
  } finally {
    process.emitWarning = emit
  }
}

function registerProxyPassword(proxy: string, secrets: SecretRegistry | undefined): void {
  if (!proxy || !secrets) return
  try {
    const u = new URL(proxy)
    if (u.password) {
      secrets.add(u.password)
      secrets.add(decodeURIComponent(u.password))
    }
  } catch {
    // not a URL: undici will complain when it is used
  }
}

/** undici fetch through a dispatcher that honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
export function createDefaultFetch(env: Env = process.env, secrets?: SecretRegistry): FetchLike {
  const dispatcher = createProxyDispatcher(env, secrets)
  return (url, init) => undiciFetch(url, { ...init, dispatcher })
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

type Outcome =
  | { kind: 'ok'; status: number; text: string }
  | { kind: 'http'; status: number; errorCode?: string; message: string; retryAfterMs?: number }
  | { kind: 'network'; detail: string; timedOut: boolean; cause: unknown; wall?: Wall; permanent?: true }

/** Which hard limit ended an attempt: the call's or the run's (not the per-attempt timeout). */
type Wall = 'call' | 'run'

export class HttpTransport {
  readonly logger: Logger
  readonly secrets: SecretRegistry
  readonly now: () => number
  readonly sleep: (ms: number) => Promise<void>
  readonly random: () => number
  readonly timeoutMs: number
  readonly callTimeoutMs: number
  readonly deadline: number
  /** How the user raises the limits; without one, errors name the options. */
  readonly names: Names
  readonly retry: RetryPolicy
  readonly userAgent: string
  private readonly fetchFn: FetchLike
  /** what every request of the transport shares: the 429 pause and the retries used */
  readonly shared: SharedRetryState = { pausedUntil: 0, retriesUsed: 0, pauses: true }

  constructor(options: TransportOptions = {}) {
    this.logger = options.logger ?? silentLogger
    this.secrets = options.secrets ?? new SecretRegistry()
    this.now = options.now ?? Date.now
    this.sleep = options.sleep ?? realSleep
    this.random = options.random ?? Math.random
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS
    this.timeoutMs = Math.min(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, this.callTimeoutMs)
    this.deadline = options.deadline ?? Number.POSITIVE_INFINITY
    this.names = options.names ?? NEUTRAL_NAMES
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry }
    // no retry is scheduled that the call's own limit would cut short
    this.retry.maxTotalMs = Math.min(this.retry.maxTotalMs, this.callTimeoutMs)
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT
    this.fetchFn = options.fetch ?? createDefaultFetch(options.env ?? process.env, this.secrets)
  }

  /** Performs the request with retries; resolves to the parsed JSON body (`{}` when empty). */
  async request(req: HttpRequest): Promise<unknown> {
    const policy = this.retry
    const start = this.now()
    const callEnds = start + this.callTimeoutMs
    let attempt = 0
    let reauthenticated = false
    for (;;) {
      attempt++
      // another request's 429 pauses this one too (the request that got it waits in its own retry)
      const paused = this.shared.pausedUntil - this.now()
      if (this.shared.pauses && paused > 0) await this.sleep(Math.min(paused, Math.max(0, callEnds - this.now())))
      const outcome = await this.attempt(req, callEnds)
      if (outcome.kind === 'ok') {
        if (attempt === 1 && this.shared.retriesUsed > 0) this.shared.retriesUsed = Math.max(0, this.shared.retriesUsed - 0.1)
        return this.parseBody(req, outcome)
      }
      if (outcome.kind === 'network' && outcome.wall) throw this.wallError(req, outcome.wall, attempt)

      if (outcome.kind === 'http' && outcome.status === 401 && !reauthenticated && req.auth?.invalidate?.()) {
        reauthenticated = true
        attempt--
        this.log('debug', `${label(req)}: HTTP 401, refreshing the OAuth token and trying again`)
        continue
      }

      if (outcome.kind === 'network' && outcome.permanent) {
        // the connection was never made: nothing was sent, so not ambiguous, and retrying cannot help
        throw this.toError(req, outcome, { ambiguous: false, note: undefined })
      }
      const retryable = this.isRetryable(req, outcome)
      if (!retryable) {
        const ambiguous = !req.idempotent && isAmbiguousFailure(outcome)
        throw this.toError(req, outcome, {
          ambiguous,
          note: ambiguous ? 'the request may have been applied; not retried' : undefined
        })
      }
      if (attempt >= policy.maxAttempts) {
        throw this.toError(req, outcome, { ambiguous: false, note: `gave up after ${plural(attempt, 'attempt')}` })
      }
      if (this.shared.retriesUsed + 1 > policy.maxRunRetries) {
        throw this.toError(req, outcome, {
          ambiguous: false,
          note: `not retried: the run's retry budget (${policy.maxRunRetries}, shared by every request) is spent — the server is failing most requests`
        })
      }
      const wait = this.waitFor(outcome, attempt)
      if (this.now() + wait >= this.deadline) {
        throw this.toError(req, outcome, {
          ambiguous: false,
          note: `gave up after ${plural(attempt, 'attempt')}: the run's timeout ends before a retry could${viaOption(this.names, 'run-timeout', '; raise it with ')}`
        })
      }
      const elapsed = Math.max(0, this.now() - start)
      if (elapsed + wait > policy.maxTotalMs) {
        throw this.toError(req, outcome, {
          ambiguous: false,
          note: `gave up after ${plural(attempt, 'attempt')} in ${formatDuration(elapsed)}; retry budget ${formatDuration(policy.maxTotalMs)}${viaOption(this.names, 'timeout', '; raise it with ')}`
        })
      }
      this.log('info', `${label(req)}: ${shortOutcome(outcome)}, retrying in ${formatDuration(wait)} (attempt ${attempt + 1} of ${policy.maxAttempts})`)
      this.shared.retriesUsed++
      const pauseEnds = this.shared.pauses && outcome.kind === 'http' && outcome.status === 429 ? this.now() + wait : 0
      if (pauseEnds > this.shared.pausedUntil) this.shared.pausedUntil = pauseEnds
      await this.sleep(wait)
      // this request's wait is over: so is the pause it started (a later 429 may have extended it)
      if (pauseEnds && this.shared.pausedUntil === pauseEnds) this.shared.pausedUntil = 0
    }
  }

  private isRetryable(req: HttpRequest, outcome: Exclude<Outcome, { kind: 'ok' }>): boolean {
    if (outcome.kind === 'http') {
      if (outcome.status === 429) return true
      return req.idempotent && outcome.status >= 500
    }
    return req.idempotent
  }

  private waitFor(outcome: Exclude<Outcome, { kind: 'ok' }>, attempt: number): number {
    const p = this.retry
    if (outcome.kind === 'http' && outcome.retryAfterMs !== undefined) {
      return Math.min(outcome.retryAfterMs, p.maxRetryAfterMs)
    }
    const ceiling = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (attempt - 1))
    const jittered = Math.floor(this.random() * ceiling)
    if (outcome.kind === 'http' && outcome.status === 429) return Math.max(p.baseDelayMs, jittered)
    return jittered
  }

  /** The call or run limit was reached: one line naming the limit and how to raise it. */
  private wallError(req: HttpRequest, wall: Wall, attempts: number): GenieApiError {
    const ambiguous = !req.idempotent
    const limit =
      wall === 'call'
        ? `no answer within the ${formatDuration(this.callTimeoutMs)} timeout for one API call${attempts > 1 ? ` (${plural(attempts, 'attempt')})` : ''}${viaOption(this.names, 'timeout', '; raise it with ')}`
        : `the run's timeout has passed${viaOption(this.names, 'run-timeout', '; raise it with ')}`
    return new GenieApiError({
      operation: req.operation,
      spaceId: req.spaceId,
      detail: limit,
      ambiguous,
      ...(ambiguous ? { note: 'the request may have been applied' } : {}),
      secrets: this.secrets
    })
  }

  private async attempt(req: HttpRequest, callEnds: number): Promise<Outcome> {
    const url = buildUrl(req.url, req.query)
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': this.userAgent,
      ...req.headers
    }
    let body: string | undefined
    if (req.form !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded'
      body = new URLSearchParams(req.form).toString()
    } else if (req.json !== undefined) {
      headers['Content-Type'] = 'application/json'
      body = JSON.stringify(req.json)
    }
    // Auth errors (e.g. the token endpoint refusing) propagate as they are.
    if (req.auth) Object.assign(headers, await req.auth.headers())

    const started = this.now()
    const own = req.timeoutMs ?? this.timeoutMs
    // the attempt ends at the first of: its own timeout, the call's limit, the run's deadline
    const toCall = callEnds - started
    const toRun = this.deadline - started
    const timeoutMs = Math.max(0, Math.min(own, toCall, toRun))
    const wall: Wall | undefined = toRun <= Math.min(own, toCall) ? 'run' : toCall <= own ? 'call' : undefined
    if (timeoutMs <= 0) return { kind: 'network', detail: 'no time left', timedOut: true, cause: undefined, wall: wall ?? 'call' }
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), timeoutMs)
    try {
      const init: FetchInit = { method: req.method, headers, signal: controller.signal, redirect: 'manual' }
      if (body !== undefined) init.body = body
      const res = await this.fetchFn(url, init)
      const text = await res.text()
      this.log('debug', `${req.method} ${pathOf(url)} -> HTTP ${res.status} (${Math.max(0, this.now() - started)} ms)`)
      if (res.status >= 200 && res.status < 300) return { kind: 'ok', status: res.status, text }
      const parsed = parseErrorBody(text, this.secrets)
      let message = parsed.message
      if (res.status >= 300 && res.status < 400) {
        const location = res.headers.get('location')
        message = location ? `redirected to ${excerpt(location, 120, this.secrets)} (is the host right?)` : 'unexpected redirect (is the host right?)'
      }
      const outcome: Outcome = { kind: 'http', status: res.status, message }
      if (parsed.errorCode !== undefined) outcome.errorCode = parsed.errorCode
      const retryAfter = parseRetryAfter(res.headers.get('retry-after'), this.now())
      if (retryAfter !== undefined) outcome.retryAfterMs = retryAfter
      return outcome
    } catch (err) {
      const timedOut = controller.signal.aborted
      const permanent = timedOut ? undefined : permanentConnectFailure(err, url, this.secrets)
      const detail = timedOut
        ? `request timed out after ${formatDuration(timeoutMs)}`
        : (permanent ?? `connection error: ${describeNetworkError(err, this.secrets)}`)
      this.log('debug', `${req.method} ${pathOf(url)} -> ${detail}`)
      return {
        kind: 'network',
        detail,
        timedOut,
        cause: timedOut ? undefined : err,
        ...(permanent !== undefined ? { permanent: true } : {}),
        ...(timedOut && wall ? { wall } : {})
      }
    } finally {
      clearTimeout(timer)
    }
  }

  private parseBody(req: HttpRequest, outcome: { status: number; text: string }): unknown {
    if (outcome.text.trim() === '') return {}
    try {
      return JSON.parse(outcome.text) as unknown
    } catch {
      throw new GenieApiError({
        operation: req.operation,
        spaceId: req.spaceId,
        status: outcome.status,
        detail: `response is not JSON: ${excerpt(outcome.text, 120, this.secrets)}`,
        // It succeeded, so a non-idempotent call was applied even though we cannot read the answer.
        ambiguous: !req.idempotent,
        secrets: this.secrets
      })
    }
  }

  private toError(req: HttpRequest, outcome: Exclude<Outcome, { kind: 'ok' }>, extra: { ambiguous: boolean; note: string | undefined }): GenieApiError {
    if (outcome.kind === 'http') {
      return new GenieApiError({
        operation: req.operation,
        spaceId: req.spaceId,
        status: outcome.status,
        errorCode: outcome.errorCode,
        detail: outcome.message,
        note: extra.note,
        ambiguous: extra.ambiguous,
        secrets: this.secrets
      })
    }
    return new GenieApiError({
      operation: req.operation,
      spaceId: req.spaceId,
      detail: outcome.detail,
      note: extra.note,
      ambiguous: extra.ambiguous,
      secrets: this.secrets,
      cause: outcome.cause
    })
  }

  private log(level: 'debug' | 'info', message: string): void {
    this.logger[level](redactCredentials(this.secrets.redact(oneLine(message))))
  }
}

/** A failure after which a non-idempotent request may or may not have been applied. */
function isAmbiguousFailure(outcome: Exclude<Outcome, { kind: 'ok' }>): boolean {
  if (outcome.kind === 'network') return true
  return outcome.status >= 500
}

function label(req: HttpRequest): string {
  return req.spaceId ? `${req.operation} ${req.spaceId}` : req.operation
}

function shortOutcome(outcome: Exclude<Outcome, { kind: 'ok' }>): string {
  if (outcome.kind === 'network') return outcome.detail
  return `HTTP ${outcome.status}${outcome.errorCode ? ` ${outcome.errorCode}` : ''}`
}

export function buildUrl(base: string, query?: HttpRequest['query']): string {
  if (!query) return base
  const url = new URL(base)
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined) url.searchParams.set(k, String(v))
  }
  return url.toString()
}

function pathOf(url: string): string {
  try {
    const u = new URL(url)
    return `${u.pathname}${u.search}`
  } catch {
    return url
  }
}

/** `Retry-After`: delay-seconds or an HTTP date (RFC 9110 §10.2.3). Milliseconds, or undefined. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined
  const v = value.trim()
  if (v === '') return undefined
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number.parseFloat(v) * 1000)
  const at = Date.parse(v)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, at - nowMs)
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  const s = ms / 1000
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`
}

/**
 * Failures that no retry can mend, in one line naming the host: the name does not exist (DNS
 * ENOTFOUND) or its TLS certificate is not accepted. EAI_AGAIN is not among them: it is getaddrinfo's
 * "temporary failure" (the resolver did not answer, e.g. a runner's DNS hiccup), which a retry a few
 * seconds later often gets past — it stays retried like a reset connection.
 */
const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER'
])

function permanentConnectFailure(err: unknown, url: string, secrets: SecretRegistry): string | undefined {
  let host: string
  try {
    host = new URL(url).hostname
  } catch {
    host = url
  }
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, hostname } = e as { code?: unknown; hostname?: unknown }
    if (code === 'ENOTFOUND') {
      // a proxy's name failing to resolve names the proxy, not the workspace
      const name = typeof hostname === 'string' && hostname !== '' ? hostname : host
      return excerpt(`cannot resolve host ${name} (DNS ENOTFOUND): is the host name right?`, 200, secrets)
    }
    if (typeof code === 'string' && TLS_CODES.has(code)) {
      return excerpt(`TLS to ${host} failed (${code}): the server's certificate is not accepted; not retried`, 200, secrets)
    }
  }
  return undefined
}

function describeNetworkError(err: unknown, secrets: SecretRegistry): string {
  const parts: string[] = []
  const visit = (e: unknown, depth: number): void => {
    if (!e || depth > 3) return
    if (e instanceof Error) {
      const code = (e as { code?: unknown }).code
      const msg = e.message || e.name
      const text = typeof code === 'string' && !msg.includes(code) ? `${code} ${msg}` : msg
      if (!parts.includes(text)) parts.push(text)
      visit((e as { cause?: unknown }).cause, depth + 1)
    } else {
      parts.push(String(e))
    }
  }
  visit(err, 0)
  // undici says "fetch failed" and puts the useful part in `cause`.
  const useful = parts.length > 1 ? parts.filter((p) => p !== 'fetch failed') : parts
  return excerpt(useful.join(': ') || 'unknown error', 200, secrets)
}
