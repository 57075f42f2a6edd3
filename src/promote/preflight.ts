/**
 * Target preflight: before anything is written to an environment, what the space needs there is
 * looked up — read-only — and every finding is one line naming the definition's (or the promotion
 * config's) line and the target object:
 *
 * - every table and metric view of the space, as the environment names it, exists in the target's
 *   Unity Catalog (`GET /api/2.1/unity-catalog/tables/{full_name}`), every SQL function too
 *   (`…/functions/{full_name}`), and every column named in `column_configs` exists in its table
 *   — an error (an excluded column that is not there hides nothing: a warning);
 * - the warehouse exists and the deployer may use it (`GET /api/2.0/sql/warehouses/{id}`) — an error;
 * - a catalog, schema or table mapping of the environment that matches nothing in the definition —
 *   an error (a typo, or a mapping left behind);
 * - the principals granted CAN_RUN or more have SELECT on every table (effective permissions) and
 *   CAN_USE on the warehouse — a warning: a grant may be on its way through another pipeline;
 * - a check that failed or could not be made (403 on the catalog API, a server error) is a warning
 *   that says which permission would let SpaceOps make it — never a silent pass.
 *
 * Not to be confused with `benchmark/preflight.ts` (running a suite's expected SQL once).
 *
 * Works on the definition as written (its Origins and SourceMap give the lines) with the
 * environment's mapping applied to each name, so a finding points at the line the author wrote.
 */
import type { GenieClient } from '../client/index.js'
import { GenieApiError } from '../client/errors.js'
import { formatProblem, type Problem } from '../model/problems.js'
import type { PlanPreflight } from '../plan/render.js'
import type { Origins, Path, Space } from '../model/space.js'
import type { SourceMap } from '../model/source.js'
import { normalizeName, remapIdentifier, splitName, type IdentifierMapping } from '../sql/index.js'
import { describeError } from '../util/errors.js'
import { mapConcurrent, DEFAULT_CONCURRENCY } from '../util/pool.js'
import { effectiveGrants, type Grant } from '../model/permissions.js'
import { renderForEnvironment } from './remap.js'
import { resolveEnvironment, spaceKey, spaceSettings, type ExpansionPolicy, type PromotionConfig, type ResolvedEnvironment } from './config.js'

/** A grant of the space: the definition's `permissions` (model/permissions.ts). */
export type PreflightGrant = Grant

export type PreflightCheck = 'table' | 'metric-view' | 'function' | 'column' | 'warehouse' | 'mapping' | 'principal-select' | 'principal-warehouse'

/** One finding: a Problem (printed by formatProblem as `file:line:col: [warning: ]message`) with the object it is about. */
export interface PreflightFinding extends Problem {
  check: PreflightCheck
  /** the target object: `shop_prod.sales.orders`, `warehouse abc123`, `catalog_mappings.shop_dev` */
  object: string
  /** true when the check itself could not be made (the warning says which permission would let it) */
  unavailable?: boolean
}

export interface PreflightReport {
  environment?: string
  findings: PreflightFinding[]
  errors: number
  warnings: number
  /** one-line notes that are not findings (e.g. "no principals granted CAN_RUN or more: nothing to check") */
  notes: string[]
}

/** What preflight reads of a definition: a LoadedDefinition fits. */
export interface PreflightDefinition {
  file: string
  space: Space
  origins?: Origins
  source?: SourceMap
}

export type PreflightClient = Pick<GenieClient, 'getTable' | 'getFunction' | 'getEffectivePermissions' | 'getWarehouse' | 'getWarehousePermissions'>

