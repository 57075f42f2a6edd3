import { SpaceOpsError } from './errors.js'

/**
 * A duration as people write it in flags and inputs: `90s`, `5m`, `1m30s`, `2h`, `500ms`, or a bare
 * number of seconds. Between 1 s and 24 h unless `bounds` say otherwise. Throws a one-line usage
 * error (exit 2) naming `what` (e.g. "--timeout", "input lock-timeout").
 */
export function parseDuration(value: string, what: string, bounds: { minMs?: number; maxMs?: number } = {}): number {
  const min = bounds.minMs ?? 1000
  const max = bounds.maxMs ?? 24 * 3_600_000
  const v = value.trim().toLowerCase()
  let ms = Number.NaN
  if (/^\d+(\.\d+)?$/.test(v)) ms = Number(v) * 1000
  else if (/^(\d+(\.\d+)?(ms|h|m|s))+$/.test(v)) {
    ms = 0
    for (const m of v.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) ms += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h']
  }
  if (!Number.isFinite(ms) || ms < min || ms > max) {
    const range = `between ${min ? formatBound(min) : '0'} and ${formatBound(max)}`
    throw new SpaceOpsError(`${what} must be a duration ${range} such as 90s, 5m or 1h, not ${JSON.stringify(value)}`, { exitCode: 2 })
  }
  return Math.round(ms)
}

const formatBound = (ms: number) => (ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`)

/** `--lock-timeout` / input `lock-timeout`: a duration, where 0 means "fail at once". */
export function parseLockTimeout(text: string, what: string): number {
  return parseDuration(text, what, { minMs: 0 })
}
