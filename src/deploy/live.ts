import { loadDefinitionText } from '../model/load.js'
import type { Space } from '../model/space.js'
import type { GenieSpace } from '../client/index.js'
import { SpaceOpsError } from '../util/errors.js'

/**
 * A space as the API returned it, read into the model: the serialized_space string parsed with the
 * same strict schema as files (a field SpaceOps does not know is an error, never silently dropped),
 * then canonicalised so it compares with a definition.
 */
export function spaceFromApi(live: GenieSpace): Space {
  if (live.serialized_space === undefined) {
    throw new SpaceOpsError(`space ${live.space_id}: the API returned no serialized_space (CAN EDIT permission is needed to read it)`)
  }
  const payload = {
    title: live.title ?? null,
    description: live.description ?? null,
    warehouse_id: live.warehouse_id ?? null,
    parent_path: live.parent_path ?? null,
    serialized_space: live.serialized_space
  }
  const loaded = loadDefinitionText(`space-${live.space_id}.json`, JSON.stringify(payload))
  if (!loaded.definition) {
    const first = loaded.problems[0]
    throw new SpaceOpsError(
      `space ${live.space_id}: SpaceOps cannot read its document: ${first?.message ?? 'unknown problem'}` +
        ' (a newer Genie feature? snapshot it with --format json to keep it as is)'
    )
  }
  const space = loaded.definition.space
  // The API returns empty strings for unset fields in places; the model leaves them out.
  for (const key of ['title', 'description', 'parent_path'] as const) if (space.meta[key] === '') delete space.meta[key]
  if (space.meta.warehouse_id === '' || space.meta.warehouse_id === null) delete space.meta.warehouse_id
  return space
}
