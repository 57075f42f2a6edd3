import { fromLines, toLines } from './text.js'
import type { Origins } from './space.js'
import type { WireColumnConfig, WireExampleSql, WireJoinSpec, WireParameter, WireSnippet, WireSpaceDocument, WireTable } from './serialized.js'

/**
 * Canonical form of a `serialized_space` document: what the API would store, so that two
 * documents are equal exactly when Genie would treat them the same. Rules (genie-api.md):
 * - version 2; version 1 column flags mapped (get_example_values → enable_format_assistance,
 *   build_value_dictionary → enable_entity_matching; where a document carries both names the
 *   version 2 name wins);
 * - `data_sources` always present (the backend adds an empty one to version 1 documents);
 * - every documented sort rule applied (tables/metric views by identifier, column configs by
 *   column_name, items by id, parameters by name, sql functions by (id, identifier));
 * - long text re-split into lines as documented (each element but the last ends with "\n");
 *   join `sql` keeps its condition lines plus the separate `--rt=…--` relationship element;
 * - empty lists, empty texts and empty sections omitted; keys in one fixed order.
 * Sorting compares UTF-16 code units (the ids are ASCII; identifiers nearly always are). The API
 * does not document its collation; this is stated here as our assumption.
 */

type Cmp<T> = (a: T, b: T) => number
const byKey =
  <T>(key: (t: T) => string): Cmp<T> =>
  (a, b) => {
    const x = key(a)
    const y = key(b)
    return x < y ? -1 : x > y ? 1 : 0
  }

function sorted<T>(items: readonly T[] | undefined, cmp: Cmp<T>): T[] {
  return items ? [...items].sort(cmp) : []
}

function lines(value: readonly string[] | undefined): string[] | undefined {
  const l = toLines(fromLines(value))
  return l.length ? l : undefined
}

function list<T>(value: T[]): T[] | undefined {
  return value.length ? value : undefined
}

/** Drop keys whose value is undefined so objects compare and serialise cleanly. */
function compact<T extends object>(obj: T): T {
  for (const k of Object.keys(obj) as (keyof T)[]) if (obj[k] === undefined) delete obj[k]
  return obj
}

export const RT_MARKER = /^--rt=FROM_RELATIONSHIP_TYPE_([A-Z_]+)--$/

