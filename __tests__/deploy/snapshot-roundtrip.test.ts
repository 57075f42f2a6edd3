import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { emulator, liveSpaces } from '../helpers/emulator.js'
import { cli, ROOT } from '../helpers/cli.js'
import { lineDiff } from '../../src/util/line-diff.js'

// The loop "edit in the UI → bring it into Git": dev → stage with a catalog mapping, an edit in
// stage's UI, `snapshot --env stage` into the dev definition.

type Emu = Awaited<ReturnType<typeof emulator>>
let dev: Emu
let stage: Emu
let repo: string
let env: Record<string, string>

beforeAll(async () => {
  dev = await emulator({ seed: 1 })
  stage = await emulator({ seed: 2 })
})
afterAll(async () => {
  await dev.close()
  await stage.close()
})
beforeEach(async () => {
  await dev.reset()
  await stage.reset()
  repo = mkdtempSync(path.join(tmpdir(), 'spaceops-snapshot-'))
  cpSync(path.join(ROOT, 'examples'), repo, { recursive: true })
  env = {
    DATABRICKS_DEV_HOST: dev.url,
    DATABRICKS_STAGE_HOST: stage.url,
    DATABRICKS_DEV_TOKEN: 'dapiDEVtoken000001',
    DATABRICKS_STAGE_TOKEN: 'dapiSTAGEtoken0002'
  }
})

const DEF = 'spaces/sales/space.yaml'

/** An edit made in the Genie UI: the API's PATCH with a changed document. */
async function uiEdit(e: Emu, change: (doc: Record<string, any>) => void, meta: Record<string, string> = {}) {
  const [live] = await liveSpaces(e)
  if (!live) throw new Error('no live space')
  const doc = JSON.parse(live.serialized_space) as Record<string, any>
  change(doc)
  const res = await fetch(`${e.url}/api/2.0/genie/spaces/${live.space_id}`, {
    method: 'PATCH',
    headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
    body: JSON.stringify({ serialized_space: JSON.stringify(doc), ...meta })
  })
  expect({ status: res.status, body: res.status === 200 ? '' : await res.text() }).toEqual({ status: 200, body: '' })
  return live.space_id
}

async function promoteTo(target: string) {
  const r = await cli(['promote', DEF, target, '--config', 'config/promotion.yaml', '--skip-benchmark'], { cwd: repo, env })
  expect(r).toMatchObject({ code: 0 })
}

