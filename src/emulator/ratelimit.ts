/**
 * The Genie question rate limit (genie-api.md, "Conversations"): "about 5 questions per minute per
 * workspace (all spaces together, best effort); only the POSTs that ask count, polling does not."
 *
 * Emulated as a rolling 60-second window on the emulator clock over the accepted asking POSTs
 * (start-conversation and follow-up messages) of the whole emulator (= one workspace). Choices
 * where the docs are silent:
 *   - A question refused with 429 does not take a slot; nor does a request refused for another
 *     reason first (unknown space, empty content, …) — the limit is checked just before the
 *     message is created.
 *   - Retry-After = whole seconds until the oldest question in the window leaves it (at least 1).
 *   - execute-query, eval runs and statement execution do not count.
 *   - The limit is exact (not "best effort"), so tests can rely on it.
 */
export const DEFAULT_QUESTIONS_PER_MINUTE = 5
export const WINDOW_MS = 60_000

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number }

export class QuestionLimiter {
  private times: number[] = []

  reset(): void {
    this.times = []
  }

  private prune(now: number): void {
    // Entries are in time order; a clock that goes backwards keeps them until it catches up.
    while (this.times.length > 0 && (this.times[0] as number) <= now - WINDOW_MS) this.times.shift()
  }

  /** Questions counted in the window ending at `now`. */
  used(now: number): number {
    this.prune(now)
    return this.times.length
  }

  /** Take a slot for one question at `now`, or say how long to wait. `limit` 0 = unlimited. */
  take(now: number, limit: number): TakeResult {
    this.prune(now)
    if (limit > 0 && this.times.length >= limit) {
      const oldest = this.times[this.times.length - limit] as number
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000)) }
    }
    this.times.push(now)
    return { ok: true }
  }
}
