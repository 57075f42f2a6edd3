import { loadDefinitionText, payloadMeta } from '../model/load.js'
import { canonicalizeDocument } from '../model/canonical.js'
import { SUPPORTED_VERSIONS, wireSpaceDocumentSchema, type WireSpaceDocument } from '../model/serialized.js'
import { findDuplicateJsonKey } from '../model/source.js'
import type { Problem } from '../model/problems.js'
import type { Space } from '../model/space.js'
import type { GenieSpace } from '../client/index.js'
import { SpaceOpsError } from '../util/errors.js'

/** A create/update payload as the API returns it and a deploy record keeps it. */
export interface SpacePayload {
  title: string | null
  description: string | null
  warehouse_id: string | null
  parent_path: string | null
  serialized_space: unknown
}

/**
 * A payload read into the model (`file` names it in problems): the document through the same
 * strict schema (`wireSpaceDocumentSchema()`) and canonical form as a definition file's, the settings as
 * `loadDefinitionText` takes them from a payload. A payload that came over the wire has no lines
 * to point at, so the file reader's source positions — rebuilding the JSON text and reading it
 * again with a position for every value, most of this per space — are made only when something
 * is wrong: a document the schema refuses, a key twice in one object, a version not supported or
 * a string that is not JSON goes through `loadDefinitionText`, whose problems say what and where.
 */
export function readPayload(file: string, payload: SpacePayload): { space: Space } | { problems: Problem[] } {
  const document = documentOf(payload.serialized_space)
  const settings = [payload.title, payload.description, payload.warehouse_id, payload.parent_path]
  if (document && settings.every((s) => s === null || typeof s === 'string')) {
    return { space: { meta: payloadMeta(payload), document } }
  }
  const loaded = loadDefinitionText(file, JSON.stringify(payload))
  return loaded.definition ? { space: loaded.definition.space } : { problems: loaded.problems }
}

/** The canonical document, when `serialized` is one the schema takes as it is (else undefined). */
function documentOf(serialized: unknown): WireSpaceDocument | undefined {
  let value = serialized
  if (typeof serialized === 'string') {
    try {
      value = JSON.parse(serialized)
    } catch {
      return undefined
    }
    if (findDuplicateJsonKey(serialized)) return undefined
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const version = (value as { version?: unknown }).version
  if (typeof version === 'number' && !(SUPPORTED_VERSIONS as readonly number[]).includes(version)) return undefined
  const parsed = wireSpaceDocumentSchema().safeParse(value)
  return parsed.success ? canonicalizeDocument(parsed.data) : undefined
}

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
  const loaded = readPayload(`space-${live.space_id}.json`, payload)
  if (!('space' in loaded)) {
    const first = loaded.problems[0]
    throw new SpaceOpsError(
      `space ${live.space_id}: SpaceOps cannot read its document: ${first?.message ?? 'unknown problem'}` +
        ' (a newer Genie feature? snapshot it with --format json to keep it as is)'
    )
  }
  const space = loaded.space
  // The API returns empty strings for unset fields in places; the model leaves them out.
  for (const key of ['title', 'description', 'parent_path'] as const) if (space.meta[key] === '') delete space.meta[key]
  if (space.meta.warehouse_id === '' || space.meta.warehouse_id === null) delete space.meta.warehouse_id
  return space
}
