import * as z from 'zod/mini'
import '../util/zod.js' // zod set up (messages, jitless) before this module builds a schema
import { SpaceOpsError } from '../util/errors.js'
import { splitPatterns } from '../core/paths.js'
import { checkSpaceId } from '../client/space-id.js'
import { parseDuration, parseLockTimeout } from '../util/duration.js'
import type { ActionsRuntime } from '../github/actions.js'
import type { SecretRegistry } from '../util/secrets.js'
import { GATE_ON, KEEP_CONVERSATIONS, REPORT_FORMATS, STRATEGIES, parseProbability } from '../benchmark/options.js'
import { parsePreviewAge } from '../preview/age.js'

/**
 * The action's inputs (action.yml), read once and validated with zod (zod/mini: built at every start). Every input is kebab-case;
 * booleans accept true/false (any case) as @actions/core does; numbers are checked here so a typo
 * fails the step with one line naming the input.
 */
export const MODES = ['validate', 'diff', 'push', 'snapshot', 'benchmark', 'promote', 'drift', 'restore', 'preview', 'preview-cleanup'] as const

/** An input read by `read` (the raw text; `fail` rejects it with a one-line message naming the input). */
const input = <T>(read: (v: string, fail: (message: string) => never) => T) =>
  z.pipe(
    z.string(),
    z.transform((v: string, ctx) =>
      read(v, (message) => {
        ctx.issues.push({ code: 'custom', message, input: v })
        return z.NEVER
      })
    )
  )

const bool = (name: string) =>
  input((v, fail) => {
    const t = v.trim().toLowerCase()
    if (t === '') return undefined
    if (t === 'true') return true
    if (t === 'false') return false
    return fail(`input ${name} must be true or false, not "${v}"`)
  })

const fraction = (name: string) =>
  input((v, fail) => {
    const t = v.trim()
    if (t === '') return undefined
    const n = Number(t.endsWith('%') ? t.slice(0, -1) : t) / (t.endsWith('%') ? 100 : 1)
    if (!Number.isFinite(n) || n < 0 || n > 1) return fail(`input ${name} must be a number between 0 and 1 (or a percentage), not "${v}"`)
    return n
  })

const text = input((v) => (v.trim() === '' ? undefined : v.trim()))

/** Variable names the promotion config may read (newline or comma separated). */
const names = (name: string) =>
  input((v, fail) => {
    const list = v
      .split(/[\n,]/)
      .map((s) => s.trim())
      .filter(Boolean)
    const bad = list.find((n) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n))
    if (bad !== undefined) return fail(`input ${name}: "${bad}" is not a variable name (letters, digits and _, e.g. DEV_CATALOG)`)
    return list
  })

/** A check that throws a one-line SpaceOpsError, as a zod transform of a trimmed, optional input. */
const checked = <T>(check: (v: string) => T) =>
  input((v, fail) => {
    const t = v.trim()
    if (t === '') return undefined
    try {
      return check(t)
    } catch (err) {
      return fail(err instanceof Error ? err.message : String(err))
    }
  })

/** newline- or comma-separated items */
const items = (v: string) =>
  v
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean)
const list = input(items)

const positive = (name: string, options: { integer?: boolean } = {}) =>
  input((v, fail) => {
    const t = v.trim()
    if (t === '') return undefined
    const n = Number(t)
    if (!Number.isFinite(n) || n <= 0 || (options.integer && !Number.isInteger(n))) {
      return fail(`input ${name} must be a positive ${options.integer ? 'whole ' : ''}number, not "${v}"`)
    }
    return n
  })

const oneOf = <T extends string>(name: string, values: readonly T[]) =>
  input((v, fail) => {
    const t = v.trim().toLowerCase()
    if (t === '') return undefined
    if ((values as readonly string[]).includes(t)) return t as T
    return fail(`input ${name} must be ${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}, not "${v}"`)
  })

const oneOfEach = <T extends string>(name: string, values: readonly T[]) =>
  input((v, fail) => {
    const list = items(v)
    const bad = list.find((i) => !(values as readonly string[]).includes(i.toLowerCase()))
    if (bad !== undefined) return fail(`input ${name} must list ${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}, not "${bad}"`)
    return list.map((i) => i.toLowerCase() as T)
  })

const InputsSchema = z.object({
  mode: input((v) => v.trim().toLowerCase()),
  definition: input(splitPatterns),
  'target-env': text,
  config: text,
  'config-variables': names('config-variables'),
  'min-accuracy': fraction('min-accuracy'),
  benchmark: text,
  'space-id': checked((v) => checkSpaceId(v, 'input space-id')),
  'warehouse-id': text,
  host: text,
  token: text,
  'client-id': text,
  'client-secret': text,
  'github-token': text,
  comment: bool('comment'),
  'dry-run': bool('dry-run'),
  force: bool('force'),
  'skip-preflight': bool('skip-preflight'),
  limits: text,
  preflight: bool('preflight'),
  'all-spaces': bool('all-spaces'),
  'fail-on-drift': bool('fail-on-drift'),
  'state-path': text,
  plan: text,
  'lock-timeout': checked((v) => parseLockTimeout(v, 'input lock-timeout')),
  /** milliseconds: one API call, retries included */
  timeout: checked((v) => parseDuration(v, 'input timeout')),
  /** milliseconds: every call of the step */
  'run-timeout': checked((v) => parseDuration(v, 'input run-timeout')),
  // push
  'parent-path': text,
  title: text,
  // promote
  'post-deploy-gate': bool('post-deploy-gate'),
  'write-ids': bool('write-ids'),
  'skip-benchmark': bool('skip-benchmark'),
  'backup-dir': text,
  // restore
  backup: text,
  // benchmark
  'benchmark-strategy': oneOf('benchmark-strategy', STRATEGIES),
  'questions-per-minute': positive('questions-per-minute'),
  concurrency: positive('concurrency', { integer: true }),
  baseline: text,
  'max-regression': fraction('max-regression'),
  'regression-p': checked((v) => parseProbability(v, 'input regression-p')),
  trend: list,
  repeat: positive('repeat', { integer: true }),
  'gate-on': oneOf('gate-on', GATE_ON),
  'keep-conversations': oneOf('keep-conversations', KEEP_CONVERSATIONS),
  reports: list,
  'report-format': oneOfEach('report-format', REPORT_FORMATS),
  // preview
  'preview-max-questions': positive('preview-max-questions', { integer: true }),
  /** milliseconds */
  'preview-max-age': checked((v) => parsePreviewAge(v, 'input preview-max-age'))
})

export type ActionInputs = z.output<typeof InputsSchema>

/** Every input the action reads (each declared in action.yml). */
export const INPUT_NAMES: readonly string[] = Object.keys(InputsSchema.shape)

export function readInputs(rt: ActionsRuntime, secrets: SecretRegistry): ActionInputs {
  const raw: Record<string, string> = {}
  for (const key of Object.keys(InputsSchema.shape)) raw[key] = rt.getInput(key)
  // Secrets are masked before anything else can print them.
  for (const key of ['token', 'client-secret', 'github-token']) secrets.add(raw[key]?.trim())
  if (!raw.mode?.trim()) raw.mode = 'validate'
  if (!raw.definition?.trim()) raw.definition = 'spaces/**/space.yaml'
  const parsed = InputsSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new SpaceOpsError(issue ? issue.message : 'invalid inputs')
  }
  return parsed.data
}
