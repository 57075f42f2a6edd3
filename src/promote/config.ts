import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import { parseYaml, type SourceMap } from '../model/source.js'
import { describeIssues } from '../model/schema-issues.js'
import type { Path } from '../model/space.js'
import { SpaceOpsError } from '../util/errors.js'

/**
 * The promotion config (`config/promotion.yaml`), compatible with the original SpaceOps
 * (`promotion_order`, `environments.<env>` with `host`, `warehouse_id`, `space_id`,
 * `table_mappings`) and extended with `${VAR}` expansion, per-environment `parent_path`, per-space
 * ids (`spaces.<folder name>`), and catalog / schema mappings.
 *
 * Trust: credentials and hosts come from the workflow, never from the repository. An environment's
 * credentials are read from `DATABRICKS_<ENV>_TOKEN` / `_CLIENT_ID` / `_CLIENT_SECRET` (falling back
 * to the action inputs and `DATABRICKS_*` for the target), and a `host` written in the config must
 * match a host the workflow provides (see `connectionFor`), so a pull request cannot send a token to
 * a host of its choosing.
 */
const Mapping = z.record(z.string(), z.string())

const SpaceSettings = z.strictObject({
  space_id: z.string().optional(),
  title: z.string().optional(),
  warehouse_id: z.string().optional(),
  parent_path: z.string().optional()
})

const Environment = z.strictObject({
  host: z.string().optional().describe('Must match the host the workflow gives (input host or DATABRICKS_<ENV>_HOST); usually ${DATABRICKS_<ENV>_HOST}'),
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
  /** raw (unexpanded) environments, as written */
  environments: Record<string, EnvironmentConfig>
  source: SourceMap
  text: string
}

let schemaJson: object | undefined

export async function loadPromotionConfig(file: string, cwd: string = process.cwd()): Promise<PromotionConfig> {
  let text: string
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new SpaceOpsError(code === 'ENOENT' ? 'no such file (the promotion config; pass --config or input config)' : `cannot read: ${(err as Error).message}`, { location: { file } })
  }
  return parsePromotionConfig(file, text)
}

export function parsePromotionConfig(file: string, text: string): PromotionConfig {
  const { value, map } = parseYaml(file, text)
  const result = PromotionConfigSchema.safeParse(value ?? {})
  if (!result.success) {
    const issue = describeIssues(result.error.issues, value, (schemaJson ??= z.toJSONSchema(PromotionConfigSchema)), 'the config')[0]
    const pos = issue ? map.locate(issue.path, issue.atKey ? 'key' : 'value') : undefined
    throw new SpaceOpsError(issue?.message ?? 'invalid promotion config', { location: { file, ...(pos ?? {}) } })
  }
  const cfg = result.data
  const seen = new Set<string>()
  cfg.promotion_order.forEach((env, i) => {
    const pos = map.locate(['promotion_order', i])
    if (seen.has(env)) throw new SpaceOpsError(`environment "${env}" is listed twice in promotion_order`, { location: { file, ...(pos ?? {}) } })
    seen.add(env)
    if (!cfg.environments[env]) throw new SpaceOpsError(`promotion_order names "${env}" but environments has no "${env}"`, { location: { file, ...(pos ?? {}) } })
  })
  return { file, order: cfg.promotion_order, environments: cfg.environments, source: map, text }
}

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g
const VAR_TEST = /\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}/

/**
 * Variables that hold credentials are never expanded into the config: a pull request could
 * otherwise copy a token into a warehouse id, a folder or a table name and so into the workspace,
 * the state file or the output. Credentials reach SpaceOps only through its own variables.
 */
export const CREDENTIAL_VAR = /(TOKEN|SECRET|PASSWORD|PASSWD|PRIVATE|CREDENTIAL|_KEY$|^KEY$|API_?KEY)/i

