import { GenieApiError, type GenieClient, type GenieSpace } from '../client/index.js'
import type { Space, SpaceMeta } from '../model/space.js'
import { diffSpaces, normalizeParentPath, type SpaceDiff } from '../plan/diff.js'
import { NEUTRAL_NAMES, viaOption, type Names } from '../core/names.js'
import { SpaceOpsError } from '../util/errors.js'
import type { Logger } from '../util/logger.js'
import { spaceFromApi } from './live.js'
import { applyGrants, planGrants, withGrants } from './permissions.js'
import { matching, type SpaceIndex } from './space-index.js'

/**
 * push: make a workspace hold a definition. Reads once per space; writes only when something
 * differs; never creates a second space for the same definition (the given id, else a space with
 * the same title in the same folder, is updated instead); never repeats a create blindly — when a
 * create's answer is lost, it looks for the space the create may have made before doing anything.
 */
export interface PushOptions {
  spaceId?: string
  /** Overrides of the definition's metadata (CLI flags, action inputs, environment config). */
  overrides?: SpaceMeta
  dryRun?: boolean
  logger: Logger
  /** the run's index of the workspace's spaces (one listing per run); without it each look-up lists */
  index?: SpaceIndex
  /** How many creates may be tried when each one is verified not to have happened (default 4). */
  createAttempts?: number
  sleep?: (ms: number) => Promise<void>
  /** how the face names its settings in messages (`--warehouse-id`, `input warehouse-id`) */
  names?: Names
}

export type PushAction = 'created' | 'updated' | 'unchanged' | 'would-create' | 'would-update'

export interface PushResult {
  action: PushAction
  spaceId?: string
  title: string
  /** what differs between the live space and the definition (empty for a new space) */
  diff: SpaceDiff
  /** the etag the workspace gave back for what was written (or read, when unchanged) */
  etag?: string
  /** true when the space's grants were written (permissions as code; one PUT after the content) */
  grantsWritten?: boolean
}

const NO_DIFF: SpaceDiff = { changes: [], counts: { add: 0, change: 0, remove: 0 } }

export function desiredSpace(space: Space, overrides: SpaceMeta = {}): Space {
  const meta: SpaceMeta = { ...space.meta }
  for (const [k, v] of Object.entries(overrides) as [keyof SpaceMeta, string | null | undefined][]) {
    if (v !== undefined && v !== null && v !== '') (meta as Record<string, unknown>)[k] = v
  }
  return { meta, document: space.document, ...(space.permissions ? { permissions: space.permissions } : {}) }
}

/**
 * Spaces with this title in this folder (any folder when the definition names none): from the run's
 * index when there is one, else from a listing of their own.
 */
export async function findSpaces(client: GenieClient, meta: SpaceMeta, index?: SpaceIndex): Promise<GenieSpace[]> {
  if (index) return index.find(meta)
  const all: GenieSpace[] = []
  for await (const s of client.listSpaces()) all.push(s)
  return matching(all, meta)
}

export function requireTitle(meta: SpaceMeta, names: Names = NEUTRAL_NAMES): string {
  if (!meta.title?.trim())
    throw new SpaceOpsError(
      `the space has no title: set title in the definition${viaOption(names, 'title', ' or pass ')} (the title is how a re-run finds the space it created)`
    )
  return meta.title
}

/**
 * The live space a definition deploys to: the given id; else the space its deploy record binds it
 * to (`boundId`, so a changed title renames the same space), when that space still exists; else the
 * one with its title in its folder.
 */
export async function locateSpace(
  client: GenieClient,
  desired: Space,
  spaceId: string | undefined,
  boundId?: string,
  index?: SpaceIndex,
  names: Names = NEUTRAL_NAMES
): Promise<GenieSpace | undefined> {
  if (spaceId) return client.getSpace(spaceId)
  if (boundId) {
    try {
      return await client.getSpace(boundId)
    } catch (err) {
      // trashed or deleted since it was recorded (the API answers 404, or 403 for a trashed space)
      if (!(err instanceof GenieApiError) || (err.status !== 404 && err.status !== 403)) throw err
    }
  }
  const matches = await findSpaces(client, desired.meta, index)
  if (matches.length > 1) {
    const where = desired.meta.parent_path ? ` in ${desired.meta.parent_path}` : ''
    throw new SpaceOpsError(
      `${matches.length} spaces are titled "${desired.meta.title}"${where} (${matches.map((m) => m.space_id).join(', ')}): ${viaOption(names, 'space-id', 'pass ', ' to say which one to update', 'give the space id of the one to update')}`
    )
  }
  const match = matches[0]
  return match ? client.getSpace(match.space_id) : undefined
}

