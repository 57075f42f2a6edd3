import { scoreAnswer, staticChecks } from '../../src/benchmark/score.js'
import type { ResultSet } from '../../src/benchmark/compare.js'
import { question } from './helpers.js'

const GENIE_SQL = `WITH recent AS (
  SELECT * FROM \`main\`.\`sales\`.\`orders\` WHERE order_date >= date_sub(current_date(), 30)
)
SELECT c.\`name\`, SUM(r.net_amount) AS revenue
FROM recent r
JOIN main.sales.customers AS c ON r.customer_id = c.id
GROUP BY c.\`name\`
ORDER BY revenue DESC
LIMIT 10`

describe('static checks on real-looking SQL', () => {
  test('backticked three-part names match; a CTE name is not a table', () => {
    const checks = staticChecks(question('q', { expectedTables: ['main.sales.orders', 'customers'] }), GENIE_SQL)
    expect(checks).toEqual([{ name: 'tables', passed: true, detail: 'reads main.sales.orders, customers' }])
    const cte = staticChecks(question('q', { expectedTables: ['recent'] }), GENIE_SQL)[0]
    expect(cte?.passed).toBe(false)
    expect(cte?.detail).toBe('missing table recent; the SQL reads main.sales.orders, main.sales.customers')
  })

  test('tables in subqueries and UNION branches count', () => {
    const sql = 'SELECT id FROM (SELECT id FROM `cat`.`s`.`a`) x UNION ALL SELECT id FROM cat.s.b WHERE id IN (SELECT id FROM cat.s.c)'
    const [t] = staticChecks(question('q', { expectedTables: ['cat.s.a', 'cat.s.b', 's.c'] }), sql)
    expect(t?.passed).toBe(true)
    const [missing] = staticChecks(question('q', { expectedTables: ['cat.s.d', 'other.s.a'] }), sql)
    expect(missing?.detail).toMatch(/^missing tables cat\.s\.d, other\.s\.a;/)
  })

  test('columns, contains (case-insensitive) and pattern ((?i) honoured)', () => {
    const q = question('q', {
      expectedColumns: ['net_amount', 'orders.customer_id', 'discount'],
      expectedContains: ['sum(', 'JOIN', 'HAVING'],
      expectedPattern: '(?i)order\\s+by\\s+revenue\\s+desc'
    })
    const byName = Object.fromEntries(staticChecks(q, GENIE_SQL).map((c) => [c.name, c]))
    expect(byName.columns?.passed).toBe(false)
    expect(byName.columns?.detail).toMatch(/^missing column discount; the SQL uses /)
    expect(byName.contains).toEqual({ name: 'contains', passed: false, detail: 'does not contain "HAVING"' })
    expect(byName.pattern?.passed).toBe(true)
    expect(staticChecks(question('q', { expectedPattern: 'ORDER BY revenue asc' }), GENIE_SQL)[0]).toMatchObject({
      passed: false,
      detail: 'does not match /ORDER BY revenue asc/'
    })
  })
})

describe('scoreAnswer', () => {
  const table = (rows: (string | null)[][]): ResultSet => ({ columns: ['name', 'revenue'], rows })
  const ctx = (expected: ResultSet | Error, actual: ResultSet | Error) => ({
    expected: async () => {
      if (expected instanceof Error) throw expected
      return expected
    },
    run: async () => {
      if (actual instanceof Error) throw actual
      return actual
    }
  })

  test('no SQL fails with the reason, and nothing else is checked', async () => {
    const s = await scoreAnswer(question('q', { expectedTables: ['t'] }), { text: 'hi', noSql: 'no SQL: Genie answered with text: "hi"' })
    expect(s).toEqual({ status: 'failed', checks: [{ name: 'sql', passed: false, detail: 'no SQL: Genie answered with text: "hi"' }] })
  })

  test('every check is listed; the answer passes only when all pass', async () => {
    const q = question('Top customers by revenue', { expectedSql: 'SELECT name, revenue FROM x ORDER BY revenue DESC', expectedContains: ['LIMIT'] })
    const good = await scoreAnswer(
      q,
      { sql: GENIE_SQL },
      ctx(
        table([
          ['a', '10'],
          ['b', '5']
        ]),
        table([
          ['a', '10.0'],
          ['b', '5']
        ])
      )
    )
    expect(good.status).toBe('passed')
    expect(good.checks.map((c) => c.name)).toEqual(['sql', 'contains', 'result'])
    // "top" + ORDER BY: order matters
    const wrongOrder = await scoreAnswer(
      q,
      { sql: GENIE_SQL },
      ctx(
        table([
          ['a', '10'],
          ['b', '5']
        ]),
        table([
          ['b', '5'],
          ['a', '10']
        ])
      )
    )
    expect(wrongOrder.status).toBe('failed')
    expect(wrongOrder.checks.find((c) => c.name === 'result')?.detail).toMatch(/order matters/)
  })

  test('generated SQL failing on the warehouse fails; expected_sql failing is an error', async () => {
    const q = question('q', { expectedSql: 'SELECT 1' })
    const bad = await scoreAnswer(q, { sql: 'SELECT nope' }, ctx(table([]), new Error('[UNRESOLVED_COLUMN] nope')))
    expect(bad.status).toBe('failed')
    expect(bad.checks[1]?.detail).toBe('the generated SQL failed on the warehouse: [UNRESOLVED_COLUMN] nope')
    const broken = await scoreAnswer(q, { sql: 'SELECT 1' }, ctx(new Error('[TABLE_OR_VIEW_NOT_FOUND] t'), table([])))
    expect(broken.status).toBe('error')
    expect(broken.error).toBe('expected_sql failed on the warehouse: [TABLE_OR_VIEW_NOT_FOUND] t')
    const noWarehouse = await scoreAnswer(q, { sql: 'SELECT 1' })
    expect(noWarehouse.status).toBe('error')
    expect(noWarehouse.error).toMatch(/no SQL warehouse/)
  })

  test('a question without expectations passes on any SQL answer', async () => {
    expect((await scoreAnswer(question('q'), { sql: 'SELECT 1' })).status).toBe('passed')
  })
})
