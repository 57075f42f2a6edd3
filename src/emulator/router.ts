/**
 * A small path router. Route modules (routes/*.ts) register their endpoints with `router.add`;
 * new endpoint families (conversations, eval runs, SQL statements) go in new files that export a
 * `register…Routes(router, env)` function and are listed in server.ts — nothing here changes.
 *
 * Patterns are literal segments and `{name}` parameters: `/api/2.0/genie/spaces/{space_id}`.
 * When several patterns match a path, the one with literal segments earliest wins
 * (`/x/list` beats `/x/{id}`). A trailing slash is ignored (the real API accepts
 * `POST /api/2.0/sql/statements/`, see fixtures/SOURCES.md).
 */
import type { IncomingHttpHeaders } from 'node:http'
import type { ApiResponse } from './http.js'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RouteRequest {
  method: string
  /** Path without query string. */
  path: string
  params: Readonly<Record<string, string>>
  query: URLSearchParams
  headers: IncomingHttpHeaders
  rawBody: string
}

export type RouteHandler = (req: RouteRequest) => ApiResponse | Promise<ApiResponse>

export interface RouteDef {
  method: HttpMethod
  pattern: string
  /**
   * Short operation name: used in the request log and for per-endpoint fault rates
   * (`--error-rate-for list=0.5`). Unique per router.
   */
  op: string
  handler: RouteHandler
}

interface CompiledRoute extends RouteDef {
  segments: ({ literal: string } | { param: string })[]
}

export type RouteMatch =
  | { kind: 'found'; route: RouteDef; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: HttpMethod[] }
  | { kind: 'not-found' }

export function splitPath(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
  return trimmed.split('/').slice(1)
}

export class Router {
  private readonly routes: CompiledRoute[] = []

  add(def: RouteDef): this {
    if (this.routes.some((r) => r.op === def.op)) throw new Error(`duplicate route op ${def.op}`)
    if (this.routes.some((r) => r.method === def.method && r.pattern === def.pattern)) {
      throw new Error(`duplicate route ${def.method} ${def.pattern}`)
    }
    const segments = splitPath(def.pattern).map((s) => {
      const m = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(s)
      return m ? { param: m[1] as string } : { literal: s }
    })
    this.routes.push({ ...def, segments })
    return this
  }

  /** Registered routes (method, pattern, op), in registration order. */
  list(): { method: HttpMethod; pattern: string; op: string }[] {
    return this.routes.map((r) => ({ method: r.method, pattern: r.pattern, op: r.op }))
  }

  match(method: string, path: string): RouteMatch {
    let parts: string[]
    try {
      parts = splitPath(path).map((p) => decodeURIComponent(p))
    } catch {
      return { kind: 'not-found' }
    }
    const candidates: { route: CompiledRoute; params: Record<string, string>; score: string }[] = []
    for (const route of this.routes) {
      if (route.segments.length !== parts.length) continue
      const params: Record<string, string> = {}
      let score = ''
      let matched = true
      for (let i = 0; i < parts.length; i++) {
        const seg = route.segments[i]
        const part = parts[i] as string
        if (seg === undefined) {
          matched = false
          break
        }
        if ('literal' in seg) {
          if (seg.literal !== part) {
            matched = false
            break
          }
          score += '1'
        } else {
          if (part === '') {
            matched = false
            break
          }
          params[seg.param] = part
          score += '0'
        }
      }
      if (matched) candidates.push({ route, params, score })
    }
    if (candidates.length === 0) return { kind: 'not-found' }
    const forMethod = candidates.filter((c) => c.route.method === method)
    if (forMethod.length === 0) {
      const allowed = [...new Set(candidates.map((c) => c.route.method))].sort()
      return { kind: 'method-not-allowed', allowed }
    }
    forMethod.sort((a, b) => (a.score < b.score ? 1 : a.score > b.score ? -1 : 0))
    const best = forMethod[0] as (typeof forMethod)[number]
    return { kind: 'found', route: best.route, params: best.params }
  }
}
