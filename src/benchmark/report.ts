import { SpaceOpsError } from '../util/errors.js'
import { formatP, pct } from './gate.js'
import type { AttemptResult, BenchmarkReport, QuestionResult, SuiteResult } from './types.js'

/**
 * The three report formats.
 * - JSON: the report object itself (schema_version 1, types.ts), pretty-printed; also the
 *   `--baseline` format.
 * - Markdown: a headline, a table per suite (passed / failed / accuracy / threshold / result), the
 *   run's notes (e.g. a read-only run that used conversations instead of eval), the gate's reasons
 *   and notes, then every question that did not pass in a collapsible <details> with its expected
 *   and generated SQL in ```sql blocks and its failed checks. For job summaries and PR comments.
 * - JUnit XML: one <testsuite> per suite, one <testcase> per question (<failure> for a failed one,
 *   <error> when no verdict could be had), so CI test reporters list each question.
 */
import { REPORT_FORMATS, type ReportFormat } from './options.js'
export { REPORT_FORMATS, type ReportFormat }

/** The format a file name implies: .md/.markdown, .json, .xml. */
export function formatFromFile(file: string): ReportFormat | undefined {
  const f = file.toLowerCase()
  if (f.endsWith('.md') || f.endsWith('.markdown')) return 'markdown'
  if (f.endsWith('.json')) return 'json'
  if (f.endsWith('.xml')) return 'junit'
  return undefined
}

/**
 * Pairs each report file with its format: one format per file (in order), or one format for the
 * files whose extension says nothing, else the extension. `names` are how the caller calls the two
 * (`--output`/`--format`, or the action's inputs) so an error names what the user typed.
 */
export function planReports(
  files: readonly string[],
  formats: readonly string[],
  names: { file: string; format: string }
): { file: string; format: ReportFormat }[] {
  for (const f of formats) {
    if (!(REPORT_FORMATS as readonly string[]).includes(f))
      throw new SpaceOpsError(`${names.format} must be markdown, json or junit, not ${f}`, { exitCode: 2 })
  }
  const fmts = formats as readonly ReportFormat[]
  if (fmts.length > 1 && fmts.length !== files.length)
    throw new SpaceOpsError(`give one ${names.format} per ${names.file}, or one ${names.format} for all`, { exitCode: 2 })
  return files.map((file, i) => {
    const format = fmts.length === files.length ? (fmts[i] as ReportFormat) : (formatFromFile(file) ?? fmts[0])
    if (!format) throw new SpaceOpsError(`cannot tell the format of ${file}: name it .md, .json or .xml, or pass ${names.format}`, { exitCode: 2 })
    return { file, format }
  })
}

export function renderReport(report: BenchmarkReport, format: ReportFormat): string {
  if (format === 'json') return jsonReport(report)
  if (format === 'junit') return junitReport(report)
  return markdownReport(report)
}

export function jsonReport(report: BenchmarkReport): string {
  return `${JSON.stringify(report, null, 2)}\n`
}

// ---------------------------------------------------------------- Markdown

export function formatDurationMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`
}

/** Escaping for Markdown table cells and inline text. */
function mdText(text: string): string {
  return text.replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ')
}

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\r?\n/g, ' ')
}

/** A fenced block whose fence is longer than any backtick run inside. */
function fenced(lang: string, body: string): string {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length))
  const fence = '`'.repeat(longest + 1)
  return `${fence}${lang}\n${body.replace(/\s+$/, '')}\n${fence}`
}

