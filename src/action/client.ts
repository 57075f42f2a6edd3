import { createGenieClient, type GenieClient } from '../client/index.js'
import type { ActionsRuntime } from '../github/actions.js'
import type { Logger } from '../util/logger.js'
import type { SecretRegistry } from '../util/secrets.js'
import { VERSION } from '../version.js'
import type { ActionInputs } from './inputs.js'
import { resolveEnvironment, type PromotionConfig } from '../promote/config.js'
import { clientFor, connectionFor } from '../promote/connection.js'

export function actionLogger(rt: ActionsRuntime, secrets: SecretRegistry): Logger {
  return {
    debug: (m) => rt.debug(secrets.redact(m)),
    info: (m) => rt.info(secrets.redact(m)),
    warn: (m) => rt.warning(secrets.redact(m)),
    error: (m) => rt.error(secrets.redact(m))
  }
}

/** The Genie client for a workflow: inputs first, then Databricks' environment variables. */
export function actionClient(rt: ActionsRuntime, inputs: ActionInputs, secrets: SecretRegistry): GenieClient {
  return createGenieClient({
    env: rt.env,
    inputs: {
      ...(inputs.host ? { host: inputs.host } : {}),
      ...(inputs.token ? { token: inputs.token } : {}),
      ...(inputs['client-id'] ? { clientId: inputs['client-id'] } : {}),
      ...(inputs['client-secret'] ? { clientSecret: inputs['client-secret'] } : {})
    },
    secrets,
    logger: actionLogger(rt, secrets),
    getIdToken: (audience) => rt.getIDToken(audience),
    userAgent: `spaceops/${VERSION} github-action`
  })
}

/** The Genie client for an environment of the promotion config (the target: inputs may stand in for its variables). */
export function environmentClient(rt: ActionsRuntime, inputs: ActionInputs, secrets: SecretRegistry, config: PromotionConfig, environment: string): GenieClient {
  const generic = {
    ...(inputs.host ? { host: inputs.host } : {}),
    ...(inputs.token ? { token: inputs.token } : {}),
    ...(inputs['client-id'] ? { clientId: inputs['client-id'] } : {}),
    ...(inputs['client-secret'] ? { clientSecret: inputs['client-secret'] } : {})
  }
  const connection = connectionFor(config, resolveEnvironment(config, environment, rt.env), rt.env, generic)
  return clientFor(connection, secrets, actionLogger(rt, secrets), `spaceops/${VERSION} github-action`, (aud) => rt.getIDToken(aud))
}
