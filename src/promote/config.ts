import { NEUTRAL_NAMES, viaOption, type Names } from '../core/names.js'
import { existsSync } from 'node:fs'
import { readTextFile } from '../core/files.js'
import { checkSpaceId } from '../client/space-id.js'
import path from 'node:path'
import { z } from 'zod'
import { parseYaml, type SourceMap } from '../model/source.js'
import { GrantEntry, canonicalGrants, grantProblems, principalOf, type Grant } from '../model/permissions.js'
import { describeIssues } from '../model/schema-issues.js'
import { suggest } from '../model/didyoumean.js'
import { inFileOrder, type Problem } from '../model/problems.js'
import { notTouched, recoverParse, type Recovered } from '../model/recover.js'
import { normalizeName } from '../sql/names.js'
import type { Path } from '../model/space.js'
import { normalizeHost } from '../client/hosts.js'
import { SpaceOpsError } from '../util/errors.js'
import type { SecretRegistry } from '../util/secrets.js'

/**
 * The promotion config (`config/promotion.yaml`), compatible with the original SpaceOps
 * (`promotion_order`, `environments.<env>` with `host`, `warehouse_id`, `space_id`,
 * `table_mappings`) and extended with `${VAR}` expansion, per-environment `parent_path`, per-space
 * ids (`spaces.<folder name>`), and catalog / schema mappings.
 *
 * Trust: hosts and credentials come from the workflow, never from the repository.
 * - `host` may only NAME the environment's own workflow host: exactly `${DATABRICKS_<ENV>_HOST}`,
 *   or a literal that is checked against the host the workflow gives (a check, never a source);
 *   anything else (text around a reference, a `:-default`, another environment's variable) is an
 *   error at parse time. `host` is never expanded: `connectionFor` decides the host.
 * - `${VAR}` elsewhere expands under an `ExpansionPolicy` that each face decides (the action: an
 *   allowlist; the CLI: its environment minus credential-looking names). Values that hold a known
 *   secret, a control character or `${` are refused.
 * - Environment names are `[a-z][a-z0-9_-]*`, map to distinct variable names, and are looked up as
 *   own properties only (every record here has no prototype).
 */
const Mapping = z.record(z.string(), z.string())

const SpaceSettings = z.strictObject({
  space_id: z.string().optional(),
  title: z.string().optional(),
  warehouse_id: z.string().optional(),
  parent_path: z.string().optional()
})

const Environment = z.strictObject({
  host: z.string().optional().describe('Exactly ${DATABRICKS_<ENV>_HOST} (the workflow gives the host), or leave it out'),
  warehouse_id: z.string().optional(),
  parent_path: z.string().optional(),
  space_id: z.string().optional().describe('For a repository with one space (the original format)'),
  state_path: z.string().optional().describe('Workspace folder of the deploy records and the deploy lock (default: <parent_path>/.spaceops)'),
  catalog_mappings: Mapping.optional(),
  schema_mappings: Mapping.optional(),
  table_mappings: Mapping.optional(),
  spaces: z.record(z.string(), SpaceSettings).optional().describe('Per space, keyed by the definition folder name'),
  preview: z.boolean().optional().describe('Pull-request previews are deployed here (only the first environment of promotion_order may be)'),
  permissions: z.array(GrantEntry).optional().describe("The spaces' direct grants in this environment (replaces the definitions' lists); names may use ${VAR}")
})

export const PromotionConfigSchema = z.strictObject({
  promotion_order: z.array(z.string()).min(1),
  environments: z.record(z.string(), Environment)
})

export type EnvironmentConfig = z.infer<typeof Environment>
export type SpaceSettings = z.infer<typeof SpaceSettings>

export interface PromotionConfig {
  file: string
  order: string[]
  /** raw (unexpanded) environments, as written; no prototype: look names up with Object.hasOwn */
  environments: Record<string, EnvironmentConfig>
  source: SourceMap
  text: string
}

let schemaJson: object | undefined

