import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import * as yaml from 'js-yaml'
import { ROOT } from '../helpers/cli.js'
import { parseWorkflowFile } from '../workflows/harness.js'

// The project's own workflows (.github/workflows): valid to GitHub's parser, a smoke job that runs
// the action through `uses: ./`, a release that tags vX.Y.Z and moves the major tag; Dependabot for
// both ecosystems; dist/ marked generated.

interface Step {
  id?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
  env?: Record<string, unknown>
}
interface Job {
  if?: string
  permissions?: Record<string, string>
  steps: Step[]
}
interface Workflow {
  on: unknown
  permissions?: Record<string, string>
  jobs: Record<string, Job>
}

const DIR = path.join(ROOT, '.github/workflows')
const files = readdirSync(DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
const load = (f: string) => yaml.load(readFileSync(path.join(DIR, f), 'utf8')) as Workflow
const declaredInputs = Object.keys((yaml.load(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> }).inputs)

describe('.github/workflows', () => {
  it('has ci, check-dist and release', () => {
    expect(files).toEqual(expect.arrayContaining(['check-dist.yml', 'ci.yml', 'release.yml']))
  })

  it.each(files)('%s: GitHub’s workflow parser reports no error', async (f) => {
    expect((await parseWorkflowFile(path.join(DIR, f))).problems).toEqual([])
  })

  it.each(files)('%s: reads only by default, and no ${{ }} inside a run: script', (f) => {
    const wf = load(f)
    expect(wf.permissions).toEqual({ contents: 'read' })
    for (const job of Object.values(wf.jobs)) for (const step of job.steps) expect(step.run ?? '').not.toContain('${{')
  })

  it('ci.yml smoke-tests the action from this checkout (uses: ./) with inputs action.yml declares, without npm ci', () => {
    const smoke = Object.values(load('ci.yml').jobs).filter((job) => job.steps.some((s) => s.uses === './'))
    expect(smoke).toHaveLength(1)
    const steps = (smoke[0] as Job).steps
    for (const s of steps.filter((s) => s.uses === './')) for (const input of Object.keys(s.with ?? {})) expect(declaredInputs).toContain(input)
    // the action runs from the committed dist/ alone, as it does for a user
    expect(steps.map((s) => s.run ?? '').join('\n')).not.toMatch(/npm (ci|install)/)
    expect(steps.some((s) => /node dist\/cli\/index\.js validate/.test(s.run ?? ''))).toBe(true)
  })

  it('release.yml: by hand on main, writes tags only in its job, checks dist/, tags vX.Y.Z from package.json and moves the major tag', () => {
    const wf = load('release.yml')
    expect(Object.keys(wf.on as Record<string, unknown>)).toEqual(['workflow_dispatch'])
    const jobs = Object.values(wf.jobs)
    expect(jobs).toHaveLength(1)
    const job = jobs[0] as Job
    expect(job.if).toBe("github.ref == 'refs/heads/main'")
    expect(job.permissions).toEqual({ contents: 'write' })
    const script = job.steps.map((s) => s.run ?? '').join('\n')
    expect(script).toContain('require("./package.json").version')
    expect(script).toContain('bash scripts/check-dist.sh')
    expect(script).toContain('npm test')
    expect(script).toMatch(/git push origin "refs\/tags\/v\$VERSION"/)
    expect(script).toMatch(/git tag -f "\$MAJOR"/)
    expect(script).toMatch(/git push --force origin "refs\/tags\/\$MAJOR"/)
    expect(script).toContain('npm pack')
    expect(script).toMatch(/gh release create "v\$VERSION" "spaceops-\$VERSION\.tgz"/)
    // dist/ is checked before anything is tagged
    expect(script.indexOf('check-dist')).toBeLessThan(script.indexOf('git tag'))
  })
})

describe('release.yml, its scripts run for real on a scratch repository', () => {
  interface NamedStep extends Step {
    name?: string
  }
  const steps = (Object.values(load('release.yml').jobs)[0] as Job).steps as NamedStep[]
  const script = (id: RegExp) => (steps.find((s) => id.test(s.id ?? s.name ?? ''))?.run ?? '') as string
  let dir: string
  const sh = (cmd: string, env: Record<string, string> = {}, cwd = path.join(dir, 'work')) =>
    spawnSync('bash', ['-euo', 'pipefail', '-c', cmd], {
      cwd,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.invalid',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.invalid',
        ...env
      }
    })
  const commit = (version: string) => {
    writeFileSync(path.join(dir, 'work/package.json'), JSON.stringify({ name: 'spaceops', version }))
    expect(sh(`git add -A && git commit -qm ${version}`).status).toBe(0)
    return sh('git rev-parse HEAD').stdout.trim()
  }
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'spaceops-release-'))
    expect(sh('git init -q --bare origin.git && git init -q work', {}, dir).status).toBe(0)
    expect(sh('git remote add origin ../origin.git').status).toBe(0)
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('version: X.Y.Z and its major from package.json; refused when already tagged or not X.Y.Z', () => {
    commit('1.2.3')
    const out = path.join(dir, 'out')
    writeFileSync(out, '')
    expect(sh(script(/^version$/), { GITHUB_OUTPUT: out }).status).toBe(0)
    expect(readFileSync(out, 'utf8')).toBe('version=1.2.3\nmajor=v1\n')
    expect(sh('git tag v1.2.3').status).toBe(0)
    const again = sh(script(/^version$/), { GITHUB_OUTPUT: out })
    expect(again.status).toBe(1)
    expect(again.stdout).toContain('::error::v1.2.3 is already released')
    commit('1.3.0-rc.1')
    expect(sh(script(/^version$/), { GITHUB_OUTPUT: out }).stdout).toContain('is not X.Y.Z')
  })

  it('tags: pushes vX.Y.Z and moves v1 from the previous release to it', () => {
    const old = commit('1.2.3')
    expect(sh('git tag -a v1.2.3 -m v1.2.3 && git tag v1 && git push -q origin --tags').status).toBe(0)
    const next = commit('1.3.0')
    const r = sh(script(/^tag /), { VERSION: '1.3.0', MAJOR: 'v1' })
    expect(r.stderr).not.toMatch(/fatal|error/)
    expect(r.status).toBe(0)
    const remote = (ref: string) => sh(`git --git-dir=origin.git rev-parse ${ref}`, {}, dir).stdout.trim()
    expect(remote('v1^{commit}')).toBe(next)
    expect(remote('v1.3.0^{commit}')).toBe(next)
    expect(remote('v1.2.3^{commit}')).toBe(old)
    expect(sh('git --git-dir=origin.git cat-file -t v1.3.0', {}, dir).stdout.trim()).toBe('tag')
  })
})

describe('repository settings', () => {
  it('Dependabot updates npm packages and GitHub Actions', () => {
    const config = yaml.load(readFileSync(path.join(ROOT, '.github/dependabot.yml'), 'utf8')) as {
      version: number
      updates: { 'package-ecosystem': string; directory: string }[]
    }
    expect(config.version).toBe(2)
    expect(config.updates.map((u) => [u['package-ecosystem'], u.directory]).sort()).toEqual([
      ['github-actions', '/'],
      ['npm', '/']
    ])
  })

  it('.gitattributes marks dist/ (and the generated schemas) as generated', () => {
    const lines = readFileSync(path.join(ROOT, '.gitattributes'), 'utf8').split('\n')
    expect(lines).toContain('dist/** linguist-generated=true')
    expect(lines).toContain('schema/*.schema.json linguist-generated=true')
  })
})
