import path from 'node:path'
import type { GenieClient, GenieSpace } from '../client/index.js'
import { pushSpace, locateSpace, requireTitle } from '../deploy/push.js'
import { spaceFromApi } from '../deploy/live.js'
import { planGrants, putGrants, withGrants } from '../deploy/permissions.js'
import { sameGrants, type Grant } from '../model/permissions.js'
import { diffSpaces, type SpaceDiff } from '../plan/diff.js'
import { contentOf, summaryLine, type SpacePlan } from '../plan/render.js'
import type { Space } from '../model/space.js'
import { SpaceOpsError, describeError } from '../util/errors.js'
import { NEUTRAL_NAMES, viaOption, type Names } from '../core/names.js'
import type { Logger } from '../util/logger.js'
import { loadBackup, restoreBackup, saveBackup } from './backup.js'
import { previousEnvironment, resolveEnvironment, spaceKey, spaceSettings, type ExpansionPolicy, type PromotionConfig } from './config.js'
import type { Connection } from './connection.js'
import { mappingOf, renderForEnvironment } from './remap.js'
import type { IdentifierMapping } from '../sql/index.js'
import { legacyRecord, legacyStatePath } from './state.js'
import { fingerprint, planMoves, type Fingerprint } from './plan-file.js'
import { writeSpaceId } from './write-ids.js'
import { checkTarget, preflightSummary, type PreflightDefinition, type PreflightReport } from './preflight.js'
import { formatProblem } from '../model/problems.js'
import { describeRun, ownership, recordsFolder, type RunInfo } from '../deploy/records.js'
import type { LockSettings, RunLocks } from '../deploy/lock.js'
import type { RunIndexes } from '../deploy/space-index.js'
import {
  readBinding,
  recordCompleted,
  recordIntent,
  recordRolledBack,
  recordIsCurrent,
  underLock,
  type BindingRead,
  type RecordsContext
} from '../deploy/recorded.js'

/**
 * promote: validate → render for the target → plan against the live target → gates → backup →
 * write → verify. Nothing is written to the target unless every check before the write passed;
 * a failed post-deploy gate puts the backup back. `--force` skips the order check and the drift
 * guard (and says so); `--dry-run` stops before the write: it reports the order check, the drift
 * guard and the gate on the previous environment (read-only), so a saved plan shows what an apply
 * would meet.
 */
export interface GateResult {
  passed: boolean
  /** one line, e.g. "accuracy 0.67 < 0.80 (Sales accuracy)" */
  summary: string
  reportMarkdown?: string
}

/** Runs benchmark suites against a live space (injected: the benchmark layer). */
export type BenchmarkGate = (input: {
  client: GenieClient
  spaceId: string
  warehouseId?: string
  environment: string
  phase: 'before' | 'after'
  mapping: IdentifierMapping
}) => Promise<GateResult>

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
  /** how the face names its settings in reasons (`--force`, `force: true`) */
  names?: Names
  now: () => Date
  sleep?: (ms: number) => Promise<void>
  cwd: string
  /** who is deploying (recorded in deploy records and the lock) */
  run: RunInfo
  force?: boolean
  dryRun?: boolean
  writeIds?: boolean
  /** the target's records folder in the workspace, overriding the config's state_path / <parent_path>/.spaceops */
  statePath?: string
  /** a legacy spaceops-state.json to migrate records from (default beside the config) */
  legacyStateFile?: string
  /** deploy lock timing (tests shorten it) */
  lock?: LockSettings
  /** true when a registered secret appears in a text (records holding one are not written) */
  containsSecret?: (text: string) => boolean
  backupDir: string
  gate?: BenchmarkGate
  /** run the gate against the target after the write too (and roll back when it fails) */
  postDeployGate?: boolean
  /** how many definitions share this config (per-space settings fall back to env.space_id only when 1) */
  definitionsInRepo?: number
  /** apply a saved plan: refuse, naming what moved, unless definition, rendering and live target are as planned */
  /** the run's shared listings and locks when definitions are promoted side by side (each flow is unchanged) */
  indexes?: RunIndexes
  locks?: RunLocks
  plan?: { file: string; planned: Fingerprint & { status?: string; gate_passed?: boolean | null | undefined }; createdAt?: string }
  /** the definition as loaded (its Origins and SourceMap give preflight's lines); default: the space alone */
  definition?: PreflightDefinition
  /** `--skip-preflight`: do not look the target's catalog and warehouse up before the write (said in the report) */
  skipPreflight?: boolean
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
  /** the live space's title, when the definition renames it */
  renamedFrom?: string
  /** what this run saw (written into the plan file, compared when a plan is applied) */
  fingerprint?: Fingerprint
  /** the target preflight's findings (absent when it was skipped or not reached) */
  preflight?: PreflightReport
  /** true when --skip-preflight skipped it */
  preflightSkipped?: boolean
}

