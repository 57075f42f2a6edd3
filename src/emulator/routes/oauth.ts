/**
 * `POST /oidc/v1/token` (genie-api.md, "Auth"): OAuth M2M (client_credentials, HTTP basic auth)
 * and GitHub Actions OIDC (RFC 8693 token exchange of a JWT). Errors use the OAuth shape
 * `{error, error_description}` (RFC 6749 §5.2), not the Databricks envelope.
 * Issued tokens are opaque (`emu-…`), accepted as bearer tokens on /api/** for 3600 s of `clock`.
 */
import type { RouteEnv } from '../env.js'
import { ok, type ApiResponse } from '../http.js'
import type { Router } from '../router.js'

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange'
const JWT_TYPE = 'urn:ietf:params:oauth:token-type:jwt'
const EXPIRES_IN = 3600

function oauthError(status: number, error: string, description: string, headers: Record<string, string> = {}): ApiResponse {
  return { status, body: { error, error_description: description }, headers: { 'cache-control': 'no-store', ...headers } }
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header) return undefined
  const m = /^Basic\s+(\S+)$/i.exec(header.trim())
  if (!m) return undefined
  const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) }
}

/** The claims of a compact JWS, or undefined if it is not one. The signature is not checked. */
function jwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.')
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) return undefined
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString('utf8'))
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

export function registerOAuthRoutes(router: Router, env: RouteEnv): void {
  // The discovery document the Databricks SDKs read before M2M auth (genie-api.md, "OAuth
  // discovery"); unauthenticated, like the token endpoint. The notes name the document, not its
  // fields: these are RFC 8414's, with Databricks' endpoint paths (/oidc/v1/token, /oidc/v1/authorize).
  router.add({
    method: 'GET',
    pattern: '/oidc/.well-known/oauth-authorization-server',
    op: 'oidc-discovery',
    handler: (req) => {
      // the URLs name the loopback address the client used; any other Host header is not reflected
      const given = typeof req.headers['host'] === 'string' ? req.headers['host'] : ''
      const host = /^(127\.0\.0\.1|localhost|\[::1\]):\d{1,5}$/.test(given) ? given : '127.0.0.1'
      const base = `http://${host}/oidc`
      return ok({
        issuer: base,
        authorization_endpoint: `${base}/v1/authorize`,
        token_endpoint: `${base}/v1/token`,
        jwks_uri: `${base}/jwks.json`,
        grant_types_supported: ['client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange'],
        response_types_supported: ['code'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        scopes_supported: ['all-apis', 'offline_access']
      })
    }
  })
  router.add({
    method: 'POST',
    pattern: '/oidc/v1/token',
    op: 'oidc-token',
    handler: (req) => {
      const form = new URLSearchParams(req.rawBody)
      const grantType = form.get('grant_type')
      const scope = form.get('scope') || 'all-apis'
      if (!grantType) return oauthError(400, 'invalid_request', 'Missing grant_type')

      if (grantType === 'client_credentials') {
        const authHeader = typeof req.headers['authorization'] === 'string' ? req.headers['authorization'] : undefined
        const creds = basicCredentials(authHeader) ?? {
          id: form.get('client_id') ?? '',
          secret: form.get('client_secret') ?? ''
        }
        if (!creds.id || !creds.secret) {
          return oauthError(401, 'invalid_client', 'Client authentication failed', { 'www-authenticate': 'Basic' })
        }
        if (
          (env.auth.clientId !== undefined && creds.id !== env.auth.clientId) ||
          (env.auth.clientSecret !== undefined && creds.secret !== env.auth.clientSecret)
        ) {
          return oauthError(401, 'invalid_client', 'Client authentication failed', { 'www-authenticate': 'Basic' })
        }
      } else if (grantType === TOKEN_EXCHANGE) {
        const subject = form.get('subject_token')
        if (!subject) return oauthError(400, 'invalid_request', 'Missing subject_token')
        if (form.get('subject_token_type') !== JWT_TYPE) {
          return oauthError(400, 'invalid_request', `subject_token_type must be ${JWT_TYPE}`)
        }
        if (!form.get('client_id')) return oauthError(400, 'invalid_request', 'Missing client_id')
        const claims = jwtClaims(subject)
        if (!claims) return oauthError(400, 'invalid_request', 'subject_token is not a JWT')
        const exp = claims['exp']
        if (typeof exp === 'number' && exp * 1000 <= env.clock()) return oauthError(400, 'invalid_grant', 'subject_token is expired')
        if (env.auth.oidcAudience !== undefined) {
          const aud = claims['aud']
          const auds = Array.isArray(aud) ? aud : [aud]
          if (!auds.includes(env.auth.oidcAudience)) {
            return oauthError(400, 'invalid_grant', 'subject_token audience does not match the federation policy')
          }
        }
      } else {
        return oauthError(400, 'unsupported_grant_type', `Unsupported grant_type: ${grantType}`)
      }

      const token = env.state.newToken()
      env.state.addToken(token, env.clock() + EXPIRES_IN * 1000)
      return {
        status: 200,
        body: { access_token: token, token_type: 'Bearer', expires_in: EXPIRES_IN, scope },
        headers: { 'cache-control': 'no-store' }
      }
    }
  })
}
