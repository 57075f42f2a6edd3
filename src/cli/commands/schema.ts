import path from 'node:path'
import { authoringSchemaJson } from '../../model/load.js'
import { writeFileAtomic } from '../../core/files.js'
import { parse, usageError } from '../args.js'
import type { CliIo } from '../io.js'

export const SCHEMA_USAGE = 'spaceops schema [-o FILE]'
export const SCHEMA_HELP = `Print the JSON Schema of the authoring format (space.yaml), generated from the same
definitions validate uses. Editors use it for completion and checks:
  # yaml-language-server: $schema=<path or URL of schema/space.schema.json>

Usage: ${SCHEMA_USAGE}
`

export function authoringSchemaText(): string {
  const schema = {
    ...authoringSchemaJson(),
    $id: 'https://spaceops.dev/schema/space.schema.json',
    title: 'SpaceOps space definition (space.yaml)',
    description: 'A Databricks AI/BI Genie space as code. Generated from the SpaceOps model; do not edit by hand.'
  }
  return JSON.stringify(schema, null, 2) + '\n'
}

export const SCHEMA_OPTIONS = { output: { type: 'string', short: 'o' } } as const

export async function schemaCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, SCHEMA_OPTIONS, SCHEMA_USAGE)
  if (values.help) {
    io.out(SCHEMA_HELP)
    return 0
  }
  if (positionals.length) throw usageError('schema takes no arguments', SCHEMA_USAGE)
  if (values.output) await writeFileAtomic(path.resolve(io.cwd, values.output), authoringSchemaText(), values.output)
  else io.out(authoringSchemaText())
  return 0
}
