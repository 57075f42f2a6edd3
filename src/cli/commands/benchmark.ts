import path from 'node:path'
import { writeFileAtomic } from '../../core/files.js'
import { DEFAULT_QUESTIONS_PER_MINUTE } from '../../benchmark/runner.js'
import { formatFromFile, renderReport, REPORT_FORMATS, type ReportFormat } from '../../benchmark/report.js'
import { benchmarkJob, formatProgress, parseFraction, parsePositive } from '../../benchmark/run.js'
import { STRATEGIES, type StrategyChoice } from '../../benchmark/types.js'
import { parse, usageError } from '../args.js'
import { clientFromCli, CONNECTION_HELP, CONNECTION_OPTIONS } from '../client.js'
import { cliLogger, type CliIo } from '../io.js'

export const BENCHMARK_USAGE =
  'spaceops benchmark <space_id> <suite|dir|glob>... [--min-accuracy F] [--output FILE]... [--format markdown|json|junit] [--strategy auto|eval|conversation] [--baseline FILE] [--max-regression F] [--questions-per-minute N] [--warehouse-id ID]'

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
  pattern    expected_sql_pattern matches
  result     Genie's SQL returns the same rows as expected_sql on the space's warehouse
             (column names ignored, column order kept; rows as a multiset unless the question
             asks for an order and expected_sql has ORDER BY; numbers within 1e-6 relative)

Options:
  --min-accuracy F          threshold for every suite (overrides each suite's min_accuracy;
                            without either a suite is reported, not gated)
  -o, --output FILE         write a report; repeatable; format from the extension
                            (.md markdown, .json json, .xml junit) or --format
  --format F                markdown, json or junit: one per --output (paired in order), or one
                            for the outputs whose extension says nothing; without --output,
                            what is printed instead of Markdown
  --strategy S              auto (default: eval runs when every question has only expected_sql and
                            the workspace has them), eval, or conversation
  --baseline FILE           a JSON report of an earlier run: fail on regressions
  --max-regression F        accuracy drop allowed against the baseline (default 0: any question
                            that passed in the baseline and fails now fails the gate)
  --questions-per-minute N  pace of the questions asked (default ${DEFAULT_QUESTIONS_PER_MINUTE}, Genie's documented
                            limit per workspace, all spaces together)
  --concurrency N           questions in flight at once (default 2 × questions per minute)
  --warehouse-id ID         SQL warehouse for the result check (default: the space's)
  --host, --token           connection overrides
  -h, --help                show this help

${CONNECTION_HELP}`

function isFormat(v: string): v is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(v)
}

/** Pairs each --output with its format. */
export function planOutputs(outputs: readonly string[], formats: readonly string[]): { file: string; format: ReportFormat }[] {
  for (const f of formats) if (!isFormat(f)) throw usageError(`--format must be markdown, json or junit, not ${f}`, BENCHMARK_USAGE)
  const fmts = formats as readonly ReportFormat[]
  if (fmts.length > 1 && fmts.length !== outputs.length) throw usageError('give one --format per --output, or one --format for all', BENCHMARK_USAGE)
  return outputs.map((file, i) => {
    const format = fmts.length === outputs.length ? (fmts[i] as ReportFormat) : (formatFromFile(file) ?? fmts[0])
    if (!format) throw usageError(`cannot tell the format of ${file}: name it .md, .json or .xml, or pass --format`, BENCHMARK_USAGE)
    return { file, format }
  })
}

export const BENCHMARK_OPTIONS = {
  'min-accuracy': { type: 'string' },
  output: { type: 'string', short: 'o', multiple: true },
  format: { type: 'string', multiple: true },
  strategy: { type: 'string' },
  baseline: { type: 'string' },
  'max-regression': { type: 'string' },
  'questions-per-minute': { type: 'string' },
  concurrency: { type: 'string' },
  'warehouse-id': { type: 'string' },
  ...CONNECTION_OPTIONS
} as const

export async function benchmarkCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, BENCHMARK_OPTIONS, BENCHMARK_USAGE)
  if (values.help) {
    io.out(BENCHMARK_HELP)
    return 0
  }
  const [spaceId, ...suitePaths] = positionals
  if (!spaceId || !suitePaths.length) throw usageError('benchmark takes a space id and at least one suite', BENCHMARK_USAGE)
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

  const client = clientFromCli(io, values)
  const report = await benchmarkJob({
    client,
    spaceId,
    suites: suitePaths,
    cwd: io.cwd,
    strategy: strategy as StrategyChoice,
    logger: cliLogger(io, values.verbose ?? false),
    onProgress: (p) => io.err(`${formatProgress(p)}\n`),
    ...(questionsPerMinute !== undefined ? { questionsPerMinute } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(values['warehouse-id'] !== undefined ? { warehouseId: values['warehouse-id'] } : {}),
    ...(minAccuracy !== undefined ? { minAccuracy } : {}),
    ...(values.baseline !== undefined ? { baseline: values.baseline } : {}),
    ...(maxRegression !== undefined ? { maxRegression } : {})
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
