/**
 * Reports that always fit GitHub's size limits. Pure functions: renderings go in from most to least
 * detailed, the first that fits comes out (with a visible note when it had to degrade), and as a last
 * resort the least detailed one is cut at a line, with every fenced code block and <details> element
 * closed again.
 */

/** A comment body (issue / pull request comment): at most 65,536 characters. */
export const COMMENT_BODY_LIMIT = 65_536
/** A step's job summary: at most 1 MiB, counted in UTF-8 bytes. */
export const JOB_SUMMARY_LIMIT = 1_048_576

/**
 * How a limit is counted. GitHub counts a comment body in characters (Unicode code points: an emoji
 * outside the BMP is one character, not two UTF-16 units) and the job summary in UTF-8 bytes.
 */
export type SizeUnit = 'characters' | 'bytes'

export interface SizeLimit {
  limit: number
  unit: SizeUnit
}

export const COMMENT_SIZE: SizeLimit = { limit: COMMENT_BODY_LIMIT, unit: 'characters' }
export const SUMMARY_SIZE: SizeLimit = { limit: JOB_SUMMARY_LIMIT, unit: 'bytes' }

/** The size of `text` as GitHub counts it. */
export function sizeOf(text: string, unit: SizeUnit): number {
  if (unit === 'bytes') return Buffer.byteLength(text, 'utf8')
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) i++
    }
    n++
  }
  return n
}

/** The size of one code point. */
function pointSize(cp: number, unit: SizeUnit): number {
  if (unit === 'characters') return 1
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4
}

/** The longest prefix of `text` of at most `max` (never splitting a character). */
export function takePrefix(text: string, max: number, unit: SizeUnit): string {
  if (max <= 0) return ''
  let used = 0
  let end = 0
  for (const ch of text) {
    const s = pointSize(ch.codePointAt(0) ?? 0, unit)
    if (used + s > max) break
    used += s
    end += ch.length
  }
  return text.slice(0, end)
}

/** The longest suffix of `text` of at most `max` (never splitting a character). */
function takeSuffix(text: string, max: number, unit: SizeUnit): string {
  if (max <= 0) return ''
  const chars = Array.from(text)
  let used = 0
  let start = chars.length
  while (start > 0) {
    const s = pointSize(chars[start - 1]?.codePointAt(0) ?? 0, unit)
    if (used + s > max) break
    used += s
    start--
  }
  return chars.slice(start).join('')
}

/**
 * Shorten one piece of text (a long SQL string, an identifier) to at most `max`, keeping its start
 * and end around `ellipsis`. Never splits a character.
 */
export function truncateMiddle(text: string, max: number, options: { unit?: SizeUnit; ellipsis?: string } = {}): string {
  const unit = options.unit ?? 'characters'
  const ellipsis = options.ellipsis ?? '…'
  if (sizeOf(text, unit) <= max) return text
  const room = max - sizeOf(ellipsis, unit)
  if (room <= 0) return takePrefix(ellipsis, max, unit)
  const head = takePrefix(text, Math.ceil(room / 2), unit)
  const tail = takeSuffix(text, room - sizeOf(head, unit), unit)
  return head + ellipsis + tail
}

/** Shorten text to at most `max` at its end, marking the cut with `ellipsis`. */
export function truncateEnd(text: string, max: number, options: { unit?: SizeUnit; ellipsis?: string } = {}): string {
  const unit = options.unit ?? 'characters'
  const ellipsis = options.ellipsis ?? '…'
  if (sizeOf(text, unit) <= max) return text
  const room = max - sizeOf(ellipsis, unit)
  if (room <= 0) return takePrefix(ellipsis, max, unit)
  return takePrefix(text, room, unit) + ellipsis
}

// ---------------------------------------------------------------------------------------------
// Markdown structure: which fenced code block and how many <details> are open after each line.

interface Fence {
  indent: string
  char: '`' | '~'
  length: number
}

interface BlockState {
  fence: Fence | null
  details: number
}

const FENCE_OPEN = /^(\s*)(`{3,}|~{3,})(.*)$/

function isClosingFence(line: string, fence: Fence): boolean {
  const m = /^\s*(`{3,}|~{3,})\s*$/.exec(line)
  return !!m && m[1]?.[0] === fence.char && (m[1]?.length ?? 0) >= fence.length
}

/** The state after `line`, given the state before it. */
function advance(state: BlockState, line: string): BlockState {
  if (state.fence) return isClosingFence(line, state.fence) ? { fence: null, details: state.details } : state
  const open = FENCE_OPEN.exec(line)
  if (open) {
    const marks = open[2] ?? '```'
    const info = open[3] ?? ''
    // A backtick fence's info string cannot contain a backtick (then it is inline code, not a fence).
    if (!(marks[0] === '`' && info.includes('`'))) {
      return { fence: { indent: open[1] ?? '', char: marks[0] === '~' ? '~' : '`', length: marks.length }, details: state.details }
    }
  }
  const opens = (line.match(/<details[\s>]/gi) ?? []).length + (/<details$/i.test(line) ? 1 : 0)
  const closes = (line.match(/<\/details\s*>/gi) ?? []).length
  if (opens === 0 && closes === 0) return state
  return { fence: null, details: Math.max(0, state.details + opens - closes) }
}

/** What to append so every construct open in `state` is closed. */
function closers(state: BlockState): string {
  let s = ''
  if (state.fence) s += `\n${state.fence.indent}${state.fence.char.repeat(state.fence.length)}`
  for (let i = 0; i < state.details; i++) s += '\n\n</details>'
  return s
}

/** The open constructs at the end of `text`. */
function stateAfter(text: string): BlockState {
  let state: BlockState = { fence: null, details: 0 }
  for (const line of text.split('\n')) state = advance(state, line)
  return state
}

