import { formatProblem, hasErrors, type Problem } from '../model/problems.js'
import type { CliIo } from './io.js'

/** Print problems of a definition that is still usable as a file (render, convert) to stderr. */
export function reportProblems(io: CliIo, problems: readonly Problem[]): void {
  for (const p of problems) io.err(`${formatProblem(p)}\n`)
  if (hasErrors(problems)) io.err('note: the API will reject this definition until the errors above are fixed (spaceops validate)\n')
}
