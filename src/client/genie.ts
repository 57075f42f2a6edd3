/**
 * GenieClient: the management calls SpaceOps needs on Genie spaces (list / get / create / update /
 * trash), their permissions, and workspace folders. Every call goes through the protected generic
 * `call()` (transport + zod validation + human operation name), so conversations, eval runs and SQL
 * statements can be added as methods later without touching the transport.
 *
 * Choices where the docs are silent or disagree:
 * - `getSpace` asks for the serialized space unless told not to (`includeSerializedSpace` defaults to
 *   true): a spaces-as-code tool almost always needs it. It stays a STRING here.
 * - `listSpaces` asks for 100 per page (the documented maximum) and stops with an error if the server
 *   repeats a page token (it would otherwise loop for ever).
 * - Idempotency: GET, DELETE, PATCH (full document), PUT and mkdirs (`mkdir -p` semantics) are retried
 *   on 5xx/connection errors; POST create is not (see http.ts).
 * - Missing `parent_path` folder (create or update with a parent_path): on 404 (RESOURCE_DOES_NOT_EXIST
 *   or NOT_FOUND, per the Databricks CLI) or on 400 whose message says "Tree node with path … does not
 *   exist", the folder is created with `POST /api/2.0/workspace/mkdirs` and the call is retried ONCE.
 * - `setPermissions` PATCHes (adds or changes the listed entries, leaves the others); pass
 *   `{ replace: true }` to PUT the whole list instead.
 *
 * Conversations, eval runs and SQL statements (what benchmarks need):
 * - The two calls that ASK Genie a question (`startConversation`, `createMessage`) count against the
 *   workspace's question rate limit (about 5 per minute). Their 429 is NOT retried inside the
 *   transport: it surfaces at once as a `GenieRateLimitError` carrying the server's `Retry-After`
 *   (`retryAfterMs`, undefined when none was sent), so the caller — the benchmark runner, which paces
 *   every question with a token bucket — decides when to ask again. The transport is left as it is:
 *   these calls go through a view of the same transport (same fetch, auth, logger, secrets, clock)
 *   whose retry policy defers the first 429 back to the caller (see `rateLimitSurfacingTransport`).
 *   Every other call keeps the transport's policy: polling (GET) and statements retry 429 as usual.
 * - `executeQuery` (re-run an expired query result) is declared idempotent: running a read again is
 *   harmless. `createEvalRun` and `executeStatement` are POSTs and not idempotent (no blind retry on
 *   5xx; an ambiguous failure says so).
 * - `listEvalResults` reads every page (stopping on a repeated page token); `listEvalRuns` returns one
 *   page (benchmarks only ask whether the endpoint exists).
 */
import type { z } from 'zod'
import { GenieApiError, type GenieApiErrorInit } from './errors.js'
import { normalizeHost } from './hosts.js'
import { HttpTransport, formatDuration, type HttpMethod, type HttpRequest, type SharedRetryState, type TransportOptions } from './http.js'
import type { Logger } from '../util/logger.js'
import { SpaceOpsError } from '../util/errors.js'
import type { AuthProvider } from './auth.js'
import {
  EmptyResponseSchema,
  GenieEvalResultDetailsSchema,
  GenieEvalRunResponseSchema,
  GenieGetMessageQueryResultResponseSchema,
  GenieListEvalResultsResponseSchema,
  GenieListConversationMessagesResponseSchema,
  GenieListConversationsResponseSchema,
  GenieListEvalRunsResponseSchema,
  GenieListSpacesResponseSchema,
  GenieMessageSchema,
  GenieSpaceSchema,
  GenieStartConversationResponseSchema,
  ObjectPermissionsSchema,
  CurrentUserSchema,
  PermissionLevelsSchema,
  ResultDataSchema,
  TableInfoSchema,
  FunctionInfoSchema,
  EffectivePermissionsSchema,
  WarehouseInfoSchema,
  type TableInfo,
  type FunctionInfo,
  type EffectivePermissions,
  type WarehouseInfo,
  WorkspaceExportResponseSchema,
  WorkspaceObjectInfoSchema,
  StatementResponseSchema,
  type AccessControlRequest,
  type GenieEvalResult,
  type GenieEvalResultDetails,
  type GenieEvalRunResponse,
  type GenieGetMessageQueryResultResponse,
  type GenieFeedbackRating,
  type GenieListConversationMessagesResponse,
  type GenieListConversationsResponse,
  type GenieListEvalRunsResponse,
  type GenieMessage,
  type GenieSpace,
  type GenieStartConversationResponse,
  type ObjectPermissions,
  type CurrentUser,
  type PermissionLevels,
  type ResultData,
  type StatementResponse,
  type WorkspaceObjectInfo
} from './schemas.js'

