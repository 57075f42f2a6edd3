import type { Logger } from '../util/logger.js'
import { SpaceOpsError } from '../util/errors.js'
import { evaluateGate, pct, readBaseline } from './gate.js'
import { formatDurationMs } from './report.js'
import { runBenchmarks, type BenchmarkClient } from './runner.js'
import { loadSuites, remapSuites } from './suites.js'
import type { IdentifierMapping } from '../sql/index.js'
import type { BenchmarkReport, Progress, StrategyChoice } from './types.js'

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
  /** the environment's catalog / schema / table mappings, applied to the suites (see remapSuites) */
  mapping?: IdentifierMapping
  logger: Logger
  onProgress?: (p: Progress) => void
  now?: () => number
  sleep?: (ms: number) => Promise<void>
}

export async function benchmarkJob(job: BenchmarkJob): Promise<BenchmarkReport> {
  const loaded = await loadSuites(job.suites, { cwd: job.cwd, logger: job.logger })
  const suites = job.mapping ? remapSuites(loaded, job.mapping) : loaded
  const baseline = job.baseline !== undefined ? await readBaseline(job.baseline, job.cwd) : undefined
  if (job.maxRegression !== undefined && baseline === undefined) throw new SpaceOpsError('--max-regression needs --baseline (the report to compare with)', { exitCode: 2 })
  const report = await runBenchmarks({
    client: job.client,
    spaceId: job.spaceId,
    suites,
    logger: job.logger,
    ...(job.strategy !== undefined ? { strategy: job.strategy } : {}),
    ...(job.questionsPerMinute !== undefined ? { questionsPerMinute: job.questionsPerMinute } : {}),
    ...(job.concurrency !== undefined ? { concurrency: job.concurrency } : {}),
    ...(job.warehouseId !== undefined ? { warehouseId: job.warehouseId } : {}),
    ...(job.onProgress !== undefined ? { onProgress: job.onProgress } : {}),
    ...(job.now !== undefined ? { now: job.now } : {}),
    ...(job.sleep !== undefined ? { sleep: job.sleep } : {})
  })
  report.gate = evaluateGate(report, {
    ...(job.minAccuracy !== undefined ? { minAccuracy: job.minAccuracy } : {}),
    ...(baseline !== undefined ? { baseline, baselineName: job.baseline } : {}),
    ...(job.maxRegression !== undefined ? { maxRegression: job.maxRegression } : {})
  })
  return report
}

/** `[3/20] 3 passed, 0 failed · ETA 1m 05s · ✓ "How many orders?"` */
export function formatProgress(p: Progress): string {
  const parts = [`[${p.done}/${p.total}] ${p.passed} passed, ${p.failed} failed`, `elapsed ${formatDurationMs(p.elapsedMs)}`]
  if (p.etaMs !== undefined) parts.push(`ETA ${formatDurationMs(p.etaMs)}`)
  if (p.last) parts.push(`${p.last.passed ? '✓' : '✗'} ${p.last.suite}: "${p.last.question.length > 80 ? `${p.last.question.slice(0, 79)}…` : p.last.question}"`)
  return parts.join(' · ')
}

/** One line for logs: `accuracy 85.0% (17/20), gate passed`. */
export function formatOutcome(report: BenchmarkReport): string {
  const t = report.totals
  const gate = report.gate ? (report.gate.passed ? 'gate passed' : `gate FAILED: ${report.gate.reasons.join('; ')}`) : 'no gate'
  return `accuracy ${pct(t.accuracy)} (${t.passed}/${t.questions}), ${gate}`
}

/** "0.8", "80%" → 0.8; undefined when empty; throws a one-line error naming the option. */
export function parseFraction(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  const t = value.trim()
  const n = t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t)
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new SpaceOpsError(`${name} must be a fraction between 0 and 1 (or a percentage), not "${value}"`, { exitCode: 2 })
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
