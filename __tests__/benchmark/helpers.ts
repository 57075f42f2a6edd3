/**
 * Test doubles for benchmarks: a virtual clock that runs concurrent code in simulated time, and an
 * in-memory fake Genie implementing the client methods the runner uses. No module mocks.
 */
import {
  GenieApiError,
  GenieRateLimitError,
  type ExecuteStatementRequest,
  type GenieEvalResult,
  type GenieEvalResultDetails,
  type GenieEvalRunResponse,
  type GenieGetMessageQueryResultResponse,
  type GenieListEvalRunsResponse,
  type GenieMessage,
  type GenieSpace,
  type GenieStartConversationResponse,
  type ResultData,
  type StatementResponse,
  type UpdateSpaceRequest
} from '../../src/client/index.js'
import type { BenchmarkClient } from '../../src/benchmark/runner.js'
import type { BenchmarkQuestion, BenchmarkSuite } from '../../src/benchmark/types.js'

/**
 * Simulated time: `sleep` registers a timer; once every microtask has run (all concurrent work is
 * blocked on timers), time jumps to the earliest timer. Concurrency behaves as in real time, in
 * no time.
 */
export class VirtualClock {
  t = Date.parse('2026-03-01T12:00:00Z')
  readonly start = this.t
  private timers: { at: number; seq: number; resolve: () => void }[] = []
  private seq = 0
  private scheduled = false
  readonly now = (): number => this.t
  readonly sleep = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, resolve })
      this.schedule()
    })
  get elapsed(): number {
    return this.t - this.start
  }
  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => this.tick())
  }
  private tick(): void {
    this.scheduled = false
    if (!this.timers.length) return
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq)
    const first = this.timers[0] as { at: number }
    this.t = Math.max(this.t, first.at)
    const due = this.timers.filter((x) => x.at <= this.t)
    this.timers = this.timers.filter((x) => x.at > this.t)
    for (const d of due) d.resolve()
    if (this.timers.length) this.schedule()
  }
}

/** What the fake Genie answers to one ask of a question. */
export interface Scripted {
  sql?: string
  text?: string
  followUp?: string
  status?: 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'QUERY_RESULT_EXPIRED'
  errorType?: string
  error?: string
  latencyMs?: number
  /** Never finishes. */
  hang?: boolean
}

export interface Table {
  columns: string[]
  rows: (string | null)[][]
}

export interface EvalScript {
  assessment?: 'GOOD' | 'BAD' | 'NEEDS_REVIEW'
  reasons?: string[]
  sql?: string
}

interface FakeMessage {
  conversationId: string
  messageId: string
  question: string
  createdAt: number
  script: Scripted
  reexecuted: boolean
}

export const SPACE_ID = '01f0c0b4e81510000000000000000001'
export const WAREHOUSE = 'wh-fake'

const norm = (s: string) => s.replace(/\s+/g, ' ').trim().replace(/;$/, '').toLowerCase()

export class FakeGenie implements BenchmarkClient {
  /** Answers per question text: one for every ask, or a list (nth ask gets the nth, the last repeats). */
  answers = new Map<string, Scripted | Scripted[]>()
  /** Results per SQL text (whitespace and case ignored); an Error string makes the statement fail. */
  results = new Map<string, Table | string>()
  latencyMs = 5_000
  /** Questions per sliding minute the fake accepts (Infinity: no limit). */
  ratePerMinute = Number.POSITIVE_INFINITY
  /** The next N asks get 429 with this Retry-After (ms; undefined: none). */
  storm = 0
  stormRetryAfterMs: number | undefined = 10_000
  /** The next N asks end FAILED with RATE_LIMIT_EXCEEDED_GENERIC_EXCEPTION. */
  rateLimitMessages = 0
  evalAvailable = true
  evalLatencyMs = 30_000
  evalScripts = new Map<string, EvalScript>()
  /** Statements stay PENDING this long. */
  statementLatencyMs = 0

  readonly asked: { question: string; at: number }[] = []
  readonly refused: { question: string; at: number }[] = []
  readonly calls: string[] = []
  readonly executed: string[] = []
  /** Conversations deleted (ids), in order. */
  readonly deleted: string[] = []
  space: { title: string; warehouse_id: string; document: Record<string, unknown>; etag: number }
  readonly evalRuns = new Map<string, { ids: string[]; createdAt: number }>()
  private readonly messages = new Map<string, FakeMessage>()
  private readonly statements = new Map<string, { sql: string; at: number }>()
  private readonly askCount = new Map<string, number>()
  private seq = 0

  constructor(readonly clock: VirtualClock) {
    this.space = { title: 'Sales', warehouse_id: WAREHOUSE, document: { version: 2, data_sources: { tables: [{ identifier: 'main.sales.orders' }] } }, etag: 1 }
  }

