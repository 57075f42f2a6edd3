/**
 * Genie space permissions (genie-api.md: `/api/2.0/permissions/genie/{space_id}`, levels CAN_MANAGE,
 * CAN_EDIT, CAN_RUN, CAN_VIEW), shaped like the generic Permissions API:
 *   GET   → {object_id, object_type, access_control_list: [{user_name|group_name|service_principal_name,
 *            all_permissions: [{permission_level, inherited, inherited_from_object?}]}]}
 *   PUT   → replaces the direct grants; PATCH → adds/changes grants per principal.
 * Request body: {access_control_list: [{user_name|group_name|service_principal_name, permission_level}]}.
 * Choices (docs silent): object_id is `/genie/<id>`, object_type `genie`; the workspace `admins`
 * group always shows CAN_MANAGE, inherited (as real workspaces show it); PUT can remove the creator.
 */
import type { RouteEnv } from '../env.js'
import { invalidParameter, isPlainObject, jsonBody, ok } from '../http.js'
import type { Router } from '../router.js'
import { PERMISSION_LEVELS, PRINCIPAL_KINDS, type AclEntry, type PermissionLevel, type SpaceRecord } from '../state.js'
import { requireSpace } from './spaces.js'

function view(space: SpaceRecord): Record<string, unknown> {
  const direct = space.acl.map((e) => ({
    [e.kind]: e.name,
    all_permissions: [{ permission_level: e.permission_level, inherited: false }]
  }))
  return {
    object_id: `/genie/${space.space_id}`,
    object_type: 'genie',
    access_control_list: [
      ...direct,
      { group_name: 'admins', all_permissions: [{ permission_level: 'CAN_MANAGE', inherited: true, inherited_from_object: ['/directories/'] }] }
    ]
  }
}

function parseAcl(rawBody: string): AclEntry[] {
  const body = jsonBody(rawBody)
  const list = body['access_control_list']
  if (list === undefined) return []
  if (!Array.isArray(list)) throw invalidParameter('access_control_list must be an array')
  return list.map((item: unknown, i): AclEntry => {
    if (!isPlainObject(item)) throw invalidParameter(`access_control_list[${i}] must be an object`)
    const principals = PRINCIPAL_KINDS.filter((k) => item[k] !== undefined)
    if (principals.length !== 1) {
      throw invalidParameter(`access_control_list[${i}] must set exactly one of user_name, group_name, service_principal_name`)
    }
    const kind = principals[0] as AclEntry['kind']
    const name = item[kind]
    if (typeof name !== 'string' || name === '') throw invalidParameter(`access_control_list[${i}].${kind} must be a non-empty string`)
    const level = item['permission_level']
    if (typeof level !== 'string' || !(PERMISSION_LEVELS as readonly string[]).includes(level)) {
      throw invalidParameter(`Invalid permission level ${JSON.stringify(level)} for genie space; allowed: ${PERMISSION_LEVELS.join(', ')}`)
    }
    // The admins group's CAN_MANAGE cannot be lowered (the Terraform provider drops such entries for
    // that reason); the exact error of the real API is not documented — refused here, never easier.
    if (kind === 'group_name' && name === 'admins' && level !== 'CAN_MANAGE') {
      throw invalidParameter(`access_control_list[${i}]: the permissions of the admins group cannot be lowered from CAN_MANAGE`)
    }
    return { kind, name, permission_level: level as PermissionLevel }
  })
}

function merge(base: AclEntry[], changes: AclEntry[]): AclEntry[] {
  const out = [...base]
  for (const c of changes) {
    const i = out.findIndex((e) => e.kind === c.kind && e.name === c.name)
    if (i >= 0) out[i] = c
    else out.push(c)
  }
  return out
}

/**
 * `…/permissionLevels` as the generic Permissions API answers it. The descriptions are a guess (the
 * docs list the levels only).
 */
const LEVEL_DESCRIPTIONS: Record<PermissionLevel, string> = {
  CAN_MANAGE: 'Can manage the space: edit, share, delete',
  CAN_EDIT: 'Can edit the space: instructions, data, benchmarks',
  CAN_RUN: 'Can ask questions (converse with the space)',
  CAN_VIEW: 'Can view the space'
}

export function registerPermissionRoutes(router: Router, env: RouteEnv): void {
  const pattern = '/api/2.0/permissions/genie/{space_id}'
  router.add({
    method: 'GET',
    pattern: `${pattern}/permissionLevels`,
    op: 'permission-levels',
    handler: (req) => {
      requireSpace(env, req.params['space_id'] ?? '')
      return ok({ permission_levels: PERMISSION_LEVELS.map((l) => ({ permission_level: l, description: LEVEL_DESCRIPTIONS[l] })) })
    }
  })
  router.add({
    method: 'GET',
    pattern,
    op: 'permissions-get',
    handler: (req) => ok(view(requireSpace(env, req.params['space_id'] ?? '')))
  })
  for (const [method, op] of [
    ['PUT', 'permissions-set'],
    ['PATCH', 'permissions-update']
  ] as const) {
    router.add({
      method,
      pattern,
      op,
      handler: (req) => {
        const space = requireSpace(env, req.params['space_id'] ?? '')
        const acl = parseAcl(req.rawBody)
        const updated: SpaceRecord = { ...space, acl: method === 'PUT' ? merge([], acl) : merge(space.acl, acl) }
        env.state.putSpace(updated)
        return ok(view(updated))
      }
    })
  }
}
