import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { type GenieApiError, GenieClient, PatAuth, type GenieSpace } from '../../src/client/index.js'
import { HOST, SPACE_ID, harness, rejection, viaGlobalFetch } from './helpers.js'

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

interface Seen {
  method: string
  path: string
  search: URLSearchParams
  body: unknown
  authorization: string | null
}
const seen: Seen[] = []
beforeEach(() => {
  seen.length = 0
})
server.events.on('request:start', async ({ request }) => {
  const url = new URL(request.url)
  const raw = request.method === 'GET' || request.method === 'DELETE' ? '' : await request.clone().text()
  seen.push({
    method: request.method,
    path: url.pathname,
    search: url.searchParams,
    body: raw === '' ? undefined : (JSON.parse(raw) as unknown),
    authorization: request.headers.get('authorization')
  })
})

function newClient() {
  const h = harness()
  return { ...h, client: new GenieClient({ host: `${HOST}/`, auth: new PatAuth('dapi-genie-test-0001', h.secrets), ...h.transportOptions(viaGlobalFetch) }) }
}

const DOC = JSON.stringify({ version: 2, data_sources: { tables: [{ identifier: 'main.sales.orders' }] } })
const space = (i: number): GenieSpace => ({ space_id: i.toString(16).padStart(32, '0'), title: `Space ${i}`, warehouse_id: 'w1' })

describe('listing', () => {
  test('walks every page (250 spaces over 3 pages) asking for at most 100 per page', async () => {
    const all = Array.from({ length: 250 }, (_, i) => space(i))
    server.use(
      http.get(`${HOST}/api/2.0/genie/spaces`, ({ request }) => {
        const url = new URL(request.url)
        const size = Number(url.searchParams.get('page_size'))
        const offset = Number(url.searchParams.get('page_token') ?? '0')
        const page = all.slice(offset, offset + Math.min(size, 100))
        const next = offset + page.length < all.length ? String(offset + page.length) : undefined
        return HttpResponse.json({ spaces: page, ...(next ? { next_page_token: next } : {}) })
      })
    )
    const { client } = newClient()
    const got = await client.listAllSpaces()
    expect(got.map((s) => s.space_id)).toEqual(all.map((s) => s.space_id))
    expect(seen).toHaveLength(3)
    for (const r of seen) {
      expect(Number(r.search.get('page_size'))).toBeGreaterThan(0)
      expect(Number(r.search.get('page_size'))).toBeLessThanOrEqual(100)
    }
    expect(seen.map((r) => r.search.get('page_token'))).toEqual([null, '100', '200'])
    expect(seen[0]?.authorization).toBe('Bearer dapi-genie-test-0001')
  })

  test('a requested page size above 100 is clamped to 100', async () => {
    server.use(http.get(`${HOST}/api/2.0/genie/spaces`, () => HttpResponse.json({ spaces: [] })))
    const { client } = newClient()
    await client.listAllSpaces({ pageSize: 500 })
    expect(seen[0]?.search.get('page_size')).toBe('100')
  })

  test('an empty workspace (no `spaces` key) lists nothing', async () => {
    server.use(http.get(`${HOST}/api/2.0/genie/spaces`, () => HttpResponse.json({})))
    const { client } = newClient()
    await expect(client.listAllSpaces()).resolves.toEqual([])
  })

  test('a server repeating a page token does not loop for ever', async () => {
    server.use(http.get(`${HOST}/api/2.0/genie/spaces`, () => HttpResponse.json({ spaces: [space(1)], next_page_token: 'same' })))
    const { client } = newClient()
    const err = await rejection(client.listAllSpaces())
    expect(err.message).toMatch(/^list spaces failed: the API repeated a page token/)
    expect(seen.length).toBe(2)
  })

  test('listSpaces is lazy: stopping early does not fetch further pages', async () => {
    server.use(http.get(`${HOST}/api/2.0/genie/spaces`, () => HttpResponse.json({ spaces: [space(1), space(2)], next_page_token: 'p2' })))
    const { client } = newClient()
    for await (const s of client.listSpaces()) {
      expect(s.space_id).toBe(space(1).space_id)
      break
    }
    expect(seen).toHaveLength(1)
  })
})

