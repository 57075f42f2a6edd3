/**
 * What the Genie backend does with a `serialized_space` string on create/update, implemented
 * independently from genie-api.md ("The `serialized_space` document (version 2)" and "Rules the
 * API enforces"). Nothing here is shared with src/model: the emulator exists to test that code.
 *
 * Pipeline (`acceptSerializedSpace`):
 *   1. JSON.parse                                   → "Invalid export proto: …"
 *   2. proto-style parse against MESSAGES below:     unknown key → "Cannot find field: <k> in message <M>",
 *      wrong JSON type → "Invalid export proto: …". JSON null is treated as "field not set"
 *      (protobuf JSON mapping; the docs are silent).
 *   3. version check                                → "Invalid export proto: ExportConverter supports versions 1 and 2 …"
 *   4. upgrade to version 2 (v1 column flags renamed; empty data_sources added)
 *   5. RULES, in order; the first broken rule is reported
 *   6. re-serialised compactly with keys in the server's own fixed order (the field order of
 *      MESSAGES), never the order sent — clients must canonicalise before comparing.
 *
 * Message names in "Cannot find field" errors: genie-api.md only gives `GenieSpaceExport` (the
 * root); the nested names are guesses in protobuf style.
 */
import type { Limits } from './limits.js'
import { isPlainObject, jsonType } from './http.js'

/** A rejected document; the route turns it into 400 INVALID_PARAMETER_VALUE with this message. */
export class DocumentError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DocumentError'
  }
}

function invalid(detail: string): DocumentError {
  return new DocumentError(`Invalid export proto: ${detail}`)
}

// ---------------------------------------------------------------------------------------------
// Schema (genie-api.md, "The serialized_space document (version 2)" + the key inventory at the end
// of genie-wire-shapes.md). Field order = the order the server writes keys back.

type FieldSpec =
  | { t: 'string' }
  | { t: 'bool' }
  | { t: 'int' }
  /** "lists of strings are one logical string split into lines" */
  | { t: 'lines' }
  | { t: 'msg'; msg: MessageSpec }
  | { t: 'list'; msg: MessageSpec }

interface MessageSpec {
  name: string
  fields: readonly (readonly [string, FieldSpec])[]
}

const str: FieldSpec = { t: 'string' }
const bool: FieldSpec = { t: 'bool' }
const int: FieldSpec = { t: 'int' }
const lines: FieldSpec = { t: 'lines' }
const msg = (m: MessageSpec): FieldSpec => ({ t: 'msg', msg: m })
const list = (m: MessageSpec): FieldSpec => ({ t: 'list', msg: m })

const V1_FLAG_RENAMES = [
  // genie-api.md: "Version 1 differences: column flags were get_example_values / build_value_dictionary
  // (v2: enable_format_assistance / enable_entity_matching)"
  ['get_example_values', 'enable_format_assistance'],
  ['build_value_dictionary', 'enable_entity_matching']
] as const

