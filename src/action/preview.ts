import { existsSync } from 'node:fs'
import path from 'node:path'
import { loadSuites, remapSuites } from '../benchmark/suites.js'
import { formatProgress } from '../benchmark/run.js'
import { lockSettings } from '../deploy/lock.js'
import { runInfo } from '../deploy/records.js'
import { expandDefinitions } from '../core/paths.js'
import { readDefinition } from '../core/validate.js'
import type { ActionsRuntime } from '../github/actions.js'
import { loadPromotionConfig, previewEnvironment, spaceKey, type PromotionConfig } from '../promote/config.js'
import { spaceInEnvironment } from '../promote/locate.js'
import { renderFor } from '../promote/promote.js'
import { mappingOf } from '../promote/remap.js'
import { cleanupPreviews } from '../preview/cleanup.js'
import { DEFAULT_PREVIEW_MAX_AGE_MS } from '../preview/age.js'
import { measurePreview, previewBucket } from '../preview/measure.js'
import { deployPreview } from '../preview/preview.js'
import { renderPreviewMarkdown, type PreviewOutcome } from '../preview/render.js'
import { SpaceOpsError, describeError } from '../util/errors.js'
import type { SecretRegistry } from '../util/secrets.js'
import { actionLogger } from './client.js'
import { actionConnector, actionExpansion } from './config.js'
import type { ActionInputs } from './inputs.js'
import { diffMode } from './plan.js'
import { workflowContext } from './report.js'

/**
 * mode: preview — the plan of mode diff, and for each space the pull request touches its preview:
 * the PR's version deployed as a temporary space of the preview environment (preview/preview.ts),
 * measured with the space's suites next to the base's version (the space deployed there), in the
 * one sticky comment. A pull request from a fork gets the plan and a note, never a preview.
 *
 * mode: preview-cleanup — on a closed pull request, its previews are trashed; elsewhere (the
 * nightly drift workflow), every preview older than `preview-max-age` (default 7 days).
 */
const FORK_NOTE = 'No preview: this pull request comes from a fork, and GitHub gives workflows of a fork no secrets. Previews run only for pull requests from this repository; the plan above is all a fork gets.'

const configFileOf = (inputs: ActionInputs) => inputs.config ?? 'config/promotion.yaml'

/** The space's suites: its `benchmarks/` folder, else the benchmarks in the definition. */
function suitesOf(rt: ActionsRuntime, file: string): string {
  const dir = path.posix.join(path.posix.dirname(file), 'benchmarks')
  return existsSync(path.resolve(rt.cwd, dir)) ? dir : file
}

export async function previewMode(rt: ActionsRuntime, inputs: ActionInputs, secrets: SecretRegistry): Promise<boolean> {
  const pr = workflowContext(rt)?.pullRequest
  if (!pr) throw new SpaceOpsError('mode preview runs on a pull_request event: it deploys and measures the pull request\'s version of each space it touches')
  // the config is read (and a preview environment after the first refused) before any request
  const config = await loadPromotionConfig(configFileOf(inputs), rt.cwd)
  const environment = previewEnvironment(config)
  const planInputs: ActionInputs = { ...inputs, 'target-env': inputs['target-env'] ?? environment, config: configFileOf(inputs) }
  return diffMode(rt, planInputs, secrets, async ({ selected, all }) => {
    let asked = 0
    const section = (outcomes: PreviewOutcome[], note?: string) => (detail: 'full' | 'summary' | 'counts') =>
      renderPreviewMarkdown(outcomes, { pr: pr.number, environment, asked, ...(note ? { note } : {}), detail: detail === 'full' ? 'full' : 'summary' })
    if (pr.isFork) {
      rt.notice(FORK_NOTE, { title: 'SpaceOps: no preview' })
      return { section: section([], FORK_NOTE), ok: true }
    }
    const outcomes = await previewAll(rt, planInputs, secrets, config, environment, pr.number, selected, all.length === 1, (n) => (asked += n))
    rt.setOutput('preview-space-ids', JSON.stringify(Object.fromEntries(outcomes.flatMap((o) => (o.status === 'error' ? [] : [[o.definition, o.spaceId]])))))
    rt.setOutput('questions-asked', String(asked))
    rt.info(`preview: ${asked} question(s) asked of Genie`)
    const errors = outcomes.filter((o) => o.status === 'error')
    if (errors.length) rt.setFailed(`${errors.length} preview(s) failed: ${errors.map((e) => `${e.definition}: ${e.status === 'error' ? e.error : ''}`).join('; ')}`)
    return { section: section(outcomes), ok: errors.length === 0 }
  })
}

