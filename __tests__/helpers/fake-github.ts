/**
 * A fake of the parts of the GitHub REST API SpaceOps uses, as a real HTTP server on 127.0.0.1:
 * `GET /user`, an issue's comments (list with Link pagination, create, get, update, delete), a
 * pull request's files (paginated, capped at 3000 like GitHub), issues (list with state and
 * creator filters, create, get, update) and a file's content at a commit (`GET …/contents/{path}?ref=`,
 * from `setContents`). State lives in memory and is open
 * to the test (`state`); every request is logged (never the token).
 *
 *   const gh = await startFakeGitHub({ repo: 'octo/app' })
 *   // GITHUB_API_URL=gh.url …
 *   gh.state.comments; gh.state.requests; gh.state.failWrites = true
 *   await gh.close()
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeUser {
  login: string
  id: number
  type: 'User' | 'Bot'
}

export interface FakeComment {
  id: number
  node_id: string
  issue_number: number
  body: string
  user: FakeUser
  created_at: string
  updated_at: string
  html_url: string
  url: string
}

export interface FakeIssue {
  number: number
  title: string
  body: string
  state: 'open' | 'closed'
  state_reason: string | null
  user: FakeUser
  html_url: string
}

export interface FakePullFile {
  filename: string
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged'
  previous_filename?: string
}

export interface FakeRequest {
  method: string
  /** Path without the query. */
  path: string
  query: Record<string, string>
  status: number
  /** The parsed JSON body of a write. */
  body?: unknown
  /** Whether an Authorization header came with it (its value is never kept). */
  authorized: boolean
}

export interface FakeGitHubOptions {
  /** The one repository that exists, `owner/name` (default `octo/spaceops`). */
  repo?: string
  /**
   * Who the token is. `github-token` (default) behaves like a workflow's GITHUB_TOKEN: `GET /user`
   * answers 403 and comments are by `github-actions[bot]`. `pat` answers `GET /user` with `login`.
   */
  identity?: { kind: 'github-token' } | { kind: 'pat'; login: string }
  /** Writes answer 403 "Resource not accessible by integration" (a fork's read-only token). */
  failWrites?: boolean
  /** When set, requests must carry `Authorization: token|Bearer <token>`, else 401. */
  token?: string
  /** Server URL used in html_url (default https://github.com). */
  serverUrl?: string
}

export interface FakeGitHubState {
  owner: string
  repo: string
  comments: FakeComment[]
  issues: FakeIssue[]
  /** Pull request number → its files. */
  pullFiles: Map<number, FakePullFile[]>
  requests: FakeRequest[]
  failWrites: boolean
  identity: NonNullable<FakeGitHubOptions['identity']>
  /** Add a comment as anyone (for existing history and lookalikes). */
  addComment(issueNumber: number, body: string, login?: string): FakeComment
  /** Comments of one issue, oldest first. */
  commentsOf(issueNumber: number): FakeComment[]
  setPullFiles(pullNumber: number, files: (string | FakePullFile)[]): void
  /** The files of commit `ref` (path → text), for the contents API. */
  setContents(ref: string, files: Record<string, string>): void
  /** The requests that changed something (not GET). */
  writes(): FakeRequest[]
}

export interface FakeGitHub {
  url: string
  state: FakeGitHubState
  close(): Promise<void>
}

const BOT: FakeUser = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' }
const COMMENT_LIMIT = 65_536
const FILES_CAP = 3000

