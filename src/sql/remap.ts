/**
 * Rewriting catalog / schema / table references by identifier, for promotion between environments.
 *
 * Mapping keys are matched case-insensitively with backticks ignored; values are written as given
 * (case kept), each part in the quoting style of the part it replaces (backticked stays
 * backticked; an unquoted part whose new value is not a plain identifier gets backticks). A
 * backticked part containing dots (`` `cat.sch.tbl` ``) is treated as its dotted parts and stays one
 * backticked part when rewritten.
 *
 * Which mapping applies to a name (precedence tables > schemas > catalogs):
 *  - 3-part `a.b.c` (and the first three parts of a longer name): tables['a.b.c'], else
 *    schemas['a.b'], else catalogs['a'].
 *  - 2-part `a.b` in a relation position (after FROM / JOIN / INTO / UPDATE / TABLE, MERGE's USING)
 *    or called as a function: it is schema.object, so tables['a.b'] (a 2-part key), else a schemas
 *    key WITHOUT catalog, schemas['a']. It never matches catalogs.
 *  - 2-part anywhere else in SQL is `alias.column` (or struct access) and is never rewritten; a
 *    longer name whose first two parts are a 2-part table of the same SQL (`sales_dev.orders.id`
 *    with `FROM sales_dev.orders`) is rewritten like that table.
 *  - A longer name that starts with a relation alias or CTE name (`o.address.city`) is never
 *    rewritten; nor is any 1-part name; nor anything inside a string literal or a comment.
 */
import { analyze, unquote } from './analyze.js'
import { formatPart, normalizeName, splitName } from './names.js'
import type { Token } from './tokenize.js'

export interface IdentifierMapping {
  /** 'dev_catalog' -> 'prod_catalog' */
  catalogs?: Record<string, string>
  /** 'cat.schema' -> 'cat2.schema2', or (no catalog) 'schema' -> 'schema2' for 2-part schema.table names */
  schemas?: Record<string, string>
  /** 'cat.schema.table' -> 'cat2.schema2.table2' */
  tables?: Record<string, string>
}

interface Compiled {
  tables: Map<string, string[]>
  schemas: Map<string, string[]>
  catalogs: Map<string, string[]>
  size: number
}

interface Match {
  /** how many leading logical parts are replaced */
  p: number
  /** by these */
  to: string[]
}

/** One written part: an identifier token (SQL) or a segment of a name string. */
interface Physical {
  text: string
  quoted: boolean
  /** the logical parts it holds (several for `` `a.b.c` ``) */
  values: string[]
}

interface Edit {
  from: number
  to: number
  text: string
}

function valueParts(value: string): string[] {
  return splitName(value)
    .flatMap((p) => p.value.split('.'))
    .map((p) => p.trim())
}

function compileSection(rec: Record<string, string> | undefined, parts: number | 'any'): Map<string, string[]> {
  const out = new Map<string, string[]>()
  if (!rec || typeof rec !== 'object') return out
  for (const [key, value] of Object.entries(rec)) {
    if (typeof key !== 'string' || typeof value !== 'string') continue
    const k = normalizeName(key)
    const v = valueParts(value)
    if (!k || k.split('.').some((p) => !p) || !v.length || v.some((p) => !p)) continue
    if (parts !== 'any' && k.split('.').length !== parts) continue
    if (!out.has(k)) out.set(k, v)
  }
  return out
}

function compile(mapping: IdentifierMapping | undefined): Compiled {
  const m = mapping && typeof mapping === 'object' ? mapping : {}
  const tables = compileSection(m.tables, 'any')
  const schemas = compileSection(m.schemas, 'any')
  const catalogs = compileSection(m.catalogs, 1)
  return { tables, schemas, catalogs, size: tables.size + schemas.size + catalogs.size }
}

function hit(map: Map<string, string[]>, lower: string[], p: number): Match | null {
  if (lower.length < p) return null
  const to = map.get(lower.slice(0, p).join('.'))
  return to ? { p, to } : null
}

/** catalog.schema.object[.more] */
function matchThreePart(c: Compiled, lower: string[]): Match | null {
  return hit(c.tables, lower, 3) ?? hit(c.schemas, lower, 2) ?? hit(c.catalogs, lower, 1)
}

/** schema.object in a relation position */
function matchSchemaObject(c: Compiled, lower: string[]): Match | null {
  return hit(c.tables, lower, 2) ?? hit(c.schemas, lower, 1)
}

/** A bare 'cat.schema' or 'cat' identifier. */
function matchNamespace(c: Compiled, lower: string[]): Match | null {
  if (lower.length === 2) return hit(c.tables, lower, 2) ?? hit(c.schemas, lower, 2) ?? hit(c.catalogs, lower, 1)
  return hit(c.catalogs, lower, 1)
}

