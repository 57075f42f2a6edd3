import { parseArgs, type ParseArgsConfig } from 'node:util'
import { checkSpaceId } from '../client/genie.js'
import { parseDuration } from '../client/http.js'
import { suggest } from '../model/didyoumean.js'
import { SpaceOpsError } from '../util/errors.js'

type Options = NonNullable<ParseArgsConfig['options']>

/**
 * node:util parseArgs with one-line errors and --help on every command. Values whose shape is
 * known are checked here, for every command at once: --space-id must be a space id, --timeout and
 * --run-timeout durations (usage errors, exit 2).
 */
export function parse<O extends Options>(argv: string[], options: O, usage: string) {
  let parsed
  try {
    parsed = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' }, ...options }, allowPositionals: true, strict: true })
  } catch (err) {
    throw usageError(parseArgsMessage(err, Object.keys(options)), usage)
  }
  const values = parsed.values as Record<string, unknown>
  try {
    if (typeof values['space-id'] === 'string') checkSpaceId(values['space-id'], '--space-id')
    for (const flag of ['timeout', 'run-timeout']) if (typeof values[flag] === 'string') parseDuration(values[flag], `--${flag}`)
  } catch (err) {
    throw usageError(err instanceof Error ? err.message : String(err), usage)
  }
  return parsed
}

/**
 * node:util's parse errors in the CLI's own words (lower case, like every other message), with
 * "did you mean" for a misspelt option: `unknown option --warehouse_id — did you mean --warehouse-id?`.
 */
function parseArgsMessage(err: unknown, known: readonly string[]): string {
  // duck-typed: node's own errors need not be instances of this realm's Error (test runners)
  const e = typeof err === 'object' && err !== null ? (err as { message?: unknown; code?: unknown }) : {}
  const msg = (typeof e.message === 'string' ? e.message : String(err)).split('\n')[0] ?? ''
  const code = e.code
  const unknown = /^Unknown option '([^']+)'/.exec(msg)
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown?.[1] !== undefined) {
    const given = unknown[1]
    const name = given.replace(/^-+/, '').replace(/=.*$/, '')
    const near = given.startsWith('--') ? suggest(name, [...known, 'help']) : undefined
    return `unknown option ${given}${near !== undefined ? ` — did you mean --${near}?` : ''}`
  }
  const missing = /^Option '([^' ]+)[^']*' argument missing/.exec(msg)
  if (missing?.[1] !== undefined) return `option ${missing[1]} needs a value`
  const noArg = /^Option '([^']+)' does not take an argument/.exec(msg)
  if (noArg?.[1] !== undefined) return `option ${noArg[1]} takes no value`
  return msg.replace(/\. To specify a positional argument.*$/, '').replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase())
}

/** "did you mean" for a misspelt command: `unknown command "valdiate" — did you mean "validate"?`. */
export function unknownCommand(name: string, commands: readonly string[]): string {
  const near = suggest(name, commands)
  return near !== undefined
    ? `unknown command "${name}" — did you mean "${near}"?`
    : `unknown command "${name}"; commands are: ${commands.join(', ')} (spaceops --help)`
}

export function usageError(message: string, usage: string): SpaceOpsError {
  return new SpaceOpsError(`${message}; usage: ${usage}`, { exitCode: 2 })
}
