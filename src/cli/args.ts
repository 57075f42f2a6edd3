import { parseArgs, type ParseArgsConfig } from 'node:util'
import { SpaceOpsError } from '../util/errors.js'

type Options = NonNullable<ParseArgsConfig['options']>

/** node:util parseArgs with one-line errors and --help on every command. */
export function parse<O extends Options>(argv: string[], options: O, usage: string) {
  try {
    return parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' }, ...options }, allowPositionals: true, strict: true })
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err)
    throw new SpaceOpsError(`${msg.replace(/\. To specify a positional argument.*$/, '')}; usage: ${usage}`, { exitCode: 2 })
  }
}

export function usageError(message: string, usage: string): SpaceOpsError {
  return new SpaceOpsError(`${message}; usage: ${usage}`, { exitCode: 2 })
}