  answer(question: string, script: Scripted | Scripted[]): this {
    this.answers.set(question, script)
    return this
  }

  result(sql: string, table: Table | string): this {
    this.results.set(norm(sql), table)
    return this
  }

  private id(prefix: string): string {
    return `${prefix}${(++this.seq).toString(16).padStart(8, '0')}`
  }

  // ------------------------------------------------------------ spaces

  async getSpace(spaceId: string, options: { includeSerializedSpace?: boolean } = {}): Promise<GenieSpace> {
    this.calls.push('getSpace')
    this.checkSpace(spaceId)
    return {
      space_id: spaceId,
      title: this.space.title,
      warehouse_id: this.space.warehouse_id,
      ...(options.includeSerializedSpace === false ? {} : { serialized_space: JSON.stringify(this.space.document), etag: String(this.space.etag) })
    }
  }

  async updateSpace(spaceId: string, request: UpdateSpaceRequest): Promise<GenieSpace> {
    this.calls.push('updateSpace')
    this.checkSpace(spaceId)
    if (request.etag !== undefined && request.etag !== String(this.space.etag)) {
      throw new GenieApiError({ operation: 'update space', spaceId, status: 409, errorCode: 'RESOURCE_CONFLICT', detail: 'etag mismatch' })
    }
    if (request.serialized_space !== undefined) this.space.document = JSON.parse(request.serialized_space) as Record<string, unknown>
    this.space.etag++
    return this.getSpace(spaceId)
  }

  private checkSpace(spaceId: string): void {
    if (spaceId !== SPACE_ID)
      throw new GenieApiError({ operation: 'get space', spaceId, status: 404, errorCode: 'RESOURCE_DOES_NOT_EXIST', detail: 'no such space' })
  }

  benchmarkQuestions(): { id: string; question: string[]; answer: { format: string; content: string[] }[] }[] {
    const b = this.space.document.benchmarks as
      | { questions?: { id: string; question: string[]; answer: { format: string; content: string[] }[] }[] }
      | undefined
    return b?.questions ?? []
  }

  // ------------------------------------------------------------ conversations

  async deleteConversation(spaceId: string, conversationId: string): Promise<void> {
    this.calls.push('deleteConversation')
    this.checkSpace(spaceId)
    this.deleted.push(conversationId)
  }

