import { checkReadOnly, javaPatternToStrftime, literalForType, translateSql } from '../../src/emulator/sql/translate.js'
import { createSpace, SPACES } from './helpers.js'
import { manualClock, sql, start, stopAll, STATEMENTS } from './genie-helpers.js'

afterEach(stopAll)

const NOW = Date.parse('2025-03-15T12:34:56.789Z')

describe('Databricks SQL → DuckDB translation', () => {
  const t = (s: string): string => translateSql(s, { now: NOW })

  test('backtick identifiers become double-quoted; three-part names stay', () => {
    expect(t('SELECT `net amount`, `a``b` FROM `shop_dev`.`sales`.`orders`')).toBe('SELECT "net amount", "a`b" FROM "shop_dev"."sales"."orders"')
    expect(t('SELECT "x" FROM shop_dev.sales.orders')).toBe("SELECT 'x' FROM shop_dev.sales.orders")
  })

  test('string literals: backslash escapes decoded, quotes doubled; nothing inside a string is rewritten', () => {
    expect(t("SELECT 'it\\'s', \"say \\\"hi\\\"\", 'a''b', 'c' 'd'")).toBe("SELECT 'it''s', 'say \"hi\"', 'ab', 'cd'")
    expect(t("SELECT 'current_date() `x` add_months(' AS s")).toBe("SELECT 'current_date() `x` add_months(' AS s")
    expect(t("SELECT name LIKE 'a\\_b'")).toBe("SELECT name LIKE 'a\\_b'")
  })

  test('current_date()/current_timestamp()/now() use the emulator clock', () => {
    expect(t('SELECT current_date(), CURRENT_DATE, current_timestamp(), now()')).toBe(
      "SELECT DATE '2025-03-15', DATE '2025-03-15', TIMESTAMP '2025-03-15 12:34:56.789', TIMESTAMP '2025-03-15 12:34:56.789'"
    )
    // A column called now (no call) and a qualified name stay.
    expect(t('SELECT t.current_date, now FROM t')).toBe('SELECT t.current_date, now FROM t')
  })

  test('Databricks functions are renamed to the dbx_* macros; comments and casts are kept', () => {
    expect(t('SELECT add_months(d, -1), DATE_ADD(d, 1), date_sub(d, 2), datediff(a, b), nvl(x, 0) -- add_months(\n::int')).toBe(
      'SELECT dbx_add_months(d, -1), dbx_date_add(d, 1), dbx_date_sub(d, 2), dbx_datediff(a, b), dbx_nvl(x, 0) -- add_months(\n::int'
    )
    expect(t("SELECT date_format(order_date, 'yyyy-MM'), to_date('05/03/2024', 'dd/MM/yyyy'), to_date(s)")).toBe(
      "SELECT dbx_date_format(order_date, '%Y-%m'), dbx_to_date('05/03/2024', '%d/%m/%Y'), dbx_to_date(s)"
    )
    // Not a call, or qualified: untouched.
    expect(t('SELECT add_months, x.nvl(1) FROM t')).toBe('SELECT add_months, x.nvl(1) FROM t')
  })

  test('Java date patterns', () => {
    expect(javaPatternToStrftime("yyyy-MM-dd'T'HH:mm:ss")).toBe('%Y-%m-%dT%H:%M:%S')
    expect(javaPatternToStrftime('MMM d, yy EEEE')).toBe('%b %-d, %y %A')
  })

  test('parameter literals per type', () => {
    expect(literalForType('DE', 'STRING')).toBe("'DE'")
    expect(literalForType("O'Brien", undefined)).toBe("'O\\'Brien'")
    expect(literalForType('10', 'INT')).toBe('10')
    expect(literalForType('ten', 'INT')).toBe("'ten'")
    expect(literalForType('2.5', 'DECIMAL(10,2)')).toBe('2.5')
    expect(literalForType('TRUE', 'BOOLEAN')).toBe('true')
    expect(literalForType('2024-01-01', 'DATE')).toBe("DATE '2024-01-01'")
    expect(literalForType(null, 'STRING')).toBe('NULL')
  })

  test('read-only check', () => {
    expect(checkReadOnly('SELECT 1;')).toEqual({ ok: true })
    expect(checkReadOnly('-- hello\n(SELECT 1)')).toEqual({ ok: true })
    expect(checkReadOnly('WITH x AS (SELECT 1) SELECT * FROM x')).toEqual({ ok: true })
    expect(checkReadOnly('VALUES (1)')).toEqual({ ok: true })
    expect(checkReadOnly('DROP TABLE shop_dev.sales.orders')).toMatchObject({ ok: false, message: expect.stringContaining('read-only') })
    expect(checkReadOnly('SELECT 1; SELECT 2')).toMatchObject({ ok: false, message: expect.stringContaining('MULTIPLE_STATEMENTS') })
    expect(checkReadOnly('  ')).toMatchObject({ ok: false })
  })
})

