import { SpaceOpsError } from '../util/errors.js'
import { parseDuration } from '../util/duration.js'

/** Previews older than this are trashed by the nightly cleanup, unless preview-max-age says otherwise. */
export const DEFAULT_PREVIEW_MAX_AGE_MS = 7 * 86_400_000

/**
 * `preview-max-age` / `--max-age`: whole days (`7d`, `14d`) or a duration (`36h`, `90m`), between one
 * minute and a year.
 */
export function parsePreviewAge(value: string, what: string): number {
  const v = value.trim().toLowerCase()
  const days = /^(\d{1,3})d$/.exec(v)
  if (days) {
    const n = Number(days[1])
    if (n >= 1 && n <= 365) return n * 86_400_000
    throw new SpaceOpsError(`${what} must be between 1d and 365d, not ${JSON.stringify(value)}`, { exitCode: 2 })
  }
  return parseDuration(value, what, { minMs: 60_000, maxMs: 365 * 86_400_000 })
}
