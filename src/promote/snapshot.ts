import type { Names } from '../core/names.js'
import path from 'node:path'
import type { GenieClient } from '../client/index.js'
import { writeFileAtomic } from '../core/files.js'
import { spaceFromApi } from '../deploy/live.js'
import { locateForSnapshot, readIfExists, snapshotInto } from '../deploy/snapshot.js'
import { liveGrantsFor } from '../deploy/permissions.js'
import type { KeepOptions } from '../model/edit.js'
import { formatOf, loadDefinitionText } from '../model/load.js'
import type { Space } from '../model/space.js'
import { SpaceOpsError } from '../util/errors.js'
import { resolveEnvironment, spaceKey, spaceSettings, type ExpansionPolicy, type PromotionConfig } from './config.js'
import { renderFor } from './promote.js'
import { renderFromEnvironment } from './remap.js'

/**
 * `spaceops snapshot` / mode snapshot onto definition files: for each file, its live space (the id
 * given; else, as drift finds it, the id the config gives it in the environment, its deploy
 * record's binding, or its title in its folder), brought back into the definition — in the source
 * environment's names when an environment is given — and written in place (deploy/snapshot.ts).
 * What both faces call.
 */
export interface SnapshotSource {
  client: GenieClient
  env?: { config: PromotionConfig; name: string; policy: ExpansionPolicy }
  statePath?: string | undefined
}

export interface SnapshotOutcome {
  file: string
  spaceId: string
  title: string
  changed: boolean
  note?: string
}

export async function snapshotDefinition(
  src: SnapshotSource,
  file: string,
  cwd: string,
  o: { spaceId?: string | undefined; force?: boolean | undefined; onlySpace?: boolean; names?: Names } = {}
): Promise<SnapshotOutcome> {
  const existing = await readIfExists(file, cwd)
  const current: Space | undefined = existing === undefined ? undefined : loadDefinitionText(file, existing).definition?.space
  const key = spaceKey(file)
  const only = o.onlySpace ?? true
  let located: Space | undefined
  let spaceId = o.spaceId
  let statePath = src.statePath
  if (src.env && current) {
    const r = renderFor(src.env.config, current, file, src.env.name, src.env.policy, only)
    located = r.space
    spaceId ??= r.settings.space_id
    statePath ??= r.envc.state_path
  } else located = current
  if (!located && !spaceId) throw new SpaceOpsError('no definition here to find the space by: give the space id', { location: { file } })
  const live = await locateForSnapshot(src.client, located ?? { meta: {}, document: { version: 2 } }, key, { spaceId, statePath })
  if (!live) {
    const where = located?.meta.parent_path ? ` in ${located.meta.parent_path}` : ''
    throw new SpaceOpsError(`no live space "${located?.meta.title ?? ''}"${where}${src.env ? ` in ${src.env.name}` : ''} to snapshot: give the space id`, {
      location: { file }
    })
  }
  let space: Space
  try {
    space = spaceFromApi(live)
  } catch (err) {
    // a document SpaceOps cannot model is still kept, verbatim, as a new .geniespace.json
    if (existing !== undefined || formatOf(file) !== 'json' || live.serialized_space === undefined) throw err
    await writeFileAtomic(path.resolve(cwd, file), `${JSON.stringify(JSON.parse(live.serialized_space), null, 2)}\n`, file)
    return {
      file,
      spaceId: live.space_id,
      title: live.title,
      changed: true,
      note: 'the document has content this SpaceOps version does not model; it was written verbatim'
    }
  }
  let keep: KeepOptions = {}
  const envc = src.env ? resolveEnvironment(src.env.config, src.env.name, src.env.policy) : undefined
  // permissions as code: a definition with permissions takes the live direct grants (not when the
  // environment's config gives them: they are the environment's), less the deployer's CAN_MANAGE
  // that SpaceOps adds itself when the definition does not name it
  if (current?.permissions && !envc?.permissions) space.permissions = await liveGrantsFor(src.client, live.space_id, current.permissions)
  if (src.env && envc) {
    const r = renderFromEnvironment(space, envc, spaceSettings(envc, key, only), src.env.config.file)
    space = { ...r.space, ...(space.permissions ? { permissions: space.permissions } : {}) }
    keep = r.owned
  }
  const w = snapshotInto(file, existing, space, keep, { force: o.force ?? false, ...(o.names ? { names: o.names } : {}) })
  if (w.changed) await writeFileAtomic(path.resolve(cwd, file), w.text, file)
  return { file, spaceId: live.space_id, title: live.title, changed: w.changed, ...(w.note ? { note: w.note } : {}) }
}
