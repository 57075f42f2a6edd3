import { normalizeName, splitName, tableMatches } from '../../src/sql/index.js'

describe('tableMatches', () => {
  it('compares trailing parts case-insensitively, ignoring backticks', () => {
    expect(tableMatches('orders', 'main.sales.orders')).toBe(true)
    expect(tableMatches('sales.orders', '`Main`.`Sales`.`Orders`')).toBe(true)
    expect(tableMatches('main.sales.orders', 'MAIN.SALES.ORDERS')).toBe(true)
    expect(tableMatches('main.sales.orders', 'orders')).toBe(true)
    expect(tableMatches('main.sales.orders', 'sales.orders')).toBe(true)
  })

  it('rejects different parts', () => {
    expect(tableMatches('orders', 'main.sales.orders_v2')).toBe(false)
    expect(tableMatches('main.sales.orders', 'other.orders')).toBe(false)
    expect(tableMatches('main.sales.orders', 'dev.sales.orders')).toBe(false)
    expect(tableMatches('', 'orders')).toBe(false)
    expect(tableMatches('orders', '')).toBe(false)
    expect(tableMatches('a..b', 'a..b')).toBe(false)
  })

  it('treats a backticked name containing dots as its dotted parts', () => {
    expect(tableMatches('main.sales.orders', '`main.sales.orders`')).toBe(true)
    expect(tableMatches('`main.sales.orders`', 'sales.orders')).toBe(true)
  })
})

describe('names', () => {
  it('splits on dots outside backticks', () => {
    expect(splitName('`a.b`.c.`d``e`')).toEqual([
      { value: 'a.b', quoted: true },
      { value: 'c', quoted: false },
      { value: 'd`e', quoted: true }
    ])
    expect(normalizeName(' `Main` . Sales.`Orders` ')).toBe('main.sales.orders')
  })
})
