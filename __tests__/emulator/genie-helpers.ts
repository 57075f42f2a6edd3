import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js'
import { client, type Client, type Reply, hexId, SPACES } from './helpers.js'

/** A clock the test moves by hand. */
export interface ManualClock {
  now: () => number
  advance: (ms: number) => void
  set: (ms: number) => void
}

export function manualClock(start = Date.parse('2025-06-18T10:00:00Z')): ManualClock {
  let t = start
  return {
    now: () => t,
    advance: (ms) => {
      t += ms
    },
    set: (ms) => {
      t = ms
    }
  }
}

export const REVENUE_SQL =
  "SELECT date_trunc('month', order_date) AS month, SUM(net_amount) AS revenue\n" +
  'FROM shop_dev.sales.orders\n' +
  "WHERE status <> 'CANCELLED' AND year(order_date) = year(current_date())\n" +
  'GROUP BY 1\nORDER BY 1'

export const TOP_CUSTOMERS_SQL =
  'SELECT c.name, SUM(o.net_amount) AS revenue\n' +
  'FROM shop_dev.sales.orders o\n' +
  'JOIN shop_dev.sales.customers c ON o.customer_id = c.customer_id\n' +
  "WHERE c.country = :country AND o.status <> 'CANCELLED'\n" +
  'GROUP BY c.name\nORDER BY revenue DESC\nLIMIT 10'

export const CANCELLED_SQL = "SELECT COUNT(*) AS cancelled FROM `shop_dev`.`sales`.`orders` WHERE status = 'CANCELLED'"

export const LAST_MONTH_SQL =
  'SELECT COUNT(*) AS orders FROM shop_dev.sales.orders\n' +
  "WHERE order_date >= date_trunc('month', add_months(current_date(), -1))\n" +
  "  AND order_date < date_trunc('month', current_date())"

/** Split SQL into the line array the document stores. */
export function lines(text: string): string[] {
  const parts = text.split('\n')
  return parts.map((l, i) => (i < parts.length - 1 ? `${l}\n` : l)).filter((l) => l !== '')
}

export interface Benchmark {
  id: string
  question: string
  sql: string
}

/** A version 2 space document like examples/spaces/sales, with the given benchmarks. */
export function salesDoc(options: { benchmarks?: Benchmark[]; extraExamples?: Record<string, unknown>[] } = {}): Record<string, unknown> {
  const examples: Record<string, unknown>[] = [
    { id: hexId(0x11), question: ['What was revenue by month this year?'], sql: lines(REVENUE_SQL) },
    {
      id: hexId(0x12),
      question: ['Top customers in a country'],
      sql: lines(TOP_CUSTOMERS_SQL),
      parameters: [{ name: 'country', type_hint: 'STRING', default_value: { values: ['DE'] } }]
    },
    { id: hexId(0x13), question: ['How many orders were cancelled?'], sql: [CANCELLED_SQL] },
    { id: hexId(0x14), question: ['How many orders were placed last month?'], sql: lines(LAST_MONTH_SQL) },
    ...(options.extraExamples ?? [])
  ].sort((a, b) => String(a['id']).localeCompare(String(b['id'])))
  const doc: Record<string, unknown> = {
    version: 2,
    config: {
      sample_questions: [
        { id: hexId(0x01), question: ['What was revenue last month?'] },
        { id: hexId(0x02), question: ['Which product categories grew fastest this quarter?'] }
      ]
    },
    data_sources: {
      tables: [{ identifier: 'shop_dev.sales.customers' }, { identifier: 'shop_dev.sales.orders' }, { identifier: 'shop_dev.sales.products' }]
    },
    instructions: {
      text_instructions: [{ id: hexId(0x21), content: ['Revenue is SUM(net_amount) over orders whose status is not CANCELLED.'] }],
      example_question_sqls: examples
    }
  }
  if (options.benchmarks && options.benchmarks.length > 0) {
    doc['benchmarks'] = {
      questions: options.benchmarks.map((b) => ({ id: b.id, question: [b.question], answer: [{ format: 'SQL', content: lines(b.sql) }] }))
    }
  }
  return doc
}

