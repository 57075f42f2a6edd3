import { ACTION_NAMES } from '../core/names.js'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { writeFileAtomic } from '../core/files.js'
import { jsonReport, markdownReport, planReports, renderReport } from '../benchmark/report.js'
import { benchmarkJob, formatOutcome, formatProgress } from '../benchmark/run.js'
import type { GenieClient } from '../client/index.js'
import { expandDefinitions } from '../core/paths.js'
import { readDefinition } from '../core/validate.js'
import { loadPromotionConfig } from '../promote/config.js'
import { spaceInEnvironment } from '../promote/locate.js'
import type { IdentifierMapping } from '../sql/index.js'
import { SpaceOpsError } from '../util/errors.js'
import type { ActionsRuntime } from '../github/actions.js'
import type { SecretRegistry } from '../util/secrets.js'
import { actionClient, actionLogger } from './client.js'
import { actionExpansion, environmentClient } from './config.js'
import { publishReport } from './report.js'
import type { ActionInputs } from './inputs.js'

/**
 * mode: benchmark — `spaceops benchmark` in a workflow.
 *
 * Inputs: `space-id` (else, with `target-env`, the space of `definition` in that environment of the
 * promotion config, as `spaceops benchmark <definition> --env`), `benchmark` (suite files,
 * directories or globs, newline or comma separated; a space definition means its benchmarks),
 * `min-accuracy`, `warehouse-id`, `questions-per-minute`, `concurrency`, `benchmark-strategy`
 * (auto | eval | conversation), `baseline` (a JSON report), `max-regression`, `regression-p`,
 * `trend` (earlier JSON reports for the chart), `repeat`, `gate-on`, `keep-conversations`, `reports` (files to
 * write: .md, .json, .xml = JUnit) with `report-format` (as --output / --format).
 * Outputs: `accuracy` (0–1), `passed`, `failed` (questions), `space-id`, `report-path` (the JSON
 * report, under $RUNNER_TEMP, else `.spaceops/` in the workspace). The Markdown report goes to the
 * job summary; a failed gate fails the step (after the reports and outputs are written).
 */
export async function benchmarkMode(rt: ActionsRuntime, inputs: ActionInputs, secrets: SecretRegistry): Promise<boolean> {
  const target = inputs['target-env']
  if (!inputs['space-id'] && !target)
    throw new SpaceOpsError(
      'mode benchmark needs input space-id (the space to measure), or target-env to measure the space of definition in that environment of the promotion config'
    )
  const suites = (inputs.benchmark ?? '')
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean)
  if (!suites.length) throw new SpaceOpsError('mode benchmark needs input benchmark: suite files, directories or globs (e.g. benchmarks/*.yaml)')
  if (inputs['report-format'].length && !inputs.reports.length) throw new SpaceOpsError('input report-format goes with input reports (the files to write)')
  const reports = planReports(inputs.reports, inputs['report-format'], { file: 'input reports', format: 'input report-format' })

  const logger = actionLogger(rt, secrets)
  const { client, spaceId, mapping } = await benchmarkTarget(rt, inputs, secrets)
  const report = await benchmarkJob({
    client,
    spaceId,
    suites,
    cwd: rt.cwd,
    strategy: inputs['benchmark-strategy'] ?? 'auto',
    logger,
    names: ACTION_NAMES,
    onProgress: (p) => rt.info(formatProgress(p)),
    ...(mapping ? { mapping } : {}),
    ...(inputs['questions-per-minute'] !== undefined ? { questionsPerMinute: inputs['questions-per-minute'] } : {}),
    ...(inputs.concurrency !== undefined ? { concurrency: inputs.concurrency } : {}),
    ...(inputs['warehouse-id'] ? { warehouseId: inputs['warehouse-id'] } : {}),
    ...(inputs['min-accuracy'] !== undefined ? { minAccuracy: inputs['min-accuracy'] } : {}),
    ...(inputs.baseline !== undefined ? { baseline: inputs.baseline } : {}),
    ...(inputs['max-regression'] !== undefined ? { maxRegression: inputs['max-regression'] } : {}),
    ...(inputs['regression-p'] !== undefined ? { regressionP: inputs['regression-p'] } : {}),
    ...(inputs.repeat !== undefined ? { repeat: inputs.repeat } : {}),
    ...(inputs['gate-on'] !== undefined ? { gateOn: inputs['gate-on'] } : {}),
    ...(inputs['keep-conversations'] !== undefined ? { keepConversations: inputs['keep-conversations'] } : {}),
    ...(inputs.trend.length ? { trend: inputs.trend } : {})
  })

  for (const r of reports) {
    await writeFileAtomic(path.resolve(rt.cwd, r.file), renderReport(report, r.format), r.file)
    rt.info(`wrote ${r.file} (${r.format})`)
  }
  const dir = rt.env.RUNNER_TEMP?.trim() ? rt.env.RUNNER_TEMP : path.join(rt.cwd, '.spaceops')
  const reportPath = path.join(dir, `benchmark-${spaceId.replace(/[^\w.-]/g, '_')}.json`)
  await writeFileAtomic(reportPath, jsonReport(report))
  rt.setOutput('accuracy', String(Number(report.totals.accuracy.toFixed(6))))
  rt.setOutput('passed', String(report.totals.passed))
  rt.setOutput('failed', String(report.totals.questions - report.totals.passed))
  rt.setOutput('report-path', reportPath)
  rt.setOutput('space-id', spaceId)
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

/**
 * The space to measure and the client to reach it: `space-id` on the workspace of the inputs, or
 * — with `target-env` and the promotion config — on that environment's workspace, `space-id` or
 * else the space `definition` has there, with the environment's name mappings for the suites.
 */
async function benchmarkTarget(
  rt: ActionsRuntime,
  inputs: ActionInputs,
  secrets: SecretRegistry
): Promise<{ client: GenieClient; spaceId: string; mapping?: IdentifierMapping }> {
  const target = inputs['target-env']
  const configFile = inputs.config ?? 'config/promotion.yaml'
  const given = inputs['space-id']
  if (!target || (given && !existsSync(path.resolve(rt.cwd, configFile)))) {
    if (!given) throw new SpaceOpsError('mode benchmark needs input space-id')
    return { client: actionClient(rt, inputs, secrets), spaceId: given }
  }
  const config = await loadPromotionConfig(configFile, rt.cwd, ACTION_NAMES)
  const client = environmentClient(rt, inputs, secrets, config, target)
  const where = { config, environment: target, env: actionExpansion(rt, inputs, secrets, config) }
  if (given) return { client, ...(await spaceInEnvironment(client, { ...where, spaceId: given })) }
  const files = (await expandDefinitions(inputs.definition, rt.cwd)).filter((f) => !/(^|\/)benchmarks\//.test(f))
  const [file] = files
  if (!file || files.length !== 1) {
    throw new SpaceOpsError(
      `mode benchmark without space-id measures the space of one definition in ${target}, but definition matches ${files.length} files: point definition at one file, or give space-id`
    )
  }
  const { definition } = await readDefinition(file, { cwd: rt.cwd })
  const found = await spaceInEnvironment(client, { ...where, definition: { file, space: definition.space } })
  rt.info(`${file} in ${target}: space ${found.spaceId} "${found.title ?? ''}"`)
  return { client, spaceId: found.spaceId, mapping: found.mapping }
}
