/**
 * Bearer-token check for /api/** (genie-api.md, "Auth": `Authorization: Bearer <token>`).
 * Error wording is a guess at Databricks' (its gateway answers 401 for a missing credential).
 */
import type { IncomingHttpHeaders } from 'node:http'
import type { RouteEnv } from './env.js'
import { ApiError } from './http.js'

export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const h = headers['authorization']
  if (typeof h !== 'string') return undefined
  const m = /^Bearer\s+(\S.*)$/i.exec(h.trim())
  return m ? (m[1] as string).trim() : undefined
}

export function authenticate(headers: IncomingHttpHeaders, env: RouteEnv): void {
  const token = bearerToken(headers)
  if (!token) {
    throw new ApiError(401, 'UNAUTHORIZED', 'Credential was not sent or was of an unsupported type for this API.', {
      'www-authenticate': 'Bearer'
    })
  }
  const expiry = env.state.tokenExpiry(token)
  if (expiry !== undefined) {
    // An OAuth token this emulator issued: valid for one hour (expires_in 3600).
    if (expiry <= env.clock()) throw new ApiError(401, 'UNAUTHORIZED', 'Token is expired.')
    return
  }
  if (env.auth.users && Object.hasOwn(env.auth.users, token)) return
  if (env.auth.tokens && !env.auth.tokens.includes(token)) throw new ApiError(401, 'UNAUTHORIZED', 'Invalid access token.')
}
