import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { emulator } from '../helpers/emulator.js'
import { runAction, spaceops } from '../helpers/process.js'
import { FIXTURE_SPACES, STACK_TRACE } from '../helpers/cli.js'

// End to end over real HTTP: the built CLI (bin/spaceops.js → dist/cli) and the built action
// (dist/index.cjs) against the Genie emulator on 127.0.0.1.

const CANARY = 'dapiCANARYtoken0123456789abcdef'

const SPACE = `title: Sales analytics
description: Orders and customers
warehouse_id: wh-1
parent_path: /Workspace/Shared/genie
data_sources:
  tables:
    - identifier: main.sales.orders
      column_configs:
        - column_name: status
          enable_entity_matching: true
    - identifier: main.sales.customers
joins:
  - left_table: main.sales.orders
    right_table: main.sales.customers
    left_column: customer_id
    right_column: id
instructions:
  - content: Revenue is the net amount.
example_queries:
  - question: Orders per status
    sql: |
      SELECT status, COUNT(*) FROM main.sales.orders
      GROUP BY status
sample_questions:
  - How many orders last week?
benchmarks:
  - question: How many customers?
    sql: SELECT COUNT(*) FROM main.sales.customers
`

let emu: Awaited<ReturnType<typeof emulator>>
let env: Record<string, string>
let dir: string

beforeAll(async () => {
  emu = await emulator()
  env = { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: CANARY }
})
afterAll(async () => {
  await emu.close()
})
beforeEach(async () => {
  await emu.reset()
  await emu.faults({})
  dir = mkdtempSync(path.join(tmpdir(), 'spaceops-e2e-'))
  writeFileSync(path.join(dir, 'space.yaml'), SPACE)
})

const creates = <T extends { method: string; path: string }>(log: T[]) => log.filter((r) => r.method === 'POST' && r.path === '/api/2.0/genie/spaces')

function noCanary(...texts: string[]) {
  for (const t of texts) expect(t).not.toContain(CANARY)
}

