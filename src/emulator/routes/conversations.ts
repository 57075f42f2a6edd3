/**
 * Genie Conversation API (genie-api.md "Conversations"; paths and shapes per genie-wire-shapes.md).
 * Base: /api/2.0/genie/spaces/{space_id}
 *
 *   POST …/start-conversation {content}                         → {conversation_id, message_id, conversation, message}  (op start-conversation)
 *   POST …/conversations/{cid}/messages {content}               → GenieMessage                (op create-message)
 *   GET  …/conversations?page_size&page_token&include_all       → {conversations, next_page_token} (op list-conversations)
 *   DELETE …/conversations/{cid}                                → {}                          (op delete-conversation)
 *   GET  …/conversations/{cid}/messages?page_size&page_token    → {messages, next_page_token} (op list-messages)
 *   DELETE …/conversations/{cid}/messages/{mid}                 → {}                          (op delete-message)
 *   POST …/conversations/{cid}/messages/{mid}/feedback {rating} → {}                          (op message-feedback)
 *   GET  …/conversations/{cid}/messages/{mid}                   → GenieMessage                (op get-message)
 *   GET  …/messages/{mid}/attachments/{aid}/query-result        → {statement_response}        (op query-result)
 *   POST …/messages/{mid}/attachments/{aid}/execute-query       → {statement_response}        (op execute-query)
 *
 * Behaviour: genie/conversations.ts (state machine, attachments), genie/answer.ts (answers),
 * ratelimit.ts (the question limit). Choices where the docs are silent:
 *   - Missing/empty `content` → 400 INVALID_PARAMETER_VALUE. Unknown space → as for spaces (404
 *     RESOURCE_DOES_NOT_EXIST, or 403 with missingSpaceStatus); unknown conversation, message or
 *     attachment (or one of another space/conversation) → 404 RESOURCE_DOES_NOT_EXIST.
 *   - Over the question limit → 429 RESOURCE_EXHAUSTED with Retry-After; logged with
 *     fault 'question-limit'.
 *   - query-result before the query attachment exists (message not yet EXECUTING_QUERY), or for
 *     a message without a query → 404 RESOURCE_DOES_NOT_EXIST; on a text attachment → 400
 *     INVALID_PARAMETER_VALUE. While EXECUTING_QUERY it answers the RUNNING statement. A
 *     QUERY_RESULT_EXPIRED message answers status.state CLOSED (result released) until
 *     execute-query.
 *   - execute-query runs the same SQL again as a new statement (no latency) and answers its result;
 *     the message becomes COMPLETED (or FAILED if the SQL fails) with the new statement_id. Before
 *     the message is final → 400 BAD_REQUEST. It does not count as a question.
 *   - list-conversations: newest first (the docs do not say; the Genie UI shows the newest on top),
 *     paged like eval runs (page_size default 20, at most 100). The emulator has one user, so
 *     `include_all` changes nothing; it is accepted.
 *   - list-messages: oldest first, paged the same way.
 *   - Deleting an unknown (or already deleted) conversation or message → 404 RESOURCE_DOES_NOT_EXIST.
 *   - feedback: `rating` must be POSITIVE, NEGATIVE or NONE (400 INVALID_PARAMETER_VALUE otherwise);
 *     the message then carries `feedback: {rating}`.
 *   - `enable_visualization` is accepted and ignored (no viz attachments).
 */
import { parseStored } from '../document.js'
import type { RouteEnv } from '../env.js'
import { knowledgeFromDocument, type SpaceKnowledge } from '../genie/answer.js'
import type { ConversationRecord, MessageRecord } from '../genie/conversations.js'
import { ApiError, invalidParameter, jsonBody, jsonType, ok } from '../http.js'
import type { Router } from '../router.js'
import type { SpaceRecord } from '../state.js'
import { page } from './evals.js'
import { requireSpace } from './spaces.js'

