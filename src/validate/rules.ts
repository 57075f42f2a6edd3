import { fromLines } from '../model/text.js'
import { isValidId } from '../model/ids.js'
import { grantProblems } from '../model/permissions.js'
import { splitJoinSql } from '../model/canonical.js'
import type { LoadedDefinition } from '../model/load.js'
import type { Problem, Severity } from '../model/problems.js'
import type { Path } from '../model/space.js'
import { checkReadOnly } from '../sql/index.js'
import { DEFAULT_LIMITS, type Limits } from './limits.js'

/**
 * Offline validation: everything the API is known to reject, and what would surprise a user,
 * checked on the canonical model and reported at the place in the source file it came from.
 * Ordering is never a problem (render sorts).
 */

const ALTERNATIVE_KEYS: Record<string, Path[]> = {
  'left.identifier': [['left_table']],
  'right.identifier': [['right_table']],
  condition: [['sql'], ['left_column']],
  answer: [['sql']],
  sql: [['answer']]
}

const THREE_PART = /^(`[^`]+`|[^.`\s]+)\.(`[^`]+`|[^.`\s]+)\.(`[^`]+`|[^.`\s]+)$/

const unquote = (s: string) => s.replace(/`/g, '').toLowerCase()

export function validateDefinition(def: LoadedDefinition, limits: Limits = DEFAULT_LIMITS): Problem[] {
  const problems: Problem[] = []
  const doc = def.space.document

  // `sub` is the key under the item; the authoring and wire formats name some differently
  // (a short-form join's left_table is the wire's left.identifier), so alternatives may be given.
  const report = (severity: Severity, rule: string, obj: object | undefined, sub: Path, message: string, atKey = false) => {
    const base = obj ? def.origins.get(obj) : undefined
    let path = base ? [...base, ...sub] : def.documentPath
    if (base && !def.source.has(path)) {
      const alt = ALTERNATIVE_KEYS[sub.join('.')]
      const found = alt?.map((a) => [...base, ...a]).find((p) => def.source.has(p))
      if (found) path = found
    }
    const pos = def.source.locate(path, atKey ? 'key' : 'value')
    problems.push({ severity, rule, message, file: def.file, ...(pos ? { line: pos.line, col: pos.col } : {}), path: path.join('.') })
  }
  const error = (rule: string, obj: object | undefined, sub: Path, message: string, atKey = false) => report('error', rule, obj, sub, message, atKey)
  const warn = (rule: string, obj: object | undefined, sub: Path, message: string, atKey = false) => report('warning', rule, obj, sub, message, atKey)

  const tables = doc.data_sources?.tables ?? []
  const views = doc.data_sources?.metric_views ?? []
  const ins = doc.instructions
  const samples = doc.config?.sample_questions ?? []
  const texts = ins?.text_instructions ?? []
  const examples = ins?.example_question_sqls ?? []
  const functions = ins?.sql_functions ?? []
  const joins = ins?.join_specs ?? []
  const snippetLists = [
    ['filter', ins?.sql_snippets?.filters ?? []],
    ['expression', ins?.sql_snippets?.expressions ?? []],
    ['measure', ins?.sql_snippets?.measures ?? []]
  ] as const
  const benchmarks = doc.benchmarks?.questions ?? []

  // ---- control characters (NUL, ESC, …): in names never; in text only tab and line breaks.
  // First, so that at one place this is the problem reported before any that quotes the value.
  const metaPath = (key: string): Path => (def.format === 'geniespace' ? def.documentPath : [key])
  for (const [key, v] of Object.entries(def.space.meta)) {
    const bad = typeof v === 'string' ? findControl(v, TEXT_KEYS.has(key)) : undefined
    if (bad) {
      const path = metaPath(key)
      const pos = def.source.locate(path)
      problems.push({
        severity: 'error',
        rule: 'control-character',
        message: controlMessage(key, bad, TEXT_KEYS.has(key)),
        file: def.file,
        ...(pos ? { line: pos.line, col: pos.col } : {}),
        path: path.join('.')
      })
    }
  }
  checkControls(
    doc,
    (obj) => def.origins.get(obj) !== undefined,
    (obj, sub, bad, text) => error('control-character', obj, sub, controlMessage(String([...sub].reverse().find((k) => typeof k === 'string')), bad, text))
  )

  // ---- ids: format and uniqueness (question ids across sample questions and benchmarks;
  // instruction ids across every instruction kind — genie-api.md)
  const questionItems: { id: string; obj: object; what: string }[] = [
    ...samples.map((q) => ({ id: q.id, obj: q, what: 'sample question' })),
    ...benchmarks.map((q) => ({ id: q.id, obj: q, what: 'benchmark' }))
  ]
  const instructionItems: { id: string; obj: object; what: string }[] = [
    ...texts.map((t) => ({ id: t.id, obj: t, what: 'text instruction' })),
    ...examples.map((t) => ({ id: t.id, obj: t, what: 'example query' })),
    ...functions.map((t) => ({ id: t.id, obj: t, what: 'SQL function' })),
    ...joins.map((t) => ({ id: t.id, obj: t, what: 'join' })),
    ...snippetLists.flatMap(([kind, list]) => list.map((t) => ({ id: t.id, obj: t, what: kind })))
  ]
  for (const group of [questionItems, instructionItems]) {
    const seen = new Map<string, string>()
    for (const item of group) {
      if (!isValidId(item.id)) {
        error('id-format', item.obj, ['id'], `${item.what} id "${item.id}" is not 32 lowercase hex characters; the API rejects it ("Invalid export proto")`)
      }
      const prev = seen.get(item.id)
      if (prev) error('duplicate-id', item.obj, ['id'], `${item.what} id ${item.id} is already used by the ${prev}; ids must be unique`)
      else seen.set(item.id, item.what)
    }
  }

  // ---- tables and columns
  const known = new Map<string, object>()
  const shortNames = new Set<string>()
  for (const [what, list] of [
    ['table', tables],
    ['metric view', views]
  ] as const) {
    for (const t of list) {
      if (!THREE_PART.test(t.identifier)) {
        error('identifier', t, ['identifier'], `${what} "${t.identifier}" is not a three-part name (catalog.schema.${what === 'table' ? 'table' : 'view'})`)
      }
      const key = unquote(t.identifier)
      if (known.has(key)) error('duplicate-table', t, ['identifier'], `${what} ${t.identifier} is listed twice`)
      known.set(key, t)
      shortNames.add(key.split('.').pop() ?? key)
      const columns = new Set<string>()
      for (const c of t.column_configs ?? []) {
        const ck = c.column_name.toLowerCase()
        if (!c.column_name.trim()) error('empty', c, ['column_name'], `a column of ${t.identifier} has an empty column_name`)
        else if (columns.has(ck)) error('duplicate-column', c, ['column_name'], `column ${c.column_name} of ${t.identifier} is configured twice`)
        columns.add(ck)
      }
    }
  }
  if (tables.length + views.length === 0) {
    warn('no-tables', undefined, [], 'the space has no tables or metric views: Genie has nothing to query')
  }
  if (tables.length + views.length > limits.maxTables) {
    const extra = [...tables, ...views][limits.maxTables]
    error('limit-tables', extra, [], `${tables.length + views.length} tables and metric views; a space holds at most ${limits.maxTables}`)
  }
  const entityMatching = [...tables, ...views].flatMap((t) => (t.column_configs ?? []).filter((c) => c.enable_entity_matching))
  if (entityMatching.length > limits.maxEntityMatchingColumns) {
    error(
      'limit-entity-matching',
      entityMatching[limits.maxEntityMatchingColumns],
      [],
      `entity matching is on for ${entityMatching.length} columns; the limit is ${limits.maxEntityMatchingColumns}`
    )
  }

  // ---- instructions
  if (texts.length > limits.maxTextInstructions) {
    error(
      'limit-text-instructions',
      texts[limits.maxTextInstructions],
      [],
      `${texts.length} text instructions; Genie keeps ${limits.maxTextInstructions} — give the instructions one id (or none) so they merge`
    )
  }
  const instructionCount = instructionItems.length
  if (instructionCount > limits.maxInstructions) {
    error(
      'limit-instructions',
      instructionItems[limits.maxInstructions]?.obj,
      [],
      `${instructionCount} instructions (text, example queries, SQL functions, joins, snippets); a space holds at most ${limits.maxInstructions}`
    )
  }
  for (const t of texts) if (!fromLines(t.content).trim()) error('empty', t, ['content'], 'an instruction has empty content')

  const questionText = (lines: readonly string[]) => fromLines(lines).trim()
  const duplicates = (list: readonly { question: string[] }[], what: string) => {
    const seen = new Set<string>()
    for (const q of list) {
      const text = questionText(q.question)
      if (!text) {
        error('empty', q, ['question'], `a ${what} has an empty question`)
        continue
      }
      const key = text.toLowerCase()
      if (seen.has(key)) error('duplicate-question', q, ['question'], `${what} "${text}" is listed twice`)
      seen.add(key)
    }
  }
  duplicates(samples, 'sample question')
  duplicates(examples, 'example query')
  duplicates(benchmarks, 'benchmark')

  for (const e of examples) {
    const sql = fromLines(e.sql)
    if (!sql.trim()) error('empty', e, ['sql'], `example query "${questionText(e.question)}" has empty SQL`)
    else {
      const refused = readOnlyProblem(sql, `example query "${questionText(e.question)}"`)
      if (refused) error('read-only', e, ['sql'], refused)
    }
    const used = new Set([...stripSqlStrings(sql).matchAll(/(?<![:\w]):([A-Za-z_]\w*)/g)].map((m) => m[1] ?? ''))
    const declared = new Set((e.parameters ?? []).map((p) => p.name))
    for (const name of used) {
      if (!declared.has(name))
        warn('parameter-undeclared', e, ['sql'], `example query "${questionText(e.question)}" uses :${name} but declares no parameter "${name}"`)
    }
    for (const p of e.parameters ?? []) {
      if (!used.has(p.name)) warn('parameter-unused', p, ['name'], `parameter "${p.name}" is declared but the SQL never uses :${p.name}`)
    }
  }

  for (const f of functions) {
    if (!THREE_PART.test(f.identifier))
      error('identifier', f, ['identifier'], `SQL function "${f.identifier}" is not a three-part name (catalog.schema.function)`)
  }

  const aliases = new Set<string>()
  for (const j of joins) {
    for (const side of ['left', 'right'] as const) {
      const s = j[side]
      if (s.alias) aliases.add(s.alias.toLowerCase())
      if (!THREE_PART.test(s.identifier)) {
        error('identifier', j, [side, 'identifier'], `join ${side} side "${s.identifier}" is not a three-part name (catalog.schema.table)`)
      } else if (!known.has(unquote(s.identifier))) {
        // Not a documented API rule (the Genie workbench reference itself joins to a table it does
        // not list), so a warning: Genie cannot use a join to a table the space does not hold.
        warn('join-table', j, [side, 'identifier'], `join ${side} side ${s.identifier} is not among the space's tables or metric views`)
      }
    }
    if (!splitJoinSql(j.sql).condition.trim()) error('empty', j, ['condition'], `join ${j.left.identifier} → ${j.right.identifier} has no condition`)
  }

  for (const [kind, list] of snippetLists) {
    for (const s of list) {
      const sql = fromLines(s.sql)
      if (!sql.trim()) {
        error('empty', s, ['sql'], `${kind} ${s.display_name ?? s.alias ?? s.id} has empty SQL`)
        continue
      }
      for (const ref of qualifiedRefs(sql)) {
        const parts = ref.split('.')
        if (parts.length >= 4) {
          const table = parts.slice(0, 3).join('.')
          if (!known.has(table))
            warn('snippet-table', s, ['sql'], `${kind} ${s.display_name ?? s.alias ?? s.id} refers to ${table}, which is not among the space's tables`)
        } else if (parts.length === 2) {
          const q = parts[0] ?? ''
          if (!shortNames.has(q) && !aliases.has(q)) {
            warn(
              'snippet-table',
              s,
              ['sql'],
              `${kind} ${s.display_name ?? s.alias ?? s.id} refers to "${q}", which is neither a table of the space nor a join alias`
            )
          }
        }
      }
    }
  }

  for (const b of benchmarks) {
    const answers = b.answer
    const first = answers[0]
    if (answers.length !== 1 || !first || first.format !== 'SQL') {
      error('benchmark-answer', b, ['answer'], `benchmark "${questionText(b.question)}" must have exactly one answer of format SQL`)
    } else if (!fromLines(first.content).trim()) {
      error('empty', b, ['answer'], `benchmark "${questionText(b.question)}" has an empty SQL answer`)
    } else {
      const refused = readOnlyProblem(fromLines(first.content), `the SQL answer of benchmark "${questionText(b.question)}"`)
      if (refused) error('read-only', b, ['answer'], refused)
    }
  }

  // ---- string sizes
  checkStrings(doc, limits.maxStringLength, (obj, key, length) =>
    error('limit-string-length', obj, [key], `${key} is ${length} characters long; the API accepts at most ${limits.maxStringLength}`)
  )

  // ---- how the YAML was written
  if (def.authoring) {
    const a = def.authoring
    if (a.title === undefined || !a.title.trim()) warn('no-title', undefined, [], 'the space has no title; Genie shows it untitled')
    a.joins?.forEach((j, i) => {
      const short = [j.left_table, j.right_table, j.left_column, j.right_column].filter((x) => x !== undefined).length
      const long = [j.left, j.right, j.condition].filter((x) => x !== undefined).length
      const at = (msg: string) => problems.push(locate(def, ['joins', i], msg))
      if (short && long) at('a join uses both forms: either left_table/right_table/left_column/right_column, or left/right/condition')
      else if (short && short < 4) at('a short-form join needs left_table, right_table, left_column and right_column')
      else if (!short && long < 3) at('a join needs left, right and condition (or left_table, right_table, left_column, right_column)')
      if (j.join_type && !short) at('join_type belongs to the short form (left_table/…); write the intent in instruction instead')
      if (j.relationship_type && short) {
        // allowed: the short form may carry a relationship type too
      }
    })
    const walkColumns = (list: typeof a.data_sources extends infer D ? D : never, key: 'tables' | 'metric_views') =>
      list?.[key]?.forEach((t, i) =>
        t.column_configs?.forEach((c, j) => {
          for (const [old, neu] of [
            ['get_example_values', 'enable_format_assistance'],
            ['build_value_dictionary', 'enable_entity_matching']
          ] as const) {
            if (c[old] !== undefined) {
              const path: Path = ['data_sources', key, i, 'column_configs', j, old]
              const pos = def.source.locate(path, 'key')
              const conflict = c[neu] !== undefined && c[neu] !== c[old]
              problems.push({
                severity: conflict ? 'error' : 'warning',
                rule: 'v1-flag',
                message: conflict ? `${old} and ${neu} disagree; keep only ${neu}` : `${old} is the version 1 name; write ${neu}`,
                file: def.file,
                ...(pos ? { line: pos.line, col: pos.col } : {}),
                path: path.join('.')
              })
            }
          }
        })
      )
    walkColumns(a.data_sources, 'tables')
    walkColumns(a.data_sources, 'metric_views')
  }

  // ---- permissions (YAML only; levels are checked by the schema): exactly one principal per
  // grant, no principal twice, never the admins group. In the order written, so "entry 2" is the
  // second one in the file.
  for (const p of grantProblems(def.authoring?.permissions ?? [])) {
    const path: Path = ['permissions', p.index, ...(p.key ? [p.key] : [])]
    const pos = def.source.locate(path, p.key ? 'value' : 'key')
    problems.push({
      severity: 'error',
      rule: 'permissions',
      message: `permissions[${p.index}]: ${p.message}`,
      file: def.file,
      ...(pos ? { line: pos.line, col: pos.col } : {}),
      path: path.join('.')
    })
  }

  return problems.sort((x, y) => (x.line ?? 0) - (y.line ?? 0) || (x.col ?? 0) - (y.col ?? 0))
}

