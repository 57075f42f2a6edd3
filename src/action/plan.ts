import { ACTION_NAMES } from '../core/names.js'
import path from 'node:path'
import { writeFile } from 'node:fs/promises'
import { ensureDir } from '../core/files.js'
import { expandDefinitions } from '../core/paths.js'
import { readDefinition } from '../core/validate.js'
import { driftSpace, planSpace } from '../plan/plan.js'
import { planCounts, renderJson, renderMarkdown, renderText, type SpacePlan } from '../plan/render.js'
import { listChangedFiles } from '../github/context.js'
import { createOctokit } from '../github/octokit.js'
import type { ActionsRuntime } from '../github/actions.js'
import { SpaceOpsError, describeError } from '../util/errors.js'
import type { SecretRegistry } from '../util/secrets.js'
import { actionClient } from './client.js'
import { existsSync } from 'node:fs'
import type { GenieClient } from '../client/index.js'
import { loadPromotionConfig } from '../promote/config.js'
import { renderFor } from '../promote/promote.js'
import { recordsFolder } from '../deploy/records.js'
import { spaceKey } from '../promote/config.js'
import { actionConnector, actionExpansion } from './config.js'
import type { ActionInputs } from './inputs.js'
import { publishReport, workflowContext } from './report.js'
import { RunIndexes } from '../deploy/space-index.js'
import { DEFAULT_CONCURRENCY, mapAhead } from '../util/pool.js'
import { planPreflight, preflightInEnvironment } from '../promote/preflight.js'
import { annotateProblems } from '../github/annotations.js'

/**
 * mode: diff — plan every definition matched against the space it deploys to (in a pull request,
 * only those whose folder the pull request touches, unless all-spaces), post the plan as a sticky
 * comment and in the job summary. mode: drift — the live spaces against Git.
 */
const isSuite = (f: string) => /(^|\/)benchmarks\//.test(f)

/** Definitions whose folder the pull request touches; undefined = plan all (not a PR, or unknown). */
async function touchedDefinitions(rt: ActionsRuntime, inputs: ActionInputs, secrets: SecretRegistry, files: string[]): Promise<string[] | undefined> {
  if (inputs['all-spaces']) return undefined
  const ctx = workflowContext(rt)
  if (!ctx?.pullRequest) return undefined
  const token = inputs['github-token']
  if (!token) return undefined
  secrets.add(token)
  try {
    const changed = await listChangedFiles(createOctokit(token, { fetch: globalThis.fetch, baseUrl: ctx.apiUrl }), ctx)
    if (changed.capped) {
      rt.warning(`${changed.warning ?? 'the pull request touches more files than GitHub lists'}; planning every space`)
      return undefined
    }
    const config = inputs.config ? path.normalize(inputs.config) : undefined
    if (config && changed.files.some((f) => path.normalize(f) === config)) {
      rt.info(`${inputs.config} changed: planning every space`)
      return undefined
    }
    return files.filter((def) => {
      const dir = path.posix.dirname(def)
      return changed.files.some((f) => f === def || (dir !== '.' && f.startsWith(`${dir}/`)))
    })
  } catch (err) {
    rt.warning(`cannot list the pull request's files (${describeError(err)}); planning every space`)
    return undefined
  }
}

async function writePlanFile(rt: ActionsRuntime, name: string, plans: SpacePlan[]): Promise<string> {
  const dir = rt.env.RUNNER_TEMP ? path.join(rt.env.RUNNER_TEMP, 'spaceops') : path.join(rt.cwd, '.spaceops')
  await ensureDir(dir)
  const file = path.join(dir, `${name}.json`)
  await writeFile(file, renderJson(plans))
  return file
}

