import { create } from 'jsondiffpatch'
import { fromLines } from '../model/text.js'
import { splitJoinSql } from '../model/canonical.js'
import type { Space, SpaceMeta } from '../model/space.js'
import type { WireSpaceDocument } from '../model/serialized.js'
import { principalKey, principalLabel, principalOf, type Grant } from '../model/permissions.js'

/**
 * The semantic diff of two spaces, in the words a Databricks user thinks in: tables, columns,
 * instructions, joins, examples, snippets, benchmarks. Built on jsondiffpatch over a "diffable
 * view" of each canonical space, with object hashes so array items are matched by identity —
 * table identifier, column name, parameter name, item id (falling back to the question text for
 * questions whose id differs) — never by position: reordering is no change. Texts are compared
 * as whole strings and shown as line diffs. Server-side normalisation (v1 → v2, key order, line
 * splitting, ids the server keeps) cannot show up, because both sides are canonical.
 */
export type ChangeKind = 'add' | 'remove' | 'change'

export interface FieldChange {
  kind: ChangeKind
  /** e.g. `sql`, `column status › enable_entity_matching`, `parameter start › default_value` */
  field: string
  before?: unknown
  after?: unknown
}

export interface ItemChange {
  kind: ChangeKind
  /** `space`, `table`, `metric view`, `sample question`, `instruction`, `example query`, … */
  what: string
  /** how a person recognises the item: identifier, question text, display name */
  name: string
  /** for `change`: what changed inside the item */
  fields: FieldChange[]
  /** for `add` / `remove`: the item */
  value?: unknown
}

export interface SpaceDiff {
  changes: ItemChange[]
  counts: Record<ChangeKind, number>
}

type Entry = Record<string, unknown> & { _key: string }

interface Section {
  key: string
  what: string
  plural: string
  name: (item: Record<string, unknown>) => string
}

const str = (v: unknown) => (typeof v === 'string' ? v : '')
const firstLine = (text: string, max = 72) => {
  const line = text.split('\n').find((l) => l.trim()) ?? ''
  const t = line.trim().replace(/^#+\s*/, '')
  return t.length > max ? `${t.slice(0, max - 1)}…` : t
}

export const SECTIONS: Section[] = [
  { key: 'tables', what: 'table', plural: 'tables', name: (t) => str(t.identifier) },
  { key: 'metric_views', what: 'metric view', plural: 'metric views', name: (t) => str(t.identifier) },
  {
    key: 'joins',
    what: 'join',
    plural: 'joins',
    name: (j) => `${str((j.left as Record<string, unknown>)?.identifier)} ↔ ${str((j.right as Record<string, unknown>)?.identifier)}`
  },
  { key: 'instructions', what: 'instruction', plural: 'instructions', name: (t) => firstLine(str(t.content)) },
  { key: 'example_queries', what: 'example query', plural: 'example queries', name: (e) => firstLine(str(e.question)) },
  { key: 'sql_functions', what: 'SQL function', plural: 'SQL functions', name: (f) => str(f.identifier) },
  { key: 'filters', what: 'filter', plural: 'filters', name: (s) => str(s.display_name) || str(s.alias) || firstLine(str(s.sql)) },
  { key: 'expressions', what: 'expression', plural: 'expressions', name: (s) => str(s.alias) || str(s.display_name) || firstLine(str(s.sql)) },
  { key: 'measures', what: 'measure', plural: 'measures', name: (s) => str(s.alias) || str(s.display_name) || firstLine(str(s.sql)) },
  { key: 'sample_questions', what: 'sample question', plural: 'sample questions', name: (q) => firstLine(str(q.question)) },
  { key: 'benchmarks', what: 'benchmark', plural: 'benchmarks', name: (b) => firstLine(str(b.question)) }
]

const text = (lines: readonly string[] | undefined) => (lines?.length ? fromLines(lines) : undefined)

function clean<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k]
  return o
}