/**
 * A promotion as a plan to render (job summary, PR comment): a created space is reported as
 * created, with what it now holds; a new one of a dry run with what it will hold; a blocked
 * promotion as blocked, its reason stated here and nowhere else in the report.
 */
export function promotionPlan(definition: string, r: PromoteResult): SpacePlan {
  const common = {
    definition,
    title: r.title,
    target: r.target,
    ...(r.spaceId ? { spaceId: r.spaceId } : {}),
    ...(r.renamedFrom !== undefined ? { renamedFrom: r.renamedFrom } : {})
  }
  switch (r.status) {
    case 'created':
      return { ...common, status: 'created', diff: contentOf(r.rendered) }
    case 'blocked':
      return { ...common, status: 'blocked', diff: r.diff, error: r.reason ?? 'blocked' }
    case 'rolled-back':
      return { ...common, status: 'error', diff: r.diff, error: r.reason ?? 'rolled back' }
    case 'planned':
      if (!r.spaceId) return { ...common, status: 'new', diff: contentOf(r.rendered) }
  }
  return { ...common, status: r.diff.changes.length ? 'changed' : 'unchanged', diff: r.diff }
}

/** Whether a promotion went through (written, or nothing to write, or planned). */
export const wentThrough = (r: PromoteResult) => r.status !== 'blocked' && r.status !== 'rolled-back'

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
  const names = o.names ?? NEUTRAL_NAMES
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const { envc, settings, space: rendered, replacements } = renderFor(o.config, o.space, o.definitionFile, o.target, o.env, onlySpace)
  // promote takes the title, warehouse and space id from the definition and the config, never from a
  // flag or an input: the messages of these name no setting of the face (NEUTRAL_NAMES)
  const title = requireTitle(rendered.meta)
  const base: {
    target: string
    title: string
    rendered: Space
    replacements: number
    skipped: string[]
    fingerprint?: Fingerprint
    preflight?: PreflightReport
    preflightSkipped?: boolean
  } = { target: o.target, title, rendered, replacements, skipped }

  // every connection is decided before the first request
  const target = o.connect(o.target)
  const previous = previousEnvironment(o.config, o.target)
  const source = previous ? o.connect(previous) : undefined

  const legacyFile = o.legacyStateFile ?? legacyStatePath(o.config.file)
  const ctx: RecordsContext = {
    client: target.client,
    folder: recordsFolder({ statePath: o.statePath ?? envc.state_path, parentPath: rendered.meta.parent_path }),
    key,
    environment: o.target,
    run: o.run,
    logger: o.logger,
    now: o.now,
    sleep,
    ...(o.lock ? { lock: o.lock } : {}),
    ...(o.containsSecret ? { containsSecret: o.containsSecret } : {}),
    ...(o.locks ? { locks: o.locks } : {}),
    legacy: () => legacyRecord(legacyFile, o.cwd, o.target, key)
  }

  // plan against the live target: the space the record binds this definition to, else by title
  const binding = await readBinding(ctx)
  let liveApi = await locateSpace(target.client, rendered, settings.space_id, binding.record?.space_id ?? undefined, o.indexes?.for(target.client))
  let live = liveApi ? spaceFromApi(liveApi) : undefined
  // with permissions (the environment's, else the definition's), the direct grants join the diff;
  // the lock-out guard (the deploying principal keeps CAN_MANAGE) runs here, before any write
  // the live direct grants last read: what a rollback puts back
  let liveGrants: Grant[] | undefined
  const planned = async (api: GenieSpace | undefined, sp: Space | undefined): Promise<SpaceDiff> => {
    const w = await withGrants(target.client, api?.space_id, sp, rendered, `${o.definitionFile} → ${o.target}`)
    liveGrants = api ? w.grants?.live : undefined
    return w.live ? diffSpaces(w.live, w.desired) : EMPTY
  }
  let diff = await planned(liveApi, live)
  const spaceId = liveApi?.space_id
  const renamedFrom = liveApi && liveApi.title !== title ? liveApi.title : undefined
  const seen = fingerprint({
    definition: o.space,
    rendered,
    live: liveApi && live ? { spaceId: liveApi.space_id, etag: liveApi.etag, space: live } : undefined
  })
  base.fingerprint = seen
  const renamed = renamedFrom !== undefined ? { renamedFrom } : {}
  /** Stopped before any write: the plan so far and the one reason. */
  const blocked = (reason: string, extra: Partial<PromoteResult> = {}): PromoteResult => ({
    ...base,
    status: 'blocked',
    ...(spaceId ? { spaceId } : {}),
    diff,
    ...extra,
    reason
  })
  if (o.plan) {
    const moved = planMoves(o.plan.planned, seen, { definition: o.definitionFile, target: o.target })
    if (moved.length)
      return blocked(
        `the plan ${o.plan.file} no longer holds: ${moved.join('; ')} since it was made — nothing was written; plan again and approve the new plan`,
        renamed
      )
  }
  o.logger.info(
    `${o.definitionFile} → ${o.target}: ${live ? `space ${spaceId}, ${renamedFrom !== undefined ? `renamed from "${renamedFrom}", ` : ''}${summaryLine(diff)}` : 'a new space will be created'}${replacements ? ` (${replacements} name(s) remapped for ${o.target})` : ''}`
  )

  // preflight: what the space needs in the target (catalog objects, columns, warehouse, mappings,
  // the principals' access), read-only, before any check that could lead to a write. Its errors
  // block; --force does not skip them, --skip-preflight does (and says so).
  if (o.skipPreflight) {
    base.preflightSkipped = true
    o.logger.warn(`--skip-preflight: the catalog objects, warehouse and mappings of ${o.target} were not checked`)
  } else {
    const report = await checkTarget({
      client: target.client,
      definition: o.definition ?? { file: o.definitionFile, space: o.space },
      environment: envc,
      config: o.config,
      warehouseId: rendered.meta.warehouse_id ?? null,
      spaceKey: key
    })
    base.preflight = report
    o.logger.info(`${o.definitionFile} → ${o.target}: ${preflightSummary(report)}`)
    if (report.errors) {
      const first = report.findings.find((f) => f.severity === 'error')
      return blocked(
        `${preflightSummary(report)} — nothing was written${first ? `; first: ${formatProblem(first)}` : ''} (fix the target or the definition${viaOption(names, 'skip-preflight', '; ', ' to deploy without the check')})`,
        renamed
      )
    }
  }

  // order: the previous environment must hold the same rendered content
  let sourceSpaceId: string | undefined
  let sourceMapping: IdentifierMapping = {}
  let sourceWarehouse: string | undefined
  if (previous && source) {
    const prev = renderFor(o.config, o.space, o.definitionFile, previous, o.env, onlySpace)
    sourceMapping = mappingOf(prev.envc)
    sourceWarehouse = prev.settings.warehouse_id
    const sourceFolder = recordsFolder({ statePath: prev.envc.state_path, parentPath: prev.space.meta.parent_path })
    const sourceBinding = await readBinding({
      ...ctx,
      client: source.client,
      folder: sourceFolder,
      environment: previous,
      legacy: () => legacyRecord(legacyFile, o.cwd, previous, key)
    })
    const prevApi = await locateSpace(
      source.client,
      prev.space,
      prev.settings.space_id,
      sourceBinding.record?.space_id ?? undefined,
      o.indexes?.for(source.client)
    )
    sourceSpaceId = prevApi?.space_id
    if (prevApi && liveApi && prevApi.space_id === liveApi.space_id && source.connection.host === target.connection.host) {
      return blocked(
        `${previous} and ${o.target} resolve to the same space ${liveApi.space_id} on ${target.connection.host}: give them different parent_path or space ids in ${o.config.file}`
      )
    }
    if (sourceFolder && ctx.folder === sourceFolder && source.connection.host === target.connection.host) {
      return blocked(
        `${previous} and ${o.target} keep their deploy records in the same folder ${ctx.folder} on ${target.connection.host}: give them different parent_path or state_path in ${o.config.file}`
      )
    }
    const prevDiff = prevApi ? diffSpaces(spaceFromApi(prevApi), prev.space) : undefined
    if (!prevApi || prevDiff?.changes.length) {
      const why = !prevApi ? `${previous} has no space "${prev.space.meta.title}"` : `${previous} does not hold this definition (${summaryLine(prevDiff)})`
      if (!o.force) return blocked(`${why}: promote to ${previous} first${viaOption(names, 'force', ' (or ', ')')}`)
      // the face reports what was forced, once (skipped)
      skipped.push(`promotion order: ${why}`)
    }
  }

  // drift guard: the target as SpaceOps last left it? (fails closed when the records cannot be read)
  const guard = driftGuard(o, ctx, binding, liveApi, live)
  if (guard) {
    if (!o.force) return blocked(guard.reason, { diff: guard.diff ?? diff })
    skipped.push(`drift guard: ${guard.why}`)
  }

  // gate before any write: the suites against the source environment
  let gate: GateResult | undefined
  // applying a plan whose gate passed: the gate was part of what was approved (the order check
  // above proves the previous environment still holds this definition), so it is not asked again
  const gatedInPlan = o.plan?.planned.gate_passed === true && previous !== undefined
  if (o.gate && gatedInPlan)
    o.logger.info(
      `benchmark gate on ${previous}: passed when the plan ${o.plan?.file} was made${o.plan?.createdAt ? ` (${o.plan.createdAt})` : ''}; not asked again`
    )
  if (o.gate && !gatedInPlan) {
    const env = previous && source && sourceSpaceId ? { client: source.client, spaceId: sourceSpaceId, environment: previous } : undefined
    if (env) {
      gate = await o.gate({ ...env, ...(sourceWarehouse ? { warehouseId: sourceWarehouse } : {}), phase: 'before', mapping: sourceMapping })
      o.logger.info(`benchmark gate on ${env.environment}: ${gate.summary}`)
      if (!gate.passed) return blocked(`benchmark gate failed on ${env.environment}: ${gate.summary}`, { gate })
    } else o.logger.info(`no source environment before ${o.target}: the benchmark gate runs after the deploy`)
  }
  const gated = gate ? { gate } : {}

  // a dry run ends here: planned, with what the drift guard and the (read-only) gate said
  if (o.dryRun) return { ...base, status: 'planned', ...(spaceId ? { spaceId } : {}), diff, ...gated, ...renamed }

  // nothing to write at all (the space and its record are current): no lock, no request that writes
  if (liveApi && live && !diff.changes.length && (!binding.record || recordIsCurrent(binding.record, liveApi.space_id, live))) {
    if (o.writeIds) await writeIds(o, key, liveApi.space_id)
    return { ...base, status: 'unchanged', spaceId: liveApi.space_id, diff, ...gated, ...renamed }
  }

  // the write, under the environment's deploy lock: look again first — another run may have
  // written since the plan (it may even have created the space this run was about to create)
  return underLock(ctx, async (lock) => {
    const fresh = await readBinding(ctx)
    const again = await locateSpace(target.client, rendered, settings.space_id, fresh.record?.space_id ?? undefined, o.indexes?.for(target.client))
    if (again?.space_id !== liveApi?.space_id || again?.etag !== liveApi?.etag) {
      if (o.plan)
        return {
          ...base,
          status: 'blocked' as const,
          ...(again ? { spaceId: again.space_id } : {}),
          diff,
          ...gated,
          ...renamed,
          reason: `the plan ${o.plan.file} no longer holds: ${o.target} changed while this run was checking it — nothing was written; plan again`
        }
      o.logger.info(`${o.target} changed while this run was planning (${again ? `space ${again.space_id}` : 'the space is gone'}); checking it again`)
      liveApi = again
      live = again ? spaceFromApi(again) : undefined
      diff = await planned(again, live)
      if (live && diff.changes.length) {
        const g = driftGuard(o, ctx, fresh, liveApi, live)
        if (g && !o.force)
          return { ...base, status: 'blocked' as const, ...(liveApi ? { spaceId: liveApi.space_id } : {}), diff: g.diff ?? diff, reason: g.reason, ...gated }
      }
    }

    if (liveApi && live && !diff.changes.length) {
      if (fresh.record && !recordIsCurrent(fresh.record, liveApi.space_id, live))
        await recordCompleted(ctx, liveApi.space_id, liveApi.etag, rendered, fresh.migrated)
      if (o.writeIds) await writeIds(o, key, liveApi.space_id)
      return { ...base, status: 'unchanged' as const, spaceId: liveApi.space_id, diff, ...gated, ...renamed }
    }

    // backup, intent, write, verify
    let backup: string | undefined
    if (liveApi) {
      backup = await saveBackup(path.resolve(o.cwd, o.backupDir), liveApi, { host: target.connection.host, environment: o.target, now: o.now() })
      o.logger.info(`backup of ${o.target} space ${liveApi.space_id}: ${path.relative(o.cwd, backup)}`)
    }
    await recordIntent(ctx, fresh.record, rendered, liveApi?.space_id)
    const pushed = await pushSpace(target.client, rendered, {
      live: liveApi ?? null,
      logger: o.logger,
      ...(o.indexes ? { index: o.indexes.for(target.client) } : {})
    })
    const newId = pushed.spaceId as string
    const after = await target.client.getSpace(newId)
    const verify = diffSpaces(spaceFromApi(after), rendered)
    if (verify.changes.length)
      throw new SpaceOpsError(`verification failed: ${o.target} space ${newId} does not hold what was written (${summaryLine(verify)})`)
    if (rendered.permissions && pushed.grantsWritten) {
      const g = await planGrants(target.client, newId, rendered.permissions, `${o.definitionFile} → ${o.target}`)
      if (!sameGrants(g.live, g.desired)) throw new SpaceOpsError(`verification failed: ${o.target} space ${newId} does not hold the grants that were written`)
    }

    // gate after the write, with rollback
    const wantPost = o.gate && (o.postDeployGate || !previous)
    let postGate: GateResult | undefined
    if (wantPost && o.gate) {
      postGate = await o.gate({
        client: target.client,
        spaceId: newId,
        ...(settings.warehouse_id ? { warehouseId: settings.warehouse_id } : {}),
        environment: o.target,
        phase: 'after',
        mapping: mappingOf(envc)
      })
      o.logger.info(`benchmark gate on ${o.target} after the deploy: ${postGate.summary}`)
      if (!postGate.passed) {
        await lock?.refresh()
        await rollback(o, target.client, newId, backup, !liveApi)
        // the backup holds the content; the grants written by this run are put back as they were
        if (pushed.grantsWritten && liveGrants) await rollbackGrants(o, target.client, newId, liveGrants)
        await recordRolledBack(ctx, fresh.record, !liveApi)
        return {
          ...base,
          status: 'rolled-back' as const,
          spaceId: newId,
          diff,
          ...(backup ? { backup } : {}),
          ...gated,
          postGate,
          reason: `benchmark gate failed on ${o.target} after the deploy: ${postGate.summary}; ${backup ? 'the backup was restored' : 'the new space was moved to the trash'}`
        }
      }
    }
    await recordCompleted(ctx, newId, after.etag, rendered, fresh.migrated)
    if (o.writeIds) await writeIds(o, key, newId)
    return {
      ...base,
      status: liveApi ? ('promoted' as const) : ('created' as const),
      spaceId: newId,
      diff,
      ...(backup ? { backup } : {}),
      ...gated,
      ...(postGate ? { postGate } : {}),
      ...renamed
    }
  })
}

