/**
 * zod schemas for every Genie / Statement Execution response the client reads (shapes from
 * genie-wire-shapes.md, checked against /work/shared/fixtures/responses).
 *
 * Leniency, on purpose:
 * - Unknown keys are accepted and dropped (real responses carry legacy fields such as `id`,
 *   `query_result`, `statement_id_signature`, `result_compression`).
 * - `null` is treated as absent at every object level (the docs samples send `"attachments": null`).
 * - Enums the API may grow (message status, attachment purpose, eval status, statement state, error
 *   types, …) are plain strings; the known values are exported as constants. The docs samples use
 *   `"status": "IN_PROGRESS"` (not in the SDK enum) and the eval-run sample `"eval_run_status": "string"`.
 * - Timestamps (`*_timestamp`) accept seconds (docs samples) or milliseconds (real captures), as numbers
 *   or digit strings (protobuf JSON int64), and are normalised to MILLISECONDS since the epoch: a value
 *   below 10^11 is taken as seconds (10^11 ms is 1973; 10^11 s is the year 5138).
 * - Ids that the SDK marks required but the docs samples omit are filled from their legacy twins:
 *   GenieConversation.conversation_id ← id; GenieMessage.message_id ← id; the start-conversation
 *   response's top-level ids ← its `conversation` / `message`.
 * - A text attachment without `attachment_id` (real capture) is valid.
 * `serialized_space` stays an opaque STRING here; parsing it is the model layer's job.
 */
import { z } from 'zod'

/** Drops keys whose value is null, so `.optional()` fields accept the docs' explicit nulls. */
function dropNulls(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v !== null) out[k] = v
  }
  return out
}

/** A response object: unknown keys allowed (and dropped), nulls treated as absent. */
function obj<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.preprocess(dropNulls, z.object(shape))
}

const int64 = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number)
])

/** Seconds or milliseconds since the epoch → milliseconds. */
export const EpochMillis = int64.transform((n) => (Math.abs(n) < 1e11 ? n * 1000 : n))
/** A user id: a JSON number on the wire, though the docs call it a uuid; kept as sent. */
const UserId = z.union([z.number(), z.string()])
/** An RFC 3339 string per the SDK; tolerate a number. */
const TimeValue = z.union([z.string(), z.number()])

// ---------------------------------------------------------------- spaces

export const GenieSpaceSchema = obj({
  space_id: z.string().min(1),
  title: z.string().default(''),
  description: z.string().optional(),
  warehouse_id: z.string().optional(),
  parent_path: z.string().optional(),
  serialized_space: z.string().optional(),
  etag: z.string().optional(),
  create_time: TimeValue.optional(),
  update_time: TimeValue.optional()
})
export type GenieSpace = z.output<typeof GenieSpaceSchema>

export const GenieListSpacesResponseSchema = obj({
  spaces: z.array(GenieSpaceSchema).default([]),
  next_page_token: z.string().optional()
})
export type GenieListSpacesResponse = z.output<typeof GenieListSpacesResponseSchema>

// ---------------------------------------------------------------- permissions

export const PERMISSION_LEVELS = ['CAN_MANAGE', 'CAN_EDIT', 'CAN_RUN', 'CAN_VIEW'] as const
export type GeniePermissionLevel = (typeof PERMISSION_LEVELS)[number]

export const PermissionSchema = obj({
  permission_level: z.string(),
  inherited: z.boolean().optional(),
  inherited_from_object: z.array(z.string()).optional()
})

export const AccessControlResponseSchema = obj({
  user_name: z.string().optional(),
  group_name: z.string().optional(),
  service_principal_name: z.string().optional(),
  display_name: z.string().optional(),
  all_permissions: z.array(PermissionSchema).default([])
})
export type AccessControlResponse = z.output<typeof AccessControlResponseSchema>

export const ObjectPermissionsSchema = obj({
  object_id: z.string().optional(),
  object_type: z.string().optional(),
  access_control_list: z.array(AccessControlResponseSchema).default([])
})
export type ObjectPermissions = z.output<typeof ObjectPermissionsSchema>

