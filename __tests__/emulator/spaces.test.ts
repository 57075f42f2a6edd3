import { canonical, createSpace, fixture, fixtureText, hexId, minimalDoc, SPACES, useEmulator } from './helpers.js'

const { api } = useEmulator()

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/

describe('spaces CRUD', () => {
  test('round trip of the Genie Workbench reference document (v1 + v2 column flags)', async () => {
    // The published document lists column_configs unsorted (region before etl_timestamp), which the
    // server refuses (validation.test.ts); a client sorts them before pushing. Nothing else changes.
    const raw = fixture('genie-workbench_schema_reference.json') as {
      data_sources: { tables: { column_configs: { column_name: string }[] }[] }
    }
    const table = raw.data_sources.tables[0] as { column_configs: { column_name: string }[] }
    table.column_configs.sort((a, b) => (a.column_name < b.column_name ? -1 : 1))
    const sent = JSON.stringify(raw, null, 2)
    const created = await createSpace(api(), sent, { title: 'Orders', description: 'desc', parent_path: '/Workspace/Shared' })
    expect(created.status).toBe(200)
    const space = created.body
    expect(space.space_id).toMatch(/^[0-9a-f]{32}$/)
    expect(space).toMatchObject({ title: 'Orders', description: 'desc', warehouse_id: 'wh-123', parent_path: '/Workspace/Shared' })
    expect(space.etag).toEqual(expect.any(String))
    expect(space.create_time).toMatch(RFC3339)
    expect(space.update_time).toMatch(RFC3339)
    expect(Object.keys(space)).toEqual([
      'space_id',
      'title',
      'description',
      'warehouse_id',
      'parent_path',
      'serialized_space',
      'etag',
      'create_time',
      'update_time'
    ])

    const got = await api().get(`${SPACES}/${space.space_id}?include_serialized_space=true`)
    expect(got.status).toBe(200)
    expect(got.body.etag).toBe(space.etag)
    expect(typeof got.body.serialized_space).toBe('string')
    const stored = JSON.parse(got.body.serialized_space) as Record<string, unknown>

    // Same content once canonicalised; the v1 flags on `region` are folded into the v2 ones.
    const expected = JSON.parse(sent) as {
      data_sources: { tables: { column_configs: Record<string, unknown>[] }[] }
    }
    const region = expected.data_sources.tables[0]?.column_configs[1] as Record<string, unknown>
    expect(region['column_name']).toBe('region')
    expect(region['get_example_values']).toBe(true)
    delete region['get_example_values']
    delete region['build_value_dictionary']
    expect(canonical(stored)).toEqual(canonical(expected))

    // …but not the same text: compact, keys in the server's order rather than the order sent.
    expect(got.body.serialized_space).not.toBe(sent)
    expect(got.body.serialized_space).not.toBe(JSON.stringify(JSON.parse(sent)))
    const filter = (stored as { instructions: { sql_snippets: { filters: Record<string, unknown>[] } } }).instructions.sql_snippets.filters[0] as Record<
      string,
      unknown
    >
    expect(Object.keys(filter)).toEqual(['id', 'sql', 'display_name', 'synonyms', 'instruction', 'comment'])
    expect(Object.keys(JSON.parse(sent).instructions.sql_snippets.filters[0])).toEqual(['id', 'display_name', 'sql', 'synonyms', 'instruction', 'comment'])
    expect(Object.keys(stored)[0]).toBe('version')
  })

  test('get without include_serialized_space omits serialized_space and etag', async () => {
    const { body } = await createSpace(api())
    const got = await api().get(`${SPACES}/${body.space_id}`)
    expect(got.status).toBe(200)
    expect(got.body.serialized_space).toBeUndefined()
    expect(got.body.etag).toBeUndefined()
    expect(got.body.title).toBe('New Space')
    expect(got.body.description).toBeUndefined()
    const explicitFalse = await api().get(`${SPACES}/${body.space_id}?include_serialized_space=false`)
    expect(explicitFalse.body.serialized_space).toBeUndefined()
    const bad = await api().get(`${SPACES}/${body.space_id}?include_serialized_space=maybe`)
    expect(bad.status).toBe(400)
    expect(bad.body.error_code).toBe('INVALID_PARAMETER_VALUE')
  })

  test('default parent_path is the caller home folder, stored without /Workspace', async () => {
    const { body } = await createSpace(api())
    expect(body.parent_path).toBe('/Users/emulator-user@example.com')
  })

  test('version 1 document is upgraded to version 2 on write', async () => {
    const v1 = {
      version: 1,
      config: { sample_questions: [{ id: hexId(1), question: ['How many?'] }] },
      instructions: { text_instructions: [{ id: hexId(2), content: ['Be nice'] }] }
    }
    const created = await createSpace(api(), v1)
    expect(created.status).toBe(200)
    const stored = JSON.parse(created.body.serialized_space)
    expect(stored.version).toBe(2)
    expect(stored.data_sources).toEqual({})
    expect(stored.config).toEqual(v1.config)

    const withFlags = {
      version: 1,
      data_sources: {
        tables: [
          {
            identifier: 'main.sales.orders',
            column_configs: [
              { column_name: 'amount', get_example_values: false },
              { column_name: 'customer_id', get_example_values: true },
              { column_name: 'order_id', get_example_values: true, build_value_dictionary: true }
            ]
          }
        ]
      }
    }
    const second = await createSpace(api(), withFlags)
    expect(second.status).toBe(200)
    expect(JSON.parse(second.body.serialized_space)).toEqual({
      version: 2,
      data_sources: {
        tables: [
          {
            identifier: 'main.sales.orders',
            column_configs: [
              { column_name: 'amount', enable_format_assistance: false },
              { column_name: 'customer_id', enable_format_assistance: true },
              { column_name: 'order_id', enable_format_assistance: true, enable_entity_matching: true }
            ]
          }
        ]
      }
    })
  })

  test('update: fields change, serialized_space replaces the whole document, etag changes every write', async () => {
    const { body: created } = await createSpace(api(), fixtureText('bundle-examples_nyc_taxi.json'))
    const id = created.space_id as string
    const e0 = created.etag as string

    const t1 = await api().patch(`${SPACES}/${id}`, { title: 'Taxi', etag: e0 })
    expect(t1.status).toBe(200)
    expect(t1.body.title).toBe('Taxi')
    expect(t1.body.warehouse_id).toBe('wh-123')
    expect(t1.body.serialized_space).toBe(created.serialized_space)
    const e1 = t1.body.etag as string
    expect(e1).not.toBe(e0)

    const noop = await api().patch(`${SPACES}/${id}`, {})
    expect(noop.status).toBe(200)
    expect(noop.body.etag).not.toBe(e1)

    const replaced = await api().patch(`${SPACES}/${id}`, { serialized_space: JSON.stringify(minimalDoc()) })
    expect(replaced.status).toBe(200)
    expect(JSON.parse(replaced.body.serialized_space)).toEqual(minimalDoc())
    expect(replaced.body.title).toBe('Taxi')

    // A stale etag is refused and changes nothing.
    const stale = await api().patch(`${SPACES}/${id}`, { title: 'Lost update', etag: e1 })
    expect(stale.status).toBe(409)
    expect(stale.body.error_code).toBe('RESOURCE_CONFLICT')
    expect(typeof stale.body.message).toBe('string')
    const after = await api().get(`${SPACES}/${id}?include_serialized_space=true`)
    expect(after.body.title).toBe('Taxi')
    expect(after.body.etag).toBe(replaced.body.etag)

    // The current etag works.
    const fresh = await api().patch(`${SPACES}/${id}`, { description: 'NYC', etag: after.body.etag })
    expect(fresh.status).toBe(200)
    expect(fresh.body.description).toBe('NYC')
  })

  test('an invalid update changes nothing', async () => {
    const { body: created } = await createSpace(api())
    const bad = await api().patch(`${SPACES}/${created.space_id}`, { title: 'X', serialized_space: '{"version": 3}' })
    expect(bad.status).toBe(400)
    const after = await api().get(`${SPACES}/${created.space_id}?include_serialized_space=true`)
    expect(after.body.title).toBe('New Space')
    expect(after.body.etag).toBe(created.etag)
  })

  test('create requires warehouse_id and serialized_space (a string)', async () => {
    const noWh = await api().post(SPACES, { serialized_space: JSON.stringify(minimalDoc()) })
    expect(noWh.status).toBe(400)
    expect(noWh.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'Missing required field: warehouse_id' })
    const noDoc = await api().post(SPACES, { warehouse_id: 'w' })
    expect(noDoc.status).toBe(400)
    expect(noDoc.body.message).toBe('Missing required field: serialized_space')
    const objectDoc = await api().post(SPACES, { warehouse_id: 'w', serialized_space: minimalDoc() })
    expect(objectDoc.status).toBe(400)
    expect(objectDoc.body.error_code).toBe('INVALID_PARAMETER_VALUE')
    const notJson = await api().request('POST', SPACES, '{oops', { 'content-type': 'application/json' })
    expect(notJson.status).toBe(400)
    expect(notJson.body.error_code).toBe('MALFORMED_REQUEST')
  })

  test('trash: delete moves the space out of the API', async () => {
    const { body: created } = await createSpace(api())
    const id = created.space_id as string
    const del = await api().del(`${SPACES}/${id}`)
    expect(del.status).toBe(200)
    expect(del.body).toEqual({})
    for (const r of [
      await api().get(`${SPACES}/${id}`),
      await api().patch(`${SPACES}/${id}`, { title: 'x' }),
      await api().del(`${SPACES}/${id}`),
      await api().get(`/api/2.0/permissions/genie/${id}`)
    ]) {
      expect(r.status).toBe(404)
      expect(r.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST')
    }
    const list = await api().get(SPACES)
    expect(list.body.spaces).toBeUndefined()
    const state = await api().get('/_emulator/state')
    expect(state.body.trash.map((s: { space_id: string }) => s.space_id)).toEqual([id])
  })

  test('unknown space id answers 404 RESOURCE_DOES_NOT_EXIST', async () => {
    const r = await api().get(`${SPACES}/${hexId(99)}`)
    expect(r.status).toBe(404)
    expect(r.body).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: expect.stringContaining(hexId(99)) })
  })

  test('there is no PUT on a space (405), unknown routes are 404 ENDPOINT_NOT_FOUND', async () => {
    const { body: created } = await createSpace(api())
    const put = await api().put(`${SPACES}/${created.space_id}`, {})
    expect(put.status).toBe(405)
    expect(put.headers.get('allow')).toBe('DELETE, GET, PATCH')
    expect(put.body.error_code).toEqual(expect.any(String))
    const unknown = await api().get('/api/2.0/genie/nothing-here')
    expect(unknown.status).toBe(404)
    expect(unknown.body.error_code).toBe('ENDPOINT_NOT_FOUND')
    const outside = await api().get('/favicon.ico')
    expect(outside.status).toBe(404)
    expect(outside.body.error_code).toBe('ENDPOINT_NOT_FOUND')
  })

  test('a trailing slash is accepted', async () => {
    const r = await api().get(`${SPACES}/`)
    expect(r.status).toBe(200)
  })
})