/**
 * Why a full-statement SQL field (an example query, a benchmark answer, a suite's expected_sql)
 * would be refused at run time (sql/readonly.ts), or undefined. Snippets, measures, filters and
 * join conditions are expressions, not statements, and are not checked here.
 */
export function readOnlyProblem(sql: string, what: string): string | undefined {
  const check = checkReadOnly(sql)
  return check.readOnly ? undefined : `${what} must be one read-only statement: ${check.reason}`
}

function locate(def: LoadedDefinition, path: Path, message: string): Problem {
  const pos = def.source.locate(path, 'value')
  return { severity: 'error', rule: 'join-form', message, file: def.file, ...(pos ? { line: pos.line, col: pos.col } : {}), path: path.join('.') }
}

/** Blank out string literals and comments so identifiers are only found in code. */
export function stripSqlStrings(sql: string): string {
  return sql
    .replace(/'(?:[^'\\]|\\.|'')*'/g, "''")
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/--[^\n]*/g, '')
    .replace(/\/\*[\s\S]*?\*\//g, '')
}

/** Dotted references like `orders.amount` or `main.sales.orders.amount` (lower-cased, unquoted). */
function qualifiedRefs(sql: string): string[] {
  const code = stripSqlStrings(sql)
  const part = '(?:`[^`]+`|[A-Za-z_][\\w$]*)'
  const re = new RegExp(`(?<![\\w.\`])${part}(?:\\s*\\.\\s*${part})+`, 'g')
  return [...code.matchAll(re)].map((m) => unquote(m[0].replace(/\s+/g, '')))
}

