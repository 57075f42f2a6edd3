import { extractColumns } from '../../src/sql/index.js'

const cols = (sql: string): string[] => [...extractColumns(sql)].sort()

describe('extractColumns', () => {
  it('returns lower-cased, unquoted, unqualified names once, in order of appearance', () => {
    expect(extractColumns('SELECT `Order_ID`, o.Amount, O.order_id FROM main.s.orders o WHERE o.`amount` > 0')).toEqual(['order_id', 'amount'])
  })

  it('skips functions, keywords, literals, parameters and star', () => {
    expect(
      cols("SELECT COUNT(*), t.*, coalesce(a, 0), current_date, current_timestamp() FROM s.t WHERE b = :p AND c IS NOT NULL AND d = 'x' AND e IN (1, 2)")
    ).toEqual(['a', 'b', 'c', 'd', 'e'])
  })

  it('skips aliases declared with and without AS, and their later uses', () => {
    expect(cols('SELECT a + 1 AS x, sum(b) y, c FROM s.t GROUP BY x HAVING y > 0 ORDER BY x, c')).toEqual(['a', 'b', 'c'])
    expect(cols('SELECT count(*) AS cnt FROM s.t HAVING cnt > 1')).toEqual([])
  })

  it('keeps a column used before an alias of the same name is declared', () => {
    expect(cols('SELECT upper(name) AS name FROM s.t ORDER BY name')).toEqual(['name'])
  })

  it('skips table, CTE and subquery names used as qualifiers', () => {
    expect(
      cols('WITH c AS (SELECT id, v FROM s.base) SELECT c.id, x.w, base.z FROM c JOIN (SELECT w FROM s.other) x ON x.w = c.v JOIN s.base ON base.id = c.id')
    ).toEqual(['id', 'v', 'w', 'z'])
  })

  it('takes the part after the longest known qualifier', () => {
    expect(cols('SELECT a.address.city, main.s.t.b, s.t.c, t.d, unknown.e FROM main.s.t JOIN x.y.z a ON 1 = 1')).toEqual(['address', 'b', 'c', 'd', 'e'])
  })

  it('skips types in casts and typed literals', () => {
    expect(
      cols("SELECT CAST(a AS DECIMAL(10, 2)), TRY_CAST(b AS MAP<STRING, INT>), c::BIGINT, d::array<string>, DATE '2024-01-01', TIMESTAMP'2024-01-01' FROM s.t")
    ).toEqual(['a', 'b', 'c', 'd'])
  })

  it('skips date units of INTERVAL, EXTRACT and unit functions', () => {
    expect(
      cols(
        "SELECT EXTRACT(YEAR FROM a), datediff(DAY, b, c), timestampadd(HOUR, 1, d), date_part('month', e) FROM s.t WHERE f > now() - INTERVAL 3 DAYS AND g < INTERVAL '1' DAY TO SECOND"
      )
    ).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g'])
  })

  it('skips lambda parameters, named arguments and JSON path fields', () => {
    expect(cols('SELECT transform(arr, x -> x + k), aggregate(vals, 0, (acc, v) -> acc + v), read_files(path => p), raw:a.b, raw:c[0] FROM s.t')).toEqual([
      'arr',
      'k',
      'p',
      'raw',
      'vals'
    ])
  })

  it('skips window names, NULLS FIRST/LAST, ROLLUP and format names', () => {
    expect(cols('SELECT sum(a) OVER w FROM s.t WINDOW w AS (PARTITION BY b ORDER BY c NULLS LAST) ')).toEqual(['a', 'b', 'c'])
    expect(cols('SELECT a, count(*) FROM s.t GROUP BY a WITH ROLLUP')).toEqual(['a'])
    expect(cols('SELECT a, b, count(*) FROM s.t GROUP BY GROUPING SETS ((a, b), (a), ())')).toEqual(['a', 'b'])
    expect(cols('CREATE TABLE x.y.z USING delta AS SELECT a FROM s.t')).toEqual(['a'])
  })

  it('skips multi-aliases, lateral view and unpivot names', () => {
    expect(cols('SELECT explode(m) AS (k, v), k FROM s.t')).toEqual(['m'])
    expect(cols('SELECT pos, e.tag FROM s.t LATERAL VIEW posexplode(tags) e AS pos, tag')).toEqual(['tags'])
  })

  it('reads MERGE, UPDATE and INSERT column lists', () => {
    expect(cols('MERGE INTO s.t USING s.u ON t.k = u.k WHEN MATCHED THEN UPDATE SET t.a = u.a WHEN NOT MATCHED THEN INSERT (k, a) VALUES (u.k, u.a)')).toEqual([
      'a',
      'k'
    ])
    expect(cols('INSERT INTO s.t (a, b) SELECT c, d FROM s.u')).toEqual(['a', 'b', 'c', 'd'])
  })

  it('ignores statements that have no columns, and never throws', () => {
    expect(extractColumns('SET spark.sql.ansi.enabled = true')).toEqual([])
    expect(extractColumns('SHOW TABLES IN main.sales')).toEqual([])
    expect(extractColumns('')).toEqual([])
    expect(extractColumns('((( , . `')).toEqual([])
    expect(extractColumns(undefined as unknown as string)).toEqual([])
  })
})
