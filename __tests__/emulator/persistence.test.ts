import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmulator } from '../../src/emulator/index.js'
import { client, createSpace, fixtureText, SPACES } from './helpers.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'genie-emulator-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('--data persistence', () => {
  test('spaces, trash, folders, permissions and tokens survive a restart', async () => {
    const first = await startEmulator({ seed: 11, dataDir: dir })
    const api = client(first.url)
    await api.post('/api/2.0/workspace/mkdirs', { path: '/Workspace/Team/genie' })
    const kept = await createSpace(api, fixtureText('restock_agent_bundle_generate_export.json'), { title: 'Restock', parent_path: '/Workspace/Team/genie' })
    expect(kept.status).toBe(200)
    const gone = await createSpace(api, undefined, { title: 'Gone' })
    await api.del(`${SPACES}/${gone.body.space_id}`)
    await api.patch(`/api/2.0/permissions/genie/${kept.body.space_id}`, { access_control_list: [{ group_name: 'g', permission_level: 'CAN_VIEW' }] })
    const issued = await fetch(`${first.url}/oidc/v1/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
      body: 'grant_type=client_credentials'
    })
    const accessToken = ((await issued.json()) as { access_token: string }).access_token
    await first.close()

    // One state file, written atomically (no temp file left behind), valid JSON.
    expect(readdirSync(dir)).toEqual(['emulator-state.json'])
    const onDisk = JSON.parse(readFileSync(join(dir, 'emulator-state.json'), 'utf8')) as { spaces: unknown[]; trash: unknown[] }
    expect(onDisk.spaces).toHaveLength(1)
    expect(onDisk.trash).toHaveLength(1)

    const second = await startEmulator({ seed: 11, dataDir: dir })
    try {
      const api2 = client(second.url)
      const got = await api2.get(`${SPACES}/${kept.body.space_id}?include_serialized_space=true`)
      expect(got.status).toBe(200)
      expect(got.body).toEqual(kept.body)
      expect((await api2.get(`${SPACES}/${gone.body.space_id}`)).status).toBe(404)
      expect((await api2.get('/api/2.0/workspace/get-status?path=/Workspace/Team/genie')).status).toBe(200)
      const perms = await api2.get(`/api/2.0/permissions/genie/${kept.body.space_id}`)
      expect(perms.body.access_control_list.some((e: Record<string, unknown>) => e['group_name'] === 'g')).toBe(true)
      // The same seed after a restart must not hand out an id that is already taken.
      const next = await createSpace(api2)
      expect(next.status).toBe(200)
      expect([kept.body.space_id, gone.body.space_id]).not.toContain(next.body.space_id)
      const list = await api2.get(SPACES)
      expect(list.body.spaces.map((s: { title: string }) => s.title)).toEqual(['Restock', 'New Space'])
      expect(second.state.tokenExpiry(accessToken)).toEqual(expect.any(Number))
    } finally {
      await second.close()
    }
  })

  test('without dataDir nothing is written; a corrupt state file is a clear start error', async () => {
    const mem = await startEmulator({ seed: 1 })
    await createSpace(client(mem.url))
    await mem.close()
    expect(readdirSync(dir)).toEqual([])

    writeFileSync(join(dir, 'emulator-state.json'), '{"format": "something else"}')
    await expect(startEmulator({ dataDir: dir })).rejects.toThrow(/cannot read emulator state .*emulator-state\.json/)
  })
})