/** `text` with every fenced code block and <details> it leaves open closed again. */
export function closeOpenBlocks(text: string): string {
  return text + closers(stateAfter(text))
}

/**
 * Cut Markdown to at most `max`, at a line where possible, never leaving a fenced code block or a
 * <details> element open: it closes them, then appends `suffix` (e.g. a "trimmed" line). A single
 * line too long to keep is cut inside (outside a fence, not inside an HTML tag) and ends with "…".
 */
export function truncateMarkdown(text: string, max: number, options: { unit?: SizeUnit; suffix?: string } = {}): string {
  const unit = options.unit ?? 'characters'
  if (sizeOf(text, unit) <= max) return text
  return cutMarkdown(text, max, unit, options.suffix ?? '')
}

/** Lines longer than this may be cut inside; shorter ones are kept whole or dropped. */
const LONG_LINE = 80

function cutMarkdown(text: string, max: number, unit: SizeUnit, suffix: string): string {
  const suffixSize = sizeOf(suffix, unit)
  const lines = text.split('\n')
  const kept: string[] = []
  let used = 0
  let state: BlockState = { fence: null, details: 0 }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    const sep = kept.length > 0 ? 1 : 0
    const next = advance(state, line)
    const lineSize = sizeOf(line, unit)
    if (used + sep + lineSize + sizeOf(closers(next), unit) + suffixSize <= max) {
      kept.push(line)
      used += sep + lineSize
      state = next
      continue
    }
    // The line does not fit whole. Keep part of a long line of plain content (it opens or closes
    // nothing, so the state stays as it is); a short line is dropped rather than cut.
    if (next === state && lineSize > LONG_LINE) {
      const room = max - used - sep - sizeOf(closers(state), unit) - suffixSize
      let part = truncateEnd(line, room, { unit })
      if (!state.fence) {
        // Do not leave half an HTML tag: cut before a '<' that has no '>' after it.
        const lt = part.lastIndexOf('<')
        if (lt >= 0 && part.indexOf('>', lt) < 0) part = `${part.slice(0, lt)}…`
      }
      if (part !== '' && part !== '…' && sizeOf(part, unit) <= room) kept.push(part)
    }
    break
  }
  const out = kept.join('\n') + closers(state) + suffix
  if (sizeOf(out, unit) <= max) return out
  // Only a suffix (or closers) larger than the limit get here.
  return takePrefix(out, max, unit)
}

// ---------------------------------------------------------------------------------------------

export interface FitOptions {
  limit: number
  /** How `limit` is counted; characters by default (a comment). Use 'bytes' for the job summary. */
  unit?: SizeUnit
  /**
   * The note appended when the report had to degrade (any level but the first, or a cut). Plain
   * text or Markdown; it is shown as a quoted line. Defaults to a sentence naming the limit.
   */
  note?: string
  /** With a function of the level: how many levels to try at most (16 by default). */
  maxLevels?: number
}

export interface FitResult {
  text: string
  /** The level used (0 = most detailed). */
  level: number
  /** True when a less detailed level was used or the text was cut: the note was appended. */
  degraded: boolean
  /** True when even the least detailed level had to be cut. */
  truncated: boolean
  /** The size of `text`, in the unit of the limit. */
  size: number
}

/** The sentence fitReport appends by default. */
export function trimmedNote(target: 'comment' | 'summary', fullReportUrl?: string): string {
  const what = target === 'comment' ? "GitHub's comment size limit" : "GitHub's job summary size limit"
  if (!fullReportUrl) return `Details were trimmed to fit ${what}.`
  return target === 'comment'
    ? `Details were trimmed to fit ${what}; the full plan is in the job summary: ${fullReportUrl}`
    : `Details were trimmed to fit ${what}; the full report is in the workflow run: ${fullReportUrl}`
}

function noteBlock(note: string): string {
  const quoted = note
    .trim()
    .split(/\r?\n/)
    .map((l, i) => (i === 0 ? `> ⚠️ ${l}` : l.trim() === '' ? '>' : `> ${l}`))
    .join('\n')
  return `\n\n${quoted}\n`
}

/**
 * The first rendering that fits `limit`, from most to least detailed. `levels` is either the
 * renderings themselves or a function rendering level n (return undefined when there is no level n),
 * called lazily. When a later level is used a visible note is appended; when none fits, the last
 * one is cut cleanly (see `truncateMarkdown`) and the note appended.
 */
export function fitReport(levels: readonly string[] | ((level: number) => string | undefined), options: FitOptions): FitResult {
  const unit = options.unit ?? 'characters'
  const limit = options.limit
  const note = noteBlock(options.note ?? trimmedNote(unit === 'bytes' ? 'summary' : 'comment'))
  const noteSize = sizeOf(note, unit)
  const maxLevels = Array.isArray(levels) ? levels.length : (options.maxLevels ?? 16)
  const render = (n: number): string | undefined => (typeof levels === 'function' ? levels(n) : (levels as readonly string[])[n])

  let last: { text: string; level: number } | undefined
  for (let level = 0; level < maxLevels; level++) {
    const text = render(level)
    if (text === undefined) break
    last = { text, level }
    const candidate = level === 0 ? text : text.trimEnd() + note
    const size = sizeOf(candidate, unit)
    if (size <= limit) return { text: candidate, level, degraded: level > 0, truncated: false, size }
  }
  if (!last) return { text: '', level: 0, degraded: false, truncated: false, size: 0 }

  const body = last.text.trimEnd()
  const text = noteSize < limit ? cutMarkdown(body, limit, unit, note) : takePrefix(note.trim(), limit, unit)
  return { text, level: last.level, degraded: true, truncated: true, size: sizeOf(text, unit) }
}
