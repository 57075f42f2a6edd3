import * as z from 'zod/mini'
import '../util/zod.js' // zod set up (messages, jitless) before this module builds a schema
import { GrantEntry } from './permissions.js'

/**
 * The authoring format (`space.yaml`): what people write and review. A superset of the original
 * SpaceOps format. Text is ordinary YAML text (use `|` for several lines); ids are optional.
 * Every object is strict so a misspelt key is an error with a "did you mean" hint, never silently
 * dropped. The JSON Schema in schema/space.schema.json is generated from this file. Written with
 * zod/mini (the same checks, issues and JSON Schema as zod's chained API, built in less time): these
 * schemas are built at every start of the action.
 */

const Text = z.string()
const Id = z.string().check(z.describe('Optional item id: 32 lowercase hex characters. Omit it and SpaceOps derives a stable one from the content.'))
const Identifier = z.string().check(z.describe('Three-part Unity Catalog name: catalog.schema.name'))
const Synonyms = z.array(z.string()).check(z.describe('Other words people use for this'))
const flag = (description: string) => z.optional(z.boolean()).check(z.describe(description))

export const ColumnConfig = z.strictObject({
  column_name: z.string(),
  description: z.optional(Text),
  synonyms: z.optional(Synonyms),
  exclude: flag('Hide this column from Genie'),
  enable_format_assistance: flag('Show Genie example values of this column'),
  enable_entity_matching: flag('Let Genie match user words to values of this column'),
  get_example_values: flag('Version 1 name of enable_format_assistance (accepted; prefer the new name)'),
  build_value_dictionary: flag('Version 1 name of enable_entity_matching (accepted; prefer the new name)')
})

export const Table = z.strictObject({
  identifier: Identifier,
  description: z.optional(Text),
  column_configs: z.optional(z.array(ColumnConfig))
})

export const JoinSide = z.strictObject({
  identifier: Identifier,
  alias: z.optional(z.string())
})

export const RELATIONSHIP_TYPES = ['many_to_one', 'one_to_many', 'one_to_one', 'many_to_many'] as const
export const JOIN_TYPES = ['inner', 'left', 'right', 'full', 'cross'] as const

export const Join = z
  .strictObject({
    id: z.optional(Id),
    left: z.optional(JoinSide),
    right: z.optional(JoinSide),
    condition: z.optional(Text).check(z.describe('Join condition, e.g. `orders`.`customer_id` = `customers`.`id`')),
    relationship_type: z.optional(z.enum(RELATIONSHIP_TYPES)),
    left_table: z.optional(Identifier).check(z.describe('Short form: the left table (with right_table, left_column, right_column)')),
    right_table: z.optional(Identifier),
    left_column: z.optional(z.string()),
    right_column: z.optional(z.string()),
    join_type: z.optional(z.enum(JOIN_TYPES)).check(z.describe('Short form only; Genie has no join type field, so it is written into the join instruction')),
    comment: z.optional(Text),
    instruction: z.optional(Text)
  })
  .check(z.describe('Either left + right + condition, or left_table + right_table + left_column + right_column'))

export const Instruction = z.strictObject({
  id: z.optional(Id),
  content: Text,
  category: z.optional(z.string()).check(z.describe('Groups instructions under a "## category" heading in the single text instruction Genie keeps'))
})

export const Parameter = z.strictObject({
  name: z.string(),
  type_hint: z.optional(z.string()).check(z.describe('e.g. STRING, INTEGER, DATE')),
  description: z.optional(Text),
  default_value: z.optional(z.union([z.string(), z.array(z.string())]))
})

export const ExampleQuery = z.strictObject({
  id: z.optional(Id),
  question: Text,
  sql: Text,
  usage_guidance: z.optional(Text),
  parameters: z.optional(z.array(Parameter))
})

export const SqlFunction = z.strictObject({
  id: z.optional(Id),
  identifier: Identifier,
  description: z.optional(z.string())
})

export const Snippet = z.strictObject({
  id: z.optional(Id),
  sql: Text,
  display_name: z.optional(z.string()),
  alias: z.optional(z.string()),
  synonyms: z.optional(Synonyms),
  instruction: z.optional(Text),
  comment: z.optional(Text)
})

export const SampleQuestion = z.union([Text, z.strictObject({ id: z.optional(Id), question: Text })])

export const Benchmark = z.strictObject({
  id: z.optional(Id),
  question: Text,
  sql: Text.check(z.describe('The SQL answer Genie is scored against'))
})

export const AuthoringSpace = z.strictObject({
  title: z.optional(z.string()),
  description: z.optional(z.string()),
  warehouse_id: z.optional(z.nullable(z.string())).check(z.describe('SQL warehouse id; usually set per environment')),
  parent_path: z.optional(z.string()).check(z.describe('Workspace folder, e.g. /Workspace/Shared/genie')),
  data_sources: z.optional(
    z.strictObject({
      tables: z.optional(z.array(Table)),
      metric_views: z.optional(z.array(Table))
    })
  ),
  joins: z.optional(z.array(Join)),
  instructions: z.optional(z.array(Instruction)),
  example_queries: z.optional(z.array(ExampleQuery)),
  sql_functions: z.optional(z.array(SqlFunction)),
  filters: z.optional(z.array(Snippet)),
  expressions: z.optional(z.array(Snippet)),
  measures: z.optional(z.array(Snippet)),
  sample_questions: z.optional(z.array(SampleQuestion)),
  benchmarks: z.optional(z.array(Benchmark)),
  permissions: z
    .optional(z.array(GrantEntry))
    .check(z.describe("The space's direct grants, as bundles write them; when set, SpaceOps owns them (absent: grants are left alone)"))
})

export type AuthoringSpace = z.infer<typeof AuthoringSpace>
export type AuthoringJoin = z.infer<typeof Join>
export type AuthoringColumnConfig = z.infer<typeof ColumnConfig>
export type AuthoringTable = z.infer<typeof Table>
export type AuthoringSnippet = z.infer<typeof Snippet>
