import type { GenieClient, GenieSpace } from '../client/index.js'
import { desiredSpace, locateSpace, requireTitle } from '../deploy/push.js'
import { spaceFromApi } from '../deploy/live.js'
import type { Space, SpaceMeta } from '../model/space.js'
import { describeError } from '../util/errors.js'
import { ownership, readRecord, RecordsUnreadableError, type DeployRecord } from '../deploy/records.js'
import { diffSpaces, grantChanges } from './diff.js'
import { withGrants } from '../deploy/permissions.js'
import { contentOf, type SpacePlan } from './render.js'
import type { SpaceIndex } from '../deploy/space-index.js'

/**
 * Planning: what merging (pushing) a definition would change in the space it deploys to, and
 * drift: what was changed in the live space (e.g. in the Genie UI) that Git does not have. Both
 * read only. A failure to plan one space is reported in its plan, not thrown, so one bad space
 * does not hide the others.
 */
export interface PlanOptions {
  definition: string
  spaceId?: string
  overrides?: SpaceMeta
  target?: string
  /** where the definition's deploy record is (its binding to a space, and what SpaceOps last wrote) */
  records?: { folder: string | undefined; key: string }
  /** the run's index of the workspace's spaces (one listing shared by every definition) */
  index?: SpaceIndex
}

/** The record, or a note saying why there is none to use (plans never fail on records). */
async function recordOf(client: GenieClient, options: PlanOptions): Promise<{ record?: DeployRecord; note?: string }> {
  if (!options.records?.folder) return {}
  try {
    const record = await readRecord(client, options.records.folder, options.records.key)
    return record ? { record } : {}
  } catch (err) {
    if (err instanceof RecordsUnreadableError) return { note: err.message }
    throw err
  }
}

/**
 * The record and the live space. A space id given (input space-id, the environment's space_id)
 * names the space whatever the record says, so both are read at once — one round trip per
 * definition instead of two; otherwise the record's binding says where to look, so it comes first.
 */
async function recordAndSpace(client: GenieClient, desired: Space, options: PlanOptions): Promise<{ record?: DeployRecord; liveApi?: GenieSpace }> {
  const given = options.spaceId ? locateSpace(client, desired, options.spaceId, undefined, options.index) : undefined
  // the record's failure is the plan's error; the space's, when both fail, is not left unhandled
  given?.catch(() => undefined)
  const { record } = await recordOf(client, options)
  const liveApi = await (given ?? locateSpace(client, desired, options.spaceId, record?.space_id ?? undefined, options.index))
  return { ...(record ? { record } : {}), ...(liveApi ? { liveApi } : {}) }
}

export async function planSpace(client: GenieClient, space: Space, options: PlanOptions): Promise<SpacePlan> {
  const desired = desiredSpace(space, options.overrides)
  const title = desired.meta.title ?? options.definition
  const base = { definition: options.definition, title, ...(options.target ? { target: options.target } : {}) }
  try {
    requireTitle(desired.meta)
    const { liveApi } = await recordAndSpace(client, desired, options)
    if (!liveApi) {
      if (!desired.permissions) return { ...base, status: 'new', diff: contentOf(desired) }
      // permissions as code: the lock-out guard already at plan time, and the grants the new space gets
      const w = await withGrants(client, undefined, undefined, desired, options.definition)
      const changes = [...contentOf(w.desired).changes, ...grantChanges([], w.desired.permissions ?? [])]
      return { ...base, status: 'new', diff: { changes, counts: { add: changes.length, change: 0, remove: 0 } } }
    }
    const w = await withGrants(client, liveApi.space_id, spaceFromApi(liveApi), desired, options.definition)
    const diff = diffSpaces(w.live as Space, w.desired)
    const renamed = desired.meta.title && liveApi.title !== desired.meta.title ? { renamedFrom: liveApi.title } : {}
    return { ...base, spaceId: liveApi.space_id, status: diff.changes.length ? 'changed' : 'unchanged', diff, ...renamed }
  } catch (err) {
    return { ...base, ...(options.spaceId ? { spaceId: options.spaceId } : {}), status: 'error', error: describeError(err) }
  }
}

/** Drift: the live space compared with Git — what someone changed outside SpaceOps. */
export async function driftSpace(client: GenieClient, space: Space, options: PlanOptions): Promise<SpacePlan> {
  const desired = desiredSpace(space, options.overrides)
  const title = desired.meta.title ?? options.definition
  const base = { definition: options.definition, title, ...(options.target ? { target: options.target } : {}) }
  try {
    requireTitle(desired.meta)
    const { record, liveApi } = await recordAndSpace(client, desired, options)
    if (!liveApi) return { ...base, status: 'error', error: 'the space does not exist in the workspace (not deployed yet, or deleted)' }
    const live = spaceFromApi(liveApi)
    // grants changed in the UI (only when the definition has permissions): against Git, as the
    // records hold content only
    const w = await withGrants(client, liveApi.space_id, live, desired, options.definition)
    const grantDrift = w.live?.permissions && w.desired.permissions ? grantChanges(w.desired.permissions, w.live.permissions) : []
    // With a deploy record, drift is what changed since SpaceOps' last write (commits merged but not
    // yet deployed are not drift); without one, before = Git and after = live.
    const own = options.records ? ownership(record, liveApi.space_id, live, options.records.key) : { kind: 'no-record' as const }
    const diff =
      own.kind === 'own'
        ? { changes: [], counts: { add: 0, change: 0, remove: 0 } }
        : own.kind === 'edited'
          ? own.diff
          : diffSpaces(desired, live, { onlyDesiredMeta: false })
    // metadata the definition leaves unset is not drift
    diff.changes = [...diff.changes.filter((c) => c.what !== 'space' || desired.meta[c.fields[0]?.field as keyof SpaceMeta] != null), ...grantDrift]
    diff.counts = { add: 0, change: 0, remove: 0 }
    for (const c of diff.changes) diff.counts[c.kind]++
    return { ...base, spaceId: liveApi.space_id, status: diff.changes.length ? 'changed' : 'unchanged', diff }
  } catch (err) {
    return { ...base, ...(options.spaceId ? { spaceId: options.spaceId } : {}), status: 'error', error: describeError(err) }
  }
}
