import { isMap, isScalar, isSeq, parseDocument, type Document, type Node, type YAMLMap, type YAMLSeq } from 'yaml'
import { authoringToSpace, idFor, spaceToAuthoring } from './convert.js'
import { canonicalizeDocument, splitJoinSql } from './canonical.js'
import { loadDefinitionText, type LoadedDefinition } from './load.js'
import type { Path, Space, SpaceMeta } from './space.js'
import type { WireSpaceDocument } from './serialized.js'
import { fromLines } from './text.js'
import { canonicalGrants, sameGrants } from './permissions.js'
import type { AuthoringJoin } from './authoring.js'
import { lineDiff } from '../util/line-diff.js'

/**
 * Editing an existing definition so that it says what a live space says, in place: the file is
 * changed only where a value differs. YAML goes through the `yaml` package's Document model, which
 * keeps comments, key order, flow or block style and quoting; items are matched to the live ones
 * by identity (id, table identifier, column name), so an item the UI changed is patched field by
 * field, one the UI added is appended to its list, one it removed is removed with its comments.
 * Forms the author chose stay: the short join form, categorised instructions (an edit inside one
 * category lands in it), left-out derived ids, v1 flag names, plain-string sample questions.
 * Settings the author left to the environment (`warehouse_id: null`, an absent `parent_path`) are
 * not written in. `.geniespace.json` keeps its item order and unchanged items as they are.
 *
 * The result is always checked: it is read again and must give exactly the target space; when the
 * in-place edit cannot express it, `inPlace` is false and the text is a fresh file.
 */
export interface EditResult {
  text: string
  /** false: the edit could not be made in place (see `reason`); `text` is a freshly written file */
  inPlace: boolean
  changed: boolean
  reason?: string
}

/** Metadata of the live space that is not the definition's (an environment's warehouse, folder, title). */
export interface KeepOptions {
  title?: boolean
  warehouse_id?: boolean
  parent_path?: boolean
  description?: boolean
}

type Item = Record<string, unknown>
interface Kind {
  wire: string[]
  yaml: string[]
  key: (item: Item) => string
}

/** Every list of the document, where it is in the wire document and in the authoring YAML. */
const KINDS: Kind[] = [
  { wire: ['data_sources', 'tables'], yaml: ['data_sources', 'tables'], key: (i) => String(i.identifier) },
  { wire: ['data_sources', 'metric_views'], yaml: ['data_sources', 'metric_views'], key: (i) => String(i.identifier) },
  { wire: ['instructions', 'join_specs'], yaml: ['joins'], key: (i) => String(i.id) },
  { wire: ['instructions', 'example_question_sqls'], yaml: ['example_queries'], key: (i) => String(i.id) },
  { wire: ['instructions', 'sql_functions'], yaml: ['sql_functions'], key: (i) => `${String(i.id)}|${String(i.identifier)}` },
  { wire: ['instructions', 'sql_snippets', 'filters'], yaml: ['filters'], key: (i) => String(i.id) },
  { wire: ['instructions', 'sql_snippets', 'expressions'], yaml: ['expressions'], key: (i) => String(i.id) },
  { wire: ['instructions', 'sql_snippets', 'measures'], yaml: ['measures'], key: (i) => String(i.id) },
  { wire: ['config', 'sample_questions'], yaml: ['sample_questions'], key: (i) => String(i.id) },
  { wire: ['benchmarks', 'questions'], yaml: ['benchmarks'], key: (i) => String(i.id) }
]
const TEXT_INSTRUCTIONS = ['instructions', 'text_instructions']

function listAt(doc: unknown, path: readonly string[]): Item[] {
  let cur: unknown = doc
  for (const k of path) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined
  return Array.isArray(cur) ? (cur as Item[]) : []
}

