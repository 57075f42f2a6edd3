import { expectJobs, startWorld, teamSettings, type World } from './harness.js'
import { FIX, SPACE } from './story.js'
import { lineDiff } from '../../src/util/line-diff.js'

// ui-edits.yml: an edit made in stage's Genie UI becomes a pull request holding that edit alone,
// in dev's names.

describe('ui-edits.yml, by hand', () => {
  let world: World
  beforeAll(async () => {
    world = await startWorld({ workspaces: ['dev', 'stage', 'prod'] })
    world.settings = teamSettings(world)
    const deploy = await world.run('deploy.yml', world.merge({ [SPACE]: world.read(SPACE).replace('example_queries:\n', FIX) }))
    expectJobs(deploy, { dev: 'success', stage: 'success' })
  })
  afterAll(() => world.close())

  it('opens no pull request while stage matches Git, and one with the edit alone after an edit in the UI', async () => {
    const clean = await world.run('ui-edits.yml', world.dispatch({ env: 'stage' }))
    expectJobs(clean, { snapshot: 'success' })
    expect(clean.step('snapshot', 'snapshot').outputs.changed).toBe('false')
    expect(clean.step('snapshot', 'Open or update the pull request').outcome).toBe('skipped')

    const stage = world.workspaces.stage
    const [live] = (await stage?.spaces()) ?? []
    await fetch(`${stage?.url}/_emulator/spaces/${live?.space_id}/edit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ add_sample_question: 'What is our churn rate?' })
    })
    await stage?.clearRequests()

    const run = await world.run('ui-edits.yml', world.dispatch({ env: 'stage' }))
    expectJobs(run, { snapshot: 'success' })
    expect(run.step('snapshot', 'snapshot').outputs['changed-files']).toBe(SPACE)
    const pr = run.step('snapshot', 'Open or update the pull request')
    expect(pr.outputs['pull-request-operation']).toBe('created')
    expect(pr.pullRequest?.branch).toBe('spaceops/ui-edits-stage')
    expect(pr.pullRequest?.title).toBe('Genie UI edits in stage')
    const diff = lineDiff(world.read(SPACE), pr.pullRequest?.files[SPACE] ?? '')
    // the UI gives the question an id of its own, so it is written with it
    expect(diff).toEqual([
      { op: '+', line: expect.stringMatching(/^ {2}- id: [0-9a-f]{32}$/) },
      { op: '+', line: '    question: What is our churn rate?' }
    ])
    // reading only: nothing was written to stage
    expect(await stage?.spaceWrites()).toEqual([])
  })
})
