import { NEUTRAL_NAMES, viaOption, type Names, type OptionName } from '../core/names.js'
import { readFile } from 'node:fs/promises'
import { glob } from 'tinyglobby'
import { isGlob } from '../core/paths.js'
import path from 'node:path'
import { SpaceOpsError } from '../util/errors.js'
import { mcnemarExact, wilsonInterval } from './stats.js'
import {
  BenchmarkReportSchema,
  type BaselineComparison,
  type BenchmarkReport,
  type GateOn,
  type GateResult,
  type QuestionResult,
  type SuiteResult,
  type TrendPoint
} from './types.js'

/**
 * The gate: does this run fail the build? Every reason is listed, one line each.
 *
 * - Threshold per suite: `--min-accuracy` (action input `min-accuracy`) overrides every suite's
 *   `min_accuracy`; otherwise each suite's own applies. With neither, the suite has no threshold:
 *   its accuracy is reported, never gated (no default such as 0.8 is assumed). A suite fails when
 *   accuracy < threshold.
 * - Baseline (`--baseline report.json`, a report of an earlier run): suites are matched by name and
 *   questions by text (case and spacing ignored).
 *   - A suite whose accuracy dropped by more than `--max-regression` (a fraction; default 0) fails,
 *     naming the questions that passed in the baseline and fail now.
 *   - Without `--max-regression`, any question that passed in the baseline and fails now fails the
 *     gate (named), even when other fixes kept the accuracy level. With it, such questions are
 *     listed as notes and only an accuracy drop beyond the allowance fails.
 * A run whose questions all errored (nothing was measured) fails too.
 */
export interface GateOptions {
  /** how the face names its settings in the gate's notes (`--min-accuracy`, `input min-accuracy`) */
  names?: Names
  minAccuracy?: number
  baseline?: BenchmarkReport
  /** How the baseline is named in messages (its file). */
  baselineName?: string
  maxRegression?: number
  /** `point` (default): accuracy meets the threshold; `lower-bound`: the 95% Wilson interval's lower bound does. */
  gateOn?: GateOn
  /**
   * With a baseline: a drop fails only when the exact McNemar p-value of the suite's flips is below
   * this (the drop is unlikely to be noise); `maxRegression`, when also given, must be exceeded too.
   */
  regressionP?: number
}

const EPS = 1e-9
export const pct = (x: number): string => `${(x * 100).toFixed(1)}%`
const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase()

function names(items: readonly string[], max = 5): string {
  const shown = items.slice(0, max).join('; ')
  return items.length > max ? `${shown}; +${items.length - max} more` : shown
}