/** One entry of a permissions update: exactly one principal and a level. */
export type AccessControlRequest = (
  | { user_name: string; group_name?: never; service_principal_name?: never }
  | { group_name: string; user_name?: never; service_principal_name?: never }
  | { service_principal_name: string; user_name?: never; group_name?: never }
) & { permission_level: GeniePermissionLevel }

/**
 * `GET /api/2.0/preview/scim/v2/Me`: the principal the credential belongs to (SCIM User). For a
 * service principal `userName` is its application id (the Databricks CLI tells the two apart by
 * whether `userName` is a UUID), which is what a grant's `service_principal_name` names.
 */
export const CurrentUserSchema = obj({
  id: z.string().optional(),
  userName: z.string().min(1),
  displayName: z.string().optional(),
  active: z.boolean().optional(),
  groups: z.array(obj({ display: z.string().optional(), value: z.string().optional() })).optional()
})
export type CurrentUser = z.output<typeof CurrentUserSchema>

/** `GET /api/2.0/permissions/genie/{id}/permissionLevels` (generic Permissions API). */
export const PermissionLevelsSchema = obj({
  permission_levels: z.array(obj({ permission_level: z.string(), description: z.string().optional() })).default([])
})
export type PermissionLevels = z.output<typeof PermissionLevelsSchema>

/** `POST /api/2.0/workspace/mkdirs` answers `{}`. */
export const EmptyResponseSchema = obj({})

// ---------------------------------------------------------------- conversations and messages

export const MESSAGE_STATUSES = [
  'SUBMITTED',
  'FETCHING_METADATA',
  'FILTERING_CONTEXT',
  'ASKING_AI',
  'PENDING_WAREHOUSE',
  'EXECUTING_QUERY',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'QUERY_RESULT_EXPIRED'
] as const
/** Statuses after which polling stops (anything else, including `IN_PROGRESS`, is still running). */
export const TERMINAL_MESSAGE_STATUSES = ['COMPLETED', 'FAILED', 'CANCELLED', 'QUERY_RESULT_EXPIRED'] as const

export const GenieConversationSchema = obj({
  conversation_id: z.string().optional(),
  id: z.string().optional(),
  space_id: z.string().optional(),
  title: z.string().optional(),
  created_timestamp: EpochMillis.optional(),
  last_updated_timestamp: EpochMillis.optional(),
  user_id: UserId.optional()
}).transform(({ id, ...rest }) => ({ ...rest, conversation_id: rest.conversation_id ?? id }))
export type GenieConversation = z.output<typeof GenieConversationSchema>

export const ThoughtSchema = obj({
  content: z.string().optional(),
  thought_type: z.string().optional()
})

export const QueryAttachmentParameterSchema = obj({
  keyword: z.string().optional(),
  sql_type: z.string().optional(),
  value: z.string().optional()
})

export const GenieResultMetadataSchema = obj({
  is_truncated: z.boolean().optional(),
  row_count: int64.optional()
})

export const GenieQueryAttachmentSchema = obj({
  id: z.string().optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  /** The SQL Genie generated. */
  query: z.string().optional(),
  statement_id: z.string().optional(),
  query_result_metadata: GenieResultMetadataSchema.optional(),
  thoughts: z.array(ThoughtSchema).optional(),
  parameters: z.array(QueryAttachmentParameterSchema).optional(),
  last_updated_timestamp: EpochMillis.optional()
})
export type GenieQueryAttachment = z.output<typeof GenieQueryAttachmentSchema>

export const TEXT_ATTACHMENT_PURPOSES = ['FOLLOW_UP_QUESTION', 'TEXT_ATTACHMENT_PURPOSE_ANSWER'] as const

export const TextAttachmentSchema = obj({
  id: z.string().optional(),
  content: z.string().optional(),
  /** FOLLOW_UP_QUESTION (a clarifying question) or TEXT_ATTACHMENT_PURPOSE_ANSWER. */
  purpose: z.string().optional(),
  phase: z.string().optional(),
  verification_metadata: obj({ index: int64.optional(), section: z.string().optional() }).optional()
})
export type TextAttachment = z.output<typeof TextAttachmentSchema>

