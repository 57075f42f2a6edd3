import { deriveId } from './ids.js'
import { fromLines, toLines } from './text.js'
import { canonicalizeDocument, splitJoinSql } from './canonical.js'
import { SpaceOpsError } from '../util/errors.js'
import type { AuthoringJoin, AuthoringSpace } from './authoring.js'
import { canonicalGrants, sortGrants } from './permissions.js'
import type { Origins, Path, Space, SpaceMeta } from './space.js'
import type { WireBenchmarkQuestion, WireExampleSql, WireJoinSpec, WireSnippet, WireSpaceDocument, WireSqlFunction, WireTable } from './serialized.js'

/**
 * Conversion between the authoring format and the model. authoring → model is total for a
 * schema-valid definition; model → authoring is exact: converting back gives the same canonical
 * document, ids and all (an id is left out of the YAML only where SpaceOps would derive that very
 * id again). What the authoring format cannot hold is refused with an error, never dropped.
 */

export const ID_KINDS = {
  sampleQuestion: 'sample_question',
  textInstruction: 'text_instruction',
  example: 'example_question_sql',
  sqlFunction: 'sql_function',
  join: 'join_spec',
  filter: 'filter',
  expression: 'expression',
  measure: 'measure',
  benchmark: 'benchmark'
} as const

/** Identity of the single text instruction a space keeps when its items carry no id. */
export const TEXT_INSTRUCTION_IDENTITY = 'instructions'

export const idFor = {
  sampleQuestion: (question: string) => deriveId(ID_KINDS.sampleQuestion, question.trim()),
  textInstruction: () => deriveId(ID_KINDS.textInstruction, TEXT_INSTRUCTION_IDENTITY),
  example: (question: string) => deriveId(ID_KINDS.example, question.trim()),
  sqlFunction: (identifier: string) => deriveId(ID_KINDS.sqlFunction, identifier),
  join: (left: string, right: string, leftAlias = '', rightAlias = '') => deriveId(ID_KINDS.join, `${left}|${right}|${leftAlias}|${rightAlias}`),
  snippet: (kind: 'filter' | 'expression' | 'measure', s: { alias?: string; display_name?: string; sql: string }) =>
    deriveId(ID_KINDS[kind], s.alias ?? s.display_name ?? s.sql.trim()),
  benchmark: (question: string) => deriveId(ID_KINDS.benchmark, question.trim())
}

const opt = (text: string | undefined): string[] | undefined => (text === undefined ? undefined : toLines(text))

function shortName(identifier: string): string {
  const parts = identifier.split('.')
  return (parts[parts.length - 1] ?? identifier).replace(/`/g, '')
}

const quote = (name: string) => `\`${name.replace(/`/g, '``')}\``

/** The join condition and sides of a join in either authoring form. */
export function joinParts(j: AuthoringJoin): {
  left: { identifier: string; alias?: string }
  right: { identifier: string; alias?: string }
  condition: string
  instruction?: string
} {
  if (j.left_table !== undefined || j.right_table !== undefined) {
    const leftTable = j.left_table ?? ''
    const rightTable = j.right_table ?? ''
    const left = { identifier: leftTable, alias: shortName(leftTable) }
    const right = { identifier: rightTable, alias: shortName(rightTable) }
    const condition = `${quote(left.alias)}.${quote(j.left_column ?? '')} = ${quote(right.alias)}.${quote(j.right_column ?? '')}`
    let instruction = j.instruction
    if (j.join_type) {
      const note = `Use a ${j.join_type.toUpperCase()} JOIN.`
      instruction = instruction ? `${instruction.replace(/\n+$/, '')}\n${note}` : note
    }
    return { left, right, condition, ...(instruction !== undefined ? { instruction } : {}) }
  }
  return {
    left: { identifier: j.left?.identifier ?? '', ...(j.left?.alias !== undefined ? { alias: j.left.alias } : {}) },
    right: { identifier: j.right?.identifier ?? '', ...(j.right?.alias !== undefined ? { alias: j.right.alias } : {}) },
    condition: j.condition ?? '',
    ...(j.instruction !== undefined ? { instruction: j.instruction } : {})
  }
}

