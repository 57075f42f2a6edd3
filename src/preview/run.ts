import { existsSync } from 'node:fs'
import path from 'node:path'
import { loadSuites, remapSuites } from '../benchmark/suites.js'
import { formatProgress } from '../benchmark/run.js'
import type { GenieClient } from '../client/index.js'
import { readDefinition } from '../core/validate.js'
import type { RunInfo } from '../deploy/records.js'
import { spaceKey, type ExpansionPolicy, type PromotionConfig } from '../promote/config.js'
import { spaceInEnvironment } from '../promote/locate.js'
import { renderFor } from '../promote/promote.js'
import { mappingOf } from '../promote/remap.js'
import { SpaceOpsError, describeError } from '../util/errors.js'
import type { Logger } from '../util/logger.js'
import type { Names } from '../core/names.js'
import { capName, measurePreview, previewBucket } from './measure.js'
import { deployPreview, type PreviewOf } from './preview.js'
import type { Space } from '../model/space.js'
import type { PreviewOutcome } from './render.js'
import type { BaseReader } from './base.js'
import { loadDefinitionText } from '../model/load.js'

/**
 * What both faces run for a pull request: for each definition, its preview deployed (or updated),
 * then — when it has benchmark questions — measured next to the base: the space the definition has
 * in the preview environment, else a preview of the base branch's version (`baseDefinition`,
 * titled `… [PR #N base]` beside the PR's), else (a space the PR adds) the PR's version alone. One after another, from
 * one question budget (the workspace's) and within `maxQuestions` for the whole run. A failure of
 * one space is its outcome; the others still run.
 */
export interface PreviewRunOptions {
  client: GenieClient
  config: PromotionConfig
  environment: string
  expansion: ExpansionPolicy
  pr: number
  files: readonly string[]
  /** true when the repository has one definition (per-space settings fall back to the environment's space_id) */
  onlySpace: boolean
  cwd: string
  run: RunInfo
  logger: Logger
  /** progress and one-line news for the log */
  info: (line: string) => void
  questionsPerMinute?: number
  maxQuestions?: number
  /** how the face names its settings in the report (`--max-questions`, `input preview-max-questions`) */
  names?: Names
  lock?: { waitMs?: number; ttlMs?: number; pollMs?: number }
  containsSecret?: (text: string) => boolean
  redact?: (text: string) => string
  /** the base branch's version of a definition, for a preview of the base when the environment has no space for it */
  baseDefinition?: BaseReader
}

export interface PreviewRunResult {
  outcomes: PreviewOutcome[]
  asked: number
}

/** The space's suites: its `benchmarks/` folder, else the benchmarks in the definition. */
export function suitesOf(cwd: string, file: string): string {
  const dir = path.posix.join(path.posix.dirname(file), 'benchmarks')
  return existsSync(path.resolve(cwd, dir)) ? dir : file
}

