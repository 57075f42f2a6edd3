import { EOL } from 'node:os'
import * as runner from './runner-commands.js'
import { printable, printableLines } from '../util/printable.js'
import { SecretRegistry } from '../util/secrets.js'
import { JOB_SUMMARY_LIMIT, sizeOf, truncateMarkdown } from './fit.js'

/**
 * The part of the Actions runtime SpaceOps uses, as an interface so `run()` is tested with a
 * recording fake and no module mocks. `actionsRuntime()` is the real one (@actions/core) behind
 * `guardRuntime`, the one place where the action's output is made safe and fit:
 *
 * - every message (info, debug, annotations, `setFailed`) and an annotation's title is ONE line
 *   (`printable`: a line break in a title shows as `\n`), and an info line cannot start a command.
 * - `infoLines(text)` is for several lines SpaceOps composed on purpose (a rendered plan): each line
 *   is kept, control characters are escaped and no line can start or carry a workflow command
 *   (`printableLines`). Untrusted text thus never starts a line. @actions/core also percent-encodes `%`,
 *   `\r`, `\n` in a command's data and `:` `,` in its properties, which keeps the `file` property
 *   (not escaped here, it must name the real file) inside its command; a test parses the output.
 * - every text is redacted with the secrets given to `setSecret` (which masks them on the runner too).
 * - the job summary stays within GitHub's 1 MiB per step and every output within `OUTPUT_VALUE_LIMIT`
 *   (all outputs of the step within `OUTPUTS_LIMIT`): what does not fit is cut, with a note in the
 *   summary and a warning for an output, and the step carries on.
 */
export interface AnnotationProps {
  title?: string
  file?: string
  startLine?: number
  startColumn?: number
}

export interface ActionsRuntime {
  getInput(name: string): string
  setOutput(name: string, value: string): void
  setSecret(secret: string): void
  setFailed(message: string): void
  /** One line. */
  info(message: string): void
  /** Several lines SpaceOps composed on purpose (a rendered plan), printed as lines. */
  infoLines(text: string): void
  debug(message: string): void
  warning(message: string, props?: AnnotationProps): void
  error(message: string, props?: AnnotationProps): void
  notice(message: string, props?: AnnotationProps): void
  /** Append Markdown to the job summary. */
  appendSummary(markdown: string): Promise<void>
  getIDToken(audience?: string): Promise<string>
  env: Record<string, string | undefined>
  cwd: string
}

/**
 * GitHub: "Outputs can be a maximum of 1 MB per job. The total of all outputs in a workflow run can be
 * a maximum of 50 MB. Size is approximated based on UTF-16 encoding." The limit is per job, shared by
 * every step, so one SpaceOps step keeps well under it: at most this many UTF-16 code units per value
 * (128 KiB as GitHub counts) …
 */
export const OUTPUT_VALUE_LIMIT = 65_536
/** … and this many for all its outputs together (512 KiB as GitHub counts, half the job's limit). */
export const OUTPUTS_LIMIT = 262_144
/**
 * A step's summary: the runner refuses more than 1024k ("$GITHUB_STEP_SUMMARY upload aborted,
 * supports content up to a size of 1024k"), and then shows none of it.
 */
export const STEP_SUMMARY_LIMIT = JOB_SUMMARY_LIMIT

const SUMMARY_CUT_NOTE = "\n\n> ⚠️ The rest of this summary was cut to fit GitHub's job summary limit (1 MiB per step).\n"

/** The real runtime: the runner protocol as @actions/core speaks it, guarded. `out` receives stdout (tests capture it). */
export function actionsRuntime(out: runner.Out = runner.writeStdout): ActionsRuntime {
  return guardRuntime(coreRuntime(out))
}

