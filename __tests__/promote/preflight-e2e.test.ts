import { cpSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { emulator, liveSpaces } from '../helpers/emulator.js'
import { cli, ROOT } from '../helpers/cli.js'

// The examples/ repository promoted dev → stage → prod over three emulated workspaces, where prod
// lacks one table the definition maps to it: promote stops before any write and names the table
// and the definition's line; --force does not get past it, --skip-preflight does and says so.

type Emu = Awaited<ReturnType<typeof emulator>>
let envs: Record<'dev' | 'stage' | 'prod', Emu>
let repo: string
let env: Record<string, string>

beforeAll(async () => {
  envs = { dev: await emulator({ seed: 21 }), stage: await emulator({ seed: 22 }), prod: await emulator({ seed: 23 }) }
})
afterAll(async () => {
  for (const e of Object.values(envs)) await e.close()
})
beforeEach(async () => {
  for (const e of Object.values(envs)) await e.reset()
  repo = mkdtempSync(path.join(tmpdir(), 'spaceops-preflight-'))
  cpSync(path.join(ROOT, 'examples'), repo, { recursive: true })
  env = {
    DATABRICKS_DEV_HOST: envs.dev.url,
    DATABRICKS_STAGE_HOST: envs.stage.url,
    DATABRICKS_PROD_HOST: envs.prod.url,
    DATABRICKS_DEV_TOKEN: 'dapiDEVpreflight0001',
    DATABRICKS_STAGE_TOKEN: 'dapiSTAGEpreflight02',
    DATABRICKS_PROD_TOKEN: 'dapiPRODpreflight003'
  }
})

const promote = (target: string, ...flags: string[]) =>
  cli(['promote', 'spaces/sales/space.yaml', target, '--config', 'config/promotion.yaml', ...flags], { cwd: repo, env })
const knob = (e: Emu, body: unknown) =>
  fetch(`${e.url}/_emulator/unity-catalog`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

const MISSING =
  "spaces/sales/space.yaml:25:19: table shop_prod.sales.customers (shop_dev.sales.customers in the definition) does not exist in prod's Unity Catalog (TABLE_DOES_NOT_EXIST)"

describe('promote with a target that lacks a mapped table', () => {
  it('stops before any write in prod, naming the table and the line; --force does not skip it; --skip-preflight does', async () => {
    expect((await promote('dev')).code).toBe(0)
    expect((await promote('stage')).code).toBe(0)
    await knob(envs.prod, { absent: ['shop_prod.sales.customers'] })
    await envs.prod.clearRequests()

    const blocked = await promote('prod')
    expect(blocked.code).toBe(1)
    expect(blocked.err).toContain(MISSING)
    expect(blocked.out).toContain(`BLOCKED: "Sales analytics" → prod — preflight on prod: 1 error, 1 warning — nothing was written; first: ${MISSING}`)
    // the request log of prod: reads only (the catalog look-ups among them), no write, no lock, no record
    const requests = await envs.prod.requests()
    expect(requests.filter((r) => r.method !== 'GET')).toEqual([])
    expect(requests.map((r) => r.path)).toContain('/api/2.1/unity-catalog/tables/shop_prod.sales.customers')
    expect(await liveSpaces(envs.prod)).toEqual([])

    const forced = await promote('prod', '--force')
    expect(forced.code).toBe(1)
    expect(forced.err).toContain(MISSING)
    expect(await envs.prod.writes()).toEqual([])

    // a dry run shows the same and writes nothing either
    const dry = await promote('prod', '--dry-run')
    expect(dry.code).toBe(1)
    expect(dry.err).toContain(MISSING)

    const skipped = await promote('prod', '--skip-preflight')
    expect(skipped.code).toBe(0)
    expect(skipped.err).toContain('warning: --skip-preflight: the target preflight was not run for prod')
    expect((await liveSpaces(envs.prod)).length).toBe(1)
  })

  it('the plan for prod shows the finding above the diff; spaceops preflight --env prints it and exits 1', async () => {
    await knob(envs.prod, { absent: ['shop_prod.sales.customers'] })
    const plan = await cli(['diff', 'spaces/sales/space.yaml', '--env', 'prod', '--config', 'config/promotion.yaml'], { cwd: repo, env })
    expect(plan.code).toBe(0)
    const lines = plan.out.split('\n')
    expect(lines[1]).toBe('  preflight on prod: 1 error, 1 warning')
    expect(lines).toContain(`    error: ${MISSING}`)

    const alone = await cli(['preflight', 'spaces/sales/space.yaml', '--env', 'prod', '--config', 'config/promotion.yaml'], { cwd: repo, env })
    expect(alone.code).toBe(1)
    expect(alone.out).toContain(`${MISSING}\n`)
    expect(alone.out).toContain(
      "spaces/sales/space.yaml:23:24: warning: column _loaded_at is excluded but shop_prod.sales.orders has no such column in prod's Unity Catalog: the exclusion hides nothing"
    )
    expect(alone.out).toContain('spaces/sales/space.yaml: preflight on prod: 1 error, 1 warning')
    expect(await envs.prod.writes()).toEqual([])

    await knob(envs.prod, { present: ['shop_prod.sales.customers'] })
    const passing = await cli(['preflight', 'spaces/sales/space.yaml', '--env', 'prod', '--config', 'config/promotion.yaml', '--format', 'json'], {
      cwd: repo,
      env
    })
    expect(passing.code).toBe(0)
    const report = JSON.parse(passing.out) as { reports: { report: { errors: number; warnings: number } }[] }
    expect(report.reports[0]?.report).toMatchObject({ errors: 0, warnings: 1 })
  })

  it('spaceops preflight without an environment checks the names as written on DATABRICKS_HOST; no warehouse is a warning', async () => {
    const plain = { DATABRICKS_HOST: envs.dev.url, DATABRICKS_TOKEN: 'dapiDEVpreflight0001' }
    const ok = await cli(['preflight', 'spaces/sales/space.yaml', '--warehouse-id', 'w1'], { cwd: repo, env: plain })
    expect(ok.code).toBe(0)
    expect(ok.out).toContain(
      "spaces/sales/space.yaml:23:24: warning: column _loaded_at is excluded but shop_dev.sales.orders has no such column in the workspace's Unity Catalog: the exclusion hides nothing"
    )
    expect(ok.out).toContain('spaces/sales/space.yaml: preflight: 0 errors, 1 warning')
    const none = await cli(['preflight', 'spaces/sales/space.yaml'], { cwd: repo, env: plain })
    expect(none.code).toBe(0)
    expect(none.out).toContain(
      'spaces/sales/space.yaml:4:15: warning: no warehouse_id: the warehouse was not checked (set warehouse_id in the definition or environments.<env>.warehouse_id)'
    )
    expect((await cli(['preflight', 'spaces/sales/space.yaml', '--env', 'prod'], { cwd: repo, env: plain })).code).toBe(2)
  })
})
