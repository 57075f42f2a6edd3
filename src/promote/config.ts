import { NEUTRAL_NAMES, viaOption, type Names } from '../core/names.js'
import { existsSync } from 'node:fs'
import { readTextFile } from '../core/files.js'
import { checkSpaceId } from '../client/genie.js'
import path from 'node:path'
import { z } from 'zod'
import { parseYaml, type SourceMap } from '../model/source.js'
import { describeIssues } from '../model/schema-issues.js'
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
  spaces: z.record(z.string(), SpaceSettings).optional().describe('Per space, keyed by the definition folder name')
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
  if (!existsSync(path.resolve(cwd, file))) throw new SpaceOpsError(`no such file (the promotion config${viaOption(names, 'config', '; name another with ')})`, { location: { file } })
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
function refuseProtoKeys(value: unknown, at: Path, where: (p: Path) => { file: string; line?: number; col?: number }): void {
  if (Array.isArray(value)) value.forEach((v, i) => refuseProtoKeys(v, [...at, i], where))
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '__proto__') throw new SpaceOpsError('"__proto__" is not allowed as a key', { location: where([...at, k]) })
      refuseProtoKeys(v, [...at, k], where)
    }
  }
}

export function parsePromotionConfig(file: string, text: string): PromotionConfig {
  const { value, map } = parseYaml(file, text)
  const at = (p: Path, prefer: 'key' | 'value' = 'value') => ({ file, ...(map.locate(p, prefer) ?? {}) })
  refuseProtoKeys(value, [], (p) => at(p, 'key'))
  const result = PromotionConfigSchema.safeParse(value ?? {})
  if (!result.success) {
    const issue = describeIssues(result.error.issues, value, (schemaJson ??= z.toJSONSchema(PromotionConfigSchema)), 'the config')[0]
    const pos = issue ? map.locate(issue.path, issue.atKey ? 'key' : 'value') : undefined
    throw new SpaceOpsError(issue?.message ?? 'invalid promotion config', { location: { file, ...(pos ?? {}) } })
  }
  const cfg = result.data
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
    if (!ENV_NAME.test(name)) {
      throw new SpaceOpsError(`environment name "${name}" must be lowercase letters, digits, "-" and "_", starting with a letter (e.g. dev, stage-1)`, { location: at(['environments', name], 'key') })
    }
    // looked up as own keys here; refused anyway so no record keyed by environment elsewhere can confuse it
    if (name in Object.prototype) throw new SpaceOpsError(`environment name "${name}" is reserved; choose another`, { location: at(['environments', name], 'key') })
    const other = stems.get(envStem(name))
    if (other !== undefined) {
      throw new SpaceOpsError(`environments "${other}" and "${name}" would share the variables ${hostVar(name)}, ${envStem(name)}_WAREHOUSE_ID, …: rename one`, { location: at(['environments', name], 'key') })
    }
    stems.set(envStem(name), name)
    checkHost(name, environments[name]?.host, (p) => at(['environments', name, ...p]))
  }
  const seen = new Set<string>()
  cfg.promotion_order.forEach((env, i) => {
    const loc = at(['promotion_order', i])
    if (seen.has(env)) throw new SpaceOpsError(`environment "${env}" is listed twice in promotion_order`, { location: loc })
    seen.add(env)
    if (!Object.hasOwn(environments, env)) throw new SpaceOpsError(`promotion_order names "${env}" but environments has no "${env}"`, { location: loc })
  })
  return { file, order: cfg.promotion_order, environments, source: map, text }
}

/** The workflow variable that holds an environment's host. */
export const hostVar = (env: string) => `DATABRICKS_${envStem(env)}_HOST`

/**
 * A config `host` may be exactly `${DATABRICKS_<ENV>_HOST}` (its own environment's) or a literal
 * host (checked against the workflow's when connecting). Anything else is refused here, offline.
 */
