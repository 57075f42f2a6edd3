/**
 * Bounded concurrency across definitions: at most `limit` run at once, results in the order of
 * `items` whatever the order they finish in. `fn` is expected to report its own failures in its
 * result (a plan's error, a push's error row); one that throws does not stop the others — every
 * item still runs, and the first error is thrown once all have finished.
 */
export const DEFAULT_CONCURRENCY = 8

export async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let failed: { error: unknown } | undefined
  let next = 0
  const worker = async () => {
    for (;;) {
      const i = next++
      if (i >= items.length) return
      try {
        results[i] = await fn(items[i] as T, i)
      } catch (error) {
        failed ??= { error }
      }
    }
  }
  const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length))
  await Promise.all(Array.from({ length: workers }, worker))
  if (failed) throw failed.error
  return results
}

/**
 * `mapConcurrent` for modes that report every item before failing: each result is `{ value }` or
 * `{ error }`, in the order of `items`; `firstError` is the first item's error, if any failed.
 */
export async function mapSettled<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>
): Promise<{ results: ({ value: R } | { error: unknown })[]; firstError?: { error: unknown } }> {
  const results = await mapConcurrent(items, limit, (item, i) =>
    fn(item, i).then(
      (value) => ({ value }),
      (error: unknown) => ({ error })
    )
  )
  const first = results.find((r): r is { error: unknown } => 'error' in r)
  return first ? { results, firstError: first } : { results }
}

/**
 * Runs functions that share a key one after another (in the order they asked), functions with
 * different keys side by side. The modes key definitions by the space they may resolve to (title):
 * two definitions of one title in one run are handled in order, as they were one by one, so the
 * second sees the space the first created instead of creating another.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>()

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve()
    const mine = before.then(fn, fn)
    const tail = mine.catch(() => undefined)
    this.tails.set(key, tail)
    try {
      return await mine
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key)
    }
  }
}