function checkStrings(value: unknown, max: number, onTooLong: (obj: object, key: string, length: number) => void): void {
  if (Array.isArray(value)) {
    for (const v of value) checkStrings(v, max, onTooLong)
    return
  }
  if (!value || typeof value !== 'object') return
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string' && v.length > max) onTooLong(value, key, v.length)
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) {
      const length = v.join('').length
      if (length > max) onTooLong(value, key, length)
    } else checkStrings(v, max, onTooLong)
  }
}

/**
 * Keys whose value is text written by people, where tabs and line breaks belong. Every other string
 * (identifiers, column names, ids, titles, aliases, display names, synonyms, types) is one line.
 */
const TEXT_KEYS = new Set(['description', 'content', 'question', 'sql', 'usage_guidance', 'instruction', 'comment', 'values'])

/**
 * C0 controls, DEL and C1 controls; in names also the line and paragraph separators and the bidi
 * embedding/override/isolate controls (which can make a name read differently from what it is).
 * In text, tab and line feed are allowed, and carriage return before a line feed.
 */
const NAME_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/
const TEXT_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\r(?!\n)/

const CONTROL_NAMES: Record<number, string> = { 0: 'NUL', 7: 'BEL', 8: 'BS', 9: 'TAB', 10: 'LF', 11: 'VT', 12: 'FF', 13: 'CR', 27: 'ESC', 127: 'DEL' }