export interface GenieClientOptions extends TransportOptions {
  /** Workspace host; normalised (https required except for loopback). */
  host: string
  auth: AuthProvider
  /** Share one transport between clients; otherwise one is built from the other options. */
  transport?: HttpTransport
}

export interface CallSpec {
  /** Human name for errors and logs: `get space`, `create space`, … */
  operation: string
  spaceId?: string
  method: HttpMethod
  /** Path below the host, starting with `/api/`. */
  path: string
  query?: HttpRequest['query']
  body?: unknown
  /** Defaults: GET/PUT/PATCH/DELETE true, POST false. */
  idempotent?: boolean
  timeoutMs?: number
  /**
   * `surface`: a 429 is thrown at once as a GenieRateLimitError (with the server's Retry-After)
   * instead of being retried by the transport. For the calls that ask Genie a question, whose pacing
   * belongs to the caller.
   */
  rateLimit?: 'retry' | 'surface'
}

/** `POST /api/2.0/sql/statements` (Statement Execution API). */
export interface ExecuteStatementRequest {
  warehouse_id: string
  statement: string
  /** `0s` (return at once) or `5s`–`50s`. */
  wait_timeout?: string
  on_wait_timeout?: 'CONTINUE' | 'CANCEL'
  disposition?: 'INLINE' | 'EXTERNAL_LINKS'
  format?: 'JSON_ARRAY' | 'ARROW_STREAM' | 'CSV'
  row_limit?: number
  byte_limit?: number
  catalog?: string
  schema?: string
  parameters?: { name: string; value?: string; type?: string }[]
}

/**
 * A 429 on a call made with `rateLimit: 'surface'` (asking Genie a question). `retryAfterMs` is the
 * server's advice (Retry-After), undefined when it gave none.
 */
export class GenieRateLimitError extends GenieApiError {
  readonly retryAfterMs?: number
  constructor(init: GenieApiErrorInit & { retryAfterMs?: number }) {
    super(init)
    this.name = 'GenieRateLimitError'
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs
  }
}

export interface CreateSpaceRequest {
  warehouse_id: string
  /** The space document as a JSON string (sent as a string, not an object). */
  serialized_space: string
  title?: string
  description?: string
  parent_path?: string
}

export interface UpdateSpaceRequest {
  serialized_space?: string
  title?: string
  description?: string
  warehouse_id?: string
  parent_path?: string
  etag?: string
}

export const MAX_PAGE_SIZE = 100

export class GenieClient {
  readonly host: string
  readonly auth: AuthProvider
  protected readonly transport: HttpTransport
  private surfacingTransport: HttpTransport | undefined

  constructor(options: GenieClientOptions) {
    this.host = normalizeHost(options.host)
    this.auth = options.auth
    this.transport = options.transport ?? new HttpTransport(options)
  }

  /**
   * One API call: builds the URL, authenticates, retries per the transport's policy, validates the
   * response with `schema`. A response that does not match throws a one-line GenieApiError.
   */
  protected async call<S extends z.ZodType>(spec: CallSpec, schema: S): Promise<z.output<S>> {
    const idempotent = spec.idempotent ?? spec.method !== 'POST'
    const req: HttpRequest = {
      operation: spec.operation,
      method: spec.method,
      url: `${this.host}${spec.path}`,
      auth: this.auth,
      idempotent
    }
    if (spec.spaceId !== undefined) req.spaceId = spec.spaceId
    if (spec.query !== undefined) req.query = spec.query
    if (spec.body !== undefined) req.json = spec.body
    if (spec.timeoutMs !== undefined) req.timeoutMs = spec.timeoutMs
    const raw = spec.rateLimit === 'surface' ? await this.requestSurfacingRateLimit(req) : await this.transport.request(req)
    const parsed = schema.safeParse(raw)
    if (parsed.success) return parsed.data as z.output<S>
    throw new GenieApiError({
      operation: spec.operation,
      spaceId: spec.spaceId,
      detail: `unexpected response from the API: ${summarizeIssues(parsed.error)}`,
      // The call succeeded: a non-idempotent one was applied though its answer is unreadable.
      ambiguous: !idempotent,
      secrets: this.transport.secrets
    })
  }