/** The space as jsondiffpatch sees it: texts as strings, arrays of keyed entries. */
export function diffableView(space: Space): Record<string, unknown> {
  const d: WireSpaceDocument = space.document
  const ins = d.instructions
  const tables = (list: NonNullable<WireSpaceDocument['data_sources']>['tables']) =>
    (list ?? []).map((t) =>
      clean({
        _key: t.identifier.toLowerCase(),
        identifier: t.identifier,
        description: text(t.description),
        column_configs: (t.column_configs ?? []).map((c) =>
          clean({
            _key: `column ${c.column_name}`,
            column_name: c.column_name,
            description: text(c.description),
            synonyms: c.synonyms,
            exclude: c.exclude,
            enable_format_assistance: c.enable_format_assistance,
            enable_entity_matching: c.enable_entity_matching
          })
        )
      })
    )
  const snippets = (list: NonNullable<NonNullable<typeof ins>['sql_snippets']>['filters']) =>
    (list ?? []).map((s) =>
      clean({
        _key: s.id,
        id: s.id,
        sql: fromLines(s.sql),
        display_name: s.display_name,
        alias: s.alias,
        synonyms: s.synonyms,
        instruction: text(s.instruction),
        comment: text(s.comment)
      })
    )
  return clean({
    title: space.meta.title,
    description: space.meta.description,
    warehouse_id: space.meta.warehouse_id ?? undefined,
    parent_path: space.meta.parent_path,
    tables: tables(d.data_sources?.tables),
    metric_views: tables(d.data_sources?.metric_views),
    joins: (ins?.join_specs ?? []).map((j) => {
      const { condition, marker } = splitJoinSql(j.sql)
      return clean({
        _key: j.id,
        id: j.id,
        left: j.left,
        right: j.right,
        condition,
        relationship_type: marker?.match(/FROM_RELATIONSHIP_TYPE_([A-Z_]+)/)?.[1]?.toLowerCase(),
        comment: text(j.comment),
        instruction: text(j.instruction)
      })
    }),
    instructions: (ins?.text_instructions ?? []).map((t) => ({ _key: t.id, id: t.id, content: fromLines(t.content) })),
    example_queries: (ins?.example_question_sqls ?? []).map((e) =>
      clean({
        _key: e.id,
        id: e.id,
        question: fromLines(e.question),
        sql: fromLines(e.sql),
        usage_guidance: text(e.usage_guidance),
        parameters: (e.parameters ?? []).map((p) =>
          clean({ _key: `parameter ${p.name}`, name: p.name, type_hint: p.type_hint, description: text(p.description), default_value: p.default_value?.values })
        )
      })
    ),
    sql_functions: (ins?.sql_functions ?? []).map((f) =>
      clean({ _key: `${f.id}|${f.identifier}`, id: f.id, identifier: f.identifier, description: f.description })
    ),
    filters: snippets(ins?.sql_snippets?.filters),
    expressions: snippets(ins?.sql_snippets?.expressions),
    measures: snippets(ins?.sql_snippets?.measures),
    sample_questions: (d.config?.sample_questions ?? []).map((q) => ({ _key: q.id, id: q.id, question: fromLines(q.question) })),
    benchmarks: (d.benchmarks?.questions ?? []).map((b) => ({ _key: b.id, id: b.id, question: fromLines(b.question), sql: fromLines(b.answer[0]?.content) }))
  })
}

/**
 * Items are matched by id; where ids differ (a space created in the UI has random ids, a YAML
 * without ids derives them) an item of `after` whose id is not in `before` is matched by what a
 * person recognises it by — the question text, the identifier, the snippet's alias or name — and
 * takes the key of that `before` item, so it shows as a change of id rather than a removal and an
 * addition. A space keeps one text instruction, so two unmatched instructions are the same one.
 */
