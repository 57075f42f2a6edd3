import { CLI_NAMES } from '../../core/names.js'
import { readDefinition } from '../../core/validate.js'
import { reportProblems } from '../report.js'
import { loadPromotionConfig } from '../../promote/config.js'
import { renderFor } from '../../promote/promote.js'
import { renderPayload } from '../../model/convert.js'
import { parseLimits } from '../../validate/limits.js'
import { parse, usageError } from '../args.js'
import type { CliIo } from '../io.js'
import { cliExpansion } from '../config.js'

export const RENDER_USAGE = 'spaceops render <definition> [--env ENV --config FILE] [--warehouse-id ID] [--parent-path PATH] [--title TEXT]'
export const RENDER_HELP = `Print the exact create/update payload for a definition, as JSON:
{title, description, warehouse_id, parent_path, serialized_space}, with serialized_space shown
as the canonical version 2 object (sorted, ids set, text split into lines, v1 flags mapped).
The API receives serialized_space as a JSON string of that object.

Usage: ${RENDER_USAGE}

Options:
  --env ENV            render for an environment of the promotion config: its warehouse, folder,
                       space settings and catalog/schema/table mappings (needs --config)
  --config FILE        the promotion config (e.g. config/promotion.yaml)
  --warehouse-id ID    set warehouse_id (overrides the definition)
  --parent-path PATH   set parent_path (overrides the definition)
  --title TEXT         set title (overrides the definition)
  --limit name=value   override a validation limit (see spaceops validate --help)
  -h, --help           show this help
`

export const RENDER_OPTIONS = {
  'warehouse-id': { type: 'string' },
  'parent-path': { type: 'string' },
  title: { type: 'string' },
  limit: { type: 'string', multiple: true },
  env: { type: 'string' },
  config: { type: 'string' }
} as const

export async function renderCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, RENDER_OPTIONS, RENDER_USAGE)
  if (values.help) {
    io.out(RENDER_HELP)
    return 0
  }
  if (positionals.length !== 1) throw usageError('render takes exactly one definition file', RENDER_USAGE)
  const { definition, problems } = await readDefinition(positionals[0] as string, { limits: parseLimits(values.limit ?? []), cwd: io.cwd })
  reportProblems(io, problems)
  let space = definition.space
  if (values.env !== undefined || values.config !== undefined) {
    if (!values.env || !values.config) throw usageError('--env and --config go together', RENDER_USAGE)
    const config = await loadPromotionConfig(values.config, io.cwd, CLI_NAMES)
    const rendered = renderFor(config, space, positionals[0] as string, values.env, cliExpansion(io, {}), true)
    space = rendered.space
    io.err(`rendered for ${values.env}: ${rendered.replacements} name(s) remapped\n`)
  }
  if (values['warehouse-id'] !== undefined) space.meta.warehouse_id = values['warehouse-id']
  if (values['parent-path'] !== undefined) space.meta.parent_path = values['parent-path']
  if (values.title !== undefined) space.meta.title = values.title
  io.out(`${JSON.stringify(renderPayload(space), null, 2)}\n`)
  return 0
}
