import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { emulator } from '../helpers/emulator.js'
import { cli } from '../helpers/cli.js'
import { GenieClient, PatAuth } from '../../src/client/index.js'
import { adoptSpaces } from '../../src/promote/adopt.js'
import { MemoryLogger } from '../../src/util/logger.js'
import { SecretRegistry } from '../../src/util/secrets.js'

// Adopting a workspace that already has many spaces: snapshot --all, then promote finds every one.

type Emu = Awaited<ReturnType<typeof emulator>>
let prod: Emu
let repo: string
const env = () => ({ DATABRICKS_PROD_HOST: prod.url, DATABRICKS_PROD_TOKEN: 'dapiPRODtoken00003' })
const FOLDERS = ['/Workspace/Shared/finance', '/Workspace/Shared/sales', '/Workspace/Users/ana@example.com/genie']
const CONFIG = `promotion_order: [prod]
environments:
  prod:
    host: \${DATABRICKS_PROD_HOST}
    warehouse_id: prod-warehouse   # the environment's, not the definitions'
    catalog_mappings: { shop_dev: shop_prod }
`

async function api(method: string, p: string, body?: unknown) {
  const res = await fetch(`${prod.url}${p}`, {
    method,
    headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {})
  })
  if (res.status !== 200) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`)
  return (await res.json()) as Record<string, string>
}

function documentOf(i: number) {
  return JSON.stringify({
    version: 2,
    data_sources: { tables: [{ identifier: `shop_prod.sales.t${String(i).padStart(3, '0')}` }] },
    instructions: {
      text_instructions: [{ id: '0000000000000000000000000000000a', content: [`Space ${i} reads shop_prod.sales.t${String(i).padStart(3, '0')}.`] }]
    }
  })
}

beforeAll(async () => {
  prod = await emulator({ seed: 3 })
})
afterAll(async () => {
  await prod.close()
})
beforeEach(async () => {
  await prod.reset()
  repo = mkdtempSync(path.join(tmpdir(), 'spaceops-adopt-'))
  mkdirSync(path.join(repo, 'config'))
  writeFileSync(path.join(repo, 'config/promotion.yaml'), CONFIG)
  for (const f of FOLDERS) await api('POST', '/api/2.0/workspace/mkdirs', { path: f })
})

describe('snapshot --all adopts a workspace', () => {
  it('120 spaces in three folders become 120 bound definitions; promote --dry-run then creates none', async () => {
    const ids = new Map<string, string>()
    for (let i = 0; i < 120; i++) {
      const s = await api('POST', '/api/2.0/genie/spaces', {
        title: `Team space ${i}`,
        warehouse_id: 'prod-warehouse',
        parent_path: FOLDERS[i % 3],
        serialized_space: documentOf(i)
      })
      ids.set(`team-space-${i}`, s.space_id as string)
    }
    const r = await cli(['snapshot', '--all', '-o', 'spaces', '--env', 'prod', '--config', 'config/promotion.yaml', '--write-ids'], { cwd: repo, env: env() })
    expect(r.err).toContain('120 definitions written, 0 spaces skipped')
    expect(r.code).toBe(0)
    const dirs = readdirSync(path.join(repo, 'spaces')).sort()
    expect(dirs).toHaveLength(120)
    const one = readFileSync(path.join(repo, 'spaces/team-space-7/space.yaml'), 'utf8')
    // in the source names, without the environment's warehouse
    expect(one).toContain('identifier: shop_dev.sales.t007')
    expect(one).toContain('Space 7 reads shop_dev.sales.t007.')
    expect(one).not.toContain('prod-warehouse')
    expect(one).toContain('parent_path: /Workspace/Shared/sales')
    // the ids are in the config
    const config = readFileSync(path.join(repo, 'config/promotion.yaml'), 'utf8')
    expect(config).toContain(`team-space-7: { space_id: ${ids.get('team-space-7')} }`)
    expect(config).toContain("# the environment's, not the definitions'")

    await prod.clearRequests()
    let creates = 0
    // the spaces' tables (t001…) are made up: the target preflight is not what this test is about
    for (const dir of dirs) {
      const p = await cli(
        ['promote', `spaces/${dir}/space.yaml`, 'prod', '--config', 'config/promotion.yaml', '--dry-run', '--skip-benchmark', '--skip-preflight'],
        { cwd: repo, env: env() }
      )
      expect(p.code).toBe(0)
      // the space it would write is the adopted one, with nothing to change (no diff printed)
      const m = /^planned \(dry run, nothing written\): ".*" → prod \(space ([0-9a-f]{32})\)\n$/.exec(p.out)
      if (!m || m[1] !== ids.get(dir)) creates++
    }
    expect(creates).toBe(0)
    expect(await prod.writes()).toEqual([])
  }, 120_000)

  it('binds by deploy record without --write-ids; skips duplicate titles and existing folders', async () => {
    const a = await api('POST', '/api/2.0/genie/spaces', {
      title: 'Revenue',
      warehouse_id: 'prod-warehouse',
      parent_path: FOLDERS[0],
      serialized_space: documentOf(1)
    })
    const b = await api('POST', '/api/2.0/genie/spaces', {
      title: 'Revenue',
      warehouse_id: 'prod-warehouse',
      parent_path: FOLDERS[1],
      serialized_space: documentOf(2)
    })
    await api('POST', '/api/2.0/genie/spaces', { title: 'Churn', warehouse_id: 'prod-warehouse', parent_path: FOLDERS[2], serialized_space: documentOf(3) })
    await api('POST', '/api/2.0/genie/spaces', {
      title: 'Elsewhere',
      warehouse_id: 'prod-warehouse',
      parent_path: '/Workspace/Shared',
      serialized_space: documentOf(4)
    })
    mkdirSync(path.join(repo, 'spaces/churn'), { recursive: true })
    writeFileSync(path.join(repo, 'spaces/churn/space.yaml'), '# mine\n')
    const all = await cli(['snapshot', '--all', '-o', 'spaces', '--env', 'prod', '--config', 'config/promotion.yaml'], { cwd: repo, env: env() })
    expect(all.code).toBe(0)
    const [first, second] = [a.space_id, b.space_id].sort()
    expect(all.err).toContain(`skipped space ${second} "Revenue": duplicate title: space ${first} is written as revenue/`)
    expect(all.err).toMatch(/skipped space [0-9a-f]{32} "Churn": spaces\/churn\/ exists \(use --force to write over it\)/)
    expect(readFileSync(path.join(repo, 'spaces/churn/space.yaml'), 'utf8')).toBe('# mine\n')
    expect(all.err).toContain('2 definitions written, 2 spaces skipped')
    // the config is untouched without --write-ids; the record binds revenue/ to its space
    expect(readFileSync(path.join(repo, 'config/promotion.yaml'), 'utf8')).toBe(CONFIG)
    const p = await cli(
      ['promote', 'spaces/revenue/space.yaml', 'prod', '--config', 'config/promotion.yaml', '--dry-run', '--skip-benchmark', '--skip-preflight'],
      { cwd: repo, env: env() }
    )
    expect(p.out).toBe(`planned (dry run, nothing written): "Revenue" → prod (space ${first})\n`)
    expect(existsSync(path.join(repo, 'spaces/elsewhere/space.yaml'))).toBe(true)
  })

  it('--folder keeps only the spaces under that workspace folder', async () => {
    await api('POST', '/api/2.0/genie/spaces', {
      title: 'Finance one',
      warehouse_id: 'prod-warehouse',
      parent_path: FOLDERS[0],
      serialized_space: documentOf(1)
    })
    await api('POST', '/api/2.0/genie/spaces', { title: 'Sales one', warehouse_id: 'prod-warehouse', parent_path: FOLDERS[1], serialized_space: documentOf(2) })
    const r = await cli(['snapshot', '--all', '-o', 'spaces', '--folder', '/Workspace/Shared/finance'], {
      cwd: repo,
      env: { DATABRICKS_HOST: prod.url, DATABRICKS_TOKEN: 'dapiPRODtoken00003' }
    })
    expect(r.code).toBe(0)
    expect(readdirSync(path.join(repo, 'spaces'))).toEqual(['finance-one'])
  })
})

describe('snapshot --all leaves pull-request previews out', () => {
  it('a space in …/previews/pr-7 titled "… [PR #7]" is skipped and said; a look-alike title elsewhere is adopted', async () => {
    const previews = `${FOLDERS[0]}/previews/pr-7`
    await api('POST', '/api/2.0/workspace/mkdirs', { path: previews })
    await api('POST', '/api/2.0/genie/spaces', {
      title: 'Finance one',
      warehouse_id: 'prod-warehouse',
      parent_path: FOLDERS[0],
      serialized_space: documentOf(1)
    })
    await api('POST', '/api/2.0/genie/spaces', {
      title: 'Finance one [PR #7]',
      warehouse_id: 'prod-warehouse',
      parent_path: previews,
      serialized_space: documentOf(1)
    })
    await api('POST', '/api/2.0/genie/spaces', {
      title: 'Roadmap [PR #7]',
      warehouse_id: 'prod-warehouse',
      parent_path: FOLDERS[1],
      serialized_space: documentOf(2)
    })
    const r = await cli(['snapshot', '--all', '-o', 'spaces'], { cwd: repo, env: { DATABRICKS_HOST: prod.url, DATABRICKS_TOKEN: 'dapiPRODtoken00003' } })
    expect(r.code).toBe(0)
    expect(readdirSync(path.join(repo, 'spaces')).sort()).toEqual(['finance-one', 'roadmap-pr-7'])
    expect(r.out + r.err).toContain('a pull-request preview')
  })
})

describe('adoptSpaces: a space the caller cannot edit', () => {
  it('is skipped and reported (the API answers without its document), the others are written', async () => {
    const a = await api('POST', '/api/2.0/genie/spaces', {
      title: 'Open',
      warehouse_id: 'prod-warehouse',
      parent_path: FOLDERS[0],
      serialized_space: documentOf(1)
    })
    const b = await api('POST', '/api/2.0/genie/spaces', {
      title: 'Locked',
      warehouse_id: 'prod-warehouse',
      parent_path: FOLDERS[0],
      serialized_space: documentOf(2)
    })
    const secrets = new SecretRegistry()
    // the caller has CAN VIEW only on "Locked": the real API returns the space without serialized_space
    // (the emulator does not model per-user grants, so this client plays that answer)
    class ViewOnly extends GenieClient {
      override async getSpace(id: string, o: { includeSerializedSpace?: boolean } = {}) {
        const s = await super.getSpace(id, o)
        if (id !== b.space_id) return s
        const { serialized_space: _dropped, ...rest } = s
        return rest
      }
    }
    const client = new ViewOnly({ host: prod.url, auth: new PatAuth('dapiPRODtoken00003', secrets), secrets })
    const logger = new MemoryLogger()
    const r = await adoptSpaces(client, { dir: 'spaces', cwd: repo, run: { kind: 'cli' }, now: () => new Date('2026-01-01T00:00:00Z'), logger })
    expect(r.written.map((w) => [w.spaceId, w.file, w.recorded])).toEqual([[a.space_id, 'spaces/open/space.yaml', true]])
    expect(r.skipped).toEqual([{ spaceId: b.space_id, title: 'Locked', reason: 'no CAN EDIT permission (the document cannot be read)' }])
    expect(existsSync(path.join(repo, 'spaces/locked'))).toBe(false)
  })
})