/** Merge instruction items into text instructions: one per distinct explicit id (normally one). */
function mergeInstructions(items: NonNullable<AuthoringSpace['instructions']>, origins: Origins | undefined, base: Path) {
  const groups: { id: string; parts: { category?: string; content: string }[]; first: number }[] = []
  let current: (typeof groups)[number] | undefined
  items.forEach((item, i) => {
    if (item.id !== undefined) {
      current = groups.find((g) => g.id === item.id)
      if (!current) {
        current = { id: item.id, parts: [], first: i }
        groups.push(current)
      }
    } else if (!current) {
      current = groups[0]
      if (!current) {
        current = { id: '', parts: [], first: i }
        groups.push(current)
      }
    }
    current.parts.push({ ...(item.category !== undefined ? { category: item.category } : {}), content: item.content })
  })
  return groups.map((g) => {
    let text = ''
    let category: string | undefined
    g.parts.forEach((p, i) => {
      let part = p.content
      if (p.category !== undefined && p.category !== category) part = `## ${p.category}\n${part}`
      category = p.category
      text = i === 0 ? part : `${text.replace(/\n+$/, '')}\n\n${part}`
    })
    const out = { id: g.id || idFor.textInstruction(), content: toLines(text) }
    origins?.set(out, [...base, 'instructions', g.first])
    return out
  })
}

