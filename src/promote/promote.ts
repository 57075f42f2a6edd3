import path from 'node:path'
import type { GenieClient } from '../client/index.js'
import { pushSpace, locateSpace, requireTitle } from '../deploy/push.js'
import { spaceFromApi } from '../deploy/live.js'
import { diffSpaces, type SpaceDiff } from '../plan/diff.js'
import { summaryLine } from '../plan/render.js'
import type { Space } from '../model/space.js'
import { SpaceOpsError, describeError } from '../util/errors.js'
import type { Logger } from '../util/logger.js'
import { loadBackup, restoreBackup, saveBackup } from './backup.js'
import { previousEnvironment, resolveEnvironment, spaceKey, spaceSettings, type ExpansionPolicy, type PromotionConfig } from './config.js'
import type { Connection } from './connection.js'
import { mappingOf, renderForEnvironment } from './remap.js'
import type { IdentifierMapping } from '../sql/index.js'
import { readState, recordFor, writeRecord } from './state.js'
import { writeSpaceId } from './write-ids.js'
import { loadDefinitionText } from '../model/load.js'

/**
 * promote: validate → render for the target → plan against the live target → gates → backup →
 * write → verify. Nothing is written to the target unless every check before the write passed;
 * a failed post-deploy gate puts the backup back. `--force` skips the order check and the drift
 * guard (and says so); `--dry-run` stops after the plan (no write, no benchmark spend).
 */
export interface GateResult {
  passed: boolean
  /** one line, e.g. "accuracy 0.67 < 0.80 (Sales accuracy)" */
  summary: string
  reportMarkdown?: string
}

/** Runs benchmark suites against a live space (injected: the benchmark layer). */
export type BenchmarkGate = (input: { client: GenieClient; spaceId: string; warehouseId?: string; environment: string; phase: 'before' | 'after'; mapping: IdentifierMapping }) => Promise<GateResult>

export interface PromoteOptions {
  definitionFile: string
  space: Space
  config: PromotionConfig
  target: string
  /** how the config's ${VAR} expand (decided by the face: see ExpansionPolicy) */
  env: ExpansionPolicy
  /** a client for an environment (host and credentials decided by the workflow) */
  connect: (environment: string) => { client: GenieClient; connection: Connection }
  logger: Logger
  now: () => Date
  cwd: string
  force?: boolean
  dryRun?: boolean
  writeIds?: boolean
  /** where deploy records live (default beside the config) */
  statePath: string
  backupDir: string
  gate?: BenchmarkGate
  /** run the gate against the target after the write too (and roll back when it fails) */
  postDeployGate?: boolean
  /** how many definitions share this config (per-space settings fall back to env.space_id only when 1) */
  definitionsInRepo?: number
}

export type PromoteStatus = 'promoted' | 'created' | 'unchanged' | 'planned' | 'blocked' | 'rolled-back'

export interface PromoteResult {
  status: PromoteStatus
  target: string
  spaceId?: string
  title: string
  rendered: Space
  diff: SpaceDiff
  replacements: number
  backup?: string
  skipped: string[]
  gate?: GateResult
  postGate?: GateResult
  reason?: string
}

const EMPTY: SpaceDiff = { changes: [], counts: { add: 0, change: 0, remove: 0 } }

/** A definition as an environment gets it, with the id and settings the config gives it there. */
export function renderFor(config: PromotionConfig, space: Space, definitionFile: string, environment: string, env: ExpansionPolicy, onlySpace: boolean) {
  const envc = resolveEnvironment(config, environment, env)
  const settings = spaceSettings(envc, spaceKey(definitionFile), onlySpace)
  return { envc, settings, ...renderForEnvironment(space, envc, settings) }
}