function alignByName(before: Record<string, unknown>, after: Record<string, unknown>): void {
  for (const section of SECTIONS) {
    if (section.key === 'tables' || section.key === 'metric_views') continue
    const b = (before[section.key] as Entry[] | undefined) ?? []
    const a = (after[section.key] as Entry[] | undefined) ?? []
    const aKeys = new Set(a.map((x) => x._key))
    const bKeys = new Set(b.map((x) => x._key))
    const unmatchedBefore = b.filter((x) => !aKeys.has(x._key))
    const unmatchedAfter = a.filter((x) => !bKeys.has(x._key))
    if (section.key === 'instructions' && unmatchedBefore.length === 1 && unmatchedAfter.length === 1) {
      ;(unmatchedAfter[0] as Entry)._key = (unmatchedBefore[0] as Entry)._key
      continue
    }
    const byName = new Map(unmatchedBefore.map((x) => [section.name(x).trim().toLowerCase(), x]))
    for (const item of unmatchedAfter) {
      const name = section.name(item).trim().toLowerCase()
      const match = byName.get(name)
      if (match && name) {
        item._key = match._key
        byName.delete(name)
      }
    }
  }
}

const differ = create({
  objectHash: (o: object, index?: number) => (o as Entry)._key ?? `#${index ?? 0}`,
  // texts are compared whole (no textDiff is configured); the renderers show line diffs
  arrays: { detectMove: false, includeValueOnMove: false }
})

type Delta = Record<string, unknown>

const strip = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(strip)
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) if (k !== '_key') out[k] = strip(x)
    return out
  }
  return v
}

/** Field-level changes inside one item (nested keyed arrays become "column x › field"). */
function fieldChanges(delta: Delta, before: Record<string, unknown>, after: Record<string, unknown>, prefix: string, out: FieldChange[]): void {
  for (const [key, d] of Object.entries(delta)) {
    if (key === '_key' || key === '_t') continue
    const label = prefix ? `${prefix} › ${key}` : key
    if (Array.isArray(d)) {
      if (d.length === 1) out.push({ kind: 'add', field: label, after: strip(d[0]) })
      else if (d.length === 2) out.push({ kind: 'change', field: label, before: strip(d[0]), after: strip(d[1]) })
      else if (d.length === 3 && d[2] === 0) out.push({ kind: 'remove', field: label, before: strip(d[0]) })
      continue
    }
    if (!d || typeof d !== 'object') continue
    const sub = d as Delta
    const b = before[key]
    const a = after[key]
    if (sub._t === 'a' && Array.isArray(b) && Array.isArray(a)) {
      const keyed = [...b, ...a].some((x) => x && typeof x === 'object' && '_key' in (x as object))
      if (!keyed) {
        // a plain list (synonyms, default values): report the whole list
        out.push({ kind: 'change', field: label, before: b, after: a })
        continue
      }
      for (const [k, v] of Object.entries(sub)) {
        if (k === '_t' || (!Array.isArray(v) && (typeof v !== 'object' || v === null))) continue
        if (k.startsWith('_')) {
          const old = (v as unknown[])[0] as Entry
          out.push({ kind: 'remove', field: old._key, before: strip(old) })
        } else if (Array.isArray(v)) {
          const added = v[0] as Entry
          out.push({ kind: 'add', field: added._key, after: strip(added) })
        } else {
          const next = a[Number(k)] as Entry
          const prev = (b as Entry[]).find((x) => x._key === next._key) ?? ({} as Entry)
          fieldChanges(v as Delta, prev, next, next._key, out)
        }
      }
      continue
    }
    fieldChanges(sub, (b as Record<string, unknown>) ?? {}, (a as Record<string, unknown>) ?? {}, label, out)
  }
}

const META: (keyof SpaceMeta)[] = ['title', 'description', 'warehouse_id', 'parent_path']

/** parent_path may come back without the /Workspace prefix (genie-api.md). */
export function normalizeParentPath(p: string | null | undefined): string | undefined {
  if (p === undefined || p === null || p === '') return undefined
  const trimmed = p.replace(/\/+$/, '') || '/'
  return trimmed.replace(/^\/Workspace(?=\/|$)/, '') || '/'
}

export interface DiffOptions {
  /**
   * Compare only the metadata the desired (after) side sets — what push does: a definition
   * without a description leaves the live description alone. Default true.
   */
  onlyDesiredMeta?: boolean
}

