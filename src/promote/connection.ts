import { createGenieClient, normalizeHost, type GenieClient, type TransportOptions } from '../client/index.js'
import { SpaceOpsError } from '../util/errors.js'
import { NEUTRAL_NAMES, viaOption, type Names } from '../core/names.js'
import type { Logger } from '../util/logger.js'
import type { SecretRegistry } from '../util/secrets.js'
import { environmentConfig, envStem, hostVar, type PromotionConfig } from './config.js'

/**
 * The one place that decides which workspace an environment is reached at, with which
 * credentials. Every mode and command (promote, diff, drift; CLI and action) goes through
 * `connectionFor`, so they resolve hosts and credentials the same way.
 *
 * - Host of environment E: the `host` input/flag when the inputs belong to E, else the workflow's
 *   DATABRICKS_<E>_HOST, else (for the inputs' environment only) DATABRICKS_HOST. The config never
 *   supplies a host: `host: ${DATABRICKS_<E>_HOST}` only names this one, and a literal host in the
 *   config is a check — it must equal the host the workflow gives, or nothing is sent.
 * - Credentials of E, as one set, from the first source that has any: the token/client inputs
 *   (when they belong to E), DATABRICKS_<E>_TOKEN / _CLIENT_ID / _CLIENT_SECRET, or the generic
 *   DATABRICKS_TOKEN / _CLIENT_ID / _CLIENT_SECRET — those only when E's host is DATABRICKS_HOST,
 *   the host they belong to. So E's credentials reach E's host and no other.
 */
export interface WorkflowInputs {
  /** the environment the inputs belong to (the target of promote; the environment planned by diff/drift) */
  env: string
  host?: string
  token?: string
  clientId?: string
  clientSecret?: string
  /** how the face that gave these inputs names them (`--host`, `input host`) */
  names?: Names
}

export const envVarName = (env: string, what: string) => `DATABRICKS_${envStem(env)}_${what}`

const same = (a: string | undefined, b: string | undefined) => {
  if (!a || !b) return false
  try {
    return normalizeHost(a) === normalizeHost(b)
  } catch {
    return false
  }
}

export interface Connection {
  env: string
  /** normalised origin */
  host: string
  /** environment variables for the client: the generic DATABRICKS_* set for this environment only */
  clientEnv: Record<string, string | undefined>
}

const CREDENTIAL_KEYS = ['DATABRICKS_HOST', 'DATABRICKS_TOKEN', 'DATABRICKS_CLIENT_ID', 'DATABRICKS_CLIENT_SECRET'] as const

