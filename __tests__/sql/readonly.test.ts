import { checkReadOnly, isReadOnly } from '../../src/sql/index.js'

const READ_ONLY: [string, string][] = [
  ['SELECT 1', 'SELECT'],
  ['select * from main.sales.orders', 'SELECT'],
  ['  \n\tSELECT 1', 'SELECT'],
  ['SELECT 1;', 'SELECT'],
  ['SELECT 1;;  ;\n', 'SELECT'],
  ['SELECT 1; -- done', 'SELECT'],
  ['SELECT 1 /* trailing */ ;  /* more */', 'SELECT'],
  ['-- leading comment\nSELECT 1', 'SELECT'],
  ['/* leading */ SELECT 1', 'SELECT'],
  ["SELECT ';' AS semi, 'DROP TABLE t' AS s", 'SELECT'],
  ["SELECT 'a; DELETE FROM t' FROM t WHERE note = 'x;y'", 'SELECT'],
  ['SELECT `weird;name`, `drop` FROM `cat`.`sch`.`tbl`', 'SELECT'],
  ['SELECT 1 -- ; DROP TABLE t', 'SELECT'],
  ['SELECT 1 /* ; DROP TABLE t; */', 'SELECT'],
  ['(SELECT 1) UNION ALL (SELECT 2)', 'SELECT'],
  ['((SELECT a FROM t))', 'SELECT'],
  ['WITH x AS (SELECT 1 AS a) SELECT a FROM x', 'WITH … SELECT'],
  ['with recursive r (n) as (select 1 union all select n + 1 from r where n < 3) select * from r', 'WITH … SELECT'],
  ['WITH a AS (SELECT 1), b AS (SELECT * FROM a) SELECT * FROM b', 'WITH … SELECT'],
  ['WITH x (SELECT 1 AS a) SELECT a FROM x', 'WITH … SELECT'],
  ['WITH x AS (SELECT 1) (SELECT * FROM x)', 'WITH … SELECT'],
  ['WITH `my cte` AS (SELECT 1) SELECT * FROM `my cte`', 'WITH … SELECT'],
  ['VALUES (1, 2), (3, 4)', 'VALUES'],
  ['TABLE main.sales.orders', 'TABLE'],
  ['FROM main.sales.orders SELECT order_id', 'FROM … SELECT'],
  ['SHOW TABLES IN main.sales', 'SHOW'],
  ['SHOW CREATE TABLE main.sales.orders', 'SHOW'],
  ['DESCRIBE TABLE main.sales.orders', 'DESCRIBE'],
  ['desc main.sales.orders', 'DESCRIBE'],
  ['EXPLAIN SELECT 1', 'EXPLAIN'],
  ['EXPLAIN FORMATTED WITH x AS (SELECT 1) SELECT * FROM x', 'EXPLAIN'],
  ["SELECT 'it\\'s' AS s", 'SELECT'],
  ['SELECT * FROM t WHERE d >= :start_date AND x = {{ p }}', 'SELECT'],
  ['SELECT /*+ BROADCAST(c) */ * FROM o JOIN c ON o.id = c.id ORDER BY o.id DESC', 'SELECT'],
  ['SELECT last_update, updated_by, created_at, array_insert(a, 1, 2) FROM t', 'SELECT']
]

