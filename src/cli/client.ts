import { createGenieClient, type GenieClient } from '../client/index.js'
import { cliLogger, type CliIo } from './io.js'
import { VERSION } from '../version.js'

/** Connection flags every command that talks to a workspace accepts (as the original CLI had). */
export const CONNECTION_OPTIONS = {
  host: { type: 'string' },
  token: { type: 'string' },
  verbose: { type: 'boolean' }
} as const

export const CONNECTION_HELP = `Connection (Databricks' own variables):
  DATABRICKS_HOST                              workspace URL (or --host)
  DATABRICKS_TOKEN                             personal access token (or --token)
  DATABRICKS_CLIENT_ID, DATABRICKS_CLIENT_SECRET  OAuth M2M for a service principal
  DATABRICKS_AUTH_TYPE=github-oidc             GitHub Actions OIDC federation (with DATABRICKS_CLIENT_ID)
  --verbose                                    log retries and each call
`

export function clientFromCli(io: CliIo, values: { host?: string | undefined; token?: string | undefined; verbose?: boolean | undefined }): GenieClient {
  io.secrets.add(values.token)
  return createGenieClient({
    env: io.env,
    inputs: {
      ...(values.host !== undefined ? { host: values.host } : {}),
      ...(values.token !== undefined ? { token: values.token } : {})
    },
    secrets: io.secrets,
    logger: cliLogger(io, values.verbose ?? false),
    userAgent: `spaceops/${VERSION} cli`
  })
}
