import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { emulator } from '../helpers/emulator.js'
import { runAction, spaceops } from '../helpers/process.js'
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js'
import { ROOT } from '../helpers/cli.js'

// The built action (dist/index.cjs) on a pull_request event, against the Genie emulator and a
// loopback fake of the GitHub REST API.

const CANARY = 'dapiCANARYplan0123456789'
const GH_CANARY = 'ghsCANARY0123456789abcdef'
const SALES = readFileSync(path.join(ROOT, 'examples/spaces/sales/space.yaml'), 'utf8')

let emu: Awaited<ReturnType<typeof emulator>>
let gh: FakeGitHub
let repo: string
let eventPath: string

function spaceYaml(title: string) {
  return SALES.replace('title: Sales analytics', `title: ${title}`)
}

beforeAll(async () => {
  emu = await emulator()
})
afterAll(async () => {
  await emu.close()
})
beforeEach(async () => {
  await emu.reset()
  gh = await startFakeGitHub({ repo: 'octo/genie', token: GH_CANARY })
  repo = mkdtempSync(path.join(tmpdir(), 'spaceops-pr-'))
  for (const name of ['sales', 'billing', 'support']) {
    mkdirSync(path.join(repo, 'spaces', name), { recursive: true })
    writeFileSync(path.join(repo, 'spaces', name, 'space.yaml'), spaceYaml(`${name} space`))
  }
  eventPath = path.join(repo, '..', `event-${path.basename(repo)}.json`)
  writeFileSync(
    eventPath,
    JSON.stringify({
      action: 'synchronize',
      number: 7,
      pull_request: {
        number: 7,
        head: { sha: 'b'.repeat(40), repo: { full_name: 'octo/genie' } },
        base: { sha: 'a'.repeat(40), repo: { full_name: 'octo/genie' } }
      },
      repository: { full_name: 'octo/genie' }
    })
  )
})
afterEach(async () => {
  await gh.close()
})

const runnerEnv = () => ({
  GITHUB_EVENT_NAME: 'pull_request',
  GITHUB_EVENT_PATH: eventPath,
  GITHUB_REPOSITORY: 'octo/genie',
  GITHUB_API_URL: gh.url,
  GITHUB_SERVER_URL: 'https://github.example',
  GITHUB_RUN_ID: '99',
  GITHUB_JOB: 'plan',
  RUNNER_TEMP: repo
})

const inputs = (extra: Record<string, string> = {}) => ({
  mode: 'diff',
  'target-env': 'dev',
  'warehouse-id': 'wh-dev',
  host: emu.url,
  token: CANARY,
  'github-token': GH_CANARY,
  ...extra
})

