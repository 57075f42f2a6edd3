/**
 * Genie conversations and messages (genie-api.md, "Conversations"; JSON per genie-wire-shapes.md:
 * GenieConversation, GenieMessage, GenieAttachment, GenieQueryAttachment, TextAttachment,
 * GenieSuggestedQuestionsAttachment, MessageError, Result).
 *
 * A message's life is decided when it is created (answer engine + seeded faults) and played back on
 * the emulator clock over its latency L (FaultConfig genieLatencyMs + seeded jitter):
 *
 *   [0, 5 %)   SUBMITTED          [5 %, 20 %)  FETCHING_METADATA     [20 %, 65 %)  ASKING_AI
 *   [65 %, L)  EXECUTING_QUERY (query answers only; text answers and faults stay ASKING_AI)
 *   ≥ L        COMPLETED | FAILED | CANCELLED | QUERY_RESULT_EXPIRED
 *
 * The query attachment appears at EXECUTING_QUERY (without query_result_metadata); the statement
 * behind it is RUNNING until L. A completed query answer carries: the query attachment (with
 * query_result_metadata), a suggested_questions attachment (the space's sample questions, up to 3,
 * when it has any), and a summary text attachment WITHOUT attachment_id — as in the real capture
 * (fixtures get_message_real_completed_query_text_suggested.json). It also carries the deprecated
 * `query_result` {statement_id, row_count} and the legacy `id`, as that capture does.
 * Timestamps are epoch milliseconds (real captures; the docs samples' seconds are not copied).
 */
import type { GenieDecision } from '../faults.js'
import type { SqlOutcome } from '../sql/engine.js'
import { Rng } from '../prng.js'
import type { StatementRecord, StatementResponse, StatementStore } from '../statements.js'
import { answerWithNoise, type Answer, type SpaceKnowledge } from './answer.js'

export type MessageStatus = 'SUBMITTED' | 'FETCHING_METADATA' | 'ASKING_AI' | 'EXECUTING_QUERY' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'QUERY_RESULT_EXPIRED'

/** Fractions of the latency at which each phase starts. */
export const PHASES = Object.freeze({ fetching: 0.05, asking: 0.2, executing: 0.65 })

/** Genie returns at most this many rows (genie-api.md: "results up to 5,000 rows"). */
export const GENIE_MAX_ROWS = 5000

export interface ConversationRecord {
  conversation_id: string
  space_id: string
  title: string
  created: number
  updated: number
  messages: string[]
}

export interface MessageRecord {
  message_id: string
  conversation_id: string
  space_id: string
  content: string
  created: number
  times: { fetching: number; asking: number; executing: number; end: number }
  decision: GenieDecision
  answer: Answer
  knowledge: SpaceKnowledge
  statement?: StatementRecord
  queryAttachmentId?: string
  textAttachmentId?: string
  suggestionsAttachmentId?: string
  /** Set by execute-query: the statement was run again at this time. */
  reexecutedAt?: number
  /** POST …/feedback */
  feedback?: { rating: string }
}

export interface MessageState {
  status: MessageStatus
  lastUpdated: number
  /** The outcome of the statement, once the message is terminal and had one. */
  outcome?: SqlOutcome
}

export class ConversationStore {
  private readonly conversations = new Map<string, ConversationRecord>()
  private readonly messages = new Map<string, MessageRecord>()
  private rng: Rng
  /** Share of answers made worse on purpose (answer.ts answerWithNoise); its own seeded generator. */
  answerNoise = 0
  private noiseRng: Rng

  constructor(
    private readonly statements: StatementStore,
    private readonly seed: number,
    readonly userId: number
  ) {
    this.rng = new Rng(seed ^ 0xc0ffee)
    this.noiseRng = new Rng(seed ^ 0x0a15e)
  }

  reset(): void {
    this.conversations.clear()
    this.messages.clear()
    this.rng = new Rng(this.seed ^ 0xc0ffee)
    this.noiseRng = new Rng(this.seed ^ 0x0a15e)
  }

  /** Deletes a conversation and its messages; false when there is none of that space. */
  deleteConversation(spaceId: string, id: string): boolean {
    const c = this.getConversation(spaceId, id)
    if (!c) return false
    for (const m of c.messages) this.messages.delete(m)
    this.conversations.delete(id)
    return true
  }

  /** Deletes one message of a conversation. */
  deleteMessage(conversation: ConversationRecord, id: string): boolean {
    if (!this.getMessage(conversation, id)) return false
    this.messages.delete(id)
    conversation.messages = conversation.messages.filter((m) => m !== id)
    return true
  }

  private newId(): string {
    for (;;) {
      const id = this.rng.hex(32)
      if (!this.conversations.has(id) && !this.messages.has(id)) return id
    }
  }

  conversationList(): ConversationRecord[] {
    return [...this.conversations.values()]
  }

  getConversation(spaceId: string, id: string): ConversationRecord | undefined {
    const c = this.conversations.get(id)
    return c && c.space_id === spaceId ? c : undefined
  }

