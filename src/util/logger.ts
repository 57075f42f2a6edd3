/**
 * What core functions log through. The CLI writes to stderr/stdout; the action maps these onto
 * @actions/core. Tests pass a recording logger. Nothing in the core writes to the console directly.
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
