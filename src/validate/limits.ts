import { SpaceOpsError } from '../util/errors.js'

/**
 * Limits the API is reported to enforce (genie-api.md, "Rules the API enforces"). They are
 * defaults, not constants: Databricks has changed them before (30 tables was 25), so each can be
 * overridden (`--limit max-tables=40`, action input `limits`).
 */
export interface Limits {
  /** tables and metric views together */
  maxTables: number
  /** text instructions after merging the authoring `instructions[]` */
  maxTextInstructions: number
  /**
   * instructions in all (the docs say "about 100" without naming the kinds): every instruction
   * item — text instructions, example SQLs, SQL functions, joins and SQL snippets — as the Genie
   * UI lists them all under Instructions. Counting all kinds is the cautious reading.
   */
  maxInstructions: number
  /** characters in one text field */
  maxStringLength: number
  /** columns with entity matching on */
  maxEntityMatchingColumns: number
}

export const DEFAULT_LIMITS: Limits = {
  maxTables: 30,
  maxTextInstructions: 1,
  maxInstructions: 100,
  maxStringLength: 25_000,
  maxEntityMatchingColumns: 120
}

const NAMES: Record<string, keyof Limits> = {
  'max-tables': 'maxTables',
  'max-text-instructions': 'maxTextInstructions',
  'max-instructions': 'maxInstructions',
  'max-string-length': 'maxStringLength',
  'max-entity-matching-columns': 'maxEntityMatchingColumns'
}

export const LIMIT_NAMES = Object.keys(NAMES)

/** Parse `name=value` overrides (comma or newline separated, or repeated). */
export function parseLimits(specs: readonly string[], base: Limits = DEFAULT_LIMITS): Limits {
  const out = { ...base }
  for (const spec of specs
    .flatMap((s) => s.split(/[,\n]/))
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-z-]+)\s*=\s*(\d+)$/.exec(spec)
    const key = m?.[1] ? NAMES[m[1]] : undefined
    if (!m || !key) {
      throw new SpaceOpsError(`invalid limit "${spec}": use name=number with name one of ${LIMIT_NAMES.join(', ')}`, { exitCode: 2 })
    }
    out[key] = Number(m[2])
  }
  return out
}
