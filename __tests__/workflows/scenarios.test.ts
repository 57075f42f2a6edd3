import { spaceops } from '../helpers/process.js'
import { expectJobs, startWorld, teamSettings, type RunResult, type World } from './harness.js'
import { FIX, SPACE } from './story.js'

// The example workflows as a team copies them, run job by job against one Genie emulator per
// workspace and a loopback GitHub (see harness.ts for how a scenario is declared).

function expectClean(world: World, run: RunResult) {
  expect(run.unresolved).toEqual([])
  // the runner would mask these, but the action must not print them in the first place
  const visible = run.everything().replace(/::add-mask::.*$/gm, '')
  for (const ws of Object.values(world.workspaces)) for (const t of ws.tokens) expect(visible).not.toContain(t)
  expect(visible).not.toContain(world.githubToken)
}

describe('pr.yml on a pull request', () => {
  let world: World
  beforeAll(async () => {
    world = await startWorld({ workspaces: ['dev'] })
    world.settings = teamSettings(world)
    // main also holds a second space the pull request does not touch
    world.merge({ 'spaces/billing/space.yaml': world.read(SPACE).replace('title: Sales analytics', 'title: Billing analytics') })
  })
  afterAll(() => world.close())

  it('validates, plans only the touched space and posts one sticky comment, updated on the next push', async () => {
    const first = await world.run(
      'pr.yml',
      world.pullRequest(7, { [SPACE]: world.read(SPACE).replace('Weeks start on Monday.', 'Weeks start on Sunday.') }, 'opened')
    )
    expect(first.triggered).toBe(true)
    expectJobs(first, { validate: 'success', plan: 'success', cleanup: 'skipped' })
    const plan = first.step('plan', 'plan')
    expect(JSON.parse(plan.outputs.spaces ?? '')).toEqual([SPACE])
    expect(plan.outputs.changes).toBe('true')
    expect(first.step('plan', 'Plan outputs').stdout).toBe(`changes=true spaces=["${SPACE}"]\n`)
    const ours = () => world.github.state.commentsOf(7).filter((c) => c.user.login === 'github-actions[bot]')
    expect(ours()).toHaveLength(1)
    expect(ours()[0]?.body).toContain('### SpaceOps plan for dev')
    expect(ours()[0]?.body).toContain('**0** changed · **0** unchanged · **1** new')
    expect(ours()[0]?.body).not.toContain('Billing analytics')
    expect(first.summary('plan')).toContain('SpaceOps plan for dev')
    expectClean(world, first)

    // the next push also touches billing: the same comment now plans both
    const billing = 'spaces/billing/space.yaml'
    const second = await world.run(
      'pr.yml',
      world.pullRequest(7, { [SPACE]: world.read(SPACE), [billing]: world.read(billing).replace('Weeks start on Monday.', 'Weeks start on Sunday.') })
    )
    expectJobs(second, { validate: 'success', plan: 'success', cleanup: 'skipped' })
    expect(JSON.parse(second.step('plan', 'plan').outputs.spaces ?? '')).toEqual([billing, SPACE])
    expect(ours()).toHaveLength(1)
    expect(ours()[0]?.body).toContain('**0** changed · **0** unchanged · **2** new')
    expect(ours()[0]?.body).toContain('Billing analytics')
    // planning never writes to the workspace: the only spaces written are the previews, in their own folder
    const previews = (await world.workspaces.dev?.spaces()) ?? []
    // (dev has neither space yet: each is measured next to a preview of main's version)
    expect(previews.map((s) => [s.parent_path, s.title]).sort()).toEqual([
      ['/Workspace/Shared/genie-dev/previews/pr-7', 'Billing analytics [PR #7 base]'],
      ['/Workspace/Shared/genie-dev/previews/pr-7', 'Billing analytics [PR #7]'],
      ['/Workspace/Shared/genie-dev/previews/pr-7', 'Sales analytics [PR #7 base]'],
      ['/Workspace/Shared/genie-dev/previews/pr-7', 'Sales analytics [PR #7]']
    ])
    expect(ours()[0]?.body).toMatch(/\| base \(the base branch, preview [0-9a-f]{32}\) \|/)
  }, 400_000)

  it('a pull request that touches no space does not start the workflow', async () => {
    const run = await world.run('pr.yml', world.pullRequest(8, { 'README.md': 'docs only\n' }))
    expect(run.triggered).toBe(false)
    expect(run.jobs).toEqual({})
  })
})

