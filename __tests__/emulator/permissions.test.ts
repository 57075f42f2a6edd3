import { parseEmulatorArgs } from '../../src/emulator/cli.js'
import { client, createSpace, SPACES, useEmulator } from './helpers.js'

// The emulator holds the users its tokens belong to to the spaces' grants, as the docs describe the
// levels: CAN VIEW sees, CAN RUN converses, CAN EDIT reads serialized_space and writes, CAN MANAGE
// also sets permissions and trashes. Other tokens are the emulator's own user (an admin).
const SP = '6f1c2a4e-0000-4000-8000-00000000abcd'
const { emu, api } = useEmulator({
  auth: {
    users: {
      'tok-viewer': { userName: 'viewer@example.com' },
      'tok-runner': { userName: 'runner@example.com' },
      'tok-editor': { userName: 'editor@example.com' },
      'tok-sp': { userName: SP },
      'tok-analyst': { userName: 'ana@example.com', groups: ['analysts'] },
      'tok-nobody': { userName: 'nobody@example.com' },
      'tok-admin': { userName: 'boss@example.com', groups: ['admins'] }
    }
  }
})

const PERMS = (id: string) => `/api/2.0/permissions/genie/${id}`

async function spaceWithGrants(): Promise<string> {
  const id = (await createSpace(api())).body.space_id as string
  const r = await api().put(PERMS(id), {
    access_control_list: [
      { user_name: 'emulator-user@example.com', permission_level: 'CAN_MANAGE' },
      { user_name: 'viewer@example.com', permission_level: 'CAN_VIEW' },
      { user_name: 'runner@example.com', permission_level: 'CAN_RUN' },
      { user_name: 'Editor@example.com', permission_level: 'CAN_EDIT' },
      { service_principal_name: SP, permission_level: 'CAN_MANAGE' },
      { group_name: 'analysts', permission_level: 'CAN_RUN' }
    ]
  })
  expect(r.status).toBe(200)
  return id
}

describe('levels per token user', () => {
  test('a user without a grant gets 403 PERMISSION_DENIED and does not see the space in the list', async () => {
    const id = await spaceWithGrants()
    const nobody = client(emu().url, 'tok-nobody')
    const r = await nobody.get(`${SPACES}/${id}`)
    expect(r.status).toBe(403)
    expect(r.body).toEqual({
      error_code: 'PERMISSION_DENIED',
      message: `User nobody@example.com does not have CAN VIEW permission on Genie space ${id} (needed to read the space).`
    })
    expect((await nobody.get(SPACES)).body).toEqual({})
    expect(((await api().get(SPACES)).body.spaces as unknown[]).length).toBe(1)
  })

  test('CAN VIEW sees the metadata but not serialized_space, and may not converse', async () => {
    const id = await spaceWithGrants()
    const viewer = client(emu().url, 'tok-viewer')
    expect((await viewer.get(`${SPACES}/${id}`)).status).toBe(200)
    const doc = await viewer.get(`${SPACES}/${id}?include_serialized_space=true`)
    expect(doc.status).toBe(403)
    expect(doc.body.message).toContain('CAN EDIT')
    expect((await viewer.post(`${SPACES}/${id}/start-conversation`, { content: 'hi' })).status).toBe(403)
  })

  test('CAN RUN may converse (also through a group), but not read serialized_space or write', async () => {
    const id = await spaceWithGrants()
    for (const token of ['tok-runner', 'tok-analyst']) {
      const c = client(emu().url, token)
      const started = await c.post(`${SPACES}/${id}/start-conversation`, { content: 'How many orders?' })
      expect(started.status).toBe(200)
      expect((await c.get(`${SPACES}/${id}?include_serialized_space=true`)).status).toBe(403)
      expect((await c.patch(`${SPACES}/${id}`, { title: 'x' })).status).toBe(403)
    }
  })

  test('CAN EDIT reads serialized_space and updates, but may not read or set permissions or trash', async () => {
    const id = await spaceWithGrants()
    const editor = client(emu().url, 'tok-editor')
    expect((await editor.get(`${SPACES}/${id}?include_serialized_space=true`)).body.serialized_space).toEqual(expect.any(String))
    expect((await editor.patch(`${SPACES}/${id}`, { title: 'Renamed' })).status).toBe(200)
    expect((await editor.get(PERMS(id))).status).toBe(403)
    expect((await editor.put(PERMS(id), { access_control_list: [] })).status).toBe(403)
    expect((await editor.del(`${SPACES}/${id}`)).status).toBe(403)
    expect((await editor.get(`${PERMS(id)}/permissionLevels`)).status).toBe(200)
  })

  test('CAN MANAGE (a service principal, by application id) sets permissions; workspace admins manage every space', async () => {
    const id = await spaceWithGrants()
    const sp = client(emu().url, 'tok-sp')
    expect((await sp.patch(PERMS(id), { access_control_list: [{ user_name: 'nobody@example.com', permission_level: 'CAN_VIEW' }] })).status).toBe(200)
    expect((await client(emu().url, 'tok-nobody').get(`${SPACES}/${id}`)).status).toBe(200)
    const admin = client(emu().url, 'tok-admin')
    expect((await admin.get(PERMS(id))).status).toBe(200)
    expect((await admin.del(`${SPACES}/${id}`)).status).toBe(200)
  })

  test("a space created by a token user is that user's: CAN MANAGE, home folder; a service principal by application id", async () => {
    const created = await client(emu().url, 'tok-sp').post(SPACES, { warehouse_id: 'wh', serialized_space: '{"version":2}' })
    expect(created.status).toBe(200)
    const acl = (await api().get(PERMS(created.body.space_id))).body.access_control_list
    expect(acl[0]).toEqual({ service_principal_name: SP, all_permissions: [{ permission_level: 'CAN_MANAGE', inherited: false }] })
    expect(created.body.parent_path).toBe(`/Users/${SP}`)
  })
})