  /** Every space the caller can see, page after page (100 per page). */
  async *listSpaces(options: { pageSize?: number } = {}): AsyncGenerator<GenieSpace, void, undefined> {
    const pageSize = Math.max(1, Math.min(MAX_PAGE_SIZE, Math.floor(options.pageSize ?? MAX_PAGE_SIZE)))
    let pageToken: string | undefined
    const seen = new Set<string>()
    for (;;) {
      const page = await this.call(
        {
          operation: 'list spaces',
          method: 'GET',
          path: '/api/2.0/genie/spaces',
          query: { page_size: pageSize, page_token: pageToken }
        },
        GenieListSpacesResponseSchema
      )
      for (const space of page.spaces) yield space
      const next = page.next_page_token
      if (next === undefined || next === '') return
      if (seen.has(next)) {
        throw new GenieApiError({ operation: 'list spaces', detail: 'the API repeated a page token; stopping to avoid an endless listing' })
      }
      seen.add(next)
      pageToken = next
    }
  }

  async listAllSpaces(options: { pageSize?: number } = {}): Promise<GenieSpace[]> {
    const all: GenieSpace[] = []
    for await (const space of this.listSpaces(options)) all.push(space)
    return all
  }

  async getSpace(spaceId: string, options: { includeSerializedSpace?: boolean } = {}): Promise<GenieSpace> {
    const include = options.includeSerializedSpace ?? true
    return this.call(
      {
        operation: 'get space',
        spaceId,
        method: 'GET',
        path: `/api/2.0/genie/spaces/${seg(spaceId, 'space')}`,
        query: include ? { include_serialized_space: true } : undefined
      },
      GenieSpaceSchema
    )
  }

  async createSpace(request: CreateSpaceRequest): Promise<GenieSpace> {
    if (typeof request.serialized_space !== 'string') {
      throw new TypeError('createSpace: serialized_space must be a JSON string')
    }
    const body = definedOnly({ ...request })
    return this.withParentFolder(request.parent_path, () =>
      this.call({ operation: 'create space', method: 'POST', path: '/api/2.0/genie/spaces', body, idempotent: false }, GenieSpaceSchema)
    )
  }

  async updateSpace(spaceId: string, request: UpdateSpaceRequest): Promise<GenieSpace> {
    if (request.serialized_space !== undefined && typeof request.serialized_space !== 'string') {
      throw new TypeError('updateSpace: serialized_space must be a JSON string')
    }
    const body = definedOnly({ ...request })
    return this.withParentFolder(request.parent_path, () =>
      this.call(
        { operation: 'update space', spaceId, method: 'PATCH', path: `/api/2.0/genie/spaces/${seg(spaceId, 'space')}`, body, idempotent: true },
        GenieSpaceSchema
      )
    )
  }

  /** Moves the space to the trash. */
  async trashSpace(spaceId: string): Promise<void> {
    await this.call(
      { operation: 'trash space', spaceId, method: 'DELETE', path: `/api/2.0/genie/spaces/${seg(spaceId, 'space')}`, idempotent: true },
      EmptyResponseSchema
    )
  }

  /** Creates a workspace folder and its parents (no error if it exists). `retry: false`: one attempt. */
  async mkdirs(path: string, options: { retry?: boolean } = {}): Promise<void> {
    await this.call(
      { operation: `create folder ${path}`, method: 'POST', path: '/api/2.0/workspace/mkdirs', body: { path }, idempotent: options.retry !== false },
      EmptyResponseSchema
    )
  }

  // ---------------------------------------------------------------- workspace files
  // Deploy records and locks (see deploy/records.ts). Paths are absolute workspace paths, sent as
  // query parameters or JSON (never in the URL path). A missing path answers 404
  // RESOURCE_DOES_NOT_EXIST; the readers below turn exactly that into `undefined`.

  /** A workspace file's text, or undefined when there is none. */
  async readWorkspaceFile(path: string): Promise<string | undefined> {
    try {
      const res = await this.call(
        { operation: `read workspace file ${path}`, method: 'GET', path: '/api/2.0/workspace/export', query: { path, format: 'AUTO' } },
        WorkspaceExportResponseSchema
      )
      return Buffer.from(res.content, 'base64').toString('utf8')
    } catch (err) {
      if (isMissing(err)) return undefined
      throw err
    }
  }

  /**
   * Writes a workspace file (format AUTO, a file rather than a notebook). `overwrite: false` makes the
   * write fail with RESOURCE_ALREADY_EXISTS when the file exists — the atomic create a lock needs — and
   * is therefore not retried blindly (an ambiguous failure says so); `overwrite: true` is idempotent.
   */
  async writeWorkspaceFile(path: string, text: string, options: { overwrite: boolean; retry?: boolean }): Promise<void> {
    await this.call(
      {
        operation: `write workspace file ${path}`,
        method: 'POST',
        path: '/api/2.0/workspace/import',
        body: { path, format: 'AUTO', content: Buffer.from(text, 'utf8').toString('base64'), overwrite: options.overwrite },
        // `retry: false`: one attempt, and an unclear answer says so (the caller reads the file back)
        idempotent: options.overwrite && options.retry !== false
      },
      EmptyResponseSchema
    )
  }