const ColumnConfig: MessageSpec = {
  name: 'ColumnConfig',
  fields: [
    ['column_name', str],
    ['description', lines],
    ['synonyms', lines],
    ['exclude', bool],
    ['enable_format_assistance', bool],
    ['enable_entity_matching', bool],
    // v1 names: accepted on input, never written back (see upgradeToV2)
    ['get_example_values', bool],
    ['build_value_dictionary', bool]
  ]
}
const Table: MessageSpec = {
  name: 'TableDataSource',
  fields: [
    ['identifier', str],
    ['description', lines],
    ['column_configs', list(ColumnConfig)]
  ]
}
const MetricView: MessageSpec = { ...Table, name: 'MetricViewDataSource' }
const DataSources: MessageSpec = {
  name: 'DataSources',
  fields: [
    ['tables', list(Table)],
    ['metric_views', list(MetricView)]
  ]
}
const SampleQuestion: MessageSpec = {
  name: 'SampleQuestion',
  fields: [
    ['id', str],
    ['question', lines]
  ]
}
const Config: MessageSpec = { name: 'Config', fields: [['sample_questions', list(SampleQuestion)]] }
const TextInstruction: MessageSpec = {
  name: 'TextInstruction',
  fields: [
    ['id', str],
    ['content', lines]
  ]
}
const DefaultValue: MessageSpec = { name: 'DefaultValue', fields: [['values', lines]] }
const Parameter: MessageSpec = {
  name: 'Parameter',
  fields: [
    ['name', str],
    ['type_hint', str],
    ['description', lines],
    ['default_value', msg(DefaultValue)]
  ]
}
const ExampleQuestionSql: MessageSpec = {
  name: 'ExampleQuestionSql',
  fields: [
    ['id', str],
    ['question', lines],
    ['sql', lines],
    ['usage_guidance', lines],
    ['parameters', list(Parameter)]
  ]
}
const SqlFunction: MessageSpec = {
  name: 'SqlFunction',
  fields: [
    ['id', str],
    ['identifier', str],
    // a plain string, not lines (genie-wire-shapes.md: "description is a plain string in the workbench reference")
    ['description', str]
  ]
}
const JoinSide: MessageSpec = {
  name: 'JoinSource',
  fields: [
    ['identifier', str],
    ['alias', str]
  ]
}
const JoinSpec: MessageSpec = {
  name: 'JoinSpec',
  fields: [
    ['id', str],
    ['left', msg(JoinSide)],
    ['right', msg(JoinSide)],
    ['sql', lines],
    ['comment', lines],
    ['instruction', lines]
  ]
}
const Snippet = (name: string): MessageSpec => ({
  name,
  fields: [
    ['id', str],
    ['sql', lines],
    ['display_name', str],
    ['alias', str],
    ['synonyms', lines],
    ['instruction', lines],
    ['comment', lines]
  ]
})
const SqlSnippets: MessageSpec = {
  name: 'SqlSnippets',
  fields: [
    ['filters', list(Snippet('FilterSnippet'))],
    ['expressions', list(Snippet('ExpressionSnippet'))],
    ['measures', list(Snippet('MeasureSnippet'))]
  ]
}
const Instructions: MessageSpec = {
  name: 'Instructions',
  fields: [
    ['text_instructions', list(TextInstruction)],
    ['example_question_sqls', list(ExampleQuestionSql)],
    ['sql_functions', list(SqlFunction)],
    ['join_specs', list(JoinSpec)],
    ['sql_snippets', msg(SqlSnippets)]
  ]
}
const BenchmarkAnswer: MessageSpec = {
  name: 'BenchmarkAnswer',
  fields: [
    ['format', str],
    ['content', lines]
  ]
}
const BenchmarkQuestion: MessageSpec = {
  name: 'BenchmarkQuestion',
  fields: [
    ['id', str],
    ['question', lines],
    ['answer', list(BenchmarkAnswer)]
  ]
}
const Benchmarks: MessageSpec = { name: 'Benchmarks', fields: [['questions', list(BenchmarkQuestion)]] }

/** genie-api.md: unknown keys fail with `Cannot find field: <name> in message GenieSpaceExport`. */
const GenieSpaceExport: MessageSpec = {
  name: 'GenieSpaceExport',
  fields: [
    ['version', int],
    ['config', msg(Config)],
    ['data_sources', msg(DataSources)],
    ['instructions', msg(Instructions)],
    ['benchmarks', msg(Benchmarks)]
  ]
}

// ---------------------------------------------------------------------------------------------
// Step 2: proto-style parse. Returns a copy with keys in schema order and nulls removed.

type Obj = Record<string, unknown>

function preview(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v)
  return s.length > 60 ? `${s.slice(0, 57)}...` : s
}