  getMessage(conversation: ConversationRecord, id: string): MessageRecord | undefined {
    const m = this.messages.get(id)
    return m && m.conversation_id === conversation.conversation_id ? m : undefined
  }

  messagesOf(conversation: ConversationRecord): MessageRecord[] {
    return conversation.messages.map((id) => this.messages.get(id)).filter((m): m is MessageRecord => m !== undefined)
  }

  startConversation(
    spaceId: string,
    content: string,
    knowledge: SpaceKnowledge,
    decision: GenieDecision,
    now: number,
    threshold: number
  ): { conversation: ConversationRecord; message: MessageRecord } {
    const conversation: ConversationRecord = {
      conversation_id: this.newId(),
      space_id: spaceId,
      // Choice: the title is the first question (as the docs sample shows).
      title: content,
      created: now,
      updated: now,
      messages: []
    }
    this.conversations.set(conversation.conversation_id, conversation)
    const message = this.addMessage(conversation, content, knowledge, decision, now, threshold)
    return { conversation, message }
  }

  addMessage(
    conversation: ConversationRecord,
    content: string,
    knowledge: SpaceKnowledge,
    decision: GenieDecision,
    now: number,
    threshold: number
  ): MessageRecord {
    const L = decision.latencyMs
    const at = (f: number): number => now + Math.floor(L * f)
    const message: MessageRecord = {
      message_id: this.newId(),
      conversation_id: conversation.conversation_id,
      space_id: conversation.space_id,
      content,
      created: now,
      times: { fetching: at(PHASES.fetching), asking: at(PHASES.asking), executing: at(PHASES.executing), end: now + L },
      decision,
      answer: answerWithNoise(knowledge, content, threshold, this.answerNoise, () => this.noiseRng.next()),
      knowledge
    }
    if (decision.outcome === 'answer') {
      if (message.answer.kind === 'query') {
        message.queryAttachmentId = this.newId()
        message.statement = this.statements.submit(message.answer.sql, { rowLimit: GENIE_MAX_ROWS }, now, L, message.times.executing - now)
      } else message.textAttachmentId = this.newId()
      if (this.suggestions(message).length > 0) message.suggestionsAttachmentId = this.newId()
    }
    this.messages.set(message.message_id, message)
    conversation.messages.push(message.message_id)
    conversation.updated = now
    return message
  }

  /** Status (and final statement outcome) of a message at `now`. */
  async state(message: MessageRecord, now: number): Promise<MessageState> {
    const t = message.times
    if (now < t.fetching) return { status: 'SUBMITTED', lastUpdated: message.created }
    if (now < t.asking) return { status: 'FETCHING_METADATA', lastUpdated: t.fetching }
    const isQuery = message.decision.outcome === 'answer' && message.statement !== undefined
    if (now < (isQuery ? t.executing : t.end)) return { status: 'ASKING_AI', lastUpdated: t.asking }
    if (now < t.end) return { status: 'EXECUTING_QUERY', lastUpdated: t.executing }
    if (message.decision.outcome === 'fail') return { status: 'FAILED', lastUpdated: t.end }
    if (message.decision.outcome === 'cancel') return { status: 'CANCELLED', lastUpdated: t.end }
    const statement = message.statement
    if (!statement) return { status: 'COMPLETED', lastUpdated: t.end }
    const lastUpdated = message.reexecutedAt ?? t.end
    const state = await this.statements.settle(statement, Math.max(now, statement.readyAt))
    const outcome = statement.outcome
    if (state === 'CANCELED') return { status: 'CANCELLED', lastUpdated }
    if (!outcome?.ok) return { status: 'FAILED', lastUpdated, ...(outcome ? { outcome } : {}) }
    if (message.decision.expired && message.reexecutedAt === undefined) return { status: 'QUERY_RESULT_EXPIRED', lastUpdated, outcome }
    return { status: 'COMPLETED', lastUpdated, outcome }
  }

  private suggestions(message: MessageRecord): string[] {
    const asked = message.content.trim().toLowerCase()
    return message.knowledge.sampleQuestions.filter((q) => q.trim() !== '' && q.trim().toLowerCase() !== asked).slice(0, 3)
  }