export interface TargetPreflightInput {
  client: PreflightClient
  definition: PreflightDefinition
  /** the environment (its mappings are applied to every name); absent = the definition's names as written */
  environment?: ResolvedEnvironment
  /** the promotion config, for the lines of mappings and of the warehouse it sets */
  config?: Pick<PromotionConfig, 'file' | 'source'>
  /** the warehouse the space gets in the target (the rendered space's) */
  warehouseId?: string | null
  /** the definition's key in `spaces:` (for the line of a per-space warehouse) */
  spaceKey?: string
  /**
   * the space's grants in the target (only CAN_RUN and more are checked); by default those the
   * space gets there: the environment's list, else the definition's (`effectiveGrants`)
   */
  grants?: readonly PreflightGrant[]
  concurrency?: number
}

interface Where {
  file: string
  line?: number
  col?: number
  path?: string
}

type Kind = 'table' | 'metric-view' | 'function'

interface CatalogObject {
  kind: Kind
  /** as written in the definition */
  written: string
  /** as the environment names it, unquoted (`a.b.c`), or undefined when it is not three parts */
  target: string | undefined
  where: Where
  columns: { name: string; exclude: boolean; where: Where }[]
}

const LEVEL_RANK = { CAN_VIEW: 0, CAN_RUN: 1, CAN_EDIT: 2, CAN_MANAGE: 3 } as const
const WAREHOUSE_USE = new Set(['CAN_USE', 'CAN_MANAGE', 'IS_OWNER'])
const SELECTS = new Set(['SELECT', 'ALL_PRIVILEGES', 'ALL PRIVILEGES'])
const MAPPING_KEYS = { catalogs: 'catalog_mappings', schemas: 'schema_mappings', tables: 'table_mappings' } as const

/** What would let SpaceOps make a check it could not (docs: the Unity Catalog API reference per call). */
const NEEDED: Record<Kind | 'permissions' | 'warehouse-acl', string> = {
  table: 'USE CATALOG on its catalog, USE SCHEMA on its schema and SELECT (or BROWSE) on the table',
  'metric-view': 'USE CATALOG on its catalog, USE SCHEMA on its schema and SELECT (or BROWSE) on the metric view',
  function: 'USE CATALOG on its catalog, USE SCHEMA on its schema and EXECUTE (or BROWSE) on the function',
  // the docs do not say what reading effective permissions needs; MANAGE (or ownership, or being a
  // metastore admin) is what reading a securable's grants needs elsewhere in Unity Catalog
  permissions: 'MANAGE on the table (or its ownership, or metastore admin)',
  'warehouse-acl': 'CAN_MANAGE on the warehouse'
}

export function preflightLabel(kind: Kind): string {
  return kind === 'metric-view' ? 'metric view' : kind
}

