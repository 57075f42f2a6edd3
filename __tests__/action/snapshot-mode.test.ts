import { cpSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { run } from '../../src/main.js'
import { FakeRuntime } from '../helpers/runtime.js'
import { emulator, liveSpaces } from '../helpers/emulator.js'
import { ROOT } from '../helpers/cli.js'
import { lineDiff } from '../../src/util/line-diff.js'

// mode snapshot, the action's face of `spaceops snapshot`: definitions edited in place from an
// environment (what the drift workflow turns into a pull request), and adoption.

type Emu = Awaited<ReturnType<typeof emulator>>
let dev: Emu
let stage: Emu
let repo: string
let env: Record<string, string>
const TOKENS = { dev: 'dapiDEVsnapmode00001', stage: 'dapiSTAGEsnapmode002' }
const SPACE = 'spaces/sales/space.yaml'

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
  repo = mkdtempSync(path.join(tmpdir(), 'spaceops-snapmode-'))
  cpSync(path.join(ROOT, 'examples'), repo, { recursive: true })
  env = {
    RUNNER_TEMP: mkdtempSync(path.join(tmpdir(), 'spaceops-snapmode-runner-')),
    DATABRICKS_DEV_HOST: dev.url,
    DATABRICKS_STAGE_HOST: stage.url,
    DATABRICKS_DEV_TOKEN: TOKENS.dev,
    DATABRICKS_STAGE_TOKEN: TOKENS.stage
  }
})

async function action(inputs: Record<string, string>) {
  const rt = new FakeRuntime(inputs, repo, env)
  await run(rt)
  for (const t of Object.values(TOKENS)) expect(rt.everything()).not.toContain(t)
  return rt
}

describe('mode snapshot', () => {
  it('with target-env edits the definitions in place in the source names and outputs the files it changed', async () => {
    for (const target of ['dev', 'stage'])
      expect((await action({ mode: 'promote', 'target-env': target, definition: SPACE, 'skip-benchmark': 'true' })).failed).toBeUndefined()
    const unchanged = await action({ mode: 'snapshot', 'target-env': 'stage', definition: 'spaces/**/space.yaml' })
    expect(unchanged.failed).toBeUndefined()
    expect(unchanged.outputs).toMatchObject({ 'changed-files': '', changed: 'false' })

    // an edit in stage's UI: a new sample question
    const [live] = await liveSpaces(stage)
    const doc = JSON.parse(live?.serialized_space ?? '{}') as { config: { sample_questions: unknown[] } }
    doc.config.sample_questions.push({ id: 'ffffffffffffffffffffffffffffff03', question: ['What did returns cost last quarter?'] })
    const res = await fetch(`${stage.url}/api/2.0/genie/spaces/${live?.space_id}`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer x' },
      body: JSON.stringify({ serialized_space: JSON.stringify(doc) })
    })
    expect(res.status).toBe(200)

    const before = readFileSync(path.join(repo, SPACE), 'utf8')
    const rt = await action({ mode: 'snapshot', 'target-env': 'stage', definition: 'spaces/**/space.yaml' })
    expect(rt.failed).toBeUndefined()
    expect(rt.outputs).toMatchObject({ 'changed-files': SPACE, changed: 'true', 'space-id': live?.space_id })
    const diff = lineDiff(before, readFileSync(path.join(repo, SPACE), 'utf8'))
    expect(diff).toEqual([
      { op: '+', line: '  - id: ffffffffffffffffffffffffffffff03' },
      { op: '+', line: '    question: What did returns cost last quarter?' }
    ])
    expect(rt.summary).toContain(`- ${SPACE}`)
  })

  it('with all-spaces adopts the workspace into the folder definition names', async () => {
    expect((await action({ mode: 'promote', 'target-env': 'dev', definition: SPACE, 'skip-benchmark': 'true' })).failed).toBeUndefined()
    const rt = await action({ mode: 'snapshot', 'all-spaces': 'true', 'target-env': 'dev', definition: 'adopted', 'write-ids': 'true' })
    expect(rt.failed).toBeUndefined()
    expect(readdirSync(path.join(repo, 'adopted'))).toEqual(['sales-analytics'])
    expect(rt.outputs['changed-files']).toBe('adopted/sales-analytics/space.yaml\nconfig/promotion.yaml')
    expect(readFileSync(path.join(repo, 'config/promotion.yaml'), 'utf8')).toMatch(/sales-analytics: \{ space_id: [0-9a-f]{32} \}/)
  })

  it('write-ids without all-spaces is refused before any call', async () => {
    const rt = await action({ mode: 'snapshot', 'target-env': 'dev', definition: SPACE, 'write-ids': 'true' })
    expect(rt.failed).toBe('input write-ids goes with all-spaces and target-env in mode snapshot')
    expect(await dev.requests()).toEqual([])
  })
})
