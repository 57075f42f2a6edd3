import { printable } from './printable.js'
import type { SecretRegistry } from './secrets.js'

/**
 * What core functions log through. The CLI writes to stderr/stdout; the action maps these onto
 * @actions/core. Tests pass a recording logger. Nothing in the core writes to the console directly.
 * A message is ONE line, composed by SpaceOps from its own text and untrusted values (titles, paths,
 * API messages); both faces wrap their sink in `safeLogger`, which keeps it one line.
 */
export interface Logger {
  debug(message: string): void
  info(message: string): void
  warn(message: string): void
  error(message: string): void
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {}
}

/**
 * The logger both faces hand to the core: each message is redacted in full, then made one printable
 * line (`printable`: a line break or control character in an untrusted value shows as `\n`, `\u001b`)
 * before it reaches `sink`.
 */
export function safeLogger(sink: Logger, secrets: SecretRegistry): Logger {
  const safe = (m: string): string => printable(secrets.redact(m))
  return {
    debug: (m) => sink.debug(safe(m)),
    info: (m) => sink.info(safe(m)),
    warn: (m) => sink.warn(safe(m)),
    error: (m) => sink.error(safe(m))
  }
}

/** A logger that keeps every line, for tests and for building reports. */
export class MemoryLogger implements Logger {
  readonly lines: { level: 'debug' | 'info' | 'warn' | 'error'; message: string }[] = []
  debug(message: string): void {
    this.lines.push({ level: 'debug', message })
  }
  info(message: string): void {
    this.lines.push({ level: 'info', message })
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', message })
  }
  error(message: string): void {
    this.lines.push({ level: 'error', message })
  }
  text(): string {
    return this.lines.map((l) => `${l.level}: ${l.message}`).join('\n')
  }
}
