import { z } from 'zod'

/**
 * The `serialized_space` document as the API exchanges it (version 1 or 2), modelled from
 * genie-api.md and the keys seen in every published document (genie-wire-shapes.md, last section).
 * No official JSON schema exists. Objects are strict: the API rejects unknown keys ("Cannot find
 * field: <name> in message GenieSpaceExport"), and SpaceOps refuses to silently drop what it does
 * not understand. Ids are plain strings here; their format is a validation rule, so that real
 * documents with non-hex ids still load and can be reported on.
 */

const Lines = z.array(z.string())

export const WireColumnConfig = z.strictObject({
  column_name: z.string(),
  description: Lines.optional(),
  synonyms: z.array(z.string()).optional(),
  exclude: z.boolean().optional(),
  enable_format_assistance: z.boolean().optional(),
  enable_entity_matching: z.boolean().optional(),
  // version 1 names of the two flags above; still seen inside version 2 documents
  get_example_values: z.boolean().optional(),
  build_value_dictionary: z.boolean().optional()
})

export const WireTable = z.strictObject({
  identifier: z.string(),
  description: Lines.optional(),
  column_configs: z.array(WireColumnConfig).optional()
})

export const WireSampleQuestion = z.strictObject({ id: z.string(), question: Lines })

export const WireTextInstruction = z.strictObject({ id: z.string(), content: Lines })

export const WireParameter = z.strictObject({
  name: z.string(),
  type_hint: z.string().optional(),
  description: Lines.optional(),
  default_value: z.strictObject({ values: z.array(z.string()) }).optional()
})

export const WireExampleSql = z.strictObject({
  id: z.string(),
  question: Lines,
  sql: Lines,
  usage_guidance: Lines.optional(),
  parameters: z.array(WireParameter).optional()
})

// The workbench reference writes `description` as a plain string here (genie-wire-shapes.md).
export const WireSqlFunction = z.strictObject({
  id: z.string(),
  identifier: z.string(),
  description: z.string().optional()
})

export const WireJoinSide = z.strictObject({ identifier: z.string(), alias: z.string().optional() })

export const WireJoinSpec = z.strictObject({
  id: z.string(),
  left: WireJoinSide,
  right: WireJoinSide,
  sql: z.array(z.string()),
  comment: Lines.optional(),
  instruction: Lines.optional()
})

export const WireSnippet = z.strictObject({
  id: z.string(),
  sql: Lines,
  display_name: z.string().optional(),
  alias: z.string().optional(),
  synonyms: z.array(z.string()).optional(),
  instruction: Lines.optional(),
  comment: Lines.optional()
})

export const WireBenchmarkAnswer = z.strictObject({ format: z.string(), content: Lines })

export const WireBenchmarkQuestion = z.strictObject({
  id: z.string(),
  question: Lines,
  answer: z.array(WireBenchmarkAnswer)
})

export const WireSpaceDocument = z.strictObject({
  version: z.number().int(),
  config: z.strictObject({ sample_questions: z.array(WireSampleQuestion).optional() }).optional(),
  data_sources: z
    .strictObject({
      tables: z.array(WireTable).optional(),
      metric_views: z.array(WireTable).optional()
    })
    .optional(),
  instructions: z
    .strictObject({
      text_instructions: z.array(WireTextInstruction).optional(),
      example_question_sqls: z.array(WireExampleSql).optional(),
      sql_functions: z.array(WireSqlFunction).optional(),
      join_specs: z.array(WireJoinSpec).optional(),
      sql_snippets: z
        .strictObject({
          filters: z.array(WireSnippet).optional(),
          expressions: z.array(WireSnippet).optional(),
          measures: z.array(WireSnippet).optional()
        })
        .optional()
    })
    .optional(),
  benchmarks: z.strictObject({ questions: z.array(WireBenchmarkQuestion).optional() }).optional()
})

export type WireSpaceDocument = z.infer<typeof WireSpaceDocument>
export type WireColumnConfig = z.infer<typeof WireColumnConfig>
export type WireTable = z.infer<typeof WireTable>
export type WireJoinSpec = z.infer<typeof WireJoinSpec>
export type WireSnippet = z.infer<typeof WireSnippet>
export type WireExampleSql = z.infer<typeof WireExampleSql>
export type WireParameter = z.infer<typeof WireParameter>
export type WireSqlFunction = z.infer<typeof WireSqlFunction>
export type WireBenchmarkQuestion = z.infer<typeof WireBenchmarkQuestion>

export const SUPPORTED_VERSIONS = [1, 2] as const
