import { CLI_NAMES } from '../core/names.js'
import { CREDENTIAL_VAR, knownSecrets, type ExpansionPolicy, type PromotionConfig } from '../promote/config.js'
import { connector } from '../promote/connection.js'
import { VERSION } from '../version.js'
import { cliLogger, type CliIo } from './io.js'
import { timeoutsFromCli, type ConnectionFlags } from './client.js'

/**
 * The CLI's side of the promotion config's trust rules. A person runs it on their own machine, so
 * `${VAR}` expands their whole environment — except names that look like credentials
 * (CREDENTIAL_VAR) and values that hold a secret SpaceOps knows (--token, DATABRICKS_*_TOKEN,
 * DATABRICKS_*_CLIENT_SECRET). A secret under an innocent name that SpaceOps does not know of
 * (e.g. `${MY_SETTING}` holding a password) does expand: the CLI cannot recognise it.
 */
export function cliExpansion(io: CliIo, values: { token?: string | undefined }): ExpansionPolicy {
  io.secrets.add(values.token)
  return {
    vars: io.env,
    allow: (name) => !CREDENTIAL_VAR.test(name),
    refusal: () => 'looks like a credential; credentials are never expanded into the promotion config',
    isSecret: knownSecrets(io.secrets, io.env)
  }
}

/** `--host` / `--token` belong to `environment` (the target of promote, the --env of diff/drift). */
export function cliConnector(io: CliIo, values: ConnectionFlags, config: PromotionConfig, environment: string) {
  return connector(config, {
    processEnv: io.env,
    inputs: { env: environment, names: CLI_NAMES, ...(values.host ? { host: values.host } : {}), ...(values.token ? { token: values.token } : {}) },
    secrets: io.secrets,
    logger: cliLogger(io, values.verbose ?? false),
    userAgent: `spaceops/${VERSION} cli`,
    transport: timeoutsFromCli(values)
  })
}
