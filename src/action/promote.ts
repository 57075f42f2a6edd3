import { ACTION_NAMES } from '../core/names.js'
import path from 'node:path'
import { writeFile } from 'node:fs/promises'
import { ensureDir } from '../core/files.js'
import { expandDefinitions } from '../core/paths.js'
import { readDefinition } from '../core/validate.js'
import { loadPromotionConfig } from '../promote/config.js'
import { promote, promotionPlan, wentThrough, type PromoteResult } from '../promote/promote.js'
import { planFileOf, plannedFor, readPlanFile } from '../promote/plan-file.js'
import { benchmarkGate } from '../promote/gate.js'
import { runInfo } from '../deploy/records.js'
import { lockSettings } from '../deploy/lock.js'
import { renderMarkdown, renderText, type SpacePlan } from '../plan/render.js'
import { md } from '../github/summary.js'
import type { ActionsRuntime } from '../github/actions.js'
import { SpaceOpsError, describeError } from '../util/errors.js'
import type { SecretRegistry } from '../util/secrets.js'
import { actionLogger } from './client.js'
import { actionConnector, actionExpansion } from './config.js'
import type { ActionInputs } from './inputs.js'
import { publishReport } from './report.js'
import { annotateProblems } from '../github/annotations.js'
import { RunLocks } from '../deploy/lock.js'
import { RunIndexes } from '../deploy/space-index.js'
import { DEFAULT_CONCURRENCY, KeyedMutex, mapConcurrent } from '../util/pool.js'

/**
 * mode: promote — `spaceops promote` for every definition matched, to `target-env`. The plan is
 * posted like mode diff; backups go to `backup-dir`, default $RUNNER_TEMP/spaceops/backups (upload
 * them as an artifact, see examples/workflows); `post-deploy-gate`, `write-ids`, `skip-benchmark`
 * as the flags of the same names; the step fails when any promotion is blocked or rolled back.
 */
