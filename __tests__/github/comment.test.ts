import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import {
  GITHUB_ACTIONS_BOT,
  commentMarker,
  hasMarker,
  matchStickyComments,
  resolveCommentAuthor,
  upsertStickyComment,
  type UpsertStickyCommentResult
} from '../../src/github/comment.js'
import { COMMENT_BODY_LIMIT, sizeOf } from '../../src/github/fit.js'
import { GitHubApiError, type GitHubClient } from '../../src/github/octokit.js'
import { MemoryLogger } from '../../src/util/logger.js'
import { API, CommentStore, REPO, TOKEN, octokit } from './msw-github.js'

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

let store: CommentStore
beforeEach(() => {
  store = new CommentStore()
  server.use(...store.handlers())
})

const DEV = commentMarker('plan', 'dev')
const upsert = (body: string, marker = DEV, extra: { author?: string; logger?: MemoryLogger } = {}) =>
  upsertStickyComment({
    octokit: octokit(),
    repo: REPO,
    issueNumber: 7,
    marker,
    body,
    logger: extra.logger ?? new MemoryLogger(),
    ...(extra.author ? { author: extra.author } : {})
  })

function ok(r: UpsertStickyCommentResult) {
  if (r.action === 'skipped') throw new Error(`skipped: ${r.reason}`)
  return r
}

describe('commentMarker', () => {
  it('builds a hidden HTML comment from kind and key', () => {
    expect(commentMarker('plan', 'dev')).toBe('<!-- spaceops:plan:dev -->')
    expect(commentMarker('benchmark', ['build job', 'prod'])).toBe('<!-- spaceops:benchmark:build-job:prod -->')
  })

  it('sanitises parts so they cannot end the comment or contain --', () => {
    const m = commentMarker('plan', 'a --> <b>x</b> -- y')
    expect(m).toBe('<!-- spaceops:plan:a-b-x-b-y -->')
    expect(m.slice(4, -3)).not.toContain('--')
    expect(commentMarker('plan', '')).toBe('<!-- spaceops:plan:default -->')
  })

  it('distinguishes keys that share a prefix', () => {
    expect(hasMarker(`${commentMarker('plan', 'dev-2')}\nbody`, DEV)).toBe(false)
    expect(hasMarker(`${DEV}\nbody`, DEV)).toBe(true)
    expect(hasMarker(`text\n${DEV}`, DEV)).toBe(false)
  })
})