export async function loadPromotionConfig(file: string, cwd: string = process.cwd(), names: Names = NEUTRAL_NAMES): Promise<PromotionConfig> {
  // one reader for every input file: regular files only, size-capped, strict UTF-8
  if (!existsSync(path.resolve(cwd, file)))
    throw new SpaceOpsError(`no such file (the promotion config${viaOption(names, 'config', '; name another with ')})`, { location: { file } })
  return parsePromotionConfig(file, await readTextFile(file, { cwd }))
}

/** Environment names: lowercase, so each maps to one variable name (`stage-1` → `STAGE_1`). */
export const ENV_NAME = /^[a-z][a-z0-9_-]*$/

/** The variable-name stem of an environment: `stage-1` → `STAGE_1` (DATABRICKS_STAGE_1_HOST, STAGE_1_WAREHOUSE_ID). */
export const envStem = (env: string) => env.toUpperCase().replace(/-/g, '_')

/** A record with no prototype: `constructor`, `toString`, … are only what the file says. */
export function dict<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const out = Object.create(null) as Record<string, T>
  for (const [k, v] of entries) out[k] = v
  return out
}

/** `__proto__` as a key is dropped or turned into a prototype by every parser downstream: refuse it. */
function protoKeys(value: unknown, at: Path, found: Path[] = []): Path[] {
  if (Array.isArray(value)) value.forEach((v, i) => protoKeys(v, [...at, i], found))
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '__proto__') found.push([...at, k])
      else protoKeys(v, [...at, k], found)
    }
  }
  return found
}

/** What checkPromotionConfig found: the config when it has no error, and every problem, located. */
export interface PromotionConfigCheck {
  config?: PromotionConfig
  problems: Problem[]
}

/**
 * The promotion config checked offline, every problem at once (what `validate` reports): YAML,
 * schema (unknown keys with "did you mean", types), environment names, hosts, promotion_order,
 * `${VAR}` syntax (nothing is expanded, no variable need be set), literal space ids, and the shape
 * of mappings; in the order of the file. The same checks as parsePromotionConfig, which throws
 * the first error.
 */