describe('list pagination', () => {
  test('250 spaces in pages of at most 100, no duplicates, no serialized_space', async () => {
    const ids: string[] = []
    for (let i = 0; i < 250; i++) {
      const r = await createSpace(api(), minimalDoc(), { title: `space ${i}` })
      expect(r.status).toBe(200)
      ids.push(r.body.space_id)
    }
    const seen: string[] = []
    let token: string | undefined
    let pages = 0
    do {
      const r = await api().get(`${SPACES}?page_size=100${token ? `&page_token=${encodeURIComponent(token)}` : ''}`)
      expect(r.status).toBe(200)
      pages++
      for (const s of r.body.spaces) {
        expect(s.serialized_space).toBeUndefined()
        expect(s.etag).toBeUndefined()
        expect(s.space_id).toMatch(/^[0-9a-f]{32}$/)
        seen.push(s.space_id)
      }
      expect(r.body.spaces.length).toBe(pages < 3 ? 100 : 50)
      token = r.body.next_page_token
    } while (token)
    expect(pages).toBe(3)
    expect(seen).toEqual(ids)

    const dflt = await api().get(SPACES)
    expect(dflt.body.spaces).toHaveLength(20)
    expect(dflt.body.next_page_token).toEqual(expect.any(String))

    const tooBig = await api().get(`${SPACES}?page_size=101`)
    expect(tooBig.status).toBe(400)
    expect(tooBig.body.error_code).toBe('INVALID_PARAMETER_VALUE')
    const badToken = await api().get(`${SPACES}?page_token=garbage`)
    expect(badToken.status).toBe(400)
    expect(badToken.body.error_code).toBe('INVALID_PARAMETER_VALUE')
  })

  test('a space deleted between pages does not shift the next page', async () => {
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push((await createSpace(api())).body.space_id)
    const p1 = await api().get(`${SPACES}?page_size=2`)
    expect(p1.body.spaces.map((s: { space_id: string }) => s.space_id)).toEqual(ids.slice(0, 2))
    await api().del(`${SPACES}/${ids[0]}`)
    const p2 = await api().get(`${SPACES}?page_size=2&page_token=${p1.body.next_page_token}`)
    expect(p2.body.spaces.map((s: { space_id: string }) => s.space_id)).toEqual(ids.slice(2, 4))
  })
})