  async startConversation(spaceId: string, content: string): Promise<GenieStartConversationResponse> {
    this.calls.push('startConversation')
    this.checkSpace(spaceId)
    const now = this.clock.now()
    const inWindow = this.asked.filter((a) => a.at > now - 60_000)
    if (this.storm > 0 || inWindow.length >= this.ratePerMinute) {
      this.refused.push({ question: content, at: now })
      let retryAfterMs = this.stormRetryAfterMs
      if (this.storm > 0) this.storm--
      else retryAfterMs = (inWindow[0] as { at: number }).at + 60_000 - now
      throw new GenieRateLimitError({
        operation: 'start conversation',
        spaceId,
        status: 429,
        detail: 'too many requests',
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {})
      })
    }
    this.asked.push({ question: content, at: now })
    const n = this.askCount.get(content) ?? 0
    this.askCount.set(content, n + 1)
    const configured = this.answers.get(content)
    let script: Scripted = Array.isArray(configured) ? (configured[Math.min(n, configured.length - 1)] ?? {}) : (configured ?? { text: 'I do not know.' })
    if (this.rateLimitMessages > 0) {
      this.rateLimitMessages--
      script = { status: 'FAILED', errorType: 'RATE_LIMIT_EXCEEDED_GENERIC_EXCEPTION', error: 'Rate limit exceeded, retry after 20 seconds', latencyMs: 500 }
    }
    const m: FakeMessage = { conversationId: this.id('c'), messageId: this.id('m'), question: content, createdAt: now, script, reexecuted: false }
    this.messages.set(m.messageId, m)
    return { conversation_id: m.conversationId, message_id: m.messageId }
  }

  async createMessage(): Promise<GenieMessage> {
    throw new Error('not used')
  }

  async getMessage(spaceId: string, conversationId: string, messageId: string): Promise<GenieMessage> {
    this.calls.push('getMessage')
    const m = this.messages.get(messageId)
    if (!m || m.conversationId !== conversationId) throw new GenieApiError({ operation: 'get message', spaceId, status: 404, detail: 'no such message' })
    const s = m.script
    const base = {
      message_id: m.messageId,
      conversation_id: m.conversationId,
      space_id: spaceId,
      content: m.question,
      attachments: [] as GenieMessage['attachments']
    }
    if (s.hang || this.clock.now() - m.createdAt < (s.latencyMs ?? this.latencyMs)) return { ...base, status: 'ASKING_AI' }
    const attachments: GenieMessage['attachments'] = []
    if (s.sql !== undefined) attachments.push({ attachment_id: `a-${m.messageId}`, query: { query: s.sql, title: 'answer' } })
    if (s.text !== undefined) attachments.push({ attachment_id: `t-${m.messageId}`, text: { content: s.text } })
    if (s.followUp !== undefined) attachments.push({ attachment_id: `f-${m.messageId}`, text: { content: s.followUp, purpose: 'FOLLOW_UP_QUESTION' } })
    let status = s.status ?? 'COMPLETED'
    if (status === 'QUERY_RESULT_EXPIRED' && m.reexecuted) status = 'COMPLETED'
    return {
      ...base,
      status,
      attachments,
      ...(s.errorType !== undefined || s.error !== undefined
        ? { error: { ...(s.errorType ? { type: s.errorType } : {}), ...(s.error ? { error: s.error } : {}) } }
        : {})
    }
  }

  async executeQuery(_spaceId: string, _cid: string, messageId: string): Promise<GenieGetMessageQueryResultResponse> {
    this.calls.push('executeQuery')
    const m = this.messages.get(messageId)
    if (m) m.reexecuted = true
    return {}
  }

  // ------------------------------------------------------------ eval runs

  private evalGate(): void {
    if (!this.evalAvailable)
      throw new GenieApiError({ operation: 'list eval runs', spaceId: SPACE_ID, status: 404, errorCode: 'ENDPOINT_NOT_FOUND', detail: 'No API found' })
  }

  async listEvalRuns(): Promise<GenieListEvalRunsResponse> {
    this.calls.push('listEvalRuns')
    this.evalGate()
    return { eval_runs: [] }
  }

  async createEvalRun(_spaceId: string, questionIds?: readonly string[]): Promise<GenieEvalRunResponse> {
    this.calls.push('createEvalRun')
    this.evalGate()
    const ids = questionIds?.length ? [...questionIds] : this.benchmarkQuestions().map((q) => q.id)
    for (const id of ids)
      if (!this.benchmarkQuestions().some((q) => q.id === id))
        throw new GenieApiError({ operation: 'create eval run', status: 400, detail: `unknown question ${id}` })
    const id = this.id('run')
    this.evalRuns.set(id, { ids, createdAt: this.clock.now() })
    return { eval_run_id: id, eval_run_status: 'NOT_STARTED', num_questions: ids.length, num_done: 0 }
  }

  async getEvalRun(_spaceId: string, runId: string): Promise<GenieEvalRunResponse> {
    this.calls.push('getEvalRun')
    const run = this.evalRuns.get(runId)
    if (!run) throw new GenieApiError({ operation: 'get eval run', status: 404, detail: 'no run' })
    const done = this.clock.now() - run.createdAt >= this.evalLatencyMs
    return {
      eval_run_id: runId,
      eval_run_status: done ? 'DONE' : 'RUNNING',
      num_questions: run.ids.length,
      num_done: done ? run.ids.length : 0,
      created_timestamp: run.createdAt
    }
  }

  async listEvalResults(_spaceId: string, runId: string): Promise<GenieEvalResult[]> {
    this.calls.push('listEvalResults')
    const run = this.evalRuns.get(runId)
    return (run?.ids ?? []).map((id) => ({ result_id: `${runId}-${id}`, benchmark_question_id: id }))
  }

  async getEvalResult(spaceId: string, runId: string, resultId: string): Promise<GenieEvalResultDetails> {
    this.calls.push('getEvalResult')
    const qid = resultId.slice(runId.length + 1)
    const q = this.benchmarkQuestions().find((x) => x.id === qid)
    const text = q ? q.question.join('') : ''
    const script = this.evalScripts.get(text) ?? { assessment: 'GOOD' }
    return {
      result_id: resultId,
      space_id: spaceId,
      benchmark_question_id: qid,
      ...(script.assessment ? { assessment: script.assessment } : {}),
      assessment_reasons: script.reasons ?? [],
      expected_response: [{ response: q?.answer[0]?.content.join('') ?? '', response_type: 'SQL' }],
      actual_response: script.sql !== undefined ? [{ response: script.sql, response_type: 'SQL' }] : []
    }
  }

  // ------------------------------------------------------------ statements

  async executeStatement(request: ExecuteStatementRequest): Promise<StatementResponse> {
    this.calls.push('executeStatement')
    this.executed.push(request.statement)
    const id = this.id('st')
    this.statements.set(id, { sql: request.statement, at: this.clock.now() })
    return this.statementState(id)
  }

  async getStatement(statementId: string): Promise<StatementResponse> {
    this.calls.push('getStatement')
    return this.statementState(statementId)
  }

  private statementState(id: string): StatementResponse {
    const st = this.statements.get(id)
    if (!st) throw new GenieApiError({ operation: 'get statement', status: 404, detail: 'no statement' })
    if (this.clock.now() - st.at < this.statementLatencyMs) return { statement_id: id, status: { state: 'PENDING' } }
    const r = this.results.get(norm(st.sql))
    if (r === undefined)
      return {
        statement_id: id,
        status: { state: 'FAILED', error: { error_code: 'BAD_REQUEST', message: `[TABLE_OR_VIEW_NOT_FOUND] unknown SQL in the fake: ${st.sql.slice(0, 40)}` } }
      }
    if (typeof r === 'string') return { statement_id: id, status: { state: 'FAILED', error: { error_code: 'BAD_REQUEST', message: r } } }
    return {
      statement_id: id,
      status: { state: 'SUCCEEDED' },
      manifest: {
        format: 'JSON_ARRAY',
        schema: { column_count: r.columns.length, columns: r.columns.map((name, position) => ({ name, position })) },
        total_row_count: r.rows.length,
        truncated: false
      },
      result: { chunk_index: 0, row_offset: 0, row_count: r.rows.length, data_array: r.rows }
    }
  }

  async getStatementResultChunk(): Promise<ResultData> {
    return {}
  }

  async cancelStatement(): Promise<void> {}
}

