import { CLI_NAMES } from '../../core/names.js'
import type { PushResult } from '../../deploy/push.js'
import { pushRecordsContext, pushWithRecords } from '../../deploy/recorded.js'
import { runInfo } from '../../deploy/records.js'
import { lockSettings } from '../../deploy/lock.js'
import { spaceKey } from '../../promote/config.js'
import { parseLockTimeout } from '../../util/duration.js'
import { readDefinition } from '../../core/validate.js'
import { expandDefinitions } from '../../core/paths.js'
import { renderText } from '../../plan/render.js'
import { formatProblem } from '../../model/problems.js'
import { SpaceOpsError } from '../../util/errors.js'
import { parse, usageError } from '../args.js'
import { clientFromCli, CONNECTION_HELP, CONNECTION_OPTIONS } from '../client.js'
import { cliLogger, type CliIo } from '../io.js'
import { printable } from '../../util/printable.js'

export const PUSH_USAGE =
  'spaceops push <definition> [--space-id ID] [--warehouse-id ID] [--parent-path PATH] [--title T] [--state-path PATH] [--lock-timeout D] [--dry-run]'
export const PUSH_HELP = `Create or update a space from a definition. Validates first (errors stop it); reads the live
space once; writes only what differs. Without --space-id it updates the space with the same title
in the same folder, and creates one only when there is none — a re-run never makes a second
space. A deploy record in the workspace (<parent_path>/.spaceops/<folder name>.json, or
--state-path) remembers which space the definition deployed to, so a changed title renames that
space; writes take the folder's deploy lock. Prints the space id it used.

Usage: ${PUSH_USAGE}

Options:
  --space-id ID          update this space
  --warehouse-id ID      SQL warehouse (overrides the definition)
  --parent-path PATH     workspace folder (overrides the definition; created if missing)
  --title TEXT           title (overrides the definition)
  --state-path PATH      workspace folder of deploy records and the lock (default <parent_path>/.spaceops)
  --lock-timeout D       how long to wait for another run's deploy lock (default 5m; 0 = fail at once)
  --dry-run              write nothing; print what would change
  --host, --token        connection overrides
  -h, --help             show this help

${CONNECTION_HELP}`

const VERB: Record<PushResult['action'], string> = {
  created: 'created',
  updated: 'updated',
  unchanged: 'unchanged',
  'would-create': 'would create',
  'would-update': 'would update'
}

export const PUSH_OPTIONS = {
  'space-id': { type: 'string' },
  'warehouse-id': { type: 'string' },
  'parent-path': { type: 'string' },
  title: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'state-path': { type: 'string' },
  'lock-timeout': { type: 'string' },
  ...CONNECTION_OPTIONS
} as const

export async function pushCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, PUSH_OPTIONS, PUSH_USAGE)
  if (values.help) {
    io.out(PUSH_HELP)
    return 0
  }
  if (positionals.length !== 1) throw usageError('push takes exactly one definition', PUSH_USAGE)
  const [file] = await expandDefinitions(positionals, io.cwd)
  if (!file) throw new SpaceOpsError(`${positionals[0]}: no definition`)
  const { definition, problems } = await readDefinition(file, { cwd: io.cwd, strict: true })
  for (const p of problems) io.err(`${formatProblem(p)}\n`)
  const client = clientFromCli(io, values)
  const logger = cliLogger(io, values.verbose ?? false)
  const overrides = {
    ...(values['warehouse-id'] !== undefined ? { warehouse_id: values['warehouse-id'] } : {}),
    ...(values['parent-path'] !== undefined ? { parent_path: values['parent-path'] } : {}),
    ...(values.title !== undefined ? { title: values.title } : {})
  }
  const ctx = pushRecordsContext({
    client,
    space: definition.space,
    overrides,
    key: spaceKey(file),
    statePath: values['state-path'],
    run: runInfo(io.env, 'cli'),
    logger,
    lock: lockSettings(io.env, values['lock-timeout'] !== undefined ? parseLockTimeout(values['lock-timeout'], '--lock-timeout') : undefined, CLI_NAMES),
    containsSecret: (t) => io.secrets.redact(t) !== t
  })
  const result = await pushWithRecords(
    client,
    definition.space,
    { ...(values['space-id'] ? { spaceId: values['space-id'] } : {}), overrides, dryRun: values['dry-run'] ?? false, logger, names: CLI_NAMES },
    ctx
  )
  const n = result.diff.changes.length
  if (n)
    io.out(
      renderText([{ definition: file, title: result.title, status: 'changed', diff: result.diff, ...(result.spaceId ? { spaceId: result.spaceId } : {}) }])
        .split('\n')
        .slice(1)
        .join('\n')
    )
  const id = result.spaceId ? ` ${result.spaceId}` : ''
  io.out(
    `${VERB[result.action]}${id} "${printable(result.title)}"${n ? ` (${n} change${n === 1 ? '' : 's'})` : ''}${values['dry-run'] ? ' — dry run, nothing written' : ''}\n`
  )
  return 0
}
