import { diffArrays } from 'diff'
import { printable } from '../util/printable.js'
import type { Space } from '../model/space.js'
import { SECTIONS, diffSpaces, type ChangeKind, type FieldChange, type ItemChange, type SpaceDiff } from './diff.js'

/**
 * Rendering plans: terminal text, Markdown (PR comment and job summary, at three levels of detail
 * so a report can degrade to fit GitHub's limits) and JSON. A plan covers one or more spaces.
 */
export type PlanStatus = 'changed' | 'unchanged' | 'new' | 'error' | 'created' | 'blocked'

export interface SpacePlan {
  /** the definition file */
  definition: string
  title: string
  /** environment planned against, when there is one */
  target?: string
  spaceId?: string
  status: PlanStatus
  /** for `new` and `created`: what the space holds (contentOf), everything an addition */
  diff?: SpaceDiff
  /** for `error`: what went wrong; for `blocked`: why nothing was written */
  error?: string
  /** the live space's title when the definition's differs: the same space is renamed, not created anew */
  renamedFrom?: string
  /** what the target preflight found (shown above the diff); absent when it did not run */
  preflight?: PlanPreflight
}

/** The target preflight as a plan shows it: its headline and one located line per finding. */
export interface PlanPreflight {
  /** "preflight on prod: 1 error, 2 warnings" / "preflight on prod: passed" */
  summary: string
  /** `file:line:col: message`, without the severity */
  findings: { severity: 'error' | 'warning'; text: string }[]
}

/** The preflight lines of a plan in the terminal: the headline, then each finding. */
function preflightLines(p: SpacePlan, indent: string): string[] {
  if (!p.preflight) return []
  return [`${indent}${printable(p.preflight.summary)}`, ...p.preflight.findings.map((f) => `${indent}  ${f.severity}: ${printable(f.text)}`)]
}

/** The preflight of a plan in Markdown, above its diff; at `counts` only the headline. */
function preflightMarkdown(p: SpacePlan, detail: Detail): string[] {
  if (!p.preflight) return []
  const errors = p.preflight.findings.some((f) => f.severity === 'error')
  const head = `${errors ? '❌' : p.preflight.findings.length ? '⚠️' : '✅'} <b>${esc(printable(p.preflight.summary))}</b>`
  if (detail === 'counts' || !p.preflight.findings.length) return [head]
  const shown = detail === 'summary' ? p.preflight.findings.filter((f) => f.severity === 'error') : p.preflight.findings
  const more = p.preflight.findings.length - shown.length
  return [
    head,
    '',
    ...shown.map((f) => `- ${f.severity === 'error' ? '❌' : '⚠️'} ${cell(f.text)}`),
    ...(more ? [`- …and ${more} warning${more === 1 ? '' : 's'}`] : [])
  ]
}

export type Detail = 'full' | 'summary' | 'counts'

const SIGN: Record<ChangeKind, string> = { add: '+', remove: '-', change: '~' }
const MINUS = '−'

/**
 * Line diff of two texts, with `context` unchanged lines around each change. jsdiff's `diffArrays`
 * (Myers' O(ND) algorithm, memory linear in the texts and the differences): any text within the
 * API's limits plans in bounded time and memory. Past `maxEditLength` differences (two texts with
 * next to nothing in common) it stops looking and shows the old text removed and the new one added.
 */
export function lineDiff(before: string, after: string, context = 2): string[] {
  const a = before.split('\n')
  const b = after.split('\n')
  const parts = diffArrays(a, b, { maxEditLength: MAX_EDIT_LENGTH }) ?? [
    { value: a, removed: true, added: false, count: a.length },
    { value: b, removed: false, added: true, count: b.length }
  ]
  const ops: { op: ' ' | '-' | '+'; line: string }[] = []
  // deletions first, then insertions, as unified diffs show them
  let adds: { op: '+'; line: string }[] = []
  for (const part of parts) {
    if (part.added) {
      for (const line of part.value) adds.push({ op: '+', line })
      continue
    }
    if (!part.removed) {
      ops.push(...adds)
      adds = []
    }
    for (const line of part.value) ops.push({ op: part.removed ? '-' : ' ', line })
  }
  ops.push(...adds)
  // an unchanged line is shown when a change is within `context` lines of it
  const near = new Array<boolean>(ops.length).fill(false)
  ops.forEach((o, k) => {
    if (o.op === ' ') return
    for (let x = Math.max(0, k - context); x <= Math.min(ops.length - 1, k + context); x++) near[x] = true
  })
  const out: string[] = []
  let skipped = false
  ops.forEach((o, k) => {
    if (near[k]) {
      if (skipped && out.length) out.push('…')
      skipped = false
      out.push(`${o.op} ${o.line}`)
    } else skipped = true
  })
  return out
}

