/**
 * Who is calling, and may they do this to that space. Genie space permission levels as the docs
 * describe them: CAN VIEW sees the space; CAN RUN may converse with it; CAN EDIT may read and change
 * its content (reading `serialized_space` needs CAN EDIT); CAN MANAGE may also change its permissions
 * and trash it.
 *
 * Callers: a token mapped to a user (`--user TOKEN=NAME[:GROUP,…]`, AuthOptions.users) is that
 * user, held to the space's direct grants (by user name or service principal application id, and
 * by the groups given). Every other accepted token (and every token the OAuth endpoint issued) is
 * the emulator's own user, a workspace admin (the `admins` group inherits CAN MANAGE on every space),
 * so tests that map no token see no difference. A mapped user in the `admins` group is an admin too.
 *
 * Choices where the docs are silent: a user without any grant on a space is told PERMISSION_DENIED
 * (403), not "does not exist"; eval runs need CAN EDIT (they are the space's benchmarks, edited by
 * editors); the list of spaces shows only spaces the caller can see. The message wording is a guess.
 */
import type { IncomingHttpHeaders } from 'node:http'
import { bearerToken } from './auth.js'
import type { RouteEnv } from './env.js'
import { ApiError } from './http.js'
import type { PermissionLevel, SpaceRecord } from './state.js'

export interface EmulatorUser {
  userName: string
  groups?: string[]
}

export interface Caller {
  userName: string
  groups: string[]
  /** a workspace admin: CAN MANAGE on every space, inherited */
  admin: boolean
}

const RANK: Record<PermissionLevel, number> = { CAN_VIEW: 1, CAN_RUN: 2, CAN_EDIT: 3, CAN_MANAGE: 4 }
const WORDS: Record<PermissionLevel, string> = { CAN_VIEW: 'CAN VIEW', CAN_RUN: 'CAN RUN', CAN_EDIT: 'CAN EDIT', CAN_MANAGE: 'CAN MANAGE' }

/** The Databricks CLI tells a service principal by its userName being a UUID (its application id). */
export const isServicePrincipalName = (name: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(name)

export function callerOf(env: RouteEnv, headers: IncomingHttpHeaders): Caller {
  const token = bearerToken(headers)
  const user = token !== undefined && env.auth.users && Object.hasOwn(env.auth.users, token) ? env.auth.users[token] : undefined
  if (!user) return { userName: env.state.userName, groups: ['admins', 'users'], admin: true }
  const groups = user.groups ?? []
  return { userName: user.userName, groups: [...groups, 'users'], admin: groups.includes('admins') }
}

/** The caller's level on a space: the highest direct grant that names them (or a group of theirs); admins CAN_MANAGE. */
export function levelOn(space: SpaceRecord, caller: Caller): PermissionLevel | undefined {
  if (caller.admin) return 'CAN_MANAGE'
  let best: PermissionLevel | undefined
  for (const e of space.acl) {
    const mine =
      e.kind === 'group_name'
        ? caller.groups.includes(e.name)
        : e.kind === 'user_name'
          ? e.name.toLowerCase() === caller.userName.toLowerCase()
          : e.name === caller.userName
    if (mine && (!best || RANK[e.permission_level] > RANK[best])) best = e.permission_level
  }
  return best
}

export function canSee(space: SpaceRecord, caller: Caller): boolean {
  return levelOn(space, caller) !== undefined
}

/** Throws the 403 the real API answers when the caller's level on the space is below `needed`. */
export function requireLevel(space: SpaceRecord, caller: Caller, needed: PermissionLevel, action: string): void {
  const has = levelOn(space, caller)
  if (has && RANK[has] >= RANK[needed]) return
  throw new ApiError(
    403,
    'PERMISSION_DENIED',
    `User ${caller.userName} does not have ${WORDS[needed]} permission on Genie space ${space.space_id} (needed to ${action}).`
  )
}

/**
 * The level each space operation needs (route op → level, what it does). `get` depends on the
 * request: reading serialized_space needs CAN EDIT, the metadata alone CAN VIEW.
 */
const NEEDS: Record<string, [PermissionLevel, string]> = {
  get: ['CAN_VIEW', 'read the space'],
  update: ['CAN_EDIT', 'change the space'],
  trash: ['CAN_MANAGE', 'trash the space'],
  'permissions-get': ['CAN_MANAGE', 'read its permissions'],
  'permissions-set': ['CAN_MANAGE', 'set its permissions'],
  'permissions-update': ['CAN_MANAGE', 'change its permissions'],
  'permission-levels': ['CAN_VIEW', 'list its permission levels'],
  'start-conversation': ['CAN_RUN', 'converse with it'],
  'create-message': ['CAN_RUN', 'converse with it'],
  'list-conversations': ['CAN_RUN', 'list its conversations'],
  'delete-conversation': ['CAN_RUN', 'delete a conversation'],
  'list-messages': ['CAN_RUN', 'read a conversation'],
  'delete-message': ['CAN_RUN', 'delete a message'],
  'message-feedback': ['CAN_RUN', 'rate a message'],
  'get-message': ['CAN_RUN', 'read a conversation'],
  'query-result': ['CAN_RUN', 'read a query result'],
  'execute-query': ['CAN_RUN', 'run a query'],
  'eval-create': ['CAN_EDIT', 'run its benchmarks'],
  'eval-list': ['CAN_EDIT', 'list its evaluation runs'],
  'eval-get': ['CAN_EDIT', 'read an evaluation run'],
  'eval-results': ['CAN_EDIT', 'read evaluation results'],
  'eval-result': ['CAN_EDIT', 'read an evaluation result']
}

/**
 * The check before a space route's handler (server.ts): the space named by `space_id`, when it
 * exists (an unknown space is the handler's 404), must grant the caller what the op needs.
 */
export function authorizeSpaceOp(
  env: RouteEnv,
  op: string,
  params: Readonly<Record<string, string>>,
  query: URLSearchParams,
  headers: IncomingHttpHeaders
): void {
  const need = Object.hasOwn(NEEDS, op) ? NEEDS[op] : undefined
  const id = params['space_id']
  if (!need || id === undefined) return
  const space = env.state.getSpace(id)
  if (!space) return
  const caller = callerOf(env, headers)
  if (op === 'get' && query.get('include_serialized_space')?.toLowerCase() === 'true') {
    requireLevel(space, caller, 'CAN_EDIT', 'read its serialized_space')
    return
  }
  requireLevel(space, caller, need[0], need[1])
}
