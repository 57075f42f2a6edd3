/**
 * Genie-style SQL statements with the tables (in order of first appearance) and the columns (any
 * order) each one uses. The expectations were written from reading the SQL, not from the
 * library's output.
 */
export interface CorpusCase {
  name: string
  sql: string
  tables: string[]
  columns: string[]
}

export const CORPUS: CorpusCase[] = [
  {
    name: 'backticked three-part name, aggregate, alias reused in ORDER BY',
    sql: `SELECT \`region\`, SUM(\`net_amount\`) AS \`total_revenue\`
FROM \`main\`.\`sales\`.\`orders\`
WHERE \`status\` <> 'CANCELLED'
GROUP BY \`region\`
ORDER BY \`total_revenue\` DESC`,
    tables: ['main.sales.orders'],
    columns: ['region', 'net_amount', 'status']
  },
  {
    name: 'join with aliases, date_trunc, add_months, GROUP BY ALL',
    sql: `SELECT date_trunc('MONTH', o.order_date) AS order_month, c.segment, COUNT(DISTINCT o.order_id) AS orders
FROM main.sales.orders o
JOIN main.sales.customers c ON o.customer_id = c.customer_id
WHERE o.order_date >= add_months(current_date(), -12)
GROUP BY ALL
ORDER BY order_month`,
    tables: ['main.sales.orders', 'main.sales.customers'],
    columns: ['order_date', 'segment', 'order_id', 'customer_id']
  },
  {
    name: 'CTE named like a real table',
    sql: `WITH orders AS (
  SELECT * FROM main.sales.orders WHERE status = 'COMPLETE'
)
SELECT customer_id, COUNT(*) AS n
FROM orders
GROUP BY customer_id
HAVING COUNT(*) > 5`,
    tables: ['main.sales.orders'],
    columns: ['status', 'customer_id']
  },
  {
    name: 'nested CTEs, LAG window, aliases of inner queries used outside',
    sql: `WITH monthly AS (
  WITH base AS (
    SELECT order_id, order_date, net_amount FROM \`main\`.\`sales\`.\`orders\`
  )
  SELECT date_trunc('month', order_date) AS month, SUM(net_amount) AS revenue FROM base GROUP BY 1
), ranked AS (
  SELECT month, revenue, LAG(revenue) OVER (ORDER BY month) AS prev_revenue FROM monthly
)
SELECT month, revenue, (revenue - prev_revenue) / prev_revenue AS growth FROM ranked ORDER BY month`,
    tables: ['main.sales.orders'],
    columns: ['order_id', 'order_date', 'net_amount']
  },
  {
    name: 'WITH RECURSIVE with a column list',
    sql: `WITH RECURSIVE org (employee_id, manager_id, depth) AS (
  SELECT employee_id, manager_id, 0 FROM hr.core.employees WHERE manager_id IS NULL
  UNION ALL
  SELECT e.employee_id, e.manager_id, org.depth + 1
  FROM hr.core.employees e JOIN org ON e.manager_id = org.employee_id
)
SELECT depth, COUNT(*) AS headcount FROM org GROUP BY depth`,
    tables: ['hr.core.employees'],
    columns: ['employee_id', 'manager_id']
  },
  {
    name: 'UNION ALL of two tables with literal columns',
    sql: `SELECT 'online' AS channel, order_id, net_amount FROM main.sales.web_orders
UNION ALL
SELECT 'store' AS channel, order_id, net_amount FROM main.sales.store_orders`,
    tables: ['main.sales.web_orders', 'main.sales.store_orders'],
    columns: ['order_id', 'net_amount']
  },
  {
    name: 'subqueries in WHERE: IN and correlated NOT EXISTS',
    sql: `SELECT c.customer_id, c.name
FROM main.sales.customers AS c
WHERE c.customer_id IN (SELECT customer_id FROM main.sales.orders WHERE order_date >= '2024-01-01')
  AND NOT EXISTS (SELECT 1 FROM main.support.tickets t WHERE t.customer_id = c.customer_id AND t.severity = 'HIGH')`,
    tables: ['main.sales.customers', 'main.sales.orders', 'main.support.tickets'],
    columns: ['customer_id', 'name', 'order_date', 'severity']
  },
  {
    name: 'scalar subquery in SELECT comes before the outer FROM',
    sql: `SELECT p.product_id, p.product_name,
       (SELECT AVG(r.rating) FROM main.catalog_db.reviews r WHERE r.product_id = p.product_id) AS avg_rating
FROM main.catalog_db.products p
ORDER BY avg_rating DESC NULLS LAST
LIMIT 10`,
    tables: ['main.catalog_db.reviews', 'main.catalog_db.products'],
    columns: ['product_id', 'product_name', 'rating']
  },
  {
    name: 'every join kind',
    sql: `SELECT a.id, b.val, c.val2, d.flag
FROM cat.s.a a
INNER JOIN cat.s.b b ON a.id = b.a_id
LEFT OUTER JOIN cat.s.c c ON a.id = c.a_id
RIGHT JOIN cat.s.d d ON d.a_id = a.id
FULL OUTER JOIN cat.s.e e ON e.a_id = a.id
CROSS JOIN cat.s.f
LEFT ANTI JOIN cat.s.g g ON g.a_id = a.id
NATURAL JOIN cat.s.h
ANTI JOIN cat.s.i ON i.a_id = a.id`,
    tables: ['cat.s.a', 'cat.s.b', 'cat.s.c', 'cat.s.d', 'cat.s.e', 'cat.s.f', 'cat.s.g', 'cat.s.h', 'cat.s.i'],
    columns: ['id', 'val', 'val2', 'flag', 'a_id']
  },
  {
    name: 'LEFT SEMI JOIN and t.*',
    sql: `SELECT o.* FROM main.sales.orders o LEFT SEMI JOIN main.sales.vip_customers v ON o.customer_id = v.customer_id`,
    tables: ['main.sales.orders', 'main.sales.vip_customers'],
    columns: ['customer_id']
  },
  {
    name: 'ROW_NUMBER and QUALIFY',
    sql: `SELECT customer_id, order_id, net_amount,
       ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY order_date DESC) AS rn
FROM main.sales.orders
QUALIFY rn = 1`,
    tables: ['main.sales.orders'],
    columns: ['customer_id', 'order_id', 'net_amount', 'order_date']
  },
  {
    name: 'window frames and a named WINDOW',
    sql: `SELECT store_id, sale_date,
  SUM(amount) OVER w AS running_total,
  AVG(amount) OVER (PARTITION BY store_id ORDER BY sale_date ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS avg_7d
FROM retail.pos.daily_sales
WINDOW w AS (PARTITION BY store_id ORDER BY sale_date ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`,
    tables: ['retail.pos.daily_sales'],
    columns: ['store_id', 'sale_date', 'amount']
  },
  {
    name: 'CASE in SELECT and GROUP BY',
    sql: `SELECT CASE WHEN net_amount >= 1000 THEN 'large' WHEN net_amount >= 100 THEN 'medium' ELSE 'small' END AS bucket,
       COUNT(*) AS cnt
FROM main.sales.orders
GROUP BY CASE WHEN net_amount >= 1000 THEN 'large' WHEN net_amount >= 100 THEN 'medium' ELSE 'small' END`,
    tables: ['main.sales.orders'],
    columns: ['net_amount']
  },
  {
    name: ':param placeholders',
    sql: `SELECT region, SUM(net_amount) AS revenue
FROM main.sales.orders
WHERE order_date BETWEEN :start_date AND :end_date
  AND region = :region
GROUP BY region`,
    tables: ['main.sales.orders'],
    columns: ['region', 'net_amount', 'order_date']
  },
  {
    name: 'comments that mention other tables',
    sql: `-- history lives in main.sales.orders_archive, see FROM legacy.db.old_orders
/* SELECT * FROM legacy.db.old_orders o JOIN x.y.z ON 1 = 1 /* nested */ still comment */
SELECT order_id FROM main.sales.orders -- JOIN main.sales.returns r
WHERE status = 'OPEN'`,
    tables: ['main.sales.orders'],
    columns: ['order_id', 'status']
  },
  {
    name: 'strings that look like SQL',
    sql: `SELECT order_id, 'FROM fake.schema.table' AS note, "JOIN other.s.t ON a = b" AS n2, 'it''s \\' FROM q.r.s' AS n3
FROM main.sales.orders
WHERE comment NOT LIKE '%select * from a.b.c%'`,
    tables: ['main.sales.orders'],
    columns: ['order_id', 'comment']
  },
  {
    name: 'LATERAL VIEW explode with a struct alias',
    sql: `SELECT o.order_id, item.sku, item.qty
FROM main.sales.orders o
LATERAL VIEW explode(o.line_items) li AS item
WHERE item.qty > 1`,
    tables: ['main.sales.orders'],
    columns: ['order_id', 'sku', 'qty', 'line_items']
  },
  {
    name: 'LATERAL VIEW OUTER posexplode with two column aliases used before they are declared',
    sql: `SELECT e.event_id, pos, tag
FROM analytics.web.events e
LATERAL VIEW OUTER posexplode(e.tags) t AS pos, tag
WHERE e.event_date = current_date()`,
    tables: ['analytics.web.events'],
    columns: ['event_id', 'tags', 'event_date']
  },
  {
    name: 'PIVOT over a derived table',
    sql: `SELECT * FROM (
  SELECT region, quarter(order_date) AS q, net_amount FROM main.sales.orders
) PIVOT (SUM(net_amount) FOR q IN (1 AS q1, 2 AS q2, 3 AS q3, 4 AS q4))
ORDER BY region`,
    tables: ['main.sales.orders'],
    columns: ['region', 'order_date', 'net_amount']
  },
  {
    name: 'time travel VERSION AS OF',
    sql: `SELECT COUNT(*) AS n_before FROM main.sales.orders VERSION AS OF 42 WHERE status = 'OPEN'`,
    tables: ['main.sales.orders'],
    columns: ['status']
  },
  {
    name: 'time travel TIMESTAMP AS OF, same table twice',
    sql: `SELECT cur.order_id, cur.status, old.status AS old_status
FROM main.sales.orders cur
JOIN main.sales.orders TIMESTAMP AS OF '2024-06-01' AS old ON cur.order_id = old.order_id
WHERE cur.status <> old.status`,
    tables: ['main.sales.orders'],
    columns: ['order_id', 'status']
  },
  {
    name: 'lower-case keywords',
    sql: `select c.country, count(*) as customers
from main.crm.customers c
left join main.crm.addresses a on a.customer_id = c.customer_id
where a.is_primary = true
group by c.country
order by customers desc
limit 20`,
    tables: ['main.crm.customers', 'main.crm.addresses'],
    columns: ['country', 'customer_id', 'is_primary']
  },
  {
    name: 'mixed-case keywords and names, typed date literal',
    sql: `Select Product_Category, Sum(Quantity) As Units From Main.Retail.Sales S Where S.Sale_Date >= Date '2024-01-01' Group By Product_Category`,
    tables: ['main.retail.sales'],
    columns: ['product_category', 'quantity', 'sale_date']
  },
  {
    name: 'TABLESAMPLE',
    sql: `SELECT user_id, session_length FROM analytics.web.sessions TABLESAMPLE (10 PERCENT) s WHERE s.session_length > 0`,
    tables: ['analytics.web.sessions'],
    columns: ['user_id', 'session_length']
  },
  {
    name: 'range() table function joined to a table',
    sql: `SELECT r.id, d.day FROM range(10) AS r JOIN main.ref.dates d ON d.day_index = r.id`,
    tables: ['main.ref.dates'],
    columns: ['id', 'day', 'day_index']
  },
  {
    name: 'read_files and a catalog function are not tables',
    sql: `SELECT f.value FROM read_files('/Volumes/main/raw/landing/*.json', format => 'json') f
UNION ALL
SELECT t.value FROM main.util.explode_range(5) t`,
    tables: [],
    columns: ['value']
  },
  {
    name: 'VALUES list joined to a table',
    sql: `SELECT v.region_code, r.region_name
FROM VALUES ('EU'), ('US'), ('APAC') AS v(region_code)
JOIN main.ref.regions r ON r.region_code = v.region_code`,
    tables: ['main.ref.regions'],
    columns: ['region_name', 'region_code']
  },
  {
    name: 'comma joins',
    sql: `SELECT o.order_id, p.product_name
FROM main.sales.orders o, main.sales.order_items i, main.sales.products p
WHERE o.order_id = i.order_id AND i.product_id = p.product_id`,
    tables: ['main.sales.orders', 'main.sales.order_items', 'main.sales.products'],
    columns: ['order_id', 'product_name', 'product_id']
  },
  {
    name: 'derived table joined to a table, its alias columns referenced outside',
    sql: `SELECT c.segment, AVG(t.total) AS avg_total
FROM (
  SELECT customer_id, SUM(net_amount) AS total FROM main.sales.orders GROUP BY customer_id
) t
JOIN main.sales.customers c ON c.customer_id = t.customer_id
GROUP BY c.segment`,
    tables: ['main.sales.orders', 'main.sales.customers'],
    columns: ['customer_id', 'net_amount', 'segment']
  },
  {
    name: 'INSERT INTO … SELECT',
    sql: `INSERT INTO main.reporting.daily_revenue (report_date, revenue)
SELECT order_date, SUM(net_amount) FROM main.sales.orders GROUP BY order_date`,
    tables: ['main.reporting.daily_revenue', 'main.sales.orders'],
    columns: ['report_date', 'revenue', 'order_date', 'net_amount']
  },
  {
    name: 'MERGE INTO … USING',
    sql: `MERGE INTO main.crm.customers AS tgt
USING main.staging.customer_updates AS src
ON tgt.customer_id = src.customer_id
WHEN MATCHED THEN UPDATE SET tgt.email = src.email
WHEN NOT MATCHED THEN INSERT (customer_id, email) VALUES (src.customer_id, src.email)`,
    tables: ['main.crm.customers', 'main.staging.customer_updates'],
    columns: ['customer_id', 'email']
  },
  {
    name: 'UPDATE',
    sql: `UPDATE main.crm.customers SET segment = 'VIP' WHERE lifetime_value > 10000`,
    tables: ['main.crm.customers'],
    columns: ['segment', 'lifetime_value']
  },
  {
    name: 'DELETE FROM',
    sql: `DELETE FROM main.sales.orders WHERE order_date < add_months(current_date(), -84)`,
    tables: ['main.sales.orders'],
    columns: ['order_date']
  },
  {
    name: 'INTERSECT and EXCEPT',
    sql: `SELECT customer_id FROM main.sales.orders WHERE order_date >= '2024-01-01'
INTERSECT
SELECT customer_id FROM main.marketing.campaign_responses
EXCEPT
SELECT customer_id FROM main.crm.unsubscribed`,
    tables: ['main.sales.orders', 'main.marketing.campaign_responses', 'main.crm.unsubscribed'],
    columns: ['customer_id', 'order_date']
  },
  {
    name: 'two-part and one-part names',
    sql: `SELECT o.order_id, s.store_name FROM sales.orders o JOIN stores s ON o.store_id = s.store_id`,
    tables: ['sales.orders', 'stores'],
    columns: ['order_id', 'store_name', 'store_id']
  },
  {
    name: 'a whole name in one pair of backticks, a column with a space',
    sql: "SELECT COUNT(*) FROM `main.sales.orders` WHERE `order status` = 'shipped'",
    tables: ['main.sales.orders'],
    columns: ['order status']
  },
  {
    name: 'EXTRACT … FROM and IS DISTINCT FROM are not FROM clauses',
    sql: `SELECT EXTRACT(YEAR FROM ship_date) AS ship_year, COUNT(*) AS n
FROM main.logistics.shipments
WHERE carrier IS DISTINCT FROM 'UNKNOWN' AND EXTRACT(MONTH FROM ship_date) = 12
GROUP BY 1`,
    tables: ['main.logistics.shipments'],
    columns: ['ship_date', 'carrier']
  },
  {
    name: 'datediff with a unit, INTERVAL, date_sub',
    sql: `SELECT customer_id, datediff(DAY, first_order, last_order) AS tenure_days
FROM main.sales.customer_summary
WHERE last_order >= current_timestamp() - INTERVAL 90 DAYS
  AND first_order < date_sub(current_date(), 365)`,
    tables: ['main.sales.customer_summary'],
    columns: ['customer_id', 'first_order', 'last_order']
  },
  {
    name: 'JSON paths, CAST and :: casts',
    sql: `SELECT raw:device.os AS os, CAST(raw:duration AS INT) AS duration_s, event_ts::date AS d, CAST(payload AS ARRAY<STRING>) AS p
FROM analytics.raw.events_json
WHERE event_type = 'session_end'`,
    tables: ['analytics.raw.events_json'],
    columns: ['raw', 'event_ts', 'payload', 'event_type']
  },
  {
    name: 'higher-order functions with lambdas',
    sql: `SELECT order_id, filter(line_items, x -> x.qty > 0) AS positive_items, transform(tags, (t, i) -> concat(i, ':', t)) AS tagged
FROM main.sales.orders`,
    tables: ['main.sales.orders'],
    columns: ['order_id', 'line_items', 'tags']
  },
  {
    name: 'ROLLUP, alias named like the column it aggregates',
    sql: `SELECT region, product_line, SUM(revenue) AS revenue
FROM main.finance.revenue_facts
GROUP BY ROLLUP (region, product_line)`,
    tables: ['main.finance.revenue_facts'],
    columns: ['region', 'product_line', 'revenue']
  },
  {
    name: 'a CTE name is only in scope in its own statement',
    sql: `WITH t AS (SELECT 1 AS x) SELECT * FROM t;
SELECT * FROM t`,
    tables: ['t'],
    columns: []
  },
  {
    name: 'a CTE body that reads the real table of the same name',
    sql: `WITH customers AS (SELECT * FROM customers WHERE active) SELECT COUNT(*) FROM customers`,
    tables: ['customers'],
    columns: ['active']
  },
  {
    name: 'parenthesised join in FROM',
    sql: `SELECT * FROM (main.sales.orders o JOIN main.sales.customers c ON o.customer_id = c.customer_id) WHERE c.country = 'DE'`,
    tables: ['main.sales.orders', 'main.sales.customers'],
    columns: ['customer_id', 'country']
  },
  {
    name: 'SELECT * EXCEPT (…)',
    sql: `SELECT * EXCEPT (ssn, dob) FROM main.hr.employees WHERE department = :dept`,
    tables: ['main.hr.employees'],
    columns: ['ssn', 'dob', 'department']
  },
  {
    name: 'map and array subscripts, TIMESTAMP literal',
    sql: `SELECT attributes['color'] AS color, sizes[0] AS first_size FROM main.catalog_db.products WHERE created_at > TIMESTAMP '2024-01-01 00:00:00'`,
    tables: ['main.catalog_db.products'],
    columns: ['attributes', 'sizes', 'created_at']
  },
  {
    name: 'columns qualified by the full table name',
    sql: `SELECT main.sales.orders.order_id FROM main.sales.orders WHERE main.sales.orders.net_amount > 100`,
    tables: ['main.sales.orders'],
    columns: ['order_id', 'net_amount']
  },
  {
    name: 'WITHIN GROUP and FILTER (WHERE …)',
    sql: `SELECT region, percentile_cont(0.5) WITHIN GROUP (ORDER BY net_amount) AS median_amount, COUNT(*) FILTER (WHERE status = 'RETURNED') AS returns
FROM main.sales.orders GROUP BY region`,
    tables: ['main.sales.orders'],
    columns: ['region', 'net_amount', 'status']
  },
  {
    name: 'UNPIVOT',
    sql: `SELECT store_id, quarter, sales FROM main.retail.quarterly_sales
UNPIVOT (sales FOR quarter IN (q1_sales, q2_sales, q3_sales, q4_sales))`,
    tables: ['main.retail.quarterly_sales'],
    columns: ['store_id', 'q1_sales', 'q2_sales', 'q3_sales', 'q4_sales']
  },
  {
    name: 'JOIN LATERAL subquery',
    sql: `SELECT c.customer_id, last_o.order_date
FROM main.sales.customers c
JOIN LATERAL (SELECT o.order_date FROM main.sales.orders o WHERE o.customer_id = c.customer_id ORDER BY o.order_date DESC LIMIT 1) last_o`,
    tables: ['main.sales.customers', 'main.sales.orders'],
    columns: ['customer_id', 'order_date']
  },
  {
    name: 'ILIKE, RLIKE and a {{ }} parameter',
    sql: `SELECT product_name FROM main.catalog_db.products WHERE product_name ILIKE '%widget%' OR sku RLIKE '^W-[0-9]+$' AND category = {{ category }}`,
    tables: ['main.catalog_db.products'],
    columns: ['product_name', 'sku', 'category']
  },
  {
    name: 'Genie-style: top customers by revenue in the last quarter',
    sql: `SELECT
  \`c\`.\`customer_name\`,
  ROUND(SUM(\`o\`.\`net_amount\`), 2) AS \`total_revenue\`
FROM
  \`shop_dev\`.\`sales\`.\`orders\` \`o\`
  INNER JOIN \`shop_dev\`.\`sales\`.\`customers\` \`c\` ON \`o\`.\`customer_id\` = \`c\`.\`customer_id\`
WHERE
  \`o\`.\`order_date\` >= DATE_TRUNC('QUARTER', ADD_MONTHS(CURRENT_DATE(), -3))
  AND \`o\`.\`order_date\` < DATE_TRUNC('QUARTER', CURRENT_DATE())
  AND \`o\`.\`net_amount\` IS NOT NULL
GROUP BY
  \`c\`.\`customer_name\`
ORDER BY
  \`total_revenue\` DESC
LIMIT
  10`,
    tables: ['shop_dev.sales.orders', 'shop_dev.sales.customers'],
    columns: ['customer_name', 'net_amount', 'customer_id', 'order_date']
  },
  {
    name: 'Genie-style: month-over-month with a CTE and a self join',
    sql: `WITH monthly_sales AS (
  SELECT DATE_TRUNC('MONTH', \`order_date\`) AS \`month\`, SUM(\`net_amount\`) AS \`sales\`
  FROM \`shop_dev\`.\`sales\`.\`orders\`
  WHERE \`status\` != 'CANCELLED'
  GROUP BY ALL
)
SELECT cur.\`month\`, cur.\`sales\`, prev.\`sales\` AS \`prev_sales\`,
  try_divide(cur.\`sales\` - prev.\`sales\`, prev.\`sales\`) * 100 AS \`pct_change\`
FROM monthly_sales cur
LEFT JOIN monthly_sales prev ON prev.\`month\` = ADD_MONTHS(cur.\`month\`, -1)
ORDER BY cur.\`month\``,
    tables: ['shop_dev.sales.orders'],
    columns: ['order_date', 'net_amount', 'status']
  }
]