describe('deploy.yml on merges to main', () => {
  let world: World
  beforeAll(async () => {
    world = await startWorld({ workspaces: ['dev', 'stage'] })
    world.settings = teamSettings(world)
  })
  afterAll(() => world.close())

  it('deploys dev; the benchmark gate on dev fails (no example answers one question) and stage is not touched', async () => {
    const run = await world.run('deploy.yml', world.merge({ [SPACE]: world.read(SPACE).replace('Weeks start on Monday.', 'Weeks start on Sunday.') }))
    expectJobs(run, { dev: 'success', stage: 'failure' })
    expect(run.step('stage', 'promote').stdout).toMatch(/benchmark gate failed on dev/)
    expect(await world.workspaces.stage?.spaceWrites()).toEqual([])
    const [dev] = (await world.workspaces.dev?.spaces()) ?? []
    expect(dev?.warehouse_id).toBe('wh-dev-0451') // vars.DEV_WAREHOUSE_ID, not the config's placeholder
    expectClean(world, run)
  })

  it('the fix merged: dev updated (its backup kept as an artifact), the gate passes, stage created with its own names and warehouse', async () => {
    const run = await world.run('deploy.yml', world.merge({ [SPACE]: world.read(SPACE).replace('example_queries:\n', FIX) }))
    expectJobs(run, { dev: 'success', stage: 'success' })
    expect(run.artifacts['genie-backups-dev']?.length).toBe(1)
    expect(run.artifacts['genie-backups-stage']).toBeUndefined() // stage was created: nothing to back up
    expect(run.step('stage', 'promote').stdout).toMatch(/benchmark gate on dev: .*passed/i)
    const [stage] = (await world.workspaces.stage?.spaces()) ?? []
    expect(stage?.warehouse_id).toBe('wh-stage-0451')
    expect(stage?.parent_path).toBe('/Workspace/Shared/genie-stage')
    expect(stage?.serialized_space).toContain('shop_stage.sales.orders')
    expect(stage?.serialized_space).not.toContain('shop_dev')
    expectClean(world, run)
  })

  it('a second merge that changes nothing deployed writes nothing to either workspace', async () => {
    for (const ws of Object.values(world.workspaces)) await ws.clearRequests()
    const run = await world.run('deploy.yml', world.merge({ [SPACE]: `${world.read(SPACE)}# a comment only\n` }))
    expectJobs(run, { dev: 'success', stage: 'success' })
    expect(run.step('dev', 'promote').stdout).toMatch(/: unchanged/)
    expect(run.step('stage', 'promote').stdout).toMatch(/: unchanged/)
    expect(await world.workspaces.dev?.spaceWrites()).toEqual([])
    expect(await world.workspaces.stage?.spaceWrites()).toEqual([])
    // the stage job's gate still asks dev's Genie its questions: reads, but POSTs
    expect((await world.workspaces.dev?.writes())?.map((r) => `${r.method} ${(r as { op?: string }).op}`)).toContain('POST start-conversation')
    expect(Object.keys(run.artifacts)).toEqual([])
  })

  it('a merge that touches no space does not start the workflow', async () => {
    const run = await world.run('deploy.yml', world.merge({ 'README.md': 'docs\n' }))
    expect(run.triggered).toBe(false)
  })
})

