import { commentMarker, upsertStickyComment } from '../../src/github/comment.js'
import { listChangedFiles, readGitHubContext } from '../../src/github/context.js'
import { createOctokit } from '../../src/github/octokit.js'
import { MemoryLogger } from '../../src/util/logger.js'
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js'

const TOKEN = 'ghs_fakeGitHubToken000000000000000001'
const REPO = { owner: 'octo', repo: 'spaceops' }

let gh: FakeGitHub
afterEach(async () => {
  await gh?.close()
})

const client = () => createOctokit(TOKEN, { fetch: (url, init) => globalThis.fetch(url, init), baseUrl: gh.url })

async function call(method: string, path: string, body?: unknown, token: string | null = TOKEN) {
  const res = await fetch(`${gh.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `token ${token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {})
  })
  const text = await res.text()
  return { status: res.status, link: res.headers.get('link'), data: text ? (JSON.parse(text) as unknown) : undefined }
}

describe('fake GitHub server', () => {
  it('listens on 127.0.0.1 and answers GET /user like GITHUB_TOKEN or a personal token', async () => {
    gh = await startFakeGitHub()
    expect(gh.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(await call('GET', '/user')).toMatchObject({ status: 403, data: { message: 'Resource not accessible by integration' } })
    gh.state.identity = { kind: 'pat', login: 'octocat' }
    expect(await call('GET', '/user')).toMatchObject({ status: 200, data: { login: 'octocat', type: 'User' } })
  })

  it('paginates comments with Link headers, honouring per_page', async () => {
    gh = await startFakeGitHub()
    for (let i = 0; i < 250; i++) gh.state.addComment(3, `c${i}`, 'alice')
    gh.state.addComment(4, 'other issue')

    const first = await call('GET', '/repos/octo/spaceops/issues/3/comments?per_page=100')
    expect((first.data as unknown[]).length).toBe(100)
    expect(first.link).toBe(
      `<${gh.url}/repos/octo/spaceops/issues/3/comments?per_page=100&page=2>; rel="next", <${gh.url}/repos/octo/spaceops/issues/3/comments?per_page=100&page=3>; rel="last"`
    )
    const last = await call('GET', '/repos/octo/spaceops/issues/3/comments?per_page=100&page=3')
    expect((last.data as { body: string }[]).map((c) => c.body)).toEqual(Array.from({ length: 50 }, (_, i) => `c${200 + i}`))
    expect(last.link).not.toContain('rel="next"')
    expect(last.link).toContain('rel="prev"')

    const byDefault = await call('GET', '/repos/octo/spaceops/issues/3/comments')
    expect((byDefault.data as unknown[]).length).toBe(30)
    const capped = await call('GET', '/repos/octo/spaceops/issues/3/comments?per_page=500')
    expect((capped.data as unknown[]).length).toBe(100)
    const single = await call('GET', '/repos/octo/spaceops/issues/4/comments')
    expect(single.link).toBeNull()
  })

  it('creates, gets, updates and deletes comments, as the posting identity', async () => {
    gh = await startFakeGitHub()
    const created = await call('POST', '/repos/octo/spaceops/issues/3/comments', { body: 'hello' })
    expect(created.status).toBe(201)
    const c = created.data as { id: number; body: string; user: { login: string }; html_url: string }
    expect(c).toMatchObject({ body: 'hello', user: { login: 'github-actions[bot]' }, html_url: `https://github.com/octo/spaceops/pull/3#issuecomment-${c.id}` })

    expect(await call('PATCH', `/repos/octo/spaceops/issues/comments/${c.id}`, { body: 'edited' })).toMatchObject({ status: 200, data: { body: 'edited' } })
    expect(await call('GET', `/repos/octo/spaceops/issues/comments/${c.id}`)).toMatchObject({ status: 200, data: { body: 'edited' } })
    expect((await call('DELETE', `/repos/octo/spaceops/issues/comments/${c.id}`)).status).toBe(204)
    expect((await call('GET', `/repos/octo/spaceops/issues/comments/${c.id}`)).status).toBe(404)
    expect((await call('PATCH', `/repos/octo/spaceops/issues/comments/${c.id}`, { body: 'x' })).status).toBe(404)
  })

  it('validates bodies like GitHub (missing, over 65,536 characters) and knows one repository', async () => {
    gh = await startFakeGitHub()
    expect((await call('POST', '/repos/octo/spaceops/issues/3/comments', {})).status).toBe(422)
    const tooLong = await call('POST', '/repos/octo/spaceops/issues/3/comments', { body: 'x'.repeat(65_537) })
    expect(tooLong).toMatchObject({ status: 422, data: { message: 'Validation Failed' } })
    expect((await call('POST', '/repos/octo/spaceops/issues/3/comments', { body: '😀'.repeat(65_536) })).status).toBe(201)
    expect((await call('GET', '/repos/someone/else/issues/3/comments')).status).toBe(404)
    expect((await call('GET', '/nothing/here')).status).toBe(404)
  })

  it('answers 403 to writes when configured (a fork’s read-only token), reads still work', async () => {
    gh = await startFakeGitHub({ failWrites: true })
    gh.state.addComment(3, 'existing', 'alice')
    expect(await call('POST', '/repos/octo/spaceops/issues/3/comments', { body: 'x' })).toMatchObject({
      status: 403,
      data: { message: 'Resource not accessible by integration' }
    })
    expect((await call('PATCH', `/repos/octo/spaceops/issues/comments/${gh.state.comments[0]?.id}`, { body: 'x' })).status).toBe(403)
    expect((await call('GET', '/repos/octo/spaceops/issues/3/comments')).status).toBe(200)
    expect(gh.state.commentsOf(3).map((c) => c.body)).toEqual(['existing'])
  })

  it('checks the token when configured and logs requests without it', async () => {
    gh = await startFakeGitHub({ token: TOKEN })
    expect(await call('GET', '/repos/octo/spaceops/issues/3/comments', undefined, 'wrong')).toMatchObject({ status: 401, data: { message: 'Bad credentials' } })
    expect((await call('GET', '/repos/octo/spaceops/issues/3/comments', undefined, null)).status).toBe(401)
    expect((await call('POST', '/repos/octo/spaceops/issues/3/comments', { body: 'ok' })).status).toBe(201)
    expect(gh.state.requests.map((r) => `${r.method} ${r.path} ${r.status} ${r.authorized}`)).toEqual([
      'GET /repos/octo/spaceops/issues/3/comments 401 true',
      'GET /repos/octo/spaceops/issues/3/comments 401 false',
      'POST /repos/octo/spaceops/issues/3/comments 201 true'
    ])
    expect(gh.state.writes()).toEqual([expect.objectContaining({ method: 'POST', body: { body: 'ok' } })])
    expect(JSON.stringify(gh.state.requests)).not.toContain(TOKEN)
  })

  it('lists pull request files in pages, capped at 3000', async () => {
    gh = await startFakeGitHub()
    gh.state.setPullFiles(
      5,
      Array.from({ length: 3500 }, (_, i) => `f${i}.yaml`)
    )
    const page31 = await call('GET', '/repos/octo/spaceops/pulls/5/files?per_page=100&page=31')
    expect(page31.data).toEqual([])
    const page30 = await call('GET', '/repos/octo/spaceops/pulls/5/files?per_page=100&page=30')
    expect((page30.data as { filename: string }[])[99]?.filename).toBe('f2999.yaml')
    expect(page30.link).not.toContain('rel="next"')
    expect((await call('GET', '/repos/octo/spaceops/pulls/6/files')).status).toBe(404)
  })
})

describe('SpaceOps against the fake server', () => {
  it('keeps one sticky comment per target across runs, found among 250 comments', async () => {
    gh = await startFakeGitHub({ token: TOKEN })
    for (let i = 0; i < 250; i++) gh.state.addComment(9, `chatter ${i}`, i % 3 ? 'alice' : 'bob')
    const dev = commentMarker('plan', ['plan', 'dev'])
    const prod = commentMarker('plan', ['plan', 'prod'])
    gh.state.addComment(9, `${dev}\nlookalike`, 'mallory')
    const upsert = (marker: string, body: string) =>
      upsertStickyComment({ octokit: client(), repo: REPO, issueNumber: 9, marker, body, logger: new MemoryLogger() })

    expect(await upsert(dev, 'dev v1')).toMatchObject({ action: 'created' })
    expect(await upsert(prod, 'prod v1')).toMatchObject({ action: 'created' })
    for (let i = 0; i < 20; i++) gh.state.addComment(9, `more chatter ${i}`, 'alice')
    const updated = await upsert(dev, 'dev v2')
    expect(updated).toMatchObject({ action: 'updated' })
    gh.state.requests.length = 0
    expect(await upsert(prod, 'prod v1')).toMatchObject({ action: 'unchanged' })
    expect(gh.state.writes()).toEqual([])
    expect(gh.state.requests.map((r) => `${r.method} ${r.path} ${r.query.page ?? ''}`)).toEqual([
      'GET /user ',
      'GET /repos/octo/spaceops/issues/9/comments 1',
      'GET /repos/octo/spaceops/issues/9/comments 2',
      'GET /repos/octo/spaceops/issues/9/comments 3'
    ])

    const ours = gh.state.commentsOf(9).filter((c) => c.user.login === 'github-actions[bot]')
    expect(ours.map((c) => c.body)).toEqual([`${dev}\ndev v2`, `${prod}\nprod v1`])
    expect(gh.state.commentsOf(9).find((c) => c.user.login === 'mallory')?.body).toBe(`${dev}\nlookalike`)
    if (updated.action !== 'skipped') expect(updated.url).toBe(ours[0]?.html_url)
  })

  it('is skipped, not failed, when writes are forbidden', async () => {
    gh = await startFakeGitHub({ failWrites: true })
    const r = await upsertStickyComment({ octokit: client(), repo: REPO, issueNumber: 9, marker: commentMarker('plan', 'dev'), body: 'x' })
    expect(r).toMatchObject({ action: 'skipped', status: 403 })
  })

  it('lists changed files of a pull request from the context', async () => {
    gh = await startFakeGitHub()
    gh.state.setPullFiles(5, [
      ...Array.from({ length: 120 }, (_, i) => `spaces/s${i}.yaml`),
      { filename: 'new.yaml', previous_filename: 'old.yaml', status: 'renamed' }
    ])
    const ctx = readGitHubContext(
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REPOSITORY: 'octo/spaceops', GITHUB_EVENT_PATH: 'e.json', GITHUB_API_URL: gh.url },
      () =>
        JSON.stringify({
          pull_request: { number: 5, head: { sha: 'h', repo: { full_name: 'octo/spaceops' } }, base: { sha: 'b', repo: { full_name: 'octo/spaceops' } } }
        })
    )
    const octokit = createOctokit(TOKEN, { fetch: (url, init) => globalThis.fetch(url, init), baseUrl: ctx.apiUrl })
    const r = await listChangedFiles(octokit, ctx)
    expect(r.files).toHaveLength(122)
    expect(r.files.slice(-2)).toEqual(['old.yaml', 'new.yaml'])
    expect(gh.state.requests.map((r) => r.query.page)).toEqual(['1', '2'])
  })
})
