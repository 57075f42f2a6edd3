// npm run demo: the SpaceOps pipeline end to end, run through the example workflows
// (examples/workflows/*.yml) exactly as the tests run them — the workflow runner of
// __tests__/workflows/harness.ts: GitHub's own parser and expression engine, each job in a fresh
// checkout, the built action (dist/index.cjs) for every `uses:` of SpaceOps — against three Genie
// emulators on 127.0.0.1 standing in for the dev, stage and prod workspaces and a loopback GitHub.
// So the demo can do nothing a workflow a team copies cannot. Needs nothing but `npm ci`.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { startWorld, teamSettings, type RunResult, type World } from '../__tests__/workflows/harness.js'
import { FIX, SPACE } from '../__tests__/workflows/story.js'

const tty = process.stdout.isTTY
const bold = (s: string) => (tty ? `\x1b[1m${s}\x1b[0m` : s)
const dim = (s: string) => (tty ? `\x1b[2m${s}\x1b[0m` : s)
let n = 0
const step = (title: string) => console.log(`\n${bold(`${++n}. ${title}`)}`)
const say = (text: string) =>
  console.log(
    text
      .trimEnd()
      .split('\n')
      .map((l) => `   ${l}`)
      .join('\n')
  )

const world: World = await startWorld({ workspaces: ['dev', 'stage', 'prod'] })
world.settings = teamSettings(world)
// the folder npm was run from (INIT_CWD): ncc's asset relocator would turn `process.cwd() + …`
// into a path inside the bundle's own folder
const OUT = 'demo-out'
const out = path.resolve(process.env.INIT_CWD ?? '.', OUT)
mkdirSync(out, { recursive: true })
const keep = (name: string, text: string) => {
  writeFileSync(path.join(out, name), text)
  return path.join(OUT, name)
}
const jobs = (r: RunResult) =>
  Object.entries(r.jobs)
    .map(([id, j]) => `${id}: ${j.result}`)
    .join(', ')
function expectJobs(what: string, r: RunResult, want: Record<string, string>): void {
  const got = Object.fromEntries(Object.entries(r.jobs).map(([id, j]) => [id, j.result]))
  if (JSON.stringify(got) === JSON.stringify(want)) return
  console.error(`\ndemo failed at: ${what} — jobs ${jobs(r)}, expected ${JSON.stringify(want)}\n${r.failures().join('\n\n')}`)
  process.exitCode = 1
  throw new Error('demo failed')
}
const lines = (text: string, re: RegExp) =>
  text
    .split('\n')
    .filter((l) => re.test(l))
    .join('\n')