/** The checks, in this order: mappings, catalog objects and columns, warehouse, principals. */
export async function checkTarget(input: TargetPreflightInput): Promise<PreflightReport> {
  const { client, definition } = input
  const envName = input.environment?.name
  const inEnv = envName ? `${envName}'s` : "the workspace's"
  const mapping: IdentifierMapping = input.environment ? input.environment.mappings : {}
  const findings: PreflightFinding[] = []
  const notes: string[] = []
  const limit = input.concurrency ?? DEFAULT_CONCURRENCY
  const add = (f: Omit<PreflightFinding, 'rule'>) => findings.push({ rule: `preflight-${f.check}`, ...f })

  // ---- mappings that match nothing
  if (input.environment) {
    for (const m of unusedMappings(definition.space, input.environment)) {
      add({
        severity: 'error',
        check: 'mapping',
        object: `${m.key}.${m.from}`,
        ...configWhere(input, ['environments', input.environment.name, m.key, m.from], 'key'),
        message: `${m.key} of ${input.environment.name} maps ${m.from}, which no name in ${definition.file} matches: a typo or a stale mapping`
      })
    }
  }

  // ---- tables, metric views, functions, columns
  const objects = catalogObjects(definition, mapping)
  const found = new Map<CatalogObject, boolean>()
  let denied = false
  await mapConcurrent(objects, limit, async (o) => {
    const label = preflightLabel(o.kind)
    if (!o.target) {
      add({
        severity: 'error',
        check: o.kind,
        object: o.written,
        ...o.where,
        message: `${label} ${o.written} is not a catalog.schema.name: it cannot be looked up in ${inEnv} Unity Catalog`
      })
      return
    }
    try {
      const info = o.kind === 'function' ? await client.getFunction(o.target) : await client.getTable(o.target)
      found.set(o, true)
      if (o.kind === 'metric-view' && 'table_type' in info && info.table_type !== undefined && info.table_type !== 'METRIC_VIEW') {
        add({
          severity: 'warning',
          check: o.kind,
          object: o.target,
          ...o.where,
          message: `metric view ${o.target} in ${inEnv} Unity Catalog is a ${info.table_type}, not a METRIC_VIEW`
        })
      }
      const columns = 'columns' in info ? info.columns : undefined
      if (o.columns.length && columns) {
        const have = new Set(columns.map((c) => c.name?.toLowerCase()).filter((n): n is string => n !== undefined))
        for (const c of o.columns) {
          if (have.has(c.name.toLowerCase())) continue
          if (c.exclude)
            add({
              severity: 'warning',
              check: 'column',
              object: `${o.target}.${c.name}`,
              ...c.where,
              message: `column ${c.name} is excluded but ${o.target} has no such column in ${inEnv} Unity Catalog: the exclusion hides nothing`
            })
          else
            add({
              severity: 'error',
              check: 'column',
              object: `${o.target}.${c.name}`,
              ...c.where,
              message: `column ${c.name} of column_configs does not exist in ${o.target} in ${inEnv} Unity Catalog`
            })
        }
      } else if (o.columns.length) {
        notes.push(`${o.target}: the catalog did not list its columns; column_configs not checked`)
      }
    } catch (err) {
      if (isStatus(err, 404)) {
        add({
          severity: 'error',
          check: o.kind,
          object: o.target,
          ...o.where,
          message: `${label} ${o.target}${o.target !== normalizeName(o.written) ? ` (${o.written} in the definition)` : ''} does not exist in ${inEnv} Unity Catalog${codeOf(err)}`
        })
        return
      }
      if (isStatus(err, 403)) denied = true
      add({
        severity: 'warning',
        check: o.kind,
        object: o.target,
        unavailable: true,
        ...o.where,
        message: `could not check ${label} ${o.target} in ${inEnv} Unity Catalog (${reason(err)}): the deploying principal needs ${NEEDED[o.kind]} to check it${o.columns.length ? '; its column_configs were not checked either' : ''}`
      })
    }
  })

  // ---- warehouse
  const warehouseId = input.warehouseId ?? undefined
  const warehouseWhere = warehouseLocation(input)
  let warehouseOk = false
  if (!warehouseId) {
    add({
      severity: 'warning',
      check: 'warehouse',
      object: 'warehouse',
      unavailable: true,
      ...warehouseWhere,
      message: `no warehouse_id${envName ? ` for ${envName}` : ''}: the warehouse was not checked (set warehouse_id in the definition or environments.<env>.warehouse_id)`
    })
  } else {
    try {
      const wh = await client.getWarehouse(warehouseId)
      if (wh.state === 'DELETED' || wh.state === 'DELETING')
        add({
          severity: 'error',
          check: 'warehouse',
          object: `warehouse ${warehouseId}`,
          ...warehouseWhere,
          message: `warehouse ${warehouseId} is ${wh.state} in ${envName ?? 'the workspace'}`
        })
      else warehouseOk = true
    } catch (err) {
      if (isStatus(err, 404))
        add({
          severity: 'error',
          check: 'warehouse',
          object: `warehouse ${warehouseId}`,
          ...warehouseWhere,
          message: `warehouse ${warehouseId} does not exist in ${envName ?? 'the workspace'}${codeOf(err)}`
        })
      else if (isStatus(err, 403))
        add({
          severity: 'error',
          check: 'warehouse',
          object: `warehouse ${warehouseId}`,
          ...warehouseWhere,
          message: `the deploying principal may not use warehouse ${warehouseId} in ${envName ?? 'the workspace'} (${reason(err)}): it needs CAN_USE on it`
        })
      else
        add({
          severity: 'warning',
          check: 'warehouse',
          object: `warehouse ${warehouseId}`,
          unavailable: true,
          ...warehouseWhere,
          message: `could not check warehouse ${warehouseId} (${reason(err)}): the deploying principal needs CAN_USE on it to check it`
        })
    }
  }

  // ---- principals granted CAN_RUN or more
  const grants = input.grants ?? effectiveGrants(input.definition.space, input.environment) ?? []
  const principals = grants
    .filter((g) => LEVEL_RANK[g.level] >= LEVEL_RANK.CAN_RUN)
    .map(principalOf)
    .filter((p): p is Principal => p !== undefined)
  if (!principals.length) notes.push('no principals granted CAN_RUN or more: their access was not checked (nothing to check)')
  else {
    const grantWhere = definitionWhere(definition, ['permissions'])
    const tables = objects.filter((o) => o.kind !== 'function' && o.target && found.get(o))
    if (denied) {
      add({
        severity: 'warning',
        check: 'principal-select',
        object: 'principals',
        unavailable: true,
        ...grantWhere,
        message: `could not check the principals' SELECT on the tables: the catalog API answered 403; the deploying principal needs ${NEEDED.permissions} to check it`
      })
    } else {
      // The docs say effective permissions include what is inherited from the catalog and schema;
      // they do not say whether privileges a user holds through a group are included. A user who
      // reads only through a group may then be warned about: a warning, never an error.
      const pairs = principals.flatMap((p) => tables.map((t) => ({ p, t })))
      let unavailable: string | undefined
      await mapConcurrent(pairs, limit, async ({ p, t }) => {
        if (unavailable) return
        const table = t.target as string
        try {
          const eff = await client.getEffectivePermissions('table', table, p.name)
          const mine = eff.privilege_assignments.filter((a) => a.principal === undefined || a.principal.toLowerCase() === p.name.toLowerCase())
          if (!mine.some((a) => a.privileges.some((x) => SELECTS.has(x.privilege.toUpperCase())))) {
            add({
              severity: 'warning',
              check: 'principal-select',
              object: `${p.name} on ${table}`,
              ...t.where,
              message: `${p.kind} ${p.name} (${p.level} on the space) has no SELECT on ${table} in ${inEnv} Unity Catalog: Genie will not answer them from it`
            })
          }
        } catch (err) {
          if (isStatus(err, 403) || !(err instanceof GenieApiError) || err.status === undefined || err.status >= 500) {
            unavailable ??= `could not check the principals' SELECT on the tables (${reason(err)}): the deploying principal needs ${NEEDED.permissions} to check it`
          } else
            add({
              severity: 'warning',
              check: 'principal-select',
              object: `${p.name} on ${table}`,
              unavailable: true,
              ...t.where,
              message: `could not check SELECT of ${p.name} on ${table} (${reason(err)})`
            })
        }
      })
      if (unavailable) add({ severity: 'warning', check: 'principal-select', object: 'principals', unavailable: true, ...grantWhere, message: unavailable })
    }
    if (warehouseId && warehouseOk) {
      try {
        const acl = (await client.getWarehousePermissions(warehouseId)).access_control_list
        const holds = (kind: Principal['kind'], name: string) =>
          acl.some((e) => e[kind]?.toLowerCase() === name.toLowerCase() && e.all_permissions.some((x) => WAREHOUSE_USE.has(x.permission_level)))
        for (const p of principals) {
          if (holds(p.kind, p.name) || holds('group_name', 'users')) continue
          add({
            severity: 'warning',
            check: 'principal-warehouse',
            object: `${p.name} on warehouse ${warehouseId}`,
            ...warehouseWhere,
            message: `${p.kind} ${p.name} (${p.level} on the space) has no CAN_USE on warehouse ${warehouseId}${p.kind === 'group_name' ? '' : ' (neither directly nor through the users group; another group is not seen)'}`
          })
        }
      } catch (err) {
        add({
          severity: 'warning',
          check: 'principal-warehouse',
          object: `warehouse ${warehouseId}`,
          unavailable: true,
          ...warehouseWhere,
          message: `could not check the principals' CAN_USE on warehouse ${warehouseId} (${reason(err)}): the deploying principal needs ${NEEDED['warehouse-acl']} to read its permissions`
        })
      }
    }
  }

  findings.sort(byPlace)
  const errors = findings.filter((f) => f.severity === 'error').length
  return { ...(envName ? { environment: envName } : {}), findings, errors, warnings: findings.length - errors, notes }
}

