import path from 'node:path'
import { z } from 'zod'
import { authoringSchemaJson, suiteSchemaJson } from '../../model/load.js'
import { PromotionConfigSchema } from '../../promote/config.js'
import { writeFileAtomic } from '../../core/files.js'
import { parse, usageError } from '../args.js'
import type { CliIo } from '../io.js'

export const SCHEMA_USAGE = 'spaceops schema [space|suite|promotion] [-o FILE] | spaceops schema --all -o DIR'
export const SCHEMA_HELP = `Print the JSON Schema of a SpaceOps file, generated from the same definitions validate
uses: space (space.yaml, the default), suite (benchmarks/*.yaml) or promotion
(config/promotion.yaml). Editors use it for completion and checks, e.g.:
  # yaml-language-server: $schema=<path or URL of schema/space.schema.json>

Usage: ${SCHEMA_USAGE}

Options:
  -o, --output FILE   write to FILE (with --all: the folder of the three *.schema.json)
  --all               write space.schema.json, suite.schema.json and promotion.schema.json
  -h, --help          show this help
`

/** The files SpaceOps publishes a JSON Schema for: name in schema/, title, and the schema from its zod definition. */
const SCHEMAS = {
  space: {
    file: 'space.schema.json',
    title: 'SpaceOps space definition (space.yaml)',
    description: 'A Databricks AI/BI Genie space as code.',
    json: authoringSchemaJson
  },
  suite: {
    file: 'suite.schema.json',
    title: 'SpaceOps benchmark suite (benchmarks/*.yaml)',
    description: 'Questions a Genie space must answer, with what a right answer looks like.',
    json: suiteSchemaJson
  },
  promotion: {
    file: 'promotion.schema.json',
    title: 'SpaceOps promotion config (config/promotion.yaml)',
    description: 'Environments, their order and their mappings; hosts and credentials come from the workflow.',
    json: () => z.toJSONSchema(PromotionConfigSchema)
  }
} as const

export type SchemaKind = keyof typeof SCHEMAS

export function schemaText(kind: SchemaKind): string {
  const s = SCHEMAS[kind]
  const schema = {
    ...s.json(),
    $id: `https://spaceops.dev/schema/${s.file}`,
    title: s.title,
    description: `${s.description} Generated from the SpaceOps model; do not edit by hand.`
  }
  return `${JSON.stringify(schema, null, 2)}\n`
}

export const authoringSchemaText = () => schemaText('space')

export const SCHEMA_OPTIONS = { output: { type: 'string', short: 'o' }, all: { type: 'boolean' } } as const

export async function schemaCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, SCHEMA_OPTIONS, SCHEMA_USAGE)
  if (values.help) {
    io.out(SCHEMA_HELP)
    return 0
  }
  if (positionals.length > 1) throw usageError('schema takes at most one kind: space, suite or promotion', SCHEMA_USAGE)
  const kind = positionals[0] ?? 'space'
  if (!Object.hasOwn(SCHEMAS, kind)) throw usageError(`unknown schema "${kind}": use space, suite or promotion`, SCHEMA_USAGE)
  if (values.all) {
    if (positionals.length) throw usageError('--all writes every schema; give no kind', SCHEMA_USAGE)
    if (!values.output) throw usageError('--all needs -o DIR (the folder to write the schemas to)', SCHEMA_USAGE)
    for (const k of Object.keys(SCHEMAS) as SchemaKind[]) {
      const rel = path.join(values.output, SCHEMAS[k].file)
      await writeFileAtomic(path.resolve(io.cwd, rel), schemaText(k), rel)
    }
    return 0
  }
  const text = schemaText(kind as SchemaKind)
  if (values.output) await writeFileAtomic(path.resolve(io.cwd, values.output), text, values.output)
  else io.out(text)
  return 0
}