/**
 * Beyond this many differing lines a line-by-line alignment tells a reader of a plan nothing more
 * (and the report degrades to a summary anyway); it also bounds the time: the search costs about
 * lines × differences, so ~60 ms for 12,500-line texts (bench/scale measures it).
 */
export const MAX_EDIT_LENGTH = 1_000

const show = (v: unknown): string => {
  if (v === undefined) return '(unset)'
  if (typeof v === 'string') return JSON.stringify(v.length > 120 ? `${v.slice(0, 119)}…` : v)
  return JSON.stringify(v)
}

const isMultiline = (f: FieldChange) =>
  typeof f.before === 'string' && typeof f.after === 'string' && (f.before.includes('\n') || f.after.includes('\n') || f.before.length + f.after.length > 100)

/** "+2 tables, ~1 instruction, −1 example query" */
export function summaryLine(diff: SpaceDiff | undefined): string {
  if (!diff?.changes.length) return 'no changes'
  const parts: string[] = []
  const groups = new Map<string, Record<ChangeKind, number>>()
  for (const c of diff.changes) {
    const g = groups.get(c.what) ?? { add: 0, change: 0, remove: 0 }
    g[c.kind]++
    groups.set(c.what, g)
  }
  const plural = (what: string, n: number) => {
    if (n === 1) return what
    if (what === 'space') return 'space settings'
    return SECTIONS.find((s) => s.what === what)?.plural ?? `${what}s`
  }
  // space settings by name ("~title"), then items by kind and section
  for (const c of diff.changes) if (c.what === 'space') parts.push(`~${c.name}`)
  groups.delete('space')
  // grants last, on their own: "grants +1 ~1 −1"
  const grants = groups.get('grant')
  groups.delete('grant')
  for (const kind of ['add', 'change', 'remove'] as const) {
    for (const [what, g] of groups) if (g[kind]) parts.push(`${kind === 'remove' ? MINUS : SIGN[kind]}${g[kind]} ${plural(what, g[kind])}`)
  }
  if (grants)
    parts.push(
      `grants ${(['add', 'change', 'remove'] as const)
        .filter((k) => grants[k])
        .map((k) => `${k === 'remove' ? MINUS : SIGN[k]}${grants[k]}`)
        .join(' ')}`
    )
  return parts.join(', ')
}

/** What an added or removed item holds, so a reviewer sees the SQL or text, not only its name. */
function valueLines(c: ItemChange, indent: string): string[] {
  if (!c.value || typeof c.value !== 'object' || c.kind === 'change') return []
  const sign = SIGN[c.kind]
  const out: string[] = []
  for (const [key, v] of Object.entries(c.value as Record<string, unknown>)) {
    if (key === 'id' || v === undefined || v === null) continue
    if (typeof v === 'string') {
      if (v === c.name || (key === 'identifier' && c.what.includes('table'))) continue
      if (v.includes('\n') || key === 'sql' || key === 'content' || key === 'condition') {
        out.push(`${indent}    ${sign} ${key}:`)
        for (const line of v.replace(/\n$/, '').split('\n')) out.push(`${indent}    ${sign}   ${line}`)
      } else out.push(`${indent}    ${sign} ${key}: ${show(v)}`)
    } else if (Array.isArray(v)) {
      if (!v.length) continue
      if (v.every((x) => x && typeof x === 'object' && ('column_name' in x || 'name' in x))) {
        for (const x of v as Record<string, unknown>[])
          out.push(`${indent}    ${sign} ${key === 'column_configs' ? 'column' : 'parameter'} ${String(x.column_name ?? x.name)}`)
      } else out.push(`${indent}    ${sign} ${key}: ${show(v)}`)
    } else out.push(`${indent}    ${sign} ${key}: ${show(v)}`)
  }
  return out
}

