import { formatLocated } from '../util/errors.js'

/** One finding about a definition: printed as `file:line:col: message`, annotated in Actions. */
export type Severity = 'error' | 'warning'

export interface Problem {
  severity: Severity
  /** Short stable name of the rule, e.g. `id-format`, `unknown-key`, `limit-tables`. */
  rule: string
  message: string
  file: string
  line?: number
  col?: number
  /** Dotted path of the offending node in the source document, where known. */
  path?: string
}

export function formatProblem(p: Problem): string {
  const where = formatLocated({ file: p.file, ...(p.line !== undefined ? { line: p.line } : {}), ...(p.col !== undefined ? { col: p.col } : {}) }, '')
  return `${where}${p.severity === 'warning' ? 'warning: ' : ''}${p.message}`
}

export const hasErrors = (problems: readonly Problem[]) => problems.some((p) => p.severity === 'error')
