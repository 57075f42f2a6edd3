import type { GenieClient } from '../client/index.js'
import { describeError } from '../util/errors.js'
import type { Logger } from '../util/logger.js'
import type { KeepConversations, SuiteResult } from './types.js'

/**
 * Leaving the workspace clean: every attempt of the conversation strategy starts a conversation,
 * which then shows in the space's history and in Genie's monitoring for the space's owners. After
 * scoring, the conversations this run started are deleted (`DELETE …/conversations/{id}`), except
 * (`keep: 'failed'`, the default) those of attempts that failed or errored: the report names them so
 * someone can open them. `all` keeps every one, `none` deletes every one.
 *
 * This is not a write to the space: only conversations this run itself created (their ids come from
 * its own start-conversation answers) are deleted — cleanup of our own questions, never anything
 * the space's definition holds or another user asked. A read-only gate may therefore do it.
 * A deletion that fails is a warning (the run's verdict stands); its conversation counts as kept.
 */
export type CleanupClient = Pick<GenieClient, 'deleteConversation'>

export interface CleanupResult {
  deleted: number
  kept: number
}

export async function cleanUpConversations(
  client: CleanupClient,
  spaceId: string,
  suites: readonly SuiteResult[],
  keep: KeepConversations,
  logger: Logger
): Promise<CleanupResult> {
  const keepIds = new Set<string>()
  const deleteIds = new Set<string>()
  for (const a of suites.flatMap((s) => s.questions.flatMap((q) => q.attempts))) {
    if (!a.conversation_id) continue
    const failed = a.status === 'failed' || a.status === 'error'
    if (keep === 'all' || (keep === 'failed' && failed)) keepIds.add(a.conversation_id)
    else deleteIds.add(a.conversation_id)
  }
  // a conversation one attempt keeps is never deleted because another attempt named it too
  for (const id of keepIds) deleteIds.delete(id)
  let deleted = 0
  let kept = keepIds.size
  for (const id of deleteIds) {
    try {
      await client.deleteConversation(spaceId, id)
      deleted++
    } catch (err) {
      kept++
      logger.warn(`could not delete conversation ${id} of this run: ${describeError(err)}`)
    }
  }
  if (deleted || kept) logger.info(`conversations of this run: ${deleted} deleted, ${kept} kept (keeping ${keep})`)
  return { deleted, kept }
}