function shorten(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`
}

/** Whether anything decided this run: a threshold, a baseline, or a gate that failed (e.g. nothing measured). */
export function isGated(report: BenchmarkReport): boolean {
  const g = report.gate
  if (!g) return report.suites.some((s) => s.min_accuracy !== undefined)
  return !g.passed || g.baseline !== undefined || g.suites.some((s) => s.threshold !== undefined)
}

const interval = (ci: { low: number; high: number } | undefined): string => (ci ? `${pct(ci.low)}–${pct(ci.high)}` : '—')

function suiteRow(report: BenchmarkReport, s: SuiteResult): string {
  const g = report.gate?.suites.find((x) => x.name === s.name)
  const threshold = g?.threshold ?? s.min_accuracy
  const gatedByBaseline = report.gate?.baseline !== undefined
  const result =
    g && (threshold !== undefined || gatedByBaseline || !g.passed)
      ? g.passed
        ? '✅ pass'
        : '❌ fail'
      : threshold === undefined
        ? 'not gated'
        : s.accuracy + 1e-9 >= threshold
          ? '✅ pass'
          : '❌ fail'
  const failed = s.total - s.passed
  const failedCell = s.errors ? `${failed} (${s.errors} error${s.errors === 1 ? '' : 's'})` : String(failed)
  return `| ${mdText(s.name)} | ${s.passed} | ${failedCell} | ${s.flaky} | ${pct(s.accuracy)} | ${interval(s.confidence_interval)} | ${threshold === undefined ? '—' : pct(threshold)} | ${result} |`
}

/** The attempt whose details explain a failure: the last one that failed or errored. */
function explainingAttempt(q: QuestionResult): AttemptResult | undefined {
  return [...q.attempts].reverse().find((a) => a.status === 'failed' || a.status === 'error')
}

function questionDetails(s: SuiteResult, q: QuestionResult): string[] {
  const icon = q.status === 'error' ? '⚠️' : q.status === 'flaky' ? '🎲' : '❌'
  // the reason is said once: in the summary line; the body adds only what it does not say
  const why = q.failure ? ` — ${shorten(q.failure, 140)}` : ''
  const out = [`<details><summary>${icon} <b>${html(s.name)}</b>: ${html(q.question)}${html(why)}</summary>`, '']
  if (q.repeat > 1 || q.attempts_made > 1)
    out.push(`Attempts: ${q.passes} of ${q.attempts_made} passed (pass rate ${pct(q.pass_rate ?? 0)}; needs ${q.min_passes} of ${q.repeat}).`, '')
  const a = explainingAttempt(q)
  const failed = (a?.checks.filter((c) => !c.passed) ?? []).filter((c) => q.failure !== `${c.name}: ${c.detail}`)
  const noSql = a?.checks.some((c) => c.name === 'sql' && !c.passed) ?? false
  if (q.expected_sql !== undefined) out.push('Expected SQL:', '', fenced('sql', q.expected_sql), '')
  if (a?.sql !== undefined) out.push('Generated SQL:', '', fenced('sql', a.sql), '')
  else if (a && !noSql && a.status !== 'error') out.push('Generated SQL: none', '')
  // a text answer is quoted by the sql check (cut to one line): the whole text only when it is longer
  if (a?.text !== undefined && a.sql === undefined && !(q.failure ?? '').includes(shorten(a.text, 150)))
    out.push(`Genie said: ${mdText(shorten(a.text, 400))}`, '')
  if (failed.length) {
    out.push(q.failure ? 'Other failed checks:' : 'Failed checks:', '')
    for (const c of failed) out.push(`- **${c.name}**: ${mdText(c.detail)}`)
    out.push('')
  }
  if (a?.error !== undefined && a.error !== q.failure && !failed.some((c) => c.detail === a.error)) out.push(`Error: ${mdText(a.error)}`, '')
  const refs = [a?.conversation_id ? `conversation \`${a.conversation_id}\`` : '', a?.eval_run_id ? `eval run \`${a.eval_run_id}\`` : ''].filter(Boolean)
  if (refs.length) out.push(`<sub>${refs.join(' · ')}</sub>`, '')
  out.push('</details>', '')
  return out
}

/**
 * The trend of the last runs and this one as a Mermaid xychart (GitHub renders ```mermaid blocks
 * in comments and summaries): accuracy in percent per run, labelled by date.
 */
export function trendChart(report: BenchmarkReport): string[] {
  const points = [...(report.trend ?? []), { started_at: report.started_at, accuracy: report.totals.accuracy }]
  if (points.length < 2) return []
  const labels = points.map((p, i) => (i === points.length - 1 ? '"now"' : `"${p.started_at.slice(5, 16).replace('T', ' ')}"`))
  const values = points.map((p) => (p.accuracy * 100).toFixed(1))
  return [
    `#### Accuracy over the last ${points.length} runs`,
    '',
    '```mermaid',
    'xychart-beta',
    '    title "Accuracy (%)"',
    `    x-axis [${labels.join(', ')}]`,
    '    y-axis "accuracy %" 0 --> 100',
    `    line [${values.join(', ')}]`,
    '```',
    ''
  ]
}