/** A document holding one item at `path` (to convert or canonicalise that item alone). */
function wrap(path: readonly string[], item: unknown): WireSpaceDocument {
  const root: Record<string, unknown> = { version: 2 }
  let cur = root
  path.forEach((k, i) => {
    if (i === path.length - 1) cur[k] = [item]
    else cur = (cur[k] ??= {}) as Record<string, unknown>
  })
  return root as unknown as WireSpaceDocument
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** The authoring form of one live item. */
function authorOne(kind: Kind, item: Item): Item {
  const a = spaceToAuthoring({ meta: {}, document: canonicalizeDocument(wrap(kind.wire, item)) }) as Record<string, unknown>
  const list = listAt(a, kind.yaml)
  return list[0] as Item
}

/** The target: the live document, with the metadata the definition keeps as it is. */
export function targetSpace(existing: Space, live: Space, keep: KeepOptions): Space {
  const meta: SpaceMeta = {}
  const pick = <K extends keyof SpaceMeta>(k: K, leftToEnv: boolean) => {
    const v = leftToEnv ? existing.meta[k] : live.meta[k]
    if (v !== undefined) meta[k] = v
  }
  pick('title', keep.title === true || live.meta.title === undefined)
  pick('description', keep.description === true)
  pick('warehouse_id', keep.warehouse_id === true || existing.meta.warehouse_id === undefined || existing.meta.warehouse_id === null)
  pick('parent_path', keep.parent_path === true || existing.meta.parent_path === undefined)
  // permissions only where the definition has them (the live grants when the caller read them)
  const permissions = existing.permissions ? (live.permissions ?? existing.permissions) : undefined
  return { meta, document: live.document, ...(permissions ? { permissions } : {}) }
}

function sameSpace(a: Space, b: Space): boolean {
  const norm = (m: SpaceMeta) => ({ title: m.title, description: m.description, warehouse_id: m.warehouse_id ?? null, parent_path: m.parent_path })
  const grants = (s: Space) => (s.permissions ? canonicalGrants(s.permissions) : null)
  return same(a.document, b.document) && same(norm(a.meta), norm(b.meta)) && same(grants(a), grants(b))
}

/**
 * Edit `text` (the definition `file` as on disk) so that it gives `target`. `fresh` writes the
 * target as a new file, for when the in-place edit cannot.
 */
export function editDefinition(file: string, text: string, target: Space, fresh: (space: Space) => string): EditResult {
  const loaded = loadDefinitionText(file, text).definition
  if (!loaded) return { text: fresh(target), inPlace: false, changed: true, reason: 'the existing file is not a readable definition' }
  // a .geniespace.json holds the document only
  if (loaded.format === 'geniespace') target = { meta: {}, document: target.document }
  if (sameSpace(loaded.space, target)) return { text, inPlace: true, changed: false }
  let out: string
  try {
    out = loaded.format === 'yaml' ? editYaml(text, loaded, target) : loaded.format === 'geniespace' ? editJson(text, target) : fresh(target)
  } catch (err) {
    return { text: fresh(target), inPlace: false, changed: true, reason: `the in-place edit failed (${err instanceof Error ? err.message : String(err)})` }
  }
  const check = loadDefinitionText(file, out).definition
  if (!check || !sameSpace(check.space, target)) {
    return { text: fresh(target), inPlace: false, changed: true, reason: 'the in-place edit did not give the live space exactly' }
  }
  return { text: out, inPlace: loaded.format !== 'payload', changed: out !== text }
}

// ------------------------------------------------------------------ JSON (.geniespace.json)

function editJson(text: string, target: Space): string {
  const raw = JSON.parse(text) as Record<string, unknown>
  const live = target.document as unknown as Record<string, unknown>
  const all = [...KINDS.map((k) => k.wire), TEXT_INSTRUCTIONS]
  for (const wire of all) {
    const kind = KINDS.find((k) => k.wire === wire)
    const key = kind?.key ?? ((i: Item) => String(i.id))
    const liveItems = listAt(live, wire)
    const canon = (i: Item) => listAt(canonicalizeDocument(wrap(wire, i)), wire)[0]
    const liveByKey = new Map(liveItems.map((i) => [key(i), i]))
    const oldItems = listAt(raw, wire)
    const kept: Item[] = []
    const seen = new Set<string>()
    for (const o of oldItems) {
      const k = key(canon(o) ?? o)
      const l = liveByKey.get(k)
      if (!l || seen.has(k)) continue
      seen.add(k)
      kept.push(same(canon(o), l) ? o : l)
    }
    for (const l of liveItems) if (!seen.has(key(l))) kept.push(l)
    setList(raw, wire, kept)
  }
  const before = `${JSON.stringify(JSON.parse(text), null, 2)}\n`
  raw.version = 2
  return keepLayout(text, before, `${JSON.stringify(raw, null, 2)}\n`)
}

function setList(root: Record<string, unknown>, path: readonly string[], items: Item[]): void {
  let cur = root
  for (const k of path.slice(0, -1)) {
    if (!cur[k] || typeof cur[k] !== 'object') {
      if (!items.length) return
      cur[k] = {}
    }
    cur = cur[k] as Record<string, unknown>
  }
  const last = path[path.length - 1] as string
  if (items.length) cur[last] = items
  else delete cur[last]
}

// ------------------------------------------------------------------ YAML

const STRINGIFY = { lineWidth: 0, flowCollectionPadding: false } as const

function editYaml(text: string, loaded: LoadedDefinition, target: Space): string {
  const doc = parseDocument(text, { keepSourceTokens: false })
  if (doc.errors.length) throw new Error(doc.errors[0]?.message ?? 'YAML error')
  const existing = loaded.space
  const y = new YamlEditor(doc)

  // metadata
  const meta = target.meta
  for (const k of ['title', 'description', 'warehouse_id', 'parent_path'] as const) {
    const want = meta[k]
    const has = existing.meta[k]
    if (same(want ?? null, has ?? null)) continue
    if (want === undefined) y.remove([k])
    else y.set([k], want, ['title', 'description', 'warehouse_id'].slice(0, ['title', 'description', 'warehouse_id', 'parent_path'].indexOf(k)))
  }

  for (const kind of KINDS) editList(y, loaded, kind, existing.document, target.document)
  editInstructions(y, loaded, target.document)
  // grants: the whole list, in canonical order, when it differs (targetSpace keeps them only where the file has them)
  if (target.permissions && !sameGrants(target.permissions, existing.permissions ?? [])) y.set(['permissions'], canonicalGrants(target.permissions))
  y.dropEmpty(['data_sources'])
  return keepLayout(text, parseDocument(text).toString(STRINGIFY), doc.toString(STRINGIFY))
}

/**
 * The Document model writes its own layout (comment spacing, padding inside flow collections)
 * wherever it prints. So the edit is taken as the line diff between the unedited document printed
 * by it and the edited one, and applied to the original text: lines the edit did not touch stay
 * byte for byte as the author wrote them. When the printer moved lines (not one line per line of
 * the original), its output is used as it is.
 */
function keepLayout(original: string, printedBefore: string, printedAfter: string): string {
  const orig = original.split('\n')
  if (printedBefore.split('\n').length !== orig.length) return printedAfter
  const out: string[] = []
  let i = 0
  for (const d of lineDiff(printedBefore, printedAfter, true)) {
    if (d.op === ' ') out.push(orig[i++] as string)
    else if (d.op === '-') i++
    else out.push(d.line)
  }
  return out.join('\n')
}

class YamlEditor {
  constructor(readonly doc: Document) {}

  node(path: Path): Node | undefined {
    return this.doc.getIn(path, true) as Node | undefined
  }

  js(path: Path): unknown {
    const n = this.node(path)
    return n && typeof (n as { toJSON?: unknown }).toJSON === 'function' ? (n as unknown as { toJSON: () => unknown }).toJSON() : n
  }

  /** Set a value, keeping a scalar's style and a collection's flow/block style. `after`: keys it should follow when new. */
  set(path: Path, value: unknown, after: string[] = []): void {
    const prev = this.node(path)
    if (prev && isScalar(prev) && (value === null || typeof value !== 'object')) {
      prev.value = value
      return
    }
    const node = this.doc.createNode(value) as Node
    if (prev && (isSeq(prev) || isMap(prev)) && (isSeq(node) || isMap(node))) {
      node.flow = prev.flow
      node.commentBefore = prev.commentBefore
      node.comment = prev.comment
    }
    if (prev) {
      this.doc.setIn(path, node)
      return
    }
    const parentPath = path.slice(0, -1)
    const parent = parentPath.length ? this.node(parentPath) : this.doc.contents
    const key = path[path.length - 1]
    if (parent && isMap(parent)) {
      const pair = this.doc.createPair(key, node)
      const at = Math.max(-1, ...after.map((k) => parent.items.findIndex((p) => isScalar(p.key) && p.key.value === k)))
      if (after.length && at >= -1) parent.items.splice(at + 1, 0, pair)
      else parent.items.push(pair)
      return
    }
    this.doc.setIn(path, node)
  }

  remove(path: Path): void {
    if (this.node(path) !== undefined || this.doc.hasIn(path)) this.doc.deleteIn(path)
  }

  seq(path: Path): YAMLSeq | undefined {
    const n = this.node(path)
    return n && isSeq(n) ? n : undefined
  }

  map(path: Path): YAMLMap | undefined {
    const n = this.node(path)
    return n && isMap(n) ? n : undefined
  }

  /** Remove a map left empty by the edits (e.g. data_sources with no tables left). */
  dropEmpty(path: Path): void {
    const m = this.map(path)
    if (m && m.items.length === 0) this.remove(path)
  }
}

/** For each model item of a list, the index of its YAML item. */
function yamlIndexOf(loaded: LoadedDefinition, items: Item[], yamlPath: readonly string[]): Map<Item, number> {
  const out = new Map<Item, number>()
  for (const it of items) {
    const p = loaded.origins.get(it)
    if (p && p.length === yamlPath.length + 1 && yamlPath.every((k, i) => p[i] === k) && typeof p[yamlPath.length] === 'number')
      out.set(it, p[yamlPath.length] as number)
  }
  return out
}

function editList(y: YamlEditor, loaded: LoadedDefinition, kind: Kind, oldDoc: WireSpaceDocument, newDoc: WireSpaceDocument): void {
  const oldItems = listAt(oldDoc, kind.wire)
  const newItems = listAt(newDoc, kind.wire)
  if (same(oldItems, newItems)) return
  const where = yamlIndexOf(loaded, oldItems, kind.yaml)
  const newByKey = new Map(newItems.map((i) => [kind.key(i), i]))
  const oldKeys = new Set(oldItems.map(kind.key))
  const removals: number[] = []
  for (const o of oldItems) {
    const idx = where.get(o)
    if (idx === undefined) throw new Error(`no source position for an item of ${kind.yaml.join('.')}`)
    const n = newByKey.get(kind.key(o))
    if (!n) removals.push(idx)
    else if (!same(o, n)) patchItem(y, [...kind.yaml, idx], kind, n)
  }
  const added = newItems.filter((n) => !oldKeys.has(kind.key(n)))
  // remove from the end so the indices of the others stay
  for (const idx of removals.sort((a, b) => b - a)) removeItem(y, kind.yaml, idx)
  if (added.length) {
    const seq = y.seq(kind.yaml)
    const values = added.map((n) => authorOne(kind, n))
    if (seq) for (const v of values) seq.add(y.doc.createNode(v))
    else y.set(kind.yaml, values)
  }
  const seq = y.seq(kind.yaml)
  if (seq && seq.items.length === 0) y.remove(kind.yaml)
}

/** Remove an item with the comment lines above it. */
function removeItem(y: YamlEditor, listPath: readonly string[], idx: number): void {
  const seq = y.seq([...listPath])
  if (!seq) return
  // the item's comments (the lines above it are its commentBefore) go with it; the parser gives the
  // comment above the first item to the list
  if (idx === 0) seq.commentBefore = undefined
  seq.items.splice(idx, 1)
}

function patchItem(y: YamlEditor, path: Path, kind: Kind, liveItem: Item): void {
  const old = y.js(path)
  let neu: unknown = authorOne(kind, liveItem)
  if (kind.yaml[0] === 'joins' && old && typeof old === 'object' && 'left_table' in (old as Item)) {
    neu = shortJoin(liveItem) ?? neu
  }
  if (typeof old === 'string' || typeof neu === 'string' || !old || typeof old !== 'object') {
    y.set(path, neu)
    return
  }
  patchMap(y, path, old as Item, neu as Item)
}

/** Nested lists patched by their key, not replaced. */
const NESTED: Record<string, string> = { column_configs: 'column_name', parameters: 'name' }
/** v1 flag names the author may have used for these. */
const ALIASES: Record<string, string> = { enable_format_assistance: 'get_example_values', enable_entity_matching: 'build_value_dictionary' }

function patchMap(y: YamlEditor, path: Path, old: Item, neu: Item): void {
  const next: Item = { ...neu }
  for (const [k, alias] of Object.entries(ALIASES)) {
    if (alias in old && !(k in old)) {
      if (k in next) next[alias] = next[k]
      delete next[k]
    }
  }
  // an id the author left out stays out while it is the derived one; a new content keeps the live id
  for (const k of Object.keys(old)) if (!(k in next)) y.remove([...path, k])
  const order = Object.keys(next)
  for (const [k, v] of Object.entries(next)) {
    const ov = old[k]
    if (same(ov, v)) continue
    const keyField = NESTED[k]
    if (keyField && Array.isArray(ov) && Array.isArray(v)) {
      patchNested(y, [...path, k], ov as Item[], v as Item[], keyField)
      continue
    }
    y.set([...path, k], v, k === 'id' ? [] : order.slice(0, order.indexOf(k)))
    if (k === 'id' && !(k in old)) {
      // a new id goes first, as ids are written
      const m = y.map(path)
      const pair = m?.items.pop()
      if (m && pair) m.items.unshift(pair)
    }
  }
}

function patchNested(y: YamlEditor, path: Path, old: Item[], neu: Item[], keyField: string): void {
  const neuBy = new Map(neu.map((n) => [String(n[keyField]), n]))
  const oldKeys = new Set(old.map((o) => String(o[keyField])))
  const removals: number[] = []
  old.forEach((o, i) => {
    const n = neuBy.get(String(o[keyField]))
    if (!n) removals.push(i)
    else if (!same(o, n)) patchMap(y, [...path, i], o, n)
  })
  for (const i of removals.sort((a, b) => b - a)) y.seq(path)?.items.splice(i, 1)
  const seq = y.seq(path)
  for (const n of neu) if (!oldKeys.has(String(n[keyField]))) seq?.add(y.doc.createNode(n))
}

const SHORT_CONDITION = /^`((?:[^`]|``)+)`\.`((?:[^`]|``)+)` = `((?:[^`]|``)+)`\.`((?:[^`]|``)+)`$/
const JOIN_NOTE = /(?:^|\n)Use a (INNER|LEFT|RIGHT|FULL|CROSS) JOIN\.$/

/** A live join in the short form, when the short form says exactly that join. */
function shortJoin(j: Item): Item | undefined {
  const live = j as unknown as {
    id: string
    left: { identifier: string; alias?: string }
    right: { identifier: string; alias?: string }
    sql: string[]
    comment?: string[]
    instruction?: string[]
  }
  const { condition, marker } = splitJoinSql(live.sql)
  const m = SHORT_CONDITION.exec(condition)
  if (!m) return undefined
  const unq = (s: string) => s.replace(/``/g, '`')
  let instruction = live.instruction ? fromLines(live.instruction) : undefined
  let joinType: string | undefined
  const note = instruction !== undefined ? JOIN_NOTE.exec(instruction) : null
  if (instruction !== undefined && note) {
    joinType = (note[1] as string).toLowerCase()
    instruction = instruction.slice(0, note.index) || undefined
  }
  const rt = marker?.match(/FROM_RELATIONSHIP_TYPE_([A-Z_]+)/)?.[1]?.toLowerCase()
  const candidate: Item = {
    left_table: live.left.identifier,
    right_table: live.right.identifier,
    left_column: unq(m[2] as string),
    right_column: unq(m[4] as string),
    ...(joinType ? { join_type: joinType } : {}),
    ...(rt ? { relationship_type: rt } : {}),
    ...(live.comment ? { comment: fromLines(live.comment) } : {}),
    ...(instruction !== undefined ? { instruction } : {})
  }
  const derived = authoringToSpace({ joins: [candidate as AuthoringJoin] }).document.instructions?.join_specs?.[0]
  if (!derived) return undefined
  if (derived.id !== live.id) candidate.id = live.id
  const check = authoringToSpace({ joins: [{ ...candidate } as AuthoringJoin] }).document.instructions?.join_specs?.[0]
  if (!same(check, j)) return undefined
  return candidate.id ? { id: candidate.id, ...candidate } : candidate
}

// ------------------------------------------------------------------ instructions

interface Group {
  id: string
  items: { index: number; category?: string; content: string; explicitId: boolean }[]
}

/** The text instructions' groups, as mergeInstructions in convert.ts forms them. */
function groupsOf(items: { id?: string; category?: string; content: string }[]): Group[] {
  const groups: Group[] = []
  let current: Group | undefined
  items.forEach((item, index) => {
    if (item.id !== undefined) {
      current = groups.find((g) => g.id === item.id)
      if (!current) groups.push((current = { id: item.id, items: [] }))
    } else if (!current) {
      current = groups[0]
      if (!current) groups.push((current = { id: idFor.textInstruction(), items: [] }))
    }
    current.items.push({ index, ...(item.category !== undefined ? { category: item.category } : {}), content: item.content, explicitId: item.id !== undefined })
  })
  return groups
}

function editInstructions(y: YamlEditor, loaded: LoadedDefinition, target: WireSpaceDocument): void {
  const want = listAt(target, TEXT_INSTRUCTIONS) as { id: string; content: string[] }[]
  const have = listAt(loaded.space.document, TEXT_INSTRUCTIONS) as { id: string; content: string[] }[]
  if (same(want, have)) return
  const items = (loaded.authoring?.instructions ?? []).map((i) => ({
    ...(i.id !== undefined ? { id: i.id } : {}),
    ...(i.category !== undefined ? { category: i.category } : {}),
    content: i.content
  }))
  const groups = groupsOf(items)
  const wantBy = new Map(want.map((w) => [w.id, fromLines(w.content)]))
  const removals: number[] = []
  for (const g of groups) {
    const text = wantBy.get(g.id)
    const before = have.find((h) => h.id === g.id)
    if (text === undefined) {
      removals.push(...g.items.map((i) => i.index))
      continue
    }
    if (before && fromLines(before.content) === text) continue
    const contents = splitGroup(g, text)
    if (!contents) throw new Error('the instruction text no longer splits into its categories')
    g.items.forEach((it, i) => {
      const c = contents[i] as string
      if (c === undefined) removals.push(it.index)
      else if (c !== it.content) y.set(['instructions', it.index, 'content'], c)
    })
  }
  for (const idx of removals.sort((a, b) => b - a)) removeItem(y, ['instructions'], idx)
  const known = new Set(groups.map((g) => g.id))
  const added = want.filter((w) => !known.has(w.id))
  if (added.length) {
    const single = want.length === 1
    const values = added.map((w) => ({ ...(single && w.id === idFor.textInstruction() ? {} : { id: w.id }), content: fromLines(w.content) }))
    const seq = y.seq(['instructions'])
    if (seq) for (const v of values) seq.add(y.doc.createNode(v))
    else y.set(['instructions'], values)
  }
  const seq = y.seq(['instructions'])
  if (seq && seq.items.length === 0) y.remove(['instructions'])
}

/**
 * The contents of a group's items that merge into `text`: the category headings and separators
 * are taken off where mergeInstructions puts them; items whose text is unchanged keep it, the one
 * that changed gets the rest. undefined when the text no longer has the group's headings.
 */
function splitGroup(g: Group, text: string): string[] | undefined {
  // sections: runs of items under one heading
  const sections: { category?: string; items: Group['items'] }[] = []
  let cat: string | undefined
  for (const it of g.items) {
    const last = sections[sections.length - 1]
    if (!last || it.category !== cat || (it.category === undefined && last.category !== undefined))
      sections.push({ ...(it.category !== undefined ? { category: it.category } : {}), items: [it] })
    else last.items.push(it)
    cat = it.category
  }
  // cut the text at each heading of a later section (in order)
  const bodies: string[] = []
  let rest = text
  for (let s = 0; s < sections.length; s++) {
    const sec = sections[s] as (typeof sections)[number]
    if (sec.category !== undefined) {
      const head = `## ${sec.category}\n`
      if (!rest.startsWith(head)) return undefined
      rest = rest.slice(head.length)
    }
    const next = sections[s + 1]
    if (next) {
      const cut = next.category !== undefined ? rest.indexOf(`\n\n## ${next.category}\n`) : -1
      if (cut === -1) return undefined
      bodies.push(rest.slice(0, cut))
      rest = rest.slice(cut + 2)
    } else bodies.push(rest)
  }
  const out: string[] = []
  sections.forEach((sec, s) => {
    const body = bodies[s] as string
    const lastSection = s === sections.length - 1
    out.push(...splitSection(sec.items, body, lastSection))
  })
  return out
}

/** Items of one section from its body: unchanged ones from each end keep their text; the middle one takes the rest. */
function splitSection(items: Group['items'], body: string, lastSection: boolean): string[] {
  const trim = (s: string) => s.replace(/\n+$/, '')
  // what each item contributes: all but the very last lose their trailing newlines
  const shown = items.map((it, i) => (lastSection && i === items.length - 1 ? it.content : trim(it.content)))
  if (shown.join('\n\n') === body) return items.map((it) => it.content)
  // count the unchanged prefix
  let lo = 0
  let rest = body
  while (lo < items.length - 1 && rest.startsWith(`${shown[lo]}\n\n`)) {
    rest = rest.slice((shown[lo] as string).length + 2)
    lo++
  }
  let hi = items.length - 1
  while (hi > lo && rest.endsWith(`\n\n${shown[hi]}`)) {
    rest = rest.slice(0, rest.length - (shown[hi] as string).length - 2)
    hi--
  }
  const out = items.map((it) => it.content)
  // items lo..hi become the rest: the first of them holds it, the others are removed
  const first = items[lo] as Group['items'][number]
  const keepNewline = !(lastSection && hi === items.length - 1) && /\n$/.test(first.content)
  out[lo] = keepNewline ? `${rest}\n` : rest
  for (let i = lo + 1; i <= hi; i++) out[i] = undefined as unknown as string
  return out
}
