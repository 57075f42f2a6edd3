import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { cli } from '../helpers/cli.js'

// Permissions as code when SpaceOps deploys as a service principal that is not a workspace admin
// (the emulator holds it to the spaces' grants), and as a user who may edit but not manage.
const APP_ID = '6f1c2a4e-0000-4000-8000-00000000abcd'
let emu: RunningEmulator
let dir: string

beforeAll(async () => {
  emu = await startEmulator({ seed: 33, auth: { users: { 'tok-ci': { userName: APP_ID }, 'tok-editor': { userName: 'editor@example.com' } } } })
})
afterAll(async () => {
  await emu.close()
})
beforeEach(async () => {
  await fetch(`${emu.url}/_emulator/reset`, { method: 'POST' })
  dir = mkdtempSync(path.join(tmpdir(), 'spaceops-perm-sp-'))
  writeFileSync(
    path.join(dir, 'space.yaml'),
    `title: Sales
warehouse_id: wh-1
parent_path: /Workspace/Shared
data_sources:
  tables:
    - identifier: main.sales.orders
permissions:
  - level: CAN_RUN
    group_name: analysts
`
  )
})
const push = (token: string) => cli(['push', 'space.yaml'], { cwd: dir, env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: token } })

test('a service principal deploys, keeps CAN_MANAGE by application id, and can deploy again (not locked out)', async () => {
  const first = await push('tok-ci')
  expect(first.err).toContain('set the permissions of space')
  expect(first.code).toBe(0)
  const space = emu.state.liveSpaces()[0]
  expect(space?.acl).toEqual([
    { kind: 'group_name', name: 'analysts', permission_level: 'CAN_RUN' },
    { kind: 'service_principal_name', name: APP_ID, permission_level: 'CAN_MANAGE' }
  ])
  await fetch(`${emu.url}/_emulator/requests`, { method: 'DELETE' })
  const again = await push('tok-ci')
  expect(again.code).toBe(0)
  expect(emu.state.requests.filter((r) => r.method !== 'GET')).toEqual([])
})

test('a deployer with CAN EDIT only is told the permissions cannot be read, in one line, before writing', async () => {
  expect((await push('tok-ci')).code).toBe(0)
  const id = emu.state.liveSpaces()[0]?.space_id as string
  await fetch(`${emu.url}/api/2.0/permissions/genie/${id}`, {
    method: 'PATCH',
    headers: { authorization: 'Bearer tok-ci', 'content-type': 'application/json' },
    body: JSON.stringify({ access_control_list: [{ user_name: 'editor@example.com', permission_level: 'CAN_EDIT' }] })
  })
  await fetch(`${emu.url}/_emulator/requests`, { method: 'DELETE' })
  const r = await push('tok-editor')
  expect(r.code).toBe(1)
  expect(r.err).toMatch(/PERMISSION_DENIED/)
  expect(r.err).toContain('CAN MANAGE')
  expect(r.err.trim().split('\n')).toHaveLength(1)
  expect(emu.state.requests.filter((q) => q.method !== 'GET')).toEqual([])
})
