import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { PULL_REQUEST_FILES_CAP, listChangedFiles, readGitHubContext, type GitHubContext } from '../../src/github/context.js'
import { SpaceOpsError } from '../../src/util/errors.js'
import { MemoryLogger } from '../../src/util/logger.js'
import { API, octokit } from './msw-github.js'

const EVENT_PATH = '/home/runner/work/_temp/_github_workflow/event.json'

function prPayload(head: string | null, base = 'octo/spaceops') {
  return {
    action: 'synchronize',
    number: 12,
    pull_request: {
      number: 12,
      title: 'Change the sales space',
      head: { sha: 'h'.repeat(40), ref: 'feature', repo: head === null ? null : { full_name: head, fork: head !== base } },
      base: { sha: 'b'.repeat(40), ref: 'main', repo: { full_name: base, fork: false } }
    }
  }
}

function env(eventName: string, extra: Record<string, string | undefined> = {}) {
  return {
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: EVENT_PATH,
    GITHUB_REPOSITORY: 'octo/spaceops',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '987654321',
    GITHUB_JOB: 'plan',
    GITHUB_SHA: 'c'.repeat(40),
    ...extra
  }
}

const files = (payload: unknown) => (path: string) => {
  if (path !== EVENT_PATH) throw new Error(`ENOENT: no such file or directory, open '${path}'`)
  return typeof payload === 'string' ? payload : JSON.stringify(payload)
}

function expectOneLineError(fn: () => unknown, pattern: RegExp) {
  let caught: unknown
  try {
    fn()
  } catch (err) {
    caught = err
  }
  expect(caught).toBeInstanceOf(SpaceOpsError)
  const message = (caught as SpaceOpsError).format()
  expect(message).toMatch(pattern)
  expect(message).not.toContain('\n')
}

describe('readGitHubContext', () => {
  it('reads a pull_request event from the same repository', () => {
    const ctx = readGitHubContext(env('pull_request'), files(prPayload('octo/spaceops')))
    expect(ctx).toEqual<GitHubContext>({
      eventName: 'pull_request',
      repo: { owner: 'octo', repo: 'spaceops' },
      pullRequest: {
        number: 12,
        headRepoFullName: 'octo/spaceops',
        baseRepoFullName: 'octo/spaceops',
        isFork: false,
        baseSha: 'b'.repeat(40),
        headSha: 'h'.repeat(40)
      },
      apiUrl: 'https://api.github.com',
      serverUrl: 'https://github.com',
      runUrl: 'https://github.com/octo/spaceops/actions/runs/987654321',
      job: 'plan',
      sha: 'c'.repeat(40)
    })
  })

  it('detects a fork on pull_request_target (and a deleted head repository)', () => {
    const ctx = readGitHubContext(env('pull_request_target'), files(prPayload('mallory/spaceops')))
    expect(ctx.pullRequest).toMatchObject({ isFork: true, headRepoFullName: 'mallory/spaceops', baseRepoFullName: 'octo/spaceops' })
    const gone = readGitHubContext(env('pull_request_target'), files(prPayload(null)))
    expect(gone.pullRequest).toMatchObject({ isFork: true, headRepoFullName: null })
    const sameButCase = readGitHubContext(env('pull_request'), files(prPayload('Octo/SpaceOps')))
    expect(sameButCase.pullRequest?.isFork).toBe(false)
  })

  it('reads a push event without a pull request, and GitHub Enterprise URLs', () => {
    const ctx = readGitHubContext(
      env('push', { GITHUB_SHA: undefined, GITHUB_API_URL: 'https://ghe.example.com/api/v3/', GITHUB_SERVER_URL: 'https://ghe.example.com/' }),
      files({ ref: 'refs/heads/main', after: 'a'.repeat(40), repository: { full_name: 'octo/spaceops' } })
    )
    expect(ctx.pullRequest).toBeUndefined()
    expect(ctx.eventName).toBe('push')
    expect(ctx.sha).toBe('a'.repeat(40))
    expect(ctx.apiUrl).toBe('https://ghe.example.com/api/v3')
    expect(ctx.runUrl).toBe('https://ghe.example.com/octo/spaceops/actions/runs/987654321')
  })

  it('works without a payload file or run id for events that need none', () => {
    const ctx = readGitHubContext({ GITHUB_EVENT_NAME: 'workflow_dispatch', GITHUB_REPOSITORY: 'octo/spaceops' }, files({}))
    expect(ctx).toEqual({
      eventName: 'workflow_dispatch',
      repo: { owner: 'octo', repo: 'spaceops' },
      apiUrl: 'https://api.github.com',
      serverUrl: 'https://github.com',
      job: ''
    })
  })

  it('fails in one line on a malformed payload', () => {
    const broken = prPayload('octo/spaceops') as { pull_request: { number: unknown } }
    broken.pull_request.number = 'twelve'
    expectOneLineError(
      () => readGitHubContext(env('pull_request'), files(broken)),
      /event\.json: the pull_request event payload is malformed: pull_request\.number: .*number/
    )
    expectOneLineError(
      () => readGitHubContext(env('pull_request'), files('{"pull_request": {\n')),
      /event\.json: the pull_request event payload is not valid JSON/
    )
    expectOneLineError(() => readGitHubContext(env('pull_request'), files('[1]')), /not a JSON object/)
    expectOneLineError(() => readGitHubContext(env('pull_request'), files({ action: 'opened' })), /has no pull_request/)
    expectOneLineError(
      () => readGitHubContext(env('pull_request', { GITHUB_EVENT_PATH: '/nope.json' }), files({})),
      /nope\.json: cannot read the pull_request event payload/
    )
    expectOneLineError(() => readGitHubContext(env('pull_request', { GITHUB_EVENT_PATH: undefined }), files({})), /GITHUB_EVENT_PATH is not set/)
  })

  it('fails in one line on a malformed environment', () => {
    expectOneLineError(() => readGitHubContext(env('push', { GITHUB_REPOSITORY: 'just-a-name' }), files({})), /GITHUB_REPOSITORY: expected owner\/name/)
    expectOneLineError(() => readGitHubContext(env('', {}), files({})), /GITHUB_EVENT_NAME: is not set/)
    expectOneLineError(() => readGitHubContext(env('push', { GITHUB_API_URL: 'not a url' }), files({})), /GITHUB_API_URL/)
  })
})