export async function createSalesSpace(api: Client, doc: Record<string, unknown> = salesDoc()): Promise<string> {
  const r = await api.post(SPACES, { warehouse_id: 'wh-1', title: 'Sales', serialized_space: JSON.stringify(doc) })
  if (r.status !== 200) throw new Error(`create failed: ${r.status} ${JSON.stringify(r.body)}`)
  return r.body.space_id as string
}

export const FAST: EmulatorOptions['faults'] = { genieLatencyMs: 50, genieLatencyJitterMs: 0, statementLatencyMs: 0, evalLatencyMs: 20 }

/** Start an emulator per test (closed by stopAll); fast Genie/SQL timings unless `faults` is given. */
const running: RunningEmulator[] = []
export async function start(options: EmulatorOptions = {}): Promise<{ emu: RunningEmulator; api: Client }> {
  const emu = await startEmulator({ seed: 11, faults: FAST, ...options })
  running.push(emu)
  return { emu, api: client(emu.url) }
}
export async function stopAll(): Promise<void> {
  await Promise.all(running.splice(0).map((e) => e.close()))
}

export const STATEMENTS = '/api/2.0/sql/statements'

export async function sql(api: Client, statement: string, extra: Record<string, unknown> = {}): Promise<Reply> {
  return api.post(STATEMENTS, { warehouse_id: 'wh-1', statement, wait_timeout: '10s', ...extra })
}

