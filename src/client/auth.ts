/**
 * Auth providers, in Databricks' own terms and environment variable names:
 *
 * - `pat`         DATABRICKS_TOKEN / input `token` → `Authorization: Bearer <token>`.
 * - `oauth-m2m`   DATABRICKS_CLIENT_ID + DATABRICKS_CLIENT_SECRET (inputs `client-id`/`client-secret`):
 *                 `POST {host}/oidc/v1/token`, HTTP basic auth, `grant_type=client_credentials&scope=all-apis`.
 * - `github-oidc` DATABRICKS_AUTH_TYPE=github-oidc + DATABRICKS_CLIENT_ID: the runner's ID token (from an
 *                 injected `getIdToken(audience)`, i.e. `core.getIDToken`) exchanged at the same endpoint
 *                 with RFC 8693 token exchange.
 *
 * Choices where the docs are silent:
 * - Audience for the GitHub ID token: `DATABRICKS_TOKEN_AUDIENCE` / input `token-audience` if set; else the
 *   Databricks account id (DATABRICKS_ACCOUNT_ID / input `account-id`), because genie-api.md says a
 *   federation policy's audience defaults to the account id; else the workspace host (origin), since the
 *   account id cannot be discovered without an extra authenticated call and a policy can list the host.
 * - Refresh: a cached OAuth token is refreshed once less than min(60 s, 10 % of its lifetime) remains
 *   (so a 1-hour token is renewed in its last minute and a short-lived token is still reused). Concurrent
 *   callers share one in-flight token request. A token response without `expires_in` is treated as
 *   living one hour (genie-api.md: "tokens live one hour"); a 401 drops the cached token once anyway.
 * - The token request is retried like an idempotent call (asking for a new token twice is harmless).
 * - When a token AND client credentials are both configured without DATABRICKS_AUTH_TYPE, the token wins
 *   (as the brief orders) and a warning says so.
 *
 * Every token, client secret, basic-auth value, ID token and exchanged access token is added to the
 * SecretRegistry the moment it is known.
 */
import { z } from 'zod'
import { SpaceOpsError, describeError } from '../util/errors.js'
import type { Logger } from '../util/logger.js'
import type { SecretRegistry } from '../util/secrets.js'
import { GenieApiError } from './errors.js'
import { normalizeHost } from './hosts.js'
import { NEUTRAL_NAMES, viaOption, type Names } from '../core/names.js'
import type { Env, HttpTransport, RequestAuth } from './http.js'

export type AuthMethod = 'pat' | 'oauth-m2m' | 'github-oidc'
export const AUTH_METHODS: readonly AuthMethod[] = ['pat', 'oauth-m2m', 'github-oidc']

export interface AuthProvider extends RequestAuth {
  readonly method: AuthMethod
  /** Headers for an API request (fetches / refreshes a token when needed). */
  headers(): Promise<Record<string, string>>
  /** Drops a cached token; true if there was one (so a retry may succeed). */
  invalidate(): boolean
  /** For logs: the method and non-secret identity, e.g. `OAuth M2M (client id abc)`. */
  describe(): string
}

/** `core.getIDToken`-compatible. */
export type GetIdToken = (audience: string) => Promise<string>

export class PatAuth implements AuthProvider {
  readonly method = 'pat' as const
  private readonly token: string

  constructor(token: string, secrets: SecretRegistry) {
    secrets.add(token)
    this.token = token
  }

  headers(): Promise<Record<string, string>> {
    return Promise.resolve({ Authorization: `Bearer ${this.token}` })
  }

  invalidate(): boolean {
    return false
  }

  describe(): string {
    return 'personal access token'
  }
}

const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z
    .union([
      z.number(),
      z
        .string()
        .regex(/^\d+(\.\d+)?$/)
        .transform(Number)
    ])
    .optional()
})

export interface OAuthCommonOptions {
  /** Workspace host; normalised here. */
  host: string
  transport: HttpTransport
  /** Defaults to the transport's clock. */
  now?: () => number
  /** Defaults to the transport's registry. */
  secrets?: SecretRegistry
}

const DEFAULT_LIFETIME_S = 3600
const MAX_REFRESH_MARGIN_MS = 60_000

interface CachedToken {
  accessToken: string
  expiresAt: number
  refreshAt: number
}