function parseMessage(value: unknown, spec: MessageSpec, path: string): Obj {
  if (!isPlainObject(value)) {
    throw invalid(`${path || '<root>'}: expected a JSON object for message ${spec.name}, got ${jsonType(value)} ${preview(value)}`)
  }
  const known = new Map(spec.fields)
  for (const key of Object.keys(value)) {
    // genie-api.md: "unknown keys fail with `Cannot find field: <name> in message GenieSpaceExport`"
    if (!known.has(key)) throw new DocumentError(`Cannot find field: ${key} in message ${spec.name}`)
  }
  const out: Obj = {}
  for (const [key, field] of spec.fields) {
    const v = value[key]
    if (v === undefined || v === null) continue
    out[key] = parseField(v, field, path ? `${path}.${key}` : key)
  }
  return out
}

function parseField(v: unknown, field: FieldSpec, path: string): unknown {
  const wrongType = (expected: string): DocumentError => invalid(`${path}: expected ${expected}, got ${jsonType(v)} ${preview(v)}`)
  switch (field.t) {
    case 'string':
      if (typeof v !== 'string') throw wrongType('a string')
      return v
    case 'bool':
      if (typeof v !== 'boolean') throw wrongType('a boolean')
      return v
    case 'int':
      if (typeof v !== 'number' || !Number.isInteger(v)) throw wrongType('an integer')
      return v
    case 'lines':
      if (!Array.isArray(v)) throw wrongType('an array of strings')
      v.forEach((line: unknown, i) => {
        if (typeof line !== 'string') throw invalid(`${path}[${i}]: expected a string, got ${jsonType(line)} ${preview(line)}`)
      })
      return [...(v as string[])]
    case 'msg':
      return parseMessage(v, field.msg, path)
    case 'list':
      if (!Array.isArray(v)) throw wrongType(`an array of ${field.msg.name}`)
      return v.map((item: unknown, i) => parseMessage(item, field.msg, `${path}[${i}]`))
  }
}

// ---------------------------------------------------------------------------------------------
// Small typed accessors over the parsed document.

function child(o: Obj | undefined, key: string): Obj | undefined {
  const v = o?.[key]
  return isPlainObject(v) ? v : undefined
}
function items(o: Obj | undefined, key: string): Obj[] {
  const v = o?.[key]
  return Array.isArray(v) ? (v.filter(isPlainObject) as Obj[]) : []
}
function text(o: Obj, key: string): string {
  const v = o[key]
  return typeof v === 'string' ? v : ''
}

/** A list inside the document, with its dotted path for messages. */
interface NamedList {
  path: string
  items: Obj[]
}

function sampleQuestions(doc: Obj): NamedList {
  return { path: 'config.sample_questions', items: items(child(doc, 'config'), 'sample_questions') }
}
function benchmarkQuestions(doc: Obj): NamedList {
  return { path: 'benchmarks.questions', items: items(child(doc, 'benchmarks'), 'questions') }
}
function dataSourceLists(doc: Obj): NamedList[] {
  const ds = child(doc, 'data_sources')
  return [
    { path: 'data_sources.tables', items: items(ds, 'tables') },
    { path: 'data_sources.metric_views', items: items(ds, 'metric_views') }
  ]
}
function instructionLists(doc: Obj): NamedList[] {
  const ins = child(doc, 'instructions')
  const snippets = child(ins, 'sql_snippets')
  return [
    { path: 'instructions.text_instructions', items: items(ins, 'text_instructions') },
    { path: 'instructions.example_question_sqls', items: items(ins, 'example_question_sqls') },
    { path: 'instructions.sql_functions', items: items(ins, 'sql_functions') },
    { path: 'instructions.join_specs', items: items(ins, 'join_specs') },
    { path: 'instructions.sql_snippets.filters', items: items(snippets, 'filters') },
    { path: 'instructions.sql_snippets.expressions', items: items(snippets, 'expressions') },
    { path: 'instructions.sql_snippets.measures', items: items(snippets, 'measures') }
  ]
}
function columnConfigLists(doc: Obj): NamedList[] {
  return dataSourceLists(doc).flatMap((l) => l.items.map((t, i) => ({ path: `${l.path}[${i}].column_configs`, items: items(t, 'column_configs') })))
}

