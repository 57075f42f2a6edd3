import { createGenieClient, normalizeHost, type GenieClient, type TransportOptions } from '../client/index.js'
import { SpaceOpsError } from '../util/errors.js'
import type { Logger } from '../util/logger.js'
import type { SecretRegistry } from '../util/secrets.js'
import type { PromotionConfig, ResolvedEnvironment } from './config.js'

/**
 * Which workspace, with which credentials, an environment is reached at — decided by the
 * workflow, never by a repository file:
 * - the host: the `host` input or DATABRICKS_HOST (for the target), DATABRICKS_<ENV>_HOST (for any
 *   environment), or a config `host` that is a ${VAR} (its value comes from the workflow). A host
 *   written literally in the config must match one of those, or it is refused before any request.
 * - credentials: DATABRICKS_<ENV>_TOKEN (or _CLIENT_ID/_CLIENT_SECRET); the generic ones (inputs,
 *   DATABRICKS_TOKEN, …) only when the environment's host is the generic host they belong to.
 */
export interface WorkflowCredentials {
  host?: string
  token?: string
  clientId?: string
  clientSecret?: string
}

export const envVarName = (env: string, what: string) => `DATABRICKS_${env.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_${what}`

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
  host: string
  /** environment variables for the client, with the generic DATABRICKS_* set for this environment */
  clientEnv: Record<string, string | undefined>
}

export function connectionFor(
  config: PromotionConfig,
  envc: ResolvedEnvironment,
  processEnv: Record<string, string | undefined>,
  generic: WorkflowCredentials
): Connection {
  const own = {
    host: processEnv[envVarName(envc.name, 'HOST')],
    token: processEnv[envVarName(envc.name, 'TOKEN')],
    clientId: processEnv[envVarName(envc.name, 'CLIENT_ID')],
    clientSecret: processEnv[envVarName(envc.name, 'CLIENT_SECRET')]
  }
  if (envc.hostProblem) throw envc.hostProblem
  const genericHost = generic.host ?? processEnv.DATABRICKS_HOST
  const workflowHosts = [own.host, genericHost].filter((h): h is string => !!h)
  let host: string | undefined
  if (envc.host) {
    if (!envc.hostFromWorkflow && !workflowHosts.some((h) => same(h, envc.host))) {
      throw new SpaceOpsError(
        `environment ${envc.name}: host ${envc.host} is written in the repository and matches no host the workflow gives (input host, DATABRICKS_HOST or ${envVarName(envc.name, 'HOST')}); ` +
          'SpaceOps sends credentials only to hosts the workflow names — write host: ${' + envVarName(envc.name, 'HOST') + '}',
        { location: { file: config.file, ...(config.source.locate(['environments', envc.name, 'host']) ?? {}) } }
      )
    }
    host = envc.host
  } else host = own.host ?? genericHost
  if (!host) throw new SpaceOpsError(`environment ${envc.name}: no host — set ${envVarName(envc.name, 'HOST')} (or input host / DATABRICKS_HOST for the target)`)
  normalizeHost(host)

  const useGeneric = same(host, genericHost)
  const token = own.token ?? (useGeneric ? (generic.token ?? processEnv.DATABRICKS_TOKEN) : undefined)
  const clientId = own.clientId ?? (useGeneric ? (generic.clientId ?? processEnv.DATABRICKS_CLIENT_ID) : undefined)
  const clientSecret = own.clientSecret ?? (useGeneric ? (generic.clientSecret ?? processEnv.DATABRICKS_CLIENT_SECRET) : undefined)
  if (!token && !clientId) {
    throw new SpaceOpsError(`environment ${envc.name}: no credentials for ${host} — set ${envVarName(envc.name, 'TOKEN')} (or ${envVarName(envc.name, 'CLIENT_ID')}/${envVarName(envc.name, 'CLIENT_SECRET')})`)
  }
  const clientEnv: Record<string, string | undefined> = { ...processEnv, DATABRICKS_HOST: host, DATABRICKS_TOKEN: token, DATABRICKS_CLIENT_ID: clientId, DATABRICKS_CLIENT_SECRET: clientSecret }
  if (!token) delete clientEnv.DATABRICKS_TOKEN
  return { env: envc.name, host, clientEnv }
}

/** `transport`: the run's timeouts (see runTimeoutOptions), shared by every environment's client. */
export function clientFor(connection: Connection, secrets: SecretRegistry, logger: Logger, userAgent: string, getIdToken?: (aud: string) => Promise<string>, transport: Partial<TransportOptions> = {}): GenieClient {
  secrets.add(connection.clientEnv.DATABRICKS_TOKEN)
  secrets.add(connection.clientEnv.DATABRICKS_CLIENT_SECRET)
  return createGenieClient({ ...transport, env: connection.clientEnv, secrets, logger, userAgent, ...(getIdToken ? { getIdToken } : {}) })
}
