import { GenieApiError, GenieRateLimitError, type GenieClient, type GenieMessage } from '../client/index.js'
import { checkReadOnly } from '../sql/index.js'
import { describeError } from '../util/errors.js'
import type { Logger } from '../util/logger.js'
import type { TokenBucket } from './rate.js'
import { refusedExpectedSql, scoreAnswer, type Answer, type ResultContext } from './score.js'
import type { ProgressTracker, QuestionState, SuiteState } from './state.js'
import type { AttemptResult } from './types.js'

/**
 * The conversation strategy: every attempt is a fresh conversation (start-conversation), as
 * Databricks advises, so no answer leans on an earlier one.
 *
 * - Pacing: each asking POST takes a token from the shared bucket (rate.ts: at most Q questions in
 *   any rolling minute by default); polling does not. `concurrency` attempts are in flight at once,
 *   so while one waits for its answer the next is already asked: N questions take the time the rate
 *   limit needs to let N questions through (⌊(N−1)/Q⌋ minutes) plus about one answer's latency,
 *   not N × latency.
 * - A 429 on the POST, or a message that ends FAILED with a RATE_LIMIT_EXCEEDED_* error, is the
 *   limit, not the space: the bucket pauses for the advised time (Retry-After; the wait the message
 *   names; otherwise one token interval, doubling on each repeat, at most 5 minutes) and the SAME
 *   attempt asks again. It is never counted against the space; after `maxRateLimitWaitMs` (default
 *   30 minutes) of refusals for one attempt it is an `error`.
 * - A POST that fails ambiguously (5xx, lost connection: it may or may not have been asked) is
 *   asked again, twice at most; 401 / 403 / 404 (no such space, no permission) stop the whole run
 *   with that error; other API errors make the attempt an `error`.
 * - Polling: GET the message after 1 s, then ×1.5 up to every 5 s, until a terminal status or the
 *   question's timeout (default 10 minutes). COMPLETED: the SQL of the query attachment (none — a
 *   text answer or a clarifying question — fails as "no SQL"). FAILED / CANCELLED: fails with
 *   Genie's error. QUERY_RESULT_EXPIRED: the attachment's query is re-run once (execute-query) and
 *   polling goes on; if it expires again the SQL at hand is scored (results are compared by running
 *   both statements on the warehouse, not from Genie's cached result). No answer in time: fails.
 *   An attachment whose SQL is not one read-only statement (sql/readonly.ts) is never re-run.
 * - A question whose expected_sql is not one read-only statement is not asked: each attempt is an
 *   `error` with the reason (no question of the rate limit is spent on it).
 */
export type ConversationClient = Pick<
  GenieClient,
  'startConversation' | 'getMessage' | 'executeQuery' | 'executeStatement' | 'getStatement' | 'getStatementResultChunk' | 'cancelStatement'
>

export interface ConversationContext {
  client: ConversationClient
  spaceId: string
  bucket: TokenBucket
  concurrency: number
  now: () => number
  sleep: (ms: number) => Promise<void>
  logger: Logger
  progress: ProgressTracker
  resultContext: (q: QuestionState) => ResultContext | undefined
  maxRateLimitWaitMs: number
  stats: { rateLimited: number; statements: number }
  /** Set when the run is being stopped: attempts in flight end at their next step. */
  stopped?: () => boolean
}

export const POLL_START_MS = 1000
export const POLL_FACTOR = 1.5
export const POLL_MAX_MS = 5000
export const MAX_RATE_LIMIT_BACKOFF_MS = 5 * 60_000
export const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 30 * 60_000
const AMBIGUOUS_RETRIES = 2

const RATE_LIMIT_TYPE = /^RATE_LIMIT_EXCEEDED/i

type PollOutcome =
  | { kind: 'answer'; answer: Answer; attachmentId?: string }
  | { kind: 'rate-limited'; waitMs?: number; detail: string }
  | { kind: 'error'; error: string }

