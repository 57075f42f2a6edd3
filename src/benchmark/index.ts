/**
 * Benchmarks: a space's accuracy on Genie, measured as fast as Genie's limits allow, and gated.
 *
 *   const suites = await loadSuites(['benchmarks/'], { cwd })
 *   const report = await runBenchmarks({ client, spaceId, suites, strategy: 'auto', onProgress })
 *   report.gate = evaluateGate(report, { minAccuracy, baseline })
 *   writeFile('report.xml', renderReport(report, 'junit'))
 *
 * suites.ts (loading), runner.ts (strategy choice, report), conversation.ts (asking Genie, paced by
 * rate.ts), eval.ts (Genie's eval runs), score.ts + compare.ts + statements.ts (verdicts),
 * gate.ts, report.ts, run.ts (what the CLI and the action share).
 */
export {
  runBenchmarks,
  defaultConcurrency,
  isEvalUnavailable,
  DEFAULT_QUESTIONS_PER_MINUTE,
  type BenchmarkClient,
  type RunBenchmarksOptions
} from './runner.js'
export { loadSuites, remapSuites, suiteFromModel, suiteFromSpace, defaultMinPasses, DEFAULT_QUESTION_TIMEOUT_MS } from './suites.js'
export { TokenBucket, type TokenBucketOptions, type Pacing, type Lease } from './rate.js'
export { scoreAnswer, staticChecks, resultCheck, firstFailure, type Answer, type ResultContext, type Score } from './score.js'
export {
  compareResults,
  asksForOrder,
  hasTopLevelOrderBy,
  ORDER_WORDS,
  REL_TOLERANCE,
  ABS_TOLERANCE,
  type Cell,
  type ResultSet,
  type Comparison
} from './compare.js'
export { runStatement, StatementError, type StatementClient } from './statements.js'
export { evaluateGate, readBaseline, type GateOptions } from './gate.js'
export { renderReport, markdownReport, jsonReport, junitReport, formatFromFile, xmlEscape, REPORT_FORMATS, type ReportFormat } from './report.js'
export { extractAnswer, parseWait } from './conversation.js'
export { benchmarkJob, formatProgress, formatOutcome, parseFraction, parsePositive, type BenchmarkJob } from './run.js'
export { attemptFromEval, serverSideOnly, syncBenchmarkQuestions } from './eval.js'
export * from './types.js'
