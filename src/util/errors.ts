/**
 * The one error type users see. Its message is a single line (no stack trace is ever printed for
 * it): what failed, where, and why. `location` names a file (and line/column where known).
 */
export interface ErrorLocation {
  file?: string
  line?: number
  col?: number
}

export class SpaceOpsError extends Error {
  readonly location: ErrorLocation
  readonly exitCode: number

  constructor(message: string, options: { location?: ErrorLocation; exitCode?: number; cause?: unknown } = {}) {
    super(oneLine(message), options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'SpaceOpsError'
    this.location = options.location ?? {}
    this.exitCode = options.exitCode ?? 1
  }

  /** `file:line:col: message`, as compilers print it. */
  format(): string {
    return formatLocated(this.location, this.message)
  }
}

export function formatLocated(loc: ErrorLocation, message: string): string {
  if (!loc.file) return message
  let where = loc.file
  if (loc.line !== undefined) where += `:${loc.line}`
  if (loc.line !== undefined && loc.col !== undefined) where += `:${loc.col}`
  return `${where}: ${message}`
}

/** Collapse any multi-line text into one line so errors stay greppable and annotation-friendly. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim()
}

/** The message of anything thrown, as one line, never a stack. */
export function describeError(err: unknown): string {
  if (err instanceof SpaceOpsError) return err.format()
  if (err instanceof Error) return oneLine(err.message || err.name)
  return oneLine(String(err))
}
