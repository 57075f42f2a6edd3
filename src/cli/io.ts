import type { Logger } from '../util/logger.js'
import type { SecretRegistry } from '../util/secrets.js'

/**
 * Everything the CLI touches of the outside world, passed in so tests run commands in-process:
 * output streams, environment, working directory, whether stdin is a terminal, and a prompt.
 */
export interface CliIo {
  out(text: string): void
  err(text: string): void
  env: Record<string, string | undefined>
  cwd: string
  isTTY: boolean
  prompt?(question: string): Promise<string>
  secrets: SecretRegistry
}

export function cliLogger(io: CliIo, verbose = false): Logger {
  return {
    debug: (m) => {
      if (verbose) io.err(io.secrets.redact(m) + '\n')
    },
    info: (m) => io.err(io.secrets.redact(m) + '\n'),
    warn: (m) => io.err(`warning: ${io.secrets.redact(m)}\n`),
    error: (m) => io.err(`error: ${io.secrets.redact(m)}\n`)
  }
}
