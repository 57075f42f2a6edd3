import { expandDefinitions } from '../../core/paths.js'
import { validationHeadline, validateFiles } from '../../core/validate.js'
import { formatProblem } from '../../model/problems.js'
import { parseLimits } from '../../validate/limits.js'
import { parse, usageError } from '../args.js'
import type { CliIo } from '../io.js'
import { clientFromCli, CONNECTION_OPTIONS } from '../client.js'
import { preflightSuites } from '../../benchmark/preflight.js'
import type { LoadedSuite } from '../../model/load.js'
import { parsePositive } from '../../benchmark/run.js'

export const VALIDATE_USAGE =
  'spaceops validate <path|dir|glob>... [--format text|json] [--limit name=value]... [--preflight --warehouse-id ID] [--concurrency N]'
export const VALIDATE_HELP = `Check space definitions offline: YAML syntax, schema, unknown keys, ids, duplicates,
identifiers, joins, limits. Prints one line per problem (file:line:col: message), every
problem of a file in one run (at most 25 per file, then "and N more"). Benchmark suites and
promotion configs (promotion.yaml, or promotion_order/environments at the top) are checked
as what they are. Exit 0 when valid (warnings allowed), 1 when any error.

Usage: ${VALIDATE_USAGE}

Options:
  --format text|json   output format (default text)
  --limit name=value   override a limit: max-tables, max-text-instructions, max-instructions,
                       max-string-length, max-entity-matching-columns
  --preflight          also run each benchmark suite's expected_sql once on the warehouse
                       (--warehouse-id; read-only statements only) and warn when it returns
                       no rows (Genie's eval: EMPTY_GOOD_SQL) or fails
  --warehouse-id ID    the SQL warehouse of --preflight
  --concurrency N      definitions read and checked side by side (default 8)
  --host, --token      connection of --preflight (else DATABRICKS_HOST / DATABRICKS_TOKEN, …)
  -h, --help           show this help

Suite lints (warnings): a question or expected_sql that is also an example query or sample
question of its space; relative time words ("last month") with literal dates in expected_sql;
the same question in two suites of a space; more than 500 benchmark questions in a space.
`

export const VALIDATE_OPTIONS = {
  format: { type: 'string', default: 'text' },
  limit: { type: 'string', multiple: true },
  preflight: { type: 'boolean' },
  'warehouse-id': { type: 'string' },
  concurrency: { type: 'string' },
  ...CONNECTION_OPTIONS
} as const

export async function validateCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, VALIDATE_OPTIONS, VALIDATE_USAGE)
  if (values.help) {
    io.out(VALIDATE_HELP)
    return 0
  }
  if (!positionals.length) throw usageError('validate needs at least one path', VALIDATE_USAGE)
  if (values.format !== 'text' && values.format !== 'json') throw usageError(`--format must be text or json, not ${values.format}`, VALIDATE_USAGE)
  const limits = parseLimits(values.limit ?? [])
  const concurrency = parsePositive(values.concurrency, '--concurrency', { integer: true })
  const files = await expandDefinitions(positionals, io.cwd, { configs: true })
  if (values.preflight && !values['warehouse-id']) throw usageError('--preflight needs --warehouse-id (where expected_sql runs)', VALIDATE_USAGE)
  const warehouseId = values['warehouse-id']
  const preflight =
    values.preflight && warehouseId ? (suites: readonly LoadedSuite[]) => preflightSuites(clientFromCli(io, values), suites, { warehouseId }) : undefined
  const report = await validateFiles(files, limits, io.cwd, { ...(preflight ? { preflight } : {}), ...(concurrency !== undefined ? { concurrency } : {}) })
  if (values.format === 'json') {
    io.out(`${JSON.stringify(report, null, 2)}\n`)
  } else {
    for (const p of report.problems) io.out(`${formatProblem(p)}\n`)
    io.err(`${validationHeadline(report)}\n`)
  }
  return report.valid ? 0 : 1
}
