import path from 'node:path'
import type { LoadedDefinition, LoadedSuite } from '../model/load.js'
import type { Problem } from '../model/problems.js'
import type { Path } from '../model/space.js'
import { fromLines } from '../model/text.js'

/**
 * Lints of benchmark suites that need more than one file: warnings (the suite still runs), each
 * at the suite's file:line.
 *
 * - `example-recall`: a benchmark question, or its expected SQL, is also an example query (or a
 *   sample question) of its space. Genie sees the examples, so the benchmark measures the recall of
 *   an example, not accuracy on questions people ask. Questions compare lowercased with spacing and
 *   trailing punctuation ignored; SQL lowercased with spacing and trailing semicolons ignored.
 * - `duplicate-across-suites`: the same question in two suites of one space (it is asked, and
 *   counted, twice).
 * - `benchmark-limit`: more than 500 benchmark questions in a space, the product's limit for a
 *   space's benchmarks (the suites' questions plus the definition's own benchmarks section).
 *
 * A suite belongs to the space whose definition sits in the folder above its `benchmarks/` folder
 * (`spaces/sales/benchmarks/accuracy.yaml` → `spaces/sales/space.yaml`), as the examples lay them
 * out; suites elsewhere are grouped by their folder and get no example-recall check.
 */
export const MAX_BENCHMARK_QUESTIONS = 500

const normQuestion = (s: string) =>
  s
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[?.!]+$/, '')
    .trim()
    .toLowerCase()
const normSql = (s: string) =>
  s
    .replace(/(;\s*)+$/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()

function spaceFolder(file: string): string {
  const dir = path.dirname(file)
  return path.basename(dir) === 'benchmarks' ? path.dirname(dir) : dir
}

export function lintSuites(suites: readonly LoadedSuite[], definitions: readonly LoadedDefinition[]): Problem[] {
  const problems: Problem[] = []
  const at = (s: LoadedSuite, rule: string, where: Path, message: string) => {
    const pos = s.source.locate(where)
    problems.push({ severity: 'warning', rule, message, file: s.file, ...(pos ? { line: pos.line, col: pos.col } : {}), path: where.join('.') })
  }
  const defsByFolder = new Map<string, LoadedDefinition>()
  for (const d of definitions) if (!defsByFolder.has(path.dirname(d.file))) defsByFolder.set(path.dirname(d.file), d)
  const groups = new Map<string, LoadedSuite[]>()
  for (const s of suites) {
    const folder = spaceFolder(s.file)
    groups.set(folder, [...(groups.get(folder) ?? []), s])
  }
  for (const [folder, group] of groups) {
    const def = defsByFolder.get(folder)
    const doc = def?.space.document
    const exampleQuestions = new Map<string, string>()
    const exampleSql = new Map<string, string>()
    for (const e of doc?.instructions?.example_question_sqls ?? []) {
      const q = fromLines(e.question)
      exampleQuestions.set(normQuestion(q), `example query "${q.trim()}"`)
      exampleSql.set(normSql(fromLines(e.sql)), `example query "${q.trim()}"`)
    }
    for (const sq of doc?.config?.sample_questions ?? []) {
      const q = fromLines(sq.question)
      if (!exampleQuestions.has(normQuestion(q))) exampleQuestions.set(normQuestion(q), `sample question "${q.trim()}"`)
    }
    const first = new Map<string, { suite: LoadedSuite; index: number }>()
    let count = doc?.benchmarks?.questions?.length ?? 0
    for (const s of group) {
      count += s.suite.queries.length
      s.suite.queries.forEach((q, i) => {
        const key = normQuestion(q.question)
        if (!key) return
        const same = exampleQuestions.get(key)
        const where = def ? path.basename(def.file) : 'the space'
        if (same) {
          at(
            s,
            'example-recall',
            ['queries', i, 'question'],
            `question "${q.question.trim()}" is also the ${same} of ${where}: Genie sees it, so this measures the recall of an example, not accuracy (rephrase it as people ask)`
          )
        } else if (q.expected_sql !== undefined && exampleSql.has(normSql(q.expected_sql))) {
          at(
            s,
            'example-recall',
            ['queries', i, 'expected_sql'],
            `the expected_sql of "${q.question.trim()}" is the SQL of the ${exampleSql.get(normSql(q.expected_sql)) as string} of ${where}: this measures the recall of an example, not accuracy`
          )
        }
        const seen = first.get(key)
        if (seen && seen.suite !== s) {
          const pos = seen.suite.source.locate(['queries', seen.index, 'question'])
          at(
            s,
            'duplicate-across-suites',
            ['queries', i, 'question'],
            `question "${q.question.trim()}" is also in ${seen.suite.file}${pos ? `:${pos.line}` : ''}: it is asked and counted twice`
          )
        } else if (!seen) first.set(key, { suite: s, index: i })
      })
    }
    if (count > MAX_BENCHMARK_QUESTIONS && group[0]) {
      at(
        group[0],
        'benchmark-limit',
        ['queries'],
        `${count} benchmark questions for ${def ? def.file : folder}: a space holds at most ${MAX_BENCHMARK_QUESTIONS}`
      )
    }
  }
  return problems
}

/** Relative time words of a question: with literal dates in the expected SQL the benchmark goes stale. */
export const RELATIVE_TIME =
  /\b(last|this|next|previous|past|current)\s+(day|week|month|quarter|year|\d+\s+(days|weeks|months|years))\b|\b(yesterday|today|tomorrow|year[- ]to[- ]date|month[- ]to[- ]date|ytd|mtd|recent(ly)?)\b/i
/** A literal date or year in SQL: '2024-01-31', DATE '2024-01-31', TIMESTAMP '…', year(x) = 2024. */
export const LITERAL_DATE = /'\d{4}-\d{1,2}(-\d{1,2})?([ T][\d:.]+)?'|\b(year|yr)\s*\([^)]*\)\s*(=|>=|<=|>|<|in\s*\()\s*(19|20)\d{2}\b/i
