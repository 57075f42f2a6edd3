/**
 * Fault injection for /api/** routes (never /_emulator/** or /oidc/**).
 *
 * Reproducibility: every /api request draws exactly DRAWS_PER_REQUEST numbers from the fault PRNG,
 * in a fixed order, whatever faults are switched on. So the same seed and the same request
 * sequence give the same faults, and switching one fault on does not shift the others.
 *
 * Precedence for one request: latency (+ spike) → dropped connection → 429 → 5xx → handler →
 * lost response (writes only: the handler's change is applied, then the socket is destroyed).
 *
 * Conversation-API faults (genie*, queryResultExpiredRate) are drawn from a second PRNG, exactly
 * GENIE_DRAWS_PER_MESSAGE draws per new message (start-conversation or follow-up), in a fixed
 * order, so they never shift the per-request stream above and vice versa. Both PRNGs are re-seeded
 * together (reset, POST /_emulator/faults with `seed`).
 *
 * The latency settings of the conversation, statement and eval-run APIs live here too (they are
 * configured the same way), with realistic DEFAULT_GENIE_TIMINGS when not set: an empty
 * configuration (`{}`) means "no faults", not "no latency".
 */
import { z } from 'zod'
import { Rng } from './prng.js'

export interface FaultConfig {
  /** Probability of a 5xx (500 INTERNAL_ERROR or 503 TEMPORARILY_UNAVAILABLE, 50/50) per request. */
  errorRate?: number
  /** Per-operation 5xx rates (op names as in the request log, e.g. `list`); override errorRate. */
  errorRateFor?: Record<string, number>
  /** Probability of 429 RESOURCE_EXHAUSTED with a Retry-After header. */
  rate429?: number
  /** Retry-After seconds sent with 429 (default 1). */
  retryAfter?: number
  /** Added to every /api request, in ms. */
  latencyMs?: number
  latencySpikeRate?: number
  latencySpikeMs?: number
  /** Probability that the socket is destroyed before anything is processed or sent. */
  dropRate?: number
  /** Probability (writes only: POST/PUT/PATCH/DELETE) that the write is applied and the response lost. */
  lostResponseRate?: number
  /** Probability that a Genie message ends FAILED (error type UNEXPECTED_REPLY_PROCESS_EXCEPTION). */
  genieFailRate?: number
  /** Probability that a Genie message ends CANCELLED. */
  genieCancelRate?: number
  /**
   * Probability that a Genie message with a successful query ends QUERY_RESULT_EXPIRED: its
   * query-result answers state CLOSED until execute-query is called.
   */
  queryResultExpiredRate?: number
  /** Base time from a Genie message's creation to its final status, ms (default 2000). */
  genieLatencyMs?: number
  /** Extra seeded random time added to genieLatencyMs, uniform in [0, jitter) ms (default 4000). */
  genieLatencyJitterMs?: number
  /** Time from submitting a SQL statement to its result, ms (default 200). */
  statementLatencyMs?: number
  /** Time per benchmark question of a Genie eval run, ms (default 2000; the run waits half of it before starting). */
  evalLatencyMs?: number
  /**
   * Genie questions (start-conversation + follow-up messages) allowed per rolling minute per
   * workspace; overrides the emulator option `questionsPerMinute` (default 5). 0 = no limit.
   */
  questionsPerMinute?: number
}

/** Conversation/statement/eval timings used when the configuration does not set them. */
export const DEFAULT_GENIE_TIMINGS = Object.freeze({
  genieLatencyMs: 2000,
  genieLatencyJitterMs: 4000,
  statementLatencyMs: 200,
  evalLatencyMs: 2000
})

/** How one Genie message ends, decided when it is created. */
export interface GenieDecision {
  /** Creation → final status, ms (genieLatencyMs + seeded jitter). */
  latencyMs: number
  outcome: 'answer' | 'fail' | 'cancel'
  /** A successful query answer ends QUERY_RESULT_EXPIRED instead of COMPLETED. */
  expired: boolean
}

export const GENIE_DRAWS_PER_MESSAGE = 4

export type FaultAction = 'none' | 'drop' | 'rate-limit' | 'internal-error' | 'unavailable'

export interface FaultDecision {
  delayMs: number
  spike: boolean
  action: FaultAction
  loseResponse: boolean
}

export const DRAWS_PER_REQUEST = 6

const rate = z.number().min(0).max(1)
const ms = z.number().int().min(0).max(600_000)

const FaultConfigSchema = z.strictObject({
  errorRate: rate.optional(),
  errorRateFor: z.record(z.string().min(1), rate).optional(),
  rate429: rate.optional(),
  retryAfter: z.number().int().min(0).max(3600).optional(),
  latencyMs: ms.optional(),
  latencySpikeRate: rate.optional(),
  latencySpikeMs: ms.optional(),
  dropRate: rate.optional(),
  lostResponseRate: rate.optional(),
  genieFailRate: rate.optional(),
  genieCancelRate: rate.optional(),
  queryResultExpiredRate: rate.optional(),
  genieLatencyMs: ms.optional(),
  genieLatencyJitterMs: ms.optional(),
  statementLatencyMs: ms.optional(),
  evalLatencyMs: ms.optional(),
  questionsPerMinute: z.number().int().min(0).max(100_000).optional()
})

