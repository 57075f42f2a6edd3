/**
 * Server-side limits. genie-api.md ("Limits reported") says to treat these as configurable
 * defaults, not constants; `startEmulator({ limits })` overrides any of them.
 */
export interface Limits {
  /** "30 tables/views per space (was 25)" — tables + metric_views together. */
  maxTablesAndMetricViews: number
  /** "one text instruction". */
  maxTextInstructions: number
  /**
   * "about 100 instructions in all". Counted here as every item of every instruction kind:
   * text instructions, example SQLs, SQL functions, join specs and all SQL snippets.
   */
  maxInstructions: number
  /**
   * "strings up to 25,000 characters". Applied to every scalar string and to every logical string
   * (a `[str]` line array counts as the concatenation of its lines).
   */
  maxStringLength: number
  /** "entity matching on up to 120 columns" (column_configs with enable_entity_matching true). */
  maxEntityMatchingColumns: number
  /** "benchmark answers exactly one" — the required number of answers per benchmark question. */
  benchmarkAnswersPerQuestion: number
  /** List spaces: "page_size ≤ 100 (default 20)". */
  maxPageSize: number
  defaultPageSize: number
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxTablesAndMetricViews: 30,
  maxTextInstructions: 1,
  maxInstructions: 100,
  maxStringLength: 25_000,
  maxEntityMatchingColumns: 120,
  benchmarkAnswersPerQuestion: 1,
  maxPageSize: 100,
  defaultPageSize: 20
})

export const LIMIT_NAMES = Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]

export function resolveLimits(partial: Partial<Limits> | undefined): Limits {
  const out: Limits = { ...DEFAULT_LIMITS }
  if (!partial) return out
  for (const name of LIMIT_NAMES) {
    const v = partial[name]
    if (v === undefined) continue
    if (!Number.isInteger(v) || v < 0) throw new Error(`limit ${name} must be a non-negative integer, got ${String(v)}`)
    out[name] = v
  }
  return out
}
