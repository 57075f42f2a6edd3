import * as z from 'zod/mini'
import '../util/zod.js' // zod set up (messages, jitless) before this module builds a schema

/**
 * Permissions as code: the direct grants of a Genie space, in the form Databricks Asset Bundles
 * write them (`permissions: [{level, group_name | user_name | service_principal_name}]`), so a
 * bundle and a SpaceOps definition read alike.
 *
 * Grants are not part of `serialized_space`: they live beside the metadata (`Space.permissions`),
 * in the authoring YAML and per environment in the promotion config (`environments.<env>.permissions`,
 * which replaces the definition's list there). A `.geniespace.json` holds no permissions, as a
 * bundle keeps them in its YAML and ships the JSON verbatim.
 *
 * `Space.permissions` undefined = SpaceOps leaves the space's grants alone; a list (even empty) =
 * SpaceOps owns the space's direct grants. Inherited grants and the workspace `admins` group are
 * never SpaceOps' to change (a grant to `admins` is refused by validate).
 */
export const GRANT_LEVELS = ['CAN_VIEW', 'CAN_RUN', 'CAN_EDIT', 'CAN_MANAGE'] as const
export type GrantLevel = (typeof GRANT_LEVELS)[number]
export const PRINCIPAL_KEYS = ['user_name', 'group_name', 'service_principal_name'] as const
export type PrincipalKey = (typeof PRINCIPAL_KEYS)[number]

export type Grant = { level: GrantLevel; user_name?: string; group_name?: string; service_principal_name?: string }

/** The authoring form of one grant. "Exactly one principal" and duplicates are validate rules (with their place). */
export const GrantEntry = z.strictObject({
  level: z.enum(GRANT_LEVELS).check(z.describe('CAN_VIEW, CAN_RUN (may converse), CAN_EDIT (may read and change the content) or CAN_MANAGE')),
  user_name: z.optional(z.string()).check(z.describe('A user, by e-mail address')),
  group_name: z.optional(z.string()).check(z.describe('A workspace or account group')),
  service_principal_name: z.optional(z.string()).check(z.describe('A service principal, by application id'))
})

/** The group whose CAN_MANAGE every workspace object inherits; never part of the direct grants SpaceOps writes. */
export const ADMINS_GROUP = 'admins'

const RANK: Record<GrantLevel, number> = { CAN_VIEW: 1, CAN_RUN: 2, CAN_EDIT: 3, CAN_MANAGE: 4 }
export const levelRank = (level: GrantLevel): number => RANK[level]
export const isGrantLevel = (v: unknown): v is GrantLevel => typeof v === 'string' && (GRANT_LEVELS as readonly string[]).includes(v)

/** The principal keys a grant sets (a valid grant sets exactly one). */
export const principalKeys = (g: Partial<Record<PrincipalKey, unknown>>): PrincipalKey[] => PRINCIPAL_KEYS.filter((k) => g[k] !== undefined)

export interface Principal {
  kind: PrincipalKey
  name: string
}

/** The principal of a grant that sets exactly one (the first one set otherwise). */
export function principalOf(g: Grant): Principal {
  const kind = principalKeys(g)[0] ?? 'user_name'
  return { kind, name: g[kind] ?? '' }
}

const KIND_WORD: Record<PrincipalKey, string> = { user_name: 'user', group_name: 'group', service_principal_name: 'service principal' }
/** "group analysts", "user someone@example.com", "service principal 6f1c…" */
export const principalLabel = (p: Principal): string => `${KIND_WORD[p.kind]} ${p.name}`

/**
 * The identity of a principal for comparison: user names are e-mail addresses, which Databricks
 * compares without regard to case (SCIM `userName`); group names and application ids are kept as
 * written (docs silent on group-name case; an application id is lowercase hex from the API).
 */
export const principalKey = (p: Principal): string => `${p.kind}:${p.kind === 'user_name' ? p.name.toLowerCase() : p.name}`

export function grantOf(p: Principal, level: GrantLevel): Grant {
  return { level, [p.kind]: p.name } as Grant
}

/** Sorts grants in place into the canonical order: principal kind (users, groups, service principals), then name. */
export function sortGrants<T extends Grant>(grants: T[]): T[] {
  const order = (g: Grant) => {
    const p = principalOf(g)
    return `${PRINCIPAL_KEYS.indexOf(p.kind)}:${principalKey(p)}`
  }
  return grants.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))
}

/** Canonical order and form (one principal key, no undefined keys), for comparison and writing. */
export function canonicalGrants(grants: readonly Grant[]): Grant[] {
  return sortGrants(grants.map((g) => grantOf(principalOf(g), g.level)))
}

/** Two grant lists are the same when they give each principal the same level (order and case of user names aside). */
export function sameGrants(a: readonly Grant[], b: readonly Grant[]): boolean {
  const key = (list: readonly Grant[]) => JSON.stringify(canonicalGrants(list).map((g) => [principalKey(principalOf(g)), g.level]))
  return key(a) === key(b)
}

/** What is wrong with one list of grants: one message per problem, with the index of the entry. */
export function grantProblems(grants: readonly Partial<Record<PrincipalKey, unknown>>[]): { index: number; key?: PrincipalKey; message: string }[] {
  const out: { index: number; key?: PrincipalKey; message: string }[] = []
  const seen = new Map<string, number>()
  grants.forEach((g, index) => {
    const keys = principalKeys(g)
    if (keys.length !== 1) {
      out.push({
        index,
        message: keys.length
          ? `a grant names exactly one principal; this one sets ${keys.join(' and ')}: split it into one entry each`
          : 'a grant needs exactly one principal: user_name, group_name or service_principal_name'
      })
      return
    }
    const kind = keys[0] as PrincipalKey
    const name = g[kind]
    if (typeof name !== 'string' || !name.trim()) {
      out.push({ index, key: kind, message: `${kind} must not be empty` })
      return
    }
    if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(name)) {
      out.push({ index, key: kind, message: `${kind} contains a line break or another control character` })
      return
    }
    if (kind === 'group_name' && name === ADMINS_GROUP) {
      out.push({ index, key: kind, message: 'the admins group always has CAN_MANAGE (inherited) and is never changed by SpaceOps: remove this grant' })
      return
    }
    const id = principalKey({ kind, name })
    const first = seen.get(id)
    if (first !== undefined)
      out.push({
        index,
        key: kind,
        message: `${principalLabel({ kind, name })} is granted twice (entries ${first + 1} and ${index + 1}): keep one level per principal`
      })
    else seen.set(id, index)
  })
  return out
}

/**
 * The grants that apply to a space in an environment: the environment's `permissions` when it has
 * them (they replace the definition's list), else the definition's; undefined when neither says
 * anything (SpaceOps leaves the grants alone). A space rendered for an environment
 * (`promote/remap.renderForEnvironment`) already carries these, so `effectiveGrants(rendered)` is
 * the same list. The preflight checks use it to find who may converse (CAN_RUN or more).
 */
export function effectiveGrants(space: { permissions?: readonly Grant[] }, env?: { permissions?: readonly Grant[] }): Grant[] | undefined {
  const list = env?.permissions ?? space.permissions
  return list ? canonicalGrants(list) : undefined
}

/** The grants of a list that reach `level` or more (e.g. CAN_RUN: everyone who may ask Genie). */
export function grantsAtLeast(grants: readonly Grant[], level: GrantLevel): Grant[] {
  return grants.filter((g) => RANK[g.level] >= RANK[level])
}