/** Shared token cache for the OAuth flows. */
abstract class OAuthTokenAuth implements AuthProvider {
  abstract readonly method: AuthMethod
  readonly tokenUrl: string
  protected readonly transport: HttpTransport
  protected readonly now: () => number
  protected readonly secrets: SecretRegistry
  private cached: CachedToken | undefined
  private inFlight: Promise<CachedToken> | undefined

  constructor(options: OAuthCommonOptions) {
    this.tokenUrl = `${normalizeHost(options.host)}/oidc/v1/token`
    this.transport = options.transport
    this.now = options.now ?? options.transport.now
    this.secrets = options.secrets ?? options.transport.secrets
  }

  abstract describe(): string

  /** One request to the token endpoint; returns its raw JSON. */
  protected abstract requestToken(): Promise<unknown>

  async headers(): Promise<Record<string, string>> {
    const token = await this.token()
    return { Authorization: `Bearer ${token}` }
  }

  /** The current access token, fetching or refreshing it when needed. */
  async token(): Promise<string> {
    const now = this.now()
    if (this.cached && now < this.cached.refreshAt) return this.cached.accessToken
    if (!this.inFlight) {
      this.inFlight = this.fetchToken().finally(() => {
        this.inFlight = undefined
      })
    }
    const fresh = await this.inFlight
    return fresh.accessToken
  }

  invalidate(): boolean {
    const had = this.cached !== undefined
    this.cached = undefined
    return had
  }

  private async fetchToken(): Promise<CachedToken> {
    const issuedAt = this.now()
    const raw = await this.requestToken()
    // Register the token before anything else can look at (or echo) it.
    if (raw && typeof raw === 'object' && typeof (raw as { access_token?: unknown }).access_token === 'string') {
      this.secrets.add((raw as { access_token: string }).access_token)
    }
    const parsed = TokenResponseSchema.safeParse(raw)
    if (!parsed.success) {
      throw new GenieApiError({
        operation: `OAuth token request to ${this.tokenUrl}`,
        status: 200,
        detail: 'the response has no access_token',
        secrets: this.secrets
      })
    }
    const lifetimeMs = Math.max(0, (parsed.data.expires_in ?? DEFAULT_LIFETIME_S) * 1000)
    const margin = Math.min(MAX_REFRESH_MARGIN_MS, lifetimeMs * 0.1)
    const token: CachedToken = {
      accessToken: parsed.data.access_token,
      expiresAt: issuedAt + lifetimeMs,
      refreshAt: issuedAt + lifetimeMs - margin
    }
    this.cached = token
    return token
  }

  protected postForm(form: Record<string, string>, headers: Record<string, string> = {}): Promise<unknown> {
    return this.transport.request({
      operation: `OAuth token request to ${this.tokenUrl}`,
      method: 'POST',
      url: this.tokenUrl,
      form,
      headers,
      idempotent: true
    })
  }
}

export interface OAuthM2MOptions extends OAuthCommonOptions {
  clientId: string
  clientSecret: string
  /** Default `all-apis`. */
  scope?: string
}

/** OAuth machine-to-machine (client credentials) for a service principal. */
export class OAuthM2MAuth extends OAuthTokenAuth {
  readonly method = 'oauth-m2m' as const
  private readonly clientId: string
  private readonly basic: string
  private readonly scope: string

  constructor(options: OAuthM2MOptions) {
    super(options)
    this.secrets.add(options.clientSecret)
    this.clientId = options.clientId
    const credential = `${options.clientId}:${options.clientSecret}`
    // The registry adds its base64 (the Basic header value) and URL-encoded forms.
    this.secrets.add(credential)
    this.basic = Buffer.from(credential, 'utf8').toString('base64')
    this.secrets.add(this.basic)
    this.scope = options.scope ?? 'all-apis'
  }

  describe(): string {
    return `OAuth M2M (client id ${this.clientId})`
  }

  protected requestToken(): Promise<unknown> {
    return this.postForm({ grant_type: 'client_credentials', scope: this.scope }, { Authorization: `Basic ${this.basic}` })
  }
}

export interface GitHubOidcOptions extends OAuthCommonOptions {
  /** The Databricks service principal's application (client) id named in the federation policy. */
  clientId: string
  audience: string
  getIdToken: GetIdToken
  scope?: string
}

