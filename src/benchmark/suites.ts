import path from 'node:path'
import { expandDefinitions } from '../core/paths.js'
import { loadDefinitionFile } from '../model/load.js'
import { formatProblem, type Problem } from '../model/problems.js'
import type { Space } from '../model/space.js'
import type { Suite } from '../model/suite.js'
import { fromLines } from '../model/text.js'
import { validateSuite } from '../validate/suite.js'
import { SpaceOpsError } from '../util/errors.js'
import { silentLogger, type Logger } from '../util/logger.js'
import { remapIdentifier, remapIdentifiers, type IdentifierMapping } from '../sql/index.js'
import type { BenchmarkQuestion, BenchmarkSuite } from './types.js'

/**
 * Benchmark suites: the suite format (`benchmarks/*.yaml`, validated by model/suite.ts +
 * validate/suite.ts) and a space definition's own `benchmarks` section (question + SQL answer),
 * which becomes a suite named "<space title> benchmarks" whose expected_sql is each answer.
 *
 * Defaults: repeat 1; min_passes a strict majority of repeat (1 of 1, 2 of 2, 2 of 3, 3 of 4, …);
 * per-question timeout: the question's timeout_seconds, else the suite's question_timeout_seconds,
 * else 10 minutes (Databricks' advice for one Genie answer).
 */
export const DEFAULT_QUESTION_TIMEOUT_MS = 10 * 60_000

export function defaultMinPasses(repeat: number): number {
  return Math.floor(repeat / 2) + 1
}

export function suiteFromModel(suite: Suite, name: string, file?: string): BenchmarkSuite {
  const questions = suite.queries.map((q): BenchmarkQuestion => {
    const repeat = q.repeat ?? suite.repeat ?? 1
    const minPasses = Math.min(repeat, q.min_passes ?? suite.min_passes ?? defaultMinPasses(repeat))
    const timeoutS = q.timeout_seconds ?? suite.question_timeout_seconds
    return {
      question: q.question.trim(),
      expectedTables: q.expected_tables ?? [],
      expectedColumns: q.expected_columns ?? [],
      expectedContains: q.expected_sql_contains ?? [],
      ...(q.expected_sql_pattern !== undefined ? { expectedPattern: q.expected_sql_pattern } : {}),
      ...(q.expected_sql?.trim() ? { expectedSql: q.expected_sql } : {}),
      tags: q.tags ?? [],
      repeat,
      minPasses,
      timeoutMs: timeoutS !== undefined ? timeoutS * 1000 : DEFAULT_QUESTION_TIMEOUT_MS
    }
  })
  return {
    name: suite.name?.trim() || name,
    ...(file !== undefined ? { file } : {}),
    ...(suite.min_accuracy !== undefined ? { minAccuracy: suite.min_accuracy } : {}),
    ...(suite.timeout_seconds !== undefined ? { timeoutMs: suite.timeout_seconds * 1000 } : {}),
    questions
  }
}

/** A space's `benchmarks` section as a suite; undefined when it has none. */
export function suiteFromSpace(space: Space, file?: string): BenchmarkSuite | undefined {
  const items = space.document.benchmarks?.questions ?? []
  if (!items.length) return undefined
  const title = space.meta.title?.trim() || (file ? path.basename(file) : 'space')
  return {
    name: `${title} benchmarks`,
    ...(file !== undefined ? { file } : {}),
    questions: items.map((b) => {
      const sql = b.answer.find((a) => a.format.toUpperCase() === 'SQL') ?? b.answer[0]
      const expectedSql = sql ? fromLines(sql.content) : ''
      return {
        question: fromLines(b.question).trim(),
        expectedTables: [],
        expectedColumns: [],
        expectedContains: [],
        ...(expectedSql.trim() ? { expectedSql } : {}),
        tags: [],
        repeat: 1,
        minPasses: 1,
        timeoutMs: DEFAULT_QUESTION_TIMEOUT_MS,
        spaceQuestionId: b.id
      }
    })
  }
}

function located(p: Problem): SpaceOpsError {
  return new SpaceOpsError(p.message, {
    location: { file: p.file, ...(p.line !== undefined ? { line: p.line } : {}), ...(p.col !== undefined ? { col: p.col } : {}) }
  })
}

/**
 * Suites from files, directories or globs. A suite file with errors stops everything (one located
 * line); warnings are logged. A space definition is read for its benchmarks only (its other rules
 * are `validate`'s business); one without benchmarks is skipped with a warning, and is an error
 * when nothing else was found.
 */
export async function loadSuites(patterns: readonly string[], options: { cwd?: string; logger?: Logger } = {}): Promise<BenchmarkSuite[]> {
  const cwd = options.cwd ?? process.cwd()
  const logger = options.logger ?? silentLogger
  const files = await expandDefinitions(patterns, cwd)
  const suites: BenchmarkSuite[] = []
  const skipped: string[] = []
  for (const file of files) {
    const loaded = await loadDefinitionFile(file, cwd)
    const fatal = loaded.problems.find((p) => p.severity === 'error')
    if (fatal) throw located(fatal)
    if (loaded.suite) {
      const problems = await validateSuite(loaded.suite)
      const error = problems.find((p) => p.severity === 'error')
      if (error) throw located(error)
      for (const w of problems) logger.warn(formatProblem(w))
      suites.push(suiteFromModel(loaded.suite.suite, path.basename(file).replace(/\.ya?ml$/i, ''), file))
    } else if (loaded.definition) {
      const suite = suiteFromSpace(loaded.definition.space, file)
      if (suite) suites.push(suite)
      else {
        skipped.push(file)
        logger.warn(`${file}: the space definition has no benchmarks; skipped`)
      }
    }
  }
  if (!suites.length) {
    throw new SpaceOpsError(
      `no benchmark questions in ${skipped.length ? skipped.join(', ') : patterns.join(', ')}: give suite files (queries:) or a space definition with benchmarks`
    )
  }
  return uniqueNames(suites)
}

/** Two suites with one name would be confused in reports and baselines: the later ones get their file. */
function uniqueNames(suites: BenchmarkSuite[]): BenchmarkSuite[] {
  const seen = new Set<string>()
  return suites.map((s) => {
    let name = s.name
    if (seen.has(name)) name = `${s.name} (${s.file ?? seen.size})`
    seen.add(name)
    return name === s.name ? s : { ...s, name }
  })
}

/**
 * Suites are written for the definition's names; an environment of the promotion config maps its
 * catalogs / schemas / tables, so expected tables and expected SQL are remapped the same way.
 */
export function remapSuites(suites: readonly BenchmarkSuite[], mapping: IdentifierMapping): BenchmarkSuite[] {
  return suites.map((s) => ({
    ...s,
    questions: s.questions.map((q) => ({
      ...q,
      expectedTables: q.expectedTables.map((t) => remapIdentifier(t, mapping)),
      ...(q.expectedSql !== undefined ? { expectedSql: remapIdentifiers(q.expectedSql, mapping).sql } : {})
    }))
  }))
}

/**
 * `--repeat N`: every question is asked N times — all N, even once the outcome is decided, since
 * the point is measuring noise (pass rates, flaky questions). min_passes becomes a strict majority
 * of N unless the question's own min_passes fits within N.
 */
export function applyRepeat(suites: readonly BenchmarkSuite[], repeat: number): BenchmarkSuite[] {
  return suites.map((s) => ({
    ...s,
    questions: s.questions.map((q) => ({
      ...q,
      repeat,
      minPasses: q.repeat === repeat ? q.minPasses : defaultMinPasses(repeat),
      askAll: true
    }))
  }))
}