describe('drift.yml, nightly', () => {
  let world: World
  beforeAll(async () => {
    world = await startWorld({ workspaces: ['dev', 'stage', 'prod'] })
    world.settings = teamSettings(world)
    const deploy = await world.run('deploy.yml', world.merge({ [SPACE]: world.read(SPACE).replace('example_queries:\n', FIX) }))
    expectJobs(deploy, { dev: 'success', stage: 'success' })
    // prod by the CLI: prod.yml's apply flow needs inputs the action does not have yet
    const env: Record<string, string> = { ...world.settings.vars }
    for (const [name, ws] of Object.entries(world.workspaces))
      Object.assign(env, { [`DATABRICKS_${name.toUpperCase()}_HOST`]: ws.url, [`DATABRICKS_${name.toUpperCase()}_TOKEN`]: ws.tokens[0] as string })
    const prod = await spaceops(['promote', SPACE, 'prod', '--config', 'config/promotion.yaml', '--force'], { cwd: world.checkout(), env })
    expect(prod.code).toBe(0)
  })
  afterAll(() => world.close())

  const driftIssues = () => world.github.state.issues.filter((i) => i.body.startsWith('<!-- spaceops:drift:'))

  it('opens one issue for the environment edited in the Genie UI, updates it the next night, closes it once clean', async () => {
    const clean = await world.run('drift.yml', world.schedule())
    expectJobs(clean, { drift: 'success', previews: 'success' })
    expect(driftIssues()).toEqual([])
    expectClean(world, clean)

    const stage = world.workspaces.stage
    const [live] = (await stage?.spaces()) ?? []
    await fetch(`${stage?.url}/_emulator/spaces/${live?.space_id}/edit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ add_sample_question: 'What is our churn rate?' })
    })

    for (const _night of [1, 2]) {
      const run = await world.run('drift.yml', world.schedule())
      expectJobs(run, { drift: 'failure', previews: 'success' })
      expect(run.step('drift', 'stage').outputs.drifted).toBe('true')
      expect(run.step('drift', 'prod').outputs.drifted).toBe('false')
      expect(run.step('drift', 'Fail while anything drifted').outcome).toBe('failure')
      expect(driftIssues().map((i) => [i.title, i.state])).toEqual([['Genie spaces drifted in stage', 'open']])
      expect(driftIssues()[0]?.body).toContain(`\`${SPACE}\` (space ${live?.space_id})`)
      expect(driftIssues()[0]?.body).toMatch(/Details: the summary of https:\/\/github\.example\/octo\/genie\/actions\/runs\/\d+\./)
      expect(driftIssues()[0]?.body.split('- `').length).toBe(2) // one drifted space listed, night ${night}
    }
    expect(world.github.state.issues).toHaveLength(1)

    // a merge in between: the deploy records in stage's workspace (seen from a fresh checkout) say
    // SpaceOps did not write that question, so stage is blocked, naming the edit, and not written
    await stage?.clearRequests()
    const deploy = await world.run('deploy.yml', world.merge({ [SPACE]: `${world.read(SPACE)}# reviewed\n` }))
    expectJobs(deploy, { dev: 'success', stage: 'failure' })
    expect(deploy.step('stage', 'promote').stdout).toContain('+ sample question: What is our churn rate?')
    expect(deploy.step('stage', 'promote').stdout).toMatch(/stage was edited outside SpaceOps since \S+ \(\+1 sample question\): bring the edit into Git/)
    expect(await stage?.spaceWrites()).toEqual([])
    expectClean(world, deploy)

    // the edit is undone in the Genie UI: the next night closes the issue, and the next merge goes through
    await fetch(`${stage?.url}/_emulator/spaces/${live?.space_id}/edit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ serialized_space: live?.serialized_space })
    })
    const after = await world.run('drift.yml', world.schedule())
    expectJobs(after, { drift: 'success', previews: 'success' })
    expect(driftIssues().map((i) => [i.state, i.state_reason])).toEqual([['closed', 'completed']])
    expect(world.github.state.commentsOf(driftIssues()[0]?.number ?? 0).map((c) => c.body)).toEqual([expect.stringMatching(/^stage matches Git again/)])
    const again = await world.run('deploy.yml', world.merge({ [SPACE]: `${world.read(SPACE)}# reviewed again\n` }))
    expectJobs(again, { dev: 'success', stage: 'success' })
  })
})

