import { expandDefinitions } from '../../core/paths.js'
import { validateFiles } from '../../core/validate.js'
import { formatProblem } from '../../model/problems.js'
import { parseLimits } from '../../validate/limits.js'
import { parse, usageError } from '../args.js'
import type { CliIo } from '../io.js'

export const VALIDATE_USAGE = 'spaceops validate <path|dir|glob>... [--format text|json] [--limit name=value]...'
export const VALIDATE_HELP = `Check space definitions offline: YAML syntax, schema, unknown keys, ids, duplicates,
identifiers, joins, limits. Prints one line per problem (file:line:col: message).
Exit 0 when valid (warnings allowed), 1 when any error.

Usage: ${VALIDATE_USAGE}

Options:
  --format text|json   output format (default text)
  --limit name=value   override a limit: max-tables, max-text-instructions, max-instructions,
                       max-string-length, max-entity-matching-columns
  -h, --help           show this help
`

export const VALIDATE_OPTIONS = { format: { type: 'string', default: 'text' }, limit: { type: 'string', multiple: true } } as const

export async function validateCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, VALIDATE_OPTIONS, VALIDATE_USAGE)
  if (values.help) {
    io.out(VALIDATE_HELP)
    return 0
  }
  if (!positionals.length) throw usageError('validate needs at least one path', VALIDATE_USAGE)
  if (values.format !== 'text' && values.format !== 'json') throw usageError(`--format must be text or json, not ${values.format}`, VALIDATE_USAGE)
  const limits = parseLimits(values.limit ?? [])
  const files = await expandDefinitions(positionals, io.cwd)
  const report = await validateFiles(files, limits, io.cwd)
  if (values.format === 'json') {
    io.out(JSON.stringify(report, null, 2) + '\n')
  } else {
    for (const p of report.problems) io.out(formatProblem(p) + '\n')
    const summary = `${files.length} definition${files.length === 1 ? '' : 's'} checked: ${report.errors} error${report.errors === 1 ? '' : 's'}, ${report.warnings} warning${report.warnings === 1 ? '' : 's'}`
    io.err(summary + '\n')
  }
  return report.valid ? 0 : 1
}