export async function runConversations(ctx: ConversationContext, suites: SuiteState[]): Promise<void> {
  // Round-robin: every question's first attempt, then second attempts, … so repeats come last and
  // early decisions can skip them. A repeat is held back while the attempts in flight could
  // decide its question (e.g. the 3rd of "2 of 3" while the first two are out).
  const rounds = Math.max(0, ...suites.flatMap((s) => s.questions.map((q) => q.q.repeat)))
  const pending: { qs: QuestionState; attempt: number }[] = []
  for (let r = 1; r <= rounds; r++) for (const s of suites) for (const qs of s.questions) if (r <= qs.q.repeat) pending.push({ qs, attempt: r })

  const inFlight = new Map<QuestionState, number>()
  let waiters: (() => void)[] = []
  const notify = () => {
    const w = waiters
    waiters = []
    for (const f of w) f()
  }
  const couldBeDecided = (qs: QuestionState): boolean => {
    const f = inFlight.get(qs) ?? 0
    // --repeat asks every attempt: nothing in flight can make the rest unnecessary
    if (qs.q.askAll) return false
    return f > 0 && (qs.passes + f >= qs.q.minPasses || qs.notPassed + f > qs.q.repeat - qs.q.minPasses)
  }
  const pick = (): { qs: QuestionState; attempt: number } | 'wait' | undefined => {
    const i = pending.findIndex((j) => j.qs.decided || !couldBeDecided(j.qs))
    if (i >= 0) return pending.splice(i, 1)[0]
    return pending.length ? 'wait' : undefined
  }

  let latencySum = 0
  let latencyCount = 0
  /** Picked attempts not asked yet (waiting for a token). */
  let waiting = 0
  const eta = (): number => {
    const toAsk = pending.filter((j) => !j.qs.decided).length + waiting
    const avgLatency = latencyCount ? latencySum / latencyCount : 0
    return ctx.bucket.timeUntil(toAsk) + avgLatency
  }

  let fatal: unknown
  const worker = async (): Promise<void> => {
    for (;;) {
      if (fatal !== undefined) return
      const job = pick()
      if (job === undefined) return
      if (job === 'wait') {
        await new Promise<void>((resolve) => waiters.push(resolve))
        continue
      }
      const { qs, attempt } = job
      let result: AttemptResult
      if (qs.decided) {
        result = { attempt, status: 'skipped', checks: [], duration_ms: 0, rate_limited: 0 }
      } else {
        inFlight.set(qs, (inFlight.get(qs) ?? 0) + 1)
        waiting++
        let asked = false
        const onAsked = () => {
          if (!asked) waiting--
          asked = true
        }
        try {
          result = await askAndScore({ ...ctx, stopped: () => fatal !== undefined }, qs, attempt, onAsked)
        } catch (err) {
          // The space is gone or the caller may not use it: stop asking anything else.
          if (fatal === undefined) {
            fatal = err
            pending.length = 0
            ctx.bucket.close(err)
            notify()
          }
          throw err
        } finally {
          onAsked()
          inFlight.set(qs, (inFlight.get(qs) ?? 1) - 1)
        }
        if (result.status !== 'error') {
          latencySum += result.duration_ms
          latencyCount++
        }
      }
      // Timings count from the accepted question (not from waiting for a token).
      const end = ctx.now()
      if (qs.record(result, end - result.duration_ms, end)) {
        const r = qs.result()
        ctx.logger.debug(`${r.passed ? 'passed' : r.status}: ${qs.suite.suite.name}: "${qs.q.question}"${r.failure ? ` — ${r.failure}` : ''}`)
        ctx.progress.decided(qs, eta())
      }
      notify()
    }
  }
  const total = pending.length
  // Every worker ends (the others stop at their next step once one hit a fatal error) before the
  // run returns or throws: nothing keeps asking in the background.
  const ends = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(ctx.concurrency, total)) }, worker))
  if (fatal !== undefined) throw fatal
  const failed = ends.find((e): e is PromiseRejectedResult => e.status === 'rejected')
  if (failed) throw failed.reason
}

function errorAttempt(attempt: number, error: string, rateLimited: number, extra: Partial<AttemptResult> = {}): AttemptResult {
  return { attempt, status: 'error', checks: [], error, duration_ms: 0, rate_limited: rateLimited, ...extra }
}

