import type { Problem } from '../model/problems.js'
import type { ActionsRuntime } from './actions.js'

/** Each problem becomes one annotation on the file and line it names. */
export function annotateProblems(rt: ActionsRuntime, problems: readonly Problem[]): void {
  for (const p of problems) {
    const props = {
      title: `SpaceOps: ${p.rule}`,
      file: p.file,
      ...(p.line !== undefined ? { startLine: p.line } : {}),
      ...(p.col !== undefined ? { startColumn: p.col } : {})
    }
    if (p.severity === 'error') rt.error(p.message, props)
    else rt.warning(p.message, props)
  }
}