export const GenieAttachmentSchema = obj({
  attachment_id: z.string().optional(),
  query: GenieQueryAttachmentSchema.optional(),
  text: TextAttachmentSchema.optional(),
  suggested_questions: obj({ questions: z.array(z.string()).default([]) }).optional(),
  viz: obj({ query_attachment_id: z.string().optional(), title: z.string().optional() }).optional()
})
export type GenieAttachment = z.output<typeof GenieAttachmentSchema>

export const MessageErrorSchema = obj({
  error: z.string().optional(),
  type: z.string().optional()
})
export type MessageError = z.output<typeof MessageErrorSchema>

export const GenieMessageSchema = obj({
  message_id: z.string().optional(),
  id: z.string().optional(),
  /** Required by the SDK, but absent from a real captured message. */
  space_id: z.string().optional(),
  conversation_id: z.string(),
  content: z.string().default(''),
  status: z.string().optional(),
  attachments: z.array(GenieAttachmentSchema).default([]),
  error: MessageErrorSchema.optional(),
  feedback: obj({ comment: z.string().optional(), rating: z.string().optional() }).optional(),
  created_timestamp: EpochMillis.optional(),
  last_updated_timestamp: EpochMillis.optional(),
  user_id: UserId.optional()
}).transform(({ id, message_id, ...rest }, ctx) => {
  const mid = message_id ?? id
  if (mid === undefined) {
    ctx.addIssue({ code: 'custom', message: 'message has neither message_id nor id', path: ['message_id'] })
    return z.NEVER
  }
  return { ...rest, message_id: mid }
})
export type GenieMessage = z.output<typeof GenieMessageSchema>

export const GenieListConversationMessagesResponseSchema = obj({
  messages: z.array(GenieMessageSchema).default([]),
  next_page_token: z.string().optional()
})
export type GenieListConversationMessagesResponse = z.output<typeof GenieListConversationMessagesResponseSchema>

export const GenieListConversationsResponseSchema = obj({
  conversations: z.array(GenieConversationSchema).default([]),
  next_page_token: z.string().optional()
})
export type GenieListConversationsResponse = z.output<typeof GenieListConversationsResponseSchema>

export const GENIE_FEEDBACK_RATINGS = ['POSITIVE', 'NEGATIVE', 'NONE'] as const
export type GenieFeedbackRating = (typeof GENIE_FEEDBACK_RATINGS)[number]

export const GenieStartConversationResponseSchema = obj({
  conversation_id: z.string().optional(),
  message_id: z.string().optional(),
  conversation: GenieConversationSchema.optional(),
  message: GenieMessageSchema.optional()
}).transform((v, ctx) => {
  const conversationId = v.conversation_id ?? v.conversation?.conversation_id ?? v.message?.conversation_id
  const messageId = v.message_id ?? v.message?.message_id
  if (conversationId === undefined || messageId === undefined) {
    ctx.addIssue({ code: 'custom', message: 'start-conversation response names no conversation or message id' })
    return z.NEVER
  }
  return { ...v, conversation_id: conversationId, message_id: messageId }
})
export type GenieStartConversationResponse = z.output<typeof GenieStartConversationResponseSchema>

// ---------------------------------------------------------------- statement execution

export const STATEMENT_STATES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELED', 'CLOSED'] as const

export const ColumnInfoSchema = obj({
  name: z.string().optional(),
  position: int64.optional(),
  type_name: z.string().optional(),
  type_text: z.string().optional(),
  type_precision: int64.optional(),
  type_scale: int64.optional(),
  type_interval_type: z.string().optional()
})

export const ChunkInfoSchema = obj({
  chunk_index: int64.optional(),
  row_offset: int64.optional(),
  row_count: int64.optional(),
  byte_count: int64.optional()
})

export const ResultManifestSchema = obj({
  format: z.string().optional(),
  schema: obj({ column_count: int64.optional(), columns: z.array(ColumnInfoSchema).default([]) }).optional(),
  chunks: z.array(ChunkInfoSchema).optional(),
  total_row_count: int64.optional(),
  total_chunk_count: int64.optional(),
  total_byte_count: int64.optional(),
  truncated: z.boolean().optional()
})

