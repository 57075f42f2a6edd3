import { pairFlips } from '../benchmark/gate.js'
import { TokenBucket } from '../benchmark/rate.js'
import { DEFAULT_QUESTIONS_PER_MINUTE, runBenchmarks, type BenchmarkClient } from '../benchmark/runner.js'
import type { BenchmarkReport, BenchmarkSuite, BaselineComparison, Progress } from '../benchmark/types.js'
import { realSleep } from '../client/index.js'
import type { Logger } from '../util/logger.js'
import { NEUTRAL_NAMES, type Names } from '../core/names.js'

/**
 * Measuring a preview: the same suites against the PR's version (the preview space) and the base
 * branch's version (the space deployed in the preview environment), read-only, one after the other
 * from ONE question budget — Genie's limit is per workspace, so the two runs together ask at most
 * `questionsPerMinute`. `maxQuestions` caps the questions of both runs together: each version is
 * asked the same first ⌊max/2⌋ questions (in suite order), so the two are still paired.
 */
export interface MeasureOptions {
  client: BenchmarkClient
  previewSpaceId: string
  /** the base's space; undefined: no base to compare with */
  baseSpaceId?: string
  suites: readonly BenchmarkSuite[]
  warehouseId?: string
  questionsPerMinute?: number
  maxQuestions?: number
  /** how the face names the question cap (`--max-questions`, `input preview-max-questions`) */
  names?: Names
  logger: Logger
  onProgress?: (which: 'base' | 'pr', p: Progress) => void
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  /** the workspace's budget when several previews are measured in one run */
  bucket?: TokenBucket
}

export interface Measurement {
  pr: BenchmarkReport
  base?: BenchmarkReport
  /** questions paired by text: pass→fail, fail→pass and the exact McNemar p-value */
  flips?: Omit<BaselineComparison, 'suites'>
  /** questions put to Genie by both runs (attempts) */
  asked: number
  /** questions left out by maxQuestions (per version) */
  capped: number
}

/** The first `limit` questions of the suites, in order (suites left empty are dropped). */
export function capSuites(suites: readonly BenchmarkSuite[], limit: number): { suites: BenchmarkSuite[]; dropped: number } {
  let left = limit
  let dropped = 0
  const out: BenchmarkSuite[] = []
  for (const s of suites) {
    const asked = s.questions.reduce((n, q) => n + q.repeat, 0)
    if (asked <= left) {
      out.push(s)
      left -= asked
      continue
    }
    const kept: BenchmarkSuite['questions'] = []
    for (const q of s.questions) {
      if (q.repeat <= left) {
        kept.push(q)
        left -= q.repeat
      } else dropped++
    }
    if (kept.length) out.push({ ...s, questions: kept })
  }
  return { suites: out, dropped }
}

export const questionsOf = (suites: readonly BenchmarkSuite[]): number => suites.reduce((n, s) => n + s.questions.reduce((m, q) => m + q.repeat, 0), 0)

export function previewBucket(o: { questionsPerMinute?: number; now?: () => number; sleep?: (ms: number) => Promise<void> }): TokenBucket {
  return new TokenBucket({ ratePerMinute: o.questionsPerMinute ?? DEFAULT_QUESTIONS_PER_MINUTE, now: o.now ?? Date.now, sleep: o.sleep ?? realSleep })
}

/** The face's word for the question cap. */
export const capName = (names: Names = NEUTRAL_NAMES): string => names.option('max-questions') ?? 'the question cap'

export async function measurePreview(o: MeasureOptions): Promise<Measurement> {
  const versions = o.baseSpaceId ? 2 : 1
  let suites = [...o.suites]
  let capped = 0
  if (o.maxQuestions !== undefined) {
    const per = Math.floor(o.maxQuestions / versions)
    const cut = capSuites(suites, per)
    suites = cut.suites
    capped = cut.dropped
    if (capped) o.logger.info(`${capName(o.names)} ${o.maxQuestions}: ${per} question(s) per version; ${capped} left out`)
  }
  const bucket = o.bucket ?? previewBucket(o)
  const run = (spaceId: string, which: 'base' | 'pr', space: string) =>
    runBenchmarks({
      client: o.client,
      spaceId,
      suites,
      logger: o.logger,
      bucket,
      // measuring never writes into either space (eval gives way to conversations)
      readOnly: { by: 'preview', space },
      ...(o.warehouseId ? { warehouseId: o.warehouseId } : {}),
      ...(o.onProgress ? { onProgress: (p: Progress) => o.onProgress?.(which, p) } : {}),
      ...(o.now ? { now: o.now } : {}),
      ...(o.sleep ? { sleep: o.sleep } : {})
    })
  const base = o.baseSpaceId ? await run(o.baseSpaceId, 'base', `the base's space ${o.baseSpaceId}`) : undefined
  const pr = await run(o.previewSpaceId, 'pr', `the preview ${o.previewSpaceId}`)
  const flips = base
    ? pairFlips(
        base.suites.flatMap((s) => s.questions),
        pr.suites.flatMap((s) => s.questions)
      )
    : undefined
  return { pr, ...(base ? { base } : {}), ...(flips ? { flips } : {}), asked: pr.totals.attempts + (base?.totals.attempts ?? 0), capped }
}