describe('parent_path folders', () => {
  test('missing folder → 404 Tree node …; mkdirs creates it (and parents); then create works', async () => {
    const doc = JSON.stringify(minimalDoc())
    const body = { warehouse_id: 'w', serialized_space: doc, parent_path: '/Workspace/Shared/team/genie' }
    const missing = await api().post(SPACES, body)
    expect(missing.status).toBe(404)
    expect(missing.body).toEqual({
      error_code: 'RESOURCE_DOES_NOT_EXIST',
      message: "Tree node with path '/Workspace/Shared/team/genie' does not exist"
    })
    expect((await api().get(SPACES)).body.spaces).toBeUndefined()

    const mk = await api().post('/api/2.0/workspace/mkdirs', { path: '/Workspace/Shared/team/genie' })
    expect(mk.status).toBe(200)
    expect((await api().get('/api/2.0/workspace/get-status?path=/Workspace/Shared/team')).status).toBe(200)
    const ok = await api().post(SPACES, body)
    expect(ok.status).toBe(200)
    expect(ok.body.parent_path).toBe('/Workspace/Shared/team/genie')
  })

  test('parent_path without the /Workspace prefix names the same folder and is returned as given', async () => {
    const r = await createSpace(api(), minimalDoc(), { parent_path: '/Shared' })
    expect(r.status).toBe(200)
    expect(r.body.parent_path).toBe('/Shared')
    await api().post('/api/2.0/workspace/mkdirs', { path: '/Users/someone@example.com/genie' })
    const r2 = await createSpace(api(), minimalDoc(), { parent_path: '/Workspace/Users/someone@example.com/genie' })
    expect(r2.status).toBe(200)
  })

  test('PATCH parent_path moves the space; a missing target folder is refused', async () => {
    const { body: created } = await createSpace(api(), minimalDoc(), { parent_path: '/Workspace/Shared' })
    const bad = await api().patch(`${SPACES}/${created.space_id}`, { parent_path: '/Workspace/Nope' })
    expect(bad.status).toBe(404)
    expect(bad.body.message).toBe("Tree node with path '/Workspace/Nope' does not exist")
    await api().post('/api/2.0/workspace/mkdirs', { path: '/Workspace/Moved' })
    const moved = await api().patch(`${SPACES}/${created.space_id}`, { parent_path: '/Workspace/Moved' })
    expect(moved.status).toBe(200)
    expect(moved.body.parent_path).toBe('/Workspace/Moved')
    expect(moved.body.etag).not.toBe(created.etag)
  })
})

