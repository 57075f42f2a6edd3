import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { cli } from '../helpers/cli.js'
import { knownSecrets, loadPromotionConfig } from '../../src/promote/config.js'
import { connector } from '../../src/promote/connection.js'
import { promote as promoteCore } from '../../src/promote/promote.js'
import { readDefinition } from '../../src/core/validate.js'
import { MemoryLogger } from '../../src/util/logger.js'
import { SecretRegistry } from '../../src/util/secrets.js'

// Permissions as code end to end: the CLI in-process against an emulator on 127.0.0.1, counting
// the emulator's requests (its request log).

const OWNER = 'deployer@example.com'
const TOKEN = 'dapi-perm-owner-0001'
let emu: RunningEmulator
let dir: string

beforeAll(async () => {
  emu = await startEmulator({ seed: 31, userName: OWNER })
})
afterAll(async () => {
  await emu.close()
})
beforeEach(async () => {
  await fetch(`${emu.url}/_emulator/reset`, { method: 'POST' })
  dir = mkdtempSync(path.join(tmpdir(), 'spaceops-perm-'))
})

const BASE = `title: Sales
warehouse_id: wh-1
parent_path: /Workspace/Shared
data_sources:
  tables:
    - identifier: main.sales.orders
`
const write = (permissions: string, name = 'space.yaml') => writeFileSync(path.join(dir, name), BASE + permissions)
const env = () => ({ DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: TOKEN })
const run = (...argv: string[]) => cli(argv, { cwd: dir, env: env() })
const ops = (method?: string) => emu.state.requests.filter((r) => !method || r.method === method).map((r) => r.op)
const clearLog = () => fetch(`${emu.url}/_emulator/requests`, { method: 'DELETE' })

