import { loadDefinitionFile, type LoadedDefinition, type LoadedSuite } from '../model/load.js'
import { lintSuites } from '../validate/suite-lints.js'
import { hasErrors, type Problem } from '../model/problems.js'
import { validateDefinition } from '../validate/rules.js'
import { validateSuite } from '../validate/suite.js'
import { DEFAULT_LIMITS, type Limits } from '../validate/limits.js'
import { SpaceOpsError } from '../util/errors.js'
import { DEFAULT_CONCURRENCY, mapConcurrent } from '../util/pool.js'

/** Validate one file: read problems first (syntax, schema), then the rules. */
export async function validateFile(file: string, limits: Limits = DEFAULT_LIMITS, cwd?: string): Promise<{ definition?: LoadedDefinition; suite?: LoadedSuite; problems: Problem[] }> {
  const loaded = await loadDefinitionFile(file, cwd)
  if (loaded.suite) return { suite: loaded.suite, problems: validateSuite(loaded.suite) }
  if (!loaded.definition) return { problems: loaded.problems }
  return { definition: loaded.definition, problems: validateDefinition(loaded.definition, limits) }
}

export interface ValidationReport {
  files: { file: string; valid: boolean; errors: number; warnings: number }[]
  problems: Problem[]
  errors: number
  warnings: number
  valid: boolean
}

export interface ValidateOptions {
  /** Checks that need the warehouse (benchmark/preflight.ts), given by the face that has a client. */
  preflight?: (suites: readonly LoadedSuite[]) => Promise<Problem[]>
  /** Files read and checked side by side (default 8); the report is in the order of `files`. */
  concurrency?: number
}

export async function validateFiles(files: readonly string[], limits: Limits = DEFAULT_LIMITS, cwd?: string, options: ValidateOptions = {}): Promise<ValidationReport> {
  const report: ValidationReport = { files: [], problems: [], errors: 0, warnings: 0, valid: true }
  const suites: LoadedSuite[] = []
  const definitions: LoadedDefinition[] = []
  const checked = await mapConcurrent(files, options.concurrency ?? DEFAULT_CONCURRENCY, (file) => validateFile(file, limits, cwd))
  for (const [i, file] of files.entries()) {
    const { problems, suite, definition } = checked[i] as Awaited<ReturnType<typeof validateFile>>
    if (suite) suites.push(suite)
    if (definition) definitions.push(definition)
    const errors = problems.filter((p) => p.severity === 'error').length
    report.files.push({ file, valid: errors === 0, errors, warnings: problems.length - errors })
    report.problems.push(...problems)
    report.errors += errors
    report.warnings += problems.length - errors
  }
  // lints across files: suites against their space's examples and each other (warnings); then,
  // when asked, the preflight on the warehouse for the suites without errors
  const runnable = suites.filter((s) => report.files.find((f) => f.file === s.file)?.valid)
  const extra = [...lintSuites(suites, definitions), ...(options.preflight && runnable.length ? await options.preflight(runnable) : [])]
  for (const p of extra) {
    report.problems.push(p)
    report.warnings++
    const entry = report.files.find((f) => f.file === p.file)
    if (entry) entry.warnings++
  }
  report.valid = report.errors === 0
  return report
}

/**
 * Load a definition for use. Anything that stops it loading (syntax, schema, unknown keys) is
 * fatal, reported as the first problem's one line with a count of the rest. With `strict` (push,
 * promote) rule errors are fatal too; without it (render, convert: format tools that must handle
 * every real document, including ones the API would reject) they come back as `problems`.
 */
export async function readDefinition(
  file: string,
  options: { limits?: Limits; cwd?: string; strict?: boolean } = {}
): Promise<{ definition: LoadedDefinition; problems: Problem[] }> {
  const { definition, problems } = await validateFile(file, options.limits ?? DEFAULT_LIMITS, options.cwd)
  const errors = problems.filter((p) => p.severity === 'error')
  if (!definition && !hasErrors(problems)) {
    throw new SpaceOpsError('this is a benchmark suite, not a space definition', { location: { file } })
  }
  if (!definition || (options.strict && hasErrors(problems))) {
    const first = errors[0]
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more; run spaceops validate ${file})` : ''
    throw new SpaceOpsError(`${first?.message ?? 'invalid definition'}${more}`, {
      location: { file, ...(first?.line !== undefined ? { line: first.line } : {}), ...(first?.col !== undefined ? { col: first.col } : {}) }
    })
  }
  return { definition, problems }
}