describe('CLI against the emulator', () => {
  it('push → snapshot → push makes zero writes the second time', async () => {
    const first = await spaceops(['push', 'space.yaml'], { cwd: dir, env })
    // the deploy record's folder (<parent_path>/.spaceops) is made first, and with it the space's folder
    expect(first.err).not.toContain('does not exist; creating it')
    expect(first.code).toBe(0)
    const id = first.out.match(/created ([0-9a-f]{32})/)?.[1]
    expect(id).toBeDefined()
    // the result is said once, on stdout: not again on stderr
    expect(`${first.out}\n${first.err}`.match(/\bcreated\b/g)).toHaveLength(1)

    const snap = await spaceops(['snapshot', id as string, '-o', 'snap.yaml'], { cwd: dir, env })
    expect(snap.code).toBe(0)
    await emu.clearRequests()
    const again = await spaceops(['push', 'snap.yaml'], { cwd: dir, env })
    expect(again.code).toBe(0)
    expect(again.out).toBe(`unchanged ${id} "Sales analytics"\n`)
    expect(await emu.writes()).toEqual([])
    // the deploy record of snap.yaml (none: another file), one read of the list and one of the space
    expect((await emu.requests()).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/2.0/workspace/export',
      'GET /api/2.0/genie/spaces',
      `GET /api/2.0/genie/spaces/${id}`
    ])

    // the snapshot is lossless: the same model as the definition pushed
    const rendered = await spaceops(['render', 'space.yaml'], { cwd: dir })
    const renderedSnap = await spaceops(['render', 'snap.yaml'], { cwd: dir })
    expect(JSON.parse(renderedSnap.out)).toEqual(JSON.parse(rendered.out))
    noCanary(first.out, first.err, snap.out, snap.err, again.out, again.err, readFileSync(path.join(dir, 'snap.yaml'), 'utf8'))
  })

  it('updates only what changed, after showing it with --dry-run', async () => {
    const first = await spaceops(['push', 'space.yaml'], { cwd: dir, env })
    const id = first.out.match(/created ([0-9a-f]{32})/)?.[1] as string
    writeFileSync(
      path.join(dir, 'space.yaml'),
      SPACE.replace('Revenue is the net amount.', 'Revenue is the net amount after refunds.').replace(
        '    - identifier: main.sales.customers\n',
        '    - identifier: main.sales.customers\n    - identifier: main.sales.returns\n'
      )
    )
    await emu.clearRequests()
    const dry = await spaceops(['push', 'space.yaml', '--dry-run'], { cwd: dir, env })
    expect(dry.code).toBe(0)
    expect(dry.out).toContain('+ table: main.sales.returns')
    expect(dry.out).toContain('~ instruction: Revenue is the net amount after refunds.')
    expect(dry.out).toContain(`would update ${id} "Sales analytics" (2 changes) — dry run, nothing written`)
    expect(await emu.writes()).toEqual([])
    const real = await spaceops(['push', 'space.yaml'], { cwd: dir, env })
    expect(real.out).toContain(`updated ${id} "Sales analytics" (2 changes)`)
    const writes = (await emu.writes()).map((r) => `${r.method} ${r.path}`)
    expect(writes.filter((w) => w.includes('/genie/'))).toEqual([`PATCH /api/2.0/genie/spaces/${id}`])
    // around it: the deploy lock (which makes the records folder), the intent, the record, the lock released
    expect(writes.filter((w) => !w.includes('/genie/'))).toEqual([
      'POST /api/2.0/workspace/mkdirs',
      'POST /api/2.0/workspace/import',
      'POST /api/2.0/workspace/import',
      'POST /api/2.0/workspace/import',
      'POST /api/2.0/workspace/delete'
    ])
  })

  it('lists 250 spaces across pages', async () => {
    for (let i = 0; i < 250; i++) {
      const res = await fetch(`${emu.url}/api/2.0/genie/spaces`, {
        method: 'POST',
        headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
        body: JSON.stringify({ title: `space ${i}`, warehouse_id: 'wh', serialized_space: '{"version":2}' })
      })
      expect(res.status).toBe(200)
    }
    await emu.clearRequests()
    const r = await spaceops(['list', '--format', 'json'], { env })
    expect(r.code).toBe(0)
    const spaces = JSON.parse(r.out) as { title: string }[]
    expect(spaces).toHaveLength(250)
    expect(new Set(spaces.map((s) => s.title)).size).toBe(250)
    const pages = (await emu.requests()).filter((x) => x.path === '/api/2.0/genie/spaces')
    expect(pages).toHaveLength(3)
    const table = await spaceops(['list'], { env })
    expect(table.out.split('\n')[0]).toMatch(/^SPACE ID\s+TITLE\s+FOLDER\s+WAREHOUSE$/)
    expect(table.err).toBe('250 spaces\n')
  })

  it('a re-run after a create whose answer was lost does not duplicate the space', async () => {
    writeFileSync(path.join(dir, 'space.yaml'), SPACE.replace('/Workspace/Shared/genie', '/Workspace/Shared'))
    await emu.faults({ lostResponseRate: 1 })
    const lost = await spaceops(['push', 'space.yaml'], { cwd: dir, env })
    expect(lost.code).toBe(0)
    expect(lost.err).toMatch(/no clear answer to "create space"/)
    const id = lost.out.match(/created ([0-9a-f]{32})/)?.[1]
    expect(id).toBeDefined()
    await emu.faults({})
    const rerun = await spaceops(['push', 'space.yaml'], { cwd: dir, env })
    expect(rerun.out).toBe(`unchanged ${id} "Sales analytics"\n`)
    const listed = JSON.parse((await spaceops(['list', '--format', 'json'], { env })).out) as unknown[]
    expect(listed).toHaveLength(1)
    expect(creates(await emu.requests())).toHaveLength(1)
  })

  it('push, snapshot and list succeed through 20% 5xx, 10% 429 and latency spikes, with no duplicate create', async () => {
    await emu.faults({ errorRate: 0.2, rate429: 0.1, retryAfter: 1, latencySpikeRate: 0.1, latencySpikeMs: 300 })
    const pushed = await spaceops(['push', 'space.yaml'], { cwd: dir, env })
    expect(pushed.err).not.toMatch(STACK_TRACE)
    expect(pushed.code).toBe(0)
    const id = pushed.out.match(/(?:created|unchanged) ([0-9a-f]{32})/)?.[1] as string
    const snap = await spaceops(['snapshot', id, '-o', 'snap.yaml'], { cwd: dir, env })
    expect(snap.code).toBe(0)
    const list = await spaceops(['list', '--format', 'json'], { env })
    expect(list.code).toBe(0)
    const again = await spaceops(['push', 'snap.yaml'], { cwd: dir, env })
    expect(again.code).toBe(0)
    expect(again.out).toContain(`unchanged ${id}`)
    const log = await emu.requests()
    expect(log.some((r) => r.status === 429)).toBe(true)
    expect(log.some((r) => r.status >= 500)).toBe(true)
    expect(creates(log).filter((r) => r.status === 200)).toHaveLength(1)
    expect(JSON.parse(list.out)).toHaveLength(1)
    noCanary(pushed.out, pushed.err, snap.err, list.out, again.out, again.err)
  }, 120_000)

  it('fails with one line naming the operation, space, status and code — never the token', async () => {
    const r = await spaceops(['snapshot', '0123456789abcdef0123456789abcdef'], { cwd: dir, env })
    expect(r.code).toBe(1)
    expect(r.err.trim().split('\n')).toHaveLength(1)
    expect(r.err).toMatch(/^error: get space 0123456789abcdef0123456789abcdef failed: HTTP 404 RESOURCE_DOES_NOT_EXIST/)
    noCanary(r.out, r.err)
  })

  it('delete asks, refuses without a terminal, and trashes with -y', async () => {
    const first = await spaceops(['push', 'space.yaml'], { cwd: dir, env })
    const id = first.out.match(/created ([0-9a-f]{32})/)?.[1] as string
    const refused = await spaceops(['delete', id], { env })
    expect(refused.code).toBe(1)
    expect(refused.err).toBe(`error: refusing to delete space ${id} without confirmation: no terminal to ask on; pass -y\n`)
    const done = await spaceops(['delete', id, '-y'], { env })
    expect(done.code).toBe(0)
    expect(done.out).toBe(`moved space ${id} to the trash\n`)
    expect(JSON.parse((await spaceops(['list', '--format', 'json'], { env })).out)).toEqual([])
  })

  it('refuses plain http to a host that is not loopback, before any request', async () => {
    const r = await spaceops(['list'], { env: { DATABRICKS_HOST: 'http://example.com', DATABRICKS_TOKEN: CANARY } })
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/https/)
    noCanary(r.err)
  })
})

