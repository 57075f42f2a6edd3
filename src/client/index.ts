/**
 * The Genie API client layer: hosts, auth, transport, errors, schemas and GenieClient.
 *
 * Typical use (action or CLI):
 *
 *   const secrets = new SecretRegistry([core.setSecret])
 *   const client = createGenieClient({ env: process.env, inputs, secrets, logger, getIdToken: core.getIDToken })
 *
 * `createGenieClient` resolves the host (input `host` > DATABRICKS_HOST), builds one transport, picks the
 * auth method (see auth.ts) and returns a GenieClient. Everything is injectable for tests.
 */
import { resolveAuth, resolveHost, type AuthInputs, type GetIdToken } from './auth.js'
import { GenieClient } from './genie.js'
import { HttpTransport, type Env, type TransportOptions } from './http.js'

export interface CreateGenieClientOptions extends TransportOptions {
  env: Env
  inputs?: AuthInputs
  /** The action passes `core.getIDToken`; needed only for DATABRICKS_AUTH_TYPE=github-oidc. */
  getIdToken?: GetIdToken
}

export function createGenieClient(options: CreateGenieClientOptions): GenieClient {
  const host = resolveHost(options.env, options.inputs, options.names)
  const transport = new HttpTransport({ ...options, env: options.env })
  const resolveOptions: Parameters<typeof resolveAuth>[0] = { env: options.env, host, transport }
  if (options.inputs !== undefined) resolveOptions.inputs = options.inputs
  if (options.getIdToken !== undefined) resolveOptions.getIdToken = options.getIdToken
  if (options.logger !== undefined) resolveOptions.logger = options.logger
  if (options.names !== undefined) resolveOptions.names = options.names
  const auth = resolveAuth(resolveOptions)
  return new GenieClient({ host, auth, transport })
}

export { normalizeHost, isLoopbackHostname } from './hosts.js'
export {
  GenieApiError,
  formatApiErrorMessage,
  parseErrorBody,
  redactCredentials,
  type GenieApiErrorInit,
  type ErrorBody
} from './errors.js'
export {
  HttpTransport,
  createDefaultFetch,
  createProxyDispatcher,
  parseRetryAfter,
  realSleep,
  CLIENT_VERSION,
  DEFAULT_USER_AGENT,
  DEFAULT_RETRY_POLICY,
  DEFAULT_TIMEOUT_MS,
  formatDuration,
  type Env,
  type FetchInit,
  type FetchLike,
  type FetchResponse,
  type HttpMethod,
  type HttpRequest,
  type RequestAuth,
  type RetryPolicy,
  type TransportOptions
} from './http.js'
export {
  AUTH_METHODS,
  GitHubOidcAuth,
  OAuthM2MAuth,
  PatAuth,
  readAuthSettings,
  resolveAuth,
  resolveHost,
  type AuthInputs,
  type AuthMethod,
  type AuthProvider,
  type AuthSettings,
  type GetIdToken,
  type GitHubOidcOptions,
  type OAuthCommonOptions,
  type OAuthM2MOptions,
  type ResolveAuthOptions
} from './auth.js'
export {
  GenieClient,
  GenieRateLimitError,
  MAX_PAGE_SIZE,
  isMissingParentFolderError,
  type CallSpec,
  type CreateSpaceRequest,
  type ExecuteStatementRequest,
  type GenieClientOptions,
  type UpdateSpaceRequest
} from './genie.js'
export * from './schemas.js'