interface ControlFound {
  code: number
  /** 1-based character index in the string */
  index: number
}

export function findControl(value: string, text: boolean): ControlFound | undefined {
  const m = (text ? TEXT_CONTROL : NAME_CONTROL).exec(value)
  return m ? { code: value.charCodeAt(m.index), index: m.index + 1 } : undefined
}

function controlMessage(key: string, bad: ControlFound, text: boolean): string {
  const hex = `U+${bad.code.toString(16).toUpperCase().padStart(4, '0')}`
  const name = CONTROL_NAMES[bad.code]
  const rule = text ? 'text may hold tabs and line breaks but no other control characters' : 'names, ids and titles may not hold control characters'
  return `${key} holds the control character ${hex}${name ? ` (${name})` : ''} at character ${bad.index}; ${rule}`
}

/**
 * Every string of the document; `onFound` gets the nearest object that has an origin in the source
 * and the path below it (a join side, for one, is built by the model and has none of its own).
 */
function checkControls(
  value: unknown,
  hasOrigin: (obj: object) => boolean,
  onFound: (obj: object, sub: Path, bad: ControlFound, text: boolean) => void,
  owner?: { obj: object; sub: Path }
): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkControls(v, hasOrigin, onFound, owner && { obj: owner.obj, sub: [...owner.sub, i] }))
    return
  }
  if (!value || typeof value !== 'object') return
  const here = hasOrigin(value) || !owner ? { obj: value, sub: [] as Path } : owner
  for (const [key, v] of Object.entries(value)) {
    const text = TEXT_KEYS.has(key)
    const sub = [...here.sub, key]
    if (typeof v === 'string') {
      const bad = findControl(v, text)
      if (bad) onFound(here.obj, sub, bad, text)
    } else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) {
      // a list of lines (text) or of names (synonyms): report the first bad element
      for (let i = 0; i < v.length; i++) {
        const bad = findControl(v[i] as string, text)
        if (bad) {
          onFound(here.obj, [...sub, i], bad, text)
          break
        }
      }
    } else checkControls(v, hasOrigin, onFound, { obj: here.obj, sub })
  }
}