/** What changes when `before` becomes `after`. */
export function diffSpaces(before: Space, after: Space, options: DiffOptions = {}): SpaceDiff {
  const onlyDesired = options.onlyDesiredMeta ?? true
  const b = diffableView(before)
  const a = diffableView(after)
  for (const key of META) {
    const want = a[key]
    if (want === undefined && onlyDesired) delete b[key]
    if (key === 'parent_path' && normalizeParentPath(b[key] as string) === normalizeParentPath(want as string)) b[key] = want
  }
  alignByName(b, a)
  // order both sides by key, so matched items stand at matching positions (order is no change)
  for (const section of SECTIONS) {
    for (const side of [a, b]) {
      const list = side[section.key] as Entry[] | undefined
      if (list) list.sort((x, y) => (x._key < y._key ? -1 : x._key > y._key ? 1 : 0))
    }
  }
  const delta = (differ.diff(b, a) ?? {}) as Delta
  const changes: ItemChange[] = []
  for (const key of META) {
    const d = delta[key]
    if (!Array.isArray(d)) continue
    const kind: ChangeKind = d.length === 1 ? 'add' : d.length === 3 ? 'remove' : 'change'
    const [before0, after0] = d.length === 1 ? [undefined, d[0]] : d.length === 3 ? [d[0], undefined] : [d[0], d[1]]
    changes.push({ kind, what: 'space', name: key.replace('_', ' '), fields: [{ kind, field: key, before: before0, after: after0 }] })
  }
  for (const section of SECTIONS) {
    const sd = delta[section.key] as Delta | undefined
    if (!sd) continue
    const beforeList = (b[section.key] as Entry[] | undefined) ?? []
    const afterList = (a[section.key] as Entry[] | undefined) ?? []
    for (const [k, v] of Object.entries(sd)) {
      if (k === '_t') continue
      if (k.startsWith('_')) {
        const old = (v as unknown[])[0] as Entry
        changes.push({ kind: 'remove', what: section.what, name: section.name(old), fields: [], value: strip(old) })
      } else if (Array.isArray(v)) {
        const added = v[0] as Entry
        changes.push({ kind: 'add', what: section.what, name: section.name(added), fields: [], value: strip(added) })
      } else {
        const next = afterList[Number(k)] as Entry
        const prev = beforeList.find((x) => x._key === next._key) ?? ({} as Entry)
        const fields: FieldChange[] = []
        fieldChanges(v as Delta, prev, next, '', fields)
        if (fields.length) changes.push({ kind: 'change', what: section.what, name: section.name(next), fields })
      }
    }
  }
  const order = new Map(SECTIONS.map((s, i) => [s.what, i + 1]))
  changes.sort((x, y) => (order.get(x.what) ?? 0) - (order.get(y.what) ?? 0))
  // grants last, and only when both sides have them (the definition owns them; see model/permissions.ts)
  if (before.permissions && after.permissions) changes.push(...grantChanges(before.permissions, after.permissions))
  const counts = { add: 0, change: 0, remove: 0 }
  for (const c of changes) counts[c.kind]++
  return { changes, counts }
}

/**
 * The grants changed when `before` becomes `after`, by principal: `+ group analysts CAN_RUN`,
 * `~ user x CAN_VIEW → CAN_EDIT`, `- user y CAN_VIEW` (what `grant`, field `level`).
 */
export function grantChanges(before: readonly Grant[], after: readonly Grant[]): ItemChange[] {
  const keyed = (list: readonly Grant[]) => new Map(list.map((g) => [principalKey(principalOf(g)), g]))
  const b = keyed(before)
  const a = keyed(after)
  const out: ItemChange[] = []
  for (const [k, g] of a) {
    const old = b.get(k)
    const name = principalLabel(principalOf(g))
    if (!old) out.push({ kind: 'add', what: 'grant', name, fields: [], value: { level: g.level } })
    else if (old.level !== g.level)
      out.push({ kind: 'change', what: 'grant', name, fields: [{ kind: 'change', field: 'level', before: old.level, after: g.level }] })
  }
  for (const [k, g] of b)
    if (!a.has(k)) out.push({ kind: 'remove', what: 'grant', name: principalLabel(principalOf(g)), fields: [], value: { level: g.level } })
  const rank = { add: 0, change: 1, remove: 2 }
  return out.sort((x, y) => rank[x.kind] - rank[y.kind] || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))
}
