import type { AccessControlRequest, CurrentUser, GenieClient, ObjectPermissions } from '../client/index.js'
import {
  ADMINS_GROUP,
  canonicalGrants,
  grantOf,
  isGrantLevel,
  levelRank,
  principalKey,
  principalLabel,
  principalOf,
  sameGrants,
  type Grant,
  type GrantLevel,
  type Principal
} from '../model/permissions.js'
import type { Space } from '../model/space.js'
import { printable } from '../util/printable.js'
import { SpaceOpsError } from '../util/errors.js'
import type { Logger } from '../util/logger.js'

/**
 * Permissions as code against a live space (`/api/2.0/permissions/genie/{id}`, shaped like the
 * generic Permissions API: `access_control_list[{user_name|group_name|service_principal_name,
 * display_name?, all_permissions[{permission_level, inherited, inherited_from_object?}]}]`).
 *
 * - Only DIRECT grants are SpaceOps': an entry's permissions with `inherited: true` (from the
 *   folder, the workspace) are never compared or written, and the `admins` group is left out
 *   altogether (it always holds CAN_MANAGE; the Terraform provider likewise drops it, as its level
 *   cannot be lowered).
 * - The deploying principal (`currentUser()`) keeps CAN_MANAGE: when the grants do not name it, it
 *   is added with CAN_MANAGE (as bundles add the deployer and Terraform keeps "your own user");
 *   grants that give it less are refused before any write — SpaceOps would lock itself out.
 * - Writing is one PUT of the whole list (PUT replaces the direct grants), and only when the live
 *   direct grants differ.
 * Docs are silent on: whether an entry can carry two direct levels (the highest is taken, as the
 * Terraform provider notes), and how PUT treats an inherited grant named again (never sent here).
 */

/** The Databricks CLI tells a service principal by its userName being a UUID (its application id). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The live direct grants, canonical; inherited grants and the admins group left out. */
export function directGrants(acl: ObjectPermissions, spaceId: string): Grant[] {
  const out: Grant[] = []
  for (const entry of acl.access_control_list) {
    const kind =
      entry.user_name !== undefined
        ? 'user_name'
        : entry.group_name !== undefined
          ? 'group_name'
          : entry.service_principal_name !== undefined
            ? 'service_principal_name'
            : undefined
    if (!kind) continue
    const name = entry[kind] as string
    if (kind === 'group_name' && name === ADMINS_GROUP) continue
    let best: GrantLevel | undefined
    for (const p of entry.all_permissions) {
      if (p.inherited) continue
      if (!isGrantLevel(p.permission_level)) {
        throw new SpaceOpsError(
          `space ${spaceId}: ${printable(principalLabel({ kind, name }))} has the permission level "${printable(p.permission_level)}", which SpaceOps does not know; it will not rewrite these grants`
        )
      }
      if (!best || levelRank(p.permission_level) > levelRank(best)) best = p.permission_level
    }
    if (best) out.push(grantOf({ kind, name }, best))
  }
  return canonicalGrants(out)
}

/** The deploying principal as grants name it: by the kind the live grants already use for it, else user or service principal by the form of its name. */
export function deployerPrincipal(me: CurrentUser, live: readonly Grant[] = []): Principal {
  const name = me.userName
  const existing = live
    .map(principalOf)
    .find((p) => p.kind !== 'group_name' && principalKey({ ...p, kind: 'user_name' }) === principalKey({ kind: 'user_name', name }))
  return existing ?? { kind: UUID.test(name) ? 'service_principal_name' : 'user_name', name }
}

const sameName = (p: Principal, deployer: Principal) => p.kind !== 'group_name' && p.name.toLowerCase() === deployer.name.toLowerCase()

/**
 * The grants SpaceOps writes: the definition's, with the deploying principal's CAN_MANAGE added
 * when they do not name it. Grants that give it less are refused (before any write).
 */
export function grantsToWrite(grants: readonly Grant[], deployer: Principal, where: string): Grant[] {
  const own = grants.find((g) => sameName(principalOf(g), deployer))
  if (own && own.level !== 'CAN_MANAGE') {
    throw new SpaceOpsError(
      `${where}: permissions give ${printable(principalLabel(principalOf(own)))} ${own.level}, but that is the principal SpaceOps deploys as: it must keep CAN_MANAGE ` +
        `or it could not update the space or its grants again. Grant it CAN_MANAGE or leave it out (SpaceOps keeps its CAN_MANAGE)`
    )
  }
  return canonicalGrants(own ? grants : [...grants, grantOf(deployer, 'CAN_MANAGE')])
}

/** Live grants of a space and the grants to write there, both canonical. */
export interface GrantPlan {
  live: Grant[]
  desired: Grant[]
}

/** Reads what permissions as code needs for one space: who deploys, its live direct grants, and the grants to write. */
export async function planGrants(client: GenieClient, spaceId: string | undefined, grants: readonly Grant[], where: string): Promise<GrantPlan> {
  const me = await client.currentUser()
  const live = spaceId ? directGrants(await client.getPermissions(spaceId), spaceId) : []
  return { live, desired: grantsToWrite(grants, deployerPrincipal(me, live), where) }
}

/**
 * `live` and `desired` with their grants for a diff: when the desired space has permissions, the
 * live space gets its direct grants and the desired space the grants SpaceOps would write; without,
 * both are returned as they are (grants are left alone).
 */
export async function withGrants(
  client: GenieClient,
  spaceId: string | undefined,
  live: Space | undefined,
  desired: Space,
  where: string
): Promise<{ live?: Space; desired: Space; grants?: GrantPlan }> {
  if (!desired.permissions) return { ...(live ? { live } : {}), desired }
  const grants = await planGrants(client, spaceId, desired.permissions, where)
  return { ...(live ? { live: { ...live, permissions: grants.live } } : {}), desired: { ...desired, permissions: grants.desired }, grants }
}

const request = (g: Grant): AccessControlRequest => {
  const p = principalOf(g)
  if (p.kind === 'user_name') return { user_name: p.name, permission_level: g.level }
  if (p.kind === 'group_name') return { group_name: p.name, permission_level: g.level }
  return { service_principal_name: p.name, permission_level: g.level }
}

/** One PUT: `grants` become the space's direct grants. */
export async function putGrants(client: GenieClient, spaceId: string, grants: readonly Grant[]): Promise<void> {
  await client.setPermissions(spaceId, grants.map(request), { replace: true })
}

/** One PUT of the whole list when the live direct grants differ; true when it wrote. */
export async function applyGrants(client: GenieClient, spaceId: string, plan: GrantPlan, logger: Logger): Promise<boolean> {
  if (sameGrants(plan.live, plan.desired)) return false
  await putGrants(client, spaceId, plan.desired)
  logger.info(`set the permissions of space ${spaceId}: ${plan.desired.length} direct grant(s)`)
  return true
}

/**
 * The live direct grants as a definition writes them (snapshot): the deploying principal's
 * CAN_MANAGE is left out when the definition does not name it, since SpaceOps adds it itself.
 */
export async function liveGrantsFor(client: GenieClient, spaceId: string, definition: readonly Grant[]): Promise<Grant[]> {
  const live = directGrants(await client.getPermissions(spaceId), spaceId)
  const deployer = deployerPrincipal(await client.currentUser(), live)
  if (definition.some((g) => sameName(principalOf(g), deployer))) return live
  return live.filter((g) => !(sameName(principalOf(g), deployer) && g.level === 'CAN_MANAGE'))
}
