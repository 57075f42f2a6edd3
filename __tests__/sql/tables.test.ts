import { extractTables, tableNames } from '../../src/sql/index.js'

describe('extractTables', () => {
  it('reports name, parts, alias and the offsets of the written name', () => {
    const sql = 'SELECT * FROM `Main`.Sales.`Orders` AS o JOIN main.sales.customers c ON o.cid = c.id'
    const [orders, customers] = extractTables(sql)
    expect(orders).toEqual({ name: 'main.sales.orders', parts: ['main', 'sales', 'orders'], alias: 'o', start: 14, end: 35 })
    expect(sql.slice(orders?.start, orders?.end)).toBe('`Main`.Sales.`Orders`')
    expect(customers).toMatchObject({ name: 'main.sales.customers', alias: 'c' })
  })

  it('de-duplicates by name, keeping the first occurrence', () => {
    const refs = extractTables('SELECT * FROM a.b.t x JOIN A.B.T y ON x.id = y.pid JOIN `a`.`b`.`t` z ON 1 = 1')
    expect(refs).toHaveLength(1)
    expect(refs[0]).toMatchObject({ name: 'a.b.t', alias: 'x', start: 14 })
  })

  it('keeps a backticked name containing dots as one part', () => {
    const [t] = extractTables('SELECT * FROM `main.sales.orders` o')
    expect(t).toMatchObject({ name: 'main.sales.orders', parts: ['main.sales.orders'], alias: 'o' })
  })

  it('leaves out an alias when there is none', () => {
    const [t] = extractTables('SELECT * FROM main.s.t WHERE x = 1')
    expect(t).not.toHaveProperty('alias')
  })

  it('finds tables in unbalanced SQL', () => {
    expect(tableNames('SELECT * FROM (SELECT * FROM a.b.c')).toEqual(['a.b.c'])
    expect(tableNames('SELECT * FROM a.b.c WHERE x IN (SELECT y FROM d.e.f')).toEqual(['a.b.c', 'd.e.f'])
    expect(tableNames('SELECT a FROM')).toEqual([])
    expect(tableNames('')).toEqual([])
  })

  it('does not take FROM inside functions or IS DISTINCT FROM for a FROM clause', () => {
    expect(tableNames("SELECT TRIM(BOTH ' ' FROM name), SUBSTRING(code FROM 2 FOR 3), EXTRACT(DAY FROM d) FROM t.u.v WHERE a IS NOT DISTINCT FROM b")).toEqual([
      't.u.v'
    ])
    expect(tableNames('SHOW TABLES FROM sch')).toEqual([])
  })

  it('supports FROM-first queries and TABLE statements', () => {
    expect(tableNames('FROM main.s.t SELECT a, b WHERE c > 1')).toEqual(['main.s.t'])
    expect(tableNames('TABLE main.s.t')).toEqual(['main.s.t'])
    expect(tableNames('SELECT * FROM main.s.t UNION TABLE main.s.u')).toEqual(['main.s.t', 'main.s.u'])
  })

  it('skips time travel in every spelling and keeps the alias after it', () => {
    for (const tt of [
      '@v3',
      'VERSION AS OF 3',
      "TIMESTAMP AS OF '2024-01-01'",
      'FOR SYSTEM_TIME AS OF current_timestamp() - INTERVAL 1 DAY',
      'FOR VERSION AS OF :v'
    ]) {
      expect(extractTables(`SELECT * FROM main.s.t ${tt} x JOIN main.s.u ON x.id = u.id`).map((t) => [t.name, t.alias])).toEqual([
        ['main.s.t', 'x'],
        ['main.s.u', undefined]
      ])
    }
  })

  it('scopes CTE names: later CTEs and the main query see them, other statements and enclosing queries do not', () => {
    expect(tableNames('WITH a AS (SELECT id FROM x.y.z), b AS (SELECT id FROM a) SELECT * FROM b JOIN a USING (id)')).toEqual(['x.y.z'])
    expect(tableNames('SELECT * FROM (WITH orders AS (SELECT 1 AS one) SELECT * FROM orders) x JOIN orders ON x.one = orders.id')).toEqual(['orders'])
    expect(tableNames('WITH b AS (SELECT * FROM a), a AS (SELECT 1) SELECT * FROM b')).toEqual(['a'])
    expect(tableNames('WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r')).toEqual([])
    expect(tableNames('WITH x (a, b) AS NOT MATERIALIZED (SELECT 1, 2) SELECT * FROM x, y')).toEqual(['y'])
  })

  it('treats GROUP BY … WITH ROLLUP and table options as no CTE', () => {
    expect(tableNames('SELECT a, COUNT(*) FROM s.t GROUP BY a WITH ROLLUP')).toEqual(['s.t'])
    expect(tableNames("SELECT * FROM s.t WITH ('k' = 'v') x JOIN s.u ON 1 = 1")).toEqual(['s.t', 's.u'])
  })

  it('finds the targets of writes', () => {
    expect(tableNames('MERGE INTO t.u.v USING (SELECT * FROM s.x.y) src ON v.id = src.id WHEN MATCHED THEN DELETE')).toEqual(['t.u.v', 's.x.y'])
    expect(tableNames('CREATE TABLE main.s.new USING delta AS SELECT id FROM main.s.old')).toEqual(['main.s.new', 'main.s.old'])
    expect(tableNames('CREATE OR REPLACE TEMP VIEW v AS SELECT * FROM main.s.old')).toEqual(['v', 'main.s.old'])
    expect(tableNames('INSERT OVERWRITE TABLE main.s.t PARTITION (dt = "2024") SELECT * FROM main.s.src')).toEqual(['main.s.t', 'main.s.src'])
    expect(tableNames('INSERT INTO TABLE main.s.t VALUES (1, 2), (3, 4)')).toEqual(['main.s.t'])
    expect(tableNames('UPDATE main.s.t AS t SET t.a = 1 WHERE t.b IN (SELECT b FROM main.s.u)')).toEqual(['main.s.t', 'main.s.u'])
  })

  it('does not report file paths, table functions, VALUES or lateral views', () => {
    expect(tableNames('INSERT INTO main.s.t SELECT * FROM delta.`/mnt/raw/x`')).toEqual(['main.s.t'])
    expect(tableNames('SELECT * FROM json.`s3://bucket/x.json`')).toEqual([])
    expect(tableNames("SELECT * FROM range(5), explode(array(1, 2)), main.s.fn(1) f, IDENTIFIER('main.s.t')")).toEqual([])
    expect(tableNames('SELECT * FROM VALUES 1, 2, 3 AS v(n), main.s.t')).toEqual(['main.s.t'])
    expect(tableNames('SELECT * FROM (VALUES (1), (2)) v(n) JOIN main.s.t ON t.n = v.n')).toEqual(['main.s.t'])
    expect(tableNames('SELECT * FROM main.s.t LATERAL VIEW explode(arr) x AS a, b LATERAL VIEW OUTER inline(structs) y')).toEqual(['main.s.t'])
  })

  it('follows comma joins after join conditions and lateral subqueries', () => {
    expect(tableNames('SELECT * FROM t1 JOIN t2 ON t1.a = t2.a, t3 WHERE t3.b = 1')).toEqual(['t1', 't2', 't3'])
    expect(tableNames('select * from a.b.c x, lateral (select * from d.e.f where f.k = x.k) y, g.h.i')).toEqual(['a.b.c', 'd.e.f', 'g.h.i'])
  })

  it('keeps reading the FROM list after a CASE in a join condition', () => {
    expect(tableNames("SELECT * FROM a.b.c JOIN d.e.f ON CASE WHEN c.k = 'x' THEN 1 ELSE 2 END = f.k, g.h.i")).toEqual(['a.b.c', 'd.e.f', 'g.h.i'])
  })

  it('reads nested parenthesised joins', () => {
    expect(tableNames('SELECT * FROM ((a.b.c JOIN d.e.f ON c.x = f.x) JOIN g.h.i ON i.y = f.y)')).toEqual(['a.b.c', 'd.e.f', 'g.h.i'])
    expect(tableNames('SELECT * FROM ((SELECT * FROM a.b.c) UNION ALL (SELECT * FROM d.e.f)) u')).toEqual(['a.b.c', 'd.e.f'])
  })

  it('accepts keywords after a dot and a schema called default', () => {
    expect(tableNames('SELECT * FROM main.default.order JOIN default.events ON 1 = 1')).toEqual(['main.default.order', 'default.events'])
  })

  it('handles several statements', () => {
    expect(tableNames('USE CATALOG main; SELECT * FROM s.t; SELECT * FROM s.u;')).toEqual(['s.t', 's.u'])
  })
})