describe('mode diff on a pull request', () => {
  it('plans only the touched spaces, posts one sticky comment, and updates it on the next run', async () => {
    // billing is deployed and in sync; sales is deployed, then edited in the PR; support is new
    for (const name of ['billing', 'sales']) {
      const r = await spaceops(['push', `spaces/${name}/space.yaml`, '--warehouse-id', 'wh-dev'], {
        cwd: repo,
        env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: CANARY }
      })
      expect(r.code).toBe(0)
    }
    writeFileSync(path.join(repo, 'spaces/sales/space.yaml'), spaceYaml('sales space').replace('Weeks start on Monday.', 'Weeks start on Sunday.'))
    await emu.clearRequests()
    gh.state.setPullFiles(7, ['spaces/sales/space.yaml', 'spaces/support/space.yaml', 'README.md'])
    gh.state.addComment(7, '<!-- spaceops:plan:plan:dev -->\nI am a lookalike written by a person', 'mallory')
    for (let i = 0; i < 120; i++) gh.state.addComment(7, `review comment ${i}`, 'reviewer')

    const first = await runAction(inputs(), { cwd: repo, env: runnerEnv() })
    expect(first.code).toBe(0)
    expect(JSON.parse(first.outputs.spaces as string)).toEqual(['spaces/sales/space.yaml', 'spaces/support/space.yaml'])
    expect(first.outputs.changes).toBe('true')
    expect(first.outputs['spaces-changed']).toBe('2')
    const plan = JSON.parse(readFileSync(first.outputs['plan-path'] as string, 'utf8'))
    expect(plan.spaces.map((s: { status: string }) => s.status)).toEqual(['changed', 'new'])

    const ours = () => gh.state.commentsOf(7).filter((c) => c.user.login === 'github-actions[bot]')
    expect(ours()).toHaveLength(1)
    const body = ours()[0]?.body ?? ''
    expect(body.startsWith('<!-- spaceops:plan:plan:dev -->')).toBe(true)
    expect(body).toContain('### SpaceOps plan for dev')
    expect(body).toContain('**1** changed · **0** unchanged · **1** new · **0** errors')
    expect(body).toContain('-       "Last month" is the previous calendar month. Weeks start on Monday.')
    expect(body).toContain('+       "Last month" is the previous calendar month. Weeks start on Sunday.')
    expect(first.summary).toContain('SpaceOps plan for dev')

    // second run: the same comment is updated (here: unchanged), never a second one
    writeFileSync(path.join(repo, 'spaces/sales/space.yaml'), spaceYaml('sales space').replace('Weeks start on Monday.', 'Weeks start on Saturday.'))
    const second = await runAction(inputs(), { cwd: repo, env: runnerEnv() })
    expect(second.code).toBe(0)
    expect(ours()).toHaveLength(1)
    expect(ours()[0]?.body).toContain('Weeks start on Saturday.')
    expect(gh.state.commentsOf(7).find((c) => c.user.login === 'mallory')?.body).toContain('lookalike')
    const third = await runAction(inputs(), { cwd: repo, env: runnerEnv() })
    expect(third.out).toContain('pull request comment unchanged')
    expect(ours()).toHaveLength(1)
    // planning never writes to the workspace
    expect(await emu.writes()).toEqual([])

    for (const r of [first, second, third]) {
      const visible = r.out.split(`::add-mask::${CANARY}`).join('').split(`::add-mask::${GH_CANARY}`).join('')
      expect(visible + r.err + r.summary + r.outputFile).not.toContain(CANARY)
      expect(visible + r.err + r.summary + r.outputFile).not.toContain(GH_CANARY)
    }
    for (const c of gh.state.comments) expect(c.body).not.toContain(CANARY)
    expect(JSON.stringify(gh.state.requests)).not.toContain(GH_CANARY)
  })

  it('all-spaces plans everything; a read-only token still gets the summary and one warning', async () => {
    gh.state.failWrites = true
    gh.state.setPullFiles(7, ['spaces/sales/space.yaml'])
    const r = await runAction(inputs({ 'all-spaces': 'true' }), { cwd: repo, env: runnerEnv() })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.outputs.spaces as string)).toHaveLength(3)
    const warnings = r.out.split('\n').filter((l) => l.startsWith('::warning'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/cannot comment on #7/)
    expect(r.summary).toContain('**0** changed · **0** unchanged · **3** new')
    expect(gh.state.comments).toHaveLength(0)
  })

  it('comment: false writes no comment', async () => {
    gh.state.setPullFiles(7, ['spaces/sales/space.yaml'])
    const r = await runAction(inputs({ comment: 'false' }), { cwd: repo, env: runnerEnv() })
    expect(r.code).toBe(0)
    expect(gh.state.writes()).toHaveLength(0)
    expect(r.summary).toContain('SpaceOps plan')
  })

  it('an unreachable workspace is an error in the plan and fails the step, with the comment still written', async () => {
    gh.state.setPullFiles(7, ['spaces/sales/space.yaml'])
    const r = await runAction(inputs({ host: 'http://127.0.0.1:9' }), { cwd: repo, env: runnerEnv() })
    expect(r.code).toBe(1)
    expect(r.out).toContain('::error::1 space(s) could not be planned')
    expect(gh.state.commentsOf(7)[0]?.body).toContain('**1** error')
  })
})