function comparisonLines(report: BenchmarkReport): string[] {
  const c = report.gate?.comparison
  if (!c) return []
  const list = (items: readonly string[]) =>
    items
      .slice(0, 10)
      .map((q) => `- ${mdText(q)}`)
      .concat(items.length > 10 ? [`- … ${items.length - 10} more`] : [])
  const out = [
    `#### Against ${mdText(report.gate?.baseline ?? 'the baseline')}`,
    '',
    `${c.paired} question(s) paired by text: ${c.pass_to_fail.length} pass→fail, ${c.fail_to_pass.length} fail→pass; exact McNemar p = ${formatP(c.p_value)}${
      report.gate?.regression_p !== undefined ? ` (the gate fails a drop only below ${report.gate.regression_p})` : ''
    }.`,
    ''
  ]
  if (c.pass_to_fail.length) out.push('Pass → fail:', '', ...list(c.pass_to_fail), '')
  if (c.fail_to_pass.length) out.push('Fail → pass:', '', ...list(c.fail_to_pass), '')
  return out
}

export function markdownReport(report: BenchmarkReport, options: { title?: string } = {}): string {
  const t = report.totals
  const gate = report.gate
  const gated = isGated(report)
  const icon = gated ? (gate && !gate.passed ? '❌' : '✅') : 'ℹ️'
  const ci = t.confidence_interval ? ` · 95% interval ${interval(t.confidence_interval)}` : ''
  const cost = [
    `${t.attempts} question${t.attempts === 1 ? '' : 's'} asked`,
    `${t.statements} SQL statement${t.statements === 1 ? '' : 's'} on the warehouse`,
    `wall time ${formatDurationMs(report.duration_ms)}`,
    t.conversations_deleted !== undefined
      ? `${t.conversations_deleted} conversation${t.conversations_deleted === 1 ? '' : 's'} deleted, ${t.conversations_kept ?? 0} kept`
      : ''
  ]
    .filter(Boolean)
    .join(' · ')
  const lines: string[] = [
    `### ${icon} ${options.title ?? 'SpaceOps benchmark'}: ${t.passed} of ${t.questions} question${t.questions === 1 ? '' : 's'} passed (${pct(t.accuracy)})${ci}${gated ? '' : ' · not gated'}`,
    '',
    [
      `Space \`${report.space_id}\``,
      `strategy ${report.strategy}`,
      report.questions_per_minute !== undefined ? `${report.questions_per_minute} questions/min` : '',
      t.flaky ? `${t.flaky} flaky` : '',
      t.rate_limited ? `${t.rate_limited} rate-limit wait${t.rate_limited === 1 ? '' : 's'} (not counted against the space)` : ''
    ]
      .filter(Boolean)
      .join(' · '),
    '',
    `Cost: ${cost}`,
    '',
    '| Suite | Passed | Failed | Flaky | Accuracy | 95% interval | Threshold | Result |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...report.suites.map((s) => suiteRow(report, s)),
    ''
  ]
  if (report.notes?.length) lines.push(...report.notes.map((n) => `> ${mdText(n)}`), '')
  if (gate && !gate.passed) {
    lines.push('**Gate failed:**', '', ...gate.reasons.map((r) => `- ${mdText(r)}`), '')
  }
  if (gate?.notes.length) lines.push(...gate.notes.map((n) => `> ${mdText(n)}`), '')
  lines.push(...comparisonLines(report), ...trendChart(report))
  const flaky = report.suites.flatMap((s) => s.questions.filter((q) => q.status === 'flaky').map((q) => ({ s, q })))
  if (flaky.length) {
    lines.push(`#### Flaky questions (${flaky.length}): passed in some attempts, failed in others`, '')
    for (const { s, q } of flaky) lines.push(...questionDetails(s, q))
  }
  const bad = report.suites.flatMap((s) => s.questions.filter((q) => !q.passed && q.status !== 'flaky').map((q) => ({ s, q })))
  if (bad.length) {
    lines.push(`#### Questions that did not pass (${bad.length})`, '')
    for (const { s, q } of bad) lines.push(...questionDetails(s, q))
  }
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/\s*$/, '\n')
}

