import type { GenieClient } from '../client/index.js'
import type { Space } from '../model/space.js'
import { diffSpaces } from '../plan/diff.js'
import { describeError } from '../util/errors.js'
import type { Logger } from '../util/logger.js'
import { spaceFromApi } from './live.js'
import { withGrants } from './permissions.js'
import { acquireLock, type DeployLock, type LockSettings, type RunLocks } from './lock.js'
import { desiredSpace, locateSpace, pushSpace, unchangedResult, type PushOptions, type PushResult } from './push.js'
import {
  completed,
  readRecord,
  recordedSpace,
  recordsFolder,
  sinceRecorded,
  RecordsUnreadableError,
  withIntent,
  writeRecord,
  type DeployRecord,
  type RunInfo
} from './records.js'

/**
 * Writing with deploy records: what push and promote share. Under the environment's deploy lock,
 * read the record (the binding of definition → space), record the intent, write, record the
 * result. Without a records folder (no parent_path and no state_path) nothing is recorded and the
 * run says so; a record that cannot be written is a warning, never a failed deploy.
 */
export interface RecordsContext {
  client: GenieClient
  /** undefined: nowhere to keep records */
  folder: string | undefined
  key: string
  environment?: string
  run: RunInfo
  logger: Logger
  now: () => Date
  sleep: (ms: number) => Promise<void>
  lock?: LockSettings
  containsSecret?: (text: string) => boolean
  /** the run's shared locks, when its definitions are handled side by side (one lock per folder per run) */
  locks?: RunLocks
  /** a record from a legacy spaceops-state.json, used (and so migrated) when the workspace has none */
  legacy?: () => Promise<DeployRecord | undefined>
}

export interface BindingRead {
  record?: DeployRecord
  /** the records could not be read (the drift guard fails closed on it) */
  unreadable?: RecordsUnreadableError
  /** the record came from the legacy file: the next record write migrates it */
  migrated?: boolean
}

export async function readBinding(ctx: RecordsContext): Promise<BindingRead> {
  if (!ctx.folder) return {}
  try {
    const record = await readRecord(ctx.client, ctx.folder, ctx.key)
    if (record) return { record }
  } catch (err) {
    if (err instanceof RecordsUnreadableError) return { unreadable: err }
    throw err
  }
  const legacy = await ctx.legacy?.()
  return legacy ? { record: legacy, migrated: true } : {}
}

const UNKNOWN_TO_GUARD = "the deploy itself is not affected, but the next run's drift guard will not know this write"

/** Writes a record; a failure is a warning (`what` it was, and what follows), never a failed deploy. */
async function tryWrite(ctx: RecordsContext, record: DeployRecord, what: string, consequence: string | undefined = UNKNOWN_TO_GUARD): Promise<boolean> {
  if (!ctx.folder) return false
  try {
    await writeRecord({ client: ctx.client, folder: ctx.folder, ...(ctx.containsSecret ? { containsSecret: ctx.containsSecret } : {}) }, record)
    return true
  } catch (err) {
    ctx.logger.warn(`${describeError(err)} (${what})${consequence ? `; ${consequence}` : ''}`)
    return false
  }
}

/** After a rollback the live space is what it was before: the record keeps its earlier write (a new space trashed: no binding). */
export async function recordRolledBack(ctx: RecordsContext, prev: DeployRecord | undefined, created: boolean): Promise<void> {
  if (!prev && created) return
  const record: DeployRecord = prev
    ? { ...prev, intent: null, ...(created ? { space_id: null, deployed: null } : {}) }
    : { format: 'spaceops-deploy-record', version: 2, key: ctx.key, environment: ctx.environment ?? null, space_id: null, deployed: null, intent: null }
  await tryWrite(ctx, record, 'after the rollback', undefined)
}

export function recordIntent(ctx: RecordsContext, prev: DeployRecord | undefined, space: Space, spaceId: string | undefined): Promise<boolean> {
  return tryWrite(
    ctx,
    withIntent(prev, { key: ctx.key, environment: ctx.environment, spaceId, space, run: ctx.run, now: ctx.now() }),
    'the intent before the write'
  )
}

export async function recordCompleted(ctx: RecordsContext, spaceId: string, etag: string | undefined, space: Space, migrated = false): Promise<boolean> {
  const ok = await tryWrite(
    ctx,
    completed({ key: ctx.key, environment: ctx.environment, spaceId, etag, space, run: ctx.run, now: ctx.now() }),
    'the record of the write'
  )
  if (ok && migrated)
    ctx.logger.info(`migrated the deploy record of ${ctx.key} into the workspace (${ctx.folder}); the local state file is no longer read for it`)
  return ok
}

/**
 * Does the record already say that `space` (as live now) is what was deployed? When it does not —
 * an intent never completed, a legacy record, an older write — an unchanged run completes it.
 * An unchanged run with no record at all writes none: nothing was written, and the next write
 * records itself (its intent comes first).
 */
export function recordIsCurrent(record: DeployRecord | undefined, spaceId: string, live: Space): boolean {
  if (!record?.deployed || record.intent || record.space_id !== spaceId || record.migrated_from) return false
  return sinceRecorded(recordedSpace(record.deployed.content, record.key), live).changes.length === 0
}

const lockKey = (ctx: RecordsContext, folder: string) => `${ctx.client.host}\u0000${folder}`