/** authoring YAML (schema-valid) → model. */
export function authoringToSpace(a: AuthoringSpace, origins?: Origins): Space {
  const at = <T extends object>(obj: T, path: Path): T => {
    origins?.set(obj, path)
    return obj
  }
  const tables = (list: AuthoringSpace['data_sources'] extends infer D ? D : never, key: 'tables' | 'metric_views'): WireTable[] | undefined =>
    list?.[key]?.map((t, i) =>
      at(
        {
          identifier: t.identifier,
          description: opt(t.description),
          column_configs: t.column_configs?.map((c, j) =>
            at(
              {
                column_name: c.column_name,
                description: opt(c.description),
                synonyms: c.synonyms,
                exclude: c.exclude,
                enable_format_assistance: c.enable_format_assistance ?? c.get_example_values,
                enable_entity_matching: c.enable_entity_matching ?? c.build_value_dictionary
              },
              ['data_sources', key, i, 'column_configs', j]
            )
          )
        },
        ['data_sources', key, i]
      )
    )

  const snippets = (kind: 'filter' | 'expression' | 'measure', key: 'filters' | 'expressions' | 'measures'): WireSnippet[] | undefined =>
    a[key]?.map((s, i) =>
      at(
        {
          id: s.id ?? idFor.snippet(kind, s),
          sql: toLines(s.sql),
          display_name: s.display_name,
          alias: s.alias,
          synonyms: s.synonyms,
          instruction: opt(s.instruction),
          comment: opt(s.comment)
        },
        [key, i]
      )
    )

  const joins: WireJoinSpec[] | undefined = a.joins?.map((j, i) => {
    const p = joinParts(j)
    const sql = toLines(p.condition)
    if (j.relationship_type) sql.push(`--rt=FROM_RELATIONSHIP_TYPE_${j.relationship_type.toUpperCase()}--`)
    return at(
      {
        id: j.id ?? idFor.join(p.left.identifier, p.right.identifier, p.left.alias, p.right.alias),
        left: p.left,
        right: p.right,
        sql,
        comment: opt(j.comment),
        instruction: opt(p.instruction)
      },
      ['joins', i]
    )
  })

  const examples: WireExampleSql[] | undefined = a.example_queries?.map((e, i) =>
    at(
      {
        id: e.id ?? idFor.example(e.question),
        question: toLines(e.question),
        sql: toLines(e.sql),
        usage_guidance: opt(e.usage_guidance),
        parameters: e.parameters?.map((p, j) =>
          at(
            {
              name: p.name,
              type_hint: p.type_hint,
              description: opt(p.description),
              default_value: p.default_value === undefined ? undefined : { values: Array.isArray(p.default_value) ? p.default_value : [p.default_value] }
            },
            ['example_queries', i, 'parameters', j]
          )
        )
      },
      ['example_queries', i]
    )
  )

  const functions: WireSqlFunction[] | undefined = a.sql_functions?.map((f, i) =>
    at({ id: f.id ?? idFor.sqlFunction(f.identifier), identifier: f.identifier, description: f.description }, ['sql_functions', i])
  )

  const sampleQuestions = a.sample_questions?.map((q, i) => {
    const question = typeof q === 'string' ? q : q.question
    const id = typeof q === 'string' ? undefined : q.id
    return at({ id: id ?? idFor.sampleQuestion(question), question: toLines(question) }, ['sample_questions', i])
  })

  const benchmarks: WireBenchmarkQuestion[] | undefined = a.benchmarks?.map((b, i) =>
    at({ id: b.id ?? idFor.benchmark(b.question), question: toLines(b.question), answer: [{ format: 'SQL', content: toLines(b.sql) }] }, ['benchmarks', i])
  )

  const raw: WireSpaceDocument = {
    version: 2,
    config: { sample_questions: sampleQuestions },
    data_sources: { tables: tables(a.data_sources, 'tables'), metric_views: tables(a.data_sources, 'metric_views') },
    instructions: {
      text_instructions: a.instructions ? mergeInstructions(a.instructions, origins, []) : undefined,
      example_question_sqls: examples,
      sql_functions: functions,
      join_specs: joins,
      sql_snippets: {
        filters: snippets('filter', 'filters'),
        expressions: snippets('expression', 'expressions'),
        measures: snippets('measure', 'measures')
      }
    },
    benchmarks: { questions: benchmarks }
  }

  const meta: SpaceMeta = {}
  if (a.title !== undefined) meta.title = a.title
  if (a.description !== undefined) meta.description = a.description
  if (a.warehouse_id !== undefined) meta.warehouse_id = a.warehouse_id
  if (a.parent_path !== undefined) meta.parent_path = a.parent_path
  const space: Space = { meta, document: canonicalizeDocument(raw, origins) }
  if (a.permissions) space.permissions = sortGrants(a.permissions.map((g, i) => at(clean({ ...g }), ['permissions', i])))
  return space
}

const text = (lines: readonly string[] | undefined): string | undefined => (lines?.length ? fromLines(lines) : undefined)

/** Plain object with undefined keys removed: the YAML writer prints exactly what is set. */
function clean<T extends Record<string, unknown>>(obj: T): T {
  for (const k of Object.keys(obj)) if (obj[k] === undefined) delete obj[k]
  return obj
}

