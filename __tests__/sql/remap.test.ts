import { extractTables, remapIdentifier, remapIdentifiers, remapText, tableNames, tokenize, type IdentifierMapping, type Token } from '../../src/sql/index.js'
import { CORPUS } from './corpus.js'

const CAT: IdentifierMapping = { catalogs: { shop_dev: 'shop' } }

describe('remapIdentifiers', () => {
  it('rewrites the catalog of every 3-part reference: FROM, JOIN, CTE bodies, subqueries, INSERT targets, functions', () => {
    const sql = `INSERT INTO shop_dev.reporting.daily
WITH o AS (SELECT * FROM shop_dev.sales.orders WHERE id IN (SELECT order_id FROM shop_dev.sales.returns))
SELECT shop_dev.sales.fiscal_quarter(o.order_date) AS q, SUM(o.amount)
FROM o JOIN shop_dev.sales.customers c ON o.customer_id = c.id
GROUP BY 1`
    const r = remapIdentifiers(sql, CAT)
    expect(r.replacements).toBe(5)
    expect(r.sql).toBe(sql.replace(/shop_dev\./g, 'shop.'))
  })

  it('rewrites a join condition on backticked three-part column references and keeps every backtick', () => {
    const sql =
      'SELECT `shop_dev`.`sales`.`orders`.id FROM `shop_dev`.`sales`.`orders` JOIN shop_dev.sales.customers c ON `shop_dev`.`sales`.`orders`.`customer_id` = c.id'
    const r = remapIdentifiers(sql, CAT)
    expect(r.sql).toBe(
      'SELECT `shop`.`sales`.`orders`.id FROM `shop`.`sales`.`orders` JOIN shop.sales.customers c ON `shop`.`sales`.`orders`.`customer_id` = c.id'
    )
    expect(r.replacements).toBe(4)
  })

  it('rewrites a qualified star and a function in a lateral view', () => {
    const sql = 'SELECT shop_dev.sales.orders.* FROM shop_dev.sales.orders LATERAL VIEW shop_dev.util.explode_items(items) x AS item'
    expect(remapIdentifiers(sql, CAT)).toEqual({ sql: sql.replace(/shop_dev\./g, 'shop.'), replacements: 3 })
  })

  it('maps schemas by catalog.schema key and tables by full name, with precedence tables > schemas > catalogs', () => {
    const mapping: IdentifierMapping = {
      tables: { 'shop_dev.sales.orders': 'shop.sales.orders_v3' },
      schemas: { 'shop_dev.sales': 'shop.sales_prod' },
      catalogs: { shop_dev: 'shop' }
    }
    const sql =
      'SELECT * FROM shop_dev.sales.orders o JOIN shop_dev.sales.customers c ON 1 = 1 JOIN shop_dev.hr.staff s ON 1 = 1 JOIN other.sales.orders x ON 1 = 1'
    const r = remapIdentifiers(sql, mapping)
    expect(r.sql).toBe(
      'SELECT * FROM shop.sales.orders_v3 o JOIN shop.sales_prod.customers c ON 1 = 1 JOIN shop.hr.staff s ON 1 = 1 JOIN other.sales.orders x ON 1 = 1'
    )
    expect(r.replacements).toBe(3)
  })

  it('matches keys case-insensitively and ignoring backticks, and writes values as given', () => {
    expect(remapIdentifiers('SELECT * FROM Shop_Dev.SALES.`Orders`', { tables: { '`SHOP_DEV`.sales.orders': 'Shop.Sales.Orders' } }).sql).toBe(
      'SELECT * FROM Shop.Sales.`Orders`'
    )
  })

  it('backticks a new value that is not a plain identifier', () => {
    expect(remapIdentifiers('SELECT * FROM shop_dev.sales.orders', { catalogs: { shop_dev: 'shop-prod' } }).sql).toBe('SELECT * FROM `shop-prod`.sales.orders')
  })

  it('rewrites a name written in one pair of backticks inside those backticks', () => {
    expect(remapIdentifiers('SELECT * FROM `shop_dev.sales.orders` o', CAT)).toEqual({ sql: 'SELECT * FROM `shop.sales.orders` o', replacements: 1 })
  })

  it('never touches strings, comments or JSON paths', () => {
    const sql =
      '-- shop_dev.sales.orders\nSELECT \'shop_dev.sales.orders\', "FROM shop_dev.sales.orders", raw:shop_dev.sales.orders /* shop_dev.sales.orders */ FROM t'
    expect(remapIdentifiers(sql, CAT)).toEqual({ sql, replacements: 0 })
  })

  it('matches whole parts only: orders_v2 is not orders', () => {
    const r = remapIdentifiers('SELECT * FROM shop_dev.sales.orders_v2 JOIN shop_dev.sales.orders ON 1 = 1', {
      tables: { 'shop_dev.sales.orders': 'shop.sales.orders' }
    })
    expect(r.sql).toBe('SELECT * FROM shop_dev.sales.orders_v2 JOIN shop.sales.orders ON 1 = 1')
    expect(r.replacements).toBe(1)
    expect(remapIdentifiers('SELECT * FROM shop_dev2.sales.orders', CAT).replacements).toBe(0)
  })

  it('never rewrites one-part names or alias.column references', () => {
    const sql = 'SELECT shop_dev.amount, sales_dev.amount FROM orders shop_dev JOIN x.y.z sales_dev ON shop_dev.id = sales_dev.id'
    expect(remapIdentifiers(sql, { catalogs: { shop_dev: 'shop', orders: 'o' }, schemas: { sales_dev: 'sales' } })).toEqual({ sql, replacements: 0 })
  })

  it('does not rewrite longer names that start with an alias', () => {
    const sql = 'SELECT shop_dev.address.city FROM main.crm.customers shop_dev'
    expect(remapIdentifiers(sql, CAT)).toEqual({ sql, replacements: 0 })
  })

  it('rewrites a 2-part name in a relation position only through a catalog-less schemas key', () => {
    const mapping: IdentifierMapping = { schemas: { sales_dev: 'sales' }, catalogs: { sales_dev: 'never' } }
    const sql = 'SELECT sales_dev.orders.id, o.x FROM sales_dev.orders JOIN sales_dev.items o ON o.oid = sales_dev.orders.id'
    const r = remapIdentifiers(sql, mapping)
    expect(r.sql).toBe('SELECT sales.orders.id, o.x FROM sales.orders JOIN sales.items o ON o.oid = sales.orders.id')
    expect(r.replacements).toBe(4)
    // A catalog-qualified schemas key says nothing about a 2-part name.
    expect(remapIdentifiers('SELECT * FROM sales_dev.orders', { schemas: { 'shop_dev.sales_dev': 'shop.sales' } }).replacements).toBe(0)
    // Nor does a catalog key.
    expect(remapIdentifiers('SELECT * FROM shop_dev.orders', CAT).replacements).toBe(0)
  })

  it('may expand a 1-part schema into catalog.schema', () => {
    expect(remapIdentifiers('SELECT * FROM `sales_dev`.orders', { schemas: { sales_dev: 'shop.sales' } }).sql).toBe('SELECT * FROM `shop`.`sales`.orders')
  })

  it('returns the text unchanged for an empty or odd mapping, and never throws', () => {
    const sql = 'SELECT * FROM shop_dev.sales.orders'
    expect(remapIdentifiers(sql, {})).toEqual({ sql, replacements: 0 })
    expect(remapIdentifiers(sql, { catalogs: { shop_dev: '' } })).toEqual({ sql, replacements: 0 })
    expect(remapIdentifiers(sql, null as unknown as IdentifierMapping)).toEqual({ sql, replacements: 0 })
    expect(remapIdentifiers(sql, { catalogs: { shop_dev: 42 as unknown as string } })).toEqual({ sql, replacements: 0 })
    expect(remapIdentifiers(undefined as unknown as string, CAT)).toEqual({ sql: '', replacements: 0 })
  })

  it('maps every table of the corpus consistently with remapIdentifier', () => {
    const mapping: IdentifierMapping = { catalogs: { main: 'prod', shop_dev: 'shop' }, schemas: { 'main.sales': 'prod.sales_v2' } }
    for (const c of CORPUS) {
      const out = remapIdentifiers(c.sql, mapping).sql
      const expected = c.tables.map((t) => (t.split('.').length === 3 ? remapIdentifier(t, mapping).toLowerCase() : t))
      expect(tableNames(out)).toEqual(expected)
      // Same token structure; strings and comments byte for byte.
      const before = tokenize(c.sql)
      const after = tokenize(out)
      expect(after.map((t) => t.kind)).toEqual(before.map((t) => t.kind))
      const literal = (ts: Token[]): string[] => ts.filter((t) => t.kind === 'string' || t.kind === 'comment').map((t) => t.text)
      expect(literal(after)).toEqual(literal(before))
    }
  })

  it('keeps every byte outside the rewritten identifiers', () => {
    const sql = '/* c */ SELECT  x FROM\n\tshop_dev . sales . orders  -- end'
    const r = remapIdentifiers(sql, CAT)
    expect(r.sql).toBe('/* c */ SELECT  x FROM\n\tshop . sales . orders  -- end')
    expect(extractTables(r.sql)[0]?.name).toBe('shop.sales.orders')
  })
})

