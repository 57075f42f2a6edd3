import type { GenieClient, GenieSpace } from '../client/index.js'
import { recordFile, recordsFolder } from '../deploy/records.js'
import { describeError } from '../util/errors.js'
import type { Logger } from '../util/logger.js'
import { previewKey, previewNumber, previewTitle } from './preview.js'

/**
 * Trashing previews: those of one pull request (when it closes), or every preview older than a
 * limit (the nightly drift workflow, so a forgotten pull request leaves nothing behind). A space is
 * a preview only when BOTH its folder is `<root>/previews/pr-<n>` under a folder a definition
 * deploys to in the preview environment (`roots`) AND its title ends with ` [PR #<n>]` (or
 * ` [PR #<n> base]`, a preview of the base) for the same n: nothing else is ever trashed here. Before a preview is trashed its conversations (every
 * user's: `include_all`) are deleted, then its records (the keys of the repository's definitions)
 * in the preview folder's `.spaceops`.
 *
 * Age: the list API's `create_time` (RFC 3339; the SDK marks it optional). When a space comes
 * without it, `update_time` (the last push to the preview) stands in; with neither the preview is
 * left and the run says so.
 */
export interface CleanupOptions {
  client: GenieClient
  roots: readonly string[]
  /** the records keys of the repository's definitions (spaceKey) */
  keys: readonly string[]
  /** trash this pull request's previews … */
  pr?: number
  /** … or every preview created more than this long ago */
  maxAgeMs?: number
  now: () => Date
  logger: Logger
}

export interface TrashedPreview {
  spaceId: string
  title: string
  pr: number
  conversations: number
  reason: string
}

export interface CleanupResult {
  trashed: TrashedPreview[]
  kept: number
  failed: string[]
}

function timeOf(v: string | number | undefined): number | undefined {
  if (v === undefined) return undefined
  const t = typeof v === 'number' ? (v < 1e11 ? v * 1000 : v) : Date.parse(v)
  return Number.isFinite(t) ? t : undefined
}

export async function cleanupPreviews(o: CleanupOptions): Promise<CleanupResult> {
  if (o.pr === undefined && o.maxAgeMs === undefined) throw new Error('cleanupPreviews needs a pull request or an age')
  const previews: { space: GenieSpace; pr: number }[] = []
  for await (const space of o.client.listSpaces()) {
    const pr = previewNumber(space.parent_path, o.roots)
    if (pr === undefined || !(space.title.endsWith(previewTitle('', pr)) || space.title.endsWith(previewTitle('', pr, 'base')))) continue
    previews.push({ space, pr })
  }
  const result: CleanupResult = { trashed: [], kept: 0, failed: [] }
  const now = o.now().getTime()
  for (const { space, pr } of previews) {
    let reason: string
    if (o.pr !== undefined) {
      if (pr !== o.pr) continue
      reason = `pull request #${pr} closed`
    } else {
      const created = timeOf(space.create_time) ?? timeOf(space.update_time)
      if (created === undefined) {
        o.logger.warn(`preview ${space.space_id} "${space.title}": the workspace gives no create_time or update_time, so its age is unknown; left in place`)
        result.kept++
        continue
      }
      const age = now - created
      if (age <= (o.maxAgeMs as number)) {
        result.kept++
        continue
      }
      reason = `${Math.floor(age / 86_400_000)} day(s) old`
    }
    try {
      const conversations = await deleteConversations(o.client, space.space_id)
      await o.client.trashSpace(space.space_id)
      await deleteRecords(o, space.parent_path as string)
      result.trashed.push({ spaceId: space.space_id, title: space.title, pr, conversations, reason })
    } catch (err) {
      result.failed.push(`${space.space_id} "${space.title}": ${describeError(err)}`)
    }
  }
  return result
}

/** Every conversation of a space (every user's), page by page; returns how many were deleted. */
async function deleteConversations(client: GenieClient, spaceId: string): Promise<number> {
  const ids: string[] = []
  const seen = new Set<string>()
  let pageToken: string | undefined
  for (;;) {
    const page = await client.listConversations(spaceId, { includeAll: true, pageSize: 100, ...(pageToken ? { pageToken } : {}) })
    for (const c of page.conversations) {
      const id = c.conversation_id
      if (id) ids.push(id)
    }
    const next = page.next_page_token
    if (!next || seen.has(next)) break
    seen.add(next)
    pageToken = next
  }
  for (const id of ids) await client.deleteConversation(spaceId, id)
  return ids.length
}

async function deleteRecords(o: CleanupOptions, folder: string): Promise<void> {
  const records = recordsFolder({ parentPath: folder })
  if (!records) return
  for (const key of o.keys.flatMap((k) => [previewKey(k), previewKey(k, 'base')])) {
    try {
      await o.client.deleteWorkspaceFile(recordFile(records, key))
    } catch (err) {
      o.logger.warn(`could not delete the preview record ${recordFile(records, key)}: ${describeError(err)}`)
    }
  }
}