describe('space calls hit the right method, path and body', () => {
  test('getSpace asks for the serialized space and returns it as a string', async () => {
    server.use(
      http.get(`${HOST}/api/2.0/genie/spaces/${SPACE_ID}`, () =>
        HttpResponse.json({ space_id: SPACE_ID, title: 'Sales', serialized_space: DOC, etag: 'e1', parent_path: '/Users/a' })
      )
    )
    const { client } = newClient()
    const s = await client.getSpace(SPACE_ID)
    expect(seen[0]?.method).toBe('GET')
    expect(seen[0]?.search.get('include_serialized_space')).toBe('true')
    expect(s.serialized_space).toBe(DOC)
    expect(s.etag).toBe('e1')
  })

  test('getSpace without the serialized space omits the parameter', async () => {
    server.use(http.get(`${HOST}/api/2.0/genie/spaces/${SPACE_ID}`, () => HttpResponse.json({ space_id: SPACE_ID, title: 'Sales' })))
    const { client } = newClient()
    await client.getSpace(SPACE_ID, { includeSerializedSpace: false })
    expect(seen[0]?.search.has('include_serialized_space')).toBe(false)
  })

  test('createSpace POSTs the fields, serialized_space as a string, nothing undefined', async () => {
    server.use(http.post(`${HOST}/api/2.0/genie/spaces`, () => HttpResponse.json({ space_id: SPACE_ID, title: 'Sales' })))
    const { client } = newClient()
    const s = await client.createSpace({ warehouse_id: 'w1', serialized_space: DOC, title: 'Sales', description: undefined })
    expect(s.space_id).toBe(SPACE_ID)
    expect(seen).toHaveLength(1)
    expect(seen[0]?.method).toBe('POST')
    expect(seen[0]?.path).toBe('/api/2.0/genie/spaces')
    expect(seen[0]?.body).toEqual({ warehouse_id: 'w1', serialized_space: DOC, title: 'Sales' })
    expect(typeof (seen[0]!.body as { serialized_space: unknown }).serialized_space).toBe('string')
  })

  test('updateSpace PATCHes only the given fields (etag included when given)', async () => {
    server.use(http.patch(`${HOST}/api/2.0/genie/spaces/${SPACE_ID}`, () => HttpResponse.json({ space_id: SPACE_ID, title: 'New', etag: 'e2' })))
    const { client } = newClient()
    const s = await client.updateSpace(SPACE_ID, { serialized_space: DOC, title: 'New', etag: 'e1' })
    expect(s.etag).toBe('e2')
    expect(seen[0]?.method).toBe('PATCH')
    expect(seen[0]?.path).toBe(`/api/2.0/genie/spaces/${SPACE_ID}`)
    expect(seen[0]?.body).toEqual({ serialized_space: DOC, title: 'New', etag: 'e1' })
  })

  test('a stale etag (409) is reported, not retried', async () => {
    server.use(
      http.patch(`${HOST}/api/2.0/genie/spaces/${SPACE_ID}`, () =>
        HttpResponse.json({ error_code: 'RESOURCE_CONFLICT', message: 'etag mismatch' }, { status: 409 })
      )
    )
    const { client } = newClient()
    const err = (await rejection(client.updateSpace(SPACE_ID, { title: 'x', etag: 'old' }))) as GenieApiError
    expect(err.message).toBe(`update space ${SPACE_ID} failed: HTTP 409 RESOURCE_CONFLICT: etag mismatch`)
    expect(seen).toHaveLength(1)
  })

  test('trashSpace DELETEs the space', async () => {
    server.use(http.delete(`${HOST}/api/2.0/genie/spaces/${SPACE_ID}`, () => new HttpResponse(null, { status: 200 })))
    const { client } = newClient()
    await client.trashSpace(SPACE_ID)
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE /api/2.0/genie/spaces/${SPACE_ID}`])
  })

  test('a space id that is not 32 hex characters never reaches the network, whichever call carries it', async () => {
    const { client } = newClient()
    for (const id of ['..', '.', '../../x', `${SPACE_ID}/..`, `${SPACE_ID}?x=1`, '', `${SPACE_ID}0`]) {
      for (const call of [
        () => client.getSpace(id),
        () => client.updateSpace(id, { title: 'x' }),
        () => client.trashSpace(id),
        () => client.getPermissions(id),
        () => client.startConversation(id, 'q'),
        () => client.listEvalRuns(id)
      ]) {
        const err = await rejection(call())
        expect(err.message).toBe(`space id: ${JSON.stringify(id)} is not a Genie space id (32 hexadecimal characters)`)
      }
    }
    expect(seen).toHaveLength(0)
  })

  test('other ids are percent-encoded into one path segment; "." and ".." (which URLs resolve) are refused', async () => {
    server.use(
      http.get(`${HOST}/api/2.0/genie/spaces/:id/conversations/:c/messages/:m`, () =>
        HttpResponse.json({ message_id: 'm', conversation_id: 'c', space_id: SPACE_ID, content: 'q', status: 'COMPLETED' })
      )
    )
    const { client } = newClient()
    await client.getMessage(SPACE_ID, 'a/b?c#d', 'm 1').catch(() => undefined)
    expect(seen[0]?.path).toBe(`/api/2.0/genie/spaces/${SPACE_ID}/conversations/a%2Fb%3Fc%23d/messages/m%201`)
    for (const bad of ['..', '.', '', 'a\u0000b']) {
      const err = await rejection(client.getMessage(SPACE_ID, bad, 'm'))
      expect(err.message).toMatch(/^conversation id ".*" (is empty|is a relative path segment|holds a control character)$/)
    }
    await expect(client.getStatement('..')).rejects.toThrow('statement id ".." is a relative path segment')
    expect(seen).toHaveLength(1)
  })

  test('a space id in upper case is still hex and is accepted (the docs say "32 hex")', async () => {
    server.use(http.get(`${HOST}/api/2.0/genie/spaces/:id`, () => HttpResponse.json({ space_id: SPACE_ID, title: '' })))
    const { client } = newClient()
    await client.getSpace(SPACE_ID.toUpperCase())
    expect(seen[0]?.path).toBe(`/api/2.0/genie/spaces/${SPACE_ID.toUpperCase()}`)
  })

  test('mkdirs POSTs the path', async () => {
    server.use(http.post(`${HOST}/api/2.0/workspace/mkdirs`, () => HttpResponse.json({})))
    const { client } = newClient()
    await client.mkdirs('/Workspace/Shared/genie')
    expect(seen[0]?.body).toEqual({ path: '/Workspace/Shared/genie' })
  })
})

describe('missing parent folder: mkdirs, then retry once', () => {
  const variants: [string, number, object][] = [
    ['404 RESOURCE_DOES_NOT_EXIST', 404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: "Path (/Workspace/Shared/genie/sales) doesn't exist." }],
    [
      '400 INVALID_PARAMETER_VALUE Tree node',
      400,
      { error_code: 'INVALID_PARAMETER_VALUE', message: "NOT_FOUND: Tree node with path '/Workspace/Shared/genie/sales' does not exist" }
    ]
  ]

  test.each(variants)('create: %s', async (_name, status, body) => {
    let creates = 0
    server.use(
      http.post(`${HOST}/api/2.0/genie/spaces`, () => {
        creates++
        return creates === 1 ? HttpResponse.json(body, { status }) : HttpResponse.json({ space_id: SPACE_ID, title: 'Sales' })
      }),
      http.post(`${HOST}/api/2.0/workspace/mkdirs`, () => HttpResponse.json({}))
    )
    const { client, logger } = newClient()
    const s = await client.createSpace({ warehouse_id: 'w1', serialized_space: DOC, parent_path: '/Workspace/Shared/genie/sales' })
    expect(s.space_id).toBe(SPACE_ID)
    // said as a step done, not as a failure
    expect(logger.lines.filter((l) => l.level !== 'debug').map((l) => `${l.level} ${l.message}`)).toEqual([
      'info made the folder /Workspace/Shared/genie/sales for the space'
    ])
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/2.0/genie/spaces', 'POST /api/2.0/workspace/mkdirs', 'POST /api/2.0/genie/spaces'])
    expect(seen[1]?.body).toEqual({ path: '/Workspace/Shared/genie/sales' })
  })

  test.each(variants)('update (move): %s', async (_name, status, body) => {
    let patches = 0
    server.use(
      http.patch(`${HOST}/api/2.0/genie/spaces/${SPACE_ID}`, () => {
        patches++
        return patches === 1 ? HttpResponse.json(body, { status }) : HttpResponse.json({ space_id: SPACE_ID, title: 'Sales' })
      }),
      http.post(`${HOST}/api/2.0/workspace/mkdirs`, () => HttpResponse.json({}))
    )
    const { client } = newClient()
    await client.updateSpace(SPACE_ID, { parent_path: '/Workspace/Shared/genie/sales' })
    expect(seen.map((r) => r.method)).toEqual(['PATCH', 'POST', 'PATCH'])
  })

  test('retries only once: a second failure is reported', async () => {
    const body = { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'still missing' }
    server.use(
      http.post(`${HOST}/api/2.0/genie/spaces`, () => HttpResponse.json(body, { status: 404 })),
      http.post(`${HOST}/api/2.0/workspace/mkdirs`, () => HttpResponse.json({}))
    )
    const { client } = newClient()
    const err = await rejection(client.createSpace({ warehouse_id: 'w1', serialized_space: DOC, parent_path: '/Shared/x' }))
    expect(err.message).toBe('create space failed: HTTP 404 RESOURCE_DOES_NOT_EXIST: still missing')
    expect(seen.map((r) => r.path)).toEqual(['/api/2.0/genie/spaces', '/api/2.0/workspace/mkdirs', '/api/2.0/genie/spaces'])
  })

  test('no parent_path, or an unrelated 400: no mkdirs', async () => {
    server.use(
      http.post(`${HOST}/api/2.0/genie/spaces`, () =>
        HttpResponse.json({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid export proto: bad id' }, { status: 400 })
      )
    )
    const { client } = newClient()
    await rejection(client.createSpace({ warehouse_id: 'w1', serialized_space: DOC, parent_path: '/Shared/x' }))
    await rejection(client.createSpace({ warehouse_id: 'w1', serialized_space: DOC }))
    expect(seen.map((r) => r.path)).toEqual(['/api/2.0/genie/spaces', '/api/2.0/genie/spaces'])
  })

  test('a mkdirs failure is reported as "create folder"', async () => {
    server.use(
      http.post(`${HOST}/api/2.0/genie/spaces`, () => HttpResponse.json({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'no' }, { status: 404 })),
      http.post(`${HOST}/api/2.0/workspace/mkdirs`, () => HttpResponse.json({ error_code: 'PERMISSION_DENIED', message: 'no write access' }, { status: 403 }))
    )
    const { client } = newClient()
    const err = await rejection(client.createSpace({ warehouse_id: 'w1', serialized_space: DOC, parent_path: '/Shared/x' }))
    expect(err.message).toBe('create folder /Shared/x failed: HTTP 403 PERMISSION_DENIED: no write access')
  })
})

describe('permissions', () => {
  const acl = {
    object_id: `genie/${SPACE_ID}`,
    object_type: 'genie',
    access_control_list: [
      { user_name: 'a@example.com', all_permissions: [{ permission_level: 'CAN_MANAGE', inherited: false }] },
      { group_name: 'analysts', all_permissions: [{ permission_level: 'CAN_RUN', inherited: true, inherited_from_object: ['directories/1'] }] }
    ]
  }

  test('getPermissions GETs /api/2.0/permissions/genie/{id}', async () => {
    server.use(http.get(`${HOST}/api/2.0/permissions/genie/${SPACE_ID}`, () => HttpResponse.json(acl)))
    const { client } = newClient()
    const p = await client.getPermissions(SPACE_ID)
    expect(p.access_control_list[1]?.group_name).toBe('analysts')
    expect(p.access_control_list[1]?.all_permissions[0]?.permission_level).toBe('CAN_RUN')
  })

  test('setPermissions PATCHes the access_control_list; replace uses PUT', async () => {
    server.use(
      http.patch(`${HOST}/api/2.0/permissions/genie/${SPACE_ID}`, () => HttpResponse.json(acl)),
      http.put(`${HOST}/api/2.0/permissions/genie/${SPACE_ID}`, () => HttpResponse.json(acl))
    )
    const { client } = newClient()
    const entries = [
      { group_name: 'analysts', permission_level: 'CAN_RUN' as const },
      { service_principal_name: '9f3c-app-id', permission_level: 'CAN_MANAGE' as const }
    ]
    await client.setPermissions(SPACE_ID, entries)
    await client.setPermissions(SPACE_ID, entries, { replace: true })
    expect(seen.map((r) => r.method)).toEqual(['PATCH', 'PUT'])
    expect(seen[0]?.body).toEqual({ access_control_list: entries })
  })

  test('permissionLevels GETs …/permissionLevels', async () => {
    server.use(
      http.get(`${HOST}/api/2.0/permissions/genie/${SPACE_ID}/permissionLevels`, () =>
        HttpResponse.json({ permission_levels: [{ permission_level: 'CAN_RUN', description: 'Can run' }] })
      )
    )
    const { client } = newClient()
    expect((await client.permissionLevels(SPACE_ID)).permission_levels).toEqual([{ permission_level: 'CAN_RUN', description: 'Can run' }])
  })
})

describe('currentUser', () => {
  test('GETs /api/2.0/preview/scim/v2/Me once per client; a service principal by application id', async () => {
    server.use(
      http.get(`${HOST}/api/2.0/preview/scim/v2/Me`, () =>
        HttpResponse.json({ id: '123', userName: '6f1c2a4e-0000-4000-8000-00000000abcd', active: true, emails: [] })
      )
    )
    const { client } = newClient()
    expect((await client.currentUser()).userName).toBe('6f1c2a4e-0000-4000-8000-00000000abcd')
    await client.currentUser()
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/2.0/preview/scim/v2/Me'])
  })

  test('an answer without userName is refused (zod), and not kept: the next call asks again', async () => {
    let answer: Record<string, unknown> = { id: '1' }
    server.use(http.get(`${HOST}/api/2.0/preview/scim/v2/Me`, () => HttpResponse.json(answer)))
    const { client } = newClient()
    await expect(client.currentUser()).rejects.toThrow(/get current user/)
    answer = { userName: 'me@example.com' }
    expect((await client.currentUser()).userName).toBe('me@example.com')
    expect(seen).toHaveLength(2)
  })
})

describe('extension point', () => {
  test('a subclass can add a call (e.g. start-conversation) through call() without touching the transport', async () => {
    const { GenieStartConversationResponseSchema } = await import('../../src/client/index.js')
    class ConversationClient extends GenieClient {
      askOnce(spaceId: string, content: string) {
        return this.call(
          { operation: 'start conversation', spaceId, method: 'POST', path: `/api/2.0/genie/spaces/${spaceId}/start-conversation`, body: { content } },
          GenieStartConversationResponseSchema
        )
      }
    }
    server.use(
      http.post(`${HOST}/api/2.0/genie/spaces/${SPACE_ID}/start-conversation`, () =>
        HttpResponse.json({ conversation_id: 'c1', message_id: 'm1', message: { conversation_id: 'c1', message_id: 'm1', status: 'SUBMITTED' } })
      )
    )
    const h = harness()
    const c = new ConversationClient({ host: HOST, auth: new PatAuth('dapi-genie-test-0001', h.secrets), ...h.transportOptions(viaGlobalFetch) })
    const r = await c.askOnce(SPACE_ID, 'How many orders?')
    expect(r).toMatchObject({ conversation_id: 'c1', message_id: 'm1' })
    expect(seen[0]?.body).toEqual({ content: 'How many orders?' })
  })
})