  /** Deletes a workspace file; false when there was none. */
  async deleteWorkspaceFile(path: string): Promise<boolean> {
    try {
      await this.call(
        { operation: `delete workspace file ${path}`, method: 'POST', path: '/api/2.0/workspace/delete', body: { path, recursive: false }, idempotent: true },
        EmptyResponseSchema
      )
      return true
    } catch (err) {
      if (isMissing(err)) return false
      throw err
    }
  }

  /** What is at a workspace path, or undefined when nothing is. */
  async workspaceStatus(path: string): Promise<WorkspaceObjectInfo | undefined> {
    try {
      return await this.call(
        { operation: `get status of ${path}`, method: 'GET', path: '/api/2.0/workspace/get-status', query: { path } },
        WorkspaceObjectInfoSchema
      )
    } catch (err) {
      if (isMissing(err)) return undefined
      throw err
    }
  }

  async getPermissions(spaceId: string): Promise<ObjectPermissions> {
    return this.call(
      { operation: 'get permissions of space', spaceId, method: 'GET', path: `/api/2.0/permissions/genie/${seg(spaceId, 'space')}` },
      ObjectPermissionsSchema
    )
  }

  /** PATCH (add/change the listed entries) or, with `replace`, PUT (the list becomes the whole ACL). */
  async setPermissions(spaceId: string, acl: readonly AccessControlRequest[], options: { replace?: boolean } = {}): Promise<ObjectPermissions> {
    return this.call(
      {
        operation: 'set permissions of space',
        spaceId,
        method: options.replace ? 'PUT' : 'PATCH',
        path: `/api/2.0/permissions/genie/${seg(spaceId, 'space')}`,
        body: { access_control_list: acl },
        idempotent: true
      },
      ObjectPermissionsSchema
    )
  }

  // ---------------------------------------------------------------- Unity Catalog and warehouses (preflight)
  //
  // Read-only look-ups preflight makes before a write. Names are Unity Catalog full names without
  // backticks (`catalog.schema.table`; the caller unquotes them): the REST API takes the name as
  // one path segment and the docs say nothing of quoting, so a part holding a dot cannot be asked
  // for and is refused here. Errors are thrown as GenieApiError; what a 404 or 403 means is the
  // caller's call (the docs name TABLE_DOES_NOT_EXIST / FUNCTION_DOES_NOT_EXIST for a missing
  // object, and a missing catalog or schema may answer CATALOG_/SCHEMA_DOES_NOT_EXIST instead).

  async getTable(fullName: string): Promise<TableInfo> {
    return this.call(
      { operation: `get table ${fullName}`, method: 'GET', path: `/api/2.1/unity-catalog/tables/${seg(fullName, 'table name')}` },
      TableInfoSchema
    )
  }

  async getFunction(fullName: string): Promise<FunctionInfo> {
    return this.call(
      { operation: `get function ${fullName}`, method: 'GET', path: `/api/2.1/unity-catalog/functions/${seg(fullName, 'function name')}` },
      FunctionInfoSchema
    )
  }

  /** Effective privileges of one principal on a table (direct and inherited from its schema and catalog). */
  async getEffectivePermissions(securableType: 'table', fullName: string, principal: string): Promise<EffectivePermissions> {
    return this.call(
      {
        operation: `get effective permissions of ${principal} on ${fullName}`,
        method: 'GET',
        // securable_type in lower case, as the SDK's SecurableType values are written
        path: `/api/2.1/unity-catalog/effective-permissions/${securableType}/${seg(fullName, 'table name')}`,
        query: { principal }
      },
      EffectivePermissionsSchema
    )
  }

  async getWarehouse(warehouseId: string): Promise<WarehouseInfo> {
    return this.call(
      { operation: `get warehouse ${warehouseId}`, method: 'GET', path: `/api/2.0/sql/warehouses/${seg(warehouseId, 'warehouse id')}` },
      WarehouseInfoSchema
    )
  }

