import { SpaceOpsError } from './errors.js'

/**
 * A duration as people write it in flags and inputs: `90s`, `5m`, `1m30s`, `2h`, `500ms`, or a bare
 * number of seconds. Throws a one-line error naming `what` (e.g. "--lock-timeout").
 */
export function parseDuration(text: string, what: string, bounds: { maxMs?: number } = {}): number {
  const t = text.trim().toLowerCase()
  const UNIT: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }
  let ms: number | undefined
  if (/^\d+(\.\d+)?$/.test(t)) ms = Number(t) * 1000
  else if (/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(t)) {
    ms = 0
    for (const m of t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) ms += Number(m[1]) * (UNIT[m[2] as string] as number)
  }
  if (ms === undefined || !Number.isFinite(ms)) throw new SpaceOpsError(`${what} must be a duration such as 90s, 5m or 1m30s, not "${text}"`)
  const max = bounds.maxMs ?? 24 * 3_600_000
  if (ms > max) throw new SpaceOpsError(`${what} must be at most ${Math.round(max / 60_000)} minutes, not "${text}"`)
  return Math.round(ms)
}
