import { parseArgs, type ParseArgsConfig } from 'node:util'
import { checkSpaceId } from '../client/genie.js'
import { parseDuration } from '../client/http.js'
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
    const msg = err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err)
    throw new SpaceOpsError(`${msg.replace(/\. To specify a positional argument.*$/, '')}; usage: ${usage}`, { exitCode: 2 })
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

export function usageError(message: string, usage: string): SpaceOpsError {
  return new SpaceOpsError(`${message}; usage: ${usage}`, { exitCode: 2 })
}