/** The edits (over physical indices) that replace the first m.p logical parts by m.to; null when impossible. */
function render(phys: Physical[], m: Match): Edit[] | null {
  const owner: number[] = []
  phys.forEach((ph, i) => ph.values.forEach(() => owner.push(i)))
  if (m.p > owner.length || m.p < 1) return null
  const edits: Edit[] = []
  if (m.to.length === m.p) {
    let k = 0
    phys.forEach((ph, i) => {
      const values = ph.values.map((v) => (k < m.p ? (m.to[k++] as string) : (k++, v)))
      if (values.every((v, x) => v === ph.values[x])) return
      edits.push({ from: i, to: i, text: write(values, ph.quoted) })
    })
    return edits
  }
  // A different number of parts: the replaced prefix must end on a physical boundary.
  const lastTok = owner[m.p - 1] as number
  if (owner[m.p] === lastTok) return null
  const firstTok = owner[0] as number
  const first = phys[firstTok] as Physical
  const text = first.values.length > 1 && firstTok === lastTok ? write(m.to, true) : m.to.map((v) => formatPart(v, first.quoted)).join('.')
  return [{ from: firstTok, to: lastTok, text }]
}

function write(values: string[], quoted: boolean): string {
  if (values.length === 1) return formatPart(values[0] as string, quoted)
  return `\`${values.join('.').replace(/`/g, '``')}\``
}

function physicalOf(value: string, quoted: boolean, text: string): Physical {
  return { text, quoted, values: quoted ? value.split('.') : [value] }
}

function lowerOf(phys: Physical[]): string[] {
  return phys.flatMap((p) => p.values).map((v) => v.toLowerCase())
}

/**
 * Rewrite the catalog / schema / table references of a SQL text (see the module comment for the
 * rules). Returns the new text and how many identifiers were rewritten.
 */
export function remapIdentifiers(sql: string, mapping: IdentifierMapping): { sql: string; replacements: number } {
  const source = typeof sql === 'string' ? sql : ''
  try {
    const c = compile(mapping)
    if (!c.size || !source) return { sql: source, replacements: 0 }
    const a = analyze(source)
    const { sig } = a
    const relations = new Map(a.relations.map((r) => [r.first, r]))
    const qualifiers = new Set<string>([...a.relationAliases, ...a.cteNames])
    const schemaTables = new Set<string>()
    for (const r of a.relations) {
      if (r.parts.length === 1) qualifiers.add(r.parts[0] as string)
      if (r.kind === 'table' && r.parts.length === 2 && !r.parts.some((p) => p.includes('.'))) schemaTables.add(r.parts.join('.'))
    }
    const isPart = (t: Token | undefined): boolean => !!t && (t.kind === 'ident' || t.kind === 'quoted-ident' || t.kind === 'keyword')
    const isOp = (t: Token | undefined, s: string): boolean => !!t && (t.kind === 'punct' || t.kind === 'operator') && t.text === s
    const edits: Array<{ start: number; end: number; text: string }> = []
    let count = 0
    for (let i = 0; i < sig.length; i++) {
      const t = sig[i] as Token
      if (!isPart(t) || isOp(sig[i - 1], '.')) continue
      // the chain part (. part)*
      const idx = [i]
      while (isOp(sig[(idx[idx.length - 1] as number) + 1], '.') && isPart(sig[(idx[idx.length - 1] as number) + 2]))
        idx.push((idx[idx.length - 1] as number) + 2)
      const last = idx[idx.length - 1] as number
      const start = i
      i = last
      const prev = sig[start - 1]
      if (prev && prev.kind === 'operator' && prev.text === ':' && prev.end === t.start) continue // JSON path
      if (t.kind === 'keyword' && idx.length === 1) continue
      const phys = idx.map((x) => {
        const tok = sig[x] as Token
        return tok.kind === 'quoted-ident' ? physicalOf(unquote(tok.text), true, tok.text) : physicalOf(tok.text, false, tok.text)
      })
      const lower = lowerOf(phys)
      if (lower.length < 2) continue
      const rel = relations.get(start)
      let m: Match | null = null
      if (rel) {
        if (rel.kind === 'table' || rel.kind === 'function') m = lower.length >= 3 ? matchThreePart(c, lower) : matchSchemaObject(c, lower)
      } else if (isOp(sig[last + 1], '(')) {
        m = lower.length >= 3 ? matchThreePart(c, lower) : matchSchemaObject(c, lower)
      } else if (lower.length >= 3 && !qualifiers.has(lower[0] as string)) {
        m = schemaTables.has(`${lower[0]}.${lower[1]}`) ? matchSchemaObject(c, lower) : matchThreePart(c, lower)
      }
      if (!m) continue
      const es = render(phys, m)
      if (!es?.length) continue
      count++
      for (const e of es) {
        const from = sig[idx[e.from] as number] as Token
        const to = sig[idx[e.to] as number] as Token
        edits.push({ start: from.start, end: to.end, text: e.text })
      }
    }
    if (!edits.length) return { sql: source, replacements: 0 }
    edits.sort((x, y) => x.start - y.start)
    let out = ''
    let at = 0
    for (const e of edits) {
      if (e.start < at) continue
      out += source.slice(at, e.start) + e.text
      at = e.end
    }
    return { sql: out + source.slice(at), replacements: count }
  } catch {
    return { sql: source, replacements: 0 }
  }
}