const SPACE = '/api/2.0/genie/spaces/{space_id}'
const CONVERSATION = `${SPACE}/conversations/{conversation_id}`
const MESSAGE = `${CONVERSATION}/messages/{message_id}`
const ATTACHMENT = `${MESSAGE}/attachments/{attachment_id}`

function notFound(what: string, id: string): ApiError {
  return new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `${what} ${id} does not exist.`)
}

function content(body: Record<string, unknown>): string {
  const v = body['content']
  if (v === undefined || v === null || v === '') throw invalidParameter('Missing required field: content')
  if (typeof v !== 'string') throw invalidParameter(`Invalid value for field content: expected a string, got ${jsonType(v)}`)
  if (v.trim() === '') throw invalidParameter('content must not be blank')
  return v
}

export function knowledgeOf(space: SpaceRecord): SpaceKnowledge {
  return knowledgeFromDocument(parseStored(space.serialized_space))
}

/** The effective question limit: the fault configuration's override, else the emulator option. */
export function questionLimit(env: RouteEnv): number {
  return env.faults.questionsPerMinute() ?? env.questionsPerMinute
}

function takeQuestionSlot(env: RouteEnv): void {
  const limit = questionLimit(env)
  const taken = env.questions.take(env.clock(), limit)
  if (!taken.ok) {
    const error = new ApiError(
      429,
      'RESOURCE_EXHAUSTED',
      `Genie question rate limit exceeded: at most ${limit} questions per minute per workspace. Retry after ${taken.retryAfterSeconds} s.`,
      { 'retry-after': String(taken.retryAfterSeconds) }
    )
    error.fault = 'question-limit'
    throw error
  }
}