/** Poll a message (real time) until it is final. */
export async function waitForMessage(api: Client, spaceId: string, conversationId: string, messageId: string, timeoutMs = 5000): Promise<Reply> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const r = await api.get(`${SPACES}/${spaceId}/conversations/${conversationId}/messages/${messageId}`)
    if (r.status !== 200) return r
    if (!['SUBMITTED', 'FETCHING_METADATA', 'FILTERING_CONTEXT', 'ASKING_AI', 'PENDING_WAREHOUSE', 'EXECUTING_QUERY'].includes(r.body.status)) return r
    if (Date.now() > deadline) throw new Error(`message still ${r.body.status}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

// ---- wire shapes (genie-wire-shapes.md): every key a response may carry --------------------------

export const SHAPES = {
  GenieStartConversationResponse: { keys: ['message_id', 'conversation_id', 'conversation', 'message'], required: ['message_id', 'conversation_id'] },
  GenieConversation: {
    keys: ['space_id', 'title', 'conversation_id', 'created_timestamp', 'id', 'last_updated_timestamp', 'user_id'],
    required: ['space_id', 'title', 'conversation_id']
  },
  GenieMessage: {
    keys: [
      'space_id',
      'conversation_id',
      'content',
      'message_id',
      'attachments',
      'created_timestamp',
      'error',
      'feedback',
      'id',
      'last_updated_timestamp',
      'query_result',
      'status',
      'user_id'
    ],
    required: ['space_id', 'conversation_id', 'content', 'message_id']
  },
  GenieAttachment: { keys: ['attachment_id', 'query', 'suggested_questions', 'text', 'viz'], required: [] },
  GenieQueryAttachment: {
    keys: ['description', 'id', 'last_updated_timestamp', 'parameters', 'query', 'query_result_metadata', 'statement_id', 'thoughts', 'title'],
    required: []
  },
  GenieResultMetadata: { keys: ['is_truncated', 'row_count'], required: [] },
  Thought: { keys: ['content', 'thought_type'], required: [] },
  TextAttachment: { keys: ['content', 'id', 'phase', 'purpose', 'verification_metadata'], required: [] },
  GenieSuggestedQuestionsAttachment: { keys: ['questions'], required: [] },
  MessageError: { keys: ['error', 'type'], required: [] },
  Result: { keys: ['is_truncated', 'row_count', 'statement_id', 'statement_id_signature'], required: [] },
  GenieGetMessageQueryResultResponse: { keys: ['statement_response'], required: [] },
  StatementResponse: { keys: ['manifest', 'result', 'statement_id', 'status'], required: [] },
  StatementStatus: { keys: ['error', 'sql_state', 'state'], required: [] },
  ServiceError: { keys: ['error_code', 'message'], required: [] },
  ResultManifest: { keys: ['chunks', 'format', 'schema', 'total_byte_count', 'total_chunk_count', 'total_row_count', 'truncated'], required: [] },
  ResultSchema: { keys: ['column_count', 'columns'], required: [] },
  ColumnInfo: { keys: ['name', 'position', 'type_interval_type', 'type_name', 'type_precision', 'type_scale', 'type_text'], required: [] },
  BaseChunkInfo: { keys: ['byte_count', 'chunk_index', 'row_count', 'row_offset'], required: [] },
  ResultData: {
    keys: ['byte_count', 'chunk_index', 'data_array', 'external_links', 'next_chunk_index', 'next_chunk_internal_link', 'row_count', 'row_offset'],
    required: []
  },
  GenieEvalRunResponse: {
    keys: [
      'eval_run_id',
      'created_timestamp',
      'eval_run_status',
      'last_updated_timestamp',
      'num_correct',
      'num_done',
      'num_needs_review',
      'num_questions',
      'run_by_user'
    ],
    required: ['eval_run_id']
  },
  GenieListEvalRunsResponse: { keys: ['eval_runs', 'next_page_token'], required: [] },
  GenieEvalResult: {
    keys: ['result_id', 'space_id', 'benchmark_question_id', 'benchmark_answer', 'created_by_user', 'question', 'status'],
    required: ['result_id', 'space_id', 'benchmark_question_id']
  },
  GenieListEvalResultsResponse: { keys: ['eval_results', 'next_page_token'], required: [] },
  GenieEvalResultDetails: {
    keys: [
      'result_id',
      'space_id',
      'benchmark_question_id',
      'actual_response',
      'assessment',
      'assessment_reasons',
      'eval_run_status',
      'expected_response',
      'manual_assessment'
    ],
    required: ['result_id', 'space_id', 'benchmark_question_id']
  },
  GenieEvalResponse: { keys: ['response', 'response_type', 'sql_execution_result'], required: [] }
} as const

export type ShapeName = keyof typeof SHAPES

const MESSAGE_STATUS = [
  'ASKING_AI',
  'CANCELLED',
  'COMPLETED',
  'EXECUTING_QUERY',
  'FAILED',
  'FETCHING_METADATA',
  'FILTERING_CONTEXT',
  'PENDING_WAREHOUSE',
  'QUERY_RESULT_EXPIRED',
  'SUBMITTED'
]
const STATEMENT_STATE = ['CANCELED', 'CLOSED', 'FAILED', 'PENDING', 'RUNNING', 'SUCCEEDED']
const EVAL_STATUS = ['DONE', 'EVALUATION_CANCELLED', 'EVALUATION_FAILED', 'EVALUATION_TIMEOUT', 'NOT_STARTED', 'RUNNING']
const TYPE_NAMES = [
  'ARRAY',
  'BINARY',
  'BOOLEAN',
  'BYTE',
  'CHAR',
  'DATE',
  'DECIMAL',
  'DOUBLE',
  'FLOAT',
  'INT',
  'INTERVAL',
  'LONG',
  'MAP',
  'NULL',
  'SHORT',
  'STRING',
  'STRUCT',
  'TIMESTAMP',
  'USER_DEFINED_TYPE'
]

function fail(path: string, message: string): never {
  throw new Error(`${path}: ${message}`)
}

function checkKeys(v: unknown, shape: ShapeName, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, `expected an object ${shape}`)
  const o = v as Record<string, unknown>
  const { keys, required } = SHAPES[shape]
  for (const k of Object.keys(o)) if (!(keys as readonly string[]).includes(k)) fail(path, `unknown key '${k}' for ${shape}`)
  for (const k of required) if (!(k in o)) fail(path, `missing required key '${k}' of ${shape}`)
  return o
}

function each(v: unknown, path: string, f: (x: unknown, p: string) => void): void {
  if (v === undefined) return
  if (!Array.isArray(v)) fail(path, 'expected an array')
  v.forEach((x, i) => f(x, `${path}[${i}]`))
}

function isInt(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v)
}

/**
 * Check a response against the wire shape (field names exactly, nested classes, enum values,
 * JSON types). Throws with a path on the first problem.
 */
export function assertShape(v: unknown, shape: ShapeName, path: string = shape): void {
  const o = checkKeys(v, shape, path)
  const ints = (...names: string[]): void => {
    for (const n of names) if (o[n] !== undefined && !isInt(o[n])) fail(`${path}.${n}`, 'expected an integer')
  }
  const strings = (...names: string[]): void => {
    for (const n of names) if (o[n] !== undefined && typeof o[n] !== 'string') fail(`${path}.${n}`, 'expected a string')
  }
  switch (shape) {
    case 'GenieStartConversationResponse':
      strings('message_id', 'conversation_id')
      if (o['conversation'] !== undefined) assertShape(o['conversation'], 'GenieConversation', `${path}.conversation`)
      if (o['message'] !== undefined) assertShape(o['message'], 'GenieMessage', `${path}.message`)
      break
    case 'GenieConversation':
      strings('space_id', 'title', 'conversation_id', 'id')
      ints('created_timestamp', 'last_updated_timestamp', 'user_id')
      break
    case 'GenieMessage':
      strings('space_id', 'conversation_id', 'content', 'message_id', 'id')
      ints('created_timestamp', 'last_updated_timestamp', 'user_id')
      if (o['status'] !== undefined && !MESSAGE_STATUS.includes(o['status'] as string)) fail(`${path}.status`, `bad status ${String(o['status'])}`)
      each(o['attachments'], `${path}.attachments`, (a, p) => assertShape(a, 'GenieAttachment', p))
      if (o['error'] !== undefined) assertShape(o['error'], 'MessageError', `${path}.error`)
      if (o['query_result'] !== undefined) assertShape(o['query_result'], 'Result', `${path}.query_result`)
      break
    case 'GenieAttachment':
      strings('attachment_id')
      if (o['query'] !== undefined) assertShape(o['query'], 'GenieQueryAttachment', `${path}.query`)
      if (o['text'] !== undefined) assertShape(o['text'], 'TextAttachment', `${path}.text`)
      if (o['suggested_questions'] !== undefined) assertShape(o['suggested_questions'], 'GenieSuggestedQuestionsAttachment', `${path}.suggested_questions`)
      break
    case 'GenieQueryAttachment':
      strings('description', 'query', 'statement_id', 'title')
      if (o['query_result_metadata'] !== undefined) assertShape(o['query_result_metadata'], 'GenieResultMetadata', `${path}.query_result_metadata`)
      each(o['thoughts'], `${path}.thoughts`, (t, p) => assertShape(t, 'Thought', p))
      break
    case 'GenieResultMetadata':
      ints('row_count')
      break
    case 'TextAttachment':
      strings('content')
      if (o['purpose'] !== undefined && !['FOLLOW_UP_QUESTION', 'TEXT_ATTACHMENT_PURPOSE_ANSWER'].includes(o['purpose'] as string))
        fail(`${path}.purpose`, 'bad purpose')
      break
    case 'GenieSuggestedQuestionsAttachment':
      each(o['questions'], `${path}.questions`, (q, p) => typeof q === 'string' || fail(p, 'expected a string'))
      break
    case 'MessageError':
      strings('error', 'type')
      break
    case 'Result':
      strings('statement_id')
      ints('row_count')
      break
    case 'GenieGetMessageQueryResultResponse':
      if (o['statement_response'] !== undefined) assertShape(o['statement_response'], 'StatementResponse', `${path}.statement_response`)
      break
    case 'StatementResponse':
      strings('statement_id')
      if (o['status'] !== undefined) assertShape(o['status'], 'StatementStatus', `${path}.status`)
      if (o['manifest'] !== undefined) assertShape(o['manifest'], 'ResultManifest', `${path}.manifest`)
      if (o['result'] !== undefined) assertShape(o['result'], 'ResultData', `${path}.result`)
      break
    case 'StatementStatus':
      if (!STATEMENT_STATE.includes(o['state'] as string)) fail(`${path}.state`, `bad state ${String(o['state'])}`)
      if (o['error'] !== undefined) assertShape(o['error'], 'ServiceError', `${path}.error`)
      strings('sql_state')
      break
    case 'ServiceError':
      strings('error_code', 'message')
      break
    case 'ResultManifest':
      if (o['format'] !== undefined && o['format'] !== 'JSON_ARRAY') fail(`${path}.format`, 'expected JSON_ARRAY')
      ints('total_chunk_count', 'total_row_count')
      if (o['schema'] !== undefined) assertShape(o['schema'], 'ResultSchema', `${path}.schema`)
      each(o['chunks'], `${path}.chunks`, (c, p) => assertShape(c, 'BaseChunkInfo', p))
      break
    case 'ResultSchema':
      ints('column_count')
      each(o['columns'], `${path}.columns`, (c, p) => assertShape(c, 'ColumnInfo', p))
      break
    case 'ColumnInfo':
      strings('name', 'type_text')
      ints('position', 'type_precision', 'type_scale')
      if (!TYPE_NAMES.includes(o['type_name'] as string)) fail(`${path}.type_name`, `bad type_name ${String(o['type_name'])}`)
      break
    case 'BaseChunkInfo':
      ints('chunk_index', 'row_count', 'row_offset')
      break
    case 'ResultData':
      ints('chunk_index', 'row_count', 'row_offset')
      each(o['data_array'], `${path}.data_array`, (row, p) =>
        each(row, p, (cell, q) => cell === null || typeof cell === 'string' || fail(q, 'cells are strings or null'))
      )
      break
    case 'GenieEvalRunResponse':
      strings('eval_run_id')
      ints('created_timestamp', 'last_updated_timestamp', 'num_correct', 'num_done', 'num_needs_review', 'num_questions', 'run_by_user')
      if (o['eval_run_status'] !== undefined && !EVAL_STATUS.includes(o['eval_run_status'] as string)) fail(`${path}.eval_run_status`, 'bad status')
      break
    case 'GenieListEvalRunsResponse':
      each(o['eval_runs'], `${path}.eval_runs`, (r, p) => assertShape(r, 'GenieEvalRunResponse', p))
      strings('next_page_token')
      break
    case 'GenieEvalResult':
      strings('result_id', 'space_id', 'benchmark_question_id', 'benchmark_answer', 'question')
      ints('created_by_user')
      if (o['status'] !== undefined && !EVAL_STATUS.includes(o['status'] as string)) fail(`${path}.status`, 'bad status')
      break
    case 'GenieListEvalResultsResponse':
      each(o['eval_results'], `${path}.eval_results`, (r, p) => assertShape(r, 'GenieEvalResult', p))
      strings('next_page_token')
      break
    case 'GenieEvalResultDetails':
      strings('result_id', 'space_id', 'benchmark_question_id')
      if (o['assessment'] !== undefined && !['GOOD', 'BAD', 'NEEDS_REVIEW'].includes(o['assessment'] as string)) fail(`${path}.assessment`, 'bad assessment')
      each(o['expected_response'], `${path}.expected_response`, (r, p) => assertShape(r, 'GenieEvalResponse', p))
      each(o['actual_response'], `${path}.actual_response`, (r, p) => assertShape(r, 'GenieEvalResponse', p))
      if (o['eval_run_status'] !== undefined && !EVAL_STATUS.includes(o['eval_run_status'] as string)) fail(`${path}.eval_run_status`, 'bad status')
      break
    case 'GenieEvalResponse':
      strings('response')
      if (o['response_type'] !== undefined && !['SQL', 'TEXT'].includes(o['response_type'] as string)) fail(`${path}.response_type`, 'bad type')
      if (o['sql_execution_result'] !== undefined) assertShape(o['sql_execution_result'], 'StatementResponse', `${path}.sql_execution_result`)
      break
    default:
      break
  }
}

export { hexId, SPACES }