// ---------------------------------------------------------------------------------------------
// Steps 3–4: version and upgrade.

export interface DocumentOptions {
  limits: Limits
  /**
   * genie-api.md lists as unconfirmed "whether v2 rejects the v1 column flag names". Default
   * false: they are accepted and folded into the v2 flags (a published fixture, the Genie Workbench
   * schema reference, carries both). true: a version 2 document with a v1 flag is rejected with
   * `Cannot find field: get_example_values in message ColumnConfig`.
   */
  rejectV1FlagsInV2: boolean
}

/**
 * genie-api.md: "a version 1 document reads back as version 2 (an empty `data_sources` appears)";
 * "v1 is accepted and upgraded on write". The v1 flag's value is used when the v2 flag is absent;
 * when both are present the v2 flag wins. v1 flag names are never written back.
 * Choice (docs silent): `data_sources: {}` is added to any document that lacks it, v1 or v2.
 */
function upgradeToV2(doc: Obj, opts: DocumentOptions): void {
  const version = doc['version']
  for (const l of columnConfigLists(doc)) {
    for (const cc of l.items) {
      for (const [v1, v2] of V1_FLAG_RENAMES) {
        if (!(v1 in cc)) continue
        if (version === 2 && opts.rejectV1FlagsInV2) throw new DocumentError(`Cannot find field: ${v1} in message ColumnConfig`)
        if (!(v2 in cc)) cc[v2] = cc[v1]
        delete cc[v1]
      }
    }
  }
  if (!('data_sources' in doc)) doc['data_sources'] = {}
  doc['version'] = 2
}

// ---------------------------------------------------------------------------------------------
// Step 5: the rules. Each rule lives here once, with the genie-api.md sentence it implements.

const HEX32 = /^[0-9a-f]{32}$/

interface Rule {
  name: string
  check(doc: Obj, limits: Limits): void
}

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? ''
    const y = b[i] ?? ''
    if (x < y) return -1
    if (x > y) return 1
  }
  return 0
}

function requireSorted(l: NamedList, keyNames: readonly string[]): void {
  for (let i = 1; i < l.items.length; i++) {
    const prev = keyNames.map((k) => text(l.items[i - 1] as Obj, k))
    const cur = keyNames.map((k) => text(l.items[i] as Obj, k))
    if (compareKeys(prev, cur) > 0) {
      const by = keyNames.length === 1 ? (keyNames[0] as string) : `(${keyNames.join(', ')})`
      throw invalid(`${l.path} must be sorted by ${by}: '${prev.join(', ')}' at index ${i - 1} comes after '${cur.join(', ')}' at index ${i}`)
    }
  }
}

function logical(v: unknown): string | undefined {
  if (typeof v === 'string') return v
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return (v as string[]).join('')
  return undefined
}

function walkStrings(v: unknown, path: string, visit: (s: string, path: string) => void): void {
  const s = logical(v)
  if (s !== undefined) {
    visit(s, path)
    return
  }
  if (Array.isArray(v)) v.forEach((x, i) => walkStrings(x, `${path}[${i}]`, visit))
  else if (isPlainObject(v)) for (const [k, x] of Object.entries(v)) walkStrings(x, path ? `${path}.${k}` : k, visit)
}