/**
 * Preflight of a definition for an environment of the promotion config (what diff/plan and
 * `spaceops preflight --env` call; promote calls checkTarget with what it rendered): the
 * environment's mappings, and the warehouse it gives the space (else the definition's).
 */
export async function preflightInEnvironment(o: {
  client: PreflightClient
  definition: PreflightDefinition
  config: PromotionConfig
  environment: string
  expansion: ExpansionPolicy
  /** the only definition sharing the config (per-space settings fall back to the environment's) */
  onlySpace?: boolean
  /** overrides the warehouse the environment gives */
  warehouseId?: string
}): Promise<PreflightReport> {
  const envc = resolveEnvironment(o.config, o.environment, o.expansion)
  const key = spaceKey(o.definition.file)
  const settings = spaceSettings(envc, key, o.onlySpace ?? true)
  return checkTarget({
    client: o.client,
    definition: o.definition,
    environment: envc,
    config: o.config,
    warehouseId: o.warehouseId ?? settings.warehouse_id ?? o.definition.space.meta.warehouse_id ?? null,
    spaceKey: key
  })
}

/** The report as a plan shows it (above the diff). */
export function planPreflight(r: PreflightReport): PlanPreflight {
  return { summary: preflightSummary(r), findings: r.findings.map((f) => ({ severity: f.severity, text: formatProblem({ ...f, severity: 'error' }) })) }
}