export function registerConversationRoutes(router: Router, env: RouteEnv): void {
  const conversationOf = (params: Readonly<Record<string, string>>): { space: SpaceRecord; conversation: ConversationRecord } => {
    const space = requireSpace(env, params['space_id'] ?? '')
    const id = params['conversation_id'] ?? ''
    const conversation = env.conversations.getConversation(space.space_id, id)
    if (!conversation) throw notFound('Conversation', id)
    return { space, conversation }
  }
  const messageOf = (params: Readonly<Record<string, string>>): MessageRecord => {
    const { conversation } = conversationOf(params)
    const id = params['message_id'] ?? ''
    const message = env.conversations.getMessage(conversation, id)
    if (!message) throw notFound('Message', id)
    return message
  }
  const queryAttachment = (message: MessageRecord, attachmentId: string): void => {
    if (attachmentId === message.queryAttachmentId) return
    if (attachmentId === message.textAttachmentId || attachmentId === message.suggestionsAttachmentId) {
      throw invalidParameter(`Attachment ${attachmentId} is not a query attachment.`)
    }
    throw notFound('Attachment', attachmentId)
  }

  router.add({
    method: 'POST',
    pattern: `${SPACE}/start-conversation`,
    op: 'start-conversation',
    handler: async (req) => {
      const body = jsonBody(req.rawBody)
      const text = content(body)
      const space = requireSpace(env, req.params['space_id'] ?? '')
      const knowledge = knowledgeOf(space)
      takeQuestionSlot(env)
      const now = env.clock()
      const { conversation, message } = env.conversations.startConversation(
        space.space_id,
        text,
        knowledge,
        env.faults.decideGenie(),
        now,
        env.answerMatchThreshold
      )
      return ok({
        conversation_id: conversation.conversation_id,
        message_id: message.message_id,
        conversation: env.conversations.conversationView(conversation),
        message: await env.conversations.messageView(message, now)
      })
    }
  })

  router.add({
    method: 'POST',
    pattern: `${CONVERSATION}/messages`,
    op: 'create-message',
    handler: async (req) => {
      const body = jsonBody(req.rawBody)
      const text = content(body)
      const { space, conversation } = conversationOf(req.params)
      const knowledge = knowledgeOf(space)
      takeQuestionSlot(env)
      const now = env.clock()
      const message = env.conversations.addMessage(conversation, text, knowledge, env.faults.decideGenie(), now, env.answerMatchThreshold)
      return ok(await env.conversations.messageView(message, now))
    }
  })

  router.add({
    method: 'GET',
    pattern: `${SPACE}/conversations`,
    op: 'list-conversations',
    handler: async (req) => {
      const space = requireSpace(env, req.params['space_id'] ?? '')
      const all = env.conversations
        .conversationList()
        .filter((c) => c.space_id === space.space_id)
        .sort((a, b) => b.created - a.created)
      const { items, next } = page('conversations', all, req.query)
      return ok({ conversations: items.map((c) => env.conversations.conversationView(c)), ...(next ? { next_page_token: next } : {}) })
    }
  })

  router.add({
    method: 'DELETE',
    pattern: CONVERSATION,
    op: 'delete-conversation',
    handler: async (req) => {
      const { space, conversation } = conversationOf(req.params)
      env.conversations.deleteConversation(space.space_id, conversation.conversation_id)
      return ok({})
    }
  })

  router.add({
    method: 'GET',
    pattern: `${CONVERSATION}/messages`,
    op: 'list-messages',
    handler: async (req) => {
      const { conversation } = conversationOf(req.params)
      const now = env.clock()
      const { items, next } = page('messages', env.conversations.messagesOf(conversation), req.query)
      const messages = await Promise.all(items.map((m) => env.conversations.messageView(m, now)))
      return ok({ messages, ...(next ? { next_page_token: next } : {}) })
    }
  })

  router.add({
    method: 'DELETE',
    pattern: MESSAGE,
    op: 'delete-message',
    handler: async (req) => {
      const { conversation } = conversationOf(req.params)
      const message = messageOf(req.params)
      env.conversations.deleteMessage(conversation, message.message_id)
      return ok({})
    }
  })

  router.add({
    method: 'POST',
    pattern: `${MESSAGE}/feedback`,
    op: 'message-feedback',
    handler: async (req) => {
      const body = jsonBody(req.rawBody)
      const message = messageOf(req.params)
      const rating = body['rating']
      if (rating !== 'POSITIVE' && rating !== 'NEGATIVE' && rating !== 'NONE') {
        throw invalidParameter(`Invalid value for field rating: expected one of POSITIVE, NEGATIVE, NONE, got ${JSON.stringify(rating ?? null)}`)
      }
      message.feedback = { rating }
      return ok({})
    }
  })

  router.add({
    method: 'GET',
    pattern: MESSAGE,
    op: 'get-message',
    handler: async (req) => ok(await env.conversations.messageView(messageOf(req.params), env.clock()))
  })

  router.add({
    method: 'GET',
    pattern: `${ATTACHMENT}/query-result`,
    op: 'query-result',
    handler: async (req) => {
      const message = messageOf(req.params)
      const attachmentId = req.params['attachment_id'] ?? ''
      queryAttachment(message, attachmentId)
      const response = await env.conversations.queryResult(message, env.clock())
      if (!response) throw notFound('Attachment', attachmentId)
      return ok({ statement_response: response })
    }
  })

  router.add({
    method: 'POST',
    pattern: `${ATTACHMENT}/execute-query`,
    op: 'execute-query',
    handler: async (req) => {
      const message = messageOf(req.params)
      const attachmentId = req.params['attachment_id'] ?? ''
      queryAttachment(message, attachmentId)
      const now = env.clock()
      const { status } = await env.conversations.state(message, now)
      if (message.decision.outcome !== 'answer') throw notFound('Attachment', attachmentId)
      if (status === 'SUBMITTED' || status === 'FETCHING_METADATA' || status === 'ASKING_AI' || status === 'EXECUTING_QUERY') {
        throw new ApiError(400, 'BAD_REQUEST', `Message ${message.message_id} is still being processed (${status}).`)
      }
      return ok({ statement_response: await env.conversations.reexecute(message, now) })
    }
  })
}
