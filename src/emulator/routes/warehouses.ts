/**
 * SQL warehouses, as far as preflight reads them:
 *   GET   /api/2.0/sql/warehouses/{id}              → GetWarehouseResponse {id, name, state, cluster_size,
 *                                                      warehouse_type, creator_name, …}; 404 RESOURCE_DOES_NOT_EXIST
 *   GET   /api/2.0/permissions/warehouses/{id}      → ObjectPermissions {object_id, object_type,
 *                                                      access_control_list: [{user_name|group_name|service_principal_name, all_permissions}]}
 *   PATCH /api/2.0/permissions/warehouses/{id}      adds or changes grants {access_control_list: [{…, permission_level}]}
 * The warehouses are those named with `--warehouse <id>` (repeatable); when none is named every id
 * is a warehouse, as the emulator always accepted any warehouse id. Its owner is the emulator's
 * user (IS_OWNER); the `admins` group holds CAN_MANAGE, inherited.
 *   POST /_emulator/warehouses {deny?: [id], allow?: [id]}: GET of a denied warehouse answers 403
 *   PERMISSION_DENIED, as for a deployer who may not use it.
 * Choices where the docs are silent: the 404 and 403 messages are guesses; the running state is
 * always RUNNING (nothing starts or stops here).
 */
import { WAREHOUSE_LEVELS, type WarehouseAclEntry, type WarehouseLevel } from '../catalog.js'
import type { RouteEnv } from '../env.js'
import { ApiError, invalidParameter, isPlainObject, jsonBody, ok } from '../http.js'
import type { Router } from '../router.js'
import { PRINCIPAL_KINDS, type PrincipalKind } from '../state.js'

/** The id, when the workspace has that warehouse (`--warehouse`; none named = every id); else 404. */
export function requireWarehouse(env: RouteEnv, id: string): string {
  if (!env.warehouses.exists(id)) throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `Warehouse ${id} does not exist.`)
  return id
}

function aclView(env: RouteEnv, id: string): Record<string, unknown> {
  return {
    object_id: `/sql/warehouses/${id}`,
    object_type: 'warehouses',
    access_control_list: [
      { user_name: env.state.userName, all_permissions: [{ permission_level: 'IS_OWNER', inherited: false }] },
      ...(env.warehouses.acl.get(id) ?? []).map((e) => ({ [e.kind]: e.name, all_permissions: [{ permission_level: e.permission_level, inherited: false }] })),
      { group_name: 'admins', all_permissions: [{ permission_level: 'CAN_MANAGE', inherited: true, inherited_from_object: ['/sql/warehouses/'] }] }
    ]
  }
}

function parseAcl(rawBody: string): WarehouseAclEntry[] {
  const list = jsonBody(rawBody)['access_control_list']
  if (!Array.isArray(list)) throw invalidParameter('access_control_list must be an array')
  return list.map((item: unknown, i): WarehouseAclEntry => {
    if (!isPlainObject(item)) throw invalidParameter(`access_control_list[${i}] must be an object`)
    const kinds = PRINCIPAL_KINDS.filter((k) => item[k] !== undefined)
    if (kinds.length !== 1) throw invalidParameter(`access_control_list[${i}] must set exactly one of user_name, group_name, service_principal_name`)
    const kind = kinds[0] as PrincipalKind
    const name = item[kind]
    if (typeof name !== 'string' || name === '') throw invalidParameter(`access_control_list[${i}].${kind} must be a non-empty string`)
    const level = item['permission_level']
    if (typeof level !== 'string' || !(WAREHOUSE_LEVELS as readonly string[]).includes(level)) {
      throw invalidParameter(`Invalid permission level ${JSON.stringify(level)} for warehouses; allowed: ${WAREHOUSE_LEVELS.join(', ')}`)
    }
    return { kind, name, permission_level: level as WarehouseLevel }
  })
}

export function registerWarehouseRoutes(router: Router, env: RouteEnv): void {
  router.add({
    method: 'GET',
    pattern: '/api/2.0/sql/warehouses/{id}',
    op: 'warehouse-get',
    handler: (req) => {
      const id = requireWarehouse(env, req.params['id'] ?? '')
      if (env.warehouses.denied.has(id)) throw new ApiError(403, 'PERMISSION_DENIED', `User does not have permission to use warehouse ${id}.`)
      return ok({
        id,
        name: `Emulator warehouse ${id}`,
        state: 'RUNNING',
        cluster_size: '2X-Small',
        warehouse_type: 'PRO',
        enable_serverless_compute: true,
        creator_name: env.state.userName,
        num_clusters: 1,
        auto_stop_mins: 10
      })
    }
  })
  router.add({
    method: 'GET',
    pattern: '/api/2.0/permissions/warehouses/{id}',
    op: 'warehouse-permissions-get',
    handler: (req) => ok(aclView(env, requireWarehouse(env, req.params['id'] ?? '')))
  })
  router.add({
    method: 'PATCH',
    pattern: '/api/2.0/permissions/warehouses/{id}',
    op: 'warehouse-permissions-update',
    handler: (req) => {
      const id = requireWarehouse(env, req.params['id'] ?? '')
      const out = [...(env.warehouses.acl.get(id) ?? [])]
      for (const c of parseAcl(req.rawBody)) {
        const i = out.findIndex((e) => e.kind === c.kind && e.name === c.name)
        if (i >= 0) out[i] = c
        else out.push(c)
      }
      env.warehouses.acl.set(id, out)
      return ok(aclView(env, id))
    }
  })
  router.add({
    method: 'POST',
    pattern: '/_emulator/warehouses',
    op: 'admin-warehouses',
    handler: (req) => {
      const body = jsonBody(req.rawBody)
      for (const [field, add] of [
        ['deny', true],
        ['allow', false]
      ] as const) {
        const v = body[field]
        if (v === undefined) continue
        if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw invalidParameter(`${field} must be a list of warehouse ids`)
        for (const id of v as string[]) {
          if (add) env.warehouses.denied.add(id)
          else env.warehouses.denied.delete(id)
        }
      }
      return ok({ named: env.warehouses.named, denied: [...env.warehouses.denied] })
    }
  })
}
