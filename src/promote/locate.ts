import type { GenieClient } from '../client/index.js'
import { locateSpace } from '../deploy/push.js'
import type { Space } from '../model/space.js'
import type { IdentifierMapping } from '../sql/index.js'
import { SpaceOpsError } from '../util/errors.js'
import { resolveEnvironment, spaceKey, type ExpansionPolicy, type PromotionConfig } from './config.js'
import { readRecord, recordsFolder } from '../deploy/records.js'
import { renderFor } from './promote.js'
import { mappingOf } from './remap.js'

/**
 * A space in an environment of the promotion config, with that environment's name mappings: the
 * id given, else the live space a definition has there — the id the config gives it, else the
 * space its deploy record binds it to, else the space with its rendered title in its rendered
 * folder (as push and promote find it). What
 * `spaceops benchmark --env` and mode benchmark with `target-env` measure.
 */
export interface EnvironmentSpace {
  spaceId: string
  title?: string
  mapping: IdentifierMapping
}

export async function spaceInEnvironment(
  client: GenieClient,
  o: { config: PromotionConfig; environment: string; env: ExpansionPolicy; spaceId?: string; definition?: { file: string; space: Space }; onlySpace?: boolean }
): Promise<EnvironmentSpace> {
  if (o.spaceId) return { spaceId: o.spaceId, mapping: mappingOf(resolveEnvironment(o.config, o.environment, o.env)) }
  if (!o.definition) throw new SpaceOpsError(`which space in ${o.environment}? give a space id or a definition`)
  const { file, space } = o.definition
  const r = renderFor(o.config, space, file, o.environment, o.env, o.onlySpace ?? true)
  // the space its deploy record binds it to (so a renamed definition is still found), else by title
  const folder = recordsFolder({ statePath: r.envc.state_path, parentPath: r.space.meta.parent_path })
  const record = folder ? await readRecord(client, folder, spaceKey(file)).catch(() => undefined) : undefined
  const live = await locateSpace(client, r.space, r.settings.space_id, record?.space_id ?? undefined)
  const title = r.space.meta.title ?? file
  if (!live) {
    const where = r.space.meta.parent_path ? ` in ${r.space.meta.parent_path}` : ''
    throw new SpaceOpsError(`${o.environment} has no space "${title}"${where} for ${file}: promote it there first, or give the space id`)
  }
  return { spaceId: live.space_id, title: live.title ?? title, mapping: mappingOf(r.envc) }
}