export function connectionFor(config: PromotionConfig, name: string, processEnv: Record<string, string | undefined>, inputs?: WorkflowInputs): Connection {
  const raw = environmentConfig(config, name)
  const hostLocation = { file: config.file, ...(config.source.locate(['environments', name, 'host']) ?? {}) }
  const v = (key: string) => (processEnv[key] === '' ? undefined : processEnv[key])
  const slot = inputs && inputs.env === name ? inputs : undefined
  const ownHost = v(hostVar(name))
  const genericHost = v('DATABRICKS_HOST')
  const names = slot?.names ?? NEUTRAL_NAMES
  const hostOption = names.option('host') ?? 'the host given'

  let host: string
  let from: string
  if (slot?.host) {
    if (ownHost && !same(ownHost, slot.host)) {
      throw new SpaceOpsError(`environment ${name}: ${hostOption} and ${hostVar(name)} name different hosts; give one, or the same`)
    }
    host = slot.host
    from = hostOption
  } else if (ownHost) {
    host = ownHost
    from = hostVar(name)
  } else if (slot && genericHost) {
    host = genericHost
    from = 'DATABRICKS_HOST'
  } else {
    throw new SpaceOpsError(
      `environment ${name}: no host — set ${hostVar(name)}${slot ? ` (or ${viaOption(names, 'host', '', ' / ')}DATABRICKS_HOST)` : ''} in the workflow`
    )
  }
  const origin = normalizeHost(host)
  if (raw.host !== undefined && raw.host !== `\${${hostVar(name)}}` && normalizeHost(raw.host) !== origin) {
    throw new SpaceOpsError(
      `environment ${name}: host ${normalizeHost(raw.host)} is written in the repository and is not the host the workflow gives (${from}); SpaceOps sends credentials only to the host the workflow names — write host: \${${hostVar(name)}}`,
      { location: hostLocation }
    )
  }

  const sets = [
    slot ? { token: slot.token, clientId: slot.clientId, clientSecret: slot.clientSecret } : undefined,
    { token: v(envVarName(name, 'TOKEN')), clientId: v(envVarName(name, 'CLIENT_ID')), clientSecret: v(envVarName(name, 'CLIENT_SECRET')) },
    same(origin, genericHost) ? { token: v('DATABRICKS_TOKEN'), clientId: v('DATABRICKS_CLIENT_ID'), clientSecret: v('DATABRICKS_CLIENT_SECRET') } : undefined
  ]
  const creds = sets.find((s) => s && (s.token || s.clientId || s.clientSecret))
  if (!creds || (!creds.token && !creds.clientId)) {
    throw new SpaceOpsError(
      `environment ${name}: no credentials for ${origin} — set ${envVarName(name, 'TOKEN')} (or ${envVarName(name, 'CLIENT_ID')}/${envVarName(name, 'CLIENT_SECRET')})${slot ? viaOption(names, 'token', ', or ') : ''}`
    )
  }
  const clientEnv: Record<string, string | undefined> = { ...processEnv }
  for (const k of CREDENTIAL_KEYS) delete clientEnv[k]
  clientEnv.DATABRICKS_HOST = origin
  if (creds.token) clientEnv.DATABRICKS_TOKEN = creds.token
  if (creds.clientId) clientEnv.DATABRICKS_CLIENT_ID = creds.clientId
  if (creds.clientSecret) clientEnv.DATABRICKS_CLIENT_SECRET = creds.clientSecret
  return { env: name, host: origin, clientEnv }
}

/** `transport`: the run's timeouts (see runTimeoutOptions), shared by every environment's client. */
export function clientFor(
  connection: Connection,
  secrets: SecretRegistry,
  logger: Logger,
  userAgent: string,
  getIdToken?: (aud: string) => Promise<string>,
  transport: Partial<TransportOptions> & { names?: Names } = {}
): GenieClient {
  secrets.add(connection.clientEnv.DATABRICKS_TOKEN)
  secrets.add(connection.clientEnv.DATABRICKS_CLIENT_SECRET)
  return createGenieClient({ ...transport, env: connection.clientEnv, secrets, logger, userAgent, ...(getIdToken ? { getIdToken } : {}) })
}

export interface ConnectorOptions {
  processEnv: Record<string, string | undefined>
  inputs?: WorkflowInputs
  secrets: SecretRegistry
  logger: Logger
  userAgent: string
  getIdToken?: (aud: string) => Promise<string>
  /** timeouts and the like for every client made (--timeout, --run-timeout) */
  transport?: Partial<TransportOptions>
}

/** `connect(environment)` for promote, diff and drift: one client per environment, decided by `connectionFor`. */
export function connector(config: PromotionConfig, o: ConnectorOptions): (environment: string) => { connection: Connection; client: GenieClient } {
  const made = new Map<string, { connection: Connection; client: GenieClient }>()
  return (environment) => {
    const known = made.get(environment)
    if (known) return known
    const connection = connectionFor(config, environment, o.processEnv, o.inputs)
    const out = {
      connection,
      client: clientFor(connection, o.secrets, o.logger, o.userAgent, o.getIdToken, { ...o.transport, ...(o.inputs?.names ? { names: o.inputs.names } : {}) })
    }
    made.set(environment, out)
    return out
  }
}