describe('snapshot --env: a UI edit in stage comes back into the dev definition', () => {
  it('an unchanged stage space leaves the definition byte for byte', async () => {
    await promoteTo('dev')
    await promoteTo('stage')
    const before = readFileSync(path.join(repo, DEF), 'utf8')
    const r = await cli(['snapshot', DEF, '--env', 'stage', '--config', 'config/promotion.yaml'], { cwd: repo, env })
    expect(r.err).toContain('0 of 1 definition changed')
    expect(r.code).toBe(0)
    expect(readFileSync(path.join(repo, DEF), 'utf8')).toBe(before)
  })

  it("the diff is the edit alone, in dev's names; stage's warehouse and folder are not written in", async () => {
    await promoteTo('dev')
    await promoteTo('stage')
    const before = readFileSync(path.join(repo, DEF), 'utf8')
    await uiEdit(stage, (doc) => {
      doc.config.sample_questions.push({ id: 'ffffffffffffffffffffffffffffff01', question: ['Which products sold best?'] })
      doc.instructions.example_question_sqls.push({
        id: 'ffffffffffffffffffffffffffffff02',
        question: ['How many orders were cancelled?'],
        sql: ["SELECT COUNT(*) FROM shop_stage.sales.orders WHERE status = 'CANCELLED'"]
      })
    })
    const r = await cli(['snapshot', DEF, '--env', 'stage', '--config', 'config/promotion.yaml'], { cwd: repo, env })
    expect(r.code).toBe(0)
    const after = readFileSync(path.join(repo, DEF), 'utf8')
    const diff = lineDiff(before, after)
    process.stdout.write(`${diff.map((l) => `${l.op} ${l.line}`).join('\n')}\n`)
    expect(diff.filter((l) => l.op === '-')).toEqual([])
    expect(diff.filter((l) => l.op === '+').map((l) => l.line)).toEqual([
      '  - id: ffffffffffffffffffffffffffffff02',
      '    question: How many orders were cancelled?',
      "    sql: SELECT COUNT(*) FROM shop_dev.sales.orders WHERE status = 'CANCELLED'",
      '  - id: ffffffffffffffffffffffffffffff01',
      '    question: Which products sold best?'
    ])
    expect(after).not.toContain('stage')
    // and promoting the definition to stage again changes nothing there
    const plan = await cli(['diff', DEF, '--env', 'stage', '--config', 'config/promotion.yaml', '--detailed-exitcode'], { cwd: repo, env })
    expect(plan.code).toBe(0)
  })

  it("an instruction edited inside one category in stage lands in that category, in dev's names", async () => {
    await promoteTo('dev')
    await promoteTo('stage')
    const before = readFileSync(path.join(repo, DEF), 'utf8')
    await uiEdit(stage, (doc) => {
      const t = doc.instructions.text_instructions[0]
      t.content = t.content.map((l: string) => l.replace('Weeks start on Monday.', 'Weeks start on Monday; dates are in shop_stage.sales.orders.order_date.'))
    })
    const r = await cli(['snapshot', DEF, '--env', 'stage', '--config', 'config/promotion.yaml'], { cwd: repo, env })
    expect(r.code).toBe(0)
    const diff = lineDiff(before, readFileSync(path.join(repo, DEF), 'utf8'))
    expect(diff).toEqual([
      { op: '+', line: '      "Last month" is the previous calendar month. Weeks start on Monday; dates are in shop_dev.sales.orders.order_date.' },
      { op: '-', line: '      "Last month" is the previous calendar month. Weeks start on Monday.' }
    ])
  })

  it('a mapping that cannot be inverted is an error naming both names', async () => {
    await promoteTo('dev')
    await promoteTo('stage')
    const cfg = readFileSync(path.join(repo, 'config/promotion.yaml'), 'utf8').replace(
      'catalog_mappings: { shop_dev: shop_stage }',
      'catalog_mappings: { shop_dev: shop_stage, shop_test: shop_stage }'
    )
    writeFileSync(path.join(repo, 'config/promotion.yaml'), cfg)
    const before = readFileSync(path.join(repo, DEF), 'utf8')
    const r = await cli(['snapshot', DEF, '--env', 'stage', '--config', 'config/promotion.yaml'], { cwd: repo, env })
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/^error: config\/promotion\.yaml: environments\.stage\.catalog_mappings maps both shop_dev and shop_test to shop_stage/m)
    expect(readFileSync(path.join(repo, DEF), 'utf8')).toBe(before)
  })

  it('-o onto a file that is not a definition needs --force; onto a new path writes a fresh file', async () => {
    await promoteTo('dev')
    const [live] = await liveSpaces(dev)
    const id = live?.space_id as string
    writeFileSync(path.join(repo, 'notes.yaml'), 'just: notes\n')
    const refused = await cli(['snapshot', id, '-o', 'notes.yaml'], {
      cwd: repo,
      env: { ...env, DATABRICKS_HOST: dev.url, DATABRICKS_TOKEN: 'dapiDEVtoken000001' }
    })
    expect(refused.code).toBe(1)
    expect(refused.err).toMatch(/notes\.yaml: exists and is not a definition .*use --force/)
    expect(readFileSync(path.join(repo, 'notes.yaml'), 'utf8')).toBe('just: notes\n')
    const forced = await cli(['snapshot', id, '-o', 'notes.yaml', '--force'], {
      cwd: repo,
      env: { ...env, DATABRICKS_HOST: dev.url, DATABRICKS_TOKEN: 'dapiDEVtoken000001' }
    })
    expect(forced.code).toBe(0)
    expect(readFileSync(path.join(repo, 'notes.yaml'), 'utf8')).toContain('title: Sales analytics')
    // onto the definition itself (no --force needed): unchanged, byte for byte
    const before = readFileSync(path.join(repo, DEF), 'utf8')
    const onto = await cli(['snapshot', id, '-o', DEF, '--env', 'dev', '--config', 'config/promotion.yaml'], { cwd: repo, env })
    expect(onto.code).toBe(0)
    expect(readFileSync(path.join(repo, DEF), 'utf8')).toBe(before)
  })
})

describe('snapshot usage', () => {
  it.each([
    [['snapshot', '--all'], '--all needs -o DIR'],
    [['snapshot', '--all', '-o', 'x', '--write-ids'], '--write-ids goes with --all and --env'],
    [['snapshot', 'spaces/sales/space.yaml', '--env', 'stage'], '--env and --config go together'],
    [['snapshot', 'spaces/sales/space.yaml', '-o', 'x.yaml'], '-o goes with a space id'],
    [['snapshot', '--folder', '/Workspace/x', '0123456789abcdef0123456789abcdef'], '--folder goes with --all']
  ])('%j is refused before any call', async (argv, message) => {
    await dev.clearRequests()
    const r = await cli(argv, { cwd: repo, env: { DATABRICKS_HOST: dev.url, DATABRICKS_TOKEN: 'dapiDEVtoken000001' } })
    expect(r.code).toBe(2)
    expect(r.err).toContain(message)
    expect(await dev.requests()).toEqual([])
  })
})