async function askAndScore(ctx: ConversationContext, qs: QuestionState, attempt: number, onAsked: () => void): Promise<AttemptResult> {
  const { client, spaceId, bucket, logger } = ctx
  const q = qs.q
  const suite: SuiteState = qs.suite
  const firstTry = ctx.now()
  let rateLimited = 0
  let ambiguous = 0

  const backOff = (advisedMs: number | undefined, why: string): string | undefined => {
    rateLimited++
    ctx.stats.rateLimited++
    const ownBackoff = Math.min(MAX_RATE_LIMIT_BACKOFF_MS, bucket.intervalMs * 2 ** Math.min(20, rateLimited - 1))
    const wait = advisedMs !== undefined && advisedMs > 0 ? advisedMs : ownBackoff
    if (ctx.now() + wait - firstTry > ctx.maxRateLimitWaitMs) {
      return `rate limited for more than ${Math.round(ctx.maxRateLimitWaitMs / 60_000)} min (${why}); not asked`
    }
    bucket.pauseUntil(ctx.now() + wait)
    logger.info(`rate limited (${why}): pausing questions for ${Math.ceil(wait / 1000)} s, then asking "${q.question}" again`)
    return undefined
  }

  const refused = refusedExpectedSql(q)
  if (refused !== undefined) return errorAttempt(attempt, refused, rateLimited)
  for (;;) {
    if (ctx.stopped?.()) return errorAttempt(attempt, 'the run was stopped', rateLimited)
    if (suite.expired(ctx.now())) return errorAttempt(attempt, `the suite's timeout_seconds ran out before this question was asked`, rateLimited)
    // Asking again after a refusal goes first: the question keeps its place in line.
    const lease = await bucket.take({ first: rateLimited > 0 || ambiguous > 0 })
    const askedAt = ctx.now()
    suite.start(askedAt)
    if (suite.expired(askedAt)) {
      lease.cancel()
      return errorAttempt(attempt, `the suite's timeout_seconds ran out before this question was asked`, rateLimited)
    }

    let conversationId: string
    let messageId: string
    try {
      const started = await client.startConversation(spaceId, q.question)
      conversationId = started.conversation_id
      messageId = started.message_id
    } catch (err) {
      const refused = err instanceof GenieRateLimitError || (err instanceof GenieApiError && err.status === 429)
      // A 429 was not processed: its token goes back (the pause below holds everyone); any other
      // failure may have reached Genie and keeps its minute.
      if (refused) lease.cancel()
      else lease.release(ctx.now())
      if (refused) {
        const advised = err instanceof GenieRateLimitError ? err.retryAfterMs : undefined
        const giveUp = backOff(advised, 'HTTP 429')
        if (giveUp) return errorAttempt(attempt, giveUp, rateLimited)
        continue
      }
      if (err instanceof GenieApiError && (err.status === 401 || err.status === 403 || err.status === 404)) throw err
      if (err instanceof GenieApiError && (err.ambiguous || (err.status ?? 0) >= 500) && ambiguous < AMBIGUOUS_RETRIES) {
        ambiguous++
        logger.warn(`asking "${q.question}" failed (${err.message}); asking again`)
        continue
      }
      return errorAttempt(attempt, describeError(err), rateLimited)
    }

    lease.release(ctx.now())
    onAsked()
    // While Genie thinks, the expected result is computed (once per question; errors surface when scored).
    const resultContext = ctx.resultContext(qs)
    resultContext?.expected().catch(() => undefined)
    const ids = { conversation_id: conversationId, message_id: messageId }
    const outcome = await poll(ctx, conversationId, messageId, askedAt + q.timeoutMs, q.timeoutMs)
    if (outcome.kind === 'rate-limited') {
      const giveUp = backOff(outcome.waitMs, outcome.detail)
      if (giveUp) return errorAttempt(attempt, giveUp, rateLimited, ids)
      continue
    }
    const startedAt = new Date(askedAt).toISOString()
    if (outcome.kind === 'error') {
      return errorAttempt(attempt, outcome.error, rateLimited, { ...ids, started_at: startedAt, duration_ms: ctx.now() - askedAt })
    }
    const answer = outcome.answer
    const score = await scoreAnswer(q, answer, resultContext)
    return {
      attempt,
      status: score.status,
      ...(answer.sql !== undefined ? { sql: answer.sql } : {}),
      ...(answer.text !== undefined ? { text: answer.text } : {}),
      checks: score.checks,
      ...(score.error !== undefined ? { error: score.error } : {}),
      started_at: startedAt,
      duration_ms: ctx.now() - askedAt,
      rate_limited: rateLimited,
      ...ids
    }
  }
}

