import { CLI_NAMES } from '../../core/names.js'
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
import type { GenieClient } from '../../client/index.js'
import type { Space } from '../../model/space.js'
import { loadPromotionConfig, type PromotionConfig } from '../../promote/config.js'
import { renderFor } from '../../promote/promote.js'
import { recordsFolder } from '../../deploy/records.js'
import { spaceKey } from '../../promote/config.js'
import { cliConnector, cliExpansion } from '../config.js'
import { parsePositive } from '../../benchmark/run.js'
import { RunIndexes } from '../../deploy/space-index.js'
import { DEFAULT_CONCURRENCY, mapConcurrent } from '../../util/pool.js'
import { planPreflight, preflightInEnvironment } from '../../promote/preflight.js'

const ENV_OPTIONS = { env: { type: 'string' }, config: { type: 'string' }, 'state-path': { type: 'string' } } as const
const ENV_HELP = `  --env ENV --config FILE       plan against an environment of the promotion config: the
                                definition as that environment gets it (mappings, warehouse,
                                space id), on that environment's workspace (DATABRICKS_<ENV>_HOST/_TOKEN,
                                or --host/--token, which then belong to ENV)
  --state-path PATH             workspace folder of the deploy records (default: the environment's
                                state_path, else <parent_path>/.spaceops)`

/** Where the deploy record of a definition is: --state-path, the environment's state_path, or beside the space. */
function recordsOf(file: string, space: Space, statePath: string | undefined) {
  return { records: { folder: recordsFolder({ statePath, parentPath: space.meta.parent_path }), key: spaceKey(file) } }
}

/** Where a command compares: the plain connection, or an environment of the promotion config. */
async function targetSetup(
  io: CliIo,
  values: {
    env?: string | undefined
    config?: string | undefined
    host?: string | undefined
    token?: string | undefined
    verbose?: boolean | undefined
    timeout?: string | undefined
    'run-timeout'?: string | undefined
  },
  usage: string
) {
  // one client for the run (its transport's pause and retry budget, the run's index are per client)
  let plain: GenieClient | undefined
  if (!values.env && !values.config)
    return {
      client: () => (plain ??= clientFromCli(io, values)),
      prepare: (space: Space) => ({ space, spaceId: undefined as string | undefined, statePath: undefined as string | undefined })
    }
  if (!values.env || !values.config) throw usageError('--env and --config go together', usage)
  const config: PromotionConfig = await loadPromotionConfig(values.config, io.cwd, CLI_NAMES)
  const env = values.env
  // the same host and credential rules as promote: --host/--token belong to --env
  const connect = cliConnector(io, values, config, env)
  const expansion = cliExpansion(io, values)
  return {
    client: (): GenieClient => connect(env).client,
    prepare: (space: Space, file?: string, only = true) => {
      const r = renderFor(config, space, file ?? 'space.yaml', env, expansion, only)
      return { space: r.space, spaceId: r.settings.space_id, statePath: r.envc.state_path }
    },
    /** the target preflight of a definition in ENV (diff shows it above the diff) */
    preflight: (definition: Parameters<typeof preflightInEnvironment>[0]['definition'], warehouseId: string | undefined) =>
      preflightInEnvironment({ client: connect(env).client, definition, config, environment: env, expansion, ...(warehouseId ? { warehouseId } : {}) }),
    env
  }
}

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
${ENV_HELP}
                                With --env, the target preflight (spaceops preflight) is shown above
                                the diff
  --skip-preflight              with --env: do not run the target preflight
  --host, --token               connection overrides
  -h, --help                    show this help

${CONNECTION_HELP}`

export const DRIFT_USAGE =
  'spaceops drift <definition|dir|glob>... [--space-id ID] [--warehouse-id ID] [--format text|markdown|json] [--fail-on-drift] [--concurrency N]'
export const DRIFT_HELP = `Compare what is live with what Git says should be there, and report the edits made outside
SpaceOps (e.g. in the Genie UI): "+" is something live has that Git does not.

Usage: ${DRIFT_USAGE}

Options:
  --space-id ID                 the live space (one definition only; default: found by title and folder)
  --format text|markdown|json   output format (default text)
  --fail-on-drift               exit 1 when any space drifted (a gate), 0 otherwise
  --concurrency N               definitions checked side by side (default 8); one listing of the
                                workspace for the run; the report keeps the order of the definitions
  --warehouse-id ID             the warehouse the space should have (as push --warehouse-id)
