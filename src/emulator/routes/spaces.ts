/**
 * Genie space management (genie-api.md, "Spaces (management)"; response fields from
 * genie-wire-shapes.md, GenieSpace and GenieListSpacesResponse).
 */
import { acceptSerializedSpace, DocumentError, parseStored } from '../document.js'
import type { RouteEnv } from '../env.js'
import { ApiError, invalidParameter, isPlainObject, jsonBody, jsonType, ok, optionalString, rfc3339 } from '../http.js'
import type { Router } from '../router.js'
import { callerOf, canSee, isServicePrincipalName } from '../access.js'
import { toWorkspacePath, type SpaceRecord } from '../state.js'

const BASE = '/api/2.0/genie/spaces'

/**
 * Title when a create request has none. The docs are silent; the SDK marks `title` required in
 * responses, so the backend must fill one in. "New Space" is a guess at the UI's default name.
 */
export const DEFAULT_TITLE = 'New Space'

/** The error for an unknown or trashed space (404 by default; 403 as an option, see Behaviour). */
export function missingSpace(env: RouteEnv, id: string): ApiError {
  if (env.behaviour.missingSpaceStatus === 403) {
    // genie-api.md: "A deleted or unknown space may answer 403 rather than 404 (unconfirmed)". Wording is a guess.
    return new ApiError(403, 'PERMISSION_DENIED', `You do not have permission to access Genie space ${id}, or it does not exist.`)
  }
  // Wording is a guess; the code is one of the two the docs name (NOT_FOUND / RESOURCE_DOES_NOT_EXIST).
  return new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `Genie space ${id} does not exist.`)
}

export function requireSpace(env: RouteEnv, id: string): SpaceRecord {
  const space = env.state.getSpace(id)
  if (!space) throw missingSpace(env, id)
  return space
}

/** The GenieSpace JSON. `serialized_space` and `etag` only together (genie-api.md: "etag is only returned together with it"). */
export function spaceView(space: SpaceRecord, includeDocument: boolean): Record<string, string> {
  const out: Record<string, string> = { space_id: space.space_id, title: space.title }
  if (space.description !== '') out['description'] = space.description
  out['warehouse_id'] = space.warehouse_id
  out['parent_path'] = space.parent_path
  if (includeDocument) {
    out['serialized_space'] = space.serialized_space
    out['etag'] = space.etag
  }
  out['create_time'] = rfc3339(space.create_time)
  out['update_time'] = rfc3339(space.update_time)
  return out
}

function acceptDocument(env: RouteEnv, serialized: string): string {
  try {
    return acceptSerializedSpace(serialized, { limits: env.limits, rejectV1FlagsInV2: env.behaviour.rejectV1FlagsInV2 })
  } catch (err) {
    if (err instanceof DocumentError) throw invalidParameter(err.message)
    throw err
  }
}

function serializedSpaceField(body: Record<string, unknown>): string | undefined {
  const v = body['serialized_space']
  if (v === undefined || v === null) return undefined
  // genie-api.md: "serialized_space (required, a JSON **string**)"
  if (typeof v !== 'string') {
    throw invalidParameter(`Invalid value for field serialized_space: expected a JSON string, got ${jsonType(v)}`)
  }
  return v === '' ? undefined : v
}

/**
 * Validate a parent_path and return what is stored. Folder existence per genie-api.md: "A missing
 * `parent_path` folder fails with 404 RESOURCE_DOES_NOT_EXIST or 400 INVALID_PARAMETER_VALUE
 * ("Tree node with path '…' does not exist"), depending on backend version".
 */
function checkParentPath(env: RouteEnv, given: string): string {
  if (!given.startsWith('/') || given.split('/').some((seg) => seg === '..' || seg === '.')) {
    throw invalidParameter(`Invalid parent_path '${given}': must be an absolute workspace path`)
  }
  const trimmed = given.length > 1 && given.endsWith('/') ? given.slice(0, -1) : given
  if (!env.state.folderExists(trimmed)) {
    const message = `Tree node with path '${trimmed}' does not exist`
    if (env.behaviour.missingParentStatus === 400) throw invalidParameter(message)
    throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', message)
  }
  // genie-api.md: "parent_path may come back without the /Workspace prefix".
  if (env.behaviour.parentPathStyle === 'strip-workspace') {
    const full = toWorkspacePath(trimmed)
    return full === '/Workspace' ? '/' : full.slice('/Workspace'.length)
  }
  return trimmed
}