describe('the SQL engine over the Statement Execution API', () => {
  const rows = async (api: Parameters<typeof sql>[0], statement: string, extra: Record<string, unknown> = {}): Promise<(string | null)[][]> => {
    const r = await sql(api, statement, extra)
    expect(r.status).toBe(200)
    if (r.body.status.state !== 'SUCCEEDED') throw new Error(JSON.stringify(r.body.status))
    return (r.body.result.data_array ?? []) as (string | null)[][]
  }

  test('DuckDB is loaded lazily: CRUD alone never loads it', async () => {
    const { emu, api } = await start()
    expect((await createSpace(api)).status).toBe(200)
    expect((await api.get(SPACES)).status).toBe(200)
    expect(emu.sqlEngineLoaded()).toBe(false)
    expect(await rows(api, 'SELECT 1 AS one')).toEqual([['1']])
    expect(emu.sqlEngineLoaded()).toBe(true)
  })

  test('the demo dataset: three catalogs with the same data, samples.nyctaxi.trips', async () => {
    const { api } = await start()
    const counts = async (catalog: string): Promise<(string | null)[][]> =>
      rows(
        api,
        `SELECT (SELECT count(*) FROM ${catalog}.sales.orders), (SELECT count(*) FROM ${catalog}.sales.customers), ` +
          `(SELECT count(*) FROM ${catalog}.sales.products), (SELECT sum(net_amount) FROM ${catalog}.sales.orders)`
      )
    const dev = await counts('shop_dev')
    expect(dev[0]?.slice(0, 3)).toEqual(['400', '60', '22'])
    expect(await counts('shop_stage')).toEqual(dev)
    expect(await counts('shop_prod')).toEqual(dev)
    expect(await rows(api, 'SELECT DISTINCT status FROM shop_dev.sales.orders ORDER BY 1')).toEqual([
      ['CANCELLED'],
      ['DELIVERED'],
      ['PLACED'],
      ['RETURNED'],
      ['SHIPPED']
    ])
    expect(await rows(api, 'SELECT DISTINCT segment FROM shop_dev.sales.customers ORDER BY 1')).toEqual([['CONSUMER'], ['ENTERPRISE'], ['SMALL_BUSINESS']])
    const trips = await rows(api, 'SELECT count(*), count_if(trip_distance > 10), min(pickup_zip) > 10000 FROM samples.nyctaxi.trips')
    expect(trips[0]?.[0]).toBe('300')
    expect(Number(trips[0]?.[1])).toBeGreaterThan(0)
    expect(trips[0]?.[2]).toBe('true')
  })

  test('data is relative to the emulator clock: every one of the last 13 months has orders', async () => {
    const clock = manualClock(Date.parse('2031-02-10T08:00:00Z'))
    const { api } = await start({ clock: clock.now, faults: { statementLatencyMs: 0 } })
    const months = await rows(
      api,
      "SELECT count(DISTINCT date_trunc('month', order_date)) FROM shop_dev.sales.orders " +
        "WHERE order_date >= add_months(date_trunc('month', current_date()), -12) AND order_date <= current_date()"
    )
    expect(months).toEqual([['13']])
    const lastMonth = await rows(
      api,
      "SELECT count(*) FROM shop_dev.sales.orders WHERE order_date >= date_trunc('month', add_months(current_date(), -1)) AND order_date < date_trunc('month', current_date())"
    )
    expect(Number(lastMonth[0]?.[0])).toBeGreaterThan(5)
    expect(await rows(api, 'SELECT max(order_date) <= current_date() FROM shop_dev.sales.orders')).toEqual([['true']])
  })

  test('the same data seed gives the same data; another gives other data', async () => {
    const clock = manualClock()
    const faults = { statementLatencyMs: 0 }
    const a = await start({ clock: clock.now, seed: 1, faults })
    const b = await start({ clock: clock.now, seed: 2, faults })
    const c = await start({ clock: clock.now, dataSeed: 99, faults })
    const q = 'SELECT sum(net_amount), min(order_date), max(customer_id) FROM shop_prod.sales.orders'
    expect(await rows(b.api, q)).toEqual(await rows(a.api, q))
    expect(await rows(c.api, q)).not.toEqual(await rows(a.api, q))
  })

  test('Databricks functions on DuckDB', async () => {
    const { api } = await start()
    expect(
      await rows(
        api,
        "SELECT add_months(DATE '2024-01-31', 1), date_add('2024-02-28', 2), date_sub(DATE '2024-03-01', 1), " +
          "datediff(DATE '2024-03-01', DATE '2024-02-01'), nvl(NULL, 'x'), nvl2(NULL, 'a', 'b'), ifnull(NULL, 3), " +
          "to_date('2024-05-06'), to_date('06/05/2024', 'dd/MM/yyyy'), date_format(DATE '2024-05-06', 'yyyy-MM'), " +
          "dayofweek(DATE '2024-05-05'), year(DATE '2024-05-06'), month(DATE '2024-05-06'), day(DATE '2024-05-06')"
      )
    ).toEqual([['2024-02-29', '2024-03-01', '2024-02-29', '29', 'x', 'b', '3', '2024-05-06', '2024-05-06', '2024-05', '1', '2024', '5', '6']])
    expect(await rows(api, 'SELECT count_if(x > 1), any_value(x) IS NOT NULL FROM (VALUES (1), (2), (3)) t(x)')).toEqual([['2', 'true']])
    // NULLs sort first ascending, as in Databricks.
    expect(await rows(api, 'SELECT x FROM (VALUES (2), (NULL), (1)) t(x) ORDER BY x')).toEqual([[null], ['1'], ['2']])
  })

  test('column types and value formatting', async () => {
    const { api } = await start()
    const r = await sql(
      api,
      "SELECT count(*) AS n, CAST(1.5 AS DECIMAL(12,2)) AS d, 3.0 / 2 AS f, DATE '2024-01-02' AS day, " +
        "TIMESTAMP '2024-01-02 03:04:05' AS ts, 'x' AS s, true AS b, CAST(7 AS INT) AS i, CAST(NULL AS STRING) AS nothing, CAST(2 AS DOUBLE) AS two " +
        'FROM shop_dev.sales.products'
    )
    expect(r.body.status.state).toBe('SUCCEEDED')
    expect(r.body.manifest.schema.columns).toEqual([
      { name: 'n', position: 0, type_name: 'LONG', type_text: 'BIGINT' },
      { name: 'd', position: 1, type_name: 'DECIMAL', type_text: 'DECIMAL(12,2)', type_precision: 12, type_scale: 2 },
      { name: 'f', position: 2, type_name: 'DOUBLE', type_text: 'DOUBLE' },
      { name: 'day', position: 3, type_name: 'DATE', type_text: 'DATE' },
      { name: 'ts', position: 4, type_name: 'TIMESTAMP', type_text: 'TIMESTAMP' },
      { name: 's', position: 5, type_name: 'STRING', type_text: 'STRING' },
      { name: 'b', position: 6, type_name: 'BOOLEAN', type_text: 'BOOLEAN' },
      { name: 'i', position: 7, type_name: 'INT', type_text: 'INT' },
      { name: 'nothing', position: 8, type_name: 'STRING', type_text: 'STRING' },
      { name: 'two', position: 9, type_name: 'DOUBLE', type_text: 'DOUBLE' }
    ])
    expect(r.body.result.data_array).toEqual([['22', '1.50', '1.5', '2024-01-02', '2024-01-02T03:04:05.000Z', 'x', 'true', '7', null, '2.0']])
  })

  test('catalog and schema of the request are the defaults for unqualified names', async () => {
    const { api } = await start()
    expect(await rows(api, 'SELECT count(*) FROM orders', { catalog: 'shop_prod', schema: 'sales' })).toEqual([['400']])
    const r = await sql(api, 'SELECT count(*) FROM orders')
    expect(r.body.status.state).toBe('FAILED')
    const bad = await sql(api, 'SELECT 1', { catalog: 'nope', schema: 'sales' })
    expect(bad.body.status.state).toBe('FAILED')
  })

  test('no files, no writes', async () => {
    const { api } = await start()
    for (const statement of [
      "SELECT * FROM read_csv('/etc/passwd')",
      'WITH x AS (SELECT 1 AS a) INSERT INTO shop_dev.sales.products SELECT a, a, a, a FROM x',
      'DELETE FROM shop_dev.sales.orders',
      "ATTACH '/tmp/evil.db' AS evil"
    ]) {
      const r = await sql(api, statement)
      expect(r.status).toBe(200)
      expect(r.body.status.state).toBe('FAILED')
    }
    expect(await rows(api, 'SELECT count(*) FROM shop_dev.sales.products')).toEqual([['22']])
    // The request reached the statement API (it is logged like every other call).
    expect(STATEMENTS).toBe('/api/2.0/sql/statements')
  })
})
