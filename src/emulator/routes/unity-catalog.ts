/**
 * The slice of the Unity Catalog API that preflight reads (genie-api.md, "Unity Catalog and
 * warehouses"; shapes of the SDK's `catalog` service):
 *   GET /api/2.1/unity-catalog/tables/{full_name}     → TableInfo {name, catalog_name, schema_name,
 *       full_name, table_type, data_source_format, owner, columns: [{name, type_text, type_name,
 *       position, nullable}]}; 404 TABLE_DOES_NOT_EXIST
 *   GET /api/2.1/unity-catalog/functions/{full_name}  → FunctionInfo; 404 FUNCTION_DOES_NOT_EXIST
 *   GET /api/2.1/unity-catalog/effective-permissions/{securable_type}/{full_name}?principal=…
 *       → {privilege_assignments: [{principal, privileges: [{privilege, inherited_from_type, inherited_from_name}]}]}
 *
 * Tables come from the SQL engine's own data (the demo catalogs and every `--dataset` table): the
 * columns are what DuckDB reports for the table, so a column the data lacks is not there. Metric
 * views, functions and further tables exist when a test adds them, and a test can make a table
 * absent, grant privileges and deny the whole API:
 *   POST /_emulator/unity-catalog {absent?: [full_name], present?: [full_name],
 *        objects?: [{kind: table|metric_view|function, full_name, columns?}],
 *        grants?: [{securable, principal, privileges}], access?: allow|deny}
 *   GET  /_emulator/unity-catalog   what was set up
 *
 * Choices where the docs are silent (each the stricter reading):
 * - a missing catalog or schema answers 404 TABLE_DOES_NOT_EXIST too (the real API may name
 *   CATALOG_DOES_NOT_EXIST or SCHEMA_DOES_NOT_EXIST; clients must read any 404 as "missing");
 * - names are matched case-insensitively and returned in lower case (Unity Catalog stores them so);
 * - a principal without privileges gets no `privilege_assignments` key at all;
 * - `securable_type` must be lower case (`table`, as the SDK's SecurableType values are written);
 * - privileges on the catalog and schema are inherited by their tables, with `inherited_from_type`
 *   CATALOG / SCHEMA and `inherited_from_name`; the table's owner (the emulator's user) is not
 *   listed as holding privileges (ownership is not a privilege);
 * - "denied" answers 403 PERMISSION_DENIED to every call, as a deployer without USE CATALOG meets.
 */
import type { CatalogObjectKind } from '../catalog.js'
import type { RouteEnv } from '../env.js'
import { ApiError, invalidParameter, isPlainObject, jsonBody, ok } from '../http.js'
import type { Router } from '../router.js'

const PART = /^[A-Za-z_][A-Za-z0-9_]*$/
const KINDS: readonly CatalogObjectKind[] = ['table', 'metric_view', 'function']

function splitFullName(name: string): [string, string, string] | undefined {
  const parts = name.toLowerCase().split('.')
  return parts.length === 3 && parts.every((p) => p !== '') ? (parts as [string, string, string]) : undefined
}

function requireAccess(env: RouteEnv, name: string): void {
  if (!env.catalog.denied) return
  const catalog = name.split('.')[0] ?? name
  throw new ApiError(403, 'PERMISSION_DENIED', `User does not have USE CATALOG on Catalog '${catalog.toLowerCase()}'.`)
}

const tableMissing = (name: string) => new ApiError(404, 'TABLE_DOES_NOT_EXIST', `Table '${name.toLowerCase()}' does not exist.`)

interface TableView {
  kind: 'table' | 'metric_view'
  columns: { name: string; type_text: string; type_name: string; position: number; nullable: boolean }[]
}