export async function previewSpaces(o: PreviewRunOptions): Promise<PreviewRunResult> {
  const bucket = previewBucket(o.questionsPerMinute !== undefined ? { questionsPerMinute: o.questionsPerMinute } : {})
  let budget = o.maxQuestions
  let asked = 0
  const outcomes: PreviewOutcome[] = []
  for (const file of o.files) {
    try {
      const { definition } = await readDefinition(file, { cwd: o.cwd, strict: true })
      const r = renderFor(o.config, definition.space, file, o.environment, o.expansion, o.onlySpace)
      const deploy = (rendered: Space, of: PreviewOf) =>
        deployPreview({
          client: o.client,
          rendered,
          definitionFile: file,
          key: spaceKey(file),
          pr: o.pr,
          of,
          environment: o.environment,
          run: o.run,
          logger: o.logger,
          now: () => new Date(),
          sleep: (ms) => new Promise<void>((res) => setTimeout(res, ms)),
          ...(o.lock ? { lock: o.lock } : {}),
          ...(o.containsSecret ? { containsSecret: o.containsSecret } : {})
        })
      const deployed = await deploy(r.space, 'pr')
      o.info(`${file}: preview ${deployed.spaceId} "${deployed.title}" ${deployed.action} in ${deployed.folder}`)
      const base = { definition: file, title: deployed.title, spaceId: deployed.spaceId, action: deployed.action }
      const suites = await loadSuites([suitesOf(o.cwd, file)], { cwd: o.cwd, logger: o.logger }).catch((err: unknown) => {
        if (err instanceof SpaceOpsError && /^no benchmark questions/.test(err.message)) return undefined
        throw err
      })
      if (!suites) {
        outcomes.push({ status: 'deployed', ...base, reason: 'No benchmark questions for this space: the preview is deployed, not measured.' })
        continue
      }
      if (budget !== undefined && budget < 1) {
        outcomes.push({ status: 'deployed', ...base, reason: `Not measured: ${capName(o.names)} was used up by the spaces before this one.` })
        continue
      }
      const deployedBase = await spaceInEnvironment(o.client, {
        config: o.config,
        environment: o.environment,
        env: o.expansion,
        definition: { file, space: definition.space },
        onlySpace: o.onlySpace
      }).then(
        (s) => ({ spaceId: s.spaceId, label: `${o.environment} space ${s.spaceId}` }),
        (err: unknown) => {
          if (!(err instanceof SpaceOpsError)) throw err
          o.info(`${file}: ${describeError(err)}`)
          return undefined
        }
      )
      let baseSpace = deployedBase
      if (!baseSpace && o.baseDefinition) {
        const text = await o.baseDefinition(file)
        const loaded = text === undefined ? undefined : loadDefinitionText(file, text)
        const invalid = loaded?.problems.find((p) => p.severity === 'error')
        if (!loaded) o.info(`${file}: the base branch has no such file`)
        else if (!loaded.definition || invalid) o.info(`${file}: the base branch's version is not a valid definition (${invalid?.message ?? 'not a space'})`)
        else {
          const b = await deploy(renderFor(o.config, loaded.definition.space, file, o.environment, o.expansion, o.onlySpace).space, 'base')
          o.info(`${file}: preview of the base ${b.spaceId} "${b.title}" ${b.action}`)
          baseSpace = { spaceId: b.spaceId, label: `the base branch, preview ${b.spaceId}` }
        }
      }
      if (!baseSpace) o.info(`${file}: no base to compare with: the pull request's version is measured alone`)
      const m = await measurePreview({
        client: o.client,
        previewSpaceId: deployed.spaceId,
        ...(baseSpace ? { baseSpaceId: baseSpace.spaceId } : {}),
        suites: remapSuites(suites, mappingOf(r.envc)),
        logger: o.logger,
        bucket,
        ...(budget !== undefined ? { maxQuestions: budget } : {}),
        ...(o.names ? { names: o.names } : {}),
        onProgress: (which, p) => o.info(`${which === 'pr' ? 'this PR' : 'base'}: ${formatProgress(p)}`)
      })
      asked += m.asked
      if (budget !== undefined) budget -= m.asked
      outcomes.push({ status: 'measured', ...base, base: baseSpace?.label ?? o.environment, measurement: m })
    } catch (err) {
      const text = describeError(err)
      outcomes.push({ status: 'error', definition: file, error: o.redact ? o.redact(text) : text })
    }
  }
  return { outcomes, asked }
}

/** The folders previews live under: each definition's folder in the preview environment. */
export async function previewRoots(o: {
  config: PromotionConfig
  environment: string
  expansion: ExpansionPolicy
  files: readonly string[]
  cwd: string
}): Promise<string[]> {
  const roots = new Set<string>()
  for (const file of o.files) {
    const { definition } = await readDefinition(file, { cwd: o.cwd })
    const folder = renderFor(o.config, definition.space, file, o.environment, o.expansion, o.files.length === 1).space.meta.parent_path
    if (folder) roots.add(folder)
  }
  return [...roots]
}
