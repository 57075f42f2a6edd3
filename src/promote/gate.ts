import { NEUTRAL_NAMES, type Names } from '../core/names.js'
import { loadSuites, runBenchmarks, evaluateGate, markdownReport, type BenchmarkClient } from '../benchmark/index.js'
import { formatOutcome, parseFraction } from '../benchmark/run.js'
import { remapSuites } from '../benchmark/suites.js'
import type { Logger } from '../util/logger.js'
import type { BenchmarkGate } from './promote.js'

/**
 * The benchmark gate of a promotion: the suites, with the environment's catalog / schema / table
 * mappings applied to their expected tables and expected SQL (a suite is written for the
 * definition's names), run against an environment's live space and gated on accuracy. Read-only:
 * the run never changes the space it measures (runner.ts `readOnly`), so a gate on dev cannot make
 * dev look edited outside SpaceOps.
 */
export interface GateConfig {
  paths: string[]
  minAccuracy?: string
  cwd: string
  logger: Logger
  /** how the face names its settings (`--min-accuracy`, `input min-accuracy`) */
  names?: Names
  questionsPerMinute?: number
  onReport?: (environment: string, phase: 'before' | 'after', markdown: string) => void
}

export async function benchmarkGate(config: GateConfig): Promise<BenchmarkGate> {
  // load (and so validate) the suites before anything is asked
  const suites = await loadSuites(config.paths, { cwd: config.cwd, logger: config.logger })
  const names = config.names ?? NEUTRAL_NAMES
  const minAccuracy = parseFraction(config.minAccuracy, names.option('min-accuracy') ?? 'min-accuracy')
  return async ({ client, spaceId, warehouseId, environment, phase, mapping }) => {
    const report = await runBenchmarks({
      names,
      client: client as BenchmarkClient,
      spaceId,
      suites: remapSuites(suites, mapping),
      logger: config.logger,
      // A gate measures the environment; it never writes into it (eval gives way to conversations).
      readOnly: { by: 'gate', space: `${environment}'s space` },
      ...(warehouseId ? { warehouseId } : {}),
      ...(config.questionsPerMinute ? { questionsPerMinute: config.questionsPerMinute } : {})
    })
    report.gate = evaluateGate(report, { names, ...(minAccuracy !== undefined ? { minAccuracy } : {}) })
    const markdown = markdownReport(report, { title: `Benchmarks on ${environment} (${phase === 'before' ? 'before the deploy' : 'after the deploy'})` })
    config.onReport?.(environment, phase, markdown)
    return { passed: report.gate.passed, summary: formatOutcome(report), reportMarkdown: markdown }
  }
}