export async function promote(o: PromoteOptions): Promise<PromoteResult> {
  const key = spaceKey(o.definitionFile)
  const onlySpace = (o.definitionsInRepo ?? 1) === 1
  const skipped: string[] = []
  const { envc, settings, space: rendered, replacements } = renderFor(o.config, o.space, o.definitionFile, o.target, o.env, onlySpace)
  const title = requireTitle(rendered.meta)
  const base = { target: o.target, title, rendered, replacements, skipped }

  // every connection is decided before the first request
  const target = o.connect(o.target)
  const previous = previousEnvironment(o.config, o.target)
  const source = previous ? o.connect(previous) : undefined

  // plan against the live target
  const liveApi = await locateSpace(target.client, rendered, settings.space_id)
  const live = liveApi ? spaceFromApi(liveApi) : undefined
  const diff = live ? diffSpaces(live, rendered) : EMPTY
  const spaceId = liveApi?.space_id
  o.logger.info(`${o.definitionFile} → ${o.target}: ${live ? `space ${spaceId}, ${summaryLine(diff)}` : 'a new space will be created'}${replacements ? ` (${replacements} name(s) remapped for ${o.target})` : ''}`)

  // order: the previous environment must hold the same rendered content
  let sourceSpaceId: string | undefined
  let sourceMapping: IdentifierMapping = {}
  let sourceWarehouse: string | undefined
  if (previous && source) {
    const prev = renderFor(o.config, o.space, o.definitionFile, previous, o.env, onlySpace)
    sourceMapping = mappingOf(prev.envc)
    sourceWarehouse = prev.settings.warehouse_id
    const prevApi = await locateSpace(source.client, prev.space, prev.settings.space_id)
    sourceSpaceId = prevApi?.space_id
    if (prevApi && liveApi && prevApi.space_id === liveApi.space_id && source.connection.host === target.connection.host) {
      return { ...base, status: 'blocked', spaceId: liveApi.space_id, diff, reason: `${previous} and ${o.target} resolve to the same space ${liveApi.space_id} on ${target.connection.host}: give them different parent_path or space ids in ${o.config.file}` }
    }
    const prevDiff = prevApi ? diffSpaces(spaceFromApi(prevApi), prev.space) : undefined
    if (!prevApi || prevDiff?.changes.length) {
      const why = !prevApi ? `${previous} has no space "${prev.space.meta.title}"` : `${previous} does not hold this definition (${summaryLine(prevDiff)})`
      if (!o.force) return { ...base, status: 'blocked', ...(spaceId ? { spaceId } : {}), diff, reason: `${why}: promote to ${previous} first (or --force)` }
      skipped.push(`promotion order: ${why}`)
      o.logger.warn(`--force: skipping the promotion order check — ${why}`)
    }
  }

  if (o.dryRun) return { ...base, status: 'planned', ...(spaceId ? { spaceId } : {}), diff }

  // drift guard: the target as SpaceOps last left it?
  if (liveApi && live) {
    const state = await readState(o.statePath, o.cwd)
    const record = recordFor(state, o.target, key)
    if (!record) o.logger.info(`no record of an earlier deployment of ${key} to ${o.target} in ${o.statePath}: the drift guard has nothing to compare with`)
    else if (record.space_id === liveApi.space_id) {
      const recorded = recordedSpace(record.content, o.definitionFile)
      const drift = diffSpaces(recorded, live, { onlyDesiredMeta: false })
      if (drift.changes.length) {
        const why = `${o.target} was edited outside SpaceOps since ${record.deployed_at} (${summaryLine(drift)})`
        if (!o.force) return { ...base, status: 'blocked', spaceId: liveApi.space_id, diff: drift, reason: `${why}: bring the edit into Git (spaceops snapshot) or --force to overwrite it` }
        skipped.push(`drift guard: ${why}`)
        o.logger.warn(`--force: overwriting edits made outside SpaceOps — ${why}`)
      }
    }
  }

  // gate before any write: the suites against the source environment
  let gate: GateResult | undefined
  if (o.gate) {
    const env = previous && source && sourceSpaceId ? { client: source.client, spaceId: sourceSpaceId, environment: previous } : undefined
    if (env) {
      gate = await o.gate({ ...env, ...(sourceWarehouse ? { warehouseId: sourceWarehouse } : {}), phase: 'before', mapping: sourceMapping })
      o.logger.info(`benchmark gate on ${env.environment}: ${gate.summary}`)
      if (!gate.passed) return { ...base, status: 'blocked', ...(spaceId ? { spaceId } : {}), diff, gate, reason: `benchmark gate failed on ${env.environment}: ${gate.summary}` }
    } else o.logger.info(`no source environment before ${o.target}: the benchmark gate runs after the deploy`)
  }

  if (liveApi && !diff.changes.length) {
    await record(o, key, liveApi.space_id, liveApi.etag, rendered)
    if (o.writeIds) await writeIds(o, key, liveApi.space_id)
    return { ...base, status: 'unchanged', spaceId: liveApi.space_id, diff, ...(gate ? { gate } : {}) }
  }

  // backup, write, verify
  let backup: string | undefined
  if (liveApi) {
    backup = await saveBackup(path.resolve(o.cwd, o.backupDir), liveApi, { host: target.connection.host, environment: o.target, now: o.now() })
    o.logger.info(`backup of ${o.target} space ${liveApi.space_id}: ${path.relative(o.cwd, backup)}`)
  }
  const pushed = await pushSpace(target.client, rendered, { ...(spaceId ? { spaceId } : {}), logger: o.logger })
  const newId = pushed.spaceId as string
  const after = await target.client.getSpace(newId)
  const verify = diffSpaces(spaceFromApi(after), rendered)
  if (verify.changes.length) throw new SpaceOpsError(`verification failed: ${o.target} space ${newId} does not hold what was written (${summaryLine(verify)})`)

  // gate after the write, with rollback
  const wantPost = o.gate && (o.postDeployGate || !previous)
  let postGate: GateResult | undefined
  if (wantPost && o.gate) {
    postGate = await o.gate({ client: target.client, spaceId: newId, ...(settings.warehouse_id ? { warehouseId: settings.warehouse_id } : {}), environment: o.target, phase: 'after', mapping: mappingOf(envc) })
    o.logger.info(`benchmark gate on ${o.target} after the deploy: ${postGate.summary}`)
    if (!postGate.passed) {
      await rollback(o, target.client, newId, backup, !liveApi)
      return { ...base, status: 'rolled-back', spaceId: newId, diff, ...(backup ? { backup } : {}), ...(gate ? { gate } : {}), postGate, reason: `benchmark gate failed on ${o.target} after the deploy: ${postGate.summary}; ${backup ? 'the backup was restored' : 'the new space was moved to the trash'}` }
    }
  }
  await record(o, key, newId, after.etag, rendered)
  if (o.writeIds) await writeIds(o, key, newId)
  return { ...base, status: liveApi ? 'promoted' : 'created', spaceId: newId, diff, ...(backup ? { backup } : {}), ...(gate ? { gate } : {}), ...(postGate ? { postGate } : {}) }
}