describe('deploy.yml after an edit in the Genie UI', () => {
  let world: World
  beforeAll(async () => {
    world = await startWorld({ workspaces: ['dev', 'stage'] })
    world.settings = teamSettings(world)
    expectJobs(await world.run('deploy.yml', world.merge({ [SPACE]: world.read(SPACE).replace('example_queries:\n', FIX) })), {
      dev: 'success',
      stage: 'success'
    })
  })
  afterAll(() => world.close())

  it('blocks the merge, naming the edit, until it is run by hand with force, which says what it skipped', async () => {
    const stage = world.workspaces.stage
    const [live] = (await stage?.spaces()) ?? []
    await fetch(`${stage?.url}/_emulator/spaces/${live?.space_id}/edit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ add_sample_question: 'Which region grew most?' })
    })
    await stage?.clearRequests()
    const merged = await world.run('deploy.yml', world.merge({ [SPACE]: world.read(SPACE).replace('Weeks start on Monday.', 'Weeks start on Sunday.') }))
    expectJobs(merged, { dev: 'success', stage: 'failure' })
    expect(merged.step('stage', 'promote').stdout).toMatch(/stage was edited outside SpaceOps since \S+ \(\+1 sample question\)/)
    expect(await stage?.spaceWrites()).toEqual([])

    const forced = await world.run('deploy.yml', world.dispatch({ force: 'true' }))
    expectJobs(forced, { dev: 'success', stage: 'success' })
    // the warning once, in the action's words; and the report says what was forced, not only the annotations
    expect(forced.step('stage', 'promote').stdout).toMatch(
      /::warning title=SpaceOps%3A forced::spaces\/sales\/space\.yaml: skipped drift guard: stage was edited outside SpaceOps since \S+ \(\+1 sample question\) \(force: true\)$/m
    )
    expect(forced.step('stage', 'promote').stdout.match(/edited outside SpaceOps/g)).toHaveLength(1)
    expect(forced.summary('stage')).toMatch(
      /\*\*Forced\*\* \(force: true\): checks that would have blocked were skipped\n\n- spaces\/sales\/space\.yaml: skipped drift guard: stage was edited outside SpaceOps/
    )
    const [after] = (await stage?.spaces()) ?? []
    expect(after?.serialized_space).not.toContain('Which region grew most?')
    expect(after?.serialized_space).toContain('Weeks start on Sunday.')
    // and the next merge is SpaceOps' own again: nothing to write, nothing blocked
    await stage?.clearRequests()
    expectJobs(await world.run('deploy.yml', world.merge({ [SPACE]: `${world.read(SPACE)}# reviewed\n` })), { dev: 'success', stage: 'success' })
    expect(await stage?.spaceWrites()).toEqual([])
  }, 120_000)
})

describe('prod.yml, by hand', () => {
  let world: World
  beforeAll(async () => {
    world = await startWorld({ workspaces: ['dev', 'stage', 'prod'] })
    world.settings = teamSettings(world)
    expectJobs(await world.run('deploy.yml', world.merge({ [SPACE]: world.read(SPACE).replace('example_queries:\n', FIX) })), {
      dev: 'success',
      stage: 'success'
    })
  })
  afterAll(() => world.close())

  const prodLive = async () => (await world.workspaces.prod?.spaces()) ?? []
  /** A change merged and deployed to dev and stage (prod comes after, by hand). */
  async function mergeToStage(from: string, to: string) {
    expectJobs(await world.run('deploy.yml', world.merge({ [SPACE]: world.read(SPACE).replace(from, to) })), { dev: 'success', stage: 'success' })
  }

  it('plan (no reviewers) → approval → apply of exactly that plan, with the post-deploy gate on prod', async () => {
    const run = await world.run('prod.yml', world.dispatch())
    expectJobs(run, { plan: 'success', deploy: 'success' })
    // the plan job: the prod plan and the stage benchmark in the summary, the plan kept as an artifact
    expect(run.summary('plan')).toContain('SpaceOps promote to prod (dry run)')
    expect(run.summary('plan')).toContain('Benchmarks on stage (before the deploy): 3 of 3 questions passed')
    expect(run.artifacts['genie-prod-plan']).toEqual(['promote-prod.json'])
    // the deploy job applied it: prod holds what stage holds, with prod's names and warehouse
    const [live] = await prodLive()
    expect(live?.warehouse_id).toBe('wh-prod-0451')
    expect(live?.serialized_space).toContain('shop_prod.sales.orders')
    expect(live?.serialized_space).not.toContain('shop_stage')
    expect(run.step('deploy', 'promote').stdout).toMatch(/benchmark gate on prod after the deploy: /)
    expectClean(world, run)
  }, 120_000)

  it('an apply is refused, naming what moved, when prod changed between the plan and the approval', async () => {
    await mergeToStage('Weeks start on Monday.', 'Weeks start on Sunday.')
    const prod = world.workspaces.prod
    const [before] = await prodLive()
    const run = await world.run('prod.yml', world.dispatch(), {
      beforeJob: async (job) => {
        if (job !== 'deploy') return
        // someone edits prod in the Genie UI while the deploy job waits for its reviewers
        await fetch(`${prod?.url}/_emulator/spaces/${before?.space_id}/edit`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ add_sample_question: 'Edited while waiting?' })
        })
        await prod?.clearRequests()
      }
    })
    expectJobs(run, { plan: 'success', deploy: 'failure' })
    expect(run.step('deploy', 'promote').stdout).toMatch(
      /the plan \S+promote-prod\.json no longer holds: prod space [0-9a-f]{32} was changed \(etag \w+ → \w+\) since it was made — nothing was written/
    )
    expect(await prod?.spaceWrites()).toEqual([])
    // undo the edit (as it was: SpaceOps' own write again) for the next test
    await fetch(`${prod?.url}/_emulator/spaces/${before?.space_id}/edit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ serialized_space: before?.serialized_space })
    })
  }, 120_000)

  it('a failing post-deploy gate on prod puts the backup back byte for byte', async () => {
    const prod = world.workspaces.prod
    const [before] = await prodLive()
    const run = await world.run('prod.yml', world.dispatch(), {
      beforeJob: async (job) => {
        // prod's Genie fails every question once the new content is there
        if (job === 'deploy') prod?.emulator.setFaults({ genieFailRate: 1 })
      }
    })
    prod?.emulator.setFaults({})
    expectJobs(run, { plan: 'success', deploy: 'failure' })
    // the outcome on its line, the reason once: in the step's failure
    expect(run.step('deploy', 'promote').stdout).toMatch(/^spaces\/sales\/space\.yaml: rolled-back \(space [0-9a-f]{32}\)$/m)
    expect(run.step('deploy', 'promote').stdout).toMatch(
      /::error::1 promotion\(s\) to prod did not go through: spaces\/sales\/space\.yaml: benchmark gate failed on prod after the deploy: .*the backup was restored/
    )
    const [after] = await prodLive()
    expect(after?.serialized_space).toBe(before?.serialized_space)
    expect(after?.title).toBe(before?.title)
    expect(run.artifacts['genie-backups-prod']?.length).toBe(1)
  }, 120_000)
})

describe('oidc.yml on a merge', () => {
  let world: World
  beforeAll(async () => {
    world = await startWorld({ workspaces: ['dev'] })
    world.settings = teamSettings(world)
    delete world.settings.environments?.dev?.secrets // no stored Databricks secret at all
  })
  afterAll(() => world.close())

  it('deploys dev with the job’s GitHub ID token exchanged for a Databricks token', async () => {
    const run = await world.run('oidc.yml', world.merge({ [SPACE]: `${world.read(SPACE)}# via OIDC\n` }))
    expectJobs(run, { dev: 'success' })
    expect(world.idTokens).toEqual([{ audience: world.workspaces.dev?.url, subject: 'repo:octo/genie:environment:dev' }])
    expect(((await world.workspaces.dev?.spaceWrites()) ?? []).map((r) => `${r.method} ${(r as { op?: string }).op}`)).toContain('POST create')
    expectClean(world, run)
  })
})