function parsePageSize(env: RouteEnv, raw: string | null): number {
  if (raw === null || raw === '') return env.limits.defaultPageSize
  if (!/^\d+$/.test(raw)) throw invalidParameter(`Invalid page_size '${raw}': must be a non-negative integer`)
  const n = Number(raw)
  if (n === 0) return env.limits.defaultPageSize
  // genie-api.md: "page_size ≤ 100 (default 20)". Wording is a guess.
  if (n > env.limits.maxPageSize) throw invalidParameter(`page_size must be at most ${env.limits.maxPageSize}, got ${n}`)
  return n
}

/** Page tokens are opaque to clients: base64url of the creation sequence number of the last item sent. */
function encodePageToken(seq: number): string {
  return Buffer.from(`genie-spaces:${seq}`).toString('base64url')
}
function decodePageToken(token: string): number {
  const m = /^genie-spaces:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'))
  if (!m) throw invalidParameter(`Invalid page_token '${token}'`)
  return Number(m[1])
}

function parseIncludeFlag(raw: string | null): boolean {
  if (raw === null || raw === '' || raw.toLowerCase() === 'false') return false
  if (raw.toLowerCase() === 'true') return true
  throw invalidParameter(`Invalid value for include_serialized_space: '${raw}' (expected true or false)`)
}

/** Simulates an edit in the Genie UI (POST /_emulator/spaces/{id}/edit): see routes/admin.ts. */
export function uiEdit(env: RouteEnv, id: string, body: Record<string, unknown>): SpaceRecord {
  const space = requireSpace(env, id)
  const title = optionalString(body, 'title')
  const description = optionalString(body, 'description')
  const warehouseId = optionalString(body, 'warehouse_id')
  let serialized: string | undefined
  const rawDoc = body['serialized_space']
  if (isPlainObject(rawDoc)) serialized = acceptDocument(env, JSON.stringify(rawDoc))
  else if (rawDoc !== undefined) {
    const s = serializedSpaceField(body)
    if (s !== undefined) serialized = acceptDocument(env, s)
  }
  const question = optionalString(body, 'add_sample_question')
  const nothingElse = title === undefined && description === undefined && warehouseId === undefined && serialized === undefined
  if (question !== undefined || nothingElse) {
    // The default edit: a sample question added in the UI, with a server-made id, kept sorted.
    const doc = parseStored(serialized ?? space.serialized_space)
    const config = isPlainObject(doc['config']) ? doc['config'] : {}
    const list = Array.isArray(config['sample_questions']) ? (config['sample_questions'] as unknown[]) : []
    list.push({ id: env.state.newSpaceId(), question: [question ?? 'What changed in the Genie UI?'] })
    list.sort((a, b) => {
      const x = isPlainObject(a) ? String(a['id']) : ''
      const y = isPlainObject(b) ? String(b['id']) : ''
      return x < y ? -1 : x > y ? 1 : 0
    })
    config['sample_questions'] = list as never
    doc['config'] = config
    serialized = acceptDocument(env, JSON.stringify(doc))
  }
  const updated: SpaceRecord = {
    ...space,
    title: title ?? space.title,
    description: description ?? space.description,
    warehouse_id: warehouseId ?? space.warehouse_id,
    serialized_space: serialized ?? space.serialized_space,
    etag: env.state.newEtag(),
    update_time: env.clock()
  }
  env.state.putSpace(updated)
  return updated
}

