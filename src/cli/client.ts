import { CLI_NAMES } from '../core/names.js'
import { createGenieClient, type GenieClient, type TransportOptions } from '../client/index.js'
import { parseDuration, runTimeoutOptions } from '../client/http.js'
import { cliLogger, type CliIo } from './io.js'
import { VERSION } from '../version.js'

/** Connection flags every command that talks to a workspace accepts (as the original CLI had). */
export const CONNECTION_OPTIONS = {
  host: { type: 'string' },
  token: { type: 'string' },
  verbose: { type: 'boolean' },
  timeout: { type: 'string' },
  'run-timeout': { type: 'string' }
} as const

export const CONNECTION_HELP = `Connection (Databricks' own variables):
  DATABRICKS_HOST                              workspace URL (or --host)
  DATABRICKS_TOKEN                             personal access token (or --token)
  DATABRICKS_CLIENT_ID, DATABRICKS_CLIENT_SECRET  OAuth M2M for a service principal
  DATABRICKS_AUTH_TYPE=github-oidc             GitHub Actions OIDC federation (with DATABRICKS_CLIENT_ID)
  --verbose                                    log retries and each call
  --timeout DURATION                           longest one API call may take, retries included (default 5m; e.g. 90s)
  --run-timeout DURATION                       longest the whole command may spend calling Databricks (default 2h)
`

/**
 * The run's limits from --timeout / --run-timeout, as transport options for every client of the
 * command (the run deadline is fixed here, once). Bad durations are usage errors.
 */
export function timeoutsFromCli(values: {
  timeout?: string | undefined
  'run-timeout'?: string | undefined
}): Pick<TransportOptions, 'callTimeoutMs' | 'deadline' | 'names'> {
  return runTimeoutOptions(
    {
      ...(values.timeout !== undefined ? { callTimeoutMs: parseDuration(values.timeout, '--timeout') } : {}),
      ...(values['run-timeout'] !== undefined ? { runTimeoutMs: parseDuration(values['run-timeout'], '--run-timeout') } : {})
    },
    CLI_NAMES
  )
}

/** The flags every command that talks to a workspace takes. */
export interface ConnectionFlags {
  host?: string | undefined
  token?: string | undefined
  verbose?: boolean | undefined
  timeout?: string | undefined
  'run-timeout'?: string | undefined
}

export function clientFromCli(io: CliIo, values: ConnectionFlags): GenieClient {
  io.secrets.add(values.token)
  return createGenieClient({
    ...timeoutsFromCli(values),
    env: io.env,
    inputs: {
      ...(values.host !== undefined ? { host: values.host } : {}),
      ...(values.token !== undefined ? { token: values.token } : {})
    },
    secrets: io.secrets,
    logger: cliLogger(io, values.verbose ?? false),
    userAgent: `spaceops/${VERSION} cli`,
    names: CLI_NAMES
  })
}