describe('upsertStickyComment', () => {
  it('creates the comment when there is none, with the marker first', async () => {
    store.add('LGTM', 'alice')
    const r = ok(await upsert('## Plan\nno changes'))
    expect(r.action).toBe('created')
    expect(store.comments).toHaveLength(2)
    const posted = store.comments[1]
    expect(posted?.body).toBe(`${DEV}\n## Plan\nno changes`)
    expect(r).toEqual({ action: 'created', commentId: posted?.id, url: posted?.html_url })
    expect(store.writes().map((w) => `${w.method} ${w.path}`)).toEqual(['POST /repos/octo/spaceops/issues/7/comments'])
  })

  it('updates its own earlier comment found on page 3 of 250', async () => {
    for (let i = 0; i < 250; i++) store.add(`comment ${i}`, i % 2 ? 'alice' : 'bob')
    const mine = store.comments[230]
    if (!mine) throw new Error('no comment')
    mine.body = `${DEV}\nold plan`
    mine.user.login = GITHUB_ACTIONS_BOT

    const r = ok(await upsert('new plan'))
    expect(r).toEqual({ action: 'updated', commentId: mine.id, url: mine.html_url })
    expect(mine.body).toBe(`${DEV}\nnew plan`)
    expect(store.comments).toHaveLength(250)
    const lists = store.seen.filter((s) => s.method === 'GET' && s.path.endsWith('/comments'))
    expect(lists.map((s) => [s.search.get('per_page'), s.search.get('page')])).toEqual([
      ['100', '1'],
      ['100', '2'],
      ['100', '3']
    ])
    expect(store.writes()).toEqual([expect.objectContaining({ method: 'PATCH', path: `/repos/octo/spaceops/issues/comments/${mine.id}` })])
  })

  it('stops at a full page whose Link header has no next, and at a short page without Link headers', async () => {
    for (let i = 0; i < 200; i++) store.add(`comment ${i}`, 'alice')
    await upsert('plan')
    // 200 existing: page 2 is full but its Link has no next.
    expect(store.seen.filter((s) => s.method === 'GET' && s.path.endsWith('/comments')).map((s) => s.search.get('page'))).toEqual(['1', '2'])

    store.seen = []
    store.linkHeaders = false
    await upsert('plan 2', commentMarker('plan', 'other'))
    // 201 comments, no Link headers: pages 1, 2 full, 3 short.
    expect(store.seen.filter((s) => s.method === 'GET' && s.path.endsWith('/comments')).map((s) => s.search.get('page'))).toEqual(['1', '2', '3'])
  })

  it('ignores a lookalike carrying the same marker by another author', async () => {
    const fake = store.add(`${DEV}\nI am not the bot`, 'mallory')
    const logger = new MemoryLogger()
    const r = ok(await upsert('real plan', DEV, { logger }))
    expect(r.action).toBe('created')
    expect(fake.body).toBe(`${DEV}\nI am not the bot`)
    expect(store.comments).toHaveLength(2)
    expect(logger.text()).toMatch(/ignoring comment \d+ by mallory/)
  })

  it('does not write when the body is unchanged (line endings and trailing space do not count)', async () => {
    const mine = store.add(`${DEV}\r\nsame plan\r\n`)
    const r = ok(await upsert('same plan'))
    expect(r).toEqual({ action: 'unchanged', commentId: mine.id, url: mine.html_url })
    expect(store.writes()).toEqual([])
  })

  it('keeps one comment per target and job', async () => {
    const dev = commentMarker('plan', ['plan', 'dev'])
    const prod = commentMarker('plan', ['plan', 'prod'])
    const bench = commentMarker('benchmark', ['bench', 'dev'])
    expect(new Set([dev, prod, bench]).size).toBe(3)
    expect(ok(await upsert('dev v1', dev)).action).toBe('created')
    expect(ok(await upsert('prod v1', prod)).action).toBe('created')
    expect(ok(await upsert('bench v1', bench)).action).toBe('created')
    expect(ok(await upsert('dev v2', dev)).action).toBe('updated')
    expect(ok(await upsert('prod v1', prod)).action).toBe('unchanged')
    expect(store.comments.map((c) => c.body)).toEqual([`${dev}\ndev v2`, `${prod}\nprod v1`, `${bench}\nbench v1`])
  })

  it('updates the newest of several own marked comments and leaves the rest', async () => {
    const older = store.add(`${DEV}\nrace 1`)
    const newer = store.add(`${DEV}\nrace 2`)
    const r = ok(await upsert('after race'))
    expect(r.commentId).toBe(newer.id)
    expect(older.body).toBe(`${DEV}\nrace 1`)
    expect(newer.body).toBe(`${DEV}\nafter race`)
  })

  it('uses the token login from GET /user (a personal token): the bot’s marked comment is then a lookalike', async () => {
    store.user = { login: 'octocat' }
    const bots = store.add(`${DEV}\nfrom the bot`)
    const mine = store.add(`${DEV}\nfrom octocat`, 'octocat')
    const r = ok(await upsert('plan by pat'))
    expect(r.commentId).toBe(mine.id)
    expect(bots.body).toBe(`${DEV}\nfrom the bot`)
  })

  it('takes an explicit author (a GitHub App) without asking GET /user', async () => {
    const mine = store.add(`${DEV}\nold`, 'spaceops-app[bot]')
    const r = ok(await upsert('new', DEV, { author: 'spaceops-app[bot]' }))
    expect(r).toMatchObject({ action: 'updated', commentId: mine.id })
    expect(store.seen.some((s) => s.path === '/user')).toBe(false)
  })

  it('returns skipped (no throw) on 403 when creating', async () => {
    store.failWrites = { status: 403, message: 'Resource not accessible by integration' }
    const r = await upsert('plan')
    expect(r.action).toBe('skipped')
    if (r.action !== 'skipped') return
    expect(r.status).toBe(403)
    expect(r.reason).toContain('Resource not accessible by integration')
    expect(r.reason).toContain('POST /repos/octo/spaceops/issues/7/comments')
    expect(r.reason).toMatch(/fork/)
    expect(r.reason).not.toContain('\n')
    expect(r.reason).not.toContain(TOKEN)
  })

  it('returns skipped on 403 when updating, 404 and 401 when listing', async () => {
    store.add(`${DEV}\nold`)
    store.failWrites = { status: 403, message: 'Resource not accessible by integration' }
    expect(await upsert('new')).toMatchObject({ action: 'skipped', status: 403 })

    store.failList = { status: 404, message: 'Not Found' }
    expect(await upsert('new')).toMatchObject({ action: 'skipped', status: 404, reason: expect.stringMatching(/not visible/) })

    store.failList = { status: 401, message: 'Bad credentials' }
    expect(await upsert('new')).toMatchObject({ action: 'skipped', status: 401, reason: expect.stringMatching(/rejected/) })
  })

  it('throws a one-line error without the token for other failures (500, rate limit)', async () => {
    store.failList = { status: 500, message: 'Server Error\nwith a second line' }
    const err = await upsert('plan').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(GitHubApiError)
    const message = (err as Error).message
    expect(message).toBe('GitHub API GET /repos/octo/spaceops/issues/7/comments failed: 500 Server Error with a second line')
    expect(message).not.toContain(TOKEN)

    store.failList = { status: 403, message: 'API rate limit exceeded for installation ID 1.' }
    await expect(upsert('plan')).rejects.toThrow(/403 API rate limit exceeded/)
  })

  it('creates a new comment when its own comment was deleted after listing (PATCH 404)', async () => {
    const mine = store.add(`${DEV}\nold`)
    server.use(http.patch(`${API}/repos/octo/spaceops/issues/comments/:id`, () => HttpResponse.json({ message: 'Not Found' }, { status: 404 })))
    const r = ok(await upsert('new'))
    expect(r.action).toBe('created')
    expect(r.commentId).not.toBe(mine.id)
  })

  it('cuts a body over GitHub’s limit instead of failing', async () => {
    const huge = `\`\`\`text\n${'x'.repeat(100).concat('\n').repeat(1000)}\`\`\`\n`
    const r = ok(await upsert(huge))
    const posted = store.comments.find((c) => c.id === r.commentId)?.body ?? ''
    expect(sizeOf(posted, 'characters')).toBeLessThanOrEqual(COMMENT_BODY_LIMIT)
    expect(posted.startsWith(DEV)).toBe(true)
    expect((posted.match(/^```/gm) ?? []).length % 2).toBe(0)
    expect(posted).toMatch(/trimmed to fit GitHub's comment size limit/)
  })

  it('refuses a marker that is not an HTML comment', async () => {
    await expect(upsertStickyComment({ octokit: octokit(), repo: REPO, issueNumber: 7, marker: 'spaceops', body: 'x' })).rejects.toThrow(/not a comment marker/)
  })
})

describe('resolveCommentAuthor and matching', () => {
  it('falls back to github-actions[bot] when GET /user is forbidden', async () => {
    expect(await resolveCommentAuthor(octokit())).toBe(GITHUB_ACTIONS_BOT)
    store.user = { login: 'octocat' }
    expect(await resolveCommentAuthor(octokit())).toBe('octocat')
  })

  it('matches authors case-insensitively and sorts own comments newest first', () => {
    const c = (id: number, login: string, created: string, body = `${DEV}\nx`) => ({ id, body, user: { login }, html_url: `u${id}`, created_at: created })
    const m = matchStickyComments(
      [
        c(1, 'GitHub-Actions[bot]', '2026-01-01T00:00:00Z'),
        c(2, 'github-actions[bot]', '2026-01-02T00:00:00Z'),
        c(3, 'eve', '2026-01-03T00:00:00Z'),
        c(4, 'github-actions[bot]', '2026-01-04T00:00:00Z', 'no marker')
      ],
      DEV,
      GITHUB_ACTIONS_BOT
    )
    expect(m.own.map((x) => x.id)).toEqual([2, 1])
    expect(m.lookalikes.map((x) => x.id)).toEqual([3])
  })

  it('an Octokit is a GitHubClient', () => {
    const client: GitHubClient = octokit()
    expect(typeof client.request).toBe('function')
  })
})