export const RULES: readonly Rule[] = [
  {
    // genie-api.md: "IDs: 32 lowercase hex characters (a UUID without dashes)"
    name: 'id-format',
    check(doc) {
      for (const l of [sampleQuestions(doc), ...instructionLists(doc), benchmarkQuestions(doc)]) {
        l.items.forEach((item, i) => {
          const id = text(item, 'id')
          if (!HEX32.test(id)) {
            throw invalid(`${l.path}[${i}].id '${id}' is not a valid id: expected 32 lowercase hexadecimal characters`)
          }
        })
      }
    }
  },
  {
    // genie-api.md: "Question ids are unique across sample questions and benchmarks; instruction ids
    // are unique across all instruction kinds."
    name: 'id-unique',
    check(doc) {
      const scopes: { kind: string; lists: NamedList[] }[] = [
        { kind: 'question', lists: [sampleQuestions(doc), benchmarkQuestions(doc)] },
        { kind: 'instruction', lists: instructionLists(doc) }
      ]
      for (const scope of scopes) {
        const seen = new Map<string, string>()
        for (const l of scope.lists) {
          l.items.forEach((item, i) => {
            const id = text(item, 'id')
            const where = `${l.path}[${i}].id`
            const first = seen.get(id)
            if (first !== undefined) throw invalid(`duplicate ${scope.kind} id '${id}' (${first} and ${where})`)
            seen.set(id, where)
          })
        }
      }
    }
  },
  {
    // Required names (docs silent on the exact wording; an empty identifier cannot name anything).
    name: 'required-names',
    check(doc) {
      for (const l of dataSourceLists(doc)) {
        l.items.forEach((t, i) => {
          if (!text(t, 'identifier')) throw invalid(`${l.path}[${i}].identifier is required`)
        })
      }
      for (const l of columnConfigLists(doc)) {
        l.items.forEach((c, i) => {
          if (!text(c, 'column_name')) throw invalid(`${l.path}[${i}].column_name is required`)
        })
      }
      const ins = child(doc, 'instructions')
      items(ins, 'sql_functions').forEach((f, i) => {
        if (!text(f, 'identifier')) throw invalid(`instructions.sql_functions[${i}].identifier is required`)
      })
      items(ins, 'join_specs').forEach((j, i) => {
        for (const side of ['left', 'right']) {
          if (!text(child(j, side) ?? {}, 'identifier')) throw invalid(`instructions.join_specs[${i}].${side}.identifier is required`)
        }
      })
      items(ins, 'example_question_sqls').forEach((e, i) => {
        items(e, 'parameters').forEach((p, k) => {
          if (!text(p, 'name')) throw invalid(`instructions.example_question_sqls[${i}].parameters[${k}].name is required`)
        })
      })
    }
  },
  {
    // genie-api.md: "Sorting: `tables` and `metric_views` by identifier; `column_configs` by column_name;
    // sample questions, text instructions, example SQLs, join specs, each snippet list and benchmark
    // questions by id; example parameters by name; `sql_functions` by (id, identifier)."
    // Strings compare by UTF-16 code unit (as Java/protobuf string comparison does).
    name: 'sorted',
    check(doc) {
      for (const l of dataSourceLists(doc)) requireSorted(l, ['identifier'])
      for (const l of columnConfigLists(doc)) requireSorted(l, ['column_name'])
      requireSorted(sampleQuestions(doc), ['id'])
      for (const l of instructionLists(doc)) {
        requireSorted(l, l.path === 'instructions.sql_functions' ? ['id', 'identifier'] : ['id'])
      }
      items(child(doc, 'instructions'), 'example_question_sqls').forEach((e, i) =>
        requireSorted({ path: `instructions.example_question_sqls[${i}].parameters`, items: items(e, 'parameters') }, ['name'])
      )
      requireSorted(benchmarkQuestions(doc), ['id'])
    }
  },
  {
    // genie-api.md: "30 tables/views per space (was 25)"
    name: 'max-tables',
    check(doc, limits) {
      const n = dataSourceLists(doc).reduce((sum, l) => sum + l.items.length, 0)
      if (n > limits.maxTablesAndMetricViews) {
        throw invalid(`a space can have at most ${limits.maxTablesAndMetricViews} tables and metric views, got ${n}`)
      }
    }
  },
  {
    // genie-api.md: "one text instruction"
    name: 'max-text-instructions',
    check(doc, limits) {
      const n = items(child(doc, 'instructions'), 'text_instructions').length
      if (n > limits.maxTextInstructions) {
        throw invalid(`a space can have at most ${limits.maxTextInstructions} text instruction(s), got ${n}`)
      }
    }
  },
  {
    // genie-api.md: "about 100 instructions in all"
    name: 'max-instructions',
    check(doc, limits) {
      const n = instructionLists(doc).reduce((sum, l) => sum + l.items.length, 0)
      if (n > limits.maxInstructions) throw invalid(`a space can have at most ${limits.maxInstructions} instructions in all, got ${n}`)
    }
  },
  {
    // genie-api.md: "strings up to 25,000 characters"
    name: 'max-string-length',
    check(doc, limits) {
      walkStrings(doc, '', (s, path) => {
        if (s.length > limits.maxStringLength) {
          throw invalid(`${path} is ${s.length} characters long; the maximum is ${limits.maxStringLength}`)
        }
      })
    }
  },
  {
    // genie-api.md: "benchmark answers exactly one, format `SQL`"
    name: 'benchmark-answer',
    check(doc, limits) {
      benchmarkQuestions(doc).items.forEach((q, i) => {
        const answers = items(q, 'answer')
        if (answers.length !== limits.benchmarkAnswersPerQuestion) {
          throw invalid(`benchmarks.questions[${i}].answer must have exactly ${limits.benchmarkAnswersPerQuestion} answer(s), got ${answers.length}`)
        }
        answers.forEach((a, k) => {
          if (text(a, 'format') !== 'SQL') {
            throw invalid(`benchmarks.questions[${i}].answer[${k}].format must be SQL, got '${text(a, 'format')}'`)
          }
        })
      })
    }
  },
  {
    // genie-api.md: "entity matching on up to 120 columns"
    name: 'max-entity-matching',
    check(doc, limits) {
      const n = columnConfigLists(doc).reduce((sum, l) => sum + l.items.filter((c) => c['enable_entity_matching'] === true).length, 0)
      if (n > limits.maxEntityMatchingColumns) {
        throw invalid(`entity matching can be enabled on at most ${limits.maxEntityMatchingColumns} columns, got ${n}`)
      }
    }
  }
]

