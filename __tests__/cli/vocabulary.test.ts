import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { run } from '../../src/main.js'
import { FakeRuntime } from '../helpers/runtime.js'
import { cli } from '../helpers/cli.js'
import { emulator } from '../helpers/emulator.js'
import { writeFileSync } from 'node:fs'

// Each face names the ways to give a value in its own words: the CLI its flags, the action its
// inputs; neither names the other's.

describe('messages name the settings of the face they are read in', () => {
  it('CLI: no credentials names --token, never an action input', async () => {
    const r = await cli(['list'], { env: { DATABRICKS_HOST: 'https://adb-1.azuredatabricks.net' } })
    expect(r.code).toBe(1)
    expect(r.err).toContain('; --token does the same')
    expect(r.err).not.toMatch(/input/)
  })

  it('CLI: no host names --host, not "input host"', async () => {
    const r = await cli(['list'], { env: { DATABRICKS_TOKEN: 'dapiVOCAB000000001' } })
    expect(r.err).toBe('error: no Databricks host: set DATABRICKS_HOST (or --host), e.g. https://adb-123.4.azuredatabricks.net\n')
  })

  it('action: no credentials names its inputs, never a flag', async () => {
    const rt = new FakeRuntime({ mode: 'benchmark', 'space-id': '0'.repeat(32), benchmark: 'b.yaml' }, mkdtempSync(path.join(tmpdir(), 'spaceops-vocab-')), {
      DATABRICKS_HOST: 'https://adb-1.azuredatabricks.net'
    })
    await run(rt)
    expect(rt.failed).toContain('; input token, input client-id and input client-secret do the same')
    expect(rt.failed).not.toMatch(/--[a-z]/)
  })
})

describe('a create with no warehouse names the setting of the face that pushes', () => {
  let emu: Awaited<ReturnType<typeof emulator>>
  let dir: string
  beforeAll(async () => {
    emu = await emulator()
  })
  afterAll(() => emu.close())
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'spaceops-vocab-'))
    writeFileSync(path.join(dir, 'space.yaml'), 'title: No warehouse\ndata_sources:\n  tables:\n    - identifier: main.sales.orders\n')
  })
  const env = () => ({ DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: 'dapiVOCAB000000002' })

  it('CLI: --warehouse-id', async () => {
    const r = await cli(['push', 'space.yaml'], { cwd: dir, env: env() })
    expect(r.code).toBe(1)
    expect(r.err).toContain('no warehouse_id — set it in the definition, the environment config, or pass --warehouse-id\n')
  })

  it('action: input warehouse-id', async () => {
    const rt = new FakeRuntime({ mode: 'push', definition: 'space.yaml' }, dir, env())
    await run(rt)
    expect(rt.everything()).toContain('no warehouse_id — set it in the definition, the environment config, or pass input warehouse-id')
    expect(rt.everything()).not.toContain('--warehouse-id')
  })
})

describe('"did you mean" in the action too', () => {
  it('a misspelt mode', async () => {
    const rt = new FakeRuntime({ mode: 'promte' }, mkdtempSync(path.join(tmpdir(), 'spaceops-vocab-')))
    await run(rt)
    expect(rt.failed).toBe('unknown mode "promte" — did you mean "promote"?')
  })
})
