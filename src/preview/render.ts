import { formatP, pct } from '../benchmark/gate.js'
import { wilsonInterval } from '../benchmark/stats.js'
import type { BenchmarkReport } from '../benchmark/types.js'
import { printable } from '../util/printable.js'
import type { Names } from '../core/names.js'
import { capName, type Measurement } from './measure.js'

/**
 * The preview section of the pull request's sticky comment, composed after the plan: per space the
 * accuracy of the PR's version next to the base's (with 95% Wilson intervals), the questions that
 * flipped either way, and whether the difference is more than noise (exact McNemar on the flips,
 * at 5%). Untrusted text (titles, questions) goes through `printable` and inline code.
 */
export const NOISE_ALPHA = 0.05

export type PreviewOutcome =
  | { status: 'measured'; definition: string; title: string; spaceId: string; action: string; base: string; measurement: Measurement }
  | { status: 'deployed'; definition: string; title: string; spaceId: string; action: string; reason: string }
  | { status: 'error'; definition: string; error: string }

const code = (s: string) => `\`${printable(s).replace(/`/g, "'")}\``
/** Untrusted text as inline Markdown: printable, no HTML, no emphasis, links or table breaks. */
export const markdownText = (s: string): string =>
  printable(s)
    .replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c] as string)
    .replace(/[|\\`*_[\]]/g, (c) => `\\${c}`)
const text = markdownText
const quote = (s: string) => `“${text(s)}”`

function accuracy(r: BenchmarkReport): string {
  const t = r.totals
  const ci = t.confidence_interval ?? wilsonInterval(t.passed, t.questions)
  return `**${pct(t.accuracy)}** (${t.passed}/${t.questions}; 95% interval ${pct(ci.low)}–${pct(ci.high)})`
}

/** One line: is the difference more than noise? */
export function verdict(m: Measurement): string {
  const f = m.flips
  if (!f || !m.base) return 'no base to compare with'
  const b = f.pass_to_fail.length
  const c = f.fail_to_pass.length
  if (b + c === 0) return 'no question changed its outcome: no difference'
  const dir = c > b ? 'better' : c < b ? 'worse' : 'no net change'
  if (f.p_value < NOISE_ALPHA && c !== b) return `**${dir}, more than noise** (exact McNemar p = ${formatP(f.p_value)} on ${b + c} flipped question(s))`
  return `${dir === 'no net change' ? 'no net change' : `${dir}, but within noise`} (exact McNemar p = ${formatP(f.p_value)} on ${b + c} flipped question(s); not below ${NOISE_ALPHA})`
}

export function renderPreviewMarkdown(
  outcomes: readonly PreviewOutcome[],
  o: { pr: number; environment: string; asked: number; note?: string; detail?: 'full' | 'summary'; names?: Names }
): string {
  const lines = [`### Preview of PR #${o.pr} in ${o.environment}`, '']
  if (o.note) lines.push(o.note, '')
  for (const out of outcomes) {
    if (out.status === 'error') {
      lines.push(`- ${code(out.definition)}: preview failed: ${text(out.error)}`)
      continue
    }
    lines.push(`#### ${text(out.title)}`, '', `${code(out.definition)} → preview space ${code(out.spaceId)} (${out.action})`, '')
    if (out.status === 'deployed') {
      lines.push(out.reason, '')
      continue
    }
    const m = out.measurement
    lines.push('| version | accuracy |', '|---|---|')
    if (m.base) lines.push(`| base (${text(out.base)}) | ${accuracy(m.base)} |`)
    lines.push(`| this PR | ${accuracy(m.pr)} |`, '')
    lines.push(`Difference: ${verdict(m)}.`, '')
    if (m.flips && o.detail !== 'summary') {
      for (const q of m.flips.fail_to_pass) lines.push(`- ✅ now passes: ${quote(q)}`)
      for (const q of m.flips.pass_to_fail) lines.push(`- ❌ now fails: ${quote(q)}`)
      if (m.flips.fail_to_pass.length + m.flips.pass_to_fail.length) lines.push('')
    }
    if (m.capped) lines.push(`${m.capped} question(s) per version left out by ${capName(o.names)}.`, '')
  }
  lines.push(`${o.asked} question(s) asked of Genie for this preview.`, '')
  return lines.join('\n')
}