export function question(q: string, extra: Partial<BenchmarkQuestion> = {}): BenchmarkQuestion {
  return { question: q, expectedTables: [], expectedColumns: [], expectedContains: [], tags: [], repeat: 1, minPasses: 1, timeoutMs: 600_000, ...extra }
}

export function suite(name: string, questions: BenchmarkQuestion[], extra: Partial<BenchmarkSuite> = {}): BenchmarkSuite {
  return { name, questions, ...extra }
}

/**
 * A tiny XML well-formedness checker: one root, balanced and properly nested tags, quoted
 * attributes, only the five predefined entities or character references, no stray `<` or `&`.
 */
export function checkXml(xml: string): { ok: true; elements: { name: string; attrs: Record<string, string>; text: string }[] } | { ok: false; error: string } {
  let s = xml.replace(/^<\?xml[^?]*\?>\s*/, '')
  const stack: string[] = []
  const elements: { name: string; attrs: Record<string, string>; text: string }[] = []
  let roots = 0
  const entity = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y
  const checkText = (t: string): string | undefined => {
    for (let i = 0; i < t.length; i++) {
      if (t[i] === '<') return `stray < in text`
      if (t[i] === '&') {
        entity.lastIndex = i
        if (!entity.test(t)) return `bad entity at "${t.slice(i, i + 10)}"`
      }
    }
    return undefined
  }
  while (s.length) {
    const lt = s.indexOf('<')
    const text = lt === -1 ? s : s.slice(0, lt)
    const bad = checkText(text)
    if (bad) return { ok: false, error: bad }
    if (text.trim() && !stack.length) return { ok: false, error: 'text outside the root' }
    const top = elements[elements.length - 1]
    if (top && stack.length) top.text += text
    if (lt === -1) break
    s = s.slice(lt)
    const m = /^<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*\s*=\s*"[^"<]*")*)\s*(\/?)>/.exec(s)
    if (!m) return { ok: false, error: `malformed tag at "${s.slice(0, 40)}"` }
    const [all, close, name, attrText, selfClose] = m as unknown as [string, string, string, string, string]
    const attrs: Record<string, string> = {}
    for (const a of attrText.matchAll(/([A-Za-z_][\w.-]*)\s*=\s*"([^"]*)"/g)) {
      const v = a[2] as string
      const badAttr = checkText(v)
      if (badAttr) return { ok: false, error: `attribute ${a[1]}: ${badAttr}` }
      if ((a[1] as string) in attrs) return { ok: false, error: `duplicate attribute ${a[1]}` }
      attrs[a[1] as string] = v
    }
    if (close) {
      if (stack.pop() !== name) return { ok: false, error: `</${name}> does not close the open element` }
    } else {
      if (!stack.length) roots++
      elements.push({ name, attrs, text: '' })
      if (!selfClose) stack.push(name)
    }
    s = s.slice(all.length)
  }
  if (stack.length) return { ok: false, error: `unclosed <${stack[stack.length - 1]}>` }
  if (roots !== 1) return { ok: false, error: `${roots} root elements` }
  return { ok: true, elements }
}

export function unescapeXml(s: string): string {
  return s
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
}