export async function promoteMode(rt: ActionsRuntime, inputs: ActionInputs, secrets: SecretRegistry): Promise<boolean> {
  const target = inputs['target-env']
  if (!target) throw new SpaceOpsError('mode promote needs input target-env (an environment of the promotion config)')
  const configFile = inputs.config ?? 'config/promotion.yaml'
  const config = await loadPromotionConfig(configFile, rt.cwd, ACTION_NAMES)
  const writeIds = inputs['write-ids'] ?? false
  const files = (await expandDefinitions(inputs.definition, rt.cwd)).filter((f) => !/(^|\/)benchmarks\//.test(f))
  const logger = actionLogger(rt, secrets)
  const reports: string[] = []
  const gate =
    inputs.benchmark && !inputs['skip-benchmark']
      ? await benchmarkGate({
          paths: inputs.benchmark
            .split(/[\n,]/)
            .map((s) => s.trim())
            .filter(Boolean),
          ...(inputs['min-accuracy'] !== undefined ? { minAccuracy: String(inputs['min-accuracy']) } : {}),
          cwd: rt.cwd,
          logger,
          names: ACTION_NAMES,
          onReport: (_env, _phase, markdown) => reports.push(markdown)
        })
      : undefined
  const workDir = rt.env.RUNNER_TEMP ? path.join(rt.env.RUNNER_TEMP, 'spaceops') : path.join(rt.cwd, '.spaceops')
  const backupDir = inputs['backup-dir'] ? path.resolve(rt.cwd, inputs['backup-dir']) : path.join(workDir, 'backups')
  // the host/token inputs belong to the target; every other environment is reached by its own variables
  const connect = actionConnector(rt, inputs, secrets, config, target)
  const expansion = actionExpansion(rt, inputs, secrets, config)
  // apply a saved plan: every definition must be in it, and be as it was planned
  const saved = inputs.plan ? await readPlanFile(inputs.plan, rt.cwd, target) : undefined
  // up to `concurrency` definitions at a time, each through the whole flow (gate, lock, backup,
  // write, verify, records) as alone; one listing per environment and one lock per records folder
  // for the run; definitions of one title one after another; results in definition order
  const indexes = new RunIndexes()
  const locks = new RunLocks(() => indexes.invalidate())
  const sameSpace = new KeyedMutex()
  const results = await mapConcurrent(
    files,
    inputs.concurrency ?? DEFAULT_CONCURRENCY,
    async (file, i): Promise<{ file: string; result?: PromoteResult; error?: string }> => {
      try {
        const { definition } = await readDefinition(file, { cwd: rt.cwd, strict: true })
        const planned = saved && inputs.plan ? { file: inputs.plan, planned: plannedFor(saved, file, inputs.plan), createdAt: saved.created_at } : undefined
        // write-ids edits the config: each definition starts from the file as it is now
        const current = writeIds && i > 0 ? await loadPromotionConfig(configFile, rt.cwd, ACTION_NAMES) : config
        const result = await sameSpace.run(definition.space.meta.title ?? '', () =>
          promote({
            definitionFile: file,
            space: definition.space,
            config: current,
            target,
            env: expansion,
            connect,
            logger,
            names: ACTION_NAMES,
            now: () => new Date(),
            cwd: rt.cwd,
            force: inputs.force ?? false,
            definition,
            skipPreflight: inputs['skip-preflight'] ?? false,
            dryRun: inputs['dry-run'] ?? false,
            run: runInfo(rt.env, 'action'),
            ...(inputs['state-path'] ? { statePath: inputs['state-path'] } : {}),
            lock: lockSettings(rt.env, inputs['lock-timeout'], ACTION_NAMES),
            containsSecret: (t) => secrets.redact(t) !== t,
            writeIds,
            backupDir,
            ...(gate ? { gate } : {}),
            postDeployGate: inputs['post-deploy-gate'] ?? false,
            definitionsInRepo: files.length,
            indexes,
            locks,
            ...(planned ? { plan: planned } : {})
          })
        )
        return { file, result }
      } catch (err) {
        return { file, error: secrets.redact(describeError(err)) }
      }
    }
  )
  const force = ACTION_NAMES.option('force') ?? 'force'
  for (const { file, result } of results) {
    if (!result) continue
    if (result.diff.changes.length)
      rt.infoLines(renderText([{ definition: file, title: result.title, target, status: 'changed', diff: result.diff }]).trimEnd())
    for (const s of result.skipped) rt.warning(`${file}: skipped ${s} (${force})`, { title: 'SpaceOps: forced' })
    if (result.preflightSkipped) rt.warning(`${file}: skip-preflight: the target preflight was not run for ${target}`, { title: 'SpaceOps: preflight skipped' })
    annotateProblems(rt, result.preflight?.findings ?? [])
    // a reason is stated once in the log: in the step's failure below
    rt.info(`${file}: ${result.status}${result.spaceId ? ` (space ${result.spaceId})` : ''}`)
  }

  const plans: SpacePlan[] = results.map(({ file, result, error }) =>
    result ? promotionPlan(file, result) : { definition: file, title: file, target, status: 'error', error: error ?? 'failed' }
  )
  // the reasons are in the plan above the table: the table says only what happened
  const table = [
    `| Definition | Result | Space id | Backup |`,
    `|---|---|---|---|`,
    ...results.map(
      ({ file, result }) =>
        `| ${md(file)} | ${result ? result.status : 'error'} | ${result?.spaceId ?? '—'} | ${result?.backup ? md(path.relative(rt.cwd, result.backup)) : '—'} |`
    )
  ].join('\n')
  const forcedLines = results.flatMap(({ file, result }) => (result?.skipped ?? []).map((s) => `- ${md(file)}: skipped ${md(s)}`))
  const forced = forcedLines.length ? [`**Forced** (${force}): checks that would have blocked were skipped`, '', ...forcedLines].join('\n') : ''
  const title = `SpaceOps promote to ${target}${inputs['dry-run'] ? ' (dry run)' : ''}`
  await publishReport(rt, inputs, secrets, {
    kind: 'promote',
    target,
    levels: (['full', 'summary', 'counts'] as const).map((detail) =>
      [renderMarkdown(plans, { detail, title }), table, ...(forced ? [forced] : []), ...(detail === 'full' ? reports : [])].join('\n\n')
    )
  })
  await ensureDir(workDir)
  const planPath = path.join(workDir, `promote-${target}.json`)
  await writeFile(planPath, `${JSON.stringify(planFileOf(target, inputs['dry-run'] ?? false, results, new Date()), null, 2)}\n`)
  const ids = Object.fromEntries(results.filter((r) => r.result?.spaceId).map((r) => [r.file, r.result?.spaceId]))
  const last = results[results.length - 1]?.result?.spaceId
  if (last) rt.setOutput('space-id', last)
  rt.setOutput('space-ids', JSON.stringify(ids))
  rt.setOutput('plan-path', planPath)
  rt.setOutput('backup-dir', backupDir)
  const failed = results.filter((r) => !r.result || !wentThrough(r.result))
  if (failed.length)
    rt.setFailed(`${failed.length} promotion(s) to ${target} did not go through: ${failed.map((f) => `${f.file}: ${f.result?.reason ?? f.error}`).join('; ')}`)
  return failed.length === 0
}
