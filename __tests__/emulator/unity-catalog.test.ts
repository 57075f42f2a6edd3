import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { parseEmulatorArgs } from '../../src/emulator/cli.js'

// Unity Catalog and warehouse endpoints the emulator serves for preflight, from its own data.
let emu: RunningEmulator
let named: RunningEmulator
beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: 7 })
  named = await startEmulator({ port: 0, seed: 7, warehouses: ['wh-dev'] })
})
afterAll(async () => {
  await emu.close()
  await named.close()
})
beforeEach(async () => {
  await call(emu, 'POST', '/_emulator/reset')
})

async function call(e: RunningEmulator, method: string, path: string, body?: unknown) {
  const res = await fetch(`${e.url}${path}`, {
    method,
    headers: { authorization: 'Bearer dapi-test', 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {})
  })
  const text = await res.text()
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> }
}

describe('unity catalog tables', () => {
  it('serves a demo table with the columns of its data, in lower case whatever case is asked', async () => {
    const r = await call(emu, 'GET', '/api/2.1/unity-catalog/tables/SHOP_PROD.sales.Orders')
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({
      full_name: 'shop_prod.sales.orders',
      catalog_name: 'shop_prod',
      schema_name: 'sales',
      name: 'orders',
      table_type: 'MANAGED'
    })
    const cols = (r.body.columns as { name: string; type_text: string }[]).map((c) => `${c.name}:${c.type_text}`)
    expect(cols).toEqual(['order_id:INT', 'customer_id:INT', 'product_id:INT', 'order_date:DATE', 'status:STRING', 'net_amount:DECIMAL(12,2)'])
  })

  it('answers 404 TABLE_DOES_NOT_EXIST for a table it does not hold, and for one a test made absent', async () => {
    expect(await call(emu, 'GET', '/api/2.1/unity-catalog/tables/shop_prod.sales.refunds')).toEqual({
      status: 404,
      body: { error_code: 'TABLE_DOES_NOT_EXIST', message: "Table 'shop_prod.sales.refunds' does not exist." }
    })
    await call(emu, 'POST', '/_emulator/unity-catalog', { absent: ['shop_prod.sales.customers'] })
    expect((await call(emu, 'GET', '/api/2.1/unity-catalog/tables/shop_prod.sales.customers')).body.error_code).toBe('TABLE_DOES_NOT_EXIST')
    // the other catalogs keep their copy
    expect((await call(emu, 'GET', '/api/2.1/unity-catalog/tables/shop_dev.sales.customers')).status).toBe(200)
    await call(emu, 'POST', '/_emulator/unity-catalog', { present: ['shop_prod.sales.customers'] })
    expect((await call(emu, 'GET', '/api/2.1/unity-catalog/tables/shop_prod.sales.customers')).status).toBe(200)
  })

  it('knows metric views and functions a test adds; an unknown function is 404 FUNCTION_DOES_NOT_EXIST', async () => {
    expect((await call(emu, 'GET', '/api/2.1/unity-catalog/functions/shop_dev.sales.margin')).body.error_code).toBe('FUNCTION_DOES_NOT_EXIST')
    await call(emu, 'POST', '/_emulator/unity-catalog', {
      objects: [
        { kind: 'function', full_name: 'shop_dev.sales.margin' },
        { kind: 'metric_view', full_name: 'shop_dev.sales.revenue_mv', columns: ['month', 'revenue'] }
      ]
    })
    expect(await call(emu, 'GET', '/api/2.1/unity-catalog/functions/shop_dev.sales.margin')).toMatchObject({
      status: 200,
      body: { full_name: 'shop_dev.sales.margin' }
    })
    const mv = await call(emu, 'GET', '/api/2.1/unity-catalog/tables/shop_dev.sales.revenue_mv')
    expect(mv.body).toMatchObject({ table_type: 'METRIC_VIEW', columns: [{ name: 'month' }, { name: 'revenue' }] })
  })

  it('answers 403 PERMISSION_DENIED to every call when the catalog API is denied', async () => {
    await call(emu, 'POST', '/_emulator/unity-catalog', { access: 'deny' })
    for (const p of [
      '/api/2.1/unity-catalog/tables/shop_dev.sales.orders',
      '/api/2.1/unity-catalog/functions/shop_dev.sales.f',
      '/api/2.1/unity-catalog/effective-permissions/table/shop_dev.sales.orders?principal=x'
    ]) {
      expect((await call(emu, 'GET', p)).body).toEqual({ error_code: 'PERMISSION_DENIED', message: "User does not have USE CATALOG on Catalog 'shop_dev'." })
    }
  })

  it('gives effective permissions: direct and inherited from schema and catalog; none means no key', async () => {
    const path = '/api/2.1/unity-catalog/effective-permissions/table/shop_prod.sales.orders?principal=analysts'
    expect(await call(emu, 'GET', path)).toEqual({ status: 200, body: {} })
    await call(emu, 'POST', '/_emulator/unity-catalog', {
      grants: [
        { securable: 'shop_prod', principal: 'analysts', privileges: ['USE_CATALOG'] },
        { securable: 'shop_prod.sales', principal: 'analysts', privileges: ['USE_SCHEMA', 'SELECT'] },
        { securable: 'shop_prod.sales.orders', principal: 'bob@example.com', privileges: ['SELECT'] }
      ]
    })
    expect((await call(emu, 'GET', path)).body).toEqual({
      privilege_assignments: [
        {
          principal: 'analysts',
          privileges: [
            { privilege: 'USE_SCHEMA', inherited_from_type: 'SCHEMA', inherited_from_name: 'shop_prod.sales' },
            { privilege: 'SELECT', inherited_from_type: 'SCHEMA', inherited_from_name: 'shop_prod.sales' },
            { privilege: 'USE_CATALOG', inherited_from_type: 'CATALOG', inherited_from_name: 'shop_prod' }
          ]
        }
      ]
    })
    expect((await call(emu, 'GET', '/api/2.1/unity-catalog/effective-permissions/table/shop_prod.sales.missing?principal=analysts')).status).toBe(404)
    expect((await call(emu, 'GET', '/api/2.1/unity-catalog/effective-permissions/TABLE/shop_prod.sales.orders')).status).toBe(400)
  })
})

