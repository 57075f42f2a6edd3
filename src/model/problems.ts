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

/** By line and column (stable: at one place, the order the checks gave); unlocated ones last. */
export function inFileOrder(problems: readonly Problem[]): Problem[] {
  const key = (p: Problem) => (p.line ?? Number.MAX_SAFE_INTEGER) * 1e6 + (p.col ?? 0)
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => key(a.p) - key(b.p) || a.i - b.i)
    .map(({ p }) => p)
}