/** One line for the report's headline: "preflight: 1 error, 2 warnings" / "preflight: passed". */
export function preflightSummary(r: PreflightReport): string {
  if (!r.findings.length) return `preflight${r.environment ? ` on ${r.environment}` : ''}: passed`
  const n = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`
  return `preflight${r.environment ? ` on ${r.environment}` : ''}: ${n(r.errors, 'error')}, ${n(r.warnings, 'warning')}`
}

// ---------------------------------------------------------------- helpers

interface Principal {
  kind: 'user_name' | 'group_name' | 'service_principal_name'
  name: string
  level: PreflightGrant['level']
}

function principalOf(g: PreflightGrant): Principal | undefined {
  for (const kind of ['user_name', 'group_name', 'service_principal_name'] as const) {
    const name = g[kind]
    if (name) return { kind, name, level: g.level }
  }
  return undefined
}

function isStatus(err: unknown, status: number): boolean {
  return err instanceof GenieApiError && err.status === status
}

function codeOf(err: unknown): string {
  return err instanceof GenieApiError && err.errorCode ? ` (${err.errorCode})` : ''
}

function reason(err: unknown): string {
  if (err instanceof GenieApiError && err.status !== undefined) return `${err.status}${err.errorCode ? ` ${err.errorCode}` : ''}`
  return describeError(err)
}

/** Errors first, then by file, line and column. */
function byPlace(a: PreflightFinding, b: PreflightFinding): number {
  return (
    (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
    a.file.localeCompare(b.file) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.col ?? 0) - (b.col ?? 0) ||
    a.message.localeCompare(b.message)
  )
}

function definitionWhere(d: PreflightDefinition, path: Path, prefer: 'key' | 'value' = 'value'): Where {
  const pos = d.source?.locate(path, prefer)
  return { file: d.file, ...(pos ? { line: pos.line, col: pos.col } : {}), path: path.join('.') }
}

function configWhere(input: TargetPreflightInput, path: Path, prefer: 'key' | 'value' = 'value'): Where {
  if (!input.config) return { file: input.definition.file }
  const pos = input.config.source.locate(path, prefer) ?? input.config.source.locate(path.slice(0, -1), 'key')
  return { file: input.config.file, ...(pos ? { line: pos.line, col: pos.col } : {}), path: path.join('.') }
}

/** Where the warehouse the target gets is set: the config's per-space or environment entry, else the definition. */
function warehouseLocation(input: TargetPreflightInput): Where {
  const env = input.environment?.name
  if (env && input.config) {
    for (const path of [...(input.spaceKey ? [['environments', env, 'spaces', input.spaceKey, 'warehouse_id']] : []), ['environments', env, 'warehouse_id']]) {
      if (input.config.source.has(path)) return configWhere(input, path)
    }
  }
  return definitionWhere(input.definition, ['warehouse_id'])
}

/** The place of an object of the definition (its identifier's line when the source map has it). */
function objectWhere(d: PreflightDefinition, obj: object, sub: string): Where {
  const base = d.origins?.get(obj)
  if (!base) return { file: d.file }
  const path = d.source?.has([...base, sub]) ? [...base, sub] : base
  return definitionWhere(d, path)
}

/** `a.b.c` unquoted, or undefined when the name is not three parts. */
function unquoted(name: string): string | undefined {
  const parts = splitName(name).map((p) => p.value)
  return parts.length === 3 && parts.every((p) => p !== '' && !p.includes('.')) ? parts.join('.') : undefined
}

function catalogObjects(d: PreflightDefinition, mapping: IdentifierMapping): CatalogObject[] {
  const doc = d.space.document
  const out: CatalogObject[] = []
  const seen = new Set<string>()
  const push = (kind: Kind, obj: { identifier: string; column_configs?: { column_name: string; exclude?: boolean }[] }) => {
    const target = unquoted(remapIdentifier(obj.identifier, mapping))
    const key = `${kind}:${target ?? obj.identifier}`.toLowerCase()
    if (seen.has(key)) return
    seen.add(key)
    out.push({
      kind,
      written: obj.identifier,
      target,
      where: objectWhere(d, obj, 'identifier'),
      columns: (obj.column_configs ?? []).map((c) => ({ name: c.column_name, exclude: c.exclude === true, where: objectWhere(d, c, 'column_name') }))
    })
  }
  for (const t of doc.data_sources?.tables ?? []) push('table', t)
  for (const t of doc.data_sources?.metric_views ?? []) push('metric-view', t)
  for (const f of doc.instructions?.sql_functions ?? []) push('function', f)
  return out
}

/**
 * Mapping keys of the environment that change no name of the definition: each key is tried alone,
 * mapped to a name it cannot already be, so an identity mapping (`shop: shop`) still counts as used.
 */
export function unusedMappings(space: Space, envc: ResolvedEnvironment): { key: (typeof MAPPING_KEYS)[keyof typeof MAPPING_KEYS]; from: string }[] {
  const out: { key: (typeof MAPPING_KEYS)[keyof typeof MAPPING_KEYS]; from: string }[] = []
  for (const section of ['catalogs', 'schemas', 'tables'] as const) {
    for (const from of Object.keys(envc.mappings[section])) {
      const probe = from
        .split('.')
        .map((p) => `${p.replace(/`/g, '')}_spaceops_probe`)
        .join('.')
      const alone: ResolvedEnvironment = { name: envc.name, mappings: { catalogs: {}, schemas: {}, tables: {}, [section]: { [from]: probe } }, spaces: {} }
      if (renderForEnvironment(space, alone, {}).replacements === 0) out.push({ key: MAPPING_KEYS[section], from })
    }
  }
  return out
}