/** GitHub Actions OIDC workload identity federation (RFC 8693 token exchange). */
export class GitHubOidcAuth extends OAuthTokenAuth {
  readonly method = 'github-oidc' as const
  readonly audience: string
  private readonly clientId: string
  private readonly getIdToken: GetIdToken
  private readonly scope: string

  constructor(options: GitHubOidcOptions) {
    super(options)
    this.clientId = options.clientId
    this.audience = options.audience
    this.getIdToken = options.getIdToken
    this.scope = options.scope ?? 'all-apis'
  }

  describe(): string {
    return `GitHub OIDC federation (client id ${this.clientId}, audience ${this.audience})`
  }

  protected async requestToken(): Promise<unknown> {
    let idToken: string
    try {
      idToken = await this.getIdToken(this.audience)
    } catch (err) {
      throw noIdTokenError(this.secrets.redact(describeError(err)))
    }
    if (typeof idToken !== 'string' || idToken.trim() === '') throw noIdTokenError('the runner returned an empty token')
    this.secrets.add(idToken)
    return this.postForm({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: idToken,
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      client_id: this.clientId,
      scope: this.scope
    })
  }
}

function noIdTokenError(why: string): SpaceOpsError {
  return new SpaceOpsError(
    `GitHub OIDC: no ID token could be had from the runner (${why}). The job needs "permissions: id-token: write", and workflows triggered from forked pull requests get no ID token; use a token or client secret there instead`
  )
}

/** Action inputs (core.getInput gives '' for a missing input; '' counts as not given). */
export interface AuthInputs {
  host?: string
  token?: string
  clientId?: string
  clientSecret?: string
  authType?: string
  accountId?: string
  tokenAudience?: string
}

export interface ResolveAuthOptions {
  env: Env
  inputs?: AuthInputs
  /** Normalised or raw host; defaults to the `host` input / DATABRICKS_HOST. */
  host?: string
  transport: HttpTransport
  /** Needed for `github-oidc` (the action passes `core.getIDToken`). */
  getIdToken?: GetIdToken
  logger?: Logger
  /** how the face names its settings (messages say `--token` or `input token`) */
  names?: Names
}

/** Everything auth-related resolved from inputs (which win) and env, before picking a method. */
export interface AuthSettings {
  host?: string
  token?: string
  clientId?: string
  clientSecret?: string
  authType?: string
  accountId?: string
  tokenAudience?: string
}

function given(v: string | undefined): string | undefined {
  if (v === undefined) return undefined
  const t = v.trim()
  return t === '' ? undefined : t
}

export function readAuthSettings(env: Env, inputs: AuthInputs = {}): AuthSettings {
  const pick = (input: string | undefined, name: string): string | undefined => given(input) ?? given(env[name])
  const s: AuthSettings = {}
  const set = <K extends keyof AuthSettings>(k: K, v: string | undefined): void => {
    if (v !== undefined) s[k] = v
  }
  set('host', pick(inputs.host, 'DATABRICKS_HOST'))
  set('token', pick(inputs.token, 'DATABRICKS_TOKEN'))
  set('clientId', pick(inputs.clientId, 'DATABRICKS_CLIENT_ID'))
  set('clientSecret', pick(inputs.clientSecret, 'DATABRICKS_CLIENT_SECRET'))
  set('authType', pick(inputs.authType, 'DATABRICKS_AUTH_TYPE')?.toLowerCase())
  set('accountId', pick(inputs.accountId, 'DATABRICKS_ACCOUNT_ID'))
  set('tokenAudience', pick(inputs.tokenAudience, 'DATABRICKS_TOKEN_AUDIENCE'))
  return s
}

/** The workspace host from the `host` input or DATABRICKS_HOST, normalised. */
export function resolveHost(env: Env, inputs: AuthInputs = {}, names: Names = NEUTRAL_NAMES): string {
  const host = readAuthSettings(env, inputs).host
  if (host === undefined)
    throw new SpaceOpsError(`no Databricks host: set DATABRICKS_HOST${viaOption(names, 'host', ' (or ', ')')}, e.g. https://adb-123.4.azuredatabricks.net`)
  return normalizeHost(host, names)
}