export function evaluateGate(report: BenchmarkReport, options: GateOptions = {}): GateResult {
  const reasons: string[] = []
  const notes: string[] = []
  const suites: GateResult['suites'] = []
  const lowerBound = options.gateOn === 'lower-bound'
  const words = options.names ?? NEUTRAL_NAMES
  const setting = (name: OptionName) => words.option(name) ?? name
  for (const s of report.suites) {
    const threshold = options.minAccuracy ?? s.min_accuracy
    const low = (s.confidence_interval ?? wilsonInterval(s.passed, s.total)).low
    const value = lowerBound ? low : s.accuracy
    const ok = threshold === undefined || value + EPS >= threshold
    if (!ok) {
      reasons.push(
        lowerBound
          ? `suite "${s.name}": the lower bound of the 95% interval of accuracy, ${pct(low)} (accuracy ${pct(s.accuracy)}, ${s.passed}/${s.total}), is below the threshold ${pct(threshold as number)}`
          : `suite "${s.name}": accuracy ${pct(s.accuracy)} (${s.passed}/${s.total}) is below the threshold ${pct(threshold as number)}`
      )
    }
    suites.push({
      name: s.name,
      accuracy: s.accuracy,
      ...(threshold !== undefined ? { threshold, ...(lowerBound ? { gated_value: value } : {}) } : {}),
      passed: ok
    })
  }
  if (suites.every((s) => s.threshold === undefined) && !options.baseline) {
    notes.push(`no min_accuracy in the suites${viaOption(words, 'min-accuracy', ', ', ' not given')}: accuracy is reported, not gated`)
  }
  if (report.totals.questions > 0 && report.totals.errors === report.totals.questions) {
    reasons.push(`no question got a verdict (${report.totals.errors} errors): nothing was measured`)
  }

  let comparison: BaselineComparison | undefined
  if (options.baseline) {
    const base = options.baseline
    const label = options.baselineName ?? 'the baseline'
    const allowance = options.maxRegression ?? 0
    const alpha = options.regressionP
    const baseSuites = new Map(base.suites.map((s) => [s.name, s]))
    comparison = {
      ...pairFlips(
        base.suites.flatMap((s) => s.questions),
        report.suites.flatMap((s) => s.questions)
      ),
      suites: []
    }
    for (const s of report.suites) {
      const b = baseSuites.get(s.name)
      if (!b) {
        notes.push(`suite "${s.name}" is not in ${label}: no regression check`)
        continue
      }
      const flips = pairFlips(b.questions, s.questions)
      comparison.suites.push({ name: s.name, ...flips })
      const regressed = newlyFailing(b, s)
      const drop = b.accuracy - s.accuracy
      const which = regressed.length ? `; now failing: ${names(regressed)}` : ''
      const pNote = `McNemar p = ${formatP(flips.p_value)}: ${flips.pass_to_fail.length} pass→fail, ${flips.fail_to_pass.length} fail→pass`
      if (alpha !== undefined) {
        // The test decides: a drop (more pass→fail than fail→pass) fails only when unlikely to be noise.
        const dropped = flips.pass_to_fail.length > flips.fail_to_pass.length && drop > (options.maxRegression ?? 0) + EPS
        if (dropped && flips.p_value < alpha) {
          reasons.push(
            `suite "${s.name}": accuracy fell from ${pct(b.accuracy)} in ${label} to ${pct(s.accuracy)}, unlikely to be noise (${pNote}, below ${setting('regression-p')} ${alpha})${which}`
          )
          const entry = suites.find((x) => x.name === s.name)
          if (entry) entry.passed = false
        } else if (flips.pass_to_fail.length) {
          notes.push(
            `suite "${s.name}": ${flips.pass_to_fail.length} question(s) passed in ${label} and fail now, which may be noise (${pNote}, not below ${setting('regression-p')} ${alpha})`
          )
        }
        continue
      }
      if (drop > allowance + EPS) {
        reasons.push(
          `suite "${s.name}": accuracy fell from ${pct(b.accuracy)} in ${label} to ${pct(s.accuracy)} (${(drop * 100).toFixed(1)} points, more than the allowed ${pct(allowance)})${which}`
        )
        const entry = suites.find((x) => x.name === s.name)
        if (entry) entry.passed = false
      } else if (regressed.length) {
        const line = `suite "${s.name}": ${regressed.length} question(s) passed in ${label} and fail now: ${names(regressed)}`
        if (options.maxRegression === undefined) {
          reasons.push(line)
          const entry = suites.find((x) => x.name === s.name)
          if (entry) entry.passed = false
        } else notes.push(`${line} (within ${setting('max-regression')} ${pct(allowance)})`)
      }
    }
    if (base.strategy !== report.strategy) notes.push(`${label} was measured with strategy ${base.strategy}, this run with ${report.strategy}`)
  }

  return {
    passed: reasons.length === 0,
    reasons,
    notes,
    suites,
    ...(options.minAccuracy !== undefined ? { min_accuracy_override: options.minAccuracy } : {}),
    ...(options.baseline ? { baseline: options.baselineName ?? 'baseline' } : {}),
    ...(options.maxRegression !== undefined ? { max_regression: options.maxRegression } : {}),
    ...(options.gateOn !== undefined ? { gate_on: options.gateOn } : {}),
    ...(options.regressionP !== undefined ? { regression_p: options.regressionP } : {}),
    ...(comparison ? { comparison } : {})
  }
}

/** p-values as people read them: `0.031`, `< 0.001`, `1`. */
export function formatP(p: number): string {
  if (p >= 0.9995) return '1'
  if (p < 0.001) return '< 0.001'
  return p.toFixed(3)
}

/**
 * Questions of both runs paired by text (case and spacing ignored; a question asked twice is paired
 * once): which went pass→fail and fail→pass, and the exact McNemar p-value of those flips.
 */
