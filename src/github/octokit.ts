import { getOctokit } from '@actions/github'
import { SpaceOpsError, oneLine } from '../util/errors.js'

/**
 * The GitHub REST client SpaceOps talks through, and the one-line error it throws.
 *
 * Everything in `src/github/` takes a `GitHubClient` (the `request` method of an Octokit), never a
 * global: `createOctokit` builds the real one with an injected fetch and base URL, so tests point it
 * at msw or at the loopback fake (`__tests__/helpers/fake-github.ts`).
 */

export const DEFAULT_API_URL = 'https://api.github.com'

/** What a GitHub REST call answers: Octokit's response, reduced to what SpaceOps reads. */
export interface GitHubResponse {
  status: number
  data: unknown
  headers: Record<string, string | number | undefined>
}

/** The part of an Octokit SpaceOps uses. An Octokit from `getOctokit` satisfies it. */
export interface GitHubClient {
  request(route: string, parameters?: Record<string, unknown>): Promise<GitHubResponse>
}

/** A WHATWG fetch (global fetch, undici's fetch, or a test wrapper around either). */
export type GitHubFetch = (input: string, init?: RequestInit) => Promise<Response>

export interface CreateOctokitOptions {
  /** Always pass one: msw (and any proxy setup) only sees the fetch you give it. */
  fetch: GitHubFetch
  /** `GITHUB_API_URL`; defaults to https://api.github.com. A trailing slash is dropped. */
  baseUrl?: string
  userAgent?: string
  /** Where Octokit's own notices (deprecations) go; silent by default. */
  log?: { debug(message: string): void; warn(message: string): void }
}

export type Octokit = ReturnType<typeof getOctokit>

/** An Octokit for `token` that sends every request through `fetch` to `baseUrl`. */
export function createOctokit(token: string, options: CreateOctokitOptions): Octokit {
  const log = options.log
  return getOctokit(token, {
    baseUrl: (options.baseUrl || DEFAULT_API_URL).replace(/\/+$/, ''),
    request: { fetch: options.fetch },
    userAgent: options.userAgent ?? 'spaceops',
    log: {
      debug: (m: string) => log?.debug(m),
      info: (m: string) => log?.debug(m),
      warn: (m: string) => log?.warn(m),
      error: (m: string) => log?.warn(m)
    }
  })
}

/**
 * A GitHub API call that failed. `status` is the HTTP status (0 when no answer came back);
 * `apiMessage` is GitHub's own `message` field. The message is one line and never holds request
 * headers (so never the token).
 */
export class GitHubApiError extends SpaceOpsError {
  readonly status: number
  readonly apiMessage: string
  readonly route: string

  constructor(route: string, status: number, apiMessage: string, options: { cause?: unknown } = {}) {
    const what = status === 0 ? `no answer (${apiMessage})` : `${status}${apiMessage ? ` ${apiMessage}` : ''}`
    super(`GitHub API ${route} failed: ${what}`, options)
    this.name = 'GitHubApiError'
    this.status = status
    this.apiMessage = oneLine(apiMessage)
    this.route = route
  }
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined
}

/** Turn whatever Octokit threw into a `GitHubApiError` (keeping one that already is). */
export function toGitHubApiError(route: string, err: unknown): GitHubApiError {
  if (err instanceof GitHubApiError) return err
  const response = field(err, 'response')
  const status = field(err, 'status')
  if (response !== undefined && typeof status === 'number') {
    const data = field(response, 'data')
    const apiMessage = field(data, 'message')
    // kept whole: it is redacted before anything prints (and so before anything cuts) it
    const text = typeof apiMessage === 'string' ? apiMessage : typeof data === 'string' ? data : ''
    return new GitHubApiError(route, status, text, { cause: err })
  }
  // No response: a network failure (Octokit reports those as status 500 without a response).
  const message = err instanceof Error ? err.message || err.name : String(err)
  return new GitHubApiError(route, 0, message, { cause: err })
}

/** `client.request`, with failures as one-line `GitHubApiError`s naming the route. */
export async function githubRequest(client: GitHubClient, route: string, parameters?: Record<string, unknown>): Promise<GitHubResponse> {
  try {
    return await client.request(route, parameters)
  } catch (err) {
    throw toGitHubApiError(routeLabel(route, parameters), err)
  }
}

/** `GET /repos/{owner}/{repo}` with the path parameters filled in, for messages. */
export function routeLabel(route: string, parameters: Record<string, unknown> = {}): string {
  return route.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = parameters[name]
    return typeof v === 'string' || typeof v === 'number' ? String(v) : whole
  })
}

/** Whether a Link header is present, and the URL of its `rel="next"` page if it has one. */
export function parseLinkHeader(headers: GitHubResponse['headers']): { present: boolean; next?: string } {
  const link = headers.link ?? headers.Link
  if (typeof link !== 'string' || link.trim() === '') return { present: false }
  for (const part of link.split(',')) {
    const m = /<([^>]*)>(.*)$/.exec(part.trim())
    const rel = m ? /\brel="?([^";]*)"?/.exec(m[2] ?? '') : null
    if (m && rel && (rel[1] ?? '').split(/\s+/).includes('next')) return { present: true, next: m[1] ?? '' }
  }
  return { present: true }
}

export interface PageOptions<T> {
  /** Validates one item of a page; a page that is not an array of these is an error. */
  parseItem: (item: unknown, index: number) => T
  /** `per_page`; GitHub's maximum (and the default here) is 100. */
  perPage?: number
  /** Stop once this many items were read (GitHub's own caps, e.g. 3000 files of a pull request). */
  maxItems?: number
  /** A guard against endless paging; 1000 pages by default. */
  maxPages?: number
}

export interface Pages<T> {
  items: T[]
  pages: number
  /** True when `maxItems` was reached or `maxPages` stopped the listing: there may be more. */
  capped: boolean
}

/**
 * Read a `page`/`per_page` listing to its end: stops at a short page, or when a Link header is
 * present and has no `rel="next"` (a full page without any Link header is followed by one more
 * request, which comes back empty).
 */
export async function listAllPages<T>(client: GitHubClient, route: string, parameters: Record<string, unknown>, options: PageOptions<T>): Promise<Pages<T>> {
  const perPage = Math.min(Math.max(1, options.perPage ?? 100), 100)
  const maxPages = options.maxPages ?? 1000
  const items: T[] = []
  for (let page = 1; ; page++) {
    const res = await githubRequest(client, route, { ...parameters, per_page: perPage, page })
    if (!Array.isArray(res.data)) {
      throw new GitHubApiError(routeLabel(route, parameters), res.status, `expected a list, got ${res.data === null ? 'null' : typeof res.data}`)
    }
    const data: unknown[] = res.data
    data.forEach((raw, i) => items.push(options.parseItem(raw, i)))
    if (options.maxItems !== undefined && items.length >= options.maxItems) {
      // Reaching the cap means "maybe more": GitHub does not say whether the list went on.
      items.length = options.maxItems
      return { items, pages: page, capped: true }
    }
    const link = parseLinkHeader(res.headers)
    if (data.length < perPage || (link.present && link.next === undefined)) return { items, pages: page, capped: false }
    if (page >= maxPages) return { items, pages: page, capped: true }
  }
}