/** The runner protocol as @actions/core speaks it (runner-commands.ts), without any guard. Only `actionsRuntime` should use it. */
function coreRuntime(out: runner.Out): ActionsRuntime {
  const annotate = (kind: string) => (m: string, p?: AnnotationProps) => runner.issueCommand(kind, runner.annotationProperties(p), m, out)
  return {
    getInput: (name) => runner.getInput(name),
    setOutput: (name, value) => runner.setOutput(name, value, process.env, out),
    setSecret: (s) => runner.issueCommand('add-mask', {}, s, out),
    setFailed: (m) => {
      process.exitCode = 1
      runner.issueCommand('error', {}, m, out)
    },
    info: (m) => out(m + EOL),
    infoLines: (t) => out(t + EOL),
    debug: (m) => runner.issueCommand('debug', {}, m, out),
    warning: annotate('warning'),
    error: annotate('error'),
    notice: annotate('notice'),
    appendSummary: (md) => runner.appendSummary(md),
    // OIDC needs HTTP: the one call that loads @actions/core (with the rest of what talks HTTP), when made
    getIDToken: async (aud) => (await import('../networked.js')).getIDToken(aud),
    env: process.env,
    cwd: process.cwd()
  }
}

const guarded = new WeakSet<ActionsRuntime>()

/**
 * `raw` with every message made safe and redacted, and outputs and summary kept within GitHub's
 * limits. `run()` guards whatever runtime it is given (a guarded one is returned as it is).
 */
export function guardRuntime(raw: ActionsRuntime): ActionsRuntime {
  if (guarded.has(raw)) return raw
  const secrets = new SecretRegistry([(s) => raw.setSecret(s)], { encodings: false })
  const line = (m: string): string => printable(secrets.redact(m))
  const props = (p: AnnotationProps | undefined): AnnotationProps | undefined =>
    p === undefined ? undefined : p.title === undefined ? p : { ...p, title: line(p.title) }
  const outputSizes = new Map<string, number>()
  let summaryUsed = 0
  let summaryFull = false

  const safe: ActionsRuntime = {
    getInput: (name) => raw.getInput(name),
    setSecret: (s) => secrets.add(s),
    info: (m) => raw.info(printableLines(line(m))),
    infoLines: (t) => raw.infoLines(printableLines(secrets.redact(t))),
    debug: (m) => raw.debug(line(m)),
    warning: (m, p) => raw.warning(line(m), props(p)),
    error: (m, p) => raw.error(line(m), props(p)),
    notice: (m, p) => raw.notice(line(m), props(p)),
    setFailed: (m) => raw.setFailed(line(m)),
    setOutput: (name, value) => {
      const others = [...outputSizes].reduce((n, [k, v]) => (k === name ? n : n + v), 0)
      const room = Math.max(0, Math.min(OUTPUT_VALUE_LIMIT, OUTPUTS_LIMIT - others))
      const kept = value.length <= room ? value : cutUtf16(value, room)
      outputSizes.set(name, kept.length)
      if (kept !== value) {
        raw.warning(
          line(
            `output ${name} is ${value.length.toLocaleString('en-US')} characters, more than a step's outputs may hold: ` +
              `it was cut to ${kept.length.toLocaleString('en-US')}`
          )
        )
      }
      raw.setOutput(name, kept)
    },
    appendSummary: async (markdown) => {
      if (summaryFull) return
      const text = secrets.redact(markdown)
      // + 1: @actions/core ends every append with a line break.
      const size = sizeOf(text, 'bytes') + 1
      if (summaryUsed + size <= STEP_SUMMARY_LIMIT) {
        summaryUsed += size
        await raw.appendSummary(text)
        return
      }
      summaryFull = true
      const room = STEP_SUMMARY_LIMIT - summaryUsed - 1
      const cut = truncateMarkdown(text, room, { unit: 'bytes', suffix: SUMMARY_CUT_NOTE })
      raw.warning("the job summary reached GitHub's limit of 1 MiB per step: the rest of it was cut")
      if (sizeOf(cut, 'bytes') <= room && cut.trim() !== '') {
        summaryUsed += sizeOf(cut, 'bytes') + 1
        await raw.appendSummary(cut)
      }
    },
    getIDToken: (aud) => raw.getIDToken(aud),
    env: raw.env,
    cwd: raw.cwd
  }
  guarded.add(safe)
  return safe
}

/** The first `max` UTF-16 code units of `text`, never splitting a surrogate pair. */
function cutUtf16(text: string, max: number): string {
  if (max <= 0) return ''
  const end = /[\ud800-\udbff]/.test(text.charAt(max - 1)) ? max - 1 : max
  return text.slice(0, end)
}