export function pairFlips(base: readonly QuestionResult[], current: readonly QuestionResult[]): Omit<BaselineComparison, 'suites'> {
  const before = new Map<string, boolean>()
  for (const q of base) if (!before.has(norm(q.question))) before.set(norm(q.question), q.passed)
  const seen = new Set<string>()
  const passToFail: string[] = []
  const failToPass: string[] = []
  for (const q of current) {
    const key = norm(q.question)
    const was = before.get(key)
    if (was === undefined || seen.has(key)) continue
    seen.add(key)
    if (was && !q.passed) passToFail.push(q.question)
    if (!was && q.passed) failToPass.push(q.question)
  }
  return { paired: seen.size, pass_to_fail: passToFail, fail_to_pass: failToPass, p_value: mcnemarExact(passToFail.length, failToPass.length) }
}

/** Questions that passed in `base` and do not pass in `current` ("question" (why)). */
function newlyFailing(base: SuiteResult, current: SuiteResult): string[] {
  const passedBefore = new Set(base.questions.filter((q) => q.passed).map((q) => norm(q.question)))
  return current.questions
    .filter((q) => !q.passed && passedBefore.has(norm(q.question)))
    .map((q) => `"${q.question}"${q.failure ? ` (${q.failure.length > 100 ? `${q.failure.slice(0, 99)}…` : q.failure})` : ''}`)
}

/**
 * The trend: earlier reports (the baseline files a workflow keeps), oldest first by started_at,
 * the last `max` of them. Each must be a benchmark report; a file that is not stops the run.
 */
export async function readTrend(files: readonly string[], cwd: string = process.cwd(), max = 10): Promise<TrendPoint[]> {
  const points: TrendPoint[] = []
  for (const f of await expandTrendFiles(files, cwd)) {
    const r = await readBaseline(f, cwd, 'trend report')
    points.push({ started_at: r.started_at, accuracy: r.totals.accuracy, passed: r.totals.passed, questions: r.totals.questions })
  }
  // one run kept under two names (latest.json and its dated copy) is one point
  const unique = [...new Map(points.map((p) => [p.started_at, p])).values()]
  return unique.sort((a, b) => a.started_at.localeCompare(b.started_at)).slice(-max)
}

/**
 * Files, or globs of file names in one folder (`history/*.json`). A glob that matches nothing is
 * no error (the first runs have no history yet); a plain file that is missing is.
 */
async function expandTrendFiles(patterns: readonly string[], cwd: string): Promise<string[]> {
  const out: string[] = []
  for (const p of patterns) {
    if (!isGlob(p)) {
      out.push(p)
      continue
    }
    const dir = path.dirname(p)
    if (isGlob(dir)) throw new SpaceOpsError(`trend ${p}: only the file name may hold a wildcard, not the folder`, { exitCode: 2 })
    // the same glob library as definitions (core/paths.ts), within that one folder
    const names = await glob(path.basename(p), { cwd: path.resolve(cwd, dir), onlyFiles: true, deep: 1 }).catch(() => [] as string[])
    out.push(...names.sort().map((n) => path.join(dir, n)))
  }
  return [...new Set(out)]
}

/** Reads a report written by an earlier run (schema_version 1). */
export async function readBaseline(file: string, cwd: string = process.cwd(), what = 'baseline'): Promise<BenchmarkReport> {
  let text: string
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new SpaceOpsError(`cannot read the ${what}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`, { location: { file } })
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new SpaceOpsError(`the ${what} is not JSON: ${(err as Error).message}`, { location: { file } })
  }
  const version = (value as { schema_version?: unknown } | null)?.schema_version
  if (typeof version === 'number' && version !== 1) {
    throw new SpaceOpsError(`the ${what} has schema_version ${version}; this SpaceOps reads version 1`, { location: { file } })
  }
  const parsed = BenchmarkReportSchema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue?.path.length ? issue.path.map(String).join('.') : '(root)'
    throw new SpaceOpsError(`the ${what} is not a SpaceOps benchmark report (schema_version 1): ${where}: ${issue?.message ?? 'invalid'}`, {
      location: { file }
    })
  }
  return parsed.data
}