  /** GenieMessage JSON at `now`. */
  async messageView(message: MessageRecord, now: number): Promise<Record<string, unknown>> {
    const { status, lastUpdated, outcome } = await this.state(message, now)
    const out: Record<string, unknown> = {
      message_id: message.message_id,
      id: message.message_id,
      conversation_id: message.conversation_id,
      space_id: message.space_id,
      content: message.content,
      status,
      created_timestamp: message.created,
      last_updated_timestamp: lastUpdated,
      user_id: this.userId
    }
    const attachments: Record<string, unknown>[] = []
    const answer = message.answer
    const terminal = status !== 'SUBMITTED' && status !== 'FETCHING_METADATA' && status !== 'ASKING_AI' && status !== 'EXECUTING_QUERY'
    if (
      answer.kind === 'query' &&
      message.statement &&
      message.queryAttachmentId &&
      (status === 'EXECUTING_QUERY' || (terminal && message.decision.outcome === 'answer'))
    ) {
      const query: Record<string, unknown> = {
        query: answer.sql,
        title: answer.example.question.trim(),
        description: `You want to know: ${message.content.trim()} This answer follows the example question "${answer.example.question.trim()}".`,
        statement_id: message.statement.statement_id,
        thoughts: this.thoughts(message)
      }
      if (outcome?.ok) {
        query['query_result_metadata'] = { row_count: outcome.totalRowCount, ...(outcome.truncated ? { is_truncated: true } : {}) }
      }
      attachments.push({ attachment_id: message.queryAttachmentId, query })
    }
    if (terminal && message.decision.outcome === 'answer' && status !== 'FAILED' && status !== 'CANCELLED') {
      if (answer.kind === 'text' && message.textAttachmentId) {
        attachments.push({ attachment_id: message.textAttachmentId, text: { content: answer.content, purpose: 'FOLLOW_UP_QUESTION' } })
      }
      const suggestions = this.suggestions(message)
      if (message.suggestionsAttachmentId && suggestions.length > 0) {
        attachments.push({ attachment_id: message.suggestionsAttachmentId, suggested_questions: { questions: suggestions } })
      }
      if (answer.kind === 'query' && outcome && outcome.ok) attachments.push({ text: { content: summary(outcome) } })
    }
    if (attachments.length > 0) out['attachments'] = attachments
    if (message.feedback) out['feedback'] = message.feedback
    if (status === 'FAILED') {
      out['error'] =
        message.decision.outcome === 'fail'
          ? { error: 'Genie could not process the reply (fault injected by the emulator).', type: 'UNEXPECTED_REPLY_PROCESS_EXCEPTION' }
          : { error: outcome && !outcome.ok ? outcome.message : 'The query failed.', type: 'SQL_EXECUTION_EXCEPTION' }
    }
    if ((status === 'COMPLETED' || status === 'QUERY_RESULT_EXPIRED') && message.statement && outcome?.ok) {
      out['query_result'] = {
        statement_id: message.statement.statement_id,
        row_count: outcome.totalRowCount,
        ...(outcome.truncated ? { is_truncated: true } : {})
      }
    }
    return out
  }

  private thoughts(message: MessageRecord): Record<string, string>[] {
    const sql = message.answer.kind === 'query' ? message.answer.sql.toLowerCase() : ''
    const used = message.knowledge.tables.filter((t) => sql.includes(t.toLowerCase()))
    const out = [{ thought_type: 'THOUGHT_TYPE_DESCRIPTION', content: `You want to know: ${message.content.trim()}` }]
    if (used.length > 0) out.push({ thought_type: 'THOUGHT_TYPE_DATA_SOURCING', content: used.map((t) => `- ${t}`).join('\n') })
    return out
  }

  /** GenieConversation JSON. */
  conversationView(c: ConversationRecord): Record<string, unknown> {
    return {
      conversation_id: c.conversation_id,
      id: c.conversation_id,
      space_id: c.space_id,
      title: c.title,
      created_timestamp: c.created,
      last_updated_timestamp: c.updated,
      user_id: this.userId
    }
  }

  /**
   * The statement behind a query attachment, for query-result: undefined while the attachment is
   * not visible yet. An expired result answers state CLOSED (the statement's result was released).
   */
  async queryResult(message: MessageRecord, now: number): Promise<StatementResponse | undefined> {
    const { status } = await this.state(message, now)
    const statement = message.statement
    if (!statement || message.decision.outcome !== 'answer') return undefined
    if (status === 'SUBMITTED' || status === 'FETCHING_METADATA' || status === 'ASKING_AI') return undefined
    if (status === 'QUERY_RESULT_EXPIRED') {
      statement.closed = true
      return { statement_id: statement.statement_id, status: { state: 'CLOSED' } }
    }
    return this.statements.view(statement, now)
  }

  /** execute-query: run the answer's SQL again as a new statement (result at once); the message is COMPLETED again. */
  async reexecute(message: MessageRecord, now: number): Promise<StatementResponse> {
    if (message.answer.kind !== 'query') throw new Error('not a query answer')
    const statement = this.statements.submit(message.answer.sql, { rowLimit: GENIE_MAX_ROWS }, now, 0)
    message.statement = statement
    message.reexecutedAt = now
    return this.statements.view(statement, now)
  }
}

function summary(outcome: Extract<SqlOutcome, { ok: true }>): string {
  const first = outcome.rows[0]
  if (outcome.rows.length === 1 && outcome.columns.length === 1 && first) {
    return `The result is **${first[0] ?? 'null'}**.`
  }
  const n = outcome.totalRowCount
  return `The query returned **${n}** ${n === 1 ? 'row' : 'rows'}${outcome.truncated ? ' (truncated)' : ''}.`
}