describe('the admins group', () => {
  test('its CAN MANAGE cannot be lowered by a PUT or a PATCH', async () => {
    const id = (await createSpace(api())).body.space_id as string
    for (const send of [api().put, api().patch]) {
      const r = await send(PERMS(id), { access_control_list: [{ group_name: 'admins', permission_level: 'CAN_VIEW' }] })
      expect(r.status).toBe(400)
      expect(r.body.error_code).toBe('INVALID_PARAMETER_VALUE')
    }
  })
})

describe('current user and permission levels', () => {
  test("GET /api/2.0/preview/scim/v2/Me answers the token's user (the owner for other tokens)", async () => {
    expect((await api().get('/api/2.0/preview/scim/v2/Me')).body).toMatchObject({
      userName: 'emulator-user@example.com',
      active: true,
      id: expect.stringMatching(/^\d+$/)
    })
    expect((await client(emu().url, 'tok-sp').get('/api/2.0/preview/scim/v2/Me')).body.userName).toBe(SP)
    expect((await client(emu().url, null).get('/api/2.0/preview/scim/v2/Me')).status).toBe(401)
  })

  test('…/permissionLevels lists the four levels; an unknown space is 404', async () => {
    const id = (await createSpace(api())).body.space_id as string
    const r = await api().get(`${PERMS(id)}/permissionLevels`)
    expect(r.body.permission_levels.map((l: { permission_level: string }) => l.permission_level)).toEqual(['CAN_MANAGE', 'CAN_EDIT', 'CAN_RUN', 'CAN_VIEW'])
    expect((await api().get(`${PERMS('0'.repeat(32))}/permissionLevels`)).status).toBe(404)
  })
})

describe('--user-token', () => {
  test('maps tokens to users and groups; a malformed value is refused', () => {
    const parsed = parseEmulatorArgs(['--user-token', 'tok-a=a@example.com:analysts,data', '--user-token=tok-b=b@example.com'])
    if (parsed.help) throw new Error('parsed as help')
    expect(parsed.options.auth?.users).toEqual({ 'tok-a': { userName: 'a@example.com', groups: ['analysts', 'data'] }, 'tok-b': { userName: 'b@example.com' } })
    expect(() => parseEmulatorArgs(['--user-token', 'no-name'])).toThrow('--user-token must be <token>=<name>')
  })
})
