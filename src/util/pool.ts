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
 * `mapConcurrent` for items with a local first step (reading and checking a definition: files and
 * CPU, no request). `prepare` runs one item at a time, in item order, ahead of the workers — at
 * most `ahead` items beyond those already taken — so a worker that finishes an item starts the
 * next one's requests at once, and the files are read while requests are in flight instead of all
 * workers reading side by side between them (on one thread, the last of such a burst waits for
 * all the others, and no request is in flight meanwhile). At most `limit` `fn`s run at once, as in
 * `mapConcurrent`. `fn` gets its item's prepared value as a promise, rejected when `prepare`
 * failed, to await inside its own error handling.
 */
export async function mapAhead<T, P, R>(
  items: readonly T[],
  limit: number,
  prepare: (item: T, index: number) => Promise<P>,
  fn: (prepared: Promise<P>, item: T, index: number) => Promise<R>,
  ahead: number = limit
): Promise<R[]> {
  const prepared = new Array<Promise<P>>(items.length)
  let started = 0
  let chain: Promise<unknown> = Promise.resolve()
  const prepareUpTo = (end: number) => {
    for (; started < Math.min(end, items.length); started++) {
      const i = started
      const p = chain.then(() => prepare(items[i] as T, i))
      // a failure belongs to its item (fn awaits it); the next item is prepared all the same
      chain = p.catch(() => undefined)
      prepared[i] = p
    }
  }
  const window = Math.max(0, Math.floor(ahead) || 0)
  return mapConcurrent(items, limit, (item, i) => {
    prepareUpTo(i + 1 + window)
    return fn(prepared[i] as Promise<P>, item, i)
  })
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