describe('listChangedFiles', () => {
  const server = setupServer()
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => server.resetHandlers())
  afterAll(() => server.close())

  const ctx = readGitHubContext(env('pull_request'), files(prPayload('octo/spaceops')))
  let pagesAsked: string[]

  function serveFiles(total: number) {
    pagesAsked = []
    const all = Array.from({ length: Math.min(total, PULL_REQUEST_FILES_CAP) }, (_, i) =>
      i === 5
        ? { filename: `spaces/s${i}/space.yaml`, previous_filename: 'spaces/old/space.yaml', status: 'renamed' }
        : { filename: `spaces/s${i}/space.yaml`, status: 'modified' }
    )
    server.use(
      http.get(`${API}/repos/octo/spaceops/pulls/12/files`, ({ request }) => {
        const url = new URL(request.url)
        const per = Number(url.searchParams.get('per_page'))
        const page = Number(url.searchParams.get('page'))
        pagesAsked.push(`${per}:${page}`)
        const last = Math.ceil(all.length / per)
        const link =
          page < last
            ? `<${API}/repositories/1/pulls/12/files?per_page=${per}&page=${page + 1}>; rel="next", <${API}/repositories/1/pulls/12/files?per_page=${per}&page=${last}>; rel="last"`
            : `<${API}/repositories/1/pulls/12/files?per_page=${per}&page=1>; rel="first"`
        return HttpResponse.json(all.slice((page - 1) * per, page * per), { headers: { link } })
      })
    )
  }

  it('reads every page, 100 files a page, with both paths of a rename', async () => {
    serveFiles(250)
    const r = await listChangedFiles(octokit(), ctx)
    expect(pagesAsked).toEqual(['100:1', '100:2', '100:3'])
    expect(r.capped).toBe(false)
    expect(r.warning).toBeUndefined()
    expect(r.files).toHaveLength(251)
    expect(r.files.slice(4, 7)).toEqual(['spaces/s4/space.yaml', 'spaces/old/space.yaml', 'spaces/s5/space.yaml'])
  })

  it('says so when GitHub’s 3000-file cap is reached', async () => {
    serveFiles(5000)
    const logger = new MemoryLogger()
    const r = await listChangedFiles(octokit(), ctx, { logger })
    expect(pagesAsked).toHaveLength(30)
    expect(r.capped).toBe(true)
    expect(r.files).toHaveLength(3001)
    expect(r.warning).toMatch(/at least 3000 files/)
    expect(logger.lines).toEqual([{ level: 'warn', message: r.warning }])
  })

  it('refuses an event without a pull request, and a malformed answer', async () => {
    const push = readGitHubContext(env('push'), files({}))
    await expect(listChangedFiles(octokit(), push)).rejects.toThrow('changed files need a pull request, and the push event has none')
    server.use(http.get(`${API}/repos/octo/spaceops/pulls/12/files`, () => HttpResponse.json([{ status: 'added' }])))
    await expect(listChangedFiles(octokit(), ctx)).rejects.toThrow(/pulls\/12\/files answered an unexpected file entry: \[0\]\.filename/)
    server.use(http.get(`${API}/repos/octo/spaceops/pulls/12/files`, () => HttpResponse.json({ message: 'Not Found' }, { status: 404 })))
    await expect(listChangedFiles(octokit(), ctx)).rejects.toThrow('GitHub API GET /repos/octo/spaceops/pulls/12/files failed: 404 Not Found')
  })
})