${ENV_HELP}
  --host, --token               connection overrides
  -h, --help                    show this help

${CONNECTION_HELP}`

function print(io: CliIo, plans: SpacePlan[], format: string | undefined, title: string): void {
  if (format === 'json') io.out(renderJson(plans))
  else if (format === 'markdown') io.out(renderMarkdown(plans, { title }))
  else io.out(renderText(plans))
}

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false
  )

export const DIFF_OPTIONS = {
  format: { type: 'string', default: 'text' },
  'detailed-exitcode': { type: 'boolean' },
  'warehouse-id': { type: 'string' },
  'skip-preflight': { type: 'boolean' },
  ...ENV_OPTIONS,
  ...CONNECTION_OPTIONS
} as const

export async function diffCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, DIFF_OPTIONS, DIFF_USAGE)
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
    plan = {
      definition: `${file} → ${other}`,
      title: second.space.meta.title ?? definition.space.meta.title ?? other,
      status: diff.changes.length ? 'changed' : 'unchanged',
      diff
    }
  } else {
    const setup = await targetSetup(io, values, DIFF_USAGE)
    const prepared = setup.prepare(definition.space, file)
    const spaceId = other ?? prepared.spaceId
    plan = await planSpace(setup.client(), prepared.space, {
      definition: file,
      ...recordsOf(file, prepared.space, values['state-path'] ?? prepared.statePath),
      ...(spaceId ? { spaceId } : {}),
      ...(values.env ? { target: values.env } : {}),
      overrides: values['warehouse-id'] ? { warehouse_id: values['warehouse-id'] } : {}
    })
    if (setup.preflight && !values['skip-preflight']) plan = { ...plan, preflight: planPreflight(await setup.preflight(definition, values['warehouse-id'])) }
  }
  print(io, [plan], values.format, 'SpaceOps plan')
  if (plan.status === 'error') return 1
  if (values['detailed-exitcode']) return plan.status === 'unchanged' ? 0 : 2
  return 0
}

export const DRIFT_OPTIONS = {
  'space-id': { type: 'string' },
  concurrency: { type: 'string' },
  'warehouse-id': { type: 'string' },
  format: { type: 'string', default: 'text' },
  'fail-on-drift': { type: 'boolean' },
  ...ENV_OPTIONS,
  ...CONNECTION_OPTIONS
} as const

export async function driftCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, DRIFT_OPTIONS, DRIFT_USAGE)
  if (values.help) {
    io.out(DRIFT_HELP)
    return 0
  }
  if (!positionals.length) throw usageError('drift needs at least one definition', DRIFT_USAGE)
  if (!['text', 'markdown', 'json'].includes(values.format ?? ''))
    throw usageError(`--format must be text, markdown or json, not ${values.format}`, DRIFT_USAGE)
  const files = (await expandDefinitions(positionals, io.cwd)).filter((f) => !/(^|\/)benchmarks\//.test(f))
  if (values['space-id'] && files.length !== 1) throw usageError('--space-id goes with exactly one definition', DRIFT_USAGE)
  const setup = await targetSetup(io, values, DRIFT_USAGE)
  const concurrency = parsePositive(values.concurrency, '--concurrency', { integer: true }) ?? DEFAULT_CONCURRENCY
  const indexes = new RunIndexes()
  const plans = await mapConcurrent(files, concurrency, async (file): Promise<SpacePlan> => {
    const { definition } = await readDefinition(file, { cwd: io.cwd })
    const prepared = setup.prepare(definition.space, file, files.length === 1)
    const spaceId = values['space-id'] ?? prepared.spaceId
    const client = setup.client()
    return driftSpace(client, prepared.space, {
      definition: file,
      ...recordsOf(file, prepared.space, values['state-path'] ?? prepared.statePath),
      ...(spaceId ? { spaceId } : {}),
      ...(values.env ? { target: values.env } : {}),
      overrides: values['warehouse-id'] ? { warehouse_id: values['warehouse-id'] } : {},
      index: indexes.for(client)
    })
  })
  print(io, plans, values.format, 'SpaceOps drift')
  const drifted = plans.filter((p) => p.status === 'changed').length
  io.err(`${drifted} of ${plans.length} space${plans.length === 1 ? '' : 's'} drifted\n`)
  if (plans.some((p) => p.status === 'error')) return 1
  return values['fail-on-drift'] && drifted ? 1 : 0
}