/** A grant in one line: `+ group analysts CAN_RUN`, `~ user x CAN_VIEW → CAN_EDIT` (the principal is untrusted text). */
function grantLine(c: ItemChange, indent: string): string {
  const level = (v: unknown) => printable(String((v as { level?: unknown } | undefined)?.level ?? ''))
  const f = c.fields[0]
  const levels = c.kind === 'change' && f ? `${printable(String(f.before))} → ${printable(String(f.after))}` : level(c.value)
  return `${indent}${SIGN[c.kind]} ${printable(c.name)} ${levels}`
}

function itemLines(c: ItemChange, indent: string): string[] {
  if (c.what === 'grant') return [grantLine(c, indent)]
  const out = [`${indent}${SIGN[c.kind]} ${c.what}${c.what === 'space' ? '' : ':'} ${c.what === 'space' ? c.name : c.name}`, ...valueLines(c, indent)]
  for (const f of c.fields) {
    if (c.what === 'space') {
      out[0] = `${indent}~ ${f.field.replace('_', ' ')}: ${show(f.before)} → ${show(f.after)}`
      continue
    }
    if (f.kind === 'change' && isMultiline(f)) {
      out.push(`${indent}    ~ ${f.field}:`)
      for (const l of lineDiff(f.before as string, f.after as string)) out.push(`${indent}      ${l}`)
    } else if (f.kind === 'change') out.push(`${indent}    ~ ${f.field}: ${show(f.before)} → ${show(f.after)}`)
    else if (f.kind === 'add') out.push(`${indent}    + ${f.field}${isPlain(f.after) ? `: ${show(f.after)}` : ''}`)
    else out.push(`${indent}    - ${f.field}${isPlain(f.before) ? `: ${show(f.before)}` : ''}`)
  }
  return out
}

const isPlain = (v: unknown) => v === null || typeof v !== 'object'

const renamed = (p: SpacePlan) => (p.renamedFrom !== undefined ? `renamed from "${printable(p.renamedFrom)}" · ` : '')

// The title is the space's (untrusted, one line): a line break in it must not start a line.
const headline = (p: SpacePlan) => {
  const target = p.target ? ` in ${p.target}` : ''
  const id = p.spaceId ? ` (${p.spaceId})` : ''
  // a plan that failed before the space was read has the file for its title: the line starts with it already
  const title = p.title === p.definition ? '' : `"${printable(p.title)}"`
  switch (p.status) {
    case 'new':
    case 'created':
    case 'blocked':
      return `${title}${target}${p.status === 'new' ? '' : id}: ${outcome(p)}`
    case 'unchanged':
      return `${title}${target}${id}: no changes`
    case 'error': {
      const who = `${title}${target}${id}`.trim()
      return `${who ? `${who}: ` : ''}error — ${printable(p.error ?? 'unknown error')}`
    }
    default:
      return `${title}${target}${id}: ${renamed(p)}${summaryLine(p.diff)}`
  }
}

export function renderText(plans: readonly SpacePlan[]): string {
  const out: string[] = []
  for (const p of plans) {
    out.push(`${p.definition}: ${headline(p)}`)
    out.push(...preflightLines(p, '  '))
    if (isCreation(p) && p.diff) out.push(...contentLines(p.diff, '  '))
    else for (const c of p.diff?.changes ?? []) out.push(...itemLines(c, '  '))
  }
  return `${out.join('\n')}\n`
}

export function planCounts(plans: readonly SpacePlan[]): Record<PlanStatus, number> {
  const counts: Record<PlanStatus, number> = { changed: 0, unchanged: 0, new: 0, error: 0, created: 0, blocked: 0 }
  for (const p of plans) counts[p.status]++
  return counts
}

const esc = (s: string) => s.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c] as string)
const fence = (body: string, lang = 'diff') => {
  const ticks = body.includes('```') ? '````' : '```'
  return `${ticks}${lang}\n${body}\n${ticks}`
}