function userFor(login: string): FakeUser {
  if (login === BOT.login) return BOT
  let id = 1000
  for (const ch of login) id = (id * 31 + (ch.codePointAt(0) ?? 0)) % 10_000_000
  return { login, id, type: login.endsWith('[bot]') ? 'Bot' : 'User' }
}

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const [owner = 'octo', repoName = 'spaceops'] = (options.repo ?? 'octo/spaceops').split('/')
  const serverUrl = (options.serverUrl ?? 'https://github.com').replace(/\/+$/, '')
  let nextId = 1_000_001
  let nextIssue = 100
  let clock = Date.parse('2026-01-01T00:00:00Z')
  let baseUrl = ''

  const tick = (): string => {
    clock += 1000
    return new Date(clock).toISOString()
  }

  const contents = new Map<string, Map<string, string>>()
  const state: FakeGitHubState = {
    owner,
    repo: repoName,
    comments: [],
    issues: [],
    pullFiles: new Map(),
    requests: [],
    setContents(ref, files) {
      contents.set(ref, new Map(Object.entries(files)))
    },
    failWrites: options.failWrites ?? false,
    identity: options.identity ?? { kind: 'github-token' },
    addComment(issueNumber, body, login) {
      const id = nextId++
      const at = tick()
      const c: FakeComment = {
        id,
        node_id: `IC_fake${id}`,
        issue_number: issueNumber,
        body,
        user: userFor(login ?? postingLogin()),
        created_at: at,
        updated_at: at,
        html_url: `${serverUrl}/${owner}/${repoName}/pull/${issueNumber}#issuecomment-${id}`,
        url: `${baseUrl}/repos/${owner}/${repoName}/issues/comments/${id}`
      }
      state.comments.push(c)
      return c
    },
    commentsOf(issueNumber) {
      return state.comments.filter((c) => c.issue_number === issueNumber)
    },
    setPullFiles(pullNumber, files) {
      state.pullFiles.set(
        pullNumber,
        files.map((f) => (typeof f === 'string' ? { filename: f, status: 'modified' } : f))
      )
    },
    writes() {
      return state.requests.filter((r) => r.method !== 'GET')
    }
  }

  function postingLogin(): string {
    return state.identity.kind === 'pat' ? state.identity.login : BOT.login
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): number {
    const text = body === undefined ? '' : JSON.stringify(body)
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-github-request-id': `FAKE:${state.requests.length}`, ...headers })
    res.end(text)
    return status
  }

  const error = (res: ServerResponse, status: number, message: string, extra: Record<string, unknown> = {}) =>
    send(res, status, { message, documentation_url: 'https://docs.github.com/rest', status: String(status), ...extra })

  /** One page of `items` with GitHub's Link header (first/prev/next/last as they apply). */
  function page<T>(res: ServerResponse, path: string, query: Record<string, string>, items: T[]): number {
    const perPage = Math.min(Math.max(parseInt(query.per_page ?? '30', 10) || 30, 1), 100)
    const pageNo = Math.max(parseInt(query.page ?? '1', 10) || 1, 1)
    const last = Math.max(1, Math.ceil(items.length / perPage))
    const slice = items.slice((pageNo - 1) * perPage, pageNo * perPage)
    const link = (p: number, rel: string) => {
      const q = new URLSearchParams({ ...query, per_page: String(perPage), page: String(p) })
      return `<${baseUrl}${path}?${q.toString()}>; rel="${rel}"`
    }
    const links: string[] = []
    if (pageNo > 1) links.push(link(pageNo - 1, 'prev'))
    if (pageNo < last) links.push(link(pageNo + 1, 'next'), link(last, 'last'))
    if (pageNo > 1) links.push(link(1, 'first'))
    return send(res, 200, slice, links.length ? { link: links.join(', ') } : {})
  }

  async function readJson(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    if (text === '') return undefined
    try {
      return JSON.parse(text) as unknown
    } catch {
      return Symbol.for('invalid-json')
    }
  }

  function bodyProblem(res: ServerResponse, body: unknown): number | undefined {
    if (body === Symbol.for('invalid-json')) return error(res, 400, 'Problems parsing JSON')
    const text = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).body : undefined
    if (typeof text !== 'string' || text === '') {
      return error(res, 422, 'Invalid request.', { errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }] })
    }
    if ([...text].length > COMMENT_LIMIT) {
      return error(res, 422, 'Validation Failed', {
        errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: `body is too long (maximum is ${COMMENT_LIMIT} characters)` }]
      })
    }
    return undefined
  }

  async function handle(req: IncomingMessage, res: ServerResponse, entry: FakeRequest, body: unknown): Promise<number> {
    const { method, path, query } = entry
    const write = method !== 'GET'

    if (options.token !== undefined) {
      const auth = req.headers.authorization ?? ''
      const m = /^(?:token|bearer)\s+(.+)$/i.exec(auth)
      if (!m || m[1] !== options.token) return error(res, 401, 'Bad credentials')
    }

    if (method === 'GET' && path === '/user') {
      if (state.identity.kind === 'github-token') return error(res, 403, 'Resource not accessible by integration')
      return send(res, 200, userFor(state.identity.login))
    }

    const repoMatch = /^\/repos\/([^/]+)\/([^/]+)(\/.*)$/.exec(path)
    if (!repoMatch) return error(res, 404, 'Not Found')
    if (repoMatch[1] !== owner || repoMatch[2] !== repoName) return error(res, 404, 'Not Found')
    const rest = repoMatch[3] ?? ''

    if (rest === '/issues') {
      if (method === 'GET') {
        const wanted = query.state ?? 'open'
        return page(
          res,
          path,
          query,
          state.issues.filter((i) => (wanted === 'all' || i.state === wanted) && (!query.creator || i.user.login === query.creator))
        )
      }
      if (method === 'POST') {
        if (state.failWrites) return error(res, 403, 'Resource not accessible by integration')
        const b = (body ?? {}) as { title?: unknown; body?: unknown }
        if (typeof b.title !== 'string' || b.title === '')
          return error(res, 422, 'Validation Failed', { errors: [{ resource: 'Issue', code: 'missing_field', field: 'title' }] })
        const number = nextIssue++
        const issue: FakeIssue = {
          number,
          title: b.title,
          body: typeof b.body === 'string' ? b.body : '',
          state: 'open',
          state_reason: null,
          user: userFor(postingLogin()),
          html_url: `${serverUrl}/${owner}/${repoName}/issues/${number}`
        }
        state.issues.push(issue)
        return send(res, 201, issue)
      }
      return error(res, 404, 'Not Found')
    }
    let m = /^\/issues\/(\d+)$/.exec(rest)
    if (m) {
      const issue = state.issues.find((i) => i.number === Number(m?.[1]))
      if (!issue) return error(res, 404, 'Not Found')
      if (method === 'GET') return send(res, 200, issue)
      if (method === 'PATCH') {
        if (state.failWrites) return error(res, 403, 'Resource not accessible by integration')
        const b = (body ?? {}) as { title?: unknown; body?: unknown; state?: unknown; state_reason?: unknown }
        if (typeof b.title === 'string') issue.title = b.title
        if (typeof b.body === 'string') issue.body = b.body
        if (b.state === 'open' || b.state === 'closed') issue.state = b.state
        if (typeof b.state_reason === 'string') issue.state_reason = b.state_reason
        return send(res, 200, issue)
      }
      return error(res, 404, 'Not Found')
    }

    m = /^\/issues\/(\d+)\/comments$/.exec(rest)
    if (m) {
      const issue = Number(m[1])
      if (method === 'GET') return page(res, path, query, state.commentsOf(issue))
      if (method === 'POST') {
        if (state.failWrites) return error(res, 403, 'Resource not accessible by integration')
        const problem = bodyProblem(res, body)
        if (problem) return problem
        const c = state.addComment(issue, (body as { body: string }).body)
        return send(res, 201, c, { location: c.url })
      }
      return error(res, 404, 'Not Found')
    }

    m = /^\/issues\/comments\/(\d+)$/.exec(rest)
    if (m) {
      const id = Number(m[1])
      const c = state.comments.find((x) => x.id === id)
      if (method === 'GET') return c ? send(res, 200, c) : error(res, 404, 'Not Found')
      if (write && state.failWrites) return error(res, 403, 'Resource not accessible by integration')
      if (!c) return error(res, 404, 'Not Found')
      if (method === 'PATCH') {
        const problem = bodyProblem(res, body)
        if (problem) return problem
        c.body = (body as { body: string }).body
        c.updated_at = tick()
        return send(res, 200, c)
      }
      if (method === 'DELETE') {
        state.comments.splice(state.comments.indexOf(c), 1)
        res.writeHead(204)
        res.end()
        return 204
      }
      return error(res, 404, 'Not Found')
    }

    m = /^\/contents\/(.+)$/.exec(rest)
    if (m && method === 'GET') {
      const text = contents.get(query.ref ?? '')?.get(decodeURIComponent(m[1] ?? ''))
      if (text === undefined) return error(res, 404, 'Not Found')
      // GitHub wraps the base64 content at 60 characters
      const content = (
        Buffer.from(text)
          .toString('base64')
          .match(/.{1,60}/g) ?? []
      ).join('\n')
      return send(res, 200, { type: 'file', encoding: 'base64', path: decodeURIComponent(m[1] ?? ''), size: Buffer.byteLength(text), content })
    }

    m = /^\/pulls\/(\d+)\/files$/.exec(rest)
    if (m && method === 'GET') {
      const files = state.pullFiles.get(Number(m[1]))
      if (!files) return error(res, 404, 'Not Found')
      return page(res, path, query, files.slice(0, FILES_CAP))
    }

    return error(res, 404, 'Not Found')
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const entry: FakeRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname.replace(/\/+$/, '') || '/',
      query: Object.fromEntries(url.searchParams),
      status: 0,
      authorized: req.headers.authorization !== undefined
    }
    state.requests.push(entry)
    void (async () => {
      const body = entry.method === 'GET' ? undefined : await readJson(req)
      if (body !== undefined && body !== Symbol.for('invalid-json')) entry.body = body
      entry.status = await handle(req, res, entry, body)
    })().catch((err: unknown) => {
      entry.status = 500
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ message: err instanceof Error ? err.message : String(err) }))
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url: baseUrl,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      })
  }
}

/** The same as `startFakeGitHub`. */
export const start = startFakeGitHub