/** model → authoring. `space.document` must be canonical. */
export function spaceToAuthoring(space: Space): AuthoringSpace {
  const d = space.document
  const out: Record<string, unknown> = {}
  if (space.meta.title !== undefined) out.title = space.meta.title
  if (space.meta.description !== undefined) out.description = space.meta.description
  if (space.meta.warehouse_id !== undefined) out.warehouse_id = space.meta.warehouse_id
  if (space.meta.parent_path !== undefined) out.parent_path = space.meta.parent_path

  const tables = (list: WireTable[] | undefined) =>
    list?.map((t) =>
      clean({
        identifier: t.identifier,
        description: text(t.description),
        column_configs: t.column_configs?.map((c) =>
          clean({
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
  const ds = clean({ tables: tables(d.data_sources?.tables), metric_views: tables(d.data_sources?.metric_views) })
  if (Object.keys(ds).length) out.data_sources = ds

  const ins = d.instructions
  if (ins?.join_specs) {
    out.joins = ins.join_specs.map((j) => {
      const { condition, marker } = splitJoinSql(j.sql)
      const rt = marker?.match(/FROM_RELATIONSHIP_TYPE_([A-Z_]+)/)?.[1]?.toLowerCase()
      const derived = idFor.join(j.left.identifier, j.right.identifier, j.left.alias, j.right.alias)
      return clean({
        id: j.id === derived ? undefined : j.id,
        left: clean({ ...j.left }),
        right: clean({ ...j.right }),
        condition,
        relationship_type: rt,
        comment: text(j.comment),
        instruction: text(j.instruction)
      })
    })
  }
  if (ins?.text_instructions) {
    const single = ins.text_instructions.length === 1
    out.instructions = ins.text_instructions.map((t) =>
      clean({ id: single && t.id === idFor.textInstruction() ? undefined : t.id, content: fromLines(t.content) })
    )
  }
  if (ins?.example_question_sqls) {
    out.example_queries = ins.example_question_sqls.map((e) => {
      const question = fromLines(e.question)
      return clean({
        id: e.id === idFor.example(question) ? undefined : e.id,
        question,
        sql: fromLines(e.sql),
        usage_guidance: text(e.usage_guidance),
        parameters: e.parameters?.map((p) =>
          clean({
            name: p.name,
            type_hint: p.type_hint,
            description: text(p.description),
            default_value: p.default_value ? (p.default_value.values.length === 1 ? p.default_value.values[0] : p.default_value.values) : undefined
          })
        )
      })
    })
  }
  if (ins?.sql_functions) {
    out.sql_functions = ins.sql_functions.map((f) =>
      clean({ id: f.id === idFor.sqlFunction(f.identifier) ? undefined : f.id, identifier: f.identifier, description: f.description })
    )
  }
  for (const [kind, key] of [
    ['filter', 'filters'],
    ['expression', 'expressions'],
    ['measure', 'measures']
  ] as const) {
    const list = ins?.sql_snippets?.[key]
    if (!list) continue
    out[key] = list.map((s) => {
      const sql = fromLines(s.sql)
      const derived = idFor.snippet(kind, { ...clean({ alias: s.alias, display_name: s.display_name }), sql })
      return clean({
        id: s.id === derived ? undefined : s.id,
        sql,
        display_name: s.display_name,
        alias: s.alias,
        synonyms: s.synonyms,
        instruction: text(s.instruction),
        comment: text(s.comment)
      })
    })
  }
  if (d.config?.sample_questions) {
    out.sample_questions = d.config.sample_questions.map((q) => {
      const question = fromLines(q.question)
      return q.id === idFor.sampleQuestion(question) ? question : { id: q.id, question }
    })
  }
  if (d.benchmarks?.questions) {
    out.benchmarks = d.benchmarks.questions.map((b) => {
      const question = fromLines(b.question)
      const answer = b.answer[0]
      if (b.answer.length !== 1 || !answer || answer.format !== 'SQL') {
        throw new SpaceOpsError(
          `benchmark question ${b.id} has ${b.answer.length} answer(s)${answer ? ` (format ${answer.format})` : ''}; ` +
            'the YAML format holds exactly one SQL answer per benchmark (as the API requires) — keep this space as .geniespace.json or fix the answer'
        )
      }
      return clean({ id: b.id === idFor.benchmark(question) ? undefined : b.id, question, sql: fromLines(answer.content) })
    })
  }
  if (space.permissions) out.permissions = canonicalGrants(space.permissions)
  return out as AuthoringSpace
}

/** The create/update payload (`serialized_space` as its canonical object). */
export interface RenderedPayload {
  title: string | null
  description: string | null
  warehouse_id: string | null
  parent_path: string | null
  serialized_space: WireSpaceDocument
}

export function renderPayload(space: Space): RenderedPayload {
  return {
    title: space.meta.title ?? null,
    description: space.meta.description ?? null,
    warehouse_id: space.meta.warehouse_id ?? null,
    parent_path: space.meta.parent_path ?? null,
    serialized_space: space.document
  }
}
