import * as z from 'zod/mini'
import '../util/zod.js' // zod set up (messages, jitless) before this module builds a schema

/**
 * The `serialized_space` document as the API exchanges it (version 1 or 2), modelled from
 * genie-api.md and the keys seen in every published document (genie-wire-shapes.md, last section).
 * No official JSON schema exists. Objects are strict: the API rejects unknown keys ("Cannot find
 * field: <name> in message GenieSpaceExport"), and SpaceOps refuses to silently drop what it does
 * not understand. Ids are plain strings here; their format is a validation rule, so that real
 * documents with non-hex ids still load and can be reported on.
 */

/**
 * The schemas, built when the first JSON document is read: a run that reads only YAML definitions
 * (the authoring format) never needs them.
 */
function buildWireSchemas() {
  const Lines = z.array(z.string())
  const lines = z.optional(Lines)
  const text = () => z.optional(z.string())
  const flag = () => z.optional(z.boolean())
  const list = <T extends z.core.SomeType>(item: T) => z.optional(z.array(item))

  const WireColumnConfig = z.strictObject({
    column_name: z.string(),
    description: lines,
    synonyms: list(z.string()),
    exclude: flag(),
    enable_format_assistance: flag(),
    enable_entity_matching: flag(),
    // version 1 names of the two flags above; still seen inside version 2 documents
    get_example_values: flag(),
    build_value_dictionary: flag()
  })

  const WireTable = z.strictObject({
    identifier: z.string(),
    description: lines,
    column_configs: list(WireColumnConfig)
  })

  const WireSampleQuestion = z.strictObject({ id: z.string(), question: Lines })

  const WireTextInstruction = z.strictObject({ id: z.string(), content: Lines })

  const WireParameter = z.strictObject({
    name: z.string(),
    type_hint: text(),
    description: lines,
    default_value: z.optional(z.strictObject({ values: z.array(z.string()) }))
  })

  const WireExampleSql = z.strictObject({
    id: z.string(),
    question: Lines,
    sql: Lines,
    usage_guidance: lines,
    parameters: list(WireParameter)
  })

  // The workbench reference writes `description` as a plain string here (genie-wire-shapes.md).
  const WireSqlFunction = z.strictObject({
    id: z.string(),
    identifier: z.string(),
    description: text()
  })

  const WireJoinSide = z.strictObject({ identifier: z.string(), alias: text() })

  const WireJoinSpec = z.strictObject({
    id: z.string(),
    left: WireJoinSide,
    right: WireJoinSide,
    sql: z.array(z.string()),
    comment: lines,
    instruction: lines
  })

  const WireSnippet = z.strictObject({
    id: z.string(),
    sql: Lines,
    display_name: text(),
    alias: text(),
    synonyms: list(z.string()),
    instruction: lines,
    comment: lines
  })

  const WireBenchmarkAnswer = z.strictObject({ format: z.string(), content: Lines })

  const WireBenchmarkQuestion = z.strictObject({
    id: z.string(),
    question: Lines,
    answer: z.array(WireBenchmarkAnswer)
  })

  const WireSpaceDocument = z.strictObject({
    version: z.int(),
    config: z.optional(z.strictObject({ sample_questions: list(WireSampleQuestion) })),
    data_sources: z.optional(
      z.strictObject({
        tables: list(WireTable),
        metric_views: list(WireTable)
      })
    ),
    instructions: z.optional(
      z.strictObject({
        text_instructions: list(WireTextInstruction),
        example_question_sqls: list(WireExampleSql),
        sql_functions: list(WireSqlFunction),
        join_specs: list(WireJoinSpec),
        sql_snippets: z.optional(
          z.strictObject({
            filters: list(WireSnippet),
            expressions: list(WireSnippet),
            measures: list(WireSnippet)
          })
        )
      })
    ),
    benchmarks: z.optional(z.strictObject({ questions: list(WireBenchmarkQuestion) }))
  })
  return {
    WireColumnConfig,
    WireTable,
    WireSampleQuestion,
    WireTextInstruction,
    WireParameter,
    WireExampleSql,
    WireSqlFunction,
    WireJoinSide,
    WireJoinSpec,
    WireSnippet,
    WireBenchmarkAnswer,
    WireBenchmarkQuestion,
    WireSpaceDocument
  }
}

type WireSchemas = ReturnType<typeof buildWireSchemas>
let built: WireSchemas | undefined
/** The `serialized_space` document's schema (strict). */
export const wireSpaceDocumentSchema = () => (built ??= buildWireSchemas()).WireSpaceDocument

export type WireSpaceDocument = z.infer<WireSchemas['WireSpaceDocument']>
export type WireColumnConfig = z.infer<WireSchemas['WireColumnConfig']>
export type WireTable = z.infer<WireSchemas['WireTable']>
export type WireJoinSpec = z.infer<WireSchemas['WireJoinSpec']>
export type WireSnippet = z.infer<WireSchemas['WireSnippet']>
export type WireExampleSql = z.infer<WireSchemas['WireExampleSql']>
export type WireParameter = z.infer<WireSchemas['WireParameter']>
export type WireSqlFunction = z.infer<WireSchemas['WireSqlFunction']>
export type WireBenchmarkQuestion = z.infer<WireSchemas['WireBenchmarkQuestion']>

export const SUPPORTED_VERSIONS = [1, 2] as const
