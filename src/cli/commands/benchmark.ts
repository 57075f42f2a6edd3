import { CLI_NAMES } from '../../core/names.js'
import { cliConnector, cliExpansion } from '../config.js'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { writeFileAtomic } from '../../core/files.js'
import { DEFAULT_QUESTIONS_PER_MINUTE } from '../../benchmark/runner.js'
import { planReports, renderReport, REPORT_FORMATS, type ReportFormat } from '../../benchmark/report.js'
import { benchmarkJob, formatProgress, parseFraction, parsePositive, parseProbability } from '../../benchmark/run.js'
import { GATE_ON, KEEP_CONVERSATIONS, STRATEGIES, type GateOn, type KeepConversations, type StrategyChoice } from '../../benchmark/types.js'
import { parse, usageError } from '../args.js'
import { clientFromCli, CONNECTION_HELP, CONNECTION_OPTIONS } from '../client.js'
import { cliLogger, type CliIo } from '../io.js'
import type { GenieClient } from '../../client/index.js'
import { readDefinition } from '../../core/validate.js'
import { loadPromotionConfig } from '../../promote/config.js'
import { spaceInEnvironment } from '../../promote/locate.js'
import type { IdentifierMapping } from '../../sql/index.js'

export const BENCHMARK_USAGE =
  'spaceops benchmark <space_id> <suite|dir|glob>... [--env ENV --config FILE] [--min-accuracy F] [--output FILE]... [--format markdown|json|junit] [--strategy auto|eval|conversation] [--baseline FILE] [--max-regression F] [--regression-p P] [--trend FILE]... [--repeat N] [--gate-on point|lower-bound] [--keep-conversations all|failed|none] [--questions-per-minute N] [--warehouse-id ID]'

export const BENCHMARK_HELP = `Measure a space's accuracy on Genie and gate on it. Asks each suite question (or runs the
space's own eval runs), scores the answer, prints a Markdown summary and writes the reports asked
for. Exit 0 when every gate passes, 1 when one fails (after every report is written), 2 on bad usage.

Usage: ${BENCHMARK_USAGE}

Suites: benchmark suite files (name, min_accuracy, queries: question, expected_tables,
expected_columns, expected_sql_contains, expected_sql_pattern, expected_sql, repeat, min_passes,
timeout_seconds), directories or globs. A space definition (space.yaml, *.geniespace.json) means
its benchmarks section: each question with its SQL answer as expected_sql.

Checks per question (all must pass; with repeat, min_passes of repeat attempts):
  tables     every expected table is read (backticks, CTEs, subqueries understood)
  columns    every expected column is used
  contains   every expected_sql_contains string appears (case-insensitive)
  pattern    expected_sql_pattern matches (RE2 syntax, https://github.com/google/re2/wiki/Syntax:
             linear time, no lookaround or backreferences; a leading (?i) ignores case)
  result     Genie's SQL returns the same rows as expected_sql on the space's warehouse
             (column names ignored, column order kept; rows as a multiset unless the question
             asks for an order and expected_sql has ORDER BY; numbers within 1e-6 relative).
             Only one read-only statement is run (SELECT, WITH … SELECT, VALUES, TABLE, SHOW,
             DESCRIBE, EXPLAIN): other expected_sql is an error, other Genie SQL fails the check

Options:
  --min-accuracy F          threshold for every suite (overrides each suite's min_accuracy;
                            without either a suite is reported, not gated)
  -o, --output FILE         write a report; repeatable; format from the extension
                            (.md markdown, .json json, .xml junit) or --format
  --format F                markdown, json or junit: one per --output (paired in order), or one
                            for the outputs whose extension says nothing; without --output,
                            what is printed instead of Markdown
  --strategy S              auto (default: eval runs when every question has only expected_sql,
                            the workspace has them and the space already holds the suite's
                            questions; otherwise conversations — auto never changes the space),
                            eval (MAY WRITE: adds the suite's questions to the space's
                            benchmarks when they are not there), or conversation
  --baseline FILE           a JSON report of an earlier run: fail on regressions; the report lists
                            the questions (paired by text) that went pass→fail and fail→pass and
                            the exact McNemar p-value of those flips
  --max-regression F        accuracy drop allowed against the baseline (default 0: any question
                            that passed in the baseline and fails now fails the gate)
  --regression-p P          with --baseline: fail a drop only when its McNemar p-value is below P
                            (e.g. 0.05: unlikely to be noise); with --max-regression both must hold
  --trend FILE              earlier JSON reports (files or a glob, repeatable): the last 10 and this
                            run are drawn as a Mermaid chart in the Markdown report
  --repeat N                ask every question N times (all N: pass rates, flaky questions);
                            min_passes becomes a strict majority of N
  --gate-on G               point (default: accuracy meets min-accuracy) or lower-bound (the lower
                            bound of accuracy's 95% Wilson interval must meet it)
  --keep-conversations K    conversations of this run kept after scoring: failed (default: those of
                            failed attempts, named in the report), all, or none
  --questions-per-minute N  pace of the questions asked (default ${DEFAULT_QUESTIONS_PER_MINUTE}, Genie's documented
                            limit per workspace, all spaces together)
  --concurrency N           questions in flight at once (default 2 × questions per minute)
  --warehouse-id ID         SQL warehouse for the result check (default: the space's)
  --env ENV --config FILE   measure a space of an environment of the promotion config, on its workspace
                            (DATABRICKS_<ENV>_HOST/_TOKEN), the suites with its catalog/schema/table
                            mappings; the first argument may then be a definition instead of a space
                            id: its space there (the config's id, else found by title and folder)
  --host, --token           connection overrides
  -h, --help                show this help

${CONNECTION_HELP}`

function isFormat(v: string): v is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(v)
}

