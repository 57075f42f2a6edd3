import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { client, createSpace, hexId, minimalDoc, SPACES } from './helpers.js'

describe('alternative backend behaviours (options)', () => {
  let emu: RunningEmulator
  beforeAll(async () => {
    emu = await startEmulator({
      seed: 2,
      userName: 'ci-bot@example.com',
      behaviour: { missingParentStatus: 400, missingSpaceStatus: 403, parentPathStyle: 'strip-workspace' }
    })
  })
  afterAll(async () => {
    await emu.close()
  })

  test('missing parent folder → 400 INVALID_PARAMETER_VALUE variant', async () => {
    const r = await createSpace(client(emu.url), minimalDoc(), { parent_path: '/Workspace/Missing' })
    expect(r.status).toBe(400)
    expect(r.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: "Tree node with path '/Workspace/Missing' does not exist" })
  })

  test('unknown or trashed space → 403 PERMISSION_DENIED variant', async () => {
    const unknown = await client(emu.url).get(`${SPACES}/${hexId(1)}`)
    expect(unknown.status).toBe(403)
    expect(unknown.body.error_code).toBe('PERMISSION_DENIED')
    const { body } = await createSpace(client(emu.url))
    await client(emu.url).del(`${SPACES}/${body.space_id}`)
    expect((await client(emu.url).get(`${SPACES}/${body.space_id}`)).status).toBe(403)
  })

  test('parent_path comes back without the /Workspace prefix; the home folder follows userName', async () => {
    const r = await createSpace(client(emu.url), minimalDoc(), { parent_path: '/Workspace/Users/ci-bot@example.com' })
    expect(r.status).toBe(200)
    expect(r.body.parent_path).toBe('/Users/ci-bot@example.com')
    const shared = await createSpace(client(emu.url), minimalDoc(), { parent_path: '/Shared/' })
    expect(shared.body.parent_path).toBe('/Shared')
    const perms = await client(emu.url).get(`/api/2.0/permissions/genie/${r.body.space_id}`)
    expect(perms.body.access_control_list[0].user_name).toBe('ci-bot@example.com')
  })

  test('relative or dotted parent paths are refused', async () => {
    for (const p of ['Shared', '/Workspace/Shared/../Users']) {
      const r = await createSpace(client(emu.url), minimalDoc(), { parent_path: p })
      expect(r.status).toBe(400)
      expect(r.body.error_code).toBe('INVALID_PARAMETER_VALUE')
    }
  })
})

describe('clock', () => {
  test('create_time and update_time come from the clock, RFC 3339 as protobuf writes them', async () => {
    let now = Date.UTC(2026, 2, 4, 5, 6, 7)
    const emu = await startEmulator({ seed: 1, clock: () => now })
    try {
      const { body } = await createSpace(client(emu.url))
      expect(body.create_time).toBe('2026-03-04T05:06:07Z')
      now += 1_500
      const patched = await client(emu.url).patch(`${SPACES}/${body.space_id}`, { title: 't' })
      expect(patched.body.create_time).toBe('2026-03-04T05:06:07Z')
      expect(patched.body.update_time).toBe('2026-03-04T05:06:08.500Z')
    } finally {
      await emu.close()
    }
  })
})