/** Markdown for one space at a level of detail. */
function spaceMarkdown(p: SpacePlan, detail: Detail): string {
  const icon = ICON[p.status]
  const summary = `${icon} <b>${esc(p.title)}</b>${p.target ? ` → <code>${esc(p.target)}</code>` : ''} — ${esc(p.status === 'error' ? `error: ${p.error ?? ''}` : (outcome(p) ?? renamed(p) + summaryLine(p.diff)))}`
  const checks = preflightMarkdown(p, detail)
  if (isCreation(p) && detail !== 'counts' && p.diff?.changes.length)
    return [...(checks.length ? [...checks, ''] : []), contentMarkdown(p, summary, detail)].join('\n')
  if (detail === 'counts' || p.status === 'unchanged' || (p.status !== 'changed' && !p.diff?.changes.length)) {
    const line = `- ${summary} <sub>${esc(p.definition)}${p.spaceId ? ` · ${p.spaceId}` : ''}</sub>`
    return checks.length ? [line, '', ...checks.map((l) => (l ? `  ${l}` : l))].join('\n') : line
  }
  const lines: string[] = []
  if (detail === 'summary') {
    for (const c of p.diff?.changes ?? []) lines.push(`${SIGN[c.kind]} ${c.what === 'space' ? c.name : `${c.what}: ${c.name}`}`)
  } else {
    // in a ```diff block only a sign in column 0 is coloured: move each line's sign there
    for (const c of p.diff?.changes ?? []) for (const l of itemLines(c, '')) lines.push(l.replace(/^(\s+)([+\-~])/, '$2$1'))
  }
  return [
    ...(checks.length ? [...checks, ''] : []),
    `<details><summary>${summary}</summary>`,
    '',
    `<sub>${esc(p.definition)}${p.spaceId ? ` · space ${p.spaceId}` : ''}</sub>`,
    '',
    fence(lines.join('\n')),
    '',
    '</details>'
  ].join('\n')
}

