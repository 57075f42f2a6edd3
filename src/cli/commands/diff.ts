import { access } from 'node:fs/promises'
import path from 'node:path'
import { readDefinition } from '../../core/validate.js'
import { diffSpaces } from '../../plan/diff.js'
import { driftSpace, planSpace } from '../../plan/plan.js'
import { renderJson, renderMarkdown, renderText, type SpacePlan } from '../../plan/render.js'
import { expandDefinitions } from '../../core/paths.js'
import { parse, usageError } from '../args.js'
import { clientFromCli, CONNECTION_HELP, CONNECTION_OPTIONS } from '../client.js'
import type { CliIo } from '../io.js'

export const DIFF_USAGE = 'spaceops diff <definition> [<space_id> | <other file>] [--format text|markdown|json] [--detailed-exitcode]'
export const DIFF_HELP = `Show what pushing a definition would change in its space — tables, columns, instructions,
joins, examples, snippets and benchmarks, matched by identity (reordering is no change), edited
texts as line diffs. Without a space id the space is the one push would update (same title in the
same folder). With a second file instead of a space id, compares the two files (the first is
"before").

Usage: ${DIFF_USAGE}

Options:
  --format text|markdown|json   output format (default text)
  --detailed-exitcode           exit 0 = no changes, 2 = changes, 1 = error (as terraform plan)
  --warehouse-id ID             warehouse the definition would get (as push --warehouse-id)
  --host, --token               connection overrides
  -h, --help                    show this help

${CONNECTION_HELP}`

export const DRIFT_USAGE = 'spaceops drift <definition|dir|glob>... [--space-id ID] [--format text|markdown|json] [--fail-on-drift]'
export const DRIFT_HELP = `Compare what is live with what Git says should be there, and report the edits made outside
SpaceOps (e.g. in the Genie UI): "+" is something live has that Git does not.

Usage: ${DRIFT_USAGE}

Options:
  --space-id ID                 the live space (one definition only; default: found by title and folder)
  --format text|markdown|json   output format (default text)
  --fail-on-drift               exit 1 when any space drifted (a gate), 0 otherwise
  --host, --token               connection overrides
  -h, --help                    show this help

${CONNECTION_HELP}`

function print(io: CliIo, plans: SpacePlan[], format: string | undefined, title: string): void {
  if (format === 'json') io.out(renderJson(plans))
  else if (format === 'markdown') io.out(renderMarkdown(plans, { title }))
  else io.out(renderText(plans))
}

const exists = (p: string) => access(p).then(() => true, () => false)

export async function diffCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { format: { type: 'string', default: 'text' }, 'detailed-exitcode': { type: 'boolean' }, 'warehouse-id': { type: 'string' }, ...CONNECTION_OPTIONS },
    DIFF_USAGE
  )
  if (values.help) {
    io.out(DIFF_HELP)
    return 0
  }
  if (positionals.length < 1 || positionals.length > 2) throw usageError('diff takes a definition and optionally a space id or a second file', DIFF_USAGE)
  if (!['text', 'markdown', 'json'].includes(values.format ?? '')) throw usageError(`--format must be text, markdown or json, not ${values.format}`, DIFF_USAGE)
  const [file, other] = positionals as [string, string | undefined]
  const { definition } = await readDefinition(file, { cwd: io.cwd })
  let plan: SpacePlan
  if (other !== undefined && !/^[0-9a-f]{32}$/.test(other) && (await exists(path.resolve(io.cwd, other)))) {
    const second = (await readDefinition(other, { cwd: io.cwd })).definition
    const diff = diffSpaces(definition.space, second.space, { onlyDesiredMeta: false })
    plan = { definition: `${file} → ${other}`, title: second.space.meta.title ?? definition.space.meta.title ?? other, status: diff.changes.length ? 'changed' : 'unchanged', diff }
  } else {
    const client = clientFromCli(io, values)
    plan = await planSpace(client, definition.space, {
      definition: file,
      ...(other ? { spaceId: other } : {}),
      overrides: values['warehouse-id'] ? { warehouse_id: values['warehouse-id'] } : {}
    })
  }
  print(io, [plan], values.format, 'SpaceOps plan')
  if (plan.status === 'error') return 1
  if (values['detailed-exitcode']) return plan.status === 'unchanged' ? 0 : 2
  return 0
}

export async function driftCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { 'space-id': { type: 'string' }, format: { type: 'string', default: 'text' }, 'fail-on-drift': { type: 'boolean' }, ...CONNECTION_OPTIONS },
    DRIFT_USAGE
  )
  if (values.help) {
    io.out(DRIFT_HELP)
    return 0
  }
  if (!positionals.length) throw usageError('drift needs at least one definition', DRIFT_USAGE)
  if (!['text', 'markdown', 'json'].includes(values.format ?? '')) throw usageError(`--format must be text, markdown or json, not ${values.format}`, DRIFT_USAGE)
  const files = (await expandDefinitions(positionals, io.cwd)).filter((f) => !/(^|\/)benchmarks\//.test(f))
  if (values['space-id'] && files.length !== 1) throw usageError('--space-id goes with exactly one definition', DRIFT_USAGE)
  const client = clientFromCli(io, values)
  const plans: SpacePlan[] = []
  for (const file of files) {
    const { definition } = await readDefinition(file, { cwd: io.cwd })
    plans.push(await driftSpace(client, definition.space, { definition: file, ...(values['space-id'] ? { spaceId: values['space-id'] } : {}) }))
  }
  print(io, plans, values.format, 'SpaceOps drift')
  const drifted = plans.filter((p) => p.status === 'changed').length
  io.err(`${drifted} of ${plans.length} space${plans.length === 1 ? '' : 's'} drifted\n`)
  if (plans.some((p) => p.status === 'error')) return 1
  return values['fail-on-drift'] && drifted ? 1 : 0
}
