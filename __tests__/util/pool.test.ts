import { KeyedMutex, mapAhead, mapConcurrent, mapSettled } from '../../src/util/pool.js'

const later = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

test('at most `limit` at once, results in the order of the items whatever order they finish in', async () => {
  let inFlight = 0
  let most = 0
  const finished: number[] = []
  const delays = [40, 5, 30, 1, 20, 2, 10, 3, 25, 4]
  const out = await mapConcurrent(delays, 3, async (ms, i) => {
    most = Math.max(most, ++inFlight)
    await later(ms)
    inFlight--
    finished.push(i)
    return `#${i}`
  })
  expect(most).toBe(3)
  expect(out).toEqual(delays.map((_, i) => `#${i}`))
  expect(finished).not.toEqual([...finished].sort((a, b) => a - b))
})

test('one item that throws does not stop the others; the error comes once all are done', async () => {
  const ran: number[] = []
  await expect(
    mapConcurrent([1, 2, 3, 4, 5], 2, async (n) => {
      await later(n)
      if (n === 2) throw new Error('two failed')
      ran.push(n)
    })
  ).rejects.toThrow('two failed')
  expect(ran.sort()).toEqual([1, 3, 4, 5])
})

test('KeyedMutex: one key in order, other keys side by side', async () => {
  const m = new KeyedMutex()
  const log: string[] = []
  const job = (key: string, name: string, ms: number) =>
    m.run(key, async () => {
      log.push(`start ${name}`)
      await later(ms)
      log.push(`end ${name}`)
    })
  await Promise.all([job('a', 'a1', 20), job('a', 'a2', 1), job('b', 'b1', 5)])
  expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'))
  expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'))
})

test('mapSettled: every item reported in item order, failures beside successes, the first failure named', async () => {
  const { results, firstError } = await mapSettled([30, 1, 20, 2], 4, async (ms, i) => {
    await later(ms)
    if (i === 1 || i === 3) throw new Error(`#${i} failed`)
    return `#${i}`
  })
  expect(results.map((r) => ('value' in r ? r.value : (r.error as Error).message))).toEqual(['#0', '#1 failed', '#2', '#3 failed'])
  expect((firstError!.error as Error).message).toBe('#1 failed')
  expect((await mapSettled([1], 2, async () => 'ok')).firstError).toBeUndefined()
})

test('mapAhead: items prepared one at a time, in order, ahead of the workers; a worker that finishes starts its next item with it ready', async () => {
  const log: string[] = []
  let preparing = 0
  let mostPreparing = 0
  const items = [0, 1, 2, 3, 4, 5, 6, 7]
  const out = await mapAhead(
    items,
    2,
    async (n) => {
      mostPreparing = Math.max(mostPreparing, ++preparing)
      await null // reading a file: no timer, so the order below does not hang on timer precision
      preparing--
      log.push(`prepared ${n}`)
      return n * 10
    },
    async (prepared, n) => {
      const v = await prepared
      log.push(`start ${n}`)
      await later(15) // a request in flight
      log.push(`end ${n}`)
      return v
    },
    2
  )
  expect(out).toEqual(items.map((n) => n * 10))
  expect(mostPreparing).toBe(1)
  expect(log.filter((l) => l.startsWith('prepared'))).toEqual(items.map((n) => `prepared ${n}`))
  // items 2 and 3 are read while 0 and 1 are in flight, not after them
  expect(log.indexOf('prepared 3')).toBeLessThan(log.indexOf('end 0'))
  // never more than `ahead` items beyond those taken: 4 and 5 wait until 2 and 3 are taken
  expect(log.indexOf('prepared 5')).toBeGreaterThan(log.indexOf('end 0'))
})

test('mapAhead: a failed preparation is its item’s error only; the items after it are prepared and run', async () => {
  const out = await mapAhead(
    [1, 2, 3],
    1,
    async (n) => {
      if (n === 2) throw new Error('cannot read 2')
      return n
    },
    (prepared) => prepared.then(String, (e: Error) => e.message)
  )
  expect(out).toEqual(['1', 'cannot read 2', '3'])
})