  /** The warehouse's access control list (`/api/2.0/permissions/warehouses/{id}`: CAN_USE, CAN_MONITOR, CAN_MANAGE, IS_OWNER). */
  async getWarehousePermissions(warehouseId: string): Promise<ObjectPermissions> {
    return this.call(
      { operation: `get permissions of warehouse ${warehouseId}`, method: 'GET', path: `/api/2.0/permissions/warehouses/${seg(warehouseId, 'warehouse id')}` },
      ObjectPermissionsSchema
    )
  }

  /** The levels that can be granted on the space (`…/permissionLevels`). */
  async permissionLevels(spaceId: string): Promise<PermissionLevels> {
    return this.call(
      { operation: 'get permission levels of space', spaceId, method: 'GET', path: `/api/2.0/permissions/genie/${seg(spaceId, 'space')}/permissionLevels` },
      PermissionLevelsSchema
    )
  }

  private me: Promise<CurrentUser> | undefined

  /**
   * The principal this client's credential belongs to (`GET /api/2.0/preview/scim/v2/Me`): the
   * deploying principal, whose CAN_MANAGE permissions as code keep. Asked once per client (a
   * client is one host and one credential); a failed answer is not kept.
   */
  async currentUser(): Promise<CurrentUser> {
    this.me ??= this.call({ operation: 'get current user', method: 'GET', path: '/api/2.0/preview/scim/v2/Me' }, CurrentUserSchema)
    try {
      return await this.me
    } catch (err) {
      this.me = undefined
      throw err
    }
  }

  // ---------------------------------------------------------------- conversations

  /** Asks a question in a new conversation. A 429 throws GenieRateLimitError (not retried here). */
  async startConversation(spaceId: string, content: string): Promise<GenieStartConversationResponse> {
    return this.call(
      {
        operation: 'start conversation',
        spaceId,
        method: 'POST',
        path: `/api/2.0/genie/spaces/${seg(spaceId, 'space')}/start-conversation`,
        body: { content },
        idempotent: false,
        rateLimit: 'surface'
      },
      GenieStartConversationResponseSchema
    )
  }

  /** Asks a follow-up question in a conversation. A 429 throws GenieRateLimitError (not retried here). */
  async createMessage(spaceId: string, conversationId: string, content: string): Promise<GenieMessage> {
    return this.call(
      {
        operation: 'create message',
        spaceId,
        method: 'POST',
        path: `${conversationPath(spaceId, conversationId)}/messages`,
        body: { content },
        idempotent: false,
        rateLimit: 'surface'
      },
      GenieMessageSchema
    )
  }

  async getMessage(spaceId: string, conversationId: string, messageId: string): Promise<GenieMessage> {
    return this.call({ operation: 'get message', spaceId, method: 'GET', path: messagePath(spaceId, conversationId, messageId) }, GenieMessageSchema)
  }

  /**
   * One page of the space's conversations (`include_all`: every user's, which needs CAN MANAGE;
   * otherwise the caller's own). The docs do not say how the list is ordered.
   */
  async listConversations(
    spaceId: string,
    options: { pageSize?: number; pageToken?: string; includeAll?: boolean } = {}
  ): Promise<GenieListConversationsResponse> {
    const query: Record<string, string> = {}
    if (options.pageSize !== undefined) query.page_size = String(Math.min(MAX_PAGE_SIZE, options.pageSize))
    if (options.pageToken !== undefined) query.page_token = options.pageToken
    if (options.includeAll) query.include_all = 'true'
    return this.call(
      { operation: 'list conversations', spaceId, method: 'GET', path: `/api/2.0/genie/spaces/${seg(spaceId, 'space')}/conversations`, query },
      GenieListConversationsResponseSchema
    )
  }

  /** Deletes a conversation (idempotent in effect: a second delete answers 404, which is not an error here). */
  async deleteConversation(spaceId: string, conversationId: string): Promise<void> {
    try {
      await this.call(
        { operation: 'delete conversation', spaceId, method: 'DELETE', path: conversationPath(spaceId, conversationId), idempotent: true },
        EmptyResponseSchema
      )
    } catch (err) {
      // a retried DELETE whose first attempt went through meets a 404: the conversation is gone either way
      if (isMissing(err)) return
      throw err
    }
  }

  async deleteMessage(spaceId: string, conversationId: string, messageId: string): Promise<void> {
    await this.call(
      { operation: 'delete message', spaceId, method: 'DELETE', path: messagePath(spaceId, conversationId, messageId), idempotent: true },
      EmptyResponseSchema
    )
  }

  async sendMessageFeedback(spaceId: string, conversationId: string, messageId: string, rating: GenieFeedbackRating): Promise<void> {
    await this.call(
      {
        operation: 'send message feedback',
        spaceId,
        method: 'POST',
        path: `${messagePath(spaceId, conversationId, messageId)}/feedback`,
        body: { rating },
        idempotent: true
      },
      EmptyResponseSchema
    )
  }

