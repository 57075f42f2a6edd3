/**
 * The emulator's demo data: small, deterministic (seeded; default seed DEFAULT_DATA_SEED), and
 * generated relative to the emulator clock so that "last month" / "this year" questions have rows.
 *
 *   <catalog>.sales.customers (customer_id INT, name STRING, country STRING, segment STRING, created_at TIMESTAMP)
 *   <catalog>.sales.products  (product_id INT, name STRING, category STRING, list_price DECIMAL(10,2))
 *   <catalog>.sales.orders    (order_id INT, customer_id INT, product_id INT, order_date DATE,
 *                              status STRING, net_amount DECIMAL(12,2))
 *     for <catalog> in shop_dev, shop_stage, shop_prod — the same rows in all three.
 *   samples.nyctaxi.trips     (tpep_pickup_datetime TIMESTAMP, tpep_dropoff_datetime TIMESTAMP,
 *                              trip_distance DOUBLE, fare_amount DOUBLE, pickup_zip INT, dropoff_zip INT)
 *     — the columns of Databricks' own `samples.nyctaxi.trips` (used by the published bundle
 *     example); its dates are fixed in January–February 2016 like the real sample, not relative.
 *
 * Orders: ORDER_COUNT rows spread evenly at random over the ORDER_DAYS days up to and including
 * "today" (UTC date of the clock when the engine loads), so every one of the last 14 calendar
 * months has orders. Statuses: mostly DELIVERED, some SHIPPED/PLACED (recent), CANCELLED, RETURNED.
 * net_amount = list_price × quantity (1–4) × (1 − discount 0/5/10/15 %), rounded to cents.
 */
import { Rng } from '../prng.js'
import { quoteDuckString, utcDate, utcTimestamp } from './translate.js'

export const DEFAULT_DATA_SEED = 20240601
export const SHOP_CATALOGS = ['shop_dev', 'shop_stage', 'shop_prod'] as const
export const ORDER_COUNT = 400
export const ORDER_DAYS = 425
export const CUSTOMER_COUNT = 60
export const TRIP_COUNT = 300

const DAY = 86_400_000

const FIRST = ['Anna', 'Ben', 'Clara', 'David', 'Emma', 'Felix', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Klara', 'Luca', 'Mila', 'Noah', 'Olga']
const LAST = ['Schmidt', 'Martin', 'de Vries', 'Huber', 'Rossi', 'Garcia', 'Smith', 'Dubois', 'Meyer', 'Jansen', 'Bauer', "O'Brien"]
const COUNTRIES: readonly [string, number][] = [
  ['DE', 30],
  ['FR', 15],
  ['NL', 10],
  ['AT', 10],
  ['CH', 8],
  ['GB', 10],
  ['US', 12],
  ['ES', 5]
]
const SEGMENTS: readonly [string, number][] = [
  ['CONSUMER', 60],
  ['SMALL_BUSINESS', 28],
  ['ENTERPRISE', 12]
]
const PRODUCTS: readonly [string, string, number][] = [
  ['Noise-cancelling headphones', 'Electronics', 249],
  ['USB-C hub', 'Electronics', 39.9],
  ['4K monitor', 'Electronics', 399],
  ['Mechanical keyboard', 'Electronics', 129.5],
  ['Wireless mouse', 'Electronics', 29.99],
  ['Coffee grinder', 'Home', 89],
  ['Espresso machine', 'Home', 549],
  ['Desk lamp', 'Home', 45.5],
  ['Throw blanket', 'Home', 35],
  ['Garden hose 25 m', 'Garden', 42],
  ['Pruning shears', 'Garden', 24.95],
  ['Raised bed kit', 'Garden', 159],
  ['Building blocks set', 'Toys', 59.99],
  ['Puzzle 1000 pieces', 'Toys', 19.99],
  ['Remote control car', 'Toys', 79],
  ['Cookbook', 'Books', 32],
  ['Travel guide', 'Books', 24.5],
  ['Science fiction novel', 'Books', 14.99],
  ['Yoga mat', 'Sports', 34.9],
  ['Running shoes', 'Sports', 119],
  ['Bicycle helmet', 'Sports', 69],
  ['Dumbbell pair', 'Sports', 54]
]
const NYC_ZIPS = [10001, 10003, 10011, 10012, 10014, 10016, 10019, 10022, 10023, 10028, 10036, 10065, 11201, 11211, 11217, 11101, 11371, 10451]

function weighted(rng: Rng, table: readonly [string, number][]): string {
  const total = table.reduce((s, [, w]) => s + w, 0)
  let x = rng.next() * total
  for (const [v, w] of table) {
    x -= w
    if (x < 0) return v
  }
  return (table[table.length - 1] as [string, number])[0]
}

function int(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng.next() * (max - min + 1))
}

function money(n: number): string {
  return (Math.round(n * 100) / 100).toFixed(2)
}

export interface DatasetOptions {
  /** Epoch ms; "today" is its UTC date. */
  now: number
  seed?: number
}

