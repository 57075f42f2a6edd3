import { spaceops } from '../helpers/process.js'
import { expectJobs, startWorld, teamSettings, type World } from './harness.js'
import { FIX, SPACE } from './story.js'

// Preview spaces end to end: pr.yml (mode preview, and the cleanup job on close) and drift.yml's
// nightly previews job, against a dev emulator and the loopback GitHub.

const PREVIEW_FOLDER = '/Workspace/Shared/genie-dev/previews/pr-21'
const CANCELLED = 'How many orders were cancelled this year?'

async function readFile(world: World, file: string): Promise<string | undefined> {
  const dev = world.workspaces.dev
  const res = await fetch(`${dev?.url}/api/2.0/workspace/export?path=${encodeURIComponent(file)}&format=AUTO`, {
    headers: { authorization: `Bearer ${dev?.tokens[0]}` }
  })
  if (res.status === 404) return undefined
  return Buffer.from(((await res.json()) as { content: string }).content, 'base64').toString('utf8')
}

describe('pr.yml previews a pull request in dev', () => {
  let world: World
  let devRecord: string | undefined
  beforeAll(async () => {
    world = await startWorld({ workspaces: ['dev'] })
    world.settings = teamSettings(world)
    // dev holds the base: the space without the example that answers the cancelled-orders question
    const env: Record<string, string> = { ...world.settings.vars, DATABRICKS_DEV_TOKEN: world.workspaces.dev?.tokens[0] as string }
    const dev = await spaceops(['promote', SPACE, 'dev', '--config', 'config/promotion.yaml'], { cwd: world.checkout(), env })
    expect(dev.code).toBe(0)
    devRecord = await readFile(world, '/Workspace/Shared/genie-dev/.spaceops/sales.json')
    expect(devRecord).toContain('"environment": "dev"')
  })
  afterAll(() => world.close())

  const ours = (n: number) => world.github.state.commentsOf(n).filter((c) => c.user.login === 'github-actions[bot]')
  const devSpaces = async () => (await world.workspaces.dev?.spaces()) ?? []

  let previewId: string | undefined

  it('a PR that adds an example answering a failing question: one comment with the plan, base and PR accuracy and the flipped question', async () => {
    const run = await world.run('pr.yml', world.pullRequest(21, { [SPACE]: world.read(SPACE).replace('example_queries:\n', FIX) }, 'opened'))
    expectJobs(run, { validate: 'success', plan: 'success', cleanup: 'skipped' })
    expect(run.unresolved).toEqual([])
    const comments = ours(21)
    expect(comments).toHaveLength(1)
    const body = comments[0]?.body ?? ''
    expect(body).toContain('### SpaceOps plan for dev')
    expect(body).toContain('### Preview of PR #21 in dev')
    expect(body).toMatch(/\| base \(dev space [0-9a-f]{32}\) \| \*\*66\.7%\*\* \(2\/3;/)
    expect(body).toMatch(/\| this PR \| \*\*100\.0%\*\* \(3\/3;/)
    expect(body).toContain(`✅ now passes: “${CANCELLED}”`)
    expect(body).toContain('better, but within noise (exact McNemar p = 1 on 1 flipped question(s)')
    expect(body).toContain('6 question(s) asked of Genie for this preview.')
    expect(body.indexOf('### SpaceOps plan for dev')).toBeLessThan(body.indexOf('### Preview of PR #21'))
    const step = run.step('plan', 'plan')
    expect(step.outputs['questions-asked']).toBe('6')
    previewId = (JSON.parse(step.outputs['preview-space-ids'] ?? '{}') as Record<string, string>)[SPACE]
    const spaces = await devSpaces()
    expect(spaces).toHaveLength(2)
    const preview = spaces.find((s) => s.space_id === previewId)
    expect(preview?.title).toBe('Sales analytics [PR #21]')
    expect(preview?.parent_path).toBe(PREVIEW_FOLDER)
    expect(preview?.warehouse_id).toBe('wh-dev-0451')
    expect(preview?.serialized_space).toContain('cancelled_orders')
    // dev's own space and deploy record are untouched; the preview's record is in its own folder
    expect(spaces.find((s) => s.space_id !== previewId)?.serialized_space).not.toContain('cancelled_orders')
    expect(await readFile(world, '/Workspace/Shared/genie-dev/.spaceops/sales.json')).toBe(devRecord)
    expect(await readFile(world, `${PREVIEW_FOLDER}/.spaceops/sales.json`)).toContain('"environment": "dev preview pr-21"')
    // a preview is not drift of dev
    const env: Record<string, string> = { ...world.settings.vars, DATABRICKS_DEV_TOKEN: world.workspaces.dev?.tokens[1] as string }
    const drift = await spaceops(['drift', SPACE, '--env', 'dev', '--config', 'config/promotion.yaml', '--fail-on-drift'], { cwd: world.checkout(), env })
    expect({ code: drift.code, err: drift.err }).toEqual({ code: 0, err: expect.any(String) as unknown })
    expect(drift.out).toMatch(/"Sales analytics" in dev \([0-9a-f]{32}\): no changes/)
    expect(drift.out).not.toContain('PR #21')
  }, 240_000)

  it('a second push updates the same preview space and the same comment', async () => {
    const run = await world.run(
      'pr.yml',
      world.pullRequest(21, { [SPACE]: world.read(SPACE).replace('example_queries:\n', FIX).replace('Weeks start on Monday.', 'Weeks start on Sunday.') })
    )
    expectJobs(run, { validate: 'success', plan: 'success', cleanup: 'skipped' })
    expect(run.step('plan', 'plan').stdout).toMatch(/preview [0-9a-f]{32} "Sales analytics \[PR #21\]" updated/)
    expect(JSON.parse(run.step('plan', 'plan').outputs['preview-space-ids'] ?? '{}')).toEqual({ [SPACE]: previewId })
    const spaces = await devSpaces()
    expect(spaces).toHaveLength(2)
    expect(spaces.find((s) => s.space_id === previewId)?.serialized_space).toContain('Sunday')
    expect(ours(21)).toHaveLength(1)
  }, 240_000)

  it('the nightly drift workflow keeps a fresh preview; closing the PR trashes it', async () => {
    const nightly = await world.run('drift.yml', world.schedule(), {})
    expect(nightly.jobs.previews?.result).toBe('success')
    expect(nightly.step('previews', '<owner>/spaceops-action@v1').stdout).toMatch(/0 preview\(s\) older than 168h trashed in dev, 1 kept/)
    expect(await devSpaces()).toHaveLength(2)

    const closed = await world.run('pr.yml', world.pullRequest(21, { [SPACE]: world.read(SPACE).replace('example_queries:\n', FIX) }, 'closed'))
    expectJobs(closed, { validate: 'skipped', plan: 'skipped', cleanup: 'success' })
    expect(closed.step('cleanup', '<owner>/spaceops-action@v1').outputs['previews-trashed']).toBe('1')
    const left = await devSpaces()
    expect(left.map((s) => s.parent_path)).toEqual(['/Workspace/Shared/genie-dev'])
    expect(await readFile(world, `${PREVIEW_FOLDER}/.spaceops/sales.json`)).toBeUndefined()
    expect(await readFile(world, '/Workspace/Shared/genie-dev/.spaceops/sales.json')).toBe(devRecord)
  }, 240_000)

  it('a fork PR gets no preview and one note; no request reaches dev', async () => {
    await world.workspaces.dev?.clearRequests()
    const run = await world.run(
      'pr.yml',
      world.pullRequest(22, { [SPACE]: world.read(SPACE).replace('example_queries:\n', FIX) }, 'opened', { fork: 'mallory/genie' })
    )
    // GitHub gives a fork's workflow no secrets: the plan cannot reach dev either (as with mode diff)
    expect(run.jobs.plan?.result).toBe('failure')
    const step = run.step('plan', 'plan')
    expect(step.stdout).toMatch(/no credentials/)
    const notes = step.stdout.split('\n').filter((l) => l.includes('No preview: this pull request comes from a fork'))
    expect(notes).toHaveLength(1)
    expect(step.summary.match(/No preview: this pull request comes from a fork/g)).toHaveLength(1)
    expect(await world.workspaces.dev?.requests()).toEqual([])
    expect(await devSpaces()).toHaveLength(1)
  }, 120_000)

  it('a config whose preview environment is stage is refused before any request', async () => {
    await world.workspaces.dev?.clearRequests()
    const config = world
      .read('config/promotion.yaml')
      .replace('    catalog_mappings: { shop_dev: shop_stage }', '    catalog_mappings: { shop_dev: shop_stage }\n    preview: true')
    const run = await world.run('pr.yml', world.pullRequest(23, { 'config/promotion.yaml': config }, 'opened'))
    expect(run.jobs.plan?.result).toBe('failure')
    expect(run.step('plan', 'plan').stdout).toMatch(/config\/promotion\.yaml:\d+:\d+: environments\.stage\.preview: stage comes after dev in promotion_order/)
    expect(await world.workspaces.dev?.requests()).toEqual([])
    expect(await devSpaces()).toHaveLength(1)
  }, 120_000)
})