async function poll(ctx: ConversationContext, conversationId: string, messageId: string, deadline: number, timeoutMs: number): Promise<PollOutcome> {
  let delay = POLL_START_MS
  let reexecuted = false
  let status = 'SUBMITTED'
  let lastMessage: GenieMessage | undefined
  for (;;) {
    const now = ctx.now()
    if (now >= deadline) {
      const partial = lastMessage ? extractAnswer(lastMessage) : {}
      return {
        kind: 'answer',
        answer: {
          ...(partial.sql !== undefined ? { sql: partial.sql } : {}),
          noSql: `no answer within ${Math.round(timeoutMs / 1000)} s (last status ${status})`
        }
      }
    }
    await ctx.sleep(Math.max(1, Math.min(delay, deadline - now)))
    delay = Math.min(delay * POLL_FACTOR, POLL_MAX_MS)
    if (ctx.stopped?.()) return { kind: 'error', error: 'the run was stopped' }
    let msg: GenieMessage
    try {
      msg = await ctx.client.getMessage(ctx.spaceId, conversationId, messageId)
    } catch (err) {
      return { kind: 'error', error: describeError(err) }
    }
    lastMessage = msg
    status = msg.status ?? 'SUBMITTED'
    if (status === 'COMPLETED') return { kind: 'answer', answer: extractAnswer(msg) }
    if (status === 'FAILED') {
      const type = msg.error?.type ?? ''
      const text = msg.error?.error ?? ''
      if (RATE_LIMIT_TYPE.test(type) || (!type && /rate limit/i.test(text))) {
        const waitMs = parseWait(text)
        return { kind: 'rate-limited', ...(waitMs !== undefined ? { waitMs } : {}), detail: type || 'rate limit' }
      }
      const partial = extractAnswer(msg)
      return {
        kind: 'answer',
        answer: {
          ...(partial.sql !== undefined ? { sql: partial.sql } : {}),
          noSql: `Genie failed${type ? ` (${type})` : ''}${text ? `: ${oneLineExcerpt(text)}` : ''}`
        }
      }
    }
    if (status === 'CANCELLED') {
      return { kind: 'answer', answer: { noSql: `the message was cancelled${msg.error?.error ? `: ${oneLineExcerpt(msg.error.error)}` : ''}` } }
    }
    if (status === 'QUERY_RESULT_EXPIRED') {
      const attachment = msg.attachments.find((a) => a.query && a.attachment_id)
      const check = checkReadOnly(attachment?.query?.query ?? '')
      if (attachment && !check.readOnly) ctx.logger.debug(`the expired query of message ${messageId} is not re-run: ${check.reason}`)
      if (!reexecuted && attachment?.attachment_id && check.readOnly) {
        reexecuted = true
        try {
          await ctx.client.executeQuery(ctx.spaceId, conversationId, messageId, attachment.attachment_id)
          delay = POLL_START_MS
          continue
        } catch (err) {
          ctx.logger.debug(`re-running the expired query of message ${messageId} failed (${describeError(err)}); scoring its SQL`)
        }
      }
      return { kind: 'answer', answer: extractAnswer(msg) }
    }
  }
}

/** The SQL of the query attachment; without one, why there is no SQL (text answer or clarifying question). */
export function extractAnswer(msg: GenieMessage): Answer {
  const query = msg.attachments.find((a) => a.query?.query?.trim())
  const texts = msg.attachments.map((a) => a.text?.content?.trim()).filter((t): t is string => !!t)
  const text = texts.length ? texts.join('\n') : undefined
  if (query?.query?.query) return { sql: query.query.query, ...(text !== undefined ? { text } : {}) }
  const followUp = msg.attachments.find((a) => a.text?.purpose === 'FOLLOW_UP_QUESTION' && a.text.content)
  if (followUp?.text?.content) {
    return { text: followUp.text.content, noSql: `no SQL: Genie asked a clarifying question: "${oneLineExcerpt(followUp.text.content)}"` }
  }
  if (text !== undefined) return { text, noSql: `no SQL: Genie answered with text: "${oneLineExcerpt(text)}"` }
  return { noSql: 'no SQL: the answer has no query attachment' }
}

function oneLineExcerpt(text: string, max = 160): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`
}

/** "retry after 30 seconds", "wait 2 minutes", "in 500 ms" → milliseconds. */
export function parseWait(text: string): number | undefined {
  const m = /(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?)\b/i.exec(text)
  if (!m) return undefined
  const n = Number(m[1])
  const unit = (m[2] ?? 's').toLowerCase()
  if (unit.startsWith('ms') || unit.startsWith('milli')) return n
  if (unit.startsWith('m')) return n * 60_000
  return n * 1000
}
