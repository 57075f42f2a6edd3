import path from 'node:path'
import { writeFileAtomic } from '../core/files.js'
import { jsonReport, markdownReport } from '../benchmark/report.js'
import { benchmarkJob, formatOutcome, formatProgress, parseFraction, parsePositive } from '../benchmark/run.js'
import { STRATEGIES, type StrategyChoice } from '../benchmark/types.js'
import { SpaceOpsError } from '../util/errors.js'
import type { ActionsRuntime } from '../github/actions.js'
import type { SecretRegistry } from '../util/secrets.js'
import { actionClient, actionLogger } from './client.js'
import { publishReport } from './report.js'
import type { ActionInputs } from './inputs.js'

/**
 * mode: benchmark — `spaceops benchmark` in a workflow.
 *
 * Inputs: `space-id` (required), `benchmark` (suite files, directories or globs, newline or comma
 * separated; a space definition means its benchmarks), `min-accuracy`, `warehouse-id`. Read too when
 * present (declare them in action.yml to expose them): `questions-per-minute`, `benchmark-strategy`
 * (auto | eval | conversation), `baseline` (a JSON report), `max-regression`.
 * Outputs: `accuracy` (0–1), `passed`, `failed` (questions), `report-path` (the JSON report, under
 * $RUNNER_TEMP, else `.spaceops/` in the workspace). The Markdown report goes to the job summary; a
 * failed gate fails the step (after the report and outputs are written).
 */
export async function benchmarkMode(rt: ActionsRuntime, inputs: ActionInputs, secrets: SecretRegistry): Promise<boolean> {
  const spaceId = inputs['space-id']
  if (!spaceId) throw new SpaceOpsError('mode benchmark needs input space-id (the space to measure)')
  const suites = (inputs.benchmark ?? '')
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean)
  if (!suites.length) throw new SpaceOpsError('mode benchmark needs input benchmark: suite files, directories or globs (e.g. benchmarks/*.yaml)')
  const extra = (name: string) => rt.getInput(name).trim() || undefined
  const strategy = extra('benchmark-strategy') ?? 'auto'
  if (!(STRATEGIES as readonly string[]).includes(strategy)) throw new SpaceOpsError(`input benchmark-strategy must be auto, eval or conversation, not "${strategy}"`)
  const questionsPerMinute = parsePositive(extra('questions-per-minute'), 'input questions-per-minute')
  const maxRegression = parseFraction(extra('max-regression'), 'input max-regression')
  const baseline = extra('baseline')

  const logger = actionLogger(rt, secrets)
  const report = await benchmarkJob({
    client: actionClient(rt, inputs, secrets),
    spaceId,
    suites,
    cwd: rt.cwd,
    strategy: strategy as StrategyChoice,
    logger,
    onProgress: (p) => rt.info(formatProgress(p)),
    ...(questionsPerMinute !== undefined ? { questionsPerMinute } : {}),
    ...(inputs['warehouse-id'] ? { warehouseId: inputs['warehouse-id'] } : {}),
    ...(inputs['min-accuracy'] !== undefined ? { minAccuracy: inputs['min-accuracy'] } : {}),
    ...(baseline !== undefined ? { baseline } : {}),
    ...(maxRegression !== undefined ? { maxRegression } : {})
  })

  const dir = rt.env.RUNNER_TEMP?.trim() ? rt.env.RUNNER_TEMP : path.join(rt.cwd, '.spaceops')
  const reportPath = path.join(dir, `benchmark-${spaceId.replace(/[^\w.-]/g, '_')}.json`)
  await writeFileAtomic(reportPath, jsonReport(report))
  rt.setOutput('accuracy', String(Number(report.totals.accuracy.toFixed(6))))
  rt.setOutput('passed', String(report.totals.passed))
  rt.setOutput('failed', String(report.totals.questions - report.totals.passed))
  rt.setOutput('report-path', reportPath)
  const full = markdownReport(report)
  const cut = full.indexOf('<details>')
  await publishReport(rt, inputs, secrets, {
    kind: 'benchmark',
    target: spaceId,
    levels: [full, cut > 0 ? `${full.slice(0, cut).trimEnd()}\n` : full, `### Benchmarks\n\n${formatOutcome(report)}\n`]
  })
  rt.info(`space ${spaceId}: ${formatOutcome(report)}; report ${reportPath}`)
  for (const n of report.gate?.notes ?? []) rt.info(`note: ${n}`)
  if (report.gate && !report.gate.passed) {
    rt.setFailed(`benchmark gate failed: ${report.gate.reasons.join('; ')}`)
    return false
  }
  return true
}
