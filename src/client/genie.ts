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
 */
import type { z } from 'zod'
import { GenieApiError } from './errors.js'
import { normalizeHost } from './hosts.js'
import { HttpTransport, type HttpMethod, type HttpRequest, type TransportOptions } from './http.js'
import type { AuthProvider } from './auth.js'
import {
  EmptyResponseSchema,
  GenieListSpacesResponseSchema,
  GenieSpaceSchema,
  ObjectPermissionsSchema,
  type AccessControlRequest,
  type GenieSpace,
  type ObjectPermissions
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
    const raw = await this.transport.request(req)
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

  getSpace(spaceId: string, options: { includeSerializedSpace?: boolean } = {}): Promise<GenieSpace> {
    const include = options.includeSerializedSpace ?? true
    return this.call(
      {
        operation: 'get space',
        spaceId,
        method: 'GET',
        path: `/api/2.0/genie/spaces/${seg(spaceId)}`,
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
        { operation: 'update space', spaceId, method: 'PATCH', path: `/api/2.0/genie/spaces/${seg(spaceId)}`, body, idempotent: true },
        GenieSpaceSchema
      )
    )
  }

  /** Moves the space to the trash. */
  async trashSpace(spaceId: string): Promise<void> {
    await this.call(
      { operation: 'trash space', spaceId, method: 'DELETE', path: `/api/2.0/genie/spaces/${seg(spaceId)}`, idempotent: true },
      EmptyResponseSchema
    )
  }

  /** Creates a workspace folder and its parents (no error if it exists). */
  async mkdirs(path: string): Promise<void> {
    await this.call(
      { operation: `create folder ${path}`, method: 'POST', path: '/api/2.0/workspace/mkdirs', body: { path }, idempotent: true },
      EmptyResponseSchema
    )
  }

  getPermissions(spaceId: string): Promise<ObjectPermissions> {
    return this.call(
      { operation: 'get permissions of space', spaceId, method: 'GET', path: `/api/2.0/permissions/genie/${seg(spaceId)}` },
      ObjectPermissionsSchema
    )
  }

  /** PATCH (add/change the listed entries) or, with `replace`, PUT (the list becomes the whole ACL). */
  setPermissions(spaceId: string, acl: readonly AccessControlRequest[], options: { replace?: boolean } = {}): Promise<ObjectPermissions> {
    return this.call(
      {
        operation: 'set permissions of space',
        spaceId,
        method: options.replace ? 'PUT' : 'PATCH',
        path: `/api/2.0/permissions/genie/${seg(spaceId)}`,
        body: { access_control_list: acl },
        idempotent: true
      },
      ObjectPermissionsSchema
    )
  }

  /** Runs `op`; if it failed because `parentPath` does not exist, creates it and runs `op` once more. */
  private async withParentFolder<T>(parentPath: string | undefined, op: () => Promise<T>): Promise<T> {
    try {
      return await op()
    } catch (err) {
      if (parentPath === undefined || !isMissingParentFolderError(err)) throw err
      this.transport.logger.info(`Folder ${parentPath} does not exist; creating it and trying again`)
      await this.mkdirs(parentPath)
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

function seg(id: string): string {
  if (id.trim() === '') throw new TypeError('space id is empty')
  return encodeURIComponent(id)
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
