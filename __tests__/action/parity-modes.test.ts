import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import * as yaml from 'js-yaml'
import { run } from '../../src/main.js'
import { FakeRuntime } from '../helpers/runtime.js'
import { emulator, liveSpaces } from '../helpers/emulator.js'
import { cli, ROOT } from '../helpers/cli.js'

// What the action gained to match the CLI, driven through run() against three emulators on
// 127.0.0.1 (dev, stage, prod) and a copy of examples/: push parent-path/title, promote write-ids and
// post-deploy-gate, mode restore, and mode benchmark's options and space lookup.

type Emu = Awaited<ReturnType<typeof emulator>>
let envs: Record<'dev' | 'stage' | 'prod', Emu>
let repo: string
let env: Record<string, string>
const TOKENS = { dev: 'dapiDEVparity000001', stage: 'dapiSTAGEparity0002', prod: 'dapiPRODparity00003' }
/** Genie answers in milliseconds and without a question limit, so gates take no time. */
const FAST = { genieLatencyMs: 5, genieLatencyJitterMs: 0, statementLatencyMs: 5, evalLatencyMs: 5, questionsPerMinute: 0 }
const SPACE = 'spaces/sales/space.yaml'

beforeAll(async () => {
  envs = { dev: await emulator({ seed: 11 }), stage: await emulator({ seed: 12 }), prod: await emulator({ seed: 13 }) }
})
afterAll(async () => {
  for (const e of Object.values(envs)) await e.close()
})
beforeEach(async () => {
  for (const e of Object.values(envs)) {
    await e.reset()
    await e.faults(FAST)
  }
  repo = mkdtempSync(path.join(tmpdir(), 'spaceops-parity-'))
  cpSync(path.join(ROOT, 'examples'), repo, { recursive: true })
  // one question the example space answers, written against dev's names
  writeFileSync(
    path.join(repo, 'suites.yaml'),
    [
      'name: Smoke',
      'min_accuracy: 1',
      'queries:',
      '  - question: What was revenue by month this year?',
      '    expected_tables: [shop_dev.sales.orders]',
      ''
    ].join('\n')
  )
  env = {
    RUNNER_TEMP: mkdtempSync(path.join(tmpdir(), 'spaceops-parity-runner-')),
    DATABRICKS_DEV_HOST: envs.dev.url,
    DATABRICKS_STAGE_HOST: envs.stage.url,
    DATABRICKS_PROD_HOST: envs.prod.url,
    DATABRICKS_DEV_TOKEN: TOKENS.dev,
    DATABRICKS_STAGE_TOKEN: TOKENS.stage,
    DATABRICKS_PROD_TOKEN: TOKENS.prod
  }
})

async function action(inputs: Record<string, string>, extraEnv: Record<string, string> = {}) {
  const rt = new FakeRuntime(inputs, repo, { ...env, ...extraEnv })
  await run(rt)
  for (const t of Object.values(TOKENS)) expect(rt.everything()).not.toContain(t)
  return rt
}

async function promoted(target: string, inputs: Record<string, string> = {}) {
  const rt = await action({ mode: 'promote', 'target-env': target, ...inputs })
  expect(rt.failed).toBeUndefined()
  return rt
}

function editDefinition(from: string, to: string, file = SPACE) {
  const p = path.join(repo, file)
  writeFileSync(p, readFileSync(p, 'utf8').replace(from, to))
}