async function previewAll(
  rt: ActionsRuntime,
  inputs: ActionInputs,
  secrets: SecretRegistry,
  config: PromotionConfig,
  environment: string,
  pr: number,
  files: readonly string[],
  onlySpace: boolean,
  onAsked: (n: number) => void
): Promise<PreviewOutcome[]> {
  if (!files.length) return []
  const logger = actionLogger(rt, secrets)
  const expansion = actionExpansion(rt, inputs, secrets, config)
  // the preview environment's host and credentials, decided where every mode's are
  const { client } = actionConnector(rt, inputs, secrets, config, environment)(environment)
  // one question budget for every measurement of the run: Genie's limit is the workspace's
  const bucket = previewBucket(inputs['questions-per-minute'] !== undefined ? { questionsPerMinute: inputs['questions-per-minute'] } : {})
  let budget = inputs['preview-max-questions']
  const outcomes: PreviewOutcome[] = []
  // one after another: the spaces share the question budget anyway
  for (const file of files) {
    try {
      const { definition } = await readDefinition(file, { cwd: rt.cwd, strict: true })
      const r = renderFor(config, definition.space, file, environment, expansion, onlySpace)
      const deployed = await deployPreview({
        client,
        rendered: r.space,
        definitionFile: file,
        key: spaceKey(file),
        pr,
        environment,
        run: runInfo(rt.env, 'action'),
        logger,
        now: () => new Date(),
        sleep: (ms) => new Promise<void>((res) => setTimeout(res, ms)),
        lock: lockSettings(rt.env, inputs['lock-timeout']),
        containsSecret: (t) => secrets.redact(t) !== t
      })
      rt.info(`${file}: preview ${deployed.spaceId} "${deployed.title}" ${deployed.action} in ${deployed.folder}`)
      const base = { definition: file, title: deployed.title, spaceId: deployed.spaceId, action: deployed.action }
      const suiteFiles = suitesOf(rt, file)
      const suites = await loadSuites([suiteFiles], { cwd: rt.cwd, logger }).catch((err: unknown) => {
        if (err instanceof SpaceOpsError && /^no benchmark questions/.test(err.message)) return undefined
        throw err
      })
      if (!suites) {
        outcomes.push({ status: 'deployed', ...base, reason: 'No benchmark questions for this space: the preview is deployed, not measured.' })
        continue
      }
      if (budget !== undefined && budget < 1) {
        outcomes.push({ status: 'deployed', ...base, reason: 'Not measured: preview-max-questions was used up by the spaces before this one.' })
        continue
      }
      const baseSpace = await spaceInEnvironment(client, { config, environment, env: expansion, definition: { file, space: definition.space }, onlySpace }).catch((err: unknown) => {
        if (err instanceof SpaceOpsError) {
          rt.info(`${file}: no base to compare with (${describeError(err)})`)
          return undefined
        }
        throw err
      })
      const m = await measurePreview({
        client,
        previewSpaceId: deployed.spaceId,
        ...(baseSpace ? { baseSpaceId: baseSpace.spaceId } : {}),
        suites: remapSuites(suites, mappingOf(r.envc)),
        logger,
        bucket,
        ...(budget !== undefined ? { maxQuestions: budget } : {}),
        onProgress: (which, p) => rt.info(`${which === 'pr' ? 'this PR' : 'base'}: ${formatProgress(p)}`)
      })
      onAsked(m.asked)
      if (budget !== undefined) budget -= m.asked
      outcomes.push({ status: 'measured', ...base, base: baseSpace ? `${environment} space ${baseSpace.spaceId}` : environment, measurement: m })
    } catch (err) {
      outcomes.push({ status: 'error', definition: file, error: secrets.redact(describeError(err)) })
    }
  }
  return outcomes
}

export async function previewCleanupMode(rt: ActionsRuntime, inputs: ActionInputs, secrets: SecretRegistry): Promise<boolean> {
  const pr = workflowContext(rt)?.pullRequest
  if (pr?.isFork) {
    rt.info('this pull request comes from a fork: it has no previews to clean up')
    return true
  }
  const config = await loadPromotionConfig(configFileOf(inputs), rt.cwd)
  const environment = previewEnvironment(config)
  const expansion = actionExpansion(rt, inputs, secrets, config)
  const files = (await expandDefinitions(inputs.definition, rt.cwd)).filter((f) => !/(^|\/)benchmarks\//.test(f))
  // the folders previews live under: each definition's folder in the preview environment
  const roots = new Set<string>()
  for (const file of files) {
    const { definition } = await readDefinition(file, { cwd: rt.cwd })
    const folder = renderFor(config, definition.space, file, environment, expansion, files.length === 1).space.meta.parent_path
    if (folder) roots.add(folder)
  }
  if (!roots.size) {
    rt.info(`no definition has a folder in ${environment}: there are no previews to clean up`)
    return true
  }
  const { client } = actionConnector(rt, inputs, secrets, config, environment)(environment)
  const maxAgeMs = pr ? undefined : inputs['preview-max-age'] ?? DEFAULT_PREVIEW_MAX_AGE_MS
  const result = await cleanupPreviews({
    client,
    roots: [...roots],
    keys: files.map(spaceKey),
    ...(pr ? { pr: pr.number } : { maxAgeMs: maxAgeMs as number }),
    now: () => new Date(),
    logger: actionLogger(rt, secrets)
  })
  const what = pr ? `of pull request #${pr.number}` : `older than ${Math.round((maxAgeMs as number) / 3_600_000)}h`
  rt.info(`${result.trashed.length} preview(s) ${what} trashed in ${environment}${pr ? '' : `, ${result.kept} kept`}`)
  rt.setOutput('previews-trashed', String(result.trashed.length))
  if (result.trashed.length) {
    await rt.appendSummary(
      [`### SpaceOps previews trashed in ${environment}`, '', ...result.trashed.map((t) => `- \`${t.spaceId}\` ${t.title.replace(/[`<>]/g, '')} (${t.reason}; ${t.conversations} conversation(s) deleted)`), ''].join('\n')
    )
  }
  if (result.failed.length) {
    rt.setFailed(`${result.failed.length} preview(s) could not be trashed: ${result.failed.join('; ')}`)
    return false
  }
  return true
}
