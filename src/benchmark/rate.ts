/**
 * The token bucket for the POSTs that ask Genie a question (start-conversation, follow-up message).
 * Genie allows about 5 questions per minute per workspace (all spaces together, best effort) and
 * does not queue: a question over the limit is refused. Polling does not count.
 *
 * Two ways to hand out the `ratePerMinute` tokens:
 * - `window` (default): the bucket holds `ratePerMinute` tokens and a token used comes back one
 *   minute after its request was answered — at most Q questions in any rolling minute, the literal
 *   reading of "Q per minute" (and what the emulator enforces). N questions are asked by
 *   ⌊(N−1)/Q⌋ minutes: the first Q at once. The minute counts from the answer to the POST (not
 *   from sending it), plus `marginMs` (250 ms), so a request that reached the server late never
 *   makes the next one look early.
 * - `even`: a classic token bucket, one token every 60/Q seconds, at most `burst` (default 1) kept:
 *   questions spread evenly, for servers that meter continuously.
 * Either way a server that is stricter answers 429, and the caller pauses the bucket:
 * `pauseUntil(t)` — no token before `t` (in `even` mode the tokens held are dropped and one is ready
 * at `t`: the server's advised wait already covers its budget). A pause extends, never shortens.
 *
 * `take()` waits for a token and returns a lease; `lease.release()` once the asking POST has been
 * answered (success or not). Waiters are served first come, first served, except that
 * `take({ first: true })` (a question the server just refused, asking again) goes to the front.
 * All time comes from the injected `now` and `sleep`, so tests run on a fake clock.
 */
export type Pacing = 'window' | 'even'

export interface TokenBucketOptions {
  ratePerMinute: number
  pacing?: Pacing
  /** `even` only: tokens that may be kept (questions asked back to back); default 1. */
  burst?: number
  /** `window` only: added to the minute a token is away (default 250 ms). */
  marginMs?: number
  now: () => number
  sleep: (ms: number) => Promise<void>
}

export interface Lease {
  /** The asking POST was answered at `at` (default now): the token's minute starts. */
  release(at?: number): void
  /** The token was not used after all: it is back at once. */
  cancel(): void
}

const NO_LEASE: Lease = { release: () => undefined, cancel: () => undefined }

export class TokenBucket {
  readonly ratePerMinute: number
  readonly pacing: Pacing
  readonly burst: number
  readonly marginMs: number
  /** `window`: how long a used token stays away (a minute, stretched when the rate is fractional). */
  readonly windowMs: number
  private readonly now: () => number
  private readonly sleep: (ms: number) => Promise<void>
  // even
  private tokens: number
  private last: number
  // window: when each token taken comes back (Infinity while its request is out)
  private returns: number[] = []
  private pausedUntil = 0
  private readonly waiters: { resolve: (lease: Lease) => void; reject: (err: unknown) => void }[] = []
  private pumping = false
  /** Tokens handed out. */
  taken = 0

  constructor(options: TokenBucketOptions) {
    if (!(options.ratePerMinute > 0) || !Number.isFinite(options.ratePerMinute)) {
      throw new RangeError(`questions per minute must be a positive number, not ${options.ratePerMinute}`)
    }
    this.ratePerMinute = options.ratePerMinute
    this.pacing = options.pacing ?? 'window'
    this.burst = this.pacing === 'window' ? Math.max(1, Math.floor(options.ratePerMinute)) : Math.max(1, Math.floor(options.burst ?? 1))
    this.marginMs = options.marginMs ?? 250
    // `burst` tokens per window at `ratePerMinute`: 60 s for a whole rate, longer for 0.5 or 2.5 a minute.
    this.windowMs = (60_000 * this.burst) / this.ratePerMinute
    this.now = options.now
    this.sleep = options.sleep
    this.tokens = this.burst
    this.last = this.now()
  }

  /** Average milliseconds per token. */
  get intervalMs(): number {
    return 60_000 / this.ratePerMinute
  }

  private closed: { reason: unknown } | undefined

  /** Refuses every waiter, now and later, with `reason` (the run is over). */
  close(reason: unknown): void {
    this.closed ??= { reason }
    for (const w of this.waiters.splice(0)) w.reject(reason)
  }

  /** Resolves with a lease when a token is granted (first come, first served; `first` jumps the queue). */
  take(options: { first?: boolean } = {}): Promise<Lease> {
    if (this.closed) return Promise.reject(this.closed.reason)
    return new Promise<Lease>((resolve, reject) => {
      if (options.first) this.waiters.unshift({ resolve, reject })
      else this.waiters.push({ resolve, reject })
      void this.pump()
    })
  }