describe('permissions', () => {
  test('GET shows the creator and inherited admins; PATCH adds; PUT replaces; bad level is 400', async () => {
    const { body: created } = await createSpace(api())
    const path = `/api/2.0/permissions/genie/${created.space_id}`
    const initial = await api().get(path)
    expect(initial.status).toBe(200)
    expect(initial.body).toEqual({
      object_id: `/genie/${created.space_id}`,
      object_type: 'genie',
      access_control_list: [
        { user_name: 'emulator-user@example.com', all_permissions: [{ permission_level: 'CAN_MANAGE', inherited: false }] },
        { group_name: 'admins', all_permissions: [{ permission_level: 'CAN_MANAGE', inherited: true, inherited_from_object: ['/directories/'] }] }
      ]
    })
    const patched = await api().patch(path, { access_control_list: [{ group_name: 'analysts', permission_level: 'CAN_RUN' }] })
    expect(patched.status).toBe(200)
    expect(patched.body.access_control_list).toHaveLength(3)
    expect(patched.body.access_control_list[1]).toEqual({
      group_name: 'analysts',
      all_permissions: [{ permission_level: 'CAN_RUN', inherited: false }]
    })
    const put = await api().put(path, { access_control_list: [{ service_principal_name: 'sp-1', permission_level: 'CAN_EDIT' }] })
    expect(put.status).toBe(200)
    expect(put.body.access_control_list.map((e: Record<string, unknown>) => e['service_principal_name'] ?? e['group_name'])).toEqual(['sp-1', 'admins'])
    const bad = await api().patch(path, { access_control_list: [{ user_name: 'x', permission_level: 'CAN_OWN' }] })
    expect(bad.status).toBe(400)
    expect(bad.body.error_code).toBe('INVALID_PARAMETER_VALUE')
    const two = await api().patch(path, { access_control_list: [{ user_name: 'x', group_name: 'y', permission_level: 'CAN_VIEW' }] })
    expect(two.status).toBe(400)
  })
})