export function registerSpaceRoutes(router: Router, env: RouteEnv): void {
  router.add({
    method: 'GET',
    pattern: BASE,
    op: 'list',
    handler: (req) => {
      const pageSize = parsePageSize(env, req.query.get('page_size'))
      const token = req.query.get('page_token')
      const after = token ? decodePageToken(token) : 0
      // only the spaces the caller can see (access.ts)
      const caller = callerOf(env, req.headers)
      const rest = env.state.liveSpaces().filter((s) => s.seq > after && canSee(s, caller))
      const page = rest.slice(0, pageSize)
      const out: Record<string, unknown> = {}
      // Choice: an empty list omits `spaces` (proto3 JSON drops empty repeated fields; the SDK marks it optional).
      // List items never carry serialized_space, and so never etag either.
      if (page.length > 0) out['spaces'] = page.map((s) => spaceView(s, false))
      const last = page[page.length - 1]
      if (rest.length > page.length && last) out['next_page_token'] = encodePageToken(last.seq)
      return ok(out)
    }
  })

  router.add({
    method: 'GET',
    pattern: `${BASE}/{space_id}`,
    op: 'get',
    handler: (req) => {
      const include = parseIncludeFlag(req.query.get('include_serialized_space'))
      const space = requireSpace(env, req.params['space_id'] ?? '')
      return ok(spaceView(space, include))
    }
  })

  router.add({
    method: 'POST',
    pattern: BASE,
    op: 'create',
    handler: (req) => {
      const body = jsonBody(req.rawBody)
      const warehouseId = optionalString(body, 'warehouse_id')
      if (warehouseId === undefined) throw invalidParameter('Missing required field: warehouse_id')
      const serialized = serializedSpaceField(body)
      if (serialized === undefined) throw invalidParameter('Missing required field: serialized_space')
      const title = optionalString(body, 'title') ?? DEFAULT_TITLE
      const description = optionalString(body, 'description') ?? ''
      const givenParent = optionalString(body, 'parent_path')
      const stored = acceptDocument(env, serialized)
      // Default folder: the caller's home, stored without the /Workspace prefix (as the Databricks
      // CLI's test server does, "matches cloud behavior").
      const caller = callerOf(env, req.headers)
      const parentPath = givenParent === undefined ? `/Users/${caller.userName}` : checkParentPath(env, givenParent)
      const now = env.clock()
      const space: SpaceRecord = {
        space_id: env.state.newSpaceId(),
        title,
        description,
        warehouse_id: warehouseId,
        parent_path: parentPath,
        serialized_space: stored,
        etag: env.state.newEtag(),
        create_time: now,
        update_time: now,
        seq: env.state.takeSeq(),
        // the creator gets CAN MANAGE (a service principal by its application id)
        acl: [{ kind: isServicePrincipalName(caller.userName) ? 'service_principal_name' : 'user_name', name: caller.userName, permission_level: 'CAN_MANAGE' }]
      }
      env.state.putSpace(space)
      return ok(spaceView(space, true))
    }
  })

  router.add({
    method: 'PATCH',
    pattern: `${BASE}/{space_id}`,
    op: 'update',
    handler: (req) => {
      const space = requireSpace(env, req.params['space_id'] ?? '')
      const body = jsonBody(req.rawBody)
      // genie-api.md: "every field optional; … `etag` optional (stale etag → 409)". Absent/'' = unconditional.
      const etag = optionalString(body, 'etag')
      if (etag !== undefined && etag !== space.etag) {
        throw new ApiError(
          409,
          'RESOURCE_CONFLICT',
          `The Genie space ${space.space_id} was modified since etag '${etag}' was read. Get the space again and retry.`
        )
      }
      // Choice (as proto3, and the Databricks CLI test server): '' means "not set", so a field cannot be cleared.
      const title = optionalString(body, 'title')
      const description = optionalString(body, 'description')
      const warehouseId = optionalString(body, 'warehouse_id')
      const serialized = serializedSpaceField(body)
      const givenParent = optionalString(body, 'parent_path')
      // Everything is validated before anything is applied.
      const stored = serialized === undefined ? undefined : acceptDocument(env, serialized)
      const parentPath = givenParent === undefined ? undefined : checkParentPath(env, givenParent)
      const updated: SpaceRecord = {
        ...space,
        title: title ?? space.title,
        description: description ?? space.description,
        warehouse_id: warehouseId ?? space.warehouse_id,
        // "serialized_space replaces the whole content"
        serialized_space: stored ?? space.serialized_space,
        parent_path: parentPath ?? space.parent_path,
        // The etag changes on every successful write, even one that changes nothing.
        etag: env.state.newEtag(),
        update_time: env.clock()
      }
      env.state.putSpace(updated)
      return ok(spaceView(updated, true))
    }
  })

  router.add({
    method: 'DELETE',
    pattern: `${BASE}/{space_id}`,
    op: 'trash',
    handler: (req) => {
      const id = req.params['space_id'] ?? ''
      // "moves to trash": kept in the trash (GET /_emulator/state shows it), gone from the API.
      if (!env.state.trashSpace(id, env.clock())) throw missingSpace(env, id)
      return ok({})
    }
  })
}
