import { fromLines } from '../model/text.js'
import type { Space, SpaceMeta } from '../model/space.js'
import type { WireSpaceDocument } from '../model/serialized.js'

/**
 * What differs between two spaces, item by item, matched by identity (table identifier, column
 * name, item id) — never by position, so reordering is no change. Both sides must be canonical,
 * so server-side normalisation (v1 → v2, key order, line splitting) never shows as a change.
 */
export type ChangeKind = 'add' | 'remove' | 'change'

export interface Change {
  kind: ChangeKind
  /** What sort of thing: table, column, instruction, example query, … */
  what: string
  /** How a person recognises it: the identifier, question text, display name. */
  name: string
}

type Item = { key: string; name: string; value: unknown }

const short = (text: string, max = 80) => {
  const one = text.replace(/\s+/g, ' ').trim()
  return one.length > max ? `${one.slice(0, max - 1)}…` : one
}

function collections(doc: WireSpaceDocument): { what: string; items: Item[] }[] {
  const ins = doc.instructions
  const snippet = (what: string, list: NonNullable<NonNullable<typeof ins>['sql_snippets']>['filters']) => ({
    what,
    items: (list ?? []).map((s) => ({ key: s.id, name: s.display_name ?? s.alias ?? short(fromLines(s.sql)), value: s }))
  })
  return [
    { what: 'sample question', items: (doc.config?.sample_questions ?? []).map((q) => ({ key: q.id, name: short(fromLines(q.question)), value: q })) },
    { what: 'text instruction', items: (ins?.text_instructions ?? []).map((t) => ({ key: t.id, name: short(fromLines(t.content), 60), value: t })) },
    { what: 'example query', items: (ins?.example_question_sqls ?? []).map((e) => ({ key: e.id, name: short(fromLines(e.question)), value: e })) },
    { what: 'SQL function', items: (ins?.sql_functions ?? []).map((f) => ({ key: `${f.id}|${f.identifier}`, name: f.identifier, value: f })) },
    { what: 'join', items: (ins?.join_specs ?? []).map((j) => ({ key: j.id, name: `${j.left.identifier} ↔ ${j.right.identifier}`, value: j })) },
    snippet('filter', ins?.sql_snippets?.filters),
    snippet('expression', ins?.sql_snippets?.expressions),
    snippet('measure', ins?.sql_snippets?.measures),
    { what: 'benchmark', items: (doc.benchmarks?.questions ?? []).map((b) => ({ key: b.id, name: short(fromLines(b.question)), value: b })) }
  ]
}

function compareItems(what: string, desired: Item[], live: Item[], out: Change[]): void {
  const before = new Map(live.map((i) => [i.key, i]))
  const after = new Map(desired.map((i) => [i.key, i]))
  for (const d of desired) {
    const l = before.get(d.key)
    if (!l) out.push({ kind: 'add', what, name: d.name })
    else if (JSON.stringify(l.value) !== JSON.stringify(d.value)) out.push({ kind: 'change', what, name: d.name })
  }
  for (const l of live) if (!after.has(l.key)) out.push({ kind: 'remove', what, name: l.name })
}

/** parent_path may come back without the /Workspace prefix (genie-api.md). */
export function normalizeParentPath(p: string | null | undefined): string | undefined {
  if (p === undefined || p === null || p === '') return undefined
  const trimmed = p.replace(/\/+$/, '') || '/'
  return trimmed.replace(/^\/Workspace(?=\/|$)/, '') || '/'
}

const META_KEYS: (keyof SpaceMeta)[] = ['title', 'description', 'warehouse_id', 'parent_path']

/** Metadata differences; a field the desired side does not set is not compared. */
export function metaChanges(desired: SpaceMeta, live: SpaceMeta): Change[] {
  const out: Change[] = []
  for (const key of META_KEYS) {
    const want = desired[key]
    if (want === undefined || want === null) continue
    const have = live[key]
    const same = key === 'parent_path' ? normalizeParentPath(want) === normalizeParentPath(have) : want === (have ?? '')
    if (!same) out.push({ kind: 'change', what: key.replace('_', ' '), name: short(String(want)) })
  }
  return out
}

export function documentChanges(desired: WireSpaceDocument, live: WireSpaceDocument): Change[] {
  const out: Change[] = []
  for (const key of ['tables', 'metric_views'] as const) {
    const what = key === 'tables' ? 'table' : 'metric view'
    const l = new Map((live.data_sources?.[key] ?? []).map((t) => [t.identifier, t]))
    const d = new Map((desired.data_sources?.[key] ?? []).map((t) => [t.identifier, t]))
    for (const [id, t] of d) {
      const before = l.get(id)
      if (!before) {
        out.push({ kind: 'add', what, name: id })
        continue
      }
      if (JSON.stringify(before.description) !== JSON.stringify(t.description)) out.push({ kind: 'change', what: `${what} description`, name: id })
      compareItems(
        `column of ${id}`,
        (t.column_configs ?? []).map((c) => ({ key: c.column_name, name: c.column_name, value: c })),
        (before.column_configs ?? []).map((c) => ({ key: c.column_name, name: c.column_name, value: c })),
        out
      )
    }
    for (const id of l.keys()) if (!d.has(id)) out.push({ kind: 'remove', what, name: id })
  }
  const lc = collections(live)
  collections(desired).forEach((c, i) => compareItems(c.what, c.items, lc[i]?.items ?? [], out))
  return out
}

export function spaceChanges(desired: Space, live: Space): Change[] {
  return [...metaChanges(desired.meta, live.meta), ...documentChanges(desired.document, live.document)]
}

const SIGN: Record<ChangeKind, string> = { add: '+', remove: '-', change: '~' }

export function formatChange(c: Change): string {
  return `${SIGN[c.kind]} ${c.what}: ${c.name}`
}

/** "+2 tables, ~1 instruction, −1 example query" style one-line count. */
export function summarizeChanges(changes: readonly Change[]): string {
  if (!changes.length) return 'no changes'
  const counts = { add: 0, change: 0, remove: 0 }
  for (const c of changes) counts[c.kind]++
  return [counts.add ? `${counts.add} to add` : '', counts.change ? `${counts.change} to change` : '', counts.remove ? `${counts.remove} to remove` : '']
    .filter(Boolean)
    .join(', ')
}
