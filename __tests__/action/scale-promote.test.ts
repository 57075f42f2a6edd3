import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { run } from '../../src/main.js'
import { FakeRuntime } from '../helpers/runtime.js'
import { emulator, liveSpaces } from '../helpers/emulator.js'
import { ROOT } from '../helpers/cli.js'

// mode promote with many definitions side by side: each still goes through its own flow (order
// check, backup, lock, intent and completed record), results are reported in definition order.

type Emu = Awaited<ReturnType<typeof emulator>>
let dev: Emu
let stage: Emu
let repo: string
let runnerTemp: string
const NAMES = ['alpha', 'bravo', 'charlie', 'delta', 'echo']

beforeAll(async () => {
  dev = await emulator({ seed: 21 })
  stage = await emulator({ seed: 22 })
})
afterAll(async () => {
  await dev.close()
  await stage.close()
})
beforeEach(async () => {
  await dev.reset()
  await stage.reset()
  repo = mkdtempSync(path.join(tmpdir(), 'spaceops-scale-promote-'))
  cpSync(path.join(ROOT, 'examples'), repo, { recursive: true })
  const example = readFileSync(path.join(repo, 'spaces/sales/space.yaml'), 'utf8')
  rmSync(path.join(repo, 'spaces/sales'), { recursive: true })
  for (const n of NAMES) {
    cpSync(path.join(ROOT, 'examples/spaces/sales'), path.join(repo, 'spaces', n), { recursive: true })
    writeFileSync(path.join(repo, 'spaces', n, 'space.yaml'), example.replace('title: Sales analytics', `title: Sales ${n}`))
  }
  runnerTemp = mkdtempSync(path.join(tmpdir(), 'spaceops-scale-promote-rt-'))
})

async function promote(target: string, extra: Record<string, string> = {}) {
  const rt = new FakeRuntime({ mode: 'promote', 'target-env': target, definition: 'spaces/*/space.yaml', concurrency: '3', ...extra }, repo, {
    RUNNER_TEMP: runnerTemp,
    DATABRICKS_DEV_HOST: dev.url,
    DATABRICKS_STAGE_HOST: stage.url,
    DATABRICKS_DEV_TOKEN: 'dapiDEVscale00000001',
    DATABRICKS_STAGE_TOKEN: 'dapiSTAGEscale000002'
  })
  await run(rt)
  return rt
}

test('five definitions promoted side by side: each created, then each backed up and updated, reported in order', async () => {
  const first = await promote('dev')
  expect(first.failed).toBeUndefined()
  expect((await liveSpaces(dev)).map((s) => s.title).sort()).toEqual(NAMES.map((n) => `Sales ${n}`))
  expect((await promote('stage')).failed).toBeUndefined()

  for (const n of NAMES) {
    const f = path.join(repo, 'spaces', n, 'space.yaml')
    writeFileSync(f, readFileSync(f, 'utf8').replace('for the sales team.', `for the ${n} team.`))
  }
  expect((await promote('dev')).failed).toBeUndefined()
  const rt = await promote('stage')
  expect(rt.failed).toBeUndefined()
  const ids = JSON.parse(rt.outputs['space-ids'] ?? '{}') as Record<string, string>
  expect(Object.keys(ids)).toEqual(NAMES.map((n) => `spaces/${n}/space.yaml`))
  // one backup per space written, the stage spaces hold the edit
  expect(readdirSync(path.join(runnerTemp, 'spaceops', 'backups')).filter((f) => f.includes('stage')).length).toBeGreaterThanOrEqual(NAMES.length)
  const live = await liveSpaces(stage)
  expect(live).toHaveLength(NAMES.length)
  for (const n of NAMES)
    expect((live.find((s) => s.title === `Sales ${n}`) as { description?: string } | undefined)?.description).toBe(
      `Orders, customers and products of the online shop — for the ${n} team.`
    )
  // the report's table keeps definition order
  const rows = rt.summary.split('\n').filter((l) => /^\| spaces\/\w+\/space\.yaml \| promoted/.test(l))
  expect(rows.map((r) => r.split(' | ')[0])).toEqual(NAMES.map((n) => `| spaces/${n}/space.yaml`))
  // a re-run changes nothing and takes no lock
  await stage.clearRequests()
  const again = await promote('stage')
  expect(again.failed).toBeUndefined()
  expect((await stage.writes()).length).toBe(0)
})
