/**
 * Fault injection for /api/** routes (never /_emulator/** or /oidc/**).
 *
 * Reproducibility: every /api request draws exactly DRAWS_PER_REQUEST numbers from the fault PRNG,
 * in a fixed order, whatever faults are switched on. So the same seed and the same request
 * sequence give the same faults, and switching one fault on does not shift the others.
 *
 * Precedence for one request: latency (+ spike) → dropped connection → 429 → 5xx → handler →
 * lost response (writes only: the handler's change is applied, then the socket is destroyed).
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
}

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
  lostResponseRate: rate.optional()
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
  'lost-response-rate': 'lostResponseRate'
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

export class FaultInjector {
  private rng: Rng
  private config: FaultConfig

  constructor(config: FaultConfig, seed: number) {
    this.config = { ...config }
    this.rng = new Rng(seed)
  }

  getConfig(): FaultConfig {
    return structuredClone(this.config)
  }

  setConfig(config: FaultConfig): void {
    this.config = structuredClone(config)
  }

  reseed(seed: number): void {
    this.rng = new Rng(seed)
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