async function planAll(
  rt: ActionsRuntime,
  inputs: ActionInputs,
  secrets: SecretRegistry,
  fn: typeof planSpace,
  /** diff: the target preflight of each definition, shown above its diff (not for drift) */
  preflight = false
): Promise<{ plans: SpacePlan[]; selected: string[]; all: string[] }> {
  const all = (await expandDefinitions(inputs.definition, rt.cwd)).filter((f) => !isSuite(f))
  const touched = await touchedDefinitions(rt, inputs, secrets, all)
  const selected = touched ?? all
  if (touched) rt.info(`the pull request touches ${touched.length} of ${all.length} space definition(s)`)
  if (inputs['space-id'] && selected.length > 1)
    throw new SpaceOpsError(`input space-id names one space but ${selected.length} definitions are selected; point definition at one file`)
  // with a target environment and its promotion config, plan what that environment gets
  const target = inputs['target-env']
  const configFile = inputs.config ?? 'config/promotion.yaml'
  const config =
    target && selected.length && existsSync(path.resolve(rt.cwd, configFile)) ? await loadPromotionConfig(configFile, rt.cwd, ACTION_NAMES) : undefined
  if (target && !config) rt.info(`no promotion config at ${configFile}: planning against the workspace of the host input as written`)
  // the same host and credential rules as mode promote: the inputs belong to the planned environment
  const connect = config && target ? actionConnector(rt, inputs, secrets, config, target) : undefined
  const expansion = config ? actionExpansion(rt, inputs, secrets, config) : undefined
  let client: GenieClient | undefined
  const getClient = () => (client ??= connect && target ? connect(target).client : actionClient(rt, inputs, secrets))
  // one listing of the workspace per run, and up to `concurrency` definitions at a time; plans in definition order
  const indexes = new RunIndexes()
  // (the definitions are read and checked ahead, one at a time, while the requests of those before are in flight)
  const read = (file: string) => readDefinition(file, { cwd: rt.cwd, strict: true })
  const plans = await mapAhead(selected, inputs.concurrency ?? DEFAULT_CONCURRENCY, read, async (reading, file): Promise<SpacePlan> => {
    try {
      const { definition } = await reading
      let space = definition.space
      let spaceId = inputs['space-id']
      let statePath = inputs['state-path']
      if (config && target && expansion) {
        const rendered = renderFor(config, space, file, target, expansion, all.length === 1)
        space = rendered.space
        spaceId ??= rendered.settings.space_id
        statePath ??= rendered.envc.state_path
      }
      const c = getClient()
      // the target preflight (read-only), when planning for an environment: its findings are
      // annotated and shown above the diff; a plan is not failed by them (promote is)
      const checked =
        preflight && config && target && expansion && !inputs['skip-preflight']
          ? await preflightInEnvironment({
              client: c,
              definition,
              config,
              environment: target,
              expansion,
              onlySpace: all.length === 1,
              ...(inputs['warehouse-id'] ? { warehouseId: inputs['warehouse-id'] } : {})
            })
          : undefined
      if (checked) annotateProblems(rt, checked.findings)
      const plan = await fn(c, space, {
        definition: file,
        records: { folder: recordsFolder({ statePath, parentPath: space.meta.parent_path }), key: spaceKey(file) },
        ...(spaceId ? { spaceId } : {}),
        ...(target ? { target } : {}),
        overrides: inputs['warehouse-id'] ? { warehouse_id: inputs['warehouse-id'] } : {},
        index: indexes.for(c)
      })
      return checked ? { ...plan, preflight: planPreflight(checked) } : plan
    } catch (err) {
      return { definition: file, title: file, status: 'error', error: secrets.redact(describeError(err)) }
    }
  })
  return { plans, selected, all }
}

/** GitHub's limit on the jobs one strategy.matrix makes. */
export const MATRIX_LIMIT = 256

/**
 * The definitions as at most 256 groups, each a `definition` input (newline-separated files) —
 * one file per group up to 256 definitions, then as evenly as possible, in definition order.
 */