export async function pushSpace(client: GenieClient, space: Space, options: PushOptions & { boundId?: string; live?: GenieSpace | null }): Promise<PushResult> {
  const desired = desiredSpace(space, options.overrides)
  const names = options.names ?? NEUTRAL_NAMES
  const title = requireTitle(desired.meta, names)
  // `live`: the caller has just located the space (null: it has none)
  const live =
    options.live === undefined ? await locateSpace(client, desired, options.spaceId, options.boundId, options.index, names) : (options.live ?? undefined)

  if (!live) {
    const warehouse = desired.meta.warehouse_id
    // the lock-out guard (the deploying principal keeps CAN_MANAGE) before any write, dry run too
    if (desired.permissions) await planGrants(client, undefined, desired.permissions, `space "${title}"`)
    if (options.dryRun) return { action: 'would-create', title, diff: NO_DIFF }
    if (!warehouse)
      throw new SpaceOpsError(
        `cannot create "${title}": no warehouse_id — set it in the definition${viaOption(names, 'warehouse-id', ', the environment config, or pass ', '', ' or the environment config')}`
      )
    const body = {
      warehouse_id: warehouse,
      serialized_space: JSON.stringify(desired.document),
      title,
      ...(desired.meta.description !== undefined ? { description: desired.meta.description } : {}),
      ...(desired.meta.parent_path !== undefined ? { parent_path: desired.meta.parent_path } : {})
    }
    const attempts = options.createAttempts ?? 4
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
    for (let attempt = 1; ; attempt++) {
      try {
        const created = await client.createSpace(body)
        // the face reports the result (once); this trace names no title: untrusted text stays out of debug commands
        options.logger.debug(`created space ${created.space_id}`)
        options.index?.noteWritten({
          space_id: created.space_id,
          title,
          ...(desired.meta.parent_path !== undefined ? { parent_path: desired.meta.parent_path } : {})
        })
        // the grants after the content: the new space's own (its creator's) against the definition's
        const grantsWritten = desired.permissions
          ? await applyGrants(client, created.space_id, await planGrants(client, created.space_id, desired.permissions, `space "${title}"`), options.logger)
          : undefined
        return {
          action: 'created',
          spaceId: created.space_id,
          title,
          diff: NO_DIFF,
          ...(created.etag ? { etag: created.etag } : {}),
          ...(grantsWritten !== undefined ? { grantsWritten } : {})
        }
      } catch (err) {
        if (!(err instanceof GenieApiError) || !err.ambiguous) throw err
        // The create may have been applied and only its answer lost: look before anything else.
        options.logger.warn(`no clear answer to "create space" (${err.message}); looking for the space it may have created`)
        await sleep(1000 * attempt)
        // a fresh listing, never the run's index: only the server knows whether the create happened
        const matches = await findSpaces(client, desired.meta)
        if (matches.length > 1) throw err
        const adopted = matches[0]
        if (adopted) {
          options.logger.info(`found space ${adopted.space_id} "${title}" made by that request; checking its content`)
          options.index?.noteWritten(adopted)
          return { ...(await updateIfDifferent(client, desired, await client.getSpace(adopted.space_id), options)), action: 'created', diff: NO_DIFF }
        }
        // Verified that nothing was created: only now is trying again safe.
        if (attempt >= attempts) throw err
        options.logger.info(`no space was created; trying again (attempt ${attempt + 1} of ${attempts})`)
      }
    }
  }
  return updateIfDifferent(client, desired, live, options)
}

/** The result of a push that found the live space as desired (`diff` has no changes). */
export function unchangedResult(desired: Space, liveApi: GenieSpace, diff: SpaceDiff): PushResult {
  return { action: 'unchanged', spaceId: liveApi.space_id, title: desired.meta.title ?? liveApi.title, diff, ...(liveApi.etag ? { etag: liveApi.etag } : {}) }
}

async function updateIfDifferent(client: GenieClient, wanted: Space, liveApi: GenieSpace, options: PushOptions): Promise<PushResult> {
  const title = wanted.meta.title ?? liveApi.title
  const spaceId = liveApi.space_id
  // with permissions: the live direct grants and the grants to write (the lock-out guard) join the diff
  const withLive = await withGrants(client, spaceId, spaceFromApi(liveApi), wanted, `space ${spaceId} "${title}"`)
  const live = withLive.live as Space
  const desired = withLive.desired
  const diff = diffSpaces(live, desired)
  if (!diff.changes.length) return unchangedResult(desired, liveApi, diff)
  if (options.dryRun) return { action: 'would-update', spaceId, title, diff }
  const contentChanged = diff.changes.some((c) => c.what !== 'grant')
  if (!contentChanged && withLive.grants) {
    const grantsWritten = await applyGrants(client, spaceId, withLive.grants, options.logger)
    return { action: 'updated', spaceId, title, diff, ...(liveApi.etag ? { etag: liveApi.etag } : {}), grantsWritten }
  }
  const docChanged = JSON.stringify(desired.document) !== JSON.stringify(live.document)
  const m = desired.meta
  const patch = {
    ...(docChanged ? { serialized_space: JSON.stringify(desired.document) } : {}),
    ...(m.title !== undefined && m.title !== live.meta.title ? { title: m.title } : {}),
    ...(m.description !== undefined && m.description !== (live.meta.description ?? '') ? { description: m.description } : {}),
    ...(m.warehouse_id && m.warehouse_id !== live.meta.warehouse_id ? { warehouse_id: m.warehouse_id } : {}),
    ...(m.parent_path !== undefined && normalizeParentPath(m.parent_path) !== normalizeParentPath(live.meta.parent_path) ? { parent_path: m.parent_path } : {}),
    // the etag just read: a concurrent edit between our read and our write fails with 409
    ...(liveApi.etag ? { etag: liveApi.etag } : {})
  }
  let updated: GenieSpace
  try {
    updated = await client.updateSpace(spaceId, patch)
  } catch (err) {
    if (err instanceof GenieApiError && err.status === 409) {
      throw new SpaceOpsError(
        `space ${spaceId} "${title}" was changed by someone else while pushing (etag mismatch); nothing was written — run again to see the new state`
      )
    }
    throw err
  }
  options.logger.debug(`updated space ${spaceId}: ${diff.changes.length} change(s)`)
  const parentNow = updated.parent_path ?? m.parent_path ?? live.meta.parent_path
  options.index?.noteWritten({ space_id: spaceId, title: updated.title || title, ...(parentNow ? { parent_path: parentNow } : {}) })
  // the grants after the content (one PUT, only when they differ)
  const grantsWritten = withLive.grants ? await applyGrants(client, spaceId, withLive.grants, options.logger) : undefined
  return { action: 'updated', spaceId, title, diff, ...(updated.etag ? { etag: updated.etag } : {}), ...(grantsWritten !== undefined ? { grantsWritten } : {}) }
}