describe('warehouses', () => {
  it('accepts any id when no --warehouse is named', async () => {
    expect(await call(emu, 'GET', '/api/2.0/sql/warehouses/anything')).toMatchObject({ status: 200, body: { id: 'anything', state: 'RUNNING' } })
  })

  it('knows only the named warehouses; another id is 404 RESOURCE_DOES_NOT_EXIST', async () => {
    expect((await call(named, 'GET', '/api/2.0/sql/warehouses/wh-dev')).status).toBe(200)
    expect(await call(named, 'GET', '/api/2.0/sql/warehouses/wh-prod')).toEqual({
      status: 404,
      body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Warehouse wh-prod does not exist.' }
    })
    expect((await call(named, 'GET', '/api/2.0/permissions/warehouses/wh-prod')).status).toBe(404)
    // and SQL runs only on a warehouse the workspace has
    const sql = (warehouse_id: string) => call(named, 'POST', '/api/2.0/sql/statements', { warehouse_id, statement: 'SELECT 1', wait_timeout: '0s' })
    expect((await sql('wh-prod')).body.error_code).toBe('RESOURCE_DOES_NOT_EXIST')
    expect((await sql('wh-dev')).status).toBe(200)
  })

  it('denies a warehouse with 403 and keeps grants made with PATCH', async () => {
    await call(emu, 'POST', '/_emulator/warehouses', { deny: ['wh1'] })
    expect((await call(emu, 'GET', '/api/2.0/sql/warehouses/wh1')).body.error_code).toBe('PERMISSION_DENIED')
    const patched = await call(emu, 'PATCH', '/api/2.0/permissions/warehouses/wh1', {
      access_control_list: [{ group_name: 'analysts', permission_level: 'CAN_USE' }]
    })
    expect(patched.status).toBe(200)
    const acl = (await call(emu, 'GET', '/api/2.0/permissions/warehouses/wh1')).body.access_control_list as Record<string, unknown>[]
    expect(acl).toContainEqual({ group_name: 'analysts', all_permissions: [{ permission_level: 'CAN_USE', inherited: false }] })
    expect(
      (await call(emu, 'PATCH', '/api/2.0/permissions/warehouses/wh1', { access_control_list: [{ group_name: 'x', permission_level: 'CAN_RUN' }] })).status
    ).toBe(400)
  })

  it('parses --warehouse (repeatable)', () => {
    const parsed = parseEmulatorArgs(['--warehouse', 'a1', '--warehouse=b2'])
    expect('options' in parsed && parsed.options.warehouses).toEqual(['a1', 'b2'])
  })
})
