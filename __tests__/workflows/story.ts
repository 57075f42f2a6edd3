/** The example repository's story, shared by the workflow scenarios and `npm run demo`. */
export const SPACE = 'spaces/sales/space.yaml'

/** The example query that answers the suite's cancelled-orders question (without it the gate fails). */
export const FIX = `example_queries:
  - question: How many orders were cancelled this year?
    sql: |
      SELECT COUNT(*) AS cancelled_orders
      FROM shop_dev.sales.orders
      WHERE status = 'CANCELLED' AND year(order_date) = year(current_date())
`