async function api(method: string, p: string, body?: unknown, token = TOKEN) {
  const res = await fetch(`${emu.url}${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {})
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}
const aclOf = async (id: string) => (await api('GET', `/api/2.0/permissions/genie/${id}`)).body.access_control_list as Record<string, unknown>[]
const onlySpaceId = () => emu.state.liveSpaces()[0]?.space_id as string

const GRANTS = `permissions:
  - level: CAN_RUN
    group_name: analysts
  - level: CAN_VIEW
    user_name: someone@example.com
`

describe('push with permissions', () => {
  test('creates the space, then one PUT of the grants with the deployer kept as CAN_MANAGE', async () => {
    write(GRANTS)
    const plan = await run('diff', 'space.yaml')
    const lines = plan.out.split('\n')
    expect(lines[0]).toMatch(/^space\.yaml: "Sales": will be created, holding /)
    // after what it will hold, the grants it will get (the deployer's CAN_MANAGE added)
    expect(lines.filter((l) => /^ {2}\+ (group|user) /.test(l))).toEqual([
      '  + group analysts CAN_RUN',
      `  + user ${OWNER} CAN_MANAGE`,
      '  + user someone@example.com CAN_VIEW'
    ])
    const r = await run('push', 'space.yaml')
    expect(r.code).toBe(0)
    expect(r.err).toContain('set the permissions of space')
    expect(ops('PUT')).toEqual(['permissions-set'])
    const acl = await aclOf(onlySpaceId())
    expect(acl).toEqual([
      { user_name: OWNER, all_permissions: [{ permission_level: 'CAN_MANAGE', inherited: false }] },
      { user_name: 'someone@example.com', all_permissions: [{ permission_level: 'CAN_VIEW', inherited: false }] },
      { group_name: 'analysts', all_permissions: [{ permission_level: 'CAN_RUN', inherited: false }] },
      { group_name: 'admins', all_permissions: [{ permission_level: 'CAN_MANAGE', inherited: true, inherited_from_object: ['/directories/'] }] }
    ])
  })

  test('a second push with unchanged grants makes no permissions write; a changed grant is one PUT', async () => {
    write(GRANTS)
    expect((await run('push', 'space.yaml')).code).toBe(0)
    await clearLog()
    expect((await run('push', 'space.yaml')).code).toBe(0)
    expect(ops()).toContain('permissions-get')
    expect(ops('PUT')).toEqual([])
    expect(ops('PATCH')).toEqual([])

    write(GRANTS.replace('CAN_VIEW', 'CAN_EDIT'))
    await clearLog()
    const plan = await run('diff', 'space.yaml')
    expect(plan.out).toContain('~ user someone@example.com CAN_VIEW → CAN_EDIT')
    expect(plan.out).toContain('grants ~1')
    expect(ops('PUT')).toEqual([])
    const r = await run('push', 'space.yaml')
    expect(r.code).toBe(0)
    // only the grants changed: no content write, one PUT
    expect(ops('PATCH')).toEqual([])
    expect(ops('PUT')).toEqual(['permissions-set'])
    expect((await aclOf(onlySpaceId())).find((e) => e.user_name === 'someone@example.com')).toEqual({
      user_name: 'someone@example.com',
      all_permissions: [{ permission_level: 'CAN_EDIT', inherited: false }]
    })
  })

  test('the plan shows grants added and removed; removing the list entry removes the grant', async () => {
    write(GRANTS)
    expect((await run('push', 'space.yaml')).code).toBe(0)
    write(`permissions:
  - level: CAN_RUN
    group_name: analysts
  - level: CAN_MANAGE
    service_principal_name: 6f1c2a4e-0000-4000-8000-00000000abcd
`)
    const plan = await run('diff', 'space.yaml', '--format', 'json')
    const changes = JSON.parse(plan.out).spaces[0].changes
    expect(changes).toEqual([
      { kind: 'add', what: 'grant', name: 'service principal 6f1c2a4e-0000-4000-8000-00000000abcd', fields: [], value: { level: 'CAN_MANAGE' } },
      { kind: 'remove', what: 'grant', name: 'user someone@example.com', fields: [], value: { level: 'CAN_VIEW' } }
    ])
    const text = await run('diff', 'space.yaml')
    expect(text.out).toContain('+ service principal 6f1c2a4e-0000-4000-8000-00000000abcd CAN_MANAGE')
    expect(text.out).toContain('- user someone@example.com CAN_VIEW')
    expect((await run('push', 'space.yaml')).code).toBe(0)
    const acl = await aclOf(onlySpaceId())
    expect(acl.map((e) => e.user_name ?? e.group_name ?? e.service_principal_name)).toEqual([
      OWNER,
      'analysts',
      '6f1c2a4e-0000-4000-8000-00000000abcd',
      'admins'
    ])
  })

  test('a definition that would take CAN_MANAGE from the deploying principal is refused before any write', async () => {
    write(`${GRANTS}  - level: CAN_VIEW\n    user_name: ${OWNER.toUpperCase()}\n`)
    const r = await run('push', 'space.yaml')
    expect(r.code).toBe(1)
    expect(r.err).toContain(`permissions give user ${OWNER.toUpperCase()} CAN_VIEW, but that is the principal SpaceOps deploys as: it must keep CAN_MANAGE`)
    expect(r.err.trim().split('\n')).toHaveLength(1)
    expect(emu.state.requests.filter((q) => q.method !== 'GET')).toEqual([])
    expect(emu.state.liveSpaces()).toHaveLength(0)
    // the plan says so too (plan time, with the current user)
    const plan = await run('diff', 'space.yaml')
    expect(plan.out).toContain('must keep CAN_MANAGE')
  })

  test('without permissions, grants are left alone: no permissions request at all', async () => {
    write(GRANTS)
    expect((await run('push', 'space.yaml')).code).toBe(0)
    write('description: changed\n')
    await clearLog()
    expect((await run('push', 'space.yaml')).code).toBe(0)
    expect(ops()).not.toContain('permissions-get')
    expect(ops()).not.toContain('permissions-set')
    expect((await aclOf(onlySpaceId())).map((e) => e.group_name ?? e.user_name)).toContain('analysts')
  })
})

describe('drift of grants', () => {
  test('a grant edited in the UI (the permissions API) shows in drift; without permissions in the definition it does not', async () => {
    write(GRANTS)
    expect((await run('push', 'space.yaml')).code).toBe(0)
    expect((await run('drift', 'space.yaml', '--fail-on-drift')).code).toBe(0)
    const id = onlySpaceId()
    const patched = await api('PATCH', `/api/2.0/permissions/genie/${id}`, {
      access_control_list: [
        { group_name: 'analysts', permission_level: 'CAN_EDIT' },
        { user_name: 'intruder@example.com', permission_level: 'CAN_MANAGE' }
      ]
    })
    expect(patched.status).toBe(200)
    const drift = await run('drift', 'space.yaml', '--fail-on-drift')
    expect(drift.code).not.toBe(0)
    expect(drift.out).toContain('~ group analysts CAN_RUN → CAN_EDIT')
    expect(drift.out).toContain('+ user intruder@example.com CAN_MANAGE')
    // a definition that leaves grants alone sees no drift in them
    writeFileSync(path.join(dir, 'space.yaml'), BASE)
    expect((await run('drift', 'space.yaml', '--fail-on-drift')).code).toBe(0)
    // push puts them back: one PUT
    write(GRANTS)
    await clearLog()
    expect((await run('push', 'space.yaml')).code).toBe(0)
    expect(ops('PUT')).toEqual(['permissions-set'])
    expect((await run('drift', 'space.yaml', '--fail-on-drift')).code).toBe(0)
  })
})

describe('promote with permissions per environment', () => {
  let prod: RunningEmulator
  beforeAll(async () => {
    prod = await startEmulator({ seed: 32, userName: 'prod-deployer@example.com' })
  })
  afterAll(async () => {
    await prod.close()
  })

  const CONFIG = `promotion_order: [dev, prod]
environments:
  dev:
    host: \${DATABRICKS_DEV_HOST}
    warehouse_id: wh-dev
    parent_path: /Workspace/Shared
  prod:
    host: \${DATABRICKS_PROD_HOST}
    warehouse_id: wh-prod
    parent_path: /Workspace/Shared
    permissions:
      - level: CAN_RUN
        group_name: \${PROD_READERS}
      - level: CAN_EDIT
        user_name: owner@example.com
`
  // main.sales.orders is in neither emulator's catalog; preflight is not what these tests are about
  const promoteEnv = () => ({
    DATABRICKS_DEV_HOST: emu.url,
    DATABRICKS_DEV_TOKEN: TOKEN,
    DATABRICKS_PROD_HOST: prod.url,
    DATABRICKS_PROD_TOKEN: 'dapi-perm-prod-0002',
    PROD_READERS: 'prod-analysts'
  })
  const promote = (target: string) => cli(['promote', 'space.yaml', target, '--config', 'promotion.yaml', '--skip-preflight'], { cwd: dir, env: promoteEnv() })

  test("the environment's list replaces the definition's (names through ${VAR}); a second promote makes no permissions write", async () => {
    await fetch(`${prod.url}/_emulator/reset`, { method: 'POST' })
    writeFileSync(path.join(dir, 'promotion.yaml'), CONFIG)
    write(GRANTS)
    expect((await promote('dev')).code).toBe(0)
    const first = await promote('prod')
    expect(first.err).toContain('set the permissions of space')
    expect(first.code).toBe(0)
    const id = prod.state.liveSpaces()[0]?.space_id as string
    expect(prod.state.getSpace(id)?.acl).toEqual([
      { kind: 'user_name', name: 'owner@example.com', permission_level: 'CAN_EDIT' },
      { kind: 'user_name', name: 'prod-deployer@example.com', permission_level: 'CAN_MANAGE' },
      { kind: 'group_name', name: 'prod-analysts', permission_level: 'CAN_RUN' }
    ])
    // dev got the definition's own list
    expect(emu.state.liveSpaces()[0]?.acl.map((e) => e.name)).toEqual([OWNER, 'someone@example.com', 'analysts'])

    await fetch(`${prod.url}/_emulator/requests`, { method: 'DELETE' })
    const again = await promote('prod')
    expect(again.code).toBe(0)
    const writes = prod.state.requests.filter((r) => r.method !== 'GET')
    expect(writes).toEqual([])
    expect(prod.state.requests.map((r) => r.op)).toContain('permissions-get')

    // a grant changed in prod's UI: the dry run shows it, promote puts it back with one PUT
    const patched = await fetch(`${prod.url}/api/2.0/permissions/genie/${id}`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
      body: JSON.stringify({ access_control_list: [{ group_name: 'prod-analysts', permission_level: 'CAN_MANAGE' }] })
    })
    expect(patched.status).toBe(200)
    await fetch(`${prod.url}/_emulator/requests`, { method: 'DELETE' })
    const fixed = await promote('prod')
    expect(fixed.code).toBe(0)
    expect(prod.state.requests.filter((r) => r.method === 'PUT' || r.method === 'PATCH').map((r) => r.op)).toEqual(['permissions-set'])
  })

  test('a failed post-deploy gate puts the grants back as they were, with the content', async () => {
    await fetch(`${prod.url}/_emulator/reset`, { method: 'POST' })
    writeFileSync(path.join(dir, 'promotion.yaml'), CONFIG)
    write(GRANTS)
    expect((await promote('dev')).code).toBe(0)
    expect((await promote('prod')).code).toBe(0)
    const id = prod.state.liveSpaces()[0]?.space_id as string
    const before = prod.state.getSpace(id)?.acl
    writeFileSync(path.join(dir, 'promotion.yaml'), CONFIG.replace('CAN_EDIT', 'CAN_VIEW'))
    const vars = promoteEnv()
    const secrets = new SecretRegistry()
    const logger = new MemoryLogger()
    const config = await loadPromotionConfig('promotion.yaml', dir)
    const { definition } = await readDefinition('space.yaml', { cwd: dir, strict: true })
    const result = await promoteCore({
      definitionFile: 'space.yaml',
      space: definition.space,
      config,
      target: 'prod',
      cwd: dir,
      run: { kind: 'cli' },
      backupDir: '.spaceops/backups',
      logger,
      now: () => new Date(),
      env: { vars, allow: () => true, refusal: () => 'is refused', isSecret: knownSecrets(secrets, vars) },
      connect: connector(config, { processEnv: vars, secrets, logger, userAgent: 'test' }),
      gate: async ({ phase }) => ({ passed: phase === 'before', summary: phase }),
      postDeployGate: true,
      skipPreflight: true
    })
    expect(result.status).toBe('rolled-back')
    expect(result.diff?.changes.map((c) => `${c.kind} ${c.name}`)).toEqual(['change user owner@example.com'])
    expect(prod.state.getSpace(id)?.acl).toEqual(before)
  })

  test('an environment list that takes CAN_MANAGE from its deploying principal is refused before any write', async () => {
    await fetch(`${prod.url}/_emulator/reset`, { method: 'POST' })
    writeFileSync(path.join(dir, 'promotion.yaml'), `${CONFIG}      - level: CAN_RUN\n        user_name: prod-deployer@example.com\n`)
    write(GRANTS)
    expect((await promote('dev')).code).toBe(0)
    const r = await promote('prod')
    expect(r.code).toBe(1)
    expect(r.err).toContain('permissions give user prod-deployer@example.com CAN_RUN')
    expect(prod.state.requests.filter((q) => q.method !== 'GET')).toEqual([])
  })
})

describe('snapshot with permissions', () => {
  test('a definition with permissions takes the grants edited in the UI, without the deployer SpaceOps adds; one without stays without', async () => {
    write(`# who may use it\n${GRANTS}`)
    expect((await run('push', 'space.yaml')).code).toBe(0)
    const id = onlySpaceId()
    await api('PATCH', `/api/2.0/permissions/genie/${id}`, {
      access_control_list: [
        { group_name: 'analysts', permission_level: 'CAN_EDIT' },
        { group_name: 'auditors', permission_level: 'CAN_VIEW' }
      ]
    })
    const r = await run('snapshot', 'space.yaml')
    expect(r.code).toBe(0)
    const text = readFileSync(path.join(dir, 'space.yaml'), 'utf8')
    expect(text.startsWith(`${BASE}# who may use it\npermissions:`)).toBe(true)
    expect(text).not.toContain(OWNER)
    expect(text).toContain('auditors')
    expect((await run('drift', 'space.yaml', '--fail-on-drift')).code).toBe(0)

    writeFileSync(path.join(dir, 'plain.yaml'), BASE)
    expect((await run('snapshot', id, '-o', 'plain.yaml')).code).toBe(0)
    expect(readFileSync(path.join(dir, 'plain.yaml'), 'utf8')).not.toContain('permissions')
  })
})