function recordedSpace(content: unknown, file: string): Space {
  const r = loadDefinitionText(`${path.basename(file)}.recorded.json`, JSON.stringify(content))
  if (!r.definition) throw new SpaceOpsError(`the deploy record of ${file} cannot be read: ${r.problems[0]?.message ?? ''}`)
  return r.definition.space
}



async function record(o: PromoteOptions, key: string, spaceId: string, etag: string | undefined, space: Space) {
  await writeRecord(o.statePath, o.cwd, o.target, key, { spaceId, ...(etag ? { etag } : {}), space, now: o.now() })
}

async function writeIds(o: PromoteOptions, key: string, spaceId: string) {
  try {
    if (await writeSpaceId(o.config, o.target, key, spaceId, o.cwd)) o.logger.info(`wrote space id ${spaceId} to ${o.config.file} (environments.${o.target}.spaces.${key})`)
  } catch {
    // the deployment itself succeeded: say what to add rather than fail it
    o.logger.warn(`could not write the space id into ${o.config.file} without changing its layout; add it by hand: environments.${o.target}.spaces.${key}.space_id: ${spaceId}`)
  }
}

async function rollback(o: PromoteOptions, client: GenieClient, spaceId: string, backup: string | undefined, created: boolean) {
  try {
    if (backup) {
      await restoreBackup(client, await loadBackup(backup, o.cwd))
      o.logger.warn(`rolled back ${o.target} space ${spaceId} to ${path.relative(o.cwd, backup)}`)
    } else if (created) {
      await client.trashSpace(spaceId)
      o.logger.warn(`moved the new ${o.target} space ${spaceId} to the trash`)
    }
  } catch (err) {
    throw new SpaceOpsError(`the post-deploy gate failed AND the rollback failed: ${describeError(err)}${backup ? ` — restore by hand with: spaceops restore ${backup}` : ''}`)
  }
}