/** Pairs each --output with its format. */
export function planOutputs(outputs: readonly string[], formats: readonly string[]): { file: string; format: ReportFormat }[] {
  try {
    return planReports(outputs, formats, { file: '--output', format: '--format' })
  } catch (err) {
    throw usageError(err instanceof Error ? err.message : String(err), BENCHMARK_USAGE)
  }
}

export const BENCHMARK_OPTIONS = {
  'min-accuracy': { type: 'string' },
  output: { type: 'string', short: 'o', multiple: true },
  format: { type: 'string', multiple: true },
  strategy: { type: 'string' },
  baseline: { type: 'string' },
  'max-regression': { type: 'string' },
  'regression-p': { type: 'string' },
  trend: { type: 'string', multiple: true },
  repeat: { type: 'string' },
  'gate-on': { type: 'string' },
  'keep-conversations': { type: 'string' },
  'questions-per-minute': { type: 'string' },
  concurrency: { type: 'string' },
  'warehouse-id': { type: 'string' },
  env: { type: 'string' },
  config: { type: 'string' },
  ...CONNECTION_OPTIONS
} as const

export async function benchmarkCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, BENCHMARK_OPTIONS, BENCHMARK_USAGE)
  if (values.help) {
    io.out(BENCHMARK_HELP)
    return 0
  }
  const [first, ...suitePaths] = positionals
  if ((values.env === undefined) !== (values.config === undefined)) throw usageError('--env and --config go together', BENCHMARK_USAGE)
  if (!first || !suitePaths.length)
    throw usageError(`benchmark takes a space id${values.env ? ' (or a definition)' : ''} and at least one suite`, BENCHMARK_USAGE)
  const strategy = values.strategy ?? 'auto'
  if (!(STRATEGIES as readonly string[]).includes(strategy)) throw usageError(`--strategy must be auto, eval or conversation, not ${strategy}`, BENCHMARK_USAGE)
  const outputs = planOutputs(values.output ?? [], values.format ?? [])
  const formats = values.format ?? []
  if (!outputs.length && formats.length > 1) throw usageError('without --output, give at most one --format (what is printed)', BENCHMARK_USAGE)
  const printed: ReportFormat = !outputs.length && formats[0] && isFormat(formats[0]) ? formats[0] : 'markdown'
  const minAccuracy = parseFraction(values['min-accuracy'], '--min-accuracy')
  const maxRegression = parseFraction(values['max-regression'], '--max-regression')
  const questionsPerMinute = parsePositive(values['questions-per-minute'], '--questions-per-minute')
  const concurrency = parsePositive(values.concurrency, '--concurrency', { integer: true })
  const repeat = parsePositive(values.repeat, '--repeat', { integer: true })
  const regressionP = parseProbability(values['regression-p'], '--regression-p')
  const gateOn = values['gate-on']
  if (gateOn !== undefined && !(GATE_ON as readonly string[]).includes(gateOn))
    throw usageError(`--gate-on must be point or lower-bound, not ${gateOn}`, BENCHMARK_USAGE)
  const keep = values['keep-conversations']
  if (keep !== undefined && !(KEEP_CONVERSATIONS as readonly string[]).includes(keep))
    throw usageError(`--keep-conversations must be all, failed or none, not ${keep}`, BENCHMARK_USAGE)

  const logger = cliLogger(io, values.verbose ?? false)
  let client: GenieClient
  let spaceId = first
  let mapping: IdentifierMapping | undefined
  if (values.env && values.config) {
    io.secrets.add(values.token)
    const config = await loadPromotionConfig(values.config, io.cwd, CLI_NAMES)
    client = cliConnector(io, values, config, values.env)(values.env).client
    // the first argument: a definition (its space there), else a space id
    const where = { config, environment: values.env, env: cliExpansion(io, values) }
    const found = existsSync(path.resolve(io.cwd, first))
      ? await spaceInEnvironment(client, { ...where, definition: { file: first, space: (await readDefinition(first, { cwd: io.cwd })).definition.space } })
      : await spaceInEnvironment(client, { ...where, spaceId: first })
    io.err(`${values.env}: space ${found.spaceId}${found.title ? ` "${found.title}"` : ''}\n`)
    spaceId = found.spaceId
    mapping = found.mapping
  } else client = clientFromCli(io, values)
  const report = await benchmarkJob({
    client,
    spaceId,
    ...(mapping ? { mapping } : {}),
    suites: suitePaths,
    cwd: io.cwd,
    strategy: strategy as StrategyChoice,
    logger,
    names: CLI_NAMES,
    onProgress: (p) => io.err(`${formatProgress(p)}\n`),
    ...(questionsPerMinute !== undefined ? { questionsPerMinute } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(values['warehouse-id'] !== undefined ? { warehouseId: values['warehouse-id'] } : {}),
    ...(minAccuracy !== undefined ? { minAccuracy } : {}),
    ...(values.baseline !== undefined ? { baseline: values.baseline } : {}),
    ...(maxRegression !== undefined ? { maxRegression } : {}),
    ...(repeat !== undefined ? { repeat } : {}),
    ...(regressionP !== undefined ? { regressionP } : {}),
    ...(gateOn !== undefined ? { gateOn: gateOn as GateOn } : {}),
    ...(keep !== undefined ? { keepConversations: keep as KeepConversations } : {}),
    ...(values.trend?.length ? { trend: values.trend } : {})
  })
  for (const o of outputs) {
    await writeFileAtomic(path.resolve(io.cwd, o.file), renderReport(report, o.format))
    io.err(`wrote ${o.file} (${o.format})\n`)
  }
  io.out(renderReport(report, printed))
  const gate = report.gate
  if (gate && !gate.passed) {
    for (const r of gate.reasons) io.err(`gate: ${r}\n`)
    return 1
  }
  return 0
}