export const ExternalLinkSchema = obj({
  /** Carries a short-lived credential: never log it. */
  external_link: z.string().optional(),
  expiration: z.string().optional(),
  http_headers: z.record(z.string(), z.string()).optional(),
  chunk_index: int64.optional(),
  row_offset: int64.optional(),
  row_count: int64.optional(),
  byte_count: int64.optional(),
  next_chunk_index: int64.optional(),
  next_chunk_internal_link: z.string().optional()
})

export const ResultDataSchema = obj({
  /** JSON_ARRAY rows: every value a string, or null. */
  data_array: z.array(z.array(z.string().nullable())).optional(),
  external_links: z.array(ExternalLinkSchema).optional(),
  chunk_index: int64.optional(),
  row_offset: int64.optional(),
  row_count: int64.optional(),
  byte_count: int64.optional(),
  next_chunk_index: int64.optional(),
  next_chunk_internal_link: z.string().optional()
})
export type ResultData = z.output<typeof ResultDataSchema>

export const StatementStatusSchema = obj({
  state: z.string().optional(),
  sql_state: z.string().optional(),
  error: obj({ error_code: z.string().optional(), message: z.string().optional() }).optional()
})

export const StatementResponseSchema = obj({
  statement_id: z.string().optional(),
  status: StatementStatusSchema.optional(),
  manifest: ResultManifestSchema.optional(),
  result: ResultDataSchema.optional()
})
export type StatementResponse = z.output<typeof StatementResponseSchema>

export const GenieGetMessageQueryResultResponseSchema = obj({
  statement_response: StatementResponseSchema.optional()
})
export type GenieGetMessageQueryResultResponse = z.output<typeof GenieGetMessageQueryResultResponseSchema>

// ---------------------------------------------------------------- eval runs (Beta)

export const EVAL_RUN_STATUSES = ['NOT_STARTED', 'RUNNING', 'DONE', 'EVALUATION_FAILED', 'EVALUATION_CANCELLED', 'EVALUATION_TIMEOUT'] as const

export const GenieEvalRunResponseSchema = obj({
  eval_run_id: z.string().min(1),
  eval_run_status: z.string().optional(),
  created_timestamp: EpochMillis.optional(),
  last_updated_timestamp: EpochMillis.optional(),
  num_questions: int64.optional(),
  num_done: int64.optional(),
  num_correct: int64.optional(),
  num_needs_review: int64.optional(),
  run_by_user: UserId.optional()
})
export type GenieEvalRunResponse = z.output<typeof GenieEvalRunResponseSchema>

export const GenieListEvalRunsResponseSchema = obj({
  eval_runs: z.array(GenieEvalRunResponseSchema).default([]),
  next_page_token: z.string().optional()
})
export type GenieListEvalRunsResponse = z.output<typeof GenieListEvalRunsResponseSchema>

export const GenieEvalResultSchema = obj({
  result_id: z.string(),
  space_id: z.string().optional(),
  benchmark_question_id: z.string(),
  benchmark_answer: z.string().optional(),
  question: z.string().optional(),
  created_by_user: UserId.optional(),
  status: z.string().optional()
})
export type GenieEvalResult = z.output<typeof GenieEvalResultSchema>

export const GenieListEvalResultsResponseSchema = obj({
  eval_results: z.array(GenieEvalResultSchema).default([]),
  next_page_token: z.string().optional()
})
export type GenieListEvalResultsResponse = z.output<typeof GenieListEvalResultsResponseSchema>

export const GenieEvalResponseSchema = obj({
  response: z.string().optional(),
  response_type: z.string().optional(),
  sql_execution_result: StatementResponseSchema.optional()
})

export const GenieEvalResultDetailsSchema = obj({
  result_id: z.string(),
  space_id: z.string().optional(),
  benchmark_question_id: z.string(),
  assessment: z.string().optional(),
  assessment_reasons: z.array(z.string()).default([]),
  eval_run_status: z.string().optional(),
  manual_assessment: z.boolean().optional(),
  expected_response: z.array(GenieEvalResponseSchema).default([]),
  actual_response: z.array(GenieEvalResponseSchema).default([])
})
export type GenieEvalResponse = z.output<typeof GenieEvalResponseSchema>
export type GenieEvalResultDetails = z.output<typeof GenieEvalResultDetailsSchema>