interface GuardVerdict {
  reason: string
  why: string
  diff?: SpaceDiff
}

/** The drift guard: undefined = go on; a verdict = blocked (or skipped with --force). */
function driftGuard(
  o: PromoteOptions,
  ctx: RecordsContext,
  binding: BindingRead,
  liveApi: GenieSpace | undefined,
  live: Space | undefined
): GuardVerdict | undefined {
  if (binding.unreadable) {
    const why = `${binding.unreadable.message}: the drift guard cannot tell whether ${o.target} was edited outside SpaceOps`
    return {
      why,
      reason: `${why}, so it blocks (fix access to the records${viaOption(o.names ?? NEUTRAL_NAMES, 'force', ', or ', ' to deploy without the check')})`
    }
  }
  if (!liveApi || !live) return undefined
  const own = ownership(binding.record, liveApi.space_id, live, ctx.key)
  switch (own.kind) {
    case 'no-record':
      o.logger.info(
        `no record of an earlier deployment of ${ctx.key} to ${o.target}${ctx.folder ? ` in ${ctx.folder}` : ''}: the drift guard has nothing to compare with`
      )
      return undefined
    case 'other-space':
      o.logger.info(
        `the deploy record of ${ctx.key} in ${o.target} is of space ${own.recordedId}, not ${liveApi.space_id}: the drift guard has nothing to compare with`
      )
      return undefined
    case 'own':
      if (own.fromIntent)
        o.logger.info(
          `${o.target} space ${liveApi.space_id} holds what ${describeRun(own.run)} was writing at ${own.at} when it stopped before recording it: taken as SpaceOps' own`
        )
      return undefined
    case 'edited': {
      const why = `${o.target} was edited outside SpaceOps since ${own.at} (${summaryLine(own.diff)})`
      return {
        why,
        diff: own.diff,
        reason: `${why}: bring the edit into Git (spaceops snapshot ${o.definitionFile} --env ${o.target} --config ${o.config.file})${viaOption(o.names ?? NEUTRAL_NAMES, 'force', ' or ', ' to overwrite it')}`
      }
    }
  }
}

async function writeIds(o: PromoteOptions, key: string, spaceId: string) {
  try {
    if (await writeSpaceId(o.config, o.target, key, spaceId, o.cwd))
      o.logger.info(`wrote space id ${spaceId} to ${o.config.file} (environments.${o.target}.spaces.${key})`)
  } catch {
    // the deployment itself succeeded: say what to add rather than fail it
    o.logger.warn(
      `could not write the space id into ${o.config.file} without changing its layout; add it by hand: environments.${o.target}.spaces.${key}.space_id: ${spaceId}`
    )
  }
}

async function rollbackGrants(o: PromoteOptions, client: GenieClient, spaceId: string, grants: Grant[]) {
  try {
    await putGrants(client, spaceId, grants)
    o.logger.warn(`rolled back the grants of ${o.target} space ${spaceId}`)
  } catch (err) {
    throw new SpaceOpsError(`the post-deploy gate failed AND putting back the grants of space ${spaceId} failed: ${describeError(err)}`)
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
    throw new SpaceOpsError(
      `the post-deploy gate failed AND the rollback failed: ${describeError(err)}${backup ? ` — restore by hand with: spaceops restore ${backup}` : ''}`
    )
  }
}