/** DuckDB statements that create and fill every demo table (run once, when the engine loads). */
export function datasetStatements(options: DatasetOptions): string[] {
  const rng = new Rng(options.seed ?? DEFAULT_DATA_SEED)
  const today = Date.parse(`${utcDate(options.now)}T00:00:00Z`)

  const customers: string[] = []
  for (let id = 1; id <= CUSTOMER_COUNT; id++) {
    const name = `${FIRST[int(rng, 0, FIRST.length - 1)]} ${LAST[int(rng, 0, LAST.length - 1)]}`
    const country = weighted(rng, COUNTRIES)
    const segment = weighted(rng, SEGMENTS)
    const created = today - int(rng, 450, 1500) * DAY + int(rng, 0, DAY / 1000 - 1) * 1000
    customers.push(`(${id}, ${quoteDuckString(name)}, '${country}', '${segment}', TIMESTAMP '${utcTimestamp(created)}')`)
  }

  const products = PRODUCTS.map(([name, category, price], i) => `(${i + 1}, ${quoteDuckString(name)}, '${category}', ${money(price)})`)

  const dates: number[] = []
  for (let i = 0; i < ORDER_COUNT; i++) dates.push(today - int(rng, 0, ORDER_DAYS - 1) * DAY)
  dates.sort((a, b) => a - b)
  const orders = dates.map((date, i) => {
    const productIndex = int(rng, 0, PRODUCTS.length - 1)
    const price = (PRODUCTS[productIndex] as [string, string, number])[2]
    const quantity = int(rng, 1, 4)
    const discount = [0, 0, 0.05, 0.1, 0.15][int(rng, 0, 4)] as number
    const ageDays = (today - date) / DAY
    const r = rng.next()
    let status: string
    if (r < 0.07) status = 'CANCELLED'
    else if (r < 0.12) status = 'RETURNED'
    else if (ageDays < 3) status = 'PLACED'
    else if (ageDays < 10) status = 'SHIPPED'
    else status = 'DELIVERED'
    const customer = int(rng, 1, CUSTOMER_COUNT)
    return `(${i + 1}, ${customer}, ${productIndex + 1}, DATE '${utcDate(date)}', '${status}', ${money(price * quantity * (1 - discount))})`
  })

  const tripStart = Date.parse('2016-01-01T00:00:00Z')
  const trips: string[] = []
  for (let i = 0; i < TRIP_COUNT; i++) {
    const pickup = tripStart + int(rng, 0, 59 * 24 * 60 - 1) * 60_000 + int(rng, 0, 59) * 1000
    const longTrip = rng.next() < 0.08
    const distance = Math.round((longTrip ? 10 + rng.next() * 12 : 0.3 + rng.next() * 6) * 100) / 100
    const minutes = Math.max(2, Math.round(distance * (2.5 + rng.next() * 2)))
    const fare = Math.round((2.5 + distance * 2.5 + minutes * 0.5) * 2) / 2
    const from = NYC_ZIPS[int(rng, 0, NYC_ZIPS.length - 1)] as number
    const to = NYC_ZIPS[int(rng, 0, NYC_ZIPS.length - 1)] as number
    trips.push(`(TIMESTAMP '${utcTimestamp(pickup)}', TIMESTAMP '${utcTimestamp(pickup + minutes * 60_000)}', ${distance}, ${fare}, ${from}, ${to})`)
  }

  const statements: string[] = []
  const [first, ...others] = SHOP_CATALOGS
  for (const catalog of SHOP_CATALOGS) statements.push(`ATTACH ':memory:' AS ${catalog}`, `CREATE SCHEMA ${catalog}.sales`)
  statements.push(
    `CREATE TABLE ${first}.sales.customers (customer_id INTEGER, name VARCHAR, country VARCHAR, segment VARCHAR, created_at TIMESTAMP)`,
    `CREATE TABLE ${first}.sales.products (product_id INTEGER, name VARCHAR, category VARCHAR, list_price DECIMAL(10,2))`,
    `CREATE TABLE ${first}.sales.orders (order_id INTEGER, customer_id INTEGER, product_id INTEGER, order_date DATE, status VARCHAR, net_amount DECIMAL(12,2))`,
    `INSERT INTO ${first}.sales.customers VALUES ${customers.join(', ')}`,
    `INSERT INTO ${first}.sales.products VALUES ${products.join(', ')}`,
    `INSERT INTO ${first}.sales.orders VALUES ${orders.join(', ')}`
  )
  // The other catalogs hold copies (same columns, types and rows).
  for (const catalog of others) {
    for (const table of ['customers', 'products', 'orders']) {
      statements.push(`CREATE TABLE ${catalog}.sales.${table} AS SELECT * FROM ${first}.sales.${table}`)
    }
  }
  statements.push(
    `ATTACH ':memory:' AS samples`,
    `CREATE SCHEMA samples.nyctaxi`,
    `CREATE TABLE samples.nyctaxi.trips (tpep_pickup_datetime TIMESTAMP, tpep_dropoff_datetime TIMESTAMP, trip_distance DOUBLE, fare_amount DOUBLE, pickup_zip INTEGER, dropoff_zip INTEGER)`,
    `INSERT INTO samples.nyctaxi.trips VALUES ${trips.join(', ')}`
  )
  return statements
}
