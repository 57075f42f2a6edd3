import { readDefinition } from '../../core/validate.js'
import { expandDefinitions } from '../../core/paths.js'
import { formatProblem } from '../../model/problems.js'
import { loadPromotionConfig } from '../../promote/config.js'
import { checkTarget, preflightInEnvironment, preflightSummary, type PreflightReport } from '../../promote/preflight.js'
import { DEFAULT_CONCURRENCY, mapConcurrent } from '../../util/pool.js'
import { parse, usageError } from '../args.js'
import { clientFromCli, CONNECTION_HELP, CONNECTION_OPTIONS } from '../client.js'
import { cliConnector, cliExpansion } from '../config.js'
import type { CliIo } from '../io.js'

export const PREFLIGHT_USAGE = 'spaceops preflight <definition|dir|glob>... [--env ENV --config FILE] [--warehouse-id ID] [--format text|json]'
export const PREFLIGHT_HELP = `Check, read-only, that a workspace has what a definition needs before anything is written to it
(promote and plans with an environment run the same checks):
  - every table, metric view and SQL function exists in its Unity Catalog, and every column
    named in column_configs exists in its table (error);
  - the warehouse exists and the deployer may use it (error);
  - with --env: every catalog, schema and table mapping of the environment matches a name of the
    definition (error: a typo or a stale mapping);
  - the principals granted CAN_RUN or more have SELECT on the tables and CAN_USE on the
    warehouse (warning: a grant may be on its way);
  - a check that could not be made (403, a server error) is a warning naming the permission
    that would let SpaceOps make it.
Each finding is one line: file:line:col of the definition (or promotion config) and the object.
Exit 1 when there is an error, 0 otherwise.

Usage: ${PREFLIGHT_USAGE}

Options:
  --env ENV --config FILE       check the definition as that environment gets it (mappings,
                                warehouse) on that environment's workspace (DATABRICKS_<ENV>_HOST/_TOKEN,
                                or --host/--token, which then belong to ENV)
  --warehouse-id ID             the warehouse to check (default: the environment's, else the definition's)
  --format text|json            output format (default text)
  --host, --token               connection overrides
  -h, --help                    show this help

${CONNECTION_HELP}`

export const PREFLIGHT_OPTIONS = {
  env: { type: 'string' },
  config: { type: 'string' },
  'warehouse-id': { type: 'string' },
  format: { type: 'string', default: 'text' },
  ...CONNECTION_OPTIONS
} as const

export async function preflightCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, PREFLIGHT_OPTIONS, PREFLIGHT_USAGE)
  if (values.help) {
    io.out(PREFLIGHT_HELP)
    return 0
  }
  if (!positionals.length) throw usageError('preflight needs at least one definition', PREFLIGHT_USAGE)
  if (!['text', 'json'].includes(values.format ?? '')) throw usageError(`--format must be text or json, not ${values.format}`, PREFLIGHT_USAGE)
  if (!!values.env !== !!values.config) throw usageError('--env and --config go together', PREFLIGHT_USAGE)
  const files = (await expandDefinitions(positionals, io.cwd)).filter((f) => !/(^|\/)benchmarks\//.test(f))
  const config = values.config ? await loadPromotionConfig(values.config, io.cwd) : undefined
  const env = values.env
  const connect = config && env ? cliConnector(io, values, config, env) : undefined
  const client = connect && env ? connect(env).client : clientFromCli(io, values)
  const expansion = cliExpansion(io, values)
  const reports = await mapConcurrent(files, DEFAULT_CONCURRENCY, async (file): Promise<{ file: string; report: PreflightReport }> => {
    const { definition } = await readDefinition(file, { cwd: io.cwd, strict: true })
    const warehouseId = values['warehouse-id']
    const report =
      config && env
        ? await preflightInEnvironment({
            client,
            definition,
            config,
            environment: env,
            expansion,
            onlySpace: files.length === 1,
            ...(warehouseId ? { warehouseId } : {})
          })
        : await checkTarget({ client, definition, warehouseId: warehouseId ?? definition.space.meta.warehouse_id ?? null })
    return { file, report }
  })
  if (values.format === 'json') io.out(`${JSON.stringify({ version: 1, reports }, null, 2)}\n`)
  else {
    for (const { file, report } of reports) {
      for (const f of report.findings) io.out(`${formatProblem(f)}\n`)
      for (const n of report.notes) io.err(`note: ${file}: ${n}\n`)
      io.out(`${file}: ${preflightSummary(report)}\n`)
    }
  }
  return reports.some((r) => r.report.errors > 0) ? 1 : 0
}
