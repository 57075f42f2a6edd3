import { spawn } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { emulator } from '../helpers/emulator.js'
import { spaceops } from '../helpers/process.js'
import { ROOT } from '../helpers/cli.js'

// Deploy records and the deploy lock in the workspace, exercised with the built CLI against
// emulators: fresh checkouts, push then promote, renames, records that cannot be read or written,
// the legacy state file, a run killed at each step, and two runs at once.

type Emu = Awaited<ReturnType<typeof emulator>>
let dev: Emu
let stage: Emu
const TOKENS = { dev: 'dapiDEVrecords0001', stage: 'dapiSTAGErecords02' }
const env = () => ({
  DATABRICKS_DEV_HOST: dev.url,
  DATABRICKS_STAGE_HOST: stage.url,
  DATABRICKS_PROD_HOST: 'https://prod.invalid',
  DATABRICKS_DEV_TOKEN: TOKENS.dev,
  DATABRICKS_STAGE_TOKEN: TOKENS.stage,
  SPACEOPS_LOCK_TTL: '1s'
})

beforeAll(async () => {
  dev = await emulator({ seed: 11 })
  stage = await emulator({ seed: 12 })
})
afterAll(async () => {
  await dev.close()
  await stage.close()
})
beforeEach(async () => {
  await dev.reset()
  await stage.reset()
})

/** A fresh checkout of the example repository: nothing carries over but what is in Git. */
function checkout(): string {
  const repo = mkdtempSync(path.join(tmpdir(), 'spaceops-records-'))
  cpSync(path.join(ROOT, 'examples'), repo, { recursive: true })
  return repo
}
const promote = (repo: string, target: string, ...flags: string[]) =>
  spaceops(['promote', 'spaces/sales/space.yaml', target, '--config', 'config/promotion.yaml', ...flags], { cwd: repo, env: env() })
