import { createGenieClient, type GenieClient } from '../client/index.js'
import type { ActionsRuntime } from '../github/actions.js'
import { safeLogger, type Logger } from '../util/logger.js'
import type { SecretRegistry } from '../util/secrets.js'
import { VERSION } from '../version.js'
import type { ActionInputs } from './inputs.js'

export function actionLogger(rt: ActionsRuntime, secrets: SecretRegistry): Logger {
  return safeLogger({ debug: (m) => rt.debug(m), info: (m) => rt.info(m), warn: (m) => rt.warning(m), error: (m) => rt.error(m) }, secrets)
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
