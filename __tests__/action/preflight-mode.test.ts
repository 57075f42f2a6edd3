import { cpSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { run } from '../../src/main.js'
import { FakeRuntime } from '../helpers/runtime.js'
import { emulator, liveSpaces } from '../helpers/emulator.js'
import { ROOT } from '../helpers/cli.js'

// The action's faces of the target preflight: mode diff with target-env shows the findings above
// the diff (job summary) and annotates their lines; mode promote blocks on an error, annotated on
// the definition's line; skip-preflight gets past it with a warning.

type Emu = Awaited<ReturnType<typeof emulator>>
let dev: Emu
let repo: string
let runnerTemp: string
const MISSING = "table shop_dev.sales.customers does not exist in dev's Unity Catalog (TABLE_DOES_NOT_EXIST)"

beforeAll(async () => {
  dev = await emulator({ seed: 31 })
})
afterAll(() => dev.close())
beforeEach(async () => {
  await dev.reset()
  repo = mkdtempSync(path.join(tmpdir(), 'spaceops-preflight-mode-'))
  cpSync(path.join(ROOT, 'examples'), repo, { recursive: true })
  runnerTemp = mkdtempSync(path.join(tmpdir(), 'spaceops-preflight-mode-rt-'))
  await fetch(`${dev.url}/_emulator/unity-catalog`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ absent: ['shop_dev.sales.customers'] })
  })
})

async function action(inputs: Record<string, string>) {
  const rt = new FakeRuntime({ 'target-env': 'dev', definition: 'spaces/sales/space.yaml', ...inputs }, repo, {
    RUNNER_TEMP: runnerTemp,
    DATABRICKS_DEV_HOST: dev.url,
    DATABRICKS_DEV_TOKEN: 'dapiDEVpreflightmode1'
  })
  await run(rt)
  return rt
}

test('mode diff: the plan shows the preflight above the diff and annotates the line; the plan itself does not fail', async () => {
  const rt = await action({ mode: 'diff', comment: 'false' })
  expect(rt.failed).toBeUndefined()
  const summary = rt.summary
  expect(summary).toContain('❌ <b>preflight on dev: 1 error, 1 warning</b>')
  // above what the new space will hold, errors first
  expect(summary.indexOf('- ❌ spaces/sales/space.yaml:25:19: table shop\\_dev.sales.customers')).toBeGreaterThan(0)
  expect(summary.indexOf('- ❌ spaces/sales/space.yaml:25:19: table shop\\_dev.sales.customers')).toBeLessThan(summary.indexOf('will be created, holding'))
  expect(summary.indexOf('❌ spaces/sales/space.yaml:25:19')).toBeLessThan(summary.indexOf('⚠️ spaces/sales/space.yaml:23:24'))
  expect(rt.annotations).toContainEqual({
    level: 'error',
    message: MISSING,
    props: { title: 'SpaceOps: preflight-table', file: 'spaces/sales/space.yaml', startLine: 25, startColumn: 19 }
  })
})

test('mode promote: an error blocks before any write, annotated; skip-preflight deploys with a warning', async () => {
  const blocked = await action({ mode: 'promote' })
  expect(blocked.failed).toContain('preflight on dev: 1 error, 1 warning — nothing was written')
  // the action names its input, never the CLI's flag
  expect(blocked.failed).toContain('skip-preflight: true to deploy without the check')
  expect(blocked.failed).not.toContain('--skip-preflight')
  expect(blocked.annotations.filter((a) => a.level === 'error').map((a) => `${a.props?.file}:${a.props?.startLine}: ${a.message}`)).toEqual([
    `spaces/sales/space.yaml:25: ${MISSING}`
  ])
  expect(await dev.writes()).toEqual([])

  const skipped = await action({ mode: 'promote', 'skip-preflight': 'true' })
  expect(skipped.failed).toBeUndefined()
  expect(skipped.annotations.map((a) => a.message)).toContain('spaces/sales/space.yaml: skip-preflight: the target preflight was not run for dev')
  expect((await liveSpaces(dev)).length).toBe(1)
})