export function canonicalizeDocument(doc: WireSpaceDocument, origins?: Origins): WireSpaceDocument {
  const keep = <T extends object>(from: object, to: T): T => {
    origins?.carry(from, to)
    return to
  }

  const column = (c: WireColumnConfig): WireColumnConfig =>
    keep(
      c,
      compact({
        column_name: c.column_name,
        description: lines(c.description),
        synonyms: c.synonyms?.length ? [...c.synonyms] : undefined,
        exclude: c.exclude,
        enable_format_assistance: c.enable_format_assistance ?? c.get_example_values,
        enable_entity_matching: c.enable_entity_matching ?? c.build_value_dictionary
      })
    )

  const table = (t: WireTable): WireTable =>
    keep(
      t,
      compact({
        identifier: t.identifier,
        description: lines(t.description),
        column_configs: list(
          sorted(
            t.column_configs,
            byKey((c) => c.column_name)
          ).map(column)
        )
      })
    )

  const parameter = (p: WireParameter): WireParameter =>
    keep(
      p,
      compact({
        name: p.name,
        type_hint: p.type_hint,
        description: lines(p.description),
        default_value: p.default_value ? { values: [...p.default_value.values] } : undefined
      })
    )

  const example = (e: WireExampleSql): WireExampleSql =>
    keep(
      e,
      compact({
        id: e.id,
        question: lines(e.question) ?? [],
        sql: lines(e.sql) ?? [],
        usage_guidance: lines(e.usage_guidance),
        parameters: list(
          sorted(
            e.parameters,
            byKey((p) => p.name)
          ).map(parameter)
        )
      })
    )

  const join = (j: WireJoinSpec): WireJoinSpec => {
    const { condition, marker } = splitJoinSql(j.sql)
    const sql = toLines(condition)
    if (marker) sql.push(marker)
    return keep(
      j,
      compact({
        id: j.id,
        left: compact({ identifier: j.left.identifier, alias: j.left.alias }),
        right: compact({ identifier: j.right.identifier, alias: j.right.alias }),
        sql,
        comment: lines(j.comment),
        instruction: lines(j.instruction)
      })
    )
  }

  const snippet = (s: WireSnippet): WireSnippet =>
    keep(
      s,
      compact({
        id: s.id,
        sql: lines(s.sql) ?? [],
        display_name: s.display_name,
        alias: s.alias,
        synonyms: s.synonyms?.length ? [...s.synonyms] : undefined,
        instruction: lines(s.instruction),
        comment: lines(s.comment)
      })
    )

  const byId = byKey<{ id: string }>((x) => x.id)

  const sampleQuestions = sorted(doc.config?.sample_questions, byId).map((q) => keep(q, { id: q.id, question: lines(q.question) ?? [] }))
  const tables = sorted(
    doc.data_sources?.tables,
    byKey((t) => t.identifier)
  ).map(table)
  const metricViews = sorted(
    doc.data_sources?.metric_views,
    byKey((t) => t.identifier)
  ).map(table)
  const ins = doc.instructions
  const textInstructions = sorted(ins?.text_instructions, byId).map((t) => keep(t, { id: t.id, content: lines(t.content) ?? [] }))
  const examples = sorted(ins?.example_question_sqls, byId).map(example)
  const functions = sorted(ins?.sql_functions, (a, b) => byId(a, b) || byKey<{ identifier: string }>((x) => x.identifier)(a, b)).map((f) =>
    keep(f, compact({ id: f.id, identifier: f.identifier, description: f.description || undefined }))
  )
  const joins = sorted(ins?.join_specs, byId).map(join)
  const filters = sorted(ins?.sql_snippets?.filters, byId).map(snippet)
  const expressions = sorted(ins?.sql_snippets?.expressions, byId).map(snippet)
  const measures = sorted(ins?.sql_snippets?.measures, byId).map(snippet)
  const benchmarks = sorted(doc.benchmarks?.questions, byId).map((b) =>
    keep(b, {
      id: b.id,
      question: lines(b.question) ?? [],
      answer: b.answer.map((a) => ({ format: a.format, content: lines(a.content) ?? [] }))
    })
  )

  const snippets = compact({ filters: list(filters), expressions: list(expressions), measures: list(measures) })
  const instructions = compact({
    text_instructions: list(textInstructions),
    example_question_sqls: list(examples),
    sql_functions: list(functions),
    join_specs: list(joins),
    sql_snippets: Object.keys(snippets).length ? snippets : undefined
  })

  return compact({
    version: 2,
    config: sampleQuestions.length ? { sample_questions: sampleQuestions } : undefined,
    data_sources: compact({ tables: list(tables), metric_views: list(metricViews) }),
    instructions: Object.keys(instructions).length ? instructions : undefined,
    benchmarks: benchmarks.length ? { questions: benchmarks } : undefined
  })
}

/**
 * A join spec's `sql` is the join condition followed, in its own element, by a relationship
 * marker such as `--rt=FROM_RELATIONSHIP_TYPE_MANY_TO_ONE--` (the Databricks-authored workbench
 * reference; the REST reference example has no marker). The elements are not "\n"-terminated
 * lines, so the marker is separated before the condition is treated as text.
 */
export function splitJoinSql(sql: readonly string[]): { condition: string; marker?: string } {
  const last = sql.length ? sql[sql.length - 1] : undefined
  if (last !== undefined && RT_MARKER.test(last.trim())) {
    return { condition: sql.slice(0, -1).join(''), marker: last.trim() }
  }
  return { condition: sql.join('') }
}