/** The CLI flag names, accepted as aliases in POST /_emulator/faults bodies. */
export const FAULT_FLAG_ALIASES: Readonly<Record<string, keyof FaultConfig>> = {
  'error-rate': 'errorRate',
  'error-rate-for': 'errorRateFor',
  'rate-429': 'rate429',
  'retry-after': 'retryAfter',
  latency: 'latencyMs',
  'latency-spike-rate': 'latencySpikeRate',
  'latency-spike-ms': 'latencySpikeMs',
  'drop-rate': 'dropRate',
  'lost-response-rate': 'lostResponseRate',
  'genie-fail-rate': 'genieFailRate',
  'genie-cancel-rate': 'genieCancelRate',
  'query-result-expired-rate': 'queryResultExpiredRate',
  'genie-latency': 'genieLatencyMs',
  'genie-latency-jitter': 'genieLatencyJitterMs',
  'statement-latency': 'statementLatencyMs',
  'eval-latency': 'evalLatencyMs',
  'questions-per-minute': 'questionsPerMinute'
}

/** Validate a fault configuration (camelCase or CLI flag names). Throws Error with a one-line message. */
export function parseFaultConfig(input: unknown): FaultConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error('fault configuration must be a JSON object')
  const renamed: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(input)) renamed[FAULT_FLAG_ALIASES[k] ?? k] = v
  const parsed = FaultConfigSchema.safeParse(renamed)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'faults'
    throw new Error(`invalid fault configuration: ${where}: ${issue?.message ?? 'invalid'}`)
  }
  const out: FaultConfig = {}
  for (const [k, v] of Object.entries(parsed.data)) {
    if (v !== undefined) (out as Record<string, unknown>)[k] = v
  }
  return out
}

export function checkFaultOps(config: FaultConfig, knownOps: readonly string[]): void {
  for (const op of Object.keys(config.errorRateFor ?? {})) {
    if (!knownOps.includes(op)) throw new Error(`unknown endpoint '${op}' in error-rate-for; known: ${knownOps.join(', ')}`)
  }
}

const GENIE_SEED_SALT = 0x6e1e5eed

export class FaultInjector {
  private rng: Rng
  private genieRng: Rng
  private config: FaultConfig

  constructor(config: FaultConfig, seed: number) {
    this.config = { ...config }
    this.rng = new Rng(seed)
    this.genieRng = new Rng(seed ^ GENIE_SEED_SALT)
  }

  getConfig(): FaultConfig {
    return structuredClone(this.config)
  }

  setConfig(config: FaultConfig): void {
    this.config = structuredClone(config)
  }

  reseed(seed: number): void {
    this.rng = new Rng(seed)
    this.genieRng = new Rng(seed ^ GENIE_SEED_SALT)
  }

  /** A timing setting, or its default. */
  timing(name: keyof typeof DEFAULT_GENIE_TIMINGS): number {
    return this.config[name] ?? DEFAULT_GENIE_TIMINGS[name]
  }

  /** The questionsPerMinute override, if the configuration sets one. */
  questionsPerMinute(): number | undefined {
    return this.config.questionsPerMinute
  }

  /** How a new Genie message ends. Always exactly GENIE_DRAWS_PER_MESSAGE draws, in this order. */
  decideGenie(): GenieDecision {
    const c = this.config
    const dJitter = this.genieRng.next()
    const dFail = this.genieRng.next()
    const dCancel = this.genieRng.next()
    const dExpired = this.genieRng.next()
    const latencyMs = Math.round(this.timing('genieLatencyMs') + dJitter * this.timing('genieLatencyJitterMs'))
    let outcome: GenieDecision['outcome'] = 'answer'
    if (dFail < (c.genieFailRate ?? 0)) outcome = 'fail'
    else if (dCancel < (c.genieCancelRate ?? 0)) outcome = 'cancel'
    return { latencyMs, outcome, expired: outcome === 'answer' && dExpired < (c.queryResultExpiredRate ?? 0) }
  }

  retryAfterSeconds(): number {
    return this.config.retryAfter ?? 1
  }

  decide(op: string, isWrite: boolean): FaultDecision {
    const c = this.config
    // Always exactly DRAWS_PER_REQUEST draws, in this order.
    const dSpike = this.rng.next()
    const dDrop = this.rng.next()
    const d429 = this.rng.next()
    const dError = this.rng.next()
    const dErrorKind = this.rng.next()
    const dLost = this.rng.next()

    const spike = dSpike < (c.latencySpikeRate ?? 0)
    const delayMs = (c.latencyMs ?? 0) + (spike ? (c.latencySpikeMs ?? 0) : 0)
    const errorRate = c.errorRateFor?.[op] ?? c.errorRate ?? 0
    let action: FaultAction = 'none'
    if (dDrop < (c.dropRate ?? 0)) action = 'drop'
    else if (d429 < (c.rate429 ?? 0)) action = 'rate-limit'
    else if (dError < errorRate) action = dErrorKind < 0.5 ? 'internal-error' : 'unavailable'
    const loseResponse = action === 'none' && isWrite && dLost < (c.lostResponseRate ?? 0)
    return { delayMs, spike, action, loseResponse }
  }
}