describe('the built action against the emulator', () => {
  it('mode push creates once, then changes nothing; mode snapshot writes a file that pushes back unchanged', async () => {
    mkdirSync(path.join(dir, 'spaces/sales'), { recursive: true })
    writeFileSync(path.join(dir, 'spaces/sales/space.yaml'), SPACE)
    const first = await runAction({ mode: 'push', token: CANARY, host: emu.url }, { cwd: dir })
    expect(first.code).toBe(0)
    const id = first.outputs['space-id'] as string
    expect(id).toMatch(/^[0-9a-f]{32}$/)
    expect(first.outputs.changed).toBe('true')
    expect(JSON.parse(first.outputs['space-ids'] as string)).toEqual({ 'spaces/sales/space.yaml': id })
    expect(first.summary).toContain('| spaces/sales/space.yaml | created |')

    const snap = await runAction({ mode: 'snapshot', 'space-id': id, definition: 'snap/space.yaml', token: CANARY, host: emu.url }, { cwd: dir })
    expect(snap.code).toBe(0)
    expect(snap.outputs.path).toBe('snap/space.yaml')

    await emu.clearRequests()
    const second = await runAction({ mode: 'push', definition: 'snap/space.yaml', token: CANARY, host: emu.url }, { cwd: dir })
    expect(second.code).toBe(0)
    expect(second.outputs.changed).toBe('false')
    expect(second.outputs['space-id']).toBe(id)
    expect(await emu.writes()).toEqual([])
    // the token was masked for the runner and appears nowhere
    expect(first.out).toContain(`::add-mask::${CANARY}`)
    for (const r of [first, snap, second]) {
      expect(r.out.split(`::add-mask::${CANARY}`).join('')).not.toContain(CANARY)
      noCanary(r.err, r.summary, r.outputFile)
    }
    for (const f of readdirSync(path.join(dir, 'snap'))) noCanary(readFileSync(path.join(dir, 'snap', f), 'utf8'))
  })

  it('reports an API failure as one failed-step line', async () => {
    const r = await runAction(
      { mode: 'snapshot', 'space-id': 'ffffffffffffffffffffffffffffffff', definition: 'x.yaml', token: CANARY, host: emu.url },
      { cwd: dir }
    )
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/::error::get space ffffffffffffffffffffffffffffffff failed: HTTP 404 RESOURCE_DOES_NOT_EXIST/)
    expect(r.out + r.err).not.toMatch(STACK_TRACE)
  })

  it('reads a published .geniespace.json and pushes it with a warehouse from the inputs', async () => {
    writeFileSync(path.join(dir, 'taxi.geniespace.json'), readFileSync(path.join(FIXTURE_SPACES, 'bundle-examples_nyc_taxi.json')))
    const r = await runAction({ mode: 'push', definition: 'taxi.geniespace.json', 'warehouse-id': 'wh-9', token: CANARY, host: emu.url }, { cwd: dir })
    expect(r.code).toBe(1)
    expect(r.out).toContain('::error::the space has no title')
  })
})

describe('delete on a terminal', () => {
  it('asks, and only "y" moves the space to the trash', async () => {
    const { cli } = await import('../helpers/cli.js')
    const first = await spaceops(['push', 'space.yaml'], { cwd: dir, env })
    const id = first.out.match(/created ([0-9a-f]{32})/)?.[1] as string
    const no = await cli(['delete', id], { env, isTTY: true, answer: 'n' })
    expect(no.code).toBe(1)
    expect(no.err).toBe('not deleted\n')
    const yes = await cli(['delete', id], { env, isTTY: true, answer: 'y' })
    expect(yes.code).toBe(0)
    expect((await emu.writes()).filter((r) => r.method === 'DELETE')).toHaveLength(1)
  })
})

