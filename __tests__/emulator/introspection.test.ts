import { client, createSpace, hexId, minimalDoc, SPACES, TOKEN, useEmulator } from './helpers.js'

const { emu, api } = useEmulator()

async function log(): Promise<Record<string, unknown>[]> {
  return (await (await fetch(`${emu().url}/_emulator/requests`)).json()) as Record<string, unknown>[]
}

describe('request log', () => {
  test('records method, path, query, status and op — no bodies, tokens or headers', async () => {
    const created = await createSpace(api(), minimalDoc({ config: { sample_questions: [{ id: hexId(1), question: ['secret question'] }] } }))
    const id = created.body.space_id as string
    await api().get(`${SPACES}?page_size=5`)
    await api().get(`${SPACES}/${id}?include_serialized_space=true`)
    await client(emu().url, null).get(SPACES)
    await api().put(`${SPACES}/${id}`, {})
    await api().get('/api/2.0/nothing')
    await fetch(`${emu().url}/_emulator/state`) // not logged
    await fetch(`${emu().url}/oidc/v1/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('id:the-client-secret').toString('base64')}` },
      body: 'grant_type=client_credentials'
    })

    const entries = await log()
    expect(entries).toEqual([
      { method: 'POST', path: SPACES, query: '', status: 200, op: 'create' },
      { method: 'GET', path: SPACES, query: 'page_size=5', status: 200, op: 'list' },
      { method: 'GET', path: `${SPACES}/${id}`, query: 'include_serialized_space=true', status: 200, op: 'get' },
      { method: 'GET', path: SPACES, query: '', status: 401, op: 'list' },
      { method: 'PUT', path: `${SPACES}/${id}`, query: '', status: 405, op: 'method-not-allowed' },
      { method: 'GET', path: '/api/2.0/nothing', query: '', status: 404, op: 'unknown' },
      { method: 'POST', path: '/oidc/v1/token', query: '', status: 200, op: 'oidc-token' }
    ])
    const text = JSON.stringify(entries)
    for (const secret of [TOKEN, 'the-client-secret', 'secret question', 'authorization', 'wh-123']) expect(text).not.toContain(secret)
  })

  test('DELETE /_emulator/requests clears it', async () => {
    await api().get(SPACES)
    await api().get(SPACES)
    const r = await fetch(`${emu().url}/_emulator/requests`, { method: 'DELETE' })
    expect(await r.json()).toEqual({ cleared: 2 })
    expect(await log()).toEqual([])
    await api().get(SPACES)
    expect(await log()).toHaveLength(1)
  })

  test('the handle exposes the same log', async () => {
    await api().get(SPACES)
    expect(emu().state.requests).toEqual([{ method: 'GET', path: SPACES, query: '', status: 200, op: 'list' }])
  })
})

describe('POST /_emulator/reset', () => {
  test('clears spaces, trash, folders, tokens and the log', async () => {
    const { body } = await createSpace(api())
    await api().del(`${SPACES}/${body.space_id}`)
    await createSpace(api())
    await api().post('/api/2.0/workspace/mkdirs', { path: '/Workspace/Team' })
    expect((await fetch(`${emu().url}/_emulator/reset`, { method: 'POST' })).status).toBe(200)
    expect(await log()).toEqual([])
    const state = (await (await fetch(`${emu().url}/_emulator/state`)).json()) as Record<string, unknown>
    expect(state).toEqual({
      spaces: [],
      trash: [],
      folders: ['/Workspace', '/Workspace/Shared', '/Workspace/Users', '/Workspace/Users/emulator-user@example.com']
    })
    // Ids restart from the seed after a reset.
    const again = await createSpace(api())
    expect(again.body.space_id).toBe(body.space_id)
  })
})

describe('simulated Genie UI edits', () => {
  test('default edit adds a sample question, changes etag and update_time; a stale PATCH then conflicts', async () => {
    const { body: created } = await createSpace(api(), minimalDoc({ config: { sample_questions: [{ id: hexId(1), question: ['first'] }] } }))
    const id = created.space_id as string
    await new Promise((r) => setTimeout(r, 5))
    const edit = await fetch(`${emu().url}/_emulator/spaces/${id}/edit`, { method: 'POST' })
    expect(edit.status).toBe(200)
    const edited = (await edit.json()) as Record<string, string>
    expect(edited['etag']).not.toBe(created.etag)
    expect(edited['update_time']).not.toBe(created.update_time)
    const doc = JSON.parse(edited['serialized_space'] as string) as { config: { sample_questions: { id: string; question: string[] }[] } }
    expect(doc.config.sample_questions).toHaveLength(2)
    expect(doc.config.sample_questions.map((q) => q.question[0])).toContain('What changed in the Genie UI?')
    const ids = doc.config.sample_questions.map((q) => q.id)
    expect([...ids].sort()).toEqual(ids)

    const got = await api().get(`${SPACES}/${id}?include_serialized_space=true`)
    expect(got.body.etag).toBe(edited['etag'])
    expect(got.body.serialized_space).toBe(edited['serialized_space'])

    const stale = await api().patch(`${SPACES}/${id}`, { title: 'from git', etag: created.etag })
    expect(stale.status).toBe(409)
  })

  test('explicit edits: title, a whole document (object or string), a named question', async () => {
    const { body: created } = await createSpace(api())
    const id = created.space_id as string
    const post = async (body: unknown): Promise<{ status: number; body: Record<string, string> }> => {
      const r = await fetch(`${emu().url}/_emulator/spaces/${id}/edit`, { method: 'POST', body: JSON.stringify(body) })
      return { status: r.status, body: (await r.json()) as Record<string, string> }
    }
    const titled = await post({ title: 'Renamed in UI' })
    expect(titled.body['title']).toBe('Renamed in UI')
    expect(titled.body['serialized_space']).toBe(created.serialized_space)

    const replaced = await post({ serialized_space: { version: 1, data_sources: { tables: [{ identifier: 'x.y.z' }] } } })
    expect(JSON.parse(replaced.body['serialized_space'] as string)).toEqual({ version: 2, data_sources: { tables: [{ identifier: 'x.y.z' }] } })

    const named = await post({ add_sample_question: 'Top products?' })
    expect(JSON.parse(named.body['serialized_space'] as string).config.sample_questions[0].question).toEqual(['Top products?'])

    expect((await post({ serialized_space: '{"version": 9}' })).status).toBe(400)
    const missing = await fetch(`${emu().url}/_emulator/spaces/${hexId(5)}/edit`, { method: 'POST' })
    expect(missing.status).toBe(404)
  })
})