const edit = (repo: string, from: string, to: string) => {
  const f = path.join(repo, 'spaces/sales/space.yaml')
  writeFileSync(f, readFileSync(f, 'utf8').replace(from, to))
}
async function spaces(e: Emu) {
  const r = (await (await fetch(`${e.url}/_emulator/state`)).json()) as { spaces: { space_id: string; title: string; serialized_space: string }[] }
  return r.spaces
}
async function files(e: Emu) {
  return ((await (await fetch(`${e.url}/_emulator/workspace/files`)).json()) as { files: { path: string; content: string }[] }).files
}
const uiEdit = async (e: Emu, body: unknown) => {
  const [s] = await spaces(e)
  await fetch(`${e.url}/_emulator/spaces/${s?.space_id}/edit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
}
const acl = (e: Emu, p: string, access: string) =>
  fetch(`${e.url}/_emulator/workspace/acl`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: p, access }) })
const spaceWrites = async (e: Emu) => (await e.writes()).filter((w) => w.path.startsWith('/api/2.0/genie/'))

describe('deploy records in the workspace', () => {
  it('every fresh checkout sees them: no false block after a CI deploy, a real UI edit still blocks', async () => {
    expect((await promote(checkout(), 'dev')).code).toBe(0)
    // the next merge, in a new checkout: SpaceOps' own write is not an outside edit
    const second = checkout()
    edit(second, 'Weeks start on Monday.', 'Weeks start on Sunday.')
    const r = await promote(second, 'dev')
    expect(r.out).toMatch(/^promoted: "Sales analytics" → dev/m)
    const record = JSON.parse((await files(dev)).find((f) => f.path.endsWith('/.spaceops/sales.json'))?.content ?? '{}')
    expect(record.deployed.content.serialized_space.instructions.text_instructions[0].content.join('')).toContain('Weeks start on Sunday.')
    // a UI edit, then a third checkout: blocked, naming the edit
    await uiEdit(dev, { add_sample_question: 'Who churned?' })
    const third = checkout()
    edit(third, 'Weeks start on Monday.', 'Weeks start on Sunday.')
    edit(third, 'One row per customer.', 'One row per customer (all countries).')
    await dev.clearRequests()
    const blocked = await promote(third, 'dev')
    expect(blocked.code).toBe(1)
    expect(blocked.out).toContain('+ sample question: Who churned?')
    expect(blocked.out).toMatch(/BLOCKED: .*dev was edited outside SpaceOps since/)
    expect(await dev.writes()).toEqual([])
  })

  it('push writes a record, so a promote after a push is not blocked; a new title renames the same space', async () => {
    const repo = checkout()
    const push = (...flags: string[]) =>
      spaceops(['push', 'spaces/sales/space.yaml', '--parent-path', '/Workspace/Shared/genie-dev', '--warehouse-id', 'dev-warehouse', ...flags], {
        cwd: repo,
        env: { DATABRICKS_HOST: dev.url, DATABRICKS_TOKEN: TOKENS.dev }
      })
    expect((await push()).code).toBe(0)
    expect((await files(dev)).map((f) => f.path)).toEqual(['/Workspace/Shared/genie-dev/.spaceops/sales.json'])
    edit(repo, 'Weeks start on Monday.', 'Weeks start on Sunday.')
    expect((await push()).code).toBe(0)
    const p = await promote(repo, 'dev')
    expect(p.code).toBe(0)
    expect(p.out).toMatch(/^unchanged: "Sales analytics" → dev/m)

    edit(repo, 'title: Sales analytics', 'title: Sales insights')
    const diff = await spaceops(['diff', 'spaces/sales/space.yaml', '--env', 'dev', '--config', 'config/promotion.yaml'], { cwd: repo, env: env() })
    expect(diff.out).toMatch(/"Sales insights" in dev \([0-9a-f]{32}\): renamed from "Sales analytics"/)
    expect((await push()).out).toMatch(/^updated [0-9a-f]{32} "Sales insights"/m)
    expect((await spaces(dev)).map((s) => s.title)).toEqual(['Sales insights'])
    expect((await promote(repo, 'dev')).out).toMatch(/^unchanged: "Sales insights" → dev/m)
  })

  it('the drift guard fails closed when the records cannot be read; a record that cannot be written is a warning', async () => {
    const repo = checkout()
    expect((await promote(repo, 'dev')).code).toBe(0)
    edit(repo, 'Weeks start on Monday.', 'Weeks start on Sunday.')
    await acl(dev, '/Workspace/Shared/genie-dev/.spaceops', 'none')
    await dev.clearRequests()
    const closed = await promote(repo, 'dev')
    expect(closed.code).toBe(1)
    expect(closed.out).toMatch(
      /BLOCKED: .*cannot read the deploy record \/Workspace\/Shared\/genie-dev\/\.spaceops\/sales\.json .*PERMISSION_DENIED.*needs Can Read on the folder.*the drift guard cannot tell whether dev was edited outside SpaceOps/
    )
    expect(await spaceWrites(dev)).toEqual([])
    await acl(dev, '/Workspace/Shared/genie-dev/.spaceops', 'read')
    const warned = await promote(repo, 'dev')
    expect(warned.code).toBe(0)
    expect(warned.out).toMatch(/^promoted:/m)
    expect(warned.err).toMatch(
      /warning: could not write the deploy record \/Workspace\/Shared\/genie-dev\/\.spaceops\/sales\.json .*needs Can Edit \(or Can Manage\) on the folder/
    )
  })

  it('migrates a legacy spaceops-state.json once', async () => {
    const repo = checkout()
    expect((await promote(repo, 'dev')).code).toBe(0)
    const record = JSON.parse((await files(dev))[0]?.content ?? '{}')
    // an older SpaceOps kept this file in the repository; the workspace has no record yet
    await fetch(`${dev.url}/_emulator/reset`, { method: 'POST' })
    expect((await promote(repo, 'dev')).code).toBe(0)
    const fresh = JSON.parse((await files(dev))[0]?.content ?? '{}')
    await (await import('node:fs/promises')).writeFile(
      path.join(repo, 'config/spaceops-state.json'),
      JSON.stringify({
        version: 1,
        environments: { dev: { sales: { space_id: fresh.space_id, deployed_at: '2026-01-01T00:00:00.000Z', content: record.deployed.content } } }
      })
    )
    await fetch(`${dev.url}/api/2.0/workspace/delete`, {
      method: 'POST',
      headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/Workspace/Shared/genie-dev/.spaceops/sales.json' })
    })
    await uiEdit(dev, { add_sample_question: 'Legacy?' })
    const blocked = await promote(repo, 'dev')
    expect(blocked.out).toMatch(/BLOCKED: .*edited outside SpaceOps since 2026-01-01T00:00:00.000Z/)
    const forced = await promote(repo, 'dev', '--force')
    expect(forced.code).toBe(0)
    expect(forced.err).toContain('migrated the deploy record of sales into the workspace')
    expect(JSON.parse((await files(dev))[0]?.content ?? '{}').migrated_from).toBeUndefined()
  })
})

describe('the deploy lock held by another run', () => {
  it('--lock-timeout 0 fails at once, naming the holder; nothing is written', async () => {
    const repo = checkout()
    expect((await promote(repo, 'dev')).code).toBe(0)
    edit(repo, 'Weeks start on Monday.', 'Weeks start on Sunday.')
    const lock = {
      format: 'spaceops-deploy-lock',
      version: 1,
      id: 'other-run',
      run: { kind: 'github-actions', repository: 'octo/genie', run_id: '42' },
      acquired_at: new Date().toISOString(),
      expires_at: new Date(Date.now() + 3_600_000).toISOString()
    }
    const content = Buffer.from(JSON.stringify(lock)).toString('base64')
    await fetch(`${dev.url}/api/2.0/workspace/import`, {
      method: 'POST',
      headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
      body: JSON.stringify({ path: '/Workspace/Shared/genie-dev/.spaceops/deploy.lock', format: 'AUTO', content })
    })
    await dev.clearRequests()
    const t0 = Date.now()
    const r = await promote(repo, 'dev', '--lock-timeout', '0')
    expect(Date.now() - t0).toBeLessThan(10_000)
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/the deploy lock \/Workspace\/Shared\/genie-dev\/\.spaceops\/deploy\.lock is held by octo\/genie run 42/)
    expect(await spaceWrites(dev)).toEqual([])
  })
})

describe('a run killed at any step, and two runs at once', () => {
  /** Starts a promote and kills it (SIGKILL) right after its n-th write request reached the workspace. */
  async function killAfterWrites(repo: string, n: number): Promise<boolean> {
    const before = (await dev.writes()).length
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'bin/spaceops.js'), 'promote', 'spaces/sales/space.yaml', 'dev', '--config', 'config/promotion.yaml'],
      { cwd: repo, env: { PATH: process.env.PATH ?? '', ...env() }, stdio: 'ignore' }
    )
    const exited = new Promise<void>((r) => child.on('exit', () => r()))
    let killed = false
    for (;;) {
      if (child.exitCode !== null) break
      if ((await dev.writes()).length - before >= n) {
        killed = child.kill('SIGKILL')
        break
      }
      await new Promise((r) => setTimeout(r, 5))
    }
    await exited
    return killed
  }

  it.each([
    ['an update', false],
    ['the first create', true]
  ])(
    'after a kill at each step of %s, the next promote is not blocked and the one after writes nothing',
    async (_what, first) => {
      let step = 0
      const t0 = Date.now()
      for (;;) {
        step++
        await dev.reset()
        const repo = checkout()
        if (!first) {
          expect((await promote(repo, 'dev')).code).toBe(0)
          edit(repo, 'Weeks start on Monday.', 'Weeks start on Sunday.')
        }
        await dev.faults({ latencyMs: 40 })
        const killed = await killAfterWrites(repo, step)
        await dev.faults({})
        if (!killed) break // the run finished before its step-th write: every step has been tried
        await new Promise((r) => setTimeout(r, 1100)) // the dead run's lock expires
        const next = await promote(repo, 'dev')
        expect([step, next.code, next.out]).toEqual([step, 0, expect.stringMatching(/^(promoted|created|unchanged): "Sales analytics" → dev/m)])
        const live = await spaces(dev)
        expect(live).toHaveLength(1)
        expect(live[0]?.serialized_space).toContain(`Weeks start on ${first ? 'Monday' : 'Sunday'}`)
        await dev.clearRequests()
        expect((await promote(repo, 'dev')).out).toMatch(/^unchanged:/m)
        expect(await dev.writes()).toEqual([])
      }
      console.log(`${_what}: ${step - 1} kill points in ${Math.round((Date.now() - t0) / 1000)} s`)
      expect(step).toBeGreaterThan(6)
    },
    600_000
  )

  it('two first-time promotes at once make one space; two --write-ids at once keep both ids', async () => {
    const repo = checkout()
    cpSync(path.join(repo, 'spaces/sales'), path.join(repo, 'spaces/returns'), { recursive: true })
    const f = path.join(repo, 'spaces/returns/space.yaml')
    writeFileSync(f, readFileSync(f, 'utf8').replace('title: Sales analytics', 'title: Returns analytics'))
    const both = await Promise.all([promote(repo, 'dev'), promote(repo, 'dev')])
    expect(both.map((r) => r.code)).toEqual([0, 0])
    expect(both.map((r) => /^(created|unchanged):/m.exec(r.out)?.[1]).sort()).toEqual(['created', 'unchanged'])
    expect(await spaces(dev)).toHaveLength(1)

    const ids = await Promise.all([
      spaceops(['promote', 'spaces/sales/space.yaml', 'dev', '--config', 'config/promotion.yaml', '--write-ids'], { cwd: repo, env: env() }),
      spaceops(['promote', 'spaces/returns/space.yaml', 'dev', '--config', 'config/promotion.yaml', '--write-ids'], { cwd: repo, env: env() })
    ])
    expect(ids.map((r) => r.code)).toEqual([0, 0])
    const cfg = readFileSync(path.join(repo, 'config/promotion.yaml'), 'utf8')
    const live = await spaces(dev)
    expect(live).toHaveLength(2)
    for (const s of live) expect(cfg).toContain(`space_id: ${s.space_id}`)
  }, 120_000)
})
