import { NEUTRAL_NAMES, viaOption, type Names } from '../core/names.js'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { GenieClient, GenieSpace } from '../client/index.js'
import { toGeniespaceText, toYamlText } from '../core/formats.js'
import { readTextFile } from '../core/files.js'
import { editDefinition, targetSpace, type KeepOptions } from '../model/edit.js'
import { formatOf, loadDefinitionText } from '../model/load.js'
import type { Space } from '../model/space.js'
import { SpaceOpsError } from '../util/errors.js'
import { spaceFromApi } from './live.js'
import { locateSpace } from './push.js'
import { readRecord, recordsFolder } from './records.js'

/**
 * snapshot: a live space written as a file. YAML is the authoring format (title, description,
 * warehouse and folder included, so pushing it back changes nothing); JSON is the document as a
 * .geniespace.json holds it. A document SpaceOps cannot model is still saved as JSON, verbatim.
 */
export type SnapshotFormat = 'yaml' | 'json'

export interface Snapshot {
  spaceId: string
  title: string
  text: string
  /** true when the document had content SpaceOps does not model and was kept verbatim (JSON only) */
  verbatim: boolean
}

export async function snapshotSpace(client: GenieClient, spaceId: string, format: SnapshotFormat): Promise<Snapshot> {
  const live = await client.getSpace(spaceId)
  const title = live.title
  if (format === 'json') {
    try {
      return { spaceId, title, text: toGeniespaceText(spaceFromApi(live)), verbatim: false }
    } catch (err) {
      if (live.serialized_space === undefined) throw err
      return { spaceId, title, text: `${JSON.stringify(JSON.parse(live.serialized_space), null, 2)}\n`, verbatim: true }
    }
  }
  return { spaceId, title, text: toYamlText(spaceFromApi(live)), verbatim: false }
}

/**
 * The snapshot of a live space written into a definition file. An existing definition is edited in
 * place (model/edit.ts): only what the live space changed is written, in the author's forms, and
 * what the author left to the environment stays left out; a file that is there but is not a
 * definition is written over only with `force`. A new path gets a fresh file.
 */
export interface SnapshotWrite {
  text: string
  /** the file's text differs from what was there (always true for a new file) */
  changed: boolean
  /** set when an existing definition could not be edited in place and was written afresh */
  note?: string
}

export function snapshotInto(
  file: string,
  existing: string | undefined,
  live: Space,
  keep: KeepOptions,
  o: { force?: boolean; names?: Names } = {}
): SnapshotWrite {
  const format = formatOf(file)
  if (!format) throw new SpaceOpsError('use a .yaml, .yml or .geniespace.json file name', { location: { file } })
  const fresh = (s: Space) => (format === 'json' ? toGeniespaceText(s) : toYamlText(s))
  if (existing === undefined) return { text: fresh(live), changed: true }
  const loaded = loadDefinitionText(file, existing)
  if (!loaded.definition) {
    if (!o.force)
      throw new SpaceOpsError(
        `exists and is not a definition SpaceOps can read (${loaded.problems[0]?.message ?? 'unknown problem'})${viaOption(o.names ?? NEUTRAL_NAMES, 'force', '; use ', ' to write over it')}`,
        { location: { file } }
      )
    return { text: fresh(live), changed: true }
  }
  const r = editDefinition(file, existing, targetSpace(loaded.definition.space, live, keep), fresh)
  return {
    text: r.text,
    changed: r.changed,
    ...(r.inPlace ? {} : { note: `${file}: written afresh: ${r.reason ?? 'the edit could not be made in place'} (comments and layout were not kept)` })
  }
}

/** Read a file that may not exist: undefined when it does not. */
export async function readIfExists(file: string, cwd: string): Promise<string | undefined> {
  try {
    await stat(path.resolve(cwd, file))
  } catch {
    return undefined
  }
  return readTextFile(file, { cwd })
}

/**
 * The live space of a definition for a snapshot: the id given, else its deploy record's binding,
 * else the space with its title in its folder (as push finds it).
 */
export async function locateForSnapshot(
  client: GenieClient,
  definition: Space,
  key: string,
  o: { spaceId?: string | undefined; statePath?: string | undefined } = {}
): Promise<GenieSpace | undefined> {
  const folder = o.spaceId ? undefined : recordsFolder({ statePath: o.statePath, parentPath: definition.meta.parent_path })
  const record = folder ? await readRecord(client, folder, key) : undefined
  const found = await locateSpace(client, definition, o.spaceId, record?.space_id ?? undefined)
  return found && found.serialized_space === undefined ? client.getSpace(found.space_id) : found
}