  /** One page of a conversation's messages. */
  async listMessages(
    spaceId: string,
    conversationId: string,
    options: { pageSize?: number; pageToken?: string } = {}
  ): Promise<GenieListConversationMessagesResponse> {
    const query: Record<string, string> = {}
    if (options.pageSize !== undefined) query.page_size = String(Math.min(MAX_PAGE_SIZE, options.pageSize))
    if (options.pageToken !== undefined) query.page_token = options.pageToken
    return this.call(
      { operation: 'list messages', spaceId, method: 'GET', path: `${conversationPath(spaceId, conversationId)}/messages`, query },
      GenieListConversationMessagesResponseSchema
    )
  }

  async getQueryResult(spaceId: string, conversationId: string, messageId: string, attachmentId: string): Promise<GenieGetMessageQueryResultResponse> {
    return this.call(
      {
        operation: 'get query result',
        spaceId,
        method: 'GET',
        path: `${messagePath(spaceId, conversationId, messageId)}/attachments/${seg(attachmentId, 'attachment id')}/query-result`
      },
      GenieGetMessageQueryResultResponseSchema
    )
  }

  /** Re-runs the query of an attachment (after QUERY_RESULT_EXPIRED). Idempotent: it only reads. */
  async executeQuery(spaceId: string, conversationId: string, messageId: string, attachmentId: string): Promise<GenieGetMessageQueryResultResponse> {
    return this.call(
      {
        operation: 'execute query',
        spaceId,
        method: 'POST',
        path: `${messagePath(spaceId, conversationId, messageId)}/attachments/${seg(attachmentId, 'attachment id')}/execute-query`,
        idempotent: true
      },
      GenieGetMessageQueryResultResponseSchema
    )
  }

  // ---------------------------------------------------------------- eval runs (Beta)

  /** Starts an evaluation run of the space's benchmark questions (all of them when none are named). */
  async createEvalRun(spaceId: string, questionIds?: readonly string[]): Promise<GenieEvalRunResponse> {
    return this.call(
      {
        operation: 'create eval run',
        spaceId,
        method: 'POST',
        path: `/api/2.0/genie/spaces/${seg(spaceId, 'space')}/eval-runs`,
        body: questionIds?.length ? { benchmark_question_ids: [...questionIds] } : {},
        idempotent: false
      },
      GenieEvalRunResponseSchema
    )
  }

  async getEvalRun(spaceId: string, evalRunId: string): Promise<GenieEvalRunResponse> {
    return this.call(
      { operation: 'get eval run', spaceId, method: 'GET', path: `/api/2.0/genie/spaces/${seg(spaceId, 'space')}/eval-runs/${seg(evalRunId, 'eval run id')}` },
      GenieEvalRunResponseSchema
    )
  }

  /** One page of the space's eval runs. */
  async listEvalRuns(spaceId: string, options: { pageSize?: number; pageToken?: string } = {}): Promise<GenieListEvalRunsResponse> {
    return this.call(
      {
        operation: 'list eval runs',
        spaceId,
        method: 'GET',
        path: `/api/2.0/genie/spaces/${seg(spaceId, 'space')}/eval-runs`,
        query: { page_size: options.pageSize, page_token: options.pageToken }
      },
      GenieListEvalRunsResponseSchema
    )
  }

  /** Every result of an eval run, page after page. */
  async listEvalResults(spaceId: string, evalRunId: string): Promise<GenieEvalResult[]> {
    const all: GenieEvalResult[] = []
    const seen = new Set<string>()
    let pageToken: string | undefined
    for (;;) {
      const page = await this.call(
        {
          operation: 'list eval results',
          spaceId,
          method: 'GET',
          path: `/api/2.0/genie/spaces/${seg(spaceId, 'space')}/eval-runs/${seg(evalRunId, 'eval run id')}/results`,
          query: { page_token: pageToken }
        },
        GenieListEvalResultsResponseSchema
      )
      all.push(...page.eval_results)
      const next = page.next_page_token
      if (next === undefined || next === '') return all
      if (seen.has(next)) {
        throw new GenieApiError({ operation: 'list eval results', spaceId, detail: 'the API repeated a page token; stopping to avoid an endless listing' })
      }
      seen.add(next)
      pageToken = next
    }
  }

