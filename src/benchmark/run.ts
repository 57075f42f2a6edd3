import { NEUTRAL_NAMES, type Names, type OptionName } from '../core/names.js'
import type { Logger } from '../util/logger.js'
import { SpaceOpsError } from '../util/errors.js'
import { evaluateGate, pct, readBaseline, readTrend } from './gate.js'
import { formatDurationMs, isGated } from './report.js'
import { runBenchmarks, type BenchmarkClient } from './runner.js'
import { applyRepeat, loadSuites, remapSuites } from './suites.js'
import type { IdentifierMapping } from '../sql/index.js'
import type { BenchmarkReport, GateOn, KeepConversations, Progress, StrategyChoice } from './types.js'

/**
 * What `spaceops benchmark` and the action's `mode: benchmark` share: load the suites and the
 * baseline (both before the first question, so a typo costs nothing), run, gate.
 */
export interface BenchmarkJob {
  client: BenchmarkClient
  spaceId: string
  /** Suite files, directories or globs; a space definition means its benchmarks. */
  suites: readonly string[]
  cwd: string
  strategy?: StrategyChoice
  questionsPerMinute?: number
  concurrency?: number
  warehouseId?: string
  minAccuracy?: number
  baseline?: string
  maxRegression?: number
  /** `--repeat N`: ask every question N times (applyRepeat). */
  repeat?: number
  gateOn?: GateOn
  regressionP?: number
  /** Earlier JSON reports for the trend chart (readTrend). */
  trend?: readonly string[]
  keepConversations?: KeepConversations
  /** the environment's catalog / schema / table mappings, applied to the suites (see remapSuites) */
  mapping?: IdentifierMapping
  logger: Logger
  /** how the face names its settings in messages */
  names?: Names
  onProgress?: (p: Progress) => void
  now?: () => number
  sleep?: (ms: number) => Promise<void>
}

export async function benchmarkJob(job: BenchmarkJob): Promise<BenchmarkReport> {
  const loaded = await loadSuites(job.suites, { cwd: job.cwd, logger: job.logger })
  const mapped = job.mapping ? remapSuites(loaded, job.mapping) : loaded
  const suites = job.repeat !== undefined ? applyRepeat(mapped, job.repeat) : mapped
  const baseline = job.baseline !== undefined ? await readBaseline(job.baseline, job.cwd) : undefined
  const words = job.names ?? NEUTRAL_NAMES
  const setting = (name: OptionName) => words.option(name) ?? name
  if (job.maxRegression !== undefined && baseline === undefined)
    throw new SpaceOpsError(`${setting('max-regression')} needs ${setting('baseline')} (the report to compare with)`, { exitCode: 2 })
  if (job.regressionP !== undefined && baseline === undefined)
    throw new SpaceOpsError(`${setting('regression-p')} needs ${setting('baseline')} (the report to compare with)`, { exitCode: 2 })
  const trend = job.trend?.length ? await readTrend(job.trend, job.cwd) : undefined
  const report = await runBenchmarks({
    ...(job.names !== undefined ? { names: job.names } : {}),
    client: job.client,
    spaceId: job.spaceId,
    suites,
    logger: job.logger,
    ...(job.strategy !== undefined ? { strategy: job.strategy } : {}),
    ...(job.questionsPerMinute !== undefined ? { questionsPerMinute: job.questionsPerMinute } : {}),
    ...(job.concurrency !== undefined ? { concurrency: job.concurrency } : {}),
    ...(job.warehouseId !== undefined ? { warehouseId: job.warehouseId } : {}),
    ...(job.onProgress !== undefined ? { onProgress: job.onProgress } : {}),
    ...(job.keepConversations !== undefined ? { keepConversations: job.keepConversations } : {}),
    ...(job.now !== undefined ? { now: job.now } : {}),
    ...(job.sleep !== undefined ? { sleep: job.sleep } : {})
  })
  report.gate = evaluateGate(report, {
    ...(job.names !== undefined ? { names: job.names } : {}),
    ...(job.minAccuracy !== undefined ? { minAccuracy: job.minAccuracy } : {}),
    ...(baseline !== undefined ? { baseline, baselineName: job.baseline } : {}),
    ...(job.maxRegression !== undefined ? { maxRegression: job.maxRegression } : {}),
    ...(job.gateOn !== undefined ? { gateOn: job.gateOn } : {}),
    ...(job.regressionP !== undefined ? { regressionP: job.regressionP } : {})
  })
  if (trend) report.trend = trend
  return report
}

/** `[3/20] 3 passed, 0 failed · ETA 1m 05s · ✓ "How many orders?"` */
export function formatProgress(p: Progress): string {
  const parts = [`[${p.done}/${p.total}] ${p.passed} passed, ${p.failed} failed`, `elapsed ${formatDurationMs(p.elapsedMs)}`]
  if (p.etaMs !== undefined) parts.push(`ETA ${formatDurationMs(p.etaMs)}`)
  if (p.last)
    parts.push(`${p.last.passed ? '✓' : '✗'} ${p.last.suite}: "${p.last.question.length > 80 ? `${p.last.question.slice(0, 79)}…` : p.last.question}"`)
  return parts.join(' · ')
}

/** One line for logs: `accuracy 85.0% (17/20), gate passed [95% interval 64.0%–94.8%; 1 flaky]`. */
export function formatOutcome(report: BenchmarkReport): string {
  const t = report.totals
  const gate = !report.gate || !isGated(report) ? 'not gated' : report.gate.passed ? 'gate passed' : `gate FAILED: ${report.gate.reasons.join('; ')}`
  const extra = [
    t.confidence_interval ? `95% interval ${pct(t.confidence_interval.low)}–${pct(t.confidence_interval.high)}` : '',
    t.flaky ? `${t.flaky} flaky` : ''
  ].filter(Boolean)
  return `accuracy ${pct(t.accuracy)} (${t.passed}/${t.questions}), ${gate}${extra.length ? ` [${extra.join('; ')}]` : ''}`
}

/** "0.8", "80%" → 0.8; undefined when empty; throws a one-line error naming the option. */
export function parseFraction(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  const t = value.trim()
  const n = t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t)
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new SpaceOpsError(`${name} must be a fraction between 0 and 1 (or a percentage), not "${value}"`, { exitCode: 2 })
  return n
}

export function parsePositive(value: string | undefined, name: string, options: { integer?: boolean } = {}): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  const n = Number(value.trim())
  if (!Number.isFinite(n) || n <= 0 || (options.integer && !Number.isInteger(n))) {
    throw new SpaceOpsError(`${name} must be a positive ${options.integer ? 'whole ' : ''}number, not "${value}"`, { exitCode: 2 })
  }
  return n
}

export { parseProbability } from './types.js'