describe('mode push: parent-path and title', () => {
  it('put the space in that folder under that title; title needs one definition', async () => {
    const inputs = {
      mode: 'push',
      definition: SPACE,
      'parent-path': '/Workspace/Shared/preview',
      title: 'Sales (preview)',
      'warehouse-id': 'wh-1',
      host: envs.dev.url,
      token: TOKENS.dev
    }
    const first = await action(inputs)
    expect(first.failed).toBeUndefined()
    const [live] = await liveSpaces(envs.dev)
    expect(live).toMatchObject({ space_id: first.outputs['space-id'], title: 'Sales (preview)', parent_path: '/Workspace/Shared/preview' })
    expect((await action(inputs)).outputs.changed).toBe('false')

    cpSync(path.join(repo, 'spaces/sales'), path.join(repo, 'spaces/marketing'), { recursive: true })
    await envs.dev.clearRequests()
    const two = await action({ ...inputs, definition: 'spaces/*/space.yaml' })
    expect(two.failed).toBe('input title names one space but definition matches 2 files; point definition at one file')
    expect(await envs.dev.requests()).toEqual([])
  })
})

describe('mode promote: write-ids and post-deploy-gate', () => {
  it('write-ids records every space id in the config, keeping its comments; the next run updates by id', async () => {
    cpSync(path.join(repo, 'spaces/sales'), path.join(repo, 'spaces/marketing'), { recursive: true })
    editDefinition('title: Sales analytics', 'title: Marketing analytics', 'spaces/marketing/space.yaml')
    const before = readFileSync(path.join(repo, 'config/promotion.yaml'), 'utf8')
    const plain = await promoted('dev', { definition: 'spaces/*/space.yaml' })
    expect(readFileSync(path.join(repo, 'config/promotion.yaml'), 'utf8')).toBe(before)
    const ids = JSON.parse(plain.outputs['space-ids'] as string) as Record<string, string>
    expect(Object.keys(ids).sort()).toEqual(['spaces/marketing/space.yaml', 'spaces/sales/space.yaml'])

    const rt = await promoted('dev', { definition: 'spaces/*/space.yaml', 'write-ids': 'true' })
    expect(JSON.parse(rt.outputs['space-ids'] as string)).toEqual(ids)
    const text = readFileSync(path.join(repo, 'config/promotion.yaml'), 'utf8')
    expect(text).toContain('# the definitions are written against dev')
    const cfg = yaml.load(text) as { environments: { dev: { spaces: Record<string, { space_id: string }> } } }
    expect(cfg.environments.dev.spaces).toEqual({
      sales: { space_id: ids['spaces/sales/space.yaml'] },
      marketing: { space_id: ids['spaces/marketing/space.yaml'] }
    })

    await envs.dev.clearRequests()
    await promoted('dev', { definition: 'spaces/*/space.yaml' })
    // by id: one read of each space (and of its deploy record), no lookup by title (besides the
    // target preflight's catalog and warehouse reads)
    expect(
      (await envs.dev.requests())
        .filter((r) => !/^\/api\/2\.(1\/unity-catalog|0\/sql\/warehouses)\//.test(r.path))
        .map((r) => `${r.method} ${r.path}`)
        .sort()
    ).toEqual([...Object.values(ids).map((id) => `GET /api/2.0/genie/spaces/${id}`), 'GET /api/2.0/workspace/export', 'GET /api/2.0/workspace/export'].sort())
  })

  it('post-deploy-gate: suites that fail on the target after the write put the backup back, byte for byte', async () => {
    await promoted('dev')
    await promoted('stage')
    const [before] = await liveSpaces(envs.stage)
    editDefinition('Weeks start on Monday.', 'Weeks start on Sunday.')
    await promoted('dev')
    await envs.stage.faults({ ...FAST, genieFailRate: 1 }) // Genie on stage fails every question

    const gated = { benchmark: 'suites.yaml', 'backup-dir': 'backups' }
    const rolled = await action({ mode: 'promote', 'target-env': 'stage', ...gated, 'post-deploy-gate': 'true' })
    expect(rolled.failed).toMatch(
      /^1 promotion\(s\) to stage did not go through: spaces\/sales\/space\.yaml: benchmark gate failed on stage after the deploy: accuracy 0\.0% \(0\/1\), gate FAILED: .*; the backup was restored$/
    )
    expect(rolled.summary).toContain('| spaces/sales/space.yaml | rolled-back')
    expect(rolled.summary).toContain('Benchmarks on dev (before the deploy)')
    expect(rolled.summary).toContain('Benchmarks on stage (after the deploy)')
    expect(rolled.outputs['backup-dir']).toBe(path.join(repo, 'backups'))
    expect(readdirSync(path.join(repo, 'backups'))).toHaveLength(1)
    const [after] = await liveSpaces(envs.stage)
    expect(after?.serialized_space).toBe(before?.serialized_space)

    // without it, the gate runs on dev only and the promotion goes through
    const through = await action({ mode: 'promote', 'target-env': 'stage', ...gated })
    expect(through.failed).toBeUndefined()
    expect((await liveSpaces(envs.stage))[0]?.serialized_space).toContain('Weeks start on Sunday.')
    // skip-benchmark: no gate at all, even with benchmark set
    editDefinition('Weeks start on Sunday.', 'Weeks start on Tuesday.')
    await promoted('dev')
    await envs.dev.faults({ ...FAST, genieFailRate: 1 })
    expect((await action({ mode: 'promote', 'target-env': 'stage', ...gated })).failed).toMatch(/benchmark gate failed on dev: accuracy 0\.0%/)
    await promoted('stage', { ...gated, 'skip-benchmark': 'true', 'post-deploy-gate': 'true' })
  }, 60_000)
})

describe('mode restore', () => {
  it('puts a backup back byte for byte, only into the workspace and environment it came from', async () => {
    await promoted('dev')
    const [original] = await liveSpaces(envs.dev)
    editDefinition('Weeks start on Monday.', 'Weeks start on Sunday.')
    await promoted('dev', { 'backup-dir': 'backups' })
    const [file] = readdirSync(path.join(repo, 'backups'))
    const backup = `backups/${file}`
    expect((await liveSpaces(envs.dev))[0]?.serialized_space).toContain('Weeks start on Sunday.')

    for (const e of Object.values(envs)) await e.clearRequests()
    const elsewhere = await action({ mode: 'restore', backup, 'target-env': 'stage' })
    expect(elsewhere.failed).toBe(
      `${backup}: the backup is of ${envs.dev.url}, but the connection is to ${envs.stage.url}; connect to the backup's workspace (its host and token, or the environment it came from)`
    )
    const byHost = await action({ mode: 'restore', backup, host: envs.prod.url, token: TOKENS.prod })
    expect(byHost.failed).toMatch(/the backup is of .*, but the connection is to /)
    // the right workspace under another environment's name
    const mislabelled = await action(
      { mode: 'restore', backup, 'target-env': 'stage' },
      { DATABRICKS_STAGE_HOST: envs.dev.url, DATABRICKS_STAGE_TOKEN: TOKENS.dev }
    )
    expect(mislabelled.failed).toBe(`${backup}: the backup is of environment dev, not stage`)
    // the CLI applies the same checks
    const cliRun = await cli(['restore', backup, '--env', 'stage', '--config', 'config/promotion.yaml', '-y'], {
      cwd: repo,
      env: { ...env, DATABRICKS_STAGE_HOST: envs.dev.url, DATABRICKS_STAGE_TOKEN: TOKENS.dev }
    })
    expect(cliRun).toMatchObject({ code: 1, err: `error: ${backup}: the backup is of environment dev, not stage\n` })
    for (const e of Object.values(envs)) expect(await e.requests()).toEqual([])

    expect((await action({ mode: 'restore' })).failed).toBe('mode restore needs input backup: the backup file promote wrote (in backup-dir)')
    expect((await action({ mode: 'restore', backup: 'config/promotion.yaml', 'target-env': 'dev' })).failed).toBe(
      'config/promotion.yaml: not a SpaceOps backup: not JSON'
    )

    const restored = await action({ mode: 'restore', backup, 'target-env': 'dev' })
    expect(restored.failed).toBeUndefined()
    expect(restored.outputs['space-id']).toBe(original?.space_id)
    expect(restored.summary).toContain(`Restored space ${original?.space_id}`)
    const [live] = await liveSpaces(envs.dev)
    expect(live?.serialized_space).toBe(original?.serialized_space)
    expect(live?.title).toBe(original?.title)
  })
})

describe('mode benchmark: every CLI option, and the space from the promotion config', () => {
  it('measures the space a definition has in target-env, with its mappings, and writes the reports asked for', async () => {
    await promoted('dev')
    await promoted('stage')
    const [stage] = await liveSpaces(envs.stage)
    await envs.dev.clearRequests()
    const inputs = {
      mode: 'benchmark',
      'target-env': 'stage',
      definition: SPACE,
      benchmark: 'suites.yaml',
      reports: 'out/report.xml\nout/report.json\nout/summary.txt',
      'report-format': 'junit, json, markdown',
      'benchmark-strategy': 'conversation',
      'questions-per-minute': '30',
      concurrency: '1'
    }
    const rt = await action(inputs)
    expect(rt.failed).toBeUndefined()
    expect(rt.outputs).toMatchObject({ 'space-id': stage?.space_id, accuracy: '1', passed: '1', failed: '0' })
    expect(rt.logs).toContain(`${SPACE} in stage: space ${stage?.space_id} "Sales analytics"`)
    expect(readFileSync(path.join(repo, 'out/report.xml'), 'utf8')).toMatch(/^<\?xml[\s\S]*<testcase [^>]*name="What was revenue by month this year\?"/)
    expect(JSON.parse(readFileSync(path.join(repo, 'out/report.json'), 'utf8'))).toMatchObject({
      schema_version: 1,
      space_id: stage?.space_id,
      totals: { passed: 1 }
    })
    expect(readFileSync(path.join(repo, 'out/summary.txt'), 'utf8')).toMatch(/^### ✅ SpaceOps benchmark: 1 of 1 question/)
    expect(await envs.dev.requests()).toEqual([])

    // the same space by id on the plain connection: the suite keeps dev's names, stage's SQL reads shop_stage
    const unmapped = await action({
      mode: 'benchmark',
      'space-id': stage?.space_id as string,
      benchmark: 'suites.yaml',
      host: envs.stage.url,
      token: TOKENS.stage
    })
    expect(unmapped.failed).toMatch(/^benchmark gate failed: suite "Smoke": accuracy 0\.0% \(0\/1\)/)

    // baseline + max-regression: a question that passed in the earlier report and fails now
    await envs.stage.faults({ ...FAST, genieFailRate: 1 })
    const worse = await action({ ...inputs, reports: '', 'report-format': '', baseline: 'out/report.json', 'max-regression': '0', 'min-accuracy': '0' })
    expect(worse.failed).toMatch(/^benchmark gate failed: suite "Smoke": .*out\/report\.json/)

    // the CLI measures the same space the same way
    await envs.stage.faults(FAST)
    const r = await cli(['benchmark', SPACE, 'suites.yaml', '--env', 'stage', '--config', 'config/promotion.yaml', '--questions-per-minute', '30'], {
      cwd: repo,
      env
    })
    expect(r.code).toBe(0)
    expect(r.err).toContain(`stage: space ${stage?.space_id} "Sales analytics"`)
  }, 60_000)

  it('says which environment has no space for the definition', async () => {
    const rt = await action({ mode: 'benchmark', 'target-env': 'prod', definition: SPACE, benchmark: 'suites.yaml' })
    expect(rt.failed).toBe(
      'prod has no space "Sales analytics" in /Workspace/Shared/genie for spaces/sales/space.yaml: promote it there first, or give the space id'
    )
    cpSync(path.join(repo, 'spaces/sales'), path.join(repo, 'spaces/marketing'), { recursive: true })
    const two = await action({ mode: 'benchmark', 'target-env': 'prod', benchmark: 'suites.yaml' })
    expect(two.failed).toBe(
      'mode benchmark without space-id measures the space of one definition in prod, but definition matches 2 files: point definition at one file, or give space-id'
    )
  })
})