describe('remapIdentifier', () => {
  it('applies tables > schemas > catalogs to a 3-part name and keeps quoting', () => {
    const m: IdentifierMapping = { tables: { 'a.b.c': 'x.y.z' }, schemas: { 'a.b': 'p.q' }, catalogs: { a: 'k' } }
    expect(remapIdentifier('a.b.c', m)).toBe('x.y.z')
    expect(remapIdentifier('A.B.D', m)).toBe('p.q.D')
    expect(remapIdentifier('`a`.`e`.`f`', m)).toBe('`k`.`e`.`f`')
    expect(remapIdentifier('`a.b.c`', m)).toBe('`x.y.z`')
    expect(remapIdentifier('b.c.d', m)).toBe('b.c.d')
  })

  it('reads a 2-part name as catalog.schema and a 1-part name as a catalog', () => {
    const m: IdentifierMapping = { schemas: { 'a.b': 'p.q' }, catalogs: { a: 'k' } }
    expect(remapIdentifier('a.b', m)).toBe('p.q')
    expect(remapIdentifier('a.c', m)).toBe('k.c')
    expect(remapIdentifier('a', m)).toBe('k')
    expect(remapIdentifier('b', m)).toBe('b')
  })

  it('returns the input unchanged, byte for byte, when nothing applies', () => {
    expect(remapIdentifier(' main . x . y ', CAT)).toBe(' main . x . y ')
    expect(remapIdentifier('', CAT)).toBe('')
    expect(remapIdentifier('a..b', CAT)).toBe('a..b')
  })
})

