import { invertMapping, remapIdentifier, remapIdentifiers, remapText, type IdentifierMapping } from '../sql/index.js'
import { SpaceOpsError } from '../util/errors.js'
import { canonicalizeDocument } from '../model/canonical.js'
import { fromLines, toLines } from '../model/text.js'
import type { Space } from '../model/space.js'
import { effectiveGrants } from '../model/permissions.js'
import type { WireSpaceDocument } from '../model/serialized.js'
import type { ResolvedEnvironment, SpaceSettings } from './config.js'

/**
 * A definition as one environment gets it: its catalog / schema / table mappings applied
 * consistently to table and metric-view identifiers, join sides, SQL functions, inside every SQL
 * text (examples, snippets, join conditions, benchmark answers) — rewritten by identifier, never by
 * blind string replacement — and to names mentioned in instructions and descriptions; plus the
 * environment's warehouse, folder and title. Item ids do not change between environments.
 */
export interface RenderedForEnvironment {
  space: Space
  replacements: number
}

export function mappingOf(envc: ResolvedEnvironment): IdentifierMapping {
  return { catalogs: envc.mappings.catalogs, schemas: envc.mappings.schemas, tables: envc.mappings.tables }
}

export function renderForEnvironment(space: Space, envc: ResolvedEnvironment, settings: SpaceSettings): RenderedForEnvironment {
  const r = remapSpace(space, mappingOf(envc))
  const meta = r.space.meta
  if (settings.warehouse_id) meta.warehouse_id = settings.warehouse_id
  if (settings.parent_path) meta.parent_path = settings.parent_path
  if (settings.title) meta.title = settings.title
  // the environment's grants replace the definition's (model/permissions.ts effectiveGrants)
  const grants = effectiveGrants(space, envc)
  if (grants) r.space.permissions = grants
  return r
}

/** A space with every catalog / schema / table name mapped (the document, and names in the description). */
function remapSpace(space: Space, mapping: IdentifierMapping): RenderedForEnvironment {
  let replacements = 0
  const ident = (name: string) => {
    const out = remapIdentifier(name, mapping)
    if (out !== name) replacements++
    return out
  }
  const sql = (lines: string[]): string[] => {
    const r = remapIdentifiers(fromLines(lines), mapping)
    replacements += r.replacements
    return toLines(r.sql)
  }
  const prose = (lines: string[] | undefined): string[] | undefined => {
    if (!lines) return lines
    const r = remapText(fromLines(lines), mapping)
    replacements += r.replacements
    return toLines(r.text)
  }
  const doc: WireSpaceDocument = structuredClone(space.document)
  for (const key of ['tables', 'metric_views'] as const) {
    for (const t of doc.data_sources?.[key] ?? []) {
      t.identifier = ident(t.identifier)
      if (t.description) t.description = prose(t.description) as string[]
      for (const c of t.column_configs ?? []) if (c.description) c.description = prose(c.description) as string[]
    }
  }
  const ins = doc.instructions
  for (const t of ins?.text_instructions ?? []) t.content = prose(t.content) as string[]
  for (const e of ins?.example_question_sqls ?? []) {
    e.sql = sql(e.sql)
    if (e.usage_guidance) e.usage_guidance = prose(e.usage_guidance) as string[]
  }
  for (const f of ins?.sql_functions ?? []) f.identifier = ident(f.identifier)
  for (const j of ins?.join_specs ?? []) {
    j.left.identifier = ident(j.left.identifier)
    j.right.identifier = ident(j.right.identifier)
    // the condition lines, then the relationship marker (left as is)
    const marker = j.sql.length && /^--rt=/.test(j.sql[j.sql.length - 1]?.trim() ?? '') ? j.sql[j.sql.length - 1] : undefined
    const condition = marker ? j.sql.slice(0, -1) : j.sql
    j.sql = [...sql(condition), ...(marker ? [marker] : [])]
    if (j.instruction) j.instruction = prose(j.instruction) as string[]
    if (j.comment) j.comment = prose(j.comment) as string[]
  }
  for (const list of [ins?.sql_snippets?.filters, ins?.sql_snippets?.expressions, ins?.sql_snippets?.measures]) {
    for (const s of list ?? []) {
      s.sql = sql(s.sql)
      if (s.instruction) s.instruction = prose(s.instruction) as string[]
      if (s.comment) s.comment = prose(s.comment) as string[]
    }
  }
  for (const b of doc.benchmarks?.questions ?? []) for (const a of b.answer) a.content = sql(a.content)

  const meta = { ...space.meta }
  if (meta.description) {
    const r = remapText(meta.description, mapping)
    replacements += r.replacements
    meta.description = r.text
  }
  // identifiers changed, so sort orders may have: canonicalise again
  return { space: { meta, document: canonicalizeDocument(doc) }, replacements }
}

/** What of the live metadata is the environment's, not the definition's (warehouse, folder, title it sets). */
export interface EnvironmentOwned {
  title: boolean
  warehouse_id: boolean
  parent_path: boolean
}

/**
 * The inverse of renderForEnvironment: a live space of an environment in the source environment's
 * names (the inverse of its catalog, schema and table mappings, by identifier), with the settings
 * the environment gives (warehouse, folder, title) taken out of it: they are not the definition's.
 * A mapping that cannot be inverted (two names mapped to one) is an error naming both.
 */
export function renderFromEnvironment(
  live: Space,
  envc: ResolvedEnvironment,
  settings: SpaceSettings,
  configFile: string
): RenderedForEnvironment & { owned: EnvironmentOwned } {
  const inv = invertMapping(mappingOf(envc))
  if ('conflict' in inv) {
    const c = inv.conflict
    const key = c.section === 'catalogs' ? 'catalog_mappings' : c.section === 'schemas' ? 'schema_mappings' : 'table_mappings'
    throw new SpaceOpsError(
      `environments.${envc.name}.${key} maps both ${c.first} and ${c.second} to ${c.to}: a space of ${envc.name} cannot be mapped back to one of them`,
      { location: { file: configFile } }
    )
  }
  const r = remapSpace(live, inv.mapping)
  const owned = { title: !!settings.title, warehouse_id: !!settings.warehouse_id, parent_path: !!settings.parent_path }
  for (const k of Object.keys(owned) as (keyof EnvironmentOwned)[]) if (owned[k]) delete r.space.meta[k]
  return { ...r, owned }
}
