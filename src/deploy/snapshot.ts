import type { GenieClient } from '../client/index.js'
import { toGeniespaceText, toYamlText } from '../core/formats.js'
import { spaceFromApi } from './live.js'

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
      return { spaceId, title, text: JSON.stringify(JSON.parse(live.serialized_space), null, 2) + '\n', verbatim: true }
    }
  }
  return { spaceId, title, text: toYamlText(spaceFromApi(live)), verbatim: false }
}
