import { safeLogger, type Logger } from '../util/logger.js'
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

/** Diagnostics on stderr, each message one redacted, printable line (see `safeLogger`). */
export function cliLogger(io: CliIo, verbose = false): Logger {
  return safeLogger(
    {
      debug: (m) => {
        if (verbose) io.err(`${m}\n`)
      },
      info: (m) => io.err(`${m}\n`),
      warn: (m) => io.err(`warning: ${m}\n`),
      error: (m) => io.err(`error: ${m}\n`)
    },
    io.secrets
  )
}