// ---------------------------------------------------------------- workspace files

/** `ObjectInfo` of get-status / list (docs: workspace-objects/v1). Types the API may grow stay strings. */
export const WorkspaceObjectInfoSchema = obj({
  object_type: z.string().optional(),
  path: z.string(),
  object_id: int64.optional(),
  created_at: int64.optional(),
  modified_at: int64.optional(),
  size: int64.optional(),
  language: z.string().optional(),
  resource_id: z.string().optional()
})
export type WorkspaceObjectInfo = z.infer<typeof WorkspaceObjectInfoSchema>

/** `GET /api/2.0/workspace/export`: `{content: base64, file_type}`. */
export const WorkspaceExportResponseSchema = obj({ content: z.string().default(''), file_type: z.string().optional() })

// ---------------------------------------------------------------- Unity Catalog and warehouses (preflight)

/**
 * `ColumnInfo` of `GET /api/2.1/unity-catalog/tables/{full_name}` (SDK `catalog.ColumnInfo`). Only
 * `name` matters to SpaceOps; the SDK marks every field optional, so a column without a name is
 * kept with `name` undefined and ignored by the caller.
 */
export const UcColumnInfoSchema = obj({
  name: z.string().optional(),
  type_text: z.string().optional(),
  type_name: z.string().optional(),
  position: int64.optional(),
  nullable: z.boolean().optional(),
  comment: z.string().optional()
})

/**
 * `TableInfo` (SDK `catalog.TableInfo`). `table_type` is an enum the API grows (MANAGED, EXTERNAL,
 * VIEW, MATERIALIZED_VIEW, STREAMING_TABLE, FOREIGN, METRIC_VIEW, …): a plain string here.
 * `columns` is absent for some securables in the SDK samples; absent is read as "not told", not as
 * "no columns" (the caller then does not check column names).
 */
export const TableInfoSchema = obj({
  name: z.string().optional(),
  catalog_name: z.string().optional(),
  schema_name: z.string().optional(),
  full_name: z.string().optional(),
  table_type: z.string().optional(),
  data_source_format: z.string().optional(),
  owner: z.string().optional(),
  columns: z.array(UcColumnInfoSchema).optional()
})
export type TableInfo = z.output<typeof TableInfoSchema>

/** `FunctionInfo` (SDK `catalog.FunctionInfo`): what SpaceOps reads of it. */
export const FunctionInfoSchema = obj({
  name: z.string().optional(),
  catalog_name: z.string().optional(),
  schema_name: z.string().optional(),
  full_name: z.string().optional(),
  data_type: z.string().optional(),
  owner: z.string().optional()
})
export type FunctionInfo = z.output<typeof FunctionInfoSchema>

/**
 * `EffectivePermissionsList` (SDK `catalog.EffectivePermissionsList`):
 * `{privilege_assignments: [{principal, privileges: [{privilege, inherited_from_type, inherited_from_name}]}]}`.
 * The docs do not say what a principal without any privilege gets: an empty list, an entry with no
 * privileges or no key at all — all three read as "no privileges".
 */
export const EffectivePermissionsSchema = obj({
  privilege_assignments: z
    .array(
      obj({
        principal: z.string().optional(),
        privileges: z.array(obj({ privilege: z.string(), inherited_from_type: z.string().optional(), inherited_from_name: z.string().optional() })).default([])
      })
    )
    .default([]),
  next_page_token: z.string().optional()
})
export type EffectivePermissions = z.output<typeof EffectivePermissionsSchema>

/**
 * `GetWarehouseResponse` (SDK `sql.GetWarehouseResponse`): `state` is STARTING, RUNNING, STOPPING,
 * STOPPED, DELETING or DELETED (kept a string: the enum may grow).
 */
export const WarehouseInfoSchema = obj({
  id: z.string().optional(),
  name: z.string().optional(),
  state: z.string().optional(),
  creator_name: z.string().optional(),
  cluster_size: z.string().optional(),
  warehouse_type: z.string().optional()
})
export type WarehouseInfo = z.output<typeof WarehouseInfoSchema>