const ICON: Record<PlanStatus, string> = { changed: '📝', new: '🆕', unchanged: '✅', error: '❌', created: '🆕', blocked: '⛔' }
const STATUS_CELL: Record<PlanStatus, string> = {
  changed: '📝 changed',
  new: '🆕 new',
  unchanged: '✅ unchanged',
  error: '❌ error',
  created: '🆕 created',
  blocked: '⛔ blocked'
}
/** A table cell of untrusted text: one line, no cell break, no HTML, no Markdown. */
const cell = (s: string) => esc(printable(s)).replace(/[|\\`*_[\]]/g, (c) => `\\${c}`)

/** One row per space (status, one-line summary), the way a reader of 200 spaces scans them. */
function spacesTable(plans: readonly SpacePlan[]): string {
  const rows = plans.map((p) => {
    const what = p.status === 'error' ? `error: ${p.error ?? ''}` : (outcome(p) ?? renamed(p) + summaryLine(p.diff))
    return `| ${cell(p.title)} <sub>${cell(p.definition)}</sub> | ${STATUS_CELL[p.status]} | ${cell(what.length > 200 ? `${what.slice(0, 199)}…` : what)} |`
  })
  return ['| Space | Status | Summary |', '|---|---|---|', ...rows].join('\n')
}

/**
 * Markdown at a level of detail. With more than one space: a table with a row per space first,
 * then the details of the spaces that change (at `counts`, the table of those alone and how many
 * are unchanged — the level that still fits when hundreds of spaces change).
 */
export function renderMarkdown(plans: readonly SpacePlan[], options: { detail?: Detail; title?: string; footer?: string } = {}): string {
  const detail = options.detail ?? 'full'
  const c = planCounts(plans)
  const head = `### ${options.title ?? 'SpaceOps plan'}\n\n**${c.changed}** changed · **${c.unchanged}** unchanged · **${c.new}** new${c.created ? ` · **${c.created}** created` : ''}${c.blocked ? ` · **${c.blocked}** blocked` : ''} · **${c.error}** error${c.error === 1 ? '' : 's'}`
  let body: string
  if (plans.length > 1) {
    const moving = plans.filter((p) => p.status !== 'unchanged')
    if (detail === 'counts') {
      body = [
        moving.length ? spacesTable(moving) : '',
        c.unchanged ? `${moving.length ? '…and ' : ''}${c.unchanged} unchanged space${c.unchanged === 1 ? '' : 's'}` : ''
      ]
        .filter(Boolean)
        .join('\n\n')
    } else {
      const details = moving.filter((p) => p.diff?.changes.length).map((p) => spaceMarkdown(p, detail))
      body = [spacesTable(plans), ...details].join('\n\n')
    }
  } else body = plans.map((p) => spaceMarkdown(p, detail)).join('\n\n')
  return `${[head, '', body, ...(options.footer ? ['', options.footer] : [])].join('\n')}\n`
}

export function renderJson(plans: readonly SpacePlan[]): string {
  return `${JSON.stringify(
    {
      schema_version: 1,
      counts: planCounts(plans),
      spaces: plans.map((p) => ({
        definition: p.definition,
        title: p.title,
        target: p.target ?? null,
        space_id: p.spaceId ?? null,
        status: p.status,
        summary: outcome(p) ?? summaryLine(p.diff),
        error: p.error ?? null,
        changes: p.diff?.changes ?? [],
        ...(p.preflight ? { preflight: p.preflight } : {})
      }))
    },
    null,
    2
  )}\n`
}

/**
 * A new space's plan (and a created space's report) shows what the space holds, not only that it
 * will exist: a one-line count of its parts, and at full detail every part as an addition, in a
 * collapsed section so a large space does not push the rest of the report out of view.
 */
const isCreation = (p: SpacePlan) => p.status === 'new' || p.status === 'created'

/** What a space holds, as the diff from nothing to it: every part an addition. */
export function contentOf(space: Space): SpaceDiff {
  return diffSpaces({ meta: {}, document: { version: 2 } }, space)
}

/** "3 tables, 2 example queries, 1 instruction" — the parts (not the settings) a space holds. */
export function holdsLine(content: SpaceDiff | undefined): string {
  const counts = new Map<string, number>()
  for (const c of content?.changes ?? []) if (c.kind === 'add' && c.what !== 'space') counts.set(c.what, (counts.get(c.what) ?? 0) + 1)
  const parts = SECTIONS.filter((s) => counts.has(s.what)).map((s) => {
    const n = counts.get(s.what) ?? 0
    return `${n} ${n === 1 ? s.what : s.plural}`
  })
  return parts.length ? parts.join(', ') : 'nothing yet (no tables, instructions or examples)'
}

/** The one line of a plan whose status says more than its diff (new, created, blocked); else undefined. */
function outcome(p: SpacePlan): string | undefined {
  if (p.status === 'new') return p.diff ? `will be created, holding ${holdsLine(p.diff)}` : 'will be created'
  if (p.status === 'created') return p.diff ? `created, holding ${holdsLine(p.diff)}` : 'created'
  if (p.status === 'blocked') return `blocked: ${p.error ?? 'unknown reason'}`
  return undefined
}

/** Settings as they will be set (`+ warehouse id: "…"`), then the parts, each with what it holds. */
function contentLines(content: SpaceDiff, indent: string): string[] {
  const lines: string[] = []
  for (const c of content.changes) {
    if (c.what === 'space') lines.push(`${indent}+ ${c.name}: ${show(c.fields[0]?.after)}`)
    // in a ```diff block (no indent) only a sign in column 0 is coloured: move each line's sign there
    else for (const l of itemLines(c, indent)) lines.push(indent ? l : l.replace(/^(\s+)([+\-~])/, '$2$1'))
  }
  return lines
}

function contentMarkdown(p: SpacePlan, summary: string, detail: Detail): string {
  const changes = p.diff?.changes ?? []
  const lines =
    detail === 'summary'
      ? changes.map((c) => `+ ${c.what === 'space' ? c.name : `${c.what}: ${c.name}`}`)
      : contentLines({ changes, counts: { add: changes.length, change: 0, remove: 0 } }, '')
  return [
    `<details><summary>${summary}</summary>`,
    '',
    `<sub>${esc(p.definition)}${p.spaceId ? ` · space ${p.spaceId}` : ''} · what the space ${p.status === 'created' ? 'now holds' : 'will hold'}</sub>`,
    '',
    fence(lines.join('\n')),
    '',
    '</details>'
  ].join('\n')
}
