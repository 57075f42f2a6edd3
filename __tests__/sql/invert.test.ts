import { invertMapping, remapIdentifier, remapIdentifiers, remapText, type IdentifierMapping } from '../../src/sql/index.js'

const mapping: IdentifierMapping = {
  catalogs: { shop_dev: 'shop_prod' },
  schemas: { 'shop_dev.crm': 'crm_prod.core' },
  tables: { 'shop_dev.sales.legacy_orders': 'shop_prod.sales.orders_v2' }
}

function inverse(m: IdentifierMapping): IdentifierMapping {
  const r = invertMapping(m)
  if ('conflict' in r) throw new Error('conflict')
  return r.mapping
}

describe('invertMapping', () => {
  it('maps every name the forward mapping writes back to the source name, by identifier', () => {
    const back = inverse(mapping)
    for (const name of ['shop_dev.sales.orders', 'shop_dev.crm.customers', 'shop_dev.sales.legacy_orders', 'other.sales.orders']) {
      expect(remapIdentifier(remapIdentifier(name, mapping), back)).toBe(name)
    }
    const sql = "SELECT o.id FROM shop_dev.sales.orders o JOIN shop_dev.crm.customers c ON o.cid = c.id WHERE note = 'shop_dev.sales.orders'"
    expect(remapIdentifiers(remapIdentifiers(sql, mapping).sql, back).sql).toBe(sql)
    const prose = 'Revenue lives in shop_dev.sales.legacy_orders; see shop_dev.crm.customers.'
    expect(remapText(remapText(prose, mapping).text, back).text).toBe(prose)
    // a name of the target environment that no mapping wrote stays as it is
    expect(remapIdentifier('shop_prod_archive.sales.orders', back)).toBe('shop_prod_archive.sales.orders')
  })

  it('refuses two names mapped to one, naming both (case and backticks do not make them different)', () => {
    expect(invertMapping({ catalogs: { shop_dev: 'shop_prod', shop_test: '`SHOP_PROD`' } })).toEqual({
      conflict: { section: 'catalogs', first: 'shop_dev', second: 'shop_test', to: '`SHOP_PROD`' }
    })
    expect(invertMapping({ tables: { 'a.b.c': 'x.y.z', 'a.b.d': 'x.y.z' } })).toEqual({
      conflict: { section: 'tables', first: 'a.b.c', second: 'a.b.d', to: 'x.y.z' }
    })
  })
})
