import { TokenBucket } from '../../src/benchmark/rate.js'
import { VirtualClock } from './helpers.js'

/** A clock whose sleep advances time at once (sequential use only). */
class FakeClock {
  t = 1_000_000
  sleeps: number[] = []
  now = () => this.t
  sleep = async (ms: number) => {
    this.sleeps.push(ms)
    this.t += ms
  }
}

describe('token bucket, even pacing', () => {
  test('starts full, then one token per 60/rate seconds', async () => {
    const c = new FakeClock()
    const b = new TokenBucket({ ratePerMinute: 5, pacing: 'even', now: c.now, sleep: c.sleep })
    const at: number[] = []
    for (let i = 0; i < 4; i++) {
      await b.take()
      at.push(c.t - 1_000_000)
    }
    expect(at).toEqual([0, 12_000, 24_000, 36_000])
    expect(b.taken).toBe(4)
  })

  test('burst lets that many go back to back, no more', async () => {
    const c = new FakeClock()
    const b = new TokenBucket({ ratePerMinute: 6, pacing: 'even', burst: 3, now: c.now, sleep: c.sleep })
    const at: number[] = []
    for (let i = 0; i < 5; i++) {
      await b.take()
      at.push(c.t - 1_000_000)
    }
    expect(at).toEqual([0, 0, 0, 10_000, 20_000])
  })

  test('idle time refills up to the burst only', async () => {
    const c = new FakeClock()
    const b = new TokenBucket({ ratePerMinute: 60, pacing: 'even', burst: 2, now: c.now, sleep: c.sleep })
    await b.take()
    await b.take()
    c.t += 60_000
    const start = c.t
    await b.take()
    await b.take()
    await b.take()
    expect(c.t - start).toBe(1000)
  })

  test('pauseUntil: nothing before it, one token at it, held tokens dropped', async () => {
    const c = new FakeClock()
    const b = new TokenBucket({ ratePerMinute: 5, pacing: 'even', burst: 3, now: c.now, sleep: c.sleep })
    b.pauseUntil(c.t + 30_000)
    await b.take()
    expect(c.t - 1_000_000).toBe(30_000)
    await b.take()
    expect(c.t - 1_000_000).toBe(42_000)
    // a shorter pause never shortens a longer one
    b.pauseUntil(c.t + 50_000)
    b.pauseUntil(c.t + 1_000)
    expect(b.nextTokenAt() - c.t).toBe(50_000)
  })

  test('concurrent takers are served first come, first served, evenly spaced', async () => {
    const clock = new VirtualClock()
    const b = new TokenBucket({ ratePerMinute: 30, pacing: 'even', now: clock.now, sleep: clock.sleep })
    const order: [number, number][] = []
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        b.take().then(() => {
          order.push([i, clock.elapsed])
        })
      )
    )
    expect(order).toEqual([
      [0, 0],
      [1, 2000],
      [2, 4000],
      [3, 6000],
      [4, 8000],
      [5, 10000]
    ])
  })

  test('rejects a rate that is not positive', () => {
    const c = new FakeClock()
    expect(() => new TokenBucket({ ratePerMinute: 0, now: c.now, sleep: c.sleep })).toThrow(/positive/)
  })
})

describe('token bucket, rolling-window pacing (the default)', () => {
  test('Q at once, then each token a minute after its request was answered (+ margin)', async () => {
    const clock = new VirtualClock()
    const b = new TokenBucket({ ratePerMinute: 3, now: clock.now, sleep: clock.sleep })
    expect(b.pacing).toBe('window')
    const at: number[] = []
    await Promise.all(
      Array.from({ length: 7 }, async () => {
        const lease = await b.take()
        at.push(clock.elapsed)
        await clock.sleep(500) // the POST takes half a second
        lease.release()
      })
    )
    expect(at).toEqual([0, 0, 0, 60_750, 60_750, 60_750, 121_500])
  })

  test('a token whose request is still out does not come back', async () => {
    const clock = new VirtualClock()
    const b = new TokenBucket({ ratePerMinute: 1, now: clock.now, sleep: clock.sleep })
    const lease = await b.take()
    let second = -1
    const p = b.take().then((l) => {
      second = clock.elapsed
      l.release()
    })
    await clock.sleep(120_000)
    expect(second).toBe(-1)
    lease.release()
    await p
    expect(second).toBe(180_250)
  })

  test('cancel gives the token back at once; pauseUntil holds everything', async () => {
    const clock = new VirtualClock()
    const b = new TokenBucket({ ratePerMinute: 1, now: clock.now, sleep: clock.sleep })
    ;(await b.take()).cancel()
    await b.take()
    expect(clock.elapsed).toBe(0)
    const c2 = new VirtualClock()
    const b2 = new TokenBucket({ ratePerMinute: 10, now: c2.now, sleep: c2.sleep })
    b2.pauseUntil(c2.now() + 30_000)
    expect(b2.nextTokenAt() - c2.now()).toBe(30_000)
    await b2.take()
    expect(c2.elapsed).toBe(30_000)
  })
})

test('take({ first: true }) jumps the queue', async () => {
  const clock = new VirtualClock()
  const b = new TokenBucket({ ratePerMinute: 60, pacing: 'even', now: clock.now, sleep: clock.sleep })
  await b.take()
  const order: string[] = []
  const p1 = b.take().then(() => order.push('a'))
  const p2 = b.take().then(() => order.push('b'))
  const p3 = b.take({ first: true }).then(() => order.push('retry'))
  await Promise.all([p1, p2, p3])
  expect(order).toEqual(['retry', 'a', 'b'])
})

test('a fractional rate stretches the window: 0.5 a minute is one every 2 minutes', async () => {
  const clock = new VirtualClock()
  const b = new TokenBucket({ ratePerMinute: 0.5, marginMs: 0, now: clock.now, sleep: clock.sleep })
  ;(await b.take()).release()
  ;(await b.take()).release()
  expect(clock.elapsed).toBe(120_000)
})

test('timeUntil: when the n-th next token will be granted', async () => {
  const clock = new VirtualClock()
  const w = new TokenBucket({ ratePerMinute: 3, marginMs: 0, now: clock.now, sleep: clock.sleep })
  expect([1, 3, 4, 6, 7].map((n) => w.timeUntil(n))).toEqual([0, 0, 60_000, 60_000, 120_000])
  ;(await w.take()).release()
  await clock.sleep(10_000)
  // one token back at 60 s, two free now
  expect([1, 2, 3, 4, 5].map((n) => w.timeUntil(n))).toEqual([0, 0, 50_000, 60_000, 60_000])
  const e = new TokenBucket({ ratePerMinute: 6, pacing: 'even', now: clock.now, sleep: clock.sleep })
  await e.take()
  expect(e.timeUntil(3)).toBe(30_000)
})
