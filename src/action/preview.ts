import { lockSettings } from '../deploy/lock.js'
import { runInfo } from '../deploy/records.js'
import { expandDefinitions } from '../core/paths.js'
import { ACTION_NAMES } from '../core/names.js'
import type { ActionsRuntime } from '../github/actions.js'
import { loadPromotionConfig, previewEnvironment, spaceKey } from '../promote/config.js'
import { cleanupPreviews } from '../preview/cleanup.js'
import { DEFAULT_PREVIEW_MAX_AGE_MS } from '../preview/age.js'
import { previewRoots, previewSpaces } from '../preview/run.js'
import { baseDefinitionReader } from '../preview/base.js'
import { createOctokit } from '../github/octokit.js'
import { markdownText, renderPreviewMarkdown, type PreviewOutcome } from '../preview/render.js'
import { SpaceOpsError } from '../util/errors.js'
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
const FORK_NOTE =
  'No preview: this pull request comes from a fork, and GitHub gives workflows of a fork no secrets. Previews run only for pull requests from this repository; the plan above is all a fork gets.'

const configFileOf = (inputs: ActionInputs) => inputs.config ?? 'config/promotion.yaml'

export async function previewMode(rt: ActionsRuntime, inputs: ActionInputs, secrets: SecretRegistry): Promise<boolean> {
  const ctx = workflowContext(rt)
  const pr = ctx?.pullRequest
  if (!ctx || !pr)
    throw new SpaceOpsError("mode preview runs on a pull_request event: it deploys and measures the pull request's version of each space it touches")
  // the config is read (and a preview environment after the first refused) before any request
  const config = await loadPromotionConfig(configFileOf(inputs), rt.cwd)
  const environment = previewEnvironment(config)
  const planInputs: ActionInputs = { ...inputs, 'target-env': inputs['target-env'] ?? environment, config: configFileOf(inputs) }
  return diffMode(rt, planInputs, secrets, async ({ selected, all }) => {
    const section = (outcomes: PreviewOutcome[], asked: number, note?: string) => (detail: 'full' | 'summary' | 'counts') =>
      renderPreviewMarkdown(outcomes, {
        pr: pr.number,
        environment,
        asked,
        ...(note ? { note } : {}),
        detail: detail === 'full' ? 'full' : 'summary',
        names: ACTION_NAMES
      })
    if (pr.isFork) {
      rt.notice(FORK_NOTE, { title: 'SpaceOps: no preview' })
      return { section: section([], 0, FORK_NOTE), ok: true }
    }
    const { outcomes, asked } = selected.length
      ? await previewSpaces({
          // the preview environment's host and credentials, decided where every mode's are
          client: actionConnector(rt, planInputs, secrets, config, environment)(environment).client,
          config,
          environment,
          expansion: actionExpansion(rt, planInputs, secrets, config),
          pr: pr.number,
          files: selected,
          onlySpace: all.length === 1,
          cwd: rt.cwd,
          run: runInfo(rt.env, 'action'),
          logger: actionLogger(rt, secrets),
          info: (line) => rt.info(line),
          lock: lockSettings(rt.env, inputs['lock-timeout']),
          containsSecret: (t) => secrets.redact(t) !== t,
          redact: (t) => secrets.redact(t),
          ...(inputs['github-token']
            ? {
                baseDefinition: baseDefinitionReader(
                  createOctokit(inputs['github-token'], { fetch: globalThis.fetch, baseUrl: ctx.apiUrl }),
                  ctx.repo,
                  pr.baseSha
                )
              }
            : {}),
          ...(inputs['questions-per-minute'] !== undefined ? { questionsPerMinute: inputs['questions-per-minute'] } : {}),
          ...(inputs['preview-max-questions'] !== undefined ? { maxQuestions: inputs['preview-max-questions'] } : {}),
          names: ACTION_NAMES
        })
      : { outcomes: [], asked: 0 }
    rt.setOutput('preview-space-ids', JSON.stringify(Object.fromEntries(outcomes.flatMap((o) => (o.status === 'error' ? [] : [[o.definition, o.spaceId]])))))
    rt.setOutput('questions-asked', String(asked))
    rt.info(`preview: ${asked} question(s) asked of Genie`)
    const errors = outcomes.filter((o) => o.status === 'error')
    if (errors.length)
      rt.setFailed(`${errors.length} preview(s) failed: ${errors.map((e) => `${e.definition}: ${e.status === 'error' ? e.error : ''}`).join('; ')}`)
    return { section: section(outcomes, asked), ok: errors.length === 0 }
  })
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
  const roots = await previewRoots({ config, environment, expansion, files, cwd: rt.cwd })
  if (!roots.length) {
    rt.info(`no definition has a folder in ${environment}: there are no previews to clean up`)
    return true
  }
  const { client } = actionConnector(rt, inputs, secrets, config, environment)(environment)
  const maxAgeMs = pr ? undefined : (inputs['preview-max-age'] ?? DEFAULT_PREVIEW_MAX_AGE_MS)
  const logger = actionLogger(rt, secrets)
  const result = await cleanupPreviews({
    client,
    roots,
    keys: files.map(spaceKey),
    ...(pr ? { pr: pr.number } : { maxAgeMs: maxAgeMs as number }),
    now: () => new Date(),
    logger
  })
  // each face prints the result once (the CLI on stdout)
  for (const t of result.trashed) logger.info(`trashed preview ${t.spaceId} "${t.title}" (${t.reason}; ${t.conversations} conversation(s) deleted)`)
  const what = pr ? `of pull request #${pr.number}` : `older than ${Math.round((maxAgeMs as number) / 3_600_000)}h`
  rt.info(`${result.trashed.length} preview(s) ${what} trashed in ${environment}${pr ? '' : `, ${result.kept} kept`}`)
  rt.setOutput('previews-trashed', String(result.trashed.length))
  if (result.trashed.length) {
    await rt.appendSummary(
      [
        `### SpaceOps previews trashed in ${environment}`,
        '',
        ...result.trashed.map((t) => `- \`${t.spaceId}\` ${markdownText(t.title)} (${t.reason}; ${t.conversations} conversation(s) deleted)`),
        ''
      ].join('\n')
    )
  }
  if (result.failed.length) {
    rt.setFailed(`${result.failed.length} preview(s) could not be trashed: ${result.failed.join('; ')}`)
    return false
  }
  return true
}