/** Split a name string on dots outside backticks, keeping each part's written text. */
function rawParts(name: string): Physical[] {
  const segs: string[] = []
  let quoted = false
  let from = 0
  for (let i = 0; i < name.length; i++) {
    if (name[i] === '`') quoted = !quoted
    else if (name[i] === '.' && !quoted) {
      segs.push(name.slice(from, i))
      from = i + 1
    }
  }
  segs.push(name.slice(from))
  return segs.map((seg) => {
    const raw = seg.trim()
    const q = raw.startsWith('`')
    return physicalOf(q ? unquote(raw) : raw, q, raw)
  })
}

/** Rewrite a name string, or return null when no mapping applies. */
function remapName(name: string, c: Compiled, prose: boolean): string | null {
  const phys = rawParts(name)
  if (!phys.length || phys.some((p) => !p.values.every((v) => v.trim()))) return null
  const lower = lowerOf(phys)
  let m: Match | null
  if (lower.length >= 3) m = matchThreePart(c, lower)
  else m = matchNamespace(c, lower) ?? (prose && lower.length === 2 ? hit(c.schemas, lower, 1) : null)
  if (!m) return null
  const es = render(phys, m)
  if (!es?.length) return null
  const texts: string[] = []
  for (let i = 0; i < phys.length; i++) {
    const e = es.find((x) => x.from === i)
    if (e) {
      texts.push(e.text)
      i = e.to
    } else texts.push((phys[i] as Physical).text)
  }
  return texts.join('.')
}

/**
 * Remap one bare identifier such as a data source `cat.schema.table`, a function `cat.schema.fn` or
 * a `cat.schema`. A 3-part (or longer) name follows tables > schemas > catalogs; a 2-part name is
 * `catalog.schema` (tables with a 2-part key, then schemas['cat.schema'], then catalogs); a 1-part
 * name is a catalog. Keys match case-insensitively, backticks ignored; the quoting of each part is
 * kept. An identifier no mapping applies to is returned unchanged (byte for byte).
 */
export function remapIdentifier(name: string, mapping: IdentifierMapping): string {
  if (typeof name !== 'string') return ''
  try {
    return remapName(name, compile(mapping), false) ?? name
  } catch {
    return name
  }
}

const PART = '(?:[\\p{L}_][\\p{L}\\p{N}_]*|`(?:[^`\\s]|``)+`)'
// built on first use: its Unicode classes take about a millisecond, and most runs never remap prose
let chain: RegExp | undefined
const CHAIN = () => (chain ??= new RegExp(`(?<![\\p{L}\\p{N}_.$@/\\\\-])${PART}(?:\\.${PART})+(?![\\p{L}\\p{N}_$])(?!\\.[\\p{L}\\p{N}_\`])`, 'gu'))

/**
 * Remap dotted identifiers inside prose (instructions, descriptions, titles): only whole 2- and
 * 3-part (or longer, by their first three parts) identifier-looking words are considered, and only
 * whole parts match (`shop_dev.sales.orders_v2` is not `shop_dev.sales.orders`, `shop_dev2.x.y` is
 * not in catalog `shop_dev`). 3+ parts follow tables > schemas > catalogs. 2 parts: a 2-part tables
 * key, then schemas['cat.schema'], then catalogs (as `cat.schema`), then a catalog-less schemas key
 * (as `schema.table`). Words glued to a `/`, `@`, `-` or `.` (paths, e-mails, URLs) are left alone.
 */
export function remapText(text: string, mapping: IdentifierMapping): { text: string; replacements: number } {
  const source = typeof text === 'string' ? text : ''
  try {
    const c = compile(mapping)
    if (!c.size || !source) return { text: source, replacements: 0 }
    let count = 0
    const out = source.replace(CHAIN(), (whole) => {
      const next = remapName(whole, c, true)
      if (next === null || next === whole) return whole
      count++
      return next
    })
    return { text: out, replacements: count }
  } catch {
    return { text: source, replacements: 0 }
  }
}

export interface InversionConflict {
  section: 'catalogs' | 'schemas' | 'tables'
  /** the two names that map to one */
  first: string
  second: string
  to: string
}

/**
 * The inverse of a mapping (target names back to source names), for bringing a space of another
 * environment back into the source's names: applied with `remapIdentifiers` / `remapIdentifier` /
 * `remapText`, by identifier as the forward mapping is. Two source names that map to one target
 * (compared as keys are: case-insensitive, backticks ignored) cannot be inverted: the conflict is
 * returned instead, naming both.
 */
export function invertMapping(mapping: IdentifierMapping): { mapping: IdentifierMapping } | { conflict: InversionConflict } {
  const out: IdentifierMapping = {}
  for (const section of ['catalogs', 'schemas', 'tables'] as const) {
    const rec = mapping[section]
    if (!rec) continue
    const inv: Record<string, string> = {}
    const from = new Map<string, string>()
    for (const [key, value] of Object.entries(rec)) {
      const k = normalizeName(value)
      const prev = from.get(k)
      if (prev !== undefined && normalizeName(prev) !== normalizeName(key)) return { conflict: { section, first: prev, second: key, to: value } }
      from.set(k, key)
      inv[value] = key
    }
    out[section] = inv
  }
  return { mapping: out }
}
