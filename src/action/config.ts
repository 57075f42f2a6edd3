import { ACTION_NAMES } from '../core/names.js'
import { documentedVariables, knownSecrets, type ExpansionPolicy, type PromotionConfig } from '../promote/config.js'
import { connector, type WorkflowInputs } from '../promote/connection.js'
import type { ActionsRuntime } from '../github/actions.js'
import type { GenieClient } from '../client/index.js'
import type { SecretRegistry } from '../util/secrets.js'
import { VERSION } from '../version.js'
import { actionLogger, actionTimeouts } from './client.js'
import type { ActionInputs } from './inputs.js'

/**
 * The action's side of the promotion config's trust rules. A config from a pull request is
 * untrusted, so `${VAR}` expands only variables the workflow names — input `config-variables` —
 * and the documented per-environment names of the config's own environments; the host/token
 * inputs belong to `environment` (the target of promote, the environment planned by diff/drift).
 */
export function actionExpansion(rt: ActionsRuntime, inputs: ActionInputs, secrets: SecretRegistry, config: PromotionConfig): ExpansionPolicy {
  const allowed = new Set([...documentedVariables(config), ...(inputs['config-variables'] ?? [])])
  return {
    vars: rt.env,
    allow: (name) => allowed.has(name),
    refusal: () => 'is not a variable this workflow lets the promotion config read: add it to config-variables (the action input) if the config may read it',
    isSecret: knownSecrets(secrets, rt.env)
  }
}

export function actionInputsFor(inputs: ActionInputs, environment: string): WorkflowInputs {
  return {
    env: environment,
    names: ACTION_NAMES,
    ...(inputs.host ? { host: inputs.host } : {}),
    ...(inputs.token ? { token: inputs.token } : {}),
    ...(inputs['client-id'] ? { clientId: inputs['client-id'] } : {}),
    ...(inputs['client-secret'] ? { clientSecret: inputs['client-secret'] } : {})
  }
}

/** The Genie client for an environment of the promotion config (the inputs belong to it). */
export function environmentClient(
  rt: ActionsRuntime,
  inputs: ActionInputs,
  secrets: SecretRegistry,
  config: PromotionConfig,
  environment: string
): GenieClient {
  return actionConnector(rt, inputs, secrets, config, environment)(environment).client
}

export function actionConnector(rt: ActionsRuntime, inputs: ActionInputs, secrets: SecretRegistry, config: PromotionConfig, environment: string) {
  return connector(config, {
    processEnv: rt.env,
    inputs: actionInputsFor(inputs, environment),
    secrets,
    logger: actionLogger(rt, secrets),
    userAgent: `spaceops/${VERSION} github-action`,
    getIdToken: (aud) => rt.getIDToken(aud),
    transport: actionTimeouts(inputs)
  })
}