export function checkPromotionConfig(file: string, text: string): PromotionConfigCheck {
  let parsed
  try {
    parsed = parseYaml(file, text)
  } catch (err) {
    if (!(err instanceof SpaceOpsError)) throw err
    return { problems: [{ severity: 'error', rule: 'syntax', file, message: err.message, ...err.location }] }
  }
  const { value, map } = parsed
  const problems: Problem[] = []
  const report = (rule: string, p: Path, message: string, prefer: 'key' | 'value' = 'value', severity: Problem['severity'] = 'error') =>
    problems.push({ severity, rule, message, file, ...(map.locate(p, prefer) ?? {}), path: p.join('.') })
  const protos = protoKeys(value, [])
  for (const p of protos) report('proto-key', p, '"__proto__" is not allowed as a key', 'key')
  if (protos.length) return { problems: inFileOrder(problems) }
  if (value === undefined || value === null) {
    return {
      problems: [
        { severity: 'error', rule: 'empty', file, line: 1, col: 1, message: 'the file is empty: a promotion config needs promotion_order and environments' }
      ]
    }
  }
  let cfg: z.output<typeof PromotionConfigSchema> | undefined
  let repaired: Recovered<unknown> | undefined
  const result = PromotionConfigSchema.safeParse(value)
  if (result.success) cfg = result.data
  else {
    for (const issue of describeIssues(result.error.issues, value, (schemaJson ??= z.toJSONSchema(PromotionConfigSchema)), 'the config')) {
      report(issue.rule, issue.path, issue.message, issue.atKey ? 'key' : 'value')
    }
    // the rest is checked on what the schema could be repaired to (model/recover.ts)
    repaired = recoverParse(PromotionConfigSchema, value, result.error.issues)
    cfg = repaired.data as typeof cfg
    if (!cfg) return { problems: inFileOrder(problems) }
  }
  const schemaProblems = problems.length
  const environments = dict(
    Object.entries(cfg.environments).map(([name, e]) => {
      const copy: EnvironmentConfig = { ...e }
      if (e.spaces) copy.spaces = dict(Object.entries(e.spaces))
      for (const m of ['catalog_mappings', 'schema_mappings', 'table_mappings'] as const) if (e[m]) copy[m] = dict(Object.entries(e[m]))
      return [name, copy] as const
    })
  )
  const stems = new Map<string, string>()
  for (const name of Object.keys(environments)) {
    const key: Path = ['environments', name]
    if (!ENV_NAME.test(name)) {
      report(
        'environment-name',
        key,
        `environment name "${name}" must be lowercase letters, digits, "-" and "_", starting with a letter (e.g. dev, stage-1)`,
        'key'
      )
      continue
    }
    // looked up as own keys here; refused anyway so no record keyed by environment elsewhere can confuse it
    if (name in Object.prototype) {
      report('environment-name', key, `environment name "${name}" is reserved; choose another`, 'key')
      continue
    }
    const other = stems.get(envStem(name))
    if (other !== undefined)
      report(
        'environment-name',
        key,
        `environments "${other}" and "${name}" would share the variables ${hostVar(name)}, ${envStem(name)}_WAREHOUSE_ID, …: rename one`,
        'key'
      )
    stems.set(envStem(name), name)
    const env = environments[name] as EnvironmentConfig
    const hostProblem = checkHost(name, env.host)
    if (hostProblem) report('host', [...key, 'host'], hostProblem)
    checkEnvironmentValues(env, key, report)
    for (const p of grantProblems(env.permissions ?? [])) {
      report(
        'permissions',
        [...key, 'permissions', p.index, ...(p.key ? [p.key] : [])],
        `environments.${name}.permissions[${p.index}]: ${p.message}`,
        p.key ? 'value' : 'key'
      )
    }
  }
  const seen = new Set<string>()
  // environments replaced as a whole by the repair: promotion_order cannot be checked against them
  const envsRepaired = !!repaired?.touched.some((t) => t.length === 1 && t[0] === 'environments')
  if (!envsRepaired)
    cfg.promotion_order.forEach((env, i) => {
      const at: Path = ['promotion_order', i]
      if (seen.has(env)) report('promotion-order', at, `environment "${env}" is listed twice in promotion_order`)
      else if (!Object.hasOwn(environments, env)) {
        const s = suggest(env, Object.keys(environments))
        report('promotion-order', at, `promotion_order names "${env}" but environments has no "${env}"${s ? ` (did you mean "${s}"?)` : ''}`)
      }
      seen.add(env)
    })
  for (const name of Object.keys(environments)) {
    if (!seen.has(name) && ENV_NAME.test(name))
      report('promotion-order', ['environments', name], `environment "${name}" is not in promotion_order: nothing can be promoted to it`, 'key', 'warning')
  }
  checkPreviewEnvironment(cfg.promotion_order, environments, report)
  // a problem the checks after the schema found at a place the repair changed is its artefact (a
  // dropped unknown key changes nothing these checks look at)
  if (repaired)
    problems.splice(schemaProblems, problems.length, ...problems.slice(schemaProblems).filter(notTouched({ touched: repaired.touched, keysDropped: [] })))
  const config = { file, order: cfg.promotion_order, environments, source: map, text }
  return { ...(problems.some((p) => p.severity === 'error') ? {} : { config }), problems: inFileOrder(problems) }
}

