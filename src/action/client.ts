import { ACTION_NAMES } from '../core/names.js'
import { createGenieClient, type GenieClient, type TransportOptions } from '../client/index.js'
import { runTimeoutOptions } from '../client/http.js'
import type { ActionsRuntime } from '../github/actions.js'
import { safeLogger, type Logger } from '../util/logger.js'
import type { SecretRegistry } from '../util/secrets.js'
import { VERSION } from '../version.js'
import type { ActionInputs } from './inputs.js'

export function actionLogger(rt: ActionsRuntime, secrets: SecretRegistry): Logger {
  return safeLogger({ debug: (m) => rt.debug(m), info: (m) => rt.info(m), warn: (m) => rt.warning(m), error: (m) => rt.error(m) }, secrets)
}

const runTimeouts = new WeakMap<ActionInputs, Partial<TransportOptions>>()

/**
 * The step's timeouts (inputs timeout and run-timeout) as transport options for every client of the
 * step. The run's deadline is fixed when the first client is made and shared by the others.
 */
export function actionTimeouts(inputs: ActionInputs): Partial<TransportOptions> {
  let t = runTimeouts.get(inputs)
  if (!t) {
    t = runTimeoutOptions(
      {
        ...(inputs.timeout !== undefined ? { callTimeoutMs: inputs.timeout } : {}),
        ...(inputs['run-timeout'] !== undefined ? { runTimeoutMs: inputs['run-timeout'] } : {})
      },
      ACTION_NAMES
    )
    runTimeouts.set(inputs, t)
  }
  return t
}

/** The Genie client for a workflow: inputs first, then Databricks' environment variables. */
export function actionClient(rt: ActionsRuntime, inputs: ActionInputs, secrets: SecretRegistry): GenieClient {
  return createGenieClient({
    ...actionTimeouts(inputs),
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
    userAgent: `spaceops/${VERSION} github-action`,
    names: ACTION_NAMES
  })
}
