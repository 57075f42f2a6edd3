import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { GenieApiError, GenieClient, PatAuth } from '../../src/client/index.js'
import { SecretRegistry } from '../../src/util/secrets.js'
import { rejection } from './helpers.js'

// The client's Unity Catalog and warehouse reads: names are checked before any request is sent,
// answers are validated, errors keep their status and code for the caller to judge.
let emu: RunningEmulator
let client: GenieClient
beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: 5, warehouses: ['wh1'] })
  const secrets = new SecretRegistry()
  client = new GenieClient({ host: emu.url, auth: new PatAuth('dapi-uc-client-000001', secrets), secrets })
})
afterAll(() => emu.close())

describe('Unity Catalog reads', () => {
  it('refuses a name that is not three unquoted parts, before any request', async () => {
    const before = emu.state.requests.length
    for (const [name, why] of [
      ['shop_dev.sales', 'is not catalog.schema.name (three non-empty parts)'],
      ['shop_dev..orders', 'is not catalog.schema.name (three non-empty parts)'],
      ['a.b.c.d', 'is not catalog.schema.name (three non-empty parts)'],
      ['`shop_dev`.sales.orders', 'holds a backtick (give the name unquoted)'],
      ['shop_dev.sales.or\u0000ders', 'holds a control character or is too long']
    ] as const) {
      expect((await rejection(client.getTable(name))).message).toBe(`table name ${JSON.stringify(name)} ${why}`)
    }
    expect((await rejection(client.getFunction('x/y'))).message).toContain('function name "x/y" is not catalog.schema.name')
    expect(emu.state.requests.length).toBe(before)
  })

  it('reads a table, and keeps 404 TABLE_DOES_NOT_EXIST as status and code', async () => {
    const t = await client.getTable('shop_dev.sales.products')
    expect(t.columns?.map((c) => c.name)).toEqual(['product_id', 'name', 'category', 'list_price'])
    const err = await rejection(client.getTable('shop_dev.sales.nothing'))
    expect(err).toBeInstanceOf(GenieApiError)
    expect([(err as GenieApiError).status, (err as GenieApiError).errorCode]).toEqual([404, 'TABLE_DOES_NOT_EXIST'])
  })

  it('asks effective permissions for one principal, percent-encoded', async () => {
    const before = emu.state.requests.length
    const eff = await client.getEffectivePermissions('table', 'shop_dev.sales.orders', 'data team+ops@example.com')
    expect(eff.privilege_assignments).toEqual([])
    const req = emu.state.requests[before]
    expect(req?.path).toBe('/api/2.1/unity-catalog/effective-permissions/table/shop_dev.sales.orders')
    expect(new URLSearchParams(req?.query).get('principal')).toBe('data team+ops@example.com')
  })

  it('reads a warehouse and its permissions; an unknown one is 404 RESOURCE_DOES_NOT_EXIST', async () => {
    expect(await client.getWarehouse('wh1')).toMatchObject({ id: 'wh1', state: 'RUNNING' })
    expect(
      (await client.getWarehousePermissions('wh1')).access_control_list.some((e) => e.all_permissions.some((p) => p.permission_level === 'IS_OWNER'))
    ).toBe(true)
    const err = (await rejection(client.getWarehouse('wh2'))) as GenieApiError
    expect([err.status, err.errorCode]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST'])
    expect((await rejection(client.getWarehouse('..'))).message).toBe('warehouse id ".." is a relative path segment')
  })
})