const REFUSED: [string, RegExp][] = [
  ['DROP TABLE main.sales.orders', /^DROP statements are not read-only$/],
  ['drop table t', /^DROP statements are not read-only$/],
  ['DELETE FROM t WHERE 1 = 1', /^DELETE statements are not read-only$/],
  ['INSERT INTO t VALUES (1)', /^INSERT statements are not read-only$/],
  ['INSERT OVERWRITE t SELECT * FROM s', /^INSERT statements are not read-only$/],
  ['UPDATE t SET a = 1', /^UPDATE statements are not read-only$/],
  ['MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE', /^MERGE statements are not read-only$/],
  ['CREATE OR REPLACE TABLE t AS SELECT 1', /^CREATE statements are not read-only$/],
  ['ALTER TABLE t ADD COLUMN c INT', /^ALTER statements are not read-only$/],
  ['TRUNCATE TABLE t', /^TRUNCATE statements are not read-only$/],
  ['GRANT SELECT ON TABLE t TO `x@y.z`', /^GRANT statements are not read-only$/],
  ['REVOKE SELECT ON TABLE t FROM users', /^REVOKE statements are not read-only$/],
  ["COPY INTO t FROM '/Volumes/x' FILEFORMAT = CSV", /^COPY INTO statements are not read-only$/],
  ['OPTIMIZE t ZORDER BY (a)', /^OPTIMIZE statements are not read-only$/],
  ['VACUUM t RETAIN 0 HOURS', /^VACUUM statements are not read-only$/],
  ['SET spark.sql.ansi.enabled = false', /^SET statements are not read-only$/],
  ['USE CATALOG main', /^USE statements are not read-only$/],
  ['CALL system.do_something()', /^CALL statements are not read-only$/],
  ['REFRESH TABLE t', /^REFRESH statements are not read-only$/],
  ['CACHE TABLE t', /^CACHE statements are not read-only$/],
  ['MSCK REPAIR TABLE t', /^MSCK statements are not read-only$/],
  ['REPAIR TABLE t', /^REPAIR statements are not read-only$/],
  ['RESTORE TABLE t TO VERSION AS OF 1', /^RESTORE statements are not read-only$/],
  ['ANALYZE TABLE t COMPUTE STATISTICS', /^ANALYZE statements are not read-only$/],
  ["EXECUTE IMMEDIATE 'DROP TABLE t'", /^EXECUTE IMMEDIATE statements are not read-only$/],
  ['BEGIN DROP TABLE t; END', /^the SQL holds 2 statements \(an END statement follows a ';'\)/],
  ['(SHOW TABLES)', /^a parenthesised SHOW statement is refused/],
  ['FROBNICATE t', /^FROBNICATE statements are not read-only$/],
  ['SELECT 1; DELETE FROM t', /^the SQL holds 2 statements \(a DELETE statement follows a ';'\); only one statement may run$/],
  ['SELECT 1;SELECT 2', /holds 2 statements/],
  ['SELECT 1 /* ; */; DROP TABLE t', /holds 2 statements \(a DROP statement/],
  ['-- x\nDROP TABLE t', /^DROP statements are not read-only$/],
  ['/* SELECT 1 */ DROP TABLE t', /^DROP statements are not read-only$/],
  ["SELECT ';'; DROP TABLE t", /holds 2 statements/],
  ['SELECT `a;b`; DROP TABLE t', /holds 2 statements/],
  ['WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x', /^WITH … INSERT statements are not read-only$/],
  ['WITH x AS (SELECT 1) MERGE INTO t USING x ON true WHEN MATCHED THEN DELETE', /^WITH … MERGE statements are not read-only$/],
  ['WITH x AS (SELECT 1) (INSERT INTO t SELECT * FROM x)', /^WITH … INSERT statements are not read-only$/],
  ['WITH AS (SELECT 1) SELECT 1', /WITH clause could not be read/],
  ['WITH x AS SELECT 1', /WITH clause could not be read/],
  ['WITH x AS (SELECT 1)', /^WITH … without a main statement$/],
  ['(DELETE FROM t)', /^DELETE statements are not read-only$/],
  ['SELECT * INTO new_t FROM t', /^SELECT … INTO statements are not read-only$/],
  ['FROM s INSERT INTO t SELECT *', /^a query containing INSERT is not read-only$/],
  ['SELECT 1 DROP TABLE t', /^a query containing DROP is not read-only$/],
  ['EXPLAIN DELETE FROM t', /^EXPLAIN: DELETE statements are not read-only$/],
  ['EXPLAIN ANALYZE SELECT 1', /^EXPLAIN: ANALYZE statements are not read-only$/],
  ['', /^the SQL holds no statement$/],
  ['  ;; -- nothing', /^the SQL holds no statement$/],
  ["SELECT 'unclosed; DROP TABLE t", /unterminated string literal/],
  ['SELECT `unclosed', /unterminated backticked identifier/],
  ['SELECT 1 /* unclosed', /unterminated \/\* comment/],
  ['SELECT 1 /* a /* b */ ; DROP TABLE t; /* c */ */', /nested \/\* comment/],
  ["SELECT 'a\\'; DROP TABLE t; --'", /holds 2 statements .*when backslashes in strings escape nothing/],
  ["SELECT {{ ' }} , '; DROP TABLE t; --'", /holds 2 statements .*when \{\{ \}\} and \$\{ \} are not parameters/],
  ['SELECT 1 {{ ; DROP TABLE t; -- }}', /holds 2 statements .*when \{\{ \}\} and \$\{ \} are not parameters/],
  ['SELECT ${ x ; DELETE FROM t }', /holds 2 statements \(a DELETE statement/],
  ['* FROM t', /does not start with a statement keyword \(it starts with "\*"\)/]
]

describe('checkReadOnly: accepted', () => {
  it.each(READ_ONLY)('%j is %s', (sql, kind) => {
    const r = checkReadOnly(sql)
    expect(r).toMatchObject({ readOnly: true, kind })
    expect(isReadOnly(sql)).toBe(true)
  })
})

describe('checkReadOnly: refused', () => {
  it.each(REFUSED)('%j', (sql, reason) => {
    const r = checkReadOnly(sql)
    expect(r.readOnly).toBe(false)
    if (r.readOnly) return
    expect(r.reason).toMatch(reason)
    expect(r.reason).not.toMatch(/[\r\n]/)
    expect(r.at).toBeGreaterThanOrEqual(0)
    expect(r.at).toBeLessThanOrEqual(sql.length)
    expect(isReadOnly(sql)).toBe(false)
  })

  it('has at least 40 cases on each side together, both sides well covered', () => {
    expect(READ_ONLY.length + REFUSED.length).toBeGreaterThanOrEqual(40)
    expect(READ_ONLY.length).toBeGreaterThanOrEqual(20)
    expect(REFUSED.length).toBeGreaterThanOrEqual(20)
  })
})

describe('checkReadOnly: what is sent and where a refusal points', () => {
  it('sends the one statement with its comments, without surrounding whitespace, the semicolons and what follows them', () => {
    expect(checkReadOnly('\n -- why\n  SELECT 1 /* keep */ + 2 -- end\n ;; -- done\n')).toMatchObject({
      readOnly: true,
      statement: '-- why\n  SELECT 1 /* keep */ + 2 -- end'
    })
    expect(checkReadOnly('-- nothing here\n; SELECT 1;')).toMatchObject({ readOnly: true, statement: 'SELECT 1' })
  })

  it('points at the second statement and at the refused keyword', () => {
    const sql = 'SELECT 1;\n  DELETE FROM t'
    expect(checkReadOnly(sql)).toMatchObject({ readOnly: false, at: sql.indexOf('DELETE') })
    const cte = 'WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x'
    expect(checkReadOnly(cte)).toMatchObject({ readOnly: false, at: cte.indexOf('INSERT') })
  })

  it('never throws, whatever the input', () => {
    for (const junk of ['(', ')', '((((', 'WITH', 'WITH x', 'WITH x (', 'EXPLAIN', ';', '`', "'", '/*', '\\', '\uD800']) {
      expect(() => checkReadOnly(junk)).not.toThrow()
      expect(checkReadOnly(junk).readOnly).toBe(false)
    }
  })
})