export function parsePromotionConfig(file: string, text: string): PromotionConfig {
  const { config, problems } = checkPromotionConfig(file, text)
  const errors = problems.filter((p) => p.severity === 'error')
  const first = errors[0]
  if (config && !first) return config
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more; run spaceops validate ${file})` : ''
  const location = { file, ...(first?.line !== undefined ? { line: first.line } : {}), ...(first?.col !== undefined ? { col: first.col } : {}) }
  throw new SpaceOpsError(`${first?.message ?? 'invalid promotion config'}${more}`, { location })
}

type Report = (rule: string, p: Path, message: string, prefer?: 'key' | 'value', severity?: Problem['severity']) => void

/** How many dotted parts a mapping's names may have, per section (see sql/remap.ts). */
const MAPPING_PARTS = { catalog_mappings: [1], schema_mappings: [1, 2], table_mappings: [2, 3] } as const
const MAPPING_NAMES = {
  catalog_mappings: 'a catalog (main)',
  schema_mappings: 'a schema (main.sales, or sales)',
  table_mappings: 'a table (main.sales.orders, or sales.orders)'
} as const

/** `${VAR}` syntax of every value (and mapping key), literal space ids, mapping shapes: all offline. */
function checkEnvironmentValues(env: EnvironmentConfig, base: Path, report: Report): void {
  const text = (v: string | undefined, p: Path, prefer: 'key' | 'value' = 'value') => {
    if (v === undefined) return
    const scanned = scanVars(v)
    if ('error' in scanned) return report('variable', p, `${p.join('.')}: ${scanned.error}`, prefer)
    for (const part of scanned.parts) {
      if (typeof part !== 'string' && CREDENTIAL_VAR.test(part.name)) {
        report(
          'variable',
          p,
          `\${${part.name}} looks like a credential: the CLI never expands such names, and a secret value is refused everywhere (${p.join('.')})`,
          prefer,
          'warning'
        )
      }
    }
  }
  const spaceId = (v: string | undefined, p: Path) => {
    if (v === undefined || v === '' || v.includes('${')) return
    try {
      checkSpaceId(v, p.join('.'))
    } catch (err) {
      if (err instanceof SpaceOpsError) report('space-id', p, err.message)
      else throw err
    }
  }
  for (const field of ['warehouse_id', 'parent_path', 'space_id', 'state_path'] as const) text(env[field], [...base, field])
  spaceId(env.space_id, [...base, 'space_id'])
  for (const [key, s] of Object.entries(env.spaces ?? {})) {
    for (const field of ['space_id', 'title', 'warehouse_id', 'parent_path'] as const) text(s[field], [...base, 'spaces', key, field])
    spaceId(s.space_id, [...base, 'spaces', key, 'space_id'])
  }
  for (const [i, g] of (env.permissions ?? []).entries()) {
    for (const field of ['user_name', 'group_name', 'service_principal_name'] as const) text(g[field], [...base, 'permissions', i, field])
  }
  for (const section of ['catalog_mappings', 'schema_mappings', 'table_mappings'] as const) {
    for (const [from, to] of Object.entries(env[section] ?? {})) {
      const p: Path = [...base, section, from]
      text(from, p, 'key')
      text(to, p)
      const parts = (name: string) => (name.trim() ? normalizeName(name).split('.') : [''])
      const allowed: readonly number[] = MAPPING_PARTS[section]
      const f = parts(from)
      const t = parts(to)
      // an error: sql/remap.ts never applies such a key, so the mapping would silently do nothing
      if (f.some((x) => !x) || !allowed.includes(f.length))
        report('mapping', p, `${base.join('.')}.${section}: "${from}" is not ${MAPPING_NAMES[section]}, so it never applies`, 'key')
      else if (t.some((x) => !x)) report('mapping', p, `${p.join('.')}: "${to}" is not a name to map to`)
      // a warning: remap does replace the parts with what is given, so it may be meant
      else if (t.length !== f.length)
        report(
          'mapping',
          p,
          `${p.join('.')}: maps the ${f.length}-part name "${from}" to the ${t.length}-part "${to}"; names rewritten by it change their number of parts (write as many parts on both sides)`,
          'value',
          'warning'
        )
    }
  }
}

/**
 * Previews (pull-request versions of spaces, deployed as temporary spaces) go to the environment
 * marked `preview: true`, else to the first of promotion_order. Only the first may be marked: a
 * preview in stage or prod would put an unreviewed pull request where reviewed work lives.
 */
function checkPreviewEnvironment(order: readonly string[], environments: Record<string, EnvironmentConfig>, report: Report): void {
  for (const [name, e] of Object.entries(environments)) {
    if (e.preview !== true || name === order[0]) continue
    const where = order.includes(name) ? `comes after ${order[0]} in promotion_order` : 'is not the first environment of promotion_order'
    report(
      'preview',
      ['environments', name, 'preview'],
      `environments.${name}.preview: ${name} ${where}; previews of pull requests may only go to the first environment (${order[0]})`,
      'key'
    )
  }
}

/** The environment previews are deployed to: the one marked `preview: true`, else the first of promotion_order. */
export function previewEnvironment(config: PromotionConfig): string {
  const marked = config.order.find((env) => environmentConfig(config, env).preview === true)
  return marked ?? (config.order[0] as string)
}

/** The workflow variable that holds an environment's host. */
export const hostVar = (env: string) => `DATABRICKS_${envStem(env)}_HOST`

/**
 * A config `host` may be exactly `${DATABRICKS_<ENV>_HOST}` (its own environment's) or a literal
 * host (checked against the workflow's when connecting). Anything else is refused here, offline.
 */
function checkHost(env: string, host: string | undefined): string | undefined {
  if (host === undefined || host === `\${${hostVar(env)}}`) return undefined
  const rule = `hosts come from the workflow: write host: \${${hostVar(env)}} (or leave host out) and set ${hostVar(env)} in the workflow`
  if (host.includes('$')) return `environments.${env}.host must be exactly \${${hostVar(env)}}, not "${host}"; ${rule}`
  try {
    normalizeHost(host)
  } catch (err) {
    if (err instanceof SpaceOpsError) return `environments.${env}.host: ${err.message}`
    throw err
  }
  return undefined
}

/**
 * How `${VAR}` expands — decided by each face (the action, the CLI), never by the config:
 * `allow` says whether the config may read a variable at all (asked before its value is looked at),
 * `refusal` says why not and how to allow it, `isSecret` recognises values that are credentials.
 */
export interface ExpansionPolicy {
  vars: Readonly<Record<string, string | undefined>>
  allow: (name: string) => boolean
  /** the end of the error for a refused name, e.g. "add it to config-variables" */
  refusal: (name: string) => string
  isSecret: (value: string) => boolean
}

/** The per-environment variables every face lets a config read: DATABRICKS_<ENV>_HOST, <ENV>_WAREHOUSE_ID, <ENV>_PARENT_PATH. */
export function documentedVariables(config: PromotionConfig): Set<string> {
  const out = new Set<string>()
  for (const env of Object.keys(config.environments)) for (const v of [hostVar(env), `${envStem(env)}_WAREHOUSE_ID`, `${envStem(env)}_PARENT_PATH`]) out.add(v)
  return out
}

/**
 * Variable names that look like credentials. The CLI (which otherwise expands its whole
 * environment) never expands them; a guard beside the value checks, not a replacement for them.
 */
export const CREDENTIAL_VAR =
  /(TOKEN|SECRET|PASS|PWD|PRIVATE|CREDENTIAL|(^|_)KEY($|_)|API_?KEY|(^|_)PAT($|_)|JWT|AUTH|WEBHOOK|COOKIE|SESSION|SIGNATURE|(^|_)CERT|(^|_)DSN($|_)|CONNECTION_STRING)/i

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

/** One string split into literal text and `${NAME}` / `${NAME:-default}` references; or why it cannot be. */
export type ScannedVars = { parts: (string | { name: string; fallback?: string })[] } | { error: string }

/**
 * The `${VAR}` syntax (one grammar for expanding and for checking offline): a default is literal
 * text, so `${A:-${B}}` is an error, as is a `${` that does not close a name.
 */
export function scanVars(value: string): ScannedVars {
  const parts: (string | { name: string; fallback?: string })[] = []
  let i = 0
  for (;;) {
    const start = value.indexOf('${', i)
    if (start === -1) break
    if (start > i) parts.push(value.slice(i, start))
    const name = NAME.exec(value.slice(start + 2))?.[0]
    let j = start + 2 + (name?.length ?? 0)
    let fallback: string | undefined
    if (name && value.startsWith(':-', j)) {
      const close = value.indexOf('}', j + 2)
      fallback = close === -1 ? undefined : value.slice(j + 2, close)
      if (fallback?.includes('${') || (close === -1 && value.indexOf('${', j) !== -1))
        return { error: `a default is literal text; \${…} inside \${${name}:-…} is not expanded (nested references are not supported)` }
      j = close
    }
    if (!name || value[j] !== '}') return { error: `"\${" is not a complete \${VARIABLE} reference` }
    parts.push(fallback !== undefined ? { name, fallback } : { name })
    i = j + 1
  }
  if (i < value.length) parts.push(value.slice(i))
  return { parts }
}

/**
 * Expand `${VAR}` / `${VAR:-default}` in one string under a policy. A default is literal text (so
 * `${A:-${B}}` is an error); a refused name, an unset variable or a refused value is an error at
 * its place, and the message never repeats the value.
 */
export function expandVars(value: string, policy: ExpansionPolicy, where: { file: string; source: SourceMap; path: Path }): string {
  const label = where.path.join('.')
  const fail = (message: string): never => {
    throw new SpaceOpsError(message, { location: { file: where.file, ...(where.source.locate(where.path) ?? {}) } })
  }
  const scanned = scanVars(value)
  if ('error' in scanned) return fail(`${label}: ${scanned.error}`)
  let out = ''
  for (const part of scanned.parts) {
    if (typeof part === 'string') {
      out += part
      continue
    }
    const ref = part.name
    if (!policy.allow(ref)) fail(`\${${ref}} ${policy.refusal(ref)} (${label})`)
    const v = policy.vars[ref]
    if (v !== undefined && v !== '') {
      if (CONTROL.test(v)) fail(`the value of ${ref} contains a newline or another control character; it cannot be used in the promotion config (${label})`)
      if (v.includes('${')) fail(`the value of ${ref} contains "\${"; values are not expanded again (${label})`)
      if (policy.isSecret(v))
        fail(`the value of ${ref} holds a secret SpaceOps knows (a token or client secret); secrets are never expanded into the promotion config (${label})`)
      out += v
    } else if (part.fallback !== undefined) out += part.fallback
    else fail(`environment variable ${ref} is not set (needed by ${label})`)
  }
  if (CONTROL.test(out)) fail(`${label} contains a newline or another control character`)
  return out
}

/**
 * `isSecret` for a policy: a value holding anything the registry knows (tokens and client secrets
 * of the inputs and flags, and of every DATABRICKS_*_TOKEN / DATABRICKS_*_CLIENT_SECRET variable,
 * registered here) is refused. "Holding" (not only "equal to"): a secret with text around it leaks too.
 */
export function knownSecrets(secrets: SecretRegistry, vars: Readonly<Record<string, string | undefined>>): (value: string) => boolean {
  for (const [k, v] of Object.entries(vars)) if (/^DATABRICKS_(?:[A-Z0-9_]+_)?(?:TOKEN|CLIENT_SECRET)$/.test(k)) secrets.add(v)
  return (value) => secrets.redact(value) !== value
}

export interface ResolvedEnvironment {
  name: string
  warehouse_id?: string
  parent_path?: string
  space_id?: string
  state_path?: string
  mappings: { catalogs: Record<string, string>; schemas: Record<string, string>; tables: Record<string, string> }
  spaces: Record<string, SpaceSettings>
  /** the environment's grants, names expanded, canonical (they replace the definitions' lists) */
  permissions?: Grant[]
}

/** The raw config of an environment, looked up as an own property (never `constructor` & co.). */
export function environmentConfig(config: PromotionConfig, name: string): EnvironmentConfig {
  const raw = Object.hasOwn(config.environments, name) ? config.environments[name] : undefined
  if (!raw) {
    throw new SpaceOpsError(`unknown environment "${name}": the config defines ${Object.keys(config.environments).join(', ')}`, {
      location: { file: config.file }
    })
  }
  return raw
}

/** One environment with every `${VAR}` expanded (only this environment's: others may lack theirs). `host` is not expanded: see connectionFor. */
export function resolveEnvironment(config: PromotionConfig, name: string, policy: ExpansionPolicy): ResolvedEnvironment {
  const raw = environmentConfig(config, name)
  const base: Path = ['environments', name]
  const x = (v: string | undefined, p: Path) =>
    v === undefined ? undefined : expandVars(v, policy, { file: config.file, source: config.source, path: [...base, ...p] })
  const mapping = (m: Record<string, string> | undefined, key: string) =>
    dict(Object.entries(m ?? {}).map(([k, v]) => [x(k, [key, k]) as string, x(v, [key, k]) as string] as const))
  const spaces = dict<SpaceSettings>([])
  for (const [key, s] of Object.entries(raw.spaces ?? {})) {
    const out: SpaceSettings = {}
    for (const field of ['space_id', 'title', 'warehouse_id', 'parent_path'] as const) {
      const v = x(s[field], ['spaces', key, field])
      if (v !== undefined && field === 'space_id') checkConfigSpaceId(config, v, [...base, 'spaces', key, field])
      if (v !== undefined) out[field] = v
    }
    spaces[key] = out
  }
  const resolved: ResolvedEnvironment = {
    name,
    mappings: {
      catalogs: mapping(raw.catalog_mappings, 'catalog_mappings'),
      schemas: mapping(raw.schema_mappings, 'schema_mappings'),
      tables: mapping(raw.table_mappings, 'table_mappings')
    },
    spaces
  }
  for (const field of ['warehouse_id', 'parent_path', 'space_id', 'state_path'] as const) {
    const v = x(raw[field], [field])
    if (v !== undefined && v !== '' && field === 'space_id') checkConfigSpaceId(config, v, [...base, field])
    if (v !== undefined && v !== '') resolved[field] = v
  }
  if (raw.permissions) {
    // principal names through the same ${VAR} policy as every other value; checked again once expanded
    const grants = raw.permissions.map((g, i) => {
      const p = principalOf(g)
      return { level: g.level, [p.kind]: x(p.name, ['permissions', i, p.kind]) } as Grant
    })
    for (const p of grantProblems(grants)) {
      const where = [...base, 'permissions', p.index, ...(p.key ? [p.key] : [])]
      throw new SpaceOpsError(`environments.${name}.permissions[${p.index}] (expanded): ${p.message}`, {
        location: { file: config.file, ...(config.source.locate(where) ?? {}) }
      })
    }
    resolved.permissions = canonicalGrants(grants)
  }
  return resolved
}

function checkConfigSpaceId(config: PromotionConfig, id: string, at: Path): void {
  checkSpaceId(id, at.join('.'), { file: config.file, ...(config.source.locate(at) ?? {}) })
}

/** The environment before `name` in promotion_order, if any. */
export function previousEnvironment(config: PromotionConfig, name: string): string | undefined {
  const i = config.order.indexOf(name)
  if (i === -1) throw new SpaceOpsError(`environment "${name}" is not in promotion_order (${config.order.join(' → ')})`, { location: { file: config.file } })
  return i > 0 ? config.order[i - 1] : undefined
}

/** The key of a definition in `spaces:`: its folder name (spaces/billing/space.yaml → billing). */
export function spaceKey(definitionFile: string): string {
  const base = path.basename(definitionFile)
  if (/^space\.ya?ml$/i.test(base)) return path.basename(path.dirname(path.resolve(definitionFile)))
  return base.replace(/\.geniespace\.json$/i, '').replace(/\.(ya?ml|json)$/i, '')
}

/** Settings of one space in one environment: per-space entries win over the environment's. */
export function spaceSettings(envc: ResolvedEnvironment, key: string, onlySpace: boolean): SpaceSettings {
  const s = (Object.hasOwn(envc.spaces, key) ? envc.spaces[key] : undefined) ?? {}
  const out: SpaceSettings = {}
  const spaceId = s.space_id ?? (onlySpace ? envc.space_id : undefined)
  if (spaceId) out.space_id = spaceId
  if (s.title) out.title = s.title
  const wh = s.warehouse_id ?? envc.warehouse_id
  if (wh) out.warehouse_id = wh
  const pp = s.parent_path ?? envc.parent_path
  if (pp) out.parent_path = pp
  return out
}