export function matrixBatches(files: readonly string[]): string[] {
  const size = Math.max(1, Math.ceil(files.length / MATRIX_LIMIT))
  const out: string[] = []
  for (let i = 0; i < files.length; i += size) out.push(files.slice(i, i + size).join('\n'))
  return out
}

/**
 * What another mode adds to the plan's report (mode preview): run after the plan, its section is
 * composed after the plan in the one sticky comment and the job summary.
 */
export type PlanExtension = (planned: {
  plans: SpacePlan[]
  selected: string[]
  all: string[]
}) => Promise<{ section: (detail: 'full' | 'summary' | 'counts') => string; ok: boolean }>

export async function diffMode(rt: ActionsRuntime, inputs: ActionInputs, secrets: SecretRegistry, extend?: PlanExtension): Promise<boolean> {
  const { plans, selected, all } = await planAll(rt, inputs, secrets, planSpace, true)
  rt.setOutput('spaces', JSON.stringify(selected))
  const batches = matrixBatches(selected)
  rt.setOutput('spaces-batches', JSON.stringify(batches))
  if (selected.length > MATRIX_LIMIT) {
    rt.warning(
      `${selected.length} spaces planned: a strategy.matrix takes at most ${MATRIX_LIMIT} jobs, so the spaces output cannot feed one — use spaces-batches (${batches.length} entries, each a definition input of up to ${Math.ceil(selected.length / MATRIX_LIMIT)} files)`
    )
  }
  rt.infoLines(renderText(plans).trimEnd() || 'no space definitions selected')
  const counts = planCounts(plans)
  const title = `SpaceOps plan${inputs['target-env'] ? ` for ${inputs['target-env']}` : ''}`
  const extension = extend ? await extend({ plans, selected, all }) : undefined
  await publishReport(rt, inputs, secrets, {
    kind: 'plan',
    ...(inputs['target-env'] ? { target: inputs['target-env'] } : {}),
    levels: (['full', 'summary', 'counts'] as const).map(
      (detail) => renderMarkdown(plans, { detail, title }) + (extension ? `\n${extension.section(detail)}` : '')
    )
  })
  rt.setOutput('changes', String(counts.changed + counts.new > 0))
  rt.setOutput('spaces-changed', String(counts.changed + counts.new))
  rt.setOutput('plan-path', await writePlanFile(rt, 'plan', plans))
  if (counts.error) rt.setFailed(`${counts.error} space(s) could not be planned`)
  return counts.error === 0 && (extension?.ok ?? true)
}

export async function driftMode(rt: ActionsRuntime, inputs: ActionInputs, secrets: SecretRegistry): Promise<boolean> {
  const { plans } = await planAll(rt, { ...inputs, 'all-spaces': true }, secrets, driftSpace)
  rt.infoLines(renderText(plans).trimEnd())
  const counts = planCounts(plans)
  const title = `SpaceOps drift${inputs['target-env'] ? ` in ${inputs['target-env']}` : ''}`
  await publishReport(rt, inputs, secrets, {
    kind: 'drift',
    ...(inputs['target-env'] ? { target: inputs['target-env'] } : {}),
    levels: (['full', 'summary', 'counts'] as const).map((detail) => renderMarkdown(plans, { detail, title }))
  })
  rt.setOutput('drifted', String(counts.changed > 0))
  rt.setOutput('spaces-drifted', String(counts.changed))
  rt.setOutput('plan-path', await writePlanFile(rt, 'drift', plans))
  for (const p of plans.filter((x) => x.status === 'changed'))
    rt.warning(`${p.definition}: "${p.title}" was changed outside SpaceOps`, { title: 'SpaceOps: drift', file: p.definition })
  if (counts.error) rt.setFailed(`${counts.error} space(s) could not be checked for drift`)
  else if (inputs['fail-on-drift'] && counts.changed) rt.setFailed(`${counts.changed} space(s) drifted from Git`)
  return counts.error === 0
}