  /** No token before `untilMs`. Extends, never shortens, a pause. */
  pauseUntil(untilMs: number): void {
    this.refill()
    this.pausedUntil = Math.max(this.pausedUntil, untilMs)
    if (this.pacing === 'even') {
      this.tokens = 0
      this.last = Math.max(this.last, this.pausedUntil - this.intervalMs)
    }
  }

  /** When the next token could be granted, ignoring waiters (for ETAs). */
  nextTokenAt(): number {
    const now = this.now()
    let at: number
    if (this.pacing === 'even') {
      this.refill()
      at = this.tokens >= 1 ? now : now + (1 - this.tokens) * this.intervalMs
    } else {
      const busy = this.returns.filter((r) => r > now)
      if (busy.length < this.burst) at = now
      else {
        const soonest = Math.min(...busy)
        at = Number.isFinite(soonest) ? soonest : now + this.intervalMs
      }
    }
    return Math.max(at, this.pausedUntil)
  }

  /** Milliseconds until `n` more tokens will have been granted (0 for n ≤ 0), if each is released at once (for ETAs). */
  timeUntil(n: number): number {
    if (n <= 0) return 0
    const now = this.now()
    const start = Math.max(now, this.pausedUntil)
    if (this.pacing === 'even') return Math.max(0, this.nextTokenAt() - now) + (n - 1) * this.intervalMs
    const busy = this.returns
      .filter((r) => r > start)
      .map((r) => (Number.isFinite(r) ? r : now + this.windowMs + this.marginMs))
      .sort((a, b) => a - b)
    // Each of the `burst` slots is ready at its time, then every window after: the n-th grant is
    // slot (n−1) mod burst, ⌊(n−1)/burst⌋ windows later.
    const slots = [...new Array<number>(Math.max(0, this.burst - busy.length)).fill(start), ...busy].sort((a, b) => a - b)
    const k = n - 1
    const at = (slots[k % slots.length] ?? start) + Math.floor(k / slots.length) * (this.windowMs + this.marginMs)
    return Math.max(0, Math.max(at, start) - now)
  }

  /** One loop hands out tokens while anyone waits; the token goes to whoever is first when it is ready. */
  private async pump(): Promise<void> {
    if (this.pumping) return
    this.pumping = true
    try {
      while (this.waiters.length) {
        let lease: Lease
        try {
          lease = await this.acquire()
        } catch (err) {
          for (const w of this.waiters.splice(0)) w.reject(err)
          return
        }
        // A pause may have begun while the token was being fetched (a 429 just came back).
        if (this.now() < this.pausedUntil) {
          lease.cancel()
          continue
        }
        const w = this.waiters.shift()
        if (w) w.resolve(lease)
        else lease.cancel()
      }
    } finally {
      this.pumping = false
    }
  }

  /** Tokens accrue from `last` (which a pause may put in the future). */
  private refill(): void {
    const now = this.now()
    if (now <= this.last) return
    this.tokens = Math.min(this.burst, this.tokens + (now - this.last) / this.intervalMs)
    this.last = now
  }

  private async acquire(): Promise<Lease> {
    for (;;) {
      const now = this.now()
      if (now < this.pausedUntil) {
        await this.sleep(this.pausedUntil - now)
        continue
      }
      if (this.pacing === 'even') {
        this.refill()
        if (this.tokens >= 1 - 1e-9) {
          this.tokens = Math.max(0, this.tokens - 1)
          this.taken++
          return NO_LEASE
        }
        await this.sleep(Math.max(1, Math.ceil((1 - this.tokens) * this.intervalMs)))
        continue
      }
      this.returns = this.returns.filter((r) => r > now)
      if (this.returns.length < this.burst) {
        this.returns.push(Number.POSITIVE_INFINITY)
        this.taken++
        let released = false
        const settle = (back: number) => {
          if (released) return
          released = true
          // Placeholders are all alike: replace any one.
          const i = this.returns.indexOf(Number.POSITIVE_INFINITY)
          if (i >= 0) this.returns[i] = back
        }
        return {
          release: (at?: number) => settle((at ?? this.now()) + this.windowMs + this.marginMs),
          cancel: () => settle(Number.NEGATIVE_INFINITY)
        }
      }
      const soonest = Math.min(...this.returns)
      // every token is out with its request unanswered: look again shortly
      await this.sleep(Number.isFinite(soonest) ? Math.max(1, soonest - now) : Math.min(1000, this.intervalMs))
    }
  }
}