/** Expand `${VAR}` / `${VAR:-default}` in one string; a missing variable is an error at its place. */
export function expandVars(value: string, env: Record<string, string | undefined>, where: { file: string; source: SourceMap; path: Path }): { value: string; fromVars: boolean } {
  let fromVars = false
  const at = () => ({ file: where.file, ...(where.source.locate(where.path) ?? {}) })
  if (/\$\{(?![A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\})/.test(value)) {
    throw new SpaceOpsError(`${where.path.join('.')}: "\${" is not a complete \${VARIABLE} reference`, { location: at() })
  }
  const out = value.replace(VAR, (_m, name: string, fallback: string | undefined) => {
    fromVars = true
    if (CREDENTIAL_VAR.test(name)) {
      throw new SpaceOpsError(`\${${name}} looks like a credential; credentials are never expanded into the promotion config (${where.path.join('.')})`, { location: at() })
    }
    const v = env[name]
    if (v !== undefined && v !== '') return v
    if (fallback !== undefined) return fallback
    throw new SpaceOpsError(`environment variable ${name} is not set (needed by ${where.path.join('.')})`, { location: at() })
  })
  return { value: out, fromVars }
}

export interface ResolvedEnvironment {
  name: string
  host?: string
  /** the host came from a ${VAR} (the workflow), not from text written in the repository */
  hostFromWorkflow: boolean
  /** a host whose ${VAR} is not set: only an error when the environment is connected to (render is offline) */
  hostProblem?: SpaceOpsError
  warehouse_id?: string
  parent_path?: string
  space_id?: string
  state_path?: string
  mappings: { catalogs: Record<string, string>; schemas: Record<string, string>; tables: Record<string, string> }
  spaces: Record<string, SpaceSettings>
}

/** One environment with every `${VAR}` expanded (only this environment's: others may lack theirs). */
export function resolveEnvironment(config: PromotionConfig, name: string, env: Record<string, string | undefined>): ResolvedEnvironment {
  const raw = config.environments[name]
  if (!raw) {
    throw new SpaceOpsError(`unknown environment "${name}": the config defines ${Object.keys(config.environments).join(', ')}`, { location: { file: config.file } })
  }
  const base: Path = ['environments', name]
  const x = (v: string | undefined, p: Path) => (v === undefined ? undefined : expandVars(v, env, { file: config.file, source: config.source, path: [...base, ...p] }).value)
  const mapping = (m: Record<string, string> | undefined, key: string) =>
    Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [x(k, [key, k]) as string, x(v, [key, k]) as string]))
  const spaces: Record<string, SpaceSettings> = {}
  for (const [key, s] of Object.entries(raw.spaces ?? {})) {
    const out: SpaceSettings = {}
    for (const field of ['space_id', 'title', 'warehouse_id', 'parent_path'] as const) {
      const v = x(s[field], ['spaces', key, field])
      if (v !== undefined) out[field] = v
    }
    spaces[key] = out
  }
  const resolved: ResolvedEnvironment = {
    name,
    // only Databricks host variables vouch for a host: `${GITHUB_API_URL}` would send a token elsewhere
    hostFromWorkflow: raw.host !== undefined && VAR_TEST.test(raw.host) && [...raw.host.matchAll(VAR)].every((m) => /^DATABRICKS_[A-Z0-9_]*HOST$/.test(m[1] ?? '')),
    mappings: { catalogs: mapping(raw.catalog_mappings, 'catalog_mappings'), schemas: mapping(raw.schema_mappings, 'schema_mappings'), tables: mapping(raw.table_mappings, 'table_mappings') },
    spaces
  }
  try {
    const host = x(raw.host, ['host'])
    if (host) resolved.host = host
  } catch (err) {
    if (!(err instanceof SpaceOpsError)) throw err
    resolved.hostProblem = err
  }
  for (const field of ['warehouse_id', 'parent_path', 'space_id', 'state_path'] as const) {
    const v = x(raw[field], [field])
    if (v !== undefined && v !== '') resolved[field] = v
  }
  return resolved
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
  const s = envc.spaces[key] ?? {}
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
