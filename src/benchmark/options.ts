import { SpaceOpsError } from '../util/errors.js'

// The benchmark's option words and their parsing, apart from the report and API schemas of
// types.ts: the action's inputs need only these, and its validate bundle stays without the rest.

export const GATE_ON = ['point', 'lower-bound'] as const
export type GateOn = (typeof GATE_ON)[number]

export const KEEP_CONVERSATIONS = ['all', 'failed', 'none'] as const
export type KeepConversations = (typeof KEEP_CONVERSATIONS)[number]

export const STRATEGIES = ['auto', 'eval', 'conversation'] as const

export type ReportFormat = 'markdown' | 'json' | 'junit'
export const REPORT_FORMATS: readonly ReportFormat[] = ['markdown', 'json', 'junit']

/** A p-value threshold: a number strictly between 0 and 1; undefined when empty. */
export function parseProbability(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  const n = Number(value.trim())
  if (!Number.isFinite(n) || n <= 0 || n >= 1) throw new SpaceOpsError(`${name} must be a p-value between 0 and 1 (e.g. 0.05), not "${value}"`, { exitCode: 2 })
  return n
}