describe('diff and drift against the emulator', () => {
  it('diff --detailed-exitcode: 2 for a new space, 0 when in sync, 2 with changes, 1 on error', async () => {
    expect((await spaceops(['diff', 'space.yaml', '--detailed-exitcode'], { cwd: dir, env })).code).toBe(2)
    const first = await spaceops(['push', 'space.yaml'], { cwd: dir, env })
    const id = first.out.match(/created ([0-9a-f]{32})/)?.[1] as string
    const same = await spaceops(['diff', 'space.yaml', id, '--detailed-exitcode'], { cwd: dir, env })
    expect(same.code).toBe(0)
    expect(same.out).toBe(`space.yaml: "Sales analytics" (${id}): no changes\n`)
    writeFileSync(path.join(dir, 'space.yaml'), SPACE.replace('Orders per status', 'Orders by status'))
    const changed = await spaceops(['diff', 'space.yaml', '--detailed-exitcode', '--format', 'json'], { cwd: dir, env })
    expect(changed.code).toBe(2)
    const plan = JSON.parse(changed.out)
    expect(plan.spaces[0]).toMatchObject({ status: 'changed', space_id: id, summary: '+1 example query, −1 example query' })
    const failed = await spaceops(['diff', 'space.yaml', 'ffffffffffffffffffffffffffffffff', '--detailed-exitcode'], { cwd: dir, env })
    expect(failed.code).toBe(1)
    expect(failed.out).toContain('error — get space ffffffffffffffffffffffffffffffff failed: HTTP 404')
    // only the first push wrote (one create, with its deploy record and lock)
    expect((await emu.writes()).filter((w) => w.path.startsWith('/api/2.0/genie/')).map((w) => `${w.method} ${w.path}`)).toEqual(['POST /api/2.0/genie/spaces'])
  })

  it('drift reports a UI edit, and --fail-on-drift makes it a gate', async () => {
    const first = await spaceops(['push', 'space.yaml'], { cwd: dir, env })
    const id = first.out.match(/created ([0-9a-f]{32})/)?.[1] as string
    const clean = await spaceops(['drift', 'space.yaml', '--fail-on-drift'], { cwd: dir, env })
    expect(clean.code).toBe(0)
    expect(clean.err).toBe('0 of 1 space drifted\n')
    await fetch(`${emu.url}/_emulator/spaces/${id}/edit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ add_sample_question: 'Who are our top 5 customers?', title: 'Sales analytics (edited)' })
    })
    const drift = await spaceops(['drift', 'space.yaml', '--space-id', id, '--fail-on-drift'], { cwd: dir, env })
    expect(drift.code).toBe(1)
    expect(drift.out).toContain('+ sample question: Who are our top 5 customers?')
    expect(drift.out).toContain('~ title: "Sales analytics" → "Sales analytics (edited)"')
    expect(drift.err).toBe('1 of 1 space drifted\n')
    expect((await spaceops(['drift', 'space.yaml', '--space-id', id], { cwd: dir, env })).code).toBe(0)
  })

  it('a warehouse the definition leaves to the environment (null) is not drift', async () => {
    writeFileSync(path.join(dir, 'space.yaml'), SPACE.replace('warehouse_id: wh-1', 'warehouse_id: null'))
    expect((await spaceops(['push', 'space.yaml', '--warehouse-id', 'wh-9'], { cwd: dir, env })).code).toBe(0)
    const r = await spaceops(['drift', 'space.yaml', '--fail-on-drift'], { cwd: dir, env })
    expect(r.code).toBe(0)
    // with a deploy record, drift is what changed since SpaceOps' write: wh-9 was SpaceOps' own
    expect((await spaceops(['drift', 'space.yaml', '--fail-on-drift', '--warehouse-id', 'wh-1'], { cwd: dir, env })).code).toBe(0)
    const [live] = ((await (await fetch(`${emu.url}/_emulator/state`)).json()) as { spaces: { space_id: string }[] }).spaces
    await fetch(`${emu.url}/_emulator/spaces/${live?.space_id}/edit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ warehouse_id: 'wh-2' })
    })
    const other = await spaceops(['drift', 'space.yaml', '--fail-on-drift', '--warehouse-id', 'wh-1'], { cwd: dir, env })
    expect(other.code).toBe(1)
    expect(other.out).toContain('~ warehouse id: "wh-9" → "wh-2"')
  })
})