/** Picks the auth method and builds its provider. Registers every secret it sees. */
export function resolveAuth(options: ResolveAuthOptions): AuthProvider {
  const secrets = options.transport.secrets
  const s = readAuthSettings(options.env, options.inputs)
  // Register first: whatever happens next, these are masked.
  secrets.add(s.token)
  secrets.add(s.clientSecret)

  const names = options.names ?? NEUTRAL_NAMES
  const hostRaw = options.host ?? s.host
  const host = (): string => {
    if (hostRaw === undefined) throw new SpaceOpsError(`no Databricks host: set DATABRICKS_HOST${viaOption(names, 'host', ' (or ', ')')}`)
    return normalizeHost(hostRaw, names)
  }
  const clientIdOption = viaOption(names, 'client-id', ' (or ', ')')

  let method: AuthMethod
  if (s.authType !== undefined) {
    if (!(AUTH_METHODS as readonly string[]).includes(s.authType)) {
      throw new SpaceOpsError(`DATABRICKS_AUTH_TYPE "${s.authType}" is not supported; use one of: ${AUTH_METHODS.join(', ')}`)
    }
    method = s.authType as AuthMethod
  } else if (s.token !== undefined) {
    method = 'pat'
    if (s.clientId !== undefined && s.clientSecret !== undefined) {
      options.logger?.warn(
        'both a Databricks token and OAuth client credentials are set; using the token (set DATABRICKS_AUTH_TYPE=oauth-m2m to use the service principal)'
      )
    }
  } else if (s.clientId !== undefined && s.clientSecret !== undefined) {
    method = 'oauth-m2m'
  } else {
    let hint = ''
    if (s.clientId !== undefined) hint = ' (DATABRICKS_CLIENT_ID is set but DATABRICKS_CLIENT_SECRET is not)'
    else if (s.clientSecret !== undefined) hint = ' (DATABRICKS_CLIENT_SECRET is set but DATABRICKS_CLIENT_ID is not)'
    throw new SpaceOpsError(
      `no Databricks credentials${hint}: set DATABRICKS_TOKEN (personal access token), or DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET (OAuth M2M service principal), or DATABRICKS_AUTH_TYPE=github-oidc with DATABRICKS_CLIENT_ID (GitHub OIDC federation)${alternatives(names)}`
    )
  }

  switch (method) {
    case 'pat':
      if (s.token === undefined) throw new SpaceOpsError(`DATABRICKS_AUTH_TYPE=pat needs DATABRICKS_TOKEN${viaOption(names, 'token', ' (or ', ')')}`)
      return new PatAuth(s.token, secrets)
    case 'oauth-m2m':
      if (s.clientId === undefined || s.clientSecret === undefined) {
        throw new SpaceOpsError(
          `DATABRICKS_AUTH_TYPE=oauth-m2m needs DATABRICKS_CLIENT_ID${clientIdOption} and DATABRICKS_CLIENT_SECRET${viaOption(names, 'client-secret', ' (or ', ')')}`
        )
      }
      return new OAuthM2MAuth({ host: host(), transport: options.transport, clientId: s.clientId, clientSecret: s.clientSecret })
    case 'github-oidc': {
      if (s.clientId === undefined) {
        throw new SpaceOpsError(
          `DATABRICKS_AUTH_TYPE=github-oidc needs DATABRICKS_CLIENT_ID${clientIdOption}: the service principal's application id named in its federation policy`
        )
      }
      if (!options.getIdToken) {
        throw new SpaceOpsError('DATABRICKS_AUTH_TYPE=github-oidc works only inside a GitHub Actions job (no ID token source is available here)')
      }
      const h = host()
      return new GitHubOidcAuth({
        host: h,
        transport: options.transport,
        clientId: s.clientId,
        audience: s.tokenAudience ?? s.accountId ?? h,
        getIdToken: options.getIdToken
      })
    }
  }
}

/** "; --token does the same" / "; the token, client-id and client-secret inputs do the same": what this face offers beside the variables. */
function alternatives(names: Names): string {
  const offered = (['token', 'client-id', 'client-secret'] as const).map((n) => names.option(n)).filter((w): w is string => w !== undefined)
  if (!offered.length) return ''
  return `; ${offered.join(', ').replace(/, ([^,]*)$/, ' and $1')} ${offered.length === 1 ? 'does' : 'do'} the same`
}