/** The table as the emulator has it, or undefined. */
async function findTable(env: RouteEnv, fullName: string): Promise<TableView | undefined> {
  const parts = splitFullName(fullName)
  if (!parts) return undefined
  const key = parts.join('.')
  const extra = env.catalog.objects.get(key)
  if (extra) {
    if (extra.kind === 'function') return undefined
    return { kind: extra.kind, columns: extra.columns.map((name, position) => ({ name, type_text: 'STRING', type_name: 'STRING', position, nullable: true })) }
  }
  if (env.catalog.absent.has(key) || !parts.every((p) => PART.test(p))) return undefined
  const outcome = await env.sql.execute(`SELECT * FROM ${parts.map((p) => `\`${p}\``).join('.')} LIMIT 0`)
  // without DuckDB the emulator has no tables at all: saying "does not exist" would be a lie that
  // preflight reports as an error; a server error is what it is (preflight warns it could not check)
  if (!outcome.ok && outcome.errorCode === 'INTERNAL_ERROR') throw new ApiError(500, 'INTERNAL_ERROR', outcome.message)
  if (!outcome.ok) return undefined
  return {
    kind: 'table',
    columns: outcome.columns.map((c) => ({ name: c.name, type_text: c.type_text, type_name: c.type_name, position: c.position, nullable: true }))
  }
}

function tableInfo(env: RouteEnv, fullName: string, t: TableView): Record<string, unknown> {
  const [catalog, schema, name] = splitFullName(fullName) as [string, string, string]
  return {
    name,
    catalog_name: catalog,
    schema_name: schema,
    full_name: `${catalog}.${schema}.${name}`,
    table_type: t.kind === 'metric_view' ? 'METRIC_VIEW' : 'MANAGED',
    data_source_format: t.kind === 'metric_view' ? undefined : 'DELTA',
    owner: env.state.userName,
    columns: t.columns
  }
}

function effective(env: RouteEnv, fullName: string, principal: string | undefined): Record<string, unknown> {
  const [catalog, schema] = splitFullName(fullName) as [string, string, string]
  const key = fullName.toLowerCase()
  const sources: [string, string | undefined][] = [
    [key, undefined],
    [`${catalog}.${schema}`, 'SCHEMA'],
    [catalog, 'CATALOG']
  ]
  const byPrincipal = new Map<string, { privilege: string; inherited_from_type?: string; inherited_from_name?: string }[]>()
  for (const [securable, type] of sources) {
    for (const [who, privileges] of env.catalog.grants.get(securable) ?? []) {
      if (principal !== undefined && who !== principal) continue
      const list = byPrincipal.get(who) ?? []
      byPrincipal.set(who, list)
      for (const privilege of privileges) list.push(type ? { privilege, inherited_from_type: type, inherited_from_name: securable } : { privilege })
    }
  }
  const assignments = [...byPrincipal].filter(([, p]) => p.length > 0).map(([who, privileges]) => ({ principal: who, privileges }))
  return assignments.length ? { privilege_assignments: assignments } : {}
}

function stringList(body: Record<string, unknown>, field: string): string[] {
  const v = body[field]
  if (v === undefined) return []
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x !== '')) throw invalidParameter(`${field} must be a list of names`)
  return v.map((x: string) => x.toLowerCase())
}

export function registerUnityCatalogRoutes(router: Router, env: RouteEnv): void {
  router.add({
    method: 'GET',
    pattern: '/api/2.1/unity-catalog/tables/{full_name}',
    op: 'uc-table-get',
    handler: async (req) => {
      const name = req.params['full_name'] ?? ''
      requireAccess(env, name)
      const t = await findTable(env, name)
      if (!t) throw tableMissing(name)
      return ok(tableInfo(env, name, t))
    }
  })

  router.add({
    method: 'GET',
    pattern: '/api/2.1/unity-catalog/functions/{full_name}',
    op: 'uc-function-get',
    handler: (req) => {
      const name = req.params['full_name'] ?? ''
      requireAccess(env, name)
      const parts = splitFullName(name)
      const f = parts ? env.catalog.objects.get(parts.join('.')) : undefined
      if (!parts || f?.kind !== 'function') throw new ApiError(404, 'FUNCTION_DOES_NOT_EXIST', `Routine or Model '${name.toLowerCase()}' does not exist.`)
      const [catalog, schema, fn] = parts
      return ok({ name: fn, catalog_name: catalog, schema_name: schema, full_name: parts.join('.'), data_type: 'TABLE_TYPE', owner: env.state.userName })
    }
  })

  router.add({
    method: 'GET',
    pattern: '/api/2.1/unity-catalog/effective-permissions/{securable_type}/{full_name}',
    op: 'uc-effective-permissions-get',
    handler: async (req) => {
      const type = req.params['securable_type'] ?? ''
      const name = req.params['full_name'] ?? ''
      requireAccess(env, name)
      if (type !== 'table') throw invalidParameter(`Unsupported securable type '${type}' (the emulator knows 'table')`)
      if (!(await findTable(env, name))) throw tableMissing(name)
      const principal = req.query.get('principal') ?? undefined
      return ok(effective(env, name, principal === '' ? undefined : principal))
    }
  })

  router.add({
    method: 'POST',
    pattern: '/_emulator/unity-catalog',
    op: 'admin-unity-catalog',
    handler: (req) => {
      const body = jsonBody(req.rawBody)
      const c = env.catalog
      for (const n of stringList(body, 'absent')) c.absent.add(n)
      for (const n of stringList(body, 'present')) c.absent.delete(n)
      const objects = body['objects'] ?? []
      if (!Array.isArray(objects)) throw invalidParameter('objects must be a list')
      for (const o of objects) {
        if (!isPlainObject(o) || !KINDS.includes(o['kind'] as CatalogObjectKind) || typeof o['full_name'] !== 'string' || !splitFullName(o['full_name'])) {
          throw invalidParameter('each object needs kind (table, metric_view, function) and full_name catalog.schema.name')
        }
        c.objects.set(o['full_name'].toLowerCase(), { kind: o['kind'] as CatalogObjectKind, columns: stringList(o, 'columns') })
      }
      const grants = body['grants'] ?? []
      if (!Array.isArray(grants)) throw invalidParameter('grants must be a list')
      for (const g of grants) {
        if (!isPlainObject(g) || typeof g['securable'] !== 'string' || typeof g['principal'] !== 'string')
          throw invalidParameter('each grant needs securable, principal and privileges')
        c.grant(
          g['securable'],
          g['principal'],
          stringList(g, 'privileges').map((p) => p.toUpperCase())
        )
      }
      if (body['access'] !== undefined) {
        if (body['access'] !== 'allow' && body['access'] !== 'deny') throw invalidParameter('access must be allow or deny')
        c.denied = body['access'] === 'deny'
      }
      return ok(view(env))
    }
  })

  router.add({ method: 'GET', pattern: '/_emulator/unity-catalog', op: 'admin-unity-catalog-get', handler: () => ok(view(env)) })
}

function view(env: RouteEnv): Record<string, unknown> {
  const c = env.catalog
  return {
    access: c.denied ? 'deny' : 'allow',
    absent: [...c.absent],
    objects: [...c.objects].map(([full_name, o]) => ({ full_name, ...o })),
    grants: [...c.grants].flatMap(([securable, m]) => [...m].map(([principal, p]) => ({ securable, principal, privileges: [...p] })))
  }
}