try {
  console.log(`${bold('SpaceOps demo')}: one Genie space, examples/spaces/sales, goes from a pull request to production,`)
  console.log('through the example workflows a team copies (examples/workflows), as GitHub would run them.')
  say(
    dim(
      Object.entries(world.workspaces)
        .map(([name, w]) => `${name} workspace (a Genie emulator): ${w.url}`)
        .join('\n')
    )
  )

  step('A pull request adds the space: pr.yml validates it offline and plans what merging changes in dev')
  let r = await world.run('pr.yml', world.pullRequest(1, { [SPACE]: world.read(SPACE) }, 'opened'))
  expectJobs('pr.yml', r, { validate: 'success', plan: 'success', cleanup: 'skipped' })
  const comment = world.github.state.commentsOf(1).find((c) => c.body.includes('SpaceOps plan'))?.body ?? ''
  say(
    `${lines(r.step('validate', '<owner>/spaceops-action@v1').stdout, /checked/)}\nthe sticky comment on the pull request:\n${comment
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('<!--'))
      .slice(0, 2)
      .join('\n')}\n${/— (will be created, holding [^<]*)/.exec(comment)?.[1] ?? ''}\n(${keep('pr-plan.md', comment)})`
  )

  step('The pull request merges: deploy.yml deploys dev, then promotes to stage behind a benchmark gate on dev')
  r = await world.run('deploy.yml', world.merge({ [SPACE]: `${world.read(SPACE)}# merged\n` }))
  expectJobs('deploy.yml (first merge)', r, { dev: 'success', stage: 'failure' })
  say(
    `${jobs(r)}\n${lines(r.step('stage', 'promote').stdout, /^(?!::).*(did not go through|benchmark gate)/)}\nstage is not touched; the gate's report: ${keep('gate-stage-blocked.md', r.summary('stage'))}`
  )

  step('The fix, reviewed and merged: an example query that answers the failing question')
  r = await world.run('deploy.yml', world.merge({ [SPACE]: world.read(SPACE).replace('example_queries:\n', FIX) }))
  expectJobs('deploy.yml (the fix)', r, { dev: 'success', stage: 'success' })
  say(
    `${jobs(r)}\n${lines(r.step('stage', 'promote').stdout, /benchmark gate on dev|stage: (created|promoted)/)}\n(${keep('promote-stage.md', r.summary('stage'))})`
  )

  step('Production, by hand: prod.yml plans (prod plan + stage benchmark), a reviewer approves, the deploy job applies exactly that plan')
  r = await world.run('prod.yml', world.dispatch(), {
    beforeJob: async (job) => {
      if (job === 'deploy') say(dim('(the deploy job waits for the production environment’s required reviewers: approved)'))
    }
  })
  expectJobs('prod.yml', r, { plan: 'success', deploy: 'success' })
  const [prod] = (await world.workspaces.prod?.spaces()) ?? []
  say(
    `${jobs(r)}\nplan: ${keep('prod-plan.md', r.summary('plan'))}; deploy: ${keep('prod-deploy.md', r.summary('deploy'))}\n${lines(r.step('deploy', 'promote').stdout, /benchmark gate on prod after the deploy/)}\nprod space ${prod?.space_id}; its SQL reads ${/FROM shop_prod\.sales\.orders/.test(prod?.serialized_space ?? '') ? 'FROM shop_prod.sales.orders' : '(not remapped!)'}`
  )

  step('Someone edits the prod space in the Genie UI; the nightly drift.yml opens an issue')
  await fetch(`${world.workspaces.prod?.url}/_emulator/spaces/${prod?.space_id}/edit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ add_sample_question: 'What is our churn rate?' })
  })
  r = await world.run('drift.yml', world.schedule())
  const issue = world.github.state.issues.find((i) => i.body.startsWith('<!-- spaceops:drift:'))
  say(`${jobs(r)}\nissue #${issue?.number}: "${issue?.title}" (${issue?.state})\n${keep('drift-issue.md', issue?.body ?? '')}`)

  step('A change merged after that edit: dev and stage are SpaceOps’ own, prod’s plan stops at the edit')
  r = await world.run('deploy.yml', world.merge({ [SPACE]: world.read(SPACE).replace('Weeks start on Monday.', 'Weeks start on Monday (ISO weeks).') }))
  expectJobs('deploy.yml (after the UI edit)', r, { dev: 'success', stage: 'success' })
  r = await world.run('prod.yml', world.dispatch())
  expectJobs('prod.yml (after the UI edit)', r, { plan: 'failure', deploy: 'skipped' })
  say(`${jobs(r)}
${lines(r.step('plan', 'plan').stdout, /^::error::/).replace(/^::error::/, '')}
(the deploy records in prod's workspace say what SpaceOps last wrote; bring the edit into Git, or promote with force)`)

  console.log(`\n${bold('Done.')} Reports are in ${out}: pr-plan.md, gate-stage-blocked.md, promote-stage.md, prod-plan.md, prod-deploy.md, drift-issue.md`)
} catch (err) {
  process.exitCode = 1
  if (!(err instanceof Error) || err.message !== 'demo failed') console.error(`\ndemo failed: ${err instanceof Error ? err.message : String(err)}`)
} finally {
  await world.close()
}
