import { access } from 'node:fs/promises'
import path from 'node:path'
import { readDefinition } from '../../core/validate.js'
import { reportProblems } from '../report.js'
import { textFor, toPayloadText } from '../../core/formats.js'
import { writeFileAtomic } from '../../core/files.js'
import { formatOf } from '../../model/load.js'
import { SpaceOpsError } from '../../util/errors.js'
import { parse, usageError } from '../args.js'
import type { CliIo } from '../io.js'

export const CONVERT_USAGE = 'spaceops convert <in> -o <out> [--force]'
export const CONVERT_HELP = `Convert between the authoring YAML and the serialized_space JSON (.geniespace.json),
chosen by the file extensions. Lossless: ids are kept, and converting back gives the same
canonical document. A .geniespace.json holds the document only (as Databricks Asset Bundles
use it); title, description, warehouse_id and parent_path live beside it, so converting YAML to
.geniespace.json says which of them it left out. Any other .json name gets the full payload.

Usage: ${CONVERT_USAGE}

Options:
  -o, --output FILE    where to write (.yaml, .yml, .geniespace.json, or .json for the payload)
  --force              overwrite FILE if it exists
  -h, --help           show this help
`

export const CONVERT_OPTIONS = { output: { type: 'string', short: 'o' }, force: { type: 'boolean' } } as const

const isGeniespace = (file: string) => /\.geniespace\.json$/i.test(file)

export async function convertCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, CONVERT_OPTIONS, CONVERT_USAGE)
  if (values.help) {
    io.out(CONVERT_HELP)
    return 0
  }
  if (positionals.length !== 1 || !values.output) throw usageError('convert needs one input file and -o <output>', CONVERT_USAGE)
  const input = positionals[0] as string
  const output = values.output
  const outKind = formatOf(output)
  if (!outKind) throw new SpaceOpsError(`${output}: unknown output format; use .yaml, .yml, .geniespace.json or .json`)
  const target = path.resolve(io.cwd, output)
  if (path.resolve(io.cwd, input) === target) throw new SpaceOpsError(`${output}: output would overwrite the input`)
  if (
    !values.force &&
    (await access(target).then(
      () => true,
      () => false
    ))
  ) {
    throw new SpaceOpsError(`${output}: already exists; pass --force to overwrite`)
  }
  const { definition, problems } = await readDefinition(input, { cwd: io.cwd })
  reportProblems(io, problems)
  const space = definition.space
  let text: string
  if (outKind === 'json' && !isGeniespace(output)) text = toPayloadText(space)
  else {
    text = textFor(output, space)
    if (outKind === 'json') {
      const left = Object.entries(space.meta)
        .filter(([, v]) => v !== undefined && v !== null)
        .map(([k]) => k)
      if (left.length) {
        io.err(
          `note: ${left.join(', ')} ${left.length === 1 ? 'is' : 'are'} not part of a .geniespace.json document and not written to it (a plain .json name gets the full payload)\n`
        )
      }
    }
  }
  await writeFileAtomic(target, text, output)
  io.err(`wrote ${output}\n`)
  return 0
}