  async getEvalResult(spaceId: string, evalRunId: string, resultId: string): Promise<GenieEvalResultDetails> {
    return this.call(
      {
        operation: 'get eval result',
        spaceId,
        method: 'GET',
        path: `/api/2.0/genie/spaces/${seg(spaceId, 'space')}/eval-runs/${seg(evalRunId, 'eval run id')}/results/${seg(resultId, 'eval result id')}`
      },
      GenieEvalResultDetailsSchema
    )
  }

  // ---------------------------------------------------------------- SQL statements

  /** Runs SQL on a warehouse. A FAILED statement still answers HTTP 200 with `status.state = FAILED`. */
  async executeStatement(request: ExecuteStatementRequest): Promise<StatementResponse> {
    return this.call(
      { operation: 'execute statement', method: 'POST', path: '/api/2.0/sql/statements', body: definedOnly({ ...request }), idempotent: false },
      StatementResponseSchema
    )
  }

  async getStatement(statementId: string): Promise<StatementResponse> {
    return this.call(
      { operation: `get statement ${statementId}`, method: 'GET', path: `/api/2.0/sql/statements/${seg(statementId, 'statement id')}` },
      StatementResponseSchema
    )
  }

  /** A further chunk of an INLINE result (`next_chunk_index`). */
  async getStatementResultChunk(statementId: string, chunkIndex: number): Promise<ResultData> {
    return this.call(
      {
        operation: `get statement ${statementId} result chunk ${chunkIndex}`,
        method: 'GET',
        path: `/api/2.0/sql/statements/${seg(statementId, 'statement id')}/result/chunks/${seg(chunkIndex, 'chunk index')}`
      },
      ResultDataSchema
    )
  }

  async cancelStatement(statementId: string): Promise<void> {
    await this.call(
      {
        operation: `cancel statement ${statementId}`,
        method: 'POST',
        path: `/api/2.0/sql/statements/${seg(statementId, 'statement id')}/cancel`,
        idempotent: true
      },
      EmptyResponseSchema
    )
  }

  /** The request through a view of the transport that hands a 429 back instead of retrying it. */
  private async requestSurfacingRateLimit(req: HttpRequest): Promise<unknown> {
    this.surfacingTransport ??= rateLimitSurfacingTransport(this.transport)
    try {
      return await this.surfacingTransport.request(req)
    } catch (err) {
      if (!(err instanceof DeferredRetry)) throw err
      const advised = err.waitMs > 0 ? err.waitMs : undefined
      throw new GenieRateLimitError({
        operation: req.operation,
        spaceId: req.spaceId,
        status: 429,
        detail: 'too many requests',
        note: advised !== undefined ? `Retry-After ${formatDuration(advised)}` : 'no Retry-After',
        ...(advised !== undefined ? { retryAfterMs: advised } : {}),
        secrets: this.transport.secrets
      })
    }
  }

  /** Runs `op`; if it failed because `parentPath` does not exist, creates it and runs `op` once more. */
  private async withParentFolder<T>(parentPath: string | undefined, op: () => Promise<T>): Promise<T> {
    try {
      return await op()
    } catch (err) {
      if (parentPath === undefined || !isMissingParentFolderError(err)) throw err
      // a step of the work, not a failure: said after it is done, in the words of the result
      await this.mkdirs(parentPath)
      this.transport.logger.info(`made the folder ${parentPath} for the space`)
      return op()
    }
  }
}

/** 404 (any code: RESOURCE_DOES_NOT_EXIST, NOT_FOUND) or 400 "Tree node with path '…' does not exist". */
export function isMissingParentFolderError(err: unknown): boolean {
  if (!(err instanceof GenieApiError) || err.status === undefined) return false
  if (err.status === 404) return true
  return err.status === 400 && /tree node with path .* does not exist/i.test(err.apiMessage)
}

/** Thrown by the surfacing view's `sleep` in place of waiting: the transport wanted to retry a 429. */
class DeferredRetry extends Error {
  constructor(readonly waitMs: number) {
    super('rate limited')
  }
}

/**
 * A view of `base` (same fetch, auth, secrets, clock; `Object.create` keeps every field) whose retry
 * policy hands the first 429 back to the caller: with two attempts allowed and no total budget, a
 * 429 — the only outcome the transport retries for a non-idempotent POST — leads to exactly one
 * `sleep(wait)`, where `wait` is the Retry-After (uncapped here; zero base delay makes "no
 * Retry-After" read as 0). That sleep throws DeferredRetry instead of waiting. Other failures keep
 * the transport's behaviour (a POST's 5xx or lost connection is not retried and is `ambiguous`).
 * The transport's "retrying in …" line is demoted to debug: the caller logs its own.
 */