/** Runs `fn` under the records folder's deploy lock (or without one when there is no folder). */
export async function underLock<T>(ctx: RecordsContext, fn: (lock: DeployLock | undefined) => Promise<T>): Promise<T> {
  if (!ctx.folder) {
    ctx.logger.info(`no folder for deploy records of ${ctx.key} (set parent_path or state_path): not recorded, not locked`)
    return fn(undefined)
  }
  const folder = ctx.folder
  const take = () => acquireLock({ client: ctx.client, folder, run: ctx.run, logger: ctx.logger, now: ctx.now, sleep: ctx.sleep, ...(ctx.lock ?? {}) })
  const lock = ctx.locks ? await ctx.locks.hold(lockKey(ctx, folder), take) : await take()
  try {
    return await fn(lock)
  } finally {
    await lock.release()
  }
}

/**
 * push with records: the record's binding finds the space (so a renamed definition updates the same
 * space); the intent is recorded before the write and completed after it.
 */
export async function pushWithRecords(client: GenieClient, space: Space, options: PushOptions, ctx: RecordsContext): Promise<PushResult> {
  if (options.dryRun) {
    const { record } = await readBinding(ctx)
    return pushSpace(client, space, { ...options, ...(record?.space_id ? { boundId: record.space_id } : {}) })
  }
  // the run holds this folder's lock already (another definition is writing under it): join it and
  // read once, under it — nobody else can write the record or the space's binding meanwhile
  if (ctx.folder && ctx.locks?.isHeld(lockKey(ctx, ctx.folder)))
    return underLock(ctx, async () => writeUnderLock(client, space, options, ctx, await readBinding(ctx)))
  // nothing to write (the space and its record are current): no lock either
  const desiredNow = desiredSpace(space, options.overrides)
  // a space id given names the space whatever the record says: both are read at once
  const given = options.spaceId ? locateSpace(client, desiredNow, options.spaceId, undefined, options.index, options.names) : undefined
  given?.catch(() => undefined) // not looked at when the records cannot be read (the write below looks again)
  const pre = await readBinding(ctx)
  const liveNow = pre.unreadable
    ? undefined
    : await (given ?? locateSpace(client, desiredNow, options.spaceId, pre.record?.space_id ?? undefined, options.index, options.names))
  // permissions as code: the lock-out guard before the lock or any write (a new space too)
  if (!liveNow && desiredNow.permissions) await withGrants(client, undefined, undefined, desiredNow, `space "${desiredNow.meta.title ?? ctx.key}"`)
  if (liveNow) {
    // read once, compared once: the live space as the model has it
    const liveSpace = spaceFromApi(liveNow)
    // with permissions, the grants are compared too (and the lock-out guard runs before any lock or write)
    const w = await withGrants(client, liveNow.space_id, liveSpace, desiredNow, `space ${liveNow.space_id} "${desiredNow.meta.title ?? liveNow.title}"`)
    const diff = diffSpaces(w.live ?? liveSpace, w.desired)
    if (!diff.changes.length && (!pre.record || recordIsCurrent(pre.record, liveNow.space_id, liveSpace))) return unchangedResult(w.desired, liveNow, diff)
  }
  return underLock(ctx, async () => writeUnderLock(client, space, options, ctx, await readBinding(ctx)))
}

/** The write of `pushWithRecords`, under the lock, with the binding read under it. */
async function writeUnderLock(client: GenieClient, space: Space, options: PushOptions, ctx: RecordsContext, binding: BindingRead): Promise<PushResult> {
  if (binding.unreadable) ctx.logger.warn(`${binding.unreadable.message}; finding the space by its title instead`)
  const record = binding.record
  const desired = desiredSpace(space, options.overrides)
  const live = await locateSpace(client, desired, options.spaceId, record?.space_id ?? undefined, options.index, options.names)
  if (live && live.title !== desired.meta.title && desired.meta.title)
    ctx.logger.info(`renaming space ${live.space_id} "${live.title}" to "${desired.meta.title}"`)
  if (live && !diffSpaces(spaceFromApi(live), desired).changes.length) {
    const result = await pushSpace(client, space, { ...options, live })
    // a record left incomplete (a run that died after its write) is completed; none is made for a write SpaceOps did not do
    if (record && !recordIsCurrent(record, live.space_id, spaceFromApi(live))) await recordCompleted(ctx, live.space_id, live.etag, desired, binding.migrated)
    return result
  }
  await recordIntent(ctx, record, desired, live?.space_id)
  const result = await pushSpace(client, space, { ...options, live: live ?? null })
  if (result.spaceId) await recordCompleted(ctx, result.spaceId, result.etag, desired, binding.migrated)
  return result
}

/** The records context of a plain push (no promotion config): the definition's folder, or `statePath`. */
export function pushRecordsContext(o: {
  client: GenieClient
  space: Space
  overrides?: PushOptions['overrides']
  key: string
  statePath?: string | undefined
  run: RunInfo
  logger: Logger
  lock?: LockSettings
  containsSecret?: (text: string) => boolean
  locks?: RunLocks
}): RecordsContext {
  const desired = desiredSpace(o.space, o.overrides)
  return {
    client: o.client,
    folder: recordsFolder({ statePath: o.statePath, parentPath: desired.meta.parent_path }),
    key: o.key,
    run: o.run,
    logger: o.logger,
    now: () => new Date(),
    sleep: (ms) => new Promise<void>((r) => setTimeout(r, ms)),
    ...(o.lock ? { lock: o.lock } : {}),
    ...(o.containsSecret ? { containsSecret: o.containsSecret } : {}),
    ...(o.locks ? { locks: o.locks } : {})
  }
}