// ---------------------------------------------------------------------------------------------

/** Re-serialise with keys in schema order (parseMessage already rebuilt every object in that order). */
function serialise(doc: Obj): string {
  const ordered = parseMessage(doc, GenieSpaceExport, '')
  return JSON.stringify(ordered)
}

/**
 * Validate `serialized` as the server would and return what it stores (and later returns):
 * a version 2 document, compact JSON, keys in the server's order. Throws DocumentError.
 */
export function acceptSerializedSpace(serialized: string, opts: DocumentOptions): string {
  let raw: unknown
  try {
    raw = JSON.parse(serialized)
  } catch (err) {
    throw invalid(`serialized_space is not valid JSON: ${err instanceof Error ? err.message : String(err)}`)
  }
  const doc = parseMessage(raw, GenieSpaceExport, '')
  const version = doc['version']
  // genie-api.md: "A version other than 1 or 2 is rejected ("ExportConverter supports versions 1 and 2")."
  if (version !== 1 && version !== 2) {
    throw invalid(`ExportConverter supports versions 1 and 2, got ${version === undefined ? 'no version' : String(version)}`)
  }
  upgradeToV2(doc, opts)
  for (const rule of RULES) rule.check(doc, opts.limits)
  return serialise(doc)
}

/** Parse a stored (already accepted) document. */
export function parseStored(serialized: string): Obj {
  const v: unknown = JSON.parse(serialized)
  if (!isPlainObject(v)) throw new Error('stored serialized_space is not an object')
  return v
}
