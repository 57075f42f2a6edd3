/** msw handlers faking GitHub's issue comments API over an in-memory store, for unit tests. */
import { http, HttpResponse, type HttpHandler } from 'msw'
import { createOctokit } from '../../src/github/octokit.js'

export const API = 'https://api.github.com'
export const TOKEN = 'ghs_FAKEtoken0123456789abcdefghijklmnop'
export const REPO = { owner: 'octo', repo: 'spaceops' }

export interface StoredComment {
  id: number
  body: string
  user: { login: string }
  created_at: string
  html_url: string
}

export interface Seen {
  method: string
  path: string
  search: URLSearchParams
  body?: unknown
}

export class CommentStore {
  comments: StoredComment[] = []
  seen: Seen[] = []
  /** What GET /user answers: a login, or an error status (403 like GITHUB_TOKEN). */
  user: { login: string } | { status: number } = { status: 403 }
  /** Status to answer writes with instead of doing them. */
  failWrites: { status: number; message: string } | undefined
  /** Status to answer the list with. */
  failList: { status: number; message: string } | undefined
  /** Send Link headers (GitHub does); without them the client must stop at a short page. */
  linkHeaders = true
  private next = 9000
  private clock = Date.parse('2026-02-01T00:00:00Z')

  add(body: string, login = 'github-actions[bot]', issue = 7): StoredComment {
    const id = this.next++
    this.clock += 60_000
    const c = {
      id,
      body,
      user: { login },
      created_at: new Date(this.clock).toISOString(),
      html_url: `https://github.com/octo/spaceops/pull/${issue}#issuecomment-${id}`
    }
    this.comments.push(c)
    return c
  }

  writes(): Seen[] {
    return this.seen.filter((s) => s.method !== 'GET')
  }

  handlers(): HttpHandler[] {
    const record = async (request: Request) => {
      const url = new URL(request.url)
      const raw = request.method === 'GET' ? '' : await request.clone().text()
      const entry: Seen = { method: request.method, path: url.pathname, search: url.searchParams }
      if (raw) entry.body = JSON.parse(raw) as unknown
      this.seen.push(entry)
    }
    return [
      http.get(`${API}/user`, async ({ request }) => {
        await record(request)
        if ('status' in this.user) return HttpResponse.json({ message: 'Resource not accessible by integration' }, { status: this.user.status })
        return HttpResponse.json({ login: this.user.login, id: 1, type: 'User' })
      }),
      http.get(`${API}/repos/octo/spaceops/issues/:n/comments`, async ({ request }) => {
        await record(request)
        if (this.failList) return HttpResponse.json({ message: this.failList.message }, { status: this.failList.status })
        const url = new URL(request.url)
        const per = Number(url.searchParams.get('per_page') ?? '30')
        const page = Number(url.searchParams.get('page') ?? '1')
        const last = Math.max(1, Math.ceil(this.comments.length / per))
        const headers: Record<string, string> = {}
        if (this.linkHeaders && last > 1) {
          const l = (p: number, rel: string) => `<${API}${url.pathname}?per_page=${per}&page=${p}>; rel="${rel}"`
          headers.link = [page < last ? l(page + 1, 'next') : '', l(last, 'last'), l(1, 'first')].filter(Boolean).join(', ')
        }
        return HttpResponse.json(this.comments.slice((page - 1) * per, page * per), { headers })
      }),
      http.post(`${API}/repos/octo/spaceops/issues/:n/comments`, async ({ request }) => {
        await record(request)
        if (this.failWrites) return HttpResponse.json({ message: this.failWrites.message }, { status: this.failWrites.status })
        const { body } = (await request.json()) as { body: string }
        const login = 'login' in this.user ? this.user.login : 'github-actions[bot]'
        return HttpResponse.json(this.add(body, login), { status: 201 })
      }),
      http.patch(`${API}/repos/octo/spaceops/issues/comments/:id`, async ({ request, params }) => {
        await record(request)
        if (this.failWrites) return HttpResponse.json({ message: this.failWrites.message }, { status: this.failWrites.status })
        const c = this.comments.find((x) => x.id === Number(params.id))
        if (!c) return HttpResponse.json({ message: 'Not Found' }, { status: 404 })
        c.body = ((await request.json()) as { body: string }).body
        return HttpResponse.json(c)
      })
    ]
  }
}

/** An Octokit whose fetch msw sees (it calls the global fetch at request time). */
export function octokit(baseUrl = API) {
  return createOctokit(TOKEN, { fetch: (url, init) => globalThis.fetch(url, init), baseUrl })
}
