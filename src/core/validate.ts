import { loadDefinitionText, readSourceText, type LoadedDefinition, type LoadedSuite } from '../model/load.js'
import { notTouched } from '../model/recover.js'
import { lintSuites } from '../validate/suite-lints.js'
import { hasErrors, inFileOrder, type Problem } from '../model/problems.js'
import { validateDefinition } from '../validate/rules.js'
import { validateSuite } from '../validate/suite.js'
import { DEFAULT_LIMITS, type Limits } from '../validate/limits.js'
import { SpaceOpsError } from '../util/errors.js'
import { DEFAULT_CONCURRENCY, mapConcurrent } from '../util/pool.js'

/**
 * Validate one file as what it is — a space definition, a benchmark suite or a promotion config —
 * with every problem in one pass: read problems (syntax, schema) and, on what the schema could be
 * repaired to (model/recover.ts), the rules; in the order of the file.
 */
export async function validateFile(
  file: string,
  limits: Limits = DEFAULT_LIMITS,
  cwd: string = process.cwd()
): Promise<{ kind?: FileKind; definition?: LoadedDefinition; suite?: LoadedSuite; problems: Problem[] }> {
  const read = await readSourceText(file, cwd)
  if (!('text' in read)) return read
  const { text } = read
  const loaded = loadDefinitionText(file, text)
  // the config's checks are loaded when a config is validated (they stay out of the action's start)
  if (loaded.promotionConfig) return { kind: 'promotion-config', problems: (await import('../promote/config.js')).checkPromotionConfig(file, text).problems }
  if (loaded.suite) return { kind: 'suite', suite: loaded.suite, problems: inFileOrder(await validateSuite(loaded.suite)) }
  if (loaded.definition) return { kind: 'definition', definition: loaded.definition, problems: inFileOrder(validateDefinition(loaded.definition, limits)) }
  const { partial } = loaded
  const rules = partial?.suite ? await validateSuite(partial.suite) : partial?.definition ? validateDefinition(partial.definition, limits) : []
  const kind: FileKind | undefined = partial?.suite ? 'suite' : partial?.definition ? 'definition' : undefined
  return { ...(kind ? { kind } : {}), problems: inFileOrder([...loaded.problems, ...(partial ? rules.filter(notTouched(partial)) : rules)]) }
}

/** What validate took a file for. */
export type FileKind = 'definition' | 'suite' | 'promotion-config'

/** Problems printed per file by default; the rest are counted in one line ("and N more"). */
export const MAX_PROBLEMS_PER_FILE = 25

const KIND_WORDS: Record<FileKind | 'other', [string, string]> = {
  definition: ['space definition', 'space definitions'],
  suite: ['benchmark suite', 'benchmark suites'],
  'promotion-config': ['promotion config', 'promotion configs'],
  other: ['unreadable file', 'unreadable files']
}
const counted = (n: number, [one, many]: readonly [string, string]) => `${n} ${n === 1 ? one : many}`

/**
 * The one line both faces end validate with, naming what was checked:
 * `1 space definition checked: 0 errors, 1 warning`, or for a mix
 * `3 files (2 space definitions, 1 promotion config) checked: 1 error, 0 warnings`.
 */
export function validationHeadline(report: Pick<ValidationReport, 'files' | 'errors' | 'warnings'>): string {
  const byKind = new Map<FileKind | 'other', number>()
  for (const f of report.files) byKind.set(f.kind ?? 'other', (byKind.get(f.kind ?? 'other') ?? 0) + 1)
  const parts = [...byKind].map(([k, n]) => counted(n, KIND_WORDS[k]))
  const what = parts.length === 1 ? (parts[0] as string) : `${counted(report.files.length, ['file', 'files'])}${parts.length ? ` (${parts.join(', ')})` : ''}`
  return `${what} checked: ${counted(report.errors, ['error', 'errors'])}, ${counted(report.warnings, ['warning', 'warnings'])}`
}

export interface ValidationReport {
  /** per file: its kind, and counts of all its problems (`omitted`: how many are not in `problems`) */
  files: { file: string; kind?: FileKind; valid: boolean; errors: number; warnings: number; omitted?: number }[]
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
  /** Problems reported per file (default MAX_PROBLEMS_PER_FILE; 0: all); the rest are one "and N more" line, still counted. */
  maxProblemsPerFile?: number
}

export async function validateFiles(
  files: readonly string[],
  limits: Limits = DEFAULT_LIMITS,
  cwd?: string,
  options: ValidateOptions = {}
): Promise<ValidationReport> {
  const report: ValidationReport = { files: [], problems: [], errors: 0, warnings: 0, valid: true }
  const suites: LoadedSuite[] = []
  const definitions: LoadedDefinition[] = []
  const checked = await mapConcurrent(files, options.concurrency ?? DEFAULT_CONCURRENCY, (file) => validateFile(file, limits, cwd))
  const max = options.maxProblemsPerFile ?? MAX_PROBLEMS_PER_FILE
  for (const [i, file] of files.entries()) {
    const { problems, suite, definition, kind } = checked[i] as Awaited<ReturnType<typeof validateFile>>
    if (suite) suites.push(suite)
    if (definition) definitions.push(definition)
    const errors = problems.filter((p) => p.severity === 'error').length
    const shown = max > 0 && problems.length > max ? max : problems.length
    report.files.push({
      file,
      ...(kind ? { kind } : {}),
      valid: errors === 0,
      errors,
      warnings: problems.length - errors,
      ...(shown < problems.length ? { omitted: problems.length - shown } : {})
    })
    report.problems.push(...problems.slice(0, shown))
    if (shown < problems.length) report.problems.push(moreProblems(problems.slice(shown)))
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

/** The line that stands for the problems of a file not printed: where the first of them is, how many and of which kind. */
function moreProblems(rest: readonly Problem[]): Problem {
  const errors = rest.filter((p) => p.severity === 'error').length
  const first = rest[0] as Problem
  const kinds = [
    errors ? `${errors} error${errors === 1 ? '' : 's'}` : '',
    rest.length - errors ? `${rest.length - errors} warning${rest.length - errors === 1 ? '' : 's'}` : ''
  ]
    .filter(Boolean)
    .join(', ')
  return {
    severity: errors ? 'error' : 'warning',
    rule: 'more-problems',
    file: first.file,
    ...(first.line !== undefined ? { line: first.line } : {}),
    ...(first.col !== undefined ? { col: first.col } : {}),
    message: `and ${rest.length} more problem${rest.length === 1 ? '' : 's'} in this file from here on (${kinds}); fix the ones above and run validate again`
  }
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
  const { definition, problems, kind } = await validateFile(file, options.limits ?? DEFAULT_LIMITS, options.cwd)
  const errors = problems.filter((p) => p.severity === 'error')
  if (kind === 'promotion-config') throw new SpaceOpsError('this is a promotion config, not a space definition (pass it with --config)', { location: { file } })
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
