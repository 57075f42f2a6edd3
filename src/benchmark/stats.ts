/**
 * The two statistics a benchmark gate needs to tell noise from a change.
 *
 * - `wilsonInterval(k, n)`: the Wilson score interval of a pass rate k/n (Wilson 1927). Unlike the
 *   normal ("Wald") interval it stays inside [0, 1] and is not degenerate at 0/n or n/n, which is
 *   where small benchmark suites live.
 *     centre = (p + z²/2n) / (1 + z²/n),  half = z·√(p(1−p)/n + z²/4n²) / (1 + z²/n)
 * - `mcnemarExact(b, c)`: the exact (binomial) McNemar test for paired pass/fail outcomes: of the
 *   b + c questions that flipped, b went pass→fail and c fail→pass; under "no change" each flip is
 *   a fair coin, so the two-sided p-value is min(1, 2·P(X ≤ min(b, c))) with X ~ Binomial(b+c, ½).
 *   No flips: p = 1.
 */
export const Z_95 = 1.959963984540054

export interface Interval {
  level: number
  low: number
  high: number
}

export function wilsonInterval(passed: number, total: number, level = 0.95): Interval {
  if (level !== 0.95) throw new RangeError('only the 95% interval is implemented')
  if (total <= 0) return { level, low: 0, high: 1 }
  const z = Z_95
  const p = passed / total
  const z2 = z * z
  const denom = 1 + z2 / total
  const centre = (p + z2 / (2 * total)) / denom
  const half = (z * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total))) / denom
  return { level, low: Math.max(0, centre - half), high: Math.min(1, centre + half) }
}

/** ln C(n, k), summed exactly enough for the counts of a benchmark suite (n up to a few thousand). */
function logChoose(n: number, k: number): number {
  let s = 0
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i)
  return s
}

export function mcnemarExact(passToFail: number, failToPass: number): number {
  const n = passToFail + failToPass
  if (n === 0) return 1
  const k = Math.min(passToFail, failToPass)
  let tail = 0
  for (let i = 0; i <= k; i++) tail += Math.exp(logChoose(n, i) - n * Math.LN2)
  return Math.min(1, 2 * tail)
}
