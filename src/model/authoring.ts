import { z } from 'zod'
import { GrantEntry } from './permissions.js'

/**
 * The authoring format (`space.yaml`): what people write and review. A superset of the original
 * SpaceOps format. Text is ordinary YAML text (use `|` for several lines); ids are optional.
 * Every object is strict so a misspelt key is an error with a "did you mean" hint, never silently
 * dropped. The JSON Schema in schema/space.schema.json is generated from this file.
 */

const Text = z.string()
const Id = z.string().describe('Optional item id: 32 lowercase hex characters. Omit it and SpaceOps derives a stable one from the content.')
const Identifier = z.string().describe('Three-part Unity Catalog name: catalog.schema.name')
const Synonyms = z.array(z.string()).describe('Other words people use for this')

export const ColumnConfig = z.strictObject({
  column_name: z.string(),
  description: Text.optional(),
  synonyms: Synonyms.optional(),
  exclude: z.boolean().optional().describe('Hide this column from Genie'),
  enable_format_assistance: z.boolean().optional().describe('Show Genie example values of this column'),
  enable_entity_matching: z.boolean().optional().describe('Let Genie match user words to values of this column'),
  get_example_values: z.boolean().optional().describe('Version 1 name of enable_format_assistance (accepted; prefer the new name)'),
  build_value_dictionary: z.boolean().optional().describe('Version 1 name of enable_entity_matching (accepted; prefer the new name)')
})

export const Table = z.strictObject({
  identifier: Identifier,
  description: Text.optional(),
  column_configs: z.array(ColumnConfig).optional()
})

export const JoinSide = z.strictObject({
  identifier: Identifier,
  alias: z.string().optional()
})

export const RELATIONSHIP_TYPES = ['many_to_one', 'one_to_many', 'one_to_one', 'many_to_many'] as const
export const JOIN_TYPES = ['inner', 'left', 'right', 'full', 'cross'] as const

export const Join = z
  .strictObject({
    id: Id.optional(),
    left: JoinSide.optional(),
    right: JoinSide.optional(),
    condition: Text.optional().describe('Join condition, e.g. `orders`.`customer_id` = `customers`.`id`'),
    relationship_type: z.enum(RELATIONSHIP_TYPES).optional(),
    left_table: Identifier.optional().describe('Short form: the left table (with right_table, left_column, right_column)'),
    right_table: Identifier.optional(),
    left_column: z.string().optional(),
    right_column: z.string().optional(),
    join_type: z.enum(JOIN_TYPES).optional().describe('Short form only; Genie has no join type field, so it is written into the join instruction'),
    comment: Text.optional(),
    instruction: Text.optional()
  })
  .describe('Either left + right + condition, or left_table + right_table + left_column + right_column')

export const Instruction = z.strictObject({
  id: Id.optional(),
  content: Text,
  category: z.string().optional().describe('Groups instructions under a "## category" heading in the single text instruction Genie keeps')
})

export const Parameter = z.strictObject({
  name: z.string(),
  type_hint: z.string().optional().describe('e.g. STRING, INTEGER, DATE'),
  description: Text.optional(),
  default_value: z.union([z.string(), z.array(z.string())]).optional()
})

export const ExampleQuery = z.strictObject({
  id: Id.optional(),
  question: Text,
  sql: Text,
  usage_guidance: Text.optional(),
  parameters: z.array(Parameter).optional()
})

export const SqlFunction = z.strictObject({
  id: Id.optional(),
  identifier: Identifier,
  description: z.string().optional()
})

export const Snippet = z.strictObject({
  id: Id.optional(),
  sql: Text,
  display_name: z.string().optional(),
  alias: z.string().optional(),
  synonyms: Synonyms.optional(),
  instruction: Text.optional(),
  comment: Text.optional()
})

export const SampleQuestion = z.union([Text, z.strictObject({ id: Id.optional(), question: Text })])

export const Benchmark = z.strictObject({
  id: Id.optional(),
  question: Text,
  sql: Text.describe('The SQL answer Genie is scored against')
})

export const AuthoringSpace = z.strictObject({
  title: z.string().optional(),
  description: z.string().optional(),
  warehouse_id: z.string().nullable().optional().describe('SQL warehouse id; usually set per environment'),
  parent_path: z.string().optional().describe('Workspace folder, e.g. /Workspace/Shared/genie'),
  data_sources: z
    .strictObject({
      tables: z.array(Table).optional(),
      metric_views: z.array(Table).optional()
    })
    .optional(),
  joins: z.array(Join).optional(),
  instructions: z.array(Instruction).optional(),
  example_queries: z.array(ExampleQuery).optional(),
  sql_functions: z.array(SqlFunction).optional(),
  filters: z.array(Snippet).optional(),
  expressions: z.array(Snippet).optional(),
  measures: z.array(Snippet).optional(),
  sample_questions: z.array(SampleQuestion).optional(),
  benchmarks: z.array(Benchmark).optional(),
  permissions: z
    .array(GrantEntry)
    .optional()
    .describe("The space's direct grants, as bundles write them; when set, SpaceOps owns them (absent: grants are left alone)")
})

export type AuthoringSpace = z.infer<typeof AuthoringSpace>
export type AuthoringJoin = z.infer<typeof Join>
export type AuthoringColumnConfig = z.infer<typeof ColumnConfig>
export type AuthoringTable = z.infer<typeof Table>
export type AuthoringSnippet = z.infer<typeof Snippet>