describe('remapText', () => {
  it('rewrites whole dotted identifiers in prose and counts them', () => {
    const text = 'Revenue comes from shop_dev.sales.orders (never shop_dev.sales.orders_v2). Join `shop_dev.sales.customers` on id. Schema: shop_dev.sales.'
    expect(remapText(text, { tables: { 'shop_dev.sales.orders': 'shop.sales.orders' } })).toEqual({
      text: 'Revenue comes from shop.sales.orders (never shop_dev.sales.orders_v2). Join `shop_dev.sales.customers` on id. Schema: shop_dev.sales.',
      replacements: 1
    })
    expect(remapText(text, CAT)).toEqual({
      text: 'Revenue comes from shop.sales.orders (never shop.sales.orders_v2). Join `shop.sales.customers` on id. Schema: shop.sales.',
      replacements: 4
    })
  })

  it('leaves URLs, e-mail addresses, paths, other catalogs and one-part words alone', () => {
    const text =
      'See https://shop_dev.sales.io/x, mail ops@shop_dev.sales.com, /Volumes/shop_dev/sales, shop_dev2.sales.orders, my-shop_dev.sales.x and shop_dev alone.'
    expect(remapText(text, CAT)).toEqual({ text, replacements: 0 })
  })

  it('rewrites a column reference by its table prefix and a schema.table by a catalog-less schemas key', () => {
    expect(remapText('Filter on shop_dev.sales.orders.status.', CAT).text).toBe('Filter on shop.sales.orders.status.')
    expect(remapText('Use sales_dev.orders.', { schemas: { sales_dev: 'sales' } }).text).toBe('Use sales.orders.')
  })

  it('never throws', () => {
    expect(remapText(undefined as unknown as string, CAT)).toEqual({ text: '', replacements: 0 })
    expect(remapText('`unterminated shop_dev.sales.orders', CAT).text).toBe('`unterminated shop.sales.orders')
  })
})
