import { mcnemarExact, wilsonInterval } from '../../src/benchmark/stats.js'

/**
 * Hand-computed values (z = 1.959964, z² = 3.841459):
 *   Wilson(k, n): centre = (p + z²/2n) / (1 + z²/n), half = z·√(p(1−p)/n + z²/4n²) / (1 + z²/n)
 *   McNemar exact: p = min(1, 2·Σ_{i ≤ min(b,c)} C(b+c, i) / 2^(b+c))
 */
describe('Wilson score interval (95%)', () => {
  test('8 of 10', () => {
    // p = 0.8, denom = 1.384146; centre = (0.8 + 0.192073)/1.384146 = 0.716741
    // half = 1.959964·√(0.016 + 0.009604)/1.384146 = 1.959964·0.160011/1.384146 = 0.226576
    const ci = wilsonInterval(8, 10)
    expect(ci.level).toBe(0.95)
    expect(ci.low).toBeCloseTo(0.490165, 5)
    expect(ci.high).toBeCloseTo(0.943317, 5)
  })
  test('0 of 5: not degenerate at zero', () => {
    // p = 0: centre = half = (3.841459/10)/(1 + 3.841459/5) = 0.384146/1.768292 = 0.217242
    const ci = wilsonInterval(0, 5)
    expect(ci.low).toBe(0)
    expect(ci.high).toBeCloseTo(0.434484, 5)
  })
  test('3 of 3', () => {
    // p = 1: centre = (1 + 0.640243)/2.280486 = 0.719250, half = 1.959964·√(0.106707)/2.280486 = 0.280750
    const ci = wilsonInterval(3, 3)
    expect(ci.low).toBeCloseTo(0.4385, 4)
    expect(ci.high).toBeCloseTo(1, 10)
  })
  test('no questions: the whole range', () => {
    expect(wilsonInterval(0, 0)).toEqual({ level: 0.95, low: 0, high: 1 })
  })
})

describe('exact McNemar test', () => {
  test.each([
    // [pass→fail, fail→pass, p, how]
    [0, 0, 1, 'no flips'],
    [5, 0, 0.0625, '2·(1/32)'],
    [6, 1, 0.125, '2·(1 + 7)/128'],
    [8, 1, 0.0390625, '2·(1 + 9)/512'],
    [1, 8, 0.0390625, 'symmetric'],
    [2, 2, 1, '2·(1 + 4 + 6)/16 > 1 → 1'],
    [10, 2, 0.0385742, '2·(1 + 12 + 66)/4096 = 158/4096']
  ])('%i pass→fail, %i fail→pass: p = %f (%s)', (b, c, p) => {
    expect(mcnemarExact(b, c)).toBeCloseTo(p, 6)
  })
})