// ---------------------------------------------------------------- JUnit XML

/** XML 1.0 text/attribute escaping; characters XML cannot carry are dropped. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

function attr(name: string, value: string | number): string {
  return `${name}="${xmlEscape(String(value)).replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;')}"`
}

const seconds = (ms: number) => (ms / 1000).toFixed(3)

function failureBody(q: QuestionResult): string {
  const a = explainingAttempt(q)
  const parts: string[] = []
  if (q.repeat > 1)
    parts.push(
      `attempts: ${q.passes} of ${q.attempts_made} passed (pass rate ${pct(q.pass_rate ?? 0)}; needs ${q.min_passes} of ${q.repeat})${q.status === 'flaky' ? ', flaky' : ''}`
    )
  for (const c of a?.checks.filter((x) => !x.passed) ?? []) parts.push(`${c.name}: ${c.detail}`)
  if (a?.error !== undefined) parts.push(`error: ${a.error}`)
  if (q.expected_sql !== undefined) parts.push(`expected SQL:\n${q.expected_sql.trim()}`)
  if (a?.sql !== undefined) parts.push(`generated SQL:\n${a.sql.trim()}`)
  else if (a?.text !== undefined) parts.push(`Genie said:\n${a.text.trim()}`)
  return parts.join('\n\n')
}

export function junitReport(report: BenchmarkReport): string {
  const t = report.totals
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attr('name', 'SpaceOps benchmark')} ${attr('tests', t.questions)} ${attr('failures', t.failed)} ${attr('errors', t.errors)} ${attr('time', seconds(report.duration_ms))} ${attr('timestamp', report.started_at)}>`
  ]
  for (const s of report.suites) {
    const threshold = report.gate?.suites.find((x) => x.name === s.name)?.threshold ?? s.min_accuracy
    lines.push(
      `  <testsuite ${attr('name', s.name)} ${attr('tests', s.total)} ${attr('failures', s.failed)} ${attr('errors', s.errors)} ${attr('skipped', 0)} ${attr('time', seconds(s.duration_ms))} ${attr('timestamp', report.started_at)}>`,
      '    <properties>',
      `      <property ${attr('name', 'space_id')} ${attr('value', report.space_id)}/>`,
      `      <property ${attr('name', 'strategy')} ${attr('value', report.strategy)}/>`,
      `      <property ${attr('name', 'accuracy')} ${attr('value', pct(s.accuracy))}/>`,
      ...(s.confidence_interval ? [`      <property ${attr('name', 'confidence_interval_95')} ${attr('value', interval(s.confidence_interval))}/>`] : []),
      ...(s.flaky ? [`      <property ${attr('name', 'flaky')} ${attr('value', s.flaky)}/>`] : []),
      ...(threshold !== undefined ? [`      <property ${attr('name', 'min_accuracy')} ${attr('value', pct(threshold))}/>`] : []),
      ...(s.file !== undefined ? [`      <property ${attr('name', 'file')} ${attr('value', s.file)}/>`] : []),
      '    </properties>'
    )
    for (const q of s.questions) {
      const open = `    <testcase ${attr('name', q.question)} ${attr('classname', s.name)} ${attr('time', seconds(q.duration_ms))}`
      if (q.passed) {
        const sql = [...q.attempts].reverse().find((a) => a.status === 'passed')?.sql
        lines.push(sql !== undefined ? `${open}>\n      <system-out>${xmlEscape(sql.trim())}</system-out>\n    </testcase>` : `${open}/>`)
        continue
      }
      const tag = q.status === 'error' ? 'error' : 'failure'
      const a = explainingAttempt(q)
      const type = a?.checks.find((c) => !c.passed)?.name ?? (q.status === 'error' ? 'error' : 'failure')
      lines.push(
        `${open}>`,
        `      <${tag} ${attr('message', q.failure ?? 'did not pass')} ${attr('type', type)}>${xmlEscape(failureBody(q))}</${tag}>`,
        '    </testcase>'
      )
    }
    lines.push('  </testsuite>')
  }
  lines.push('</testsuites>')
  return `${lines.join('\n')}\n`
}
