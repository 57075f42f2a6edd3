import { asksForOrder, compareResults, hasTopLevelOrderBy, type ResultSet } from '../../src/benchmark/compare.js'

const rs = (columns: string[], rows: (string | number | null)[][], truncated = false): ResultSet => ({ columns, rows, truncated })

describe('result-set equivalence', () => {
  test('order is ignored unless asked for', () => {
    const e = rs(
      ['region', 'n'],
      [
        ['EU', '3'],
        ['US', '5']
      ]
    )
    const a = rs(
      ['r', 'count'],
      [
        ['US', '5'],
        ['EU', '3']
      ]
    )
    expect(compareResults(e, a)).toMatchObject({ equal: true })
    const ordered = compareResults(e, a, { ordered: true })
    expect(ordered.equal).toBe(false)
    expect(ordered.detail).toMatch(/row 1 differs .*wrong order/)
  })

  test('column names are ignored; column order matters', () => {
    expect(compareResults(rs(['a', 'b'], [['1', 'x']]), rs(['x', 'y'], [['1', 'x']])).equal).toBe(true)
    const swapped = compareResults(rs(['a', 'b'], [['1', 'x']]), rs(['b', 'a'], [['x', '1']]))
    expect(swapped.equal).toBe(false)
  })

  test('NULLs are equal to NULLs only', () => {
    expect(compareResults(rs(['a'], [[null], ['1']]), rs(['a'], [['1'], [null]])).equal).toBe(true)
    const r = compareResults(rs(['a'], [[null]]), rs(['a'], [['']]))
    expect(r.equal).toBe(false)
    expect(r.detail).toBe('expected NULL, got ""')
  })

  test('numbers are compared as numbers, even as strings, within tolerance', () => {
    expect(compareResults(rs(['x'], [['42']]), rs(['x'], [[42]])).equal).toBe(true)
    expect(compareResults(rs(['x'], [['42.0']]), rs(['x'], [['4.2E1']])).equal).toBe(true)
    expect(compareResults(rs(['x'], [['1234567.0']]), rs(['x'], [['1234567.0001']])).equal).toBe(true) // relative 1e-6
    expect(compareResults(rs(['x'], [['0']]), rs(['x'], [['0.0000000001']])).equal).toBe(true) // absolute 1e-9
    const off = compareResults(rs(['x'], [['100']]), rs(['x'], [['100.01']]))
    expect(off).toEqual({ equal: false, detail: 'expected 100, got 100.01' })
    // a number and a non-numeric text never match
    expect(compareResults(rs(['x'], [['1']]), rs(['x'], [['one']])).equal).toBe(false)
  })

  test('tolerance across a reordering still matches row by row', () => {
    const e = rs(
      ['a', 'b'],
      [
        ['1.0000000001', 'b'],
        ['1', 'a']
      ]
    )
    const a = rs(
      ['a', 'b'],
      [
        ['1', 'b'],
        ['1.0000000001', 'a']
      ]
    )
    expect(compareResults(e, a).equal).toBe(true)
  })

  test('duplicate rows count (multisets)', () => {
    const e = rs(['a'], [['x'], ['x'], ['y']])
    expect(compareResults(e, rs(['a'], [['x'], ['y'], ['x']])).equal).toBe(true)
    const r = compareResults(e, rs(['a'], [['x'], ['y'], ['y']]))
    expect(r.equal).toBe(false)
    expect(r.detail).toBe('missing 1 row: ("x"); extra 1 row: ("y") (expected 3 rows, got 3)')
  })

  test('different column counts fail as extra/missing columns', () => {
    const extra = compareResults(rs(['region'], [['EU']]), rs(['region', 'n'], [['EU', '1']]))
    expect(extra.equal).toBe(false)
    expect(extra.detail).toBe('extra columns: expected 1 column (region), got 2 (region, n)')
    expect(compareResults(rs(['a', 'b'], []), rs(['a'], [])).detail).toMatch(/^missing columns: expected 2 columns/)
  })

  test('empty results', () => {
    expect(compareResults(rs(['a'], []), rs(['b'], []))).toEqual({ equal: true, detail: 'both results are empty (1 column)' })
    expect(compareResults(rs(['a'], []), rs(['a'], [['1']])).detail).toBe('expected no rows, got 1: (1)')
    expect(compareResults(rs(['a'], [['1'], ['2']]), rs(['a'], [])).detail).toBe('expected 2 rows, got none (empty result)')
  })

  test('ordered comparison: row counts and truncation are reported', () => {
    const e = rs(['a'], [['1'], ['2']])
    expect(compareResults(e, rs(['a'], [['1'], ['2'], ['3']]), { ordered: true }).detail).toBe('expected 2 rows, got 3')
    expect(compareResults(e, rs(['a'], [['1'], ['2']]), { ordered: true })).toEqual({ equal: true, detail: '2 rows match in order' })
    expect(compareResults(e, rs(['a'], [['1'], ['5']], true)).detail).toMatch(/truncated at the row limit/)
  })
})

describe('does the question ask for an order?', () => {
  test('needs both an order word and a top-level ORDER BY', () => {
    const top = 'SELECT customer, SUM(amount) AS revenue FROM main.sales.orders GROUP BY customer ORDER BY revenue DESC LIMIT 5'
    expect(asksForOrder('Top 5 customers by revenue', top)).toBe(true)
    expect(asksForOrder('Which regions ranked highest?', 'SELECT region FROM t ORDER BY x')).toBe(true)
    expect(asksForOrder('Orders sorted by date', 'SELECT * FROM t ORDER BY d')).toBe(true)
    expect(asksForOrder('Revenue by region', 'SELECT region, SUM(a) FROM t GROUP BY 1 ORDER BY 1')).toBe(false)
    expect(asksForOrder('What is the highest revenue?', 'SELECT MAX(revenue) FROM t')).toBe(false)
    expect(asksForOrder('How many orders are there?', 'SELECT COUNT(*) FROM orders ORDER BY 1')).toBe(false)
  })

  test('ORDER BY inside a subquery, window, CTE, string or comment is not top level', () => {
    expect(hasTopLevelOrderBy('SELECT * FROM (SELECT a FROM t ORDER BY a LIMIT 3) s')).toBe(false)
    expect(hasTopLevelOrderBy('SELECT a, ROW_NUMBER() OVER (ORDER BY b) FROM t')).toBe(false)
    expect(hasTopLevelOrderBy('WITH x AS (SELECT a FROM t ORDER BY a) SELECT * FROM x')).toBe(false)
    expect(hasTopLevelOrderBy("SELECT 'order by' FROM t -- order by a\n")).toBe(false)
    expect(hasTopLevelOrderBy('SELECT a FROM t1 UNION ALL SELECT a FROM t2 ORDER BY a')).toBe(true)
    expect(hasTopLevelOrderBy('select `order by` from t order\n  by 1')).toBe(true)
  })
})
