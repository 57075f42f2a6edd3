/**
 * `spaceops emulator --dataset DIR`: the user's own sample data as warehouse tables, so a suite over
 * the user's tables runs offline. `DIR/<catalog>/<schema>/<table>.csv` (or `.parquet`) becomes the
 * table `<catalog>.<schema>.<table>`; DuckDB reads both formats and infers the column types
 * (read_csv_auto: header, delimiter, types from the data; read_parquet: the file's own schema).
 *
 * - Names must be plain identifiers (letters, digits, _; not starting with a digit), as unquoted
 *   Databricks names are; anything else is refused with the file named, before the emulator serves.
 * - A catalog DuckDB reserves (`system`) is attached under its alias (translate.ts catalogAlias),
 *   so `system.billing.usage` works as on Databricks.
 * - A table of the dataset replaces a demo table of the same name; the demo tables stay otherwise.
 * - Files are read once, when the SQL engine loads, before external access is switched off for
 *   good: SQL sent to the emulator can never read a file itself.
 */
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { catalogAlias, quoteDuckString } from './translate.js'

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/
const FILE = /^(.+)\.(csv|parquet)$/i

export interface DatasetTable {
  catalog: string
  schema: string
  table: string
  file: string
  format: 'csv' | 'parquet'
}

export class DatasetError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DatasetError'
  }
}

function dirs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
}

function checkName(name: string, what: string, where: string): string {
  if (!IDENTIFIER.test(name)) throw new DatasetError(`${where}: "${name}" is not a ${what} name (letters, digits and _, not starting with a digit)`)
  return name.toLowerCase()
}

/** Every table file under DIR (three levels: catalog / schema / table file); errors name the file. */
export function scanDataset(dir: string): DatasetTable[] {
  let st
  try {
    st = statSync(dir)
  } catch {
    throw new DatasetError(`--dataset ${dir}: no such directory`)
  }
  if (!st.isDirectory()) throw new DatasetError(`--dataset ${dir}: not a directory`)
  const tables: DatasetTable[] = []
  const seen = new Map<string, string>()
  for (const catalog of dirs(dir)) {
    const cdir = path.join(dir, catalog)
    for (const schema of dirs(cdir)) {
      const sdir = path.join(cdir, schema)
      for (const entry of readdirSync(sdir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const m = FILE.exec(entry.name)
        if (!entry.isFile() || !m) continue
        const file = path.join(sdir, entry.name)
        const t: DatasetTable = {
          catalog: checkName(catalog, 'catalog', file),
          schema: checkName(schema, 'schema', file),
          table: checkName(m[1] as string, 'table', file),
          file: path.resolve(file),
          format: (m[2] as string).toLowerCase() as 'csv' | 'parquet'
        }
        const key = `${t.catalog}.${t.schema}.${t.table}`
        const other = seen.get(key)
        if (other) throw new DatasetError(`${file}: table ${key} is also given by ${other}`)
        seen.set(key, file)
        tables.push(t)
      }
    }
  }
  if (!tables.length) throw new DatasetError(`--dataset ${dir}: no <catalog>/<schema>/<table>.csv or .parquet files`)
  return tables
}

/** DuckDB statements creating the dataset's tables; `attached`: catalogs that exist already. */
export function datasetTableStatements(tables: readonly DatasetTable[], attached: ReadonlySet<string>): { table: DatasetTable | undefined; sql: string }[] {
  const out: { table: DatasetTable | undefined; sql: string }[] = []
  const catalogs = new Set(attached)
  const schemas = new Set<string>()
  for (const t of tables) {
    const catalog = catalogAlias(t.catalog)
    if (!catalogs.has(catalog)) {
      catalogs.add(catalog)
      out.push({ table: undefined, sql: `ATTACH ':memory:' AS "${catalog}"` })
    }
    if (!schemas.has(`${catalog}.${t.schema}`)) {
      schemas.add(`${catalog}.${t.schema}`)
      out.push({ table: undefined, sql: `CREATE SCHEMA IF NOT EXISTS "${catalog}"."${t.schema}"` })
    }
    const source = t.format === 'csv' ? `read_csv_auto(${quoteDuckString(t.file)}, header = true)` : `read_parquet(${quoteDuckString(t.file)})`
    out.push({ table: t, sql: `CREATE OR REPLACE TABLE "${catalog}"."${t.schema}"."${t.table}" AS SELECT * FROM ${source}` })
  }
  return out
}