function rateLimitSurfacingTransport(base: HttpTransport): HttpTransport {
  const logger: Logger = {
    debug: (m) => base.logger.debug(m),
    info: (m) => base.logger.debug(m),
    warn: (m) => base.logger.warn(m),
    error: (m) => base.logger.error(m)
  }
  return Object.create(base, {
    retry: {
      value: { ...base.retry, maxAttempts: 2, maxTotalMs: Number.POSITIVE_INFINITY, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: Number.POSITIVE_INFINITY }
    },
    sleep: { value: (ms: number) => Promise.reject(new DeferredRetry(ms)) },
    // its caller paces a 429 itself (the sleep above never waits): no shared pause; the run's
    // retry budget stays shared with the base transport
    shared: {
      value: {
        pausedUntil: 0,
        pauses: false,
        get retriesUsed() {
          return base.shared.retriesUsed
        },
        set retriesUsed(n: number) {
          base.shared.retriesUsed = n
        }
      } satisfies SharedRetryState
    },
    logger: { value: logger }
  }) as HttpTransport
}

function conversationPath(spaceId: string, conversationId: string): string {
  return `/api/2.0/genie/spaces/${seg(spaceId, 'space')}/conversations/${seg(conversationId, 'conversation id')}`
}

function messagePath(spaceId: string, conversationId: string, messageId: string): string {
  return `${conversationPath(spaceId, conversationId)}/messages/${seg(messageId, 'message id')}`
}

/** 404 RESOURCE_DOES_NOT_EXIST (or a bare 404): the path is not there. */
function isMissing(err: unknown): boolean {
  return (
    err instanceof GenieApiError &&
    err.status === 404 &&
    (err.errorCode === undefined || err.errorCode === 'RESOURCE_DOES_NOT_EXIST' || err.errorCode === 'NOT_FOUND')
  )
}

import { checkSpaceId } from './space-id.js'
export { SPACE_ID, checkSpaceId } from './space-id.js'

/**
 * The ONE way a value becomes a path segment of an API URL: space ids must be space ids; every other
 * id (conversation, message, attachment, eval run, result, statement — shapes the docs do not give)
 * must be 1–256 printable characters and not `.` or `..` (which URL parsing would resolve, with or
 * without percent-encoding, into a different path). Then it is percent-encoded.
 */
type Segment =
  | 'space'
  | 'conversation id'
  | 'message id'
  | 'attachment id'
  | 'eval run id'
  | 'eval result id'
  | 'statement id'
  | 'chunk index'
  | 'warehouse id'
  | UcName
/** Unity Catalog full names: exactly three non-empty dot-separated parts, no backticks. */
type UcName = 'table name' | 'function name'

function seg(value: string | number, what: Segment): string {
  if (what === 'space') return encodeURIComponent(checkSpaceId(value, 'space id'))
  if (what === 'table name' || what === 'function name') {
    const name = String(value)
    const parts = name.split('.')
    const bad =
      parts.length !== 3 || parts.some((p) => p.trim() === '')
        ? 'is not catalog.schema.name (three non-empty parts)'
        : name.includes('`')
          ? 'holds a backtick (give the name unquoted)'
          : /[\u0000-\u001f\u007f-\u009f]/.test(name) || name.length > 768
            ? 'holds a control character or is too long'
            : undefined
    if (bad) throw new SpaceOpsError(`${what} ${JSON.stringify(name.slice(0, 80))} ${bad}`)
    return encodeURIComponent(name)
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new SpaceOpsError(`${what}: ${value} is not a whole number`)
    return String(value)
  }
  const bad =
    value === ''
      ? 'is empty'
      : value.length > 256
        ? 'is longer than 256 characters'
        : value === '.' || value === '..'
          ? 'is a relative path segment'
          : /[\u0000-\u001f\u007f-\u009f]/.test(value)
            ? 'holds a control character'
            : undefined
  if (bad) throw new SpaceOpsError(`${what} ${JSON.stringify(value.slice(0, 40))} ${bad}`)
  return encodeURIComponent(value)
}

function definedOnly<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {}
  for (const [k, v] of Object.entries(o) as [keyof T, T[keyof T]][]) {
    if (v !== undefined) out[k] = v
  }
  return out
}

function summarizeIssues(error: z.ZodError): string {
  const first = error.issues.slice(0, 3).map((i) => {
    const where = i.path.length > 0 ? i.path.map(String).join('.') : '(root)'
    return `${where}: ${i.message}`
  })
  const more = error.issues.length > 3 ? ` (+${error.issues.length - 3} more)` : ''
  return `${first.join('; ')}${more}`
}