function checkHost(env: string, host: string | undefined, at: (p: Path) => { file: string }): void {
  if (host === undefined || host === `\${${hostVar(env)}}`) return
  const rule = `hosts come from the workflow: write host: \${${hostVar(env)}} (or leave host out) and set ${hostVar(env)} in the workflow`
  if (host.includes('$')) throw new SpaceOpsError(`environments.${env}.host must be exactly \${${hostVar(env)}}, not "${host}"; ${rule}`, { location: at(['host']) })
  try {
    normalizeHost(host)
  } catch (err) {
    if (err instanceof SpaceOpsError) throw new SpaceOpsError(`environments.${env}.host: ${err.message}`, { location: at(['host']) })
    throw err
  }
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
export const CREDENTIAL_VAR = /(TOKEN|SECRET|PASS|PWD|PRIVATE|CREDENTIAL|(^|_)KEY($|_)|API_?KEY|(^|_)PAT($|_)|JWT|AUTH|WEBHOOK|COOKIE|SESSION|SIGNATURE|(^|_)CERT|(^|_)DSN($|_)|CONNECTION_STRING)/i

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

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
  let out = ''
  let i = 0
  for (;;) {
    const start = value.indexOf('${', i)
    if (start === -1) break
    out += value.slice(i, start)
    const name = NAME.exec(value.slice(start + 2))?.[0]
    let j = start + 2 + (name?.length ?? 0)
    let fallback: string | undefined
    if (name && value.startsWith(':-', j)) {
      const close = value.indexOf('}', j + 2)
      fallback = close === -1 ? undefined : value.slice(j + 2, close)
      if (fallback?.includes('${') || (close === -1 && value.indexOf('${', j) !== -1)) fail(`${label}: a default is literal text; \${…} inside \${${name}:-…} is not expanded (nested references are not supported)`)
      j = close
    }
    if (!name || value[j] !== '}') fail(`${label}: "\${" is not a complete \${VARIABLE} reference`)
    const ref = name as string
    if (!policy.allow(ref)) fail(`\${${ref}} ${policy.refusal(ref)} (${label})`)
    const v = policy.vars[ref]
    if (v !== undefined && v !== '') {
      if (CONTROL.test(v)) fail(`the value of ${ref} contains a newline or another control character; it cannot be used in the promotion config (${label})`)
      if (v.includes('${')) fail(`the value of ${ref} contains "\${"; values are not expanded again (${label})`)
      if (policy.isSecret(v)) fail(`the value of ${ref} holds a secret SpaceOps knows (a token or client secret); secrets are never expanded into the promotion config (${label})`)
      out += v
    } else if (fallback !== undefined) out += fallback
    else fail(`environment variable ${ref} is not set (needed by ${label})`)
    i = j + 1
  }
  out += value.slice(i)
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
}

/** The raw config of an environment, looked up as an own property (never `constructor` & co.). */
export function environmentConfig(config: PromotionConfig, name: string): EnvironmentConfig {
  const raw = Object.hasOwn(config.environments, name) ? config.environments[name] : undefined
  if (!raw) {
    throw new SpaceOpsError(`unknown environment "${name}": the config defines ${Object.keys(config.environments).join(', ')}`, { location: { file: config.file } })
  }
  return raw
}

/** One environment with every `${VAR}` expanded (only this environment's: others may lack theirs). `host` is not expanded: see connectionFor. */
export function resolveEnvironment(config: PromotionConfig, name: string, policy: ExpansionPolicy): ResolvedEnvironment {
  const raw = environmentConfig(config, name)
  const base: Path = ['environments', name]
  const x = (v: string | undefined, p: Path) => (v === undefined ? undefined : expandVars(v, policy, { file: config.file, source: config.source, path: [...base, ...p] }))
  const mapping = (m: Record<string, string> | undefined, key: string) => dict(Object.entries(m ?? {}).map(([k, v]) => [x(k, [key, k]) as string, x(v, [key, k]) as string] as const))
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
    mappings: { catalogs: mapping(raw.catalog_mappings, 'catalog_mappings'), schemas: mapping(raw.schema_mappings, 'schema_mappings'), tables: mapping(raw.table_mappings, 'table_mappings') },
    spaces
  }
  for (const field of ['warehouse_id', 'parent_path', 'space_id', 'state_path'] as const) {
    const v = x(raw[field], [field])
    if (v !== undefined && v !== '' && field === 'space_id') checkConfigSpaceId(config, v, [...base, field])
    if (v !== undefined && v !== '') resolved[field] = v
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
