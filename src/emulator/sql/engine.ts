/**
 * The emulator's SQL warehouse: DuckDB in memory (@duckdb/node-api), loaded lazily on the first
 * statement — `import('@duckdb/node-api')` is dynamic, so the emulator starts fast and CRUD-only
 * use never loads the native module.
 *
 * - Data: dataset.ts (three-part names `shop_dev.sales.orders`, … ; `samples.nyctaxi.trips`),
 *   generated when the engine loads, relative to the emulator clock at that moment.
 * - Dialect: translate.ts turns Databricks SQL into DuckDB SQL; MACROS below define the
 *   Databricks functions DuckDB lacks (or has with other semantics), as TEMP macros (the temp
 *   schema is always on DuckDB's search path, whatever `USE` says).
 * - Read-only: only one SELECT/WITH/VALUES statement per request (checkReadOnly), and DuckDB's own
 *   statement type must be SELECT after preparing (catches `WITH … INSERT`). External access
 *   (files, HTTP, extensions) is switched off and the configuration locked.
 * - Statements run one at a time, in submission order (a promise queue), because `USE` for the
 *   request's catalog/schema is connection state.
 *
 * Where DuckDB semantics differ from Databricks (not hidden; results may differ in these ways):
 *   - Result types: year()/month()/… give BIGINT (Databricks INT); SUM(DECIMAL(12,2)) gives
 *     DECIMAL(38,2) (Databricks DECIMAL(22,2)); AVG(DECIMAL) gives DOUBLE (Databricks DECIMAL(16,6)),
 *     so the digits after the point differ; count_if gives HUGEINT (reported as BIGINT).
 *   - Column names of unnamed expressions differ (`count_star()` vs `count(1)`).
 *   - NULL ordering is set to Databricks' (NULLS FIRST for ASC, NULLS LAST for DESC).
 *   - Errors carry DuckDB's messages ("Catalog Error: Table with name … does not exist!"), not
 *     Databricks' error classes; SQLSTATEs are a rough mapping (sqlStateFor).
 *   - ANSI details (overflow, implicit casts between strings and numbers) follow DuckDB.
 *   - date_add/date_sub/datediff/add_months/to_date/date_format: see MACROS.
 *   - Only the basic Java date pattern letters are translated for date_format/to_date.
 */
import type { DuckDBConnection, DuckDBInstance, DuckDBType, DuckDBValue } from '@duckdb/node-api'
import { datasetStatements, DEFAULT_DATA_SEED, SHOP_CATALOGS } from './dataset.js'
import { DatasetError, datasetTableStatements, type DatasetTable } from './user-dataset.js'
import { bindParameters, catalogAlias, checkReadOnly, literalForType, parameterNames, SqlTranslationError, translateSql } from './translate.js'
import { DuckDBMissingError, importDuckDB, type DuckModule } from './duckdb.js'

/**
 * Databricks functions as DuckDB macros (translate.ts renames the calls to these names).
 * Semantics notes per macro; strings are cast as Databricks casts them.
 */
export const MACROS: readonly string[] = [
  // add_months(start, n): the same day n months later, clamped to the month's end (as Databricks); DATE.
  `CREATE TEMP MACRO dbx_add_months(d, n) AS CAST(CAST(d AS DATE) + to_months(CAST(n AS INTEGER)) AS DATE)`,
  // date_add(start, days) / date_sub(start, days): DATE. (DuckDB's date_sub(part, a, b) is a difference.)
  `CREATE TEMP MACRO dbx_date_add(d, n) AS CAST(CAST(d AS DATE) + CAST(n AS INTEGER) AS DATE)`,
  `CREATE TEMP MACRO dbx_date_sub(d, n) AS CAST(CAST(d AS DATE) - CAST(n AS INTEGER) AS DATE)`,
  // datediff(end, start): days from start to end (argument order reversed from DuckDB's
  // datediff(part, start, end)). The 3-argument form passes through with a quoted unit only
  // (Databricks' bare-keyword unit `datediff(DAY, a, b)` is not supported).
  `CREATE TEMP MACRO dbx_datediff(e, s) AS datediff('day', CAST(s AS DATE), CAST(e AS DATE)), (u, s, e) AS datediff(u, s, e)`,
  `CREATE TEMP MACRO dbx_nvl(a, b) AS coalesce(a, b)`,
  `CREATE TEMP MACRO dbx_nvl2(a, b, c) AS CASE WHEN a IS NOT NULL THEN b ELSE c END`,
  // to_date(s[, fmt]) / to_timestamp(s[, fmt]): fmt arrives already as a strftime pattern
  // (translate.ts). A value that does not parse is an error (ANSI mode, the Databricks SQL default).
  `CREATE TEMP MACRO dbx_to_date(s) AS CAST(s AS DATE), (s, f) AS CAST(strptime(CAST(s AS VARCHAR), f) AS DATE)`,
  `CREATE TEMP MACRO dbx_to_timestamp(s) AS CAST(s AS TIMESTAMP), (s, f) AS strptime(CAST(s AS VARCHAR), f)`,
  // date_format(d, fmt): STRING; fmt already a strftime pattern (translate.ts).
  `CREATE TEMP MACRO dbx_date_format(d, f) AS strftime(CAST(d AS TIMESTAMP), f)`,
  // dayofweek: Databricks 1 = Sunday … 7 = Saturday (DuckDB 0 … 6); weekday: 0 = Monday … 6 = Sunday.
  `CREATE TEMP MACRO dbx_dayofweek(d) AS dayofweek(CAST(d AS DATE)) + 1`,
  `CREATE TEMP MACRO dbx_weekday(d) AS isodow(CAST(d AS DATE)) - 1`,
  // percentile(x, p): exact, interpolated (DuckDB quantile_cont).
  `CREATE TEMP MACRO dbx_percentile(x, p) AS quantile_cont(x, p)`,
  // collect_list skips NULLs (DuckDB's list keeps them); collect_set = distinct values (order unspecified).
  `CREATE TEMP MACRO dbx_collect_list(x) AS list(x) FILTER (WHERE x IS NOT NULL)`,
  `CREATE TEMP MACRO dbx_collect_set(x) AS list_distinct(list(x))`
]

/** ColumnInfo of the Statement Execution API (genie-wire-shapes.md). */
export interface SqlColumn {
  name: string
  position: number
  type_name: string
  type_text: string
  type_precision?: number
  type_scale?: number
}

export type SqlOutcome =
  | { ok: true; columns: SqlColumn[]; rows: (string | null)[][]; totalRowCount: number; truncated: boolean }
  | { ok: false; errorCode: string; message: string; sqlState: string }

export interface SqlParameter {
  name: string
  value: string | null
  /** A Databricks type name (default STRING). */
  type?: string
}

export interface ExecuteOptions {
  catalog?: string
  schema?: string
  /** Return at most this many rows (`truncated` is then true if there were more). */
  rowLimit?: number
  /** Named parameters for `:name` markers (Statement Execution API `parameters`). */
  parameters?: SqlParameter[]
}

export interface SqlEngineOptions {
  /** The emulator clock (epoch ms): "now" for current_date() and the demo data. */
  clock: () => number
  /** Seed of the demo data (default DEFAULT_DATA_SEED). */
  dataSeed?: number
  /** Rows read at most per statement, whatever row_limit says (default 100,000). */
  maxRows?: number
  /** The user's own tables (user-dataset.ts), loaded after the demo data. */
  dataset?: readonly DatasetTable[]
  /** How DuckDB is imported (default: importDuckDB's dynamic import of @duckdb/node-api). */
  importDuckDB?: () => Promise<DuckModule>
  /** Told once, with DUCKDB_MISSING, when a statement needs DuckDB and it is not installed. */
  warn?: (line: string) => void
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/

function failure(message: string, sqlState = '42000', errorCode = 'BAD_REQUEST'): SqlOutcome {
  return { ok: false, errorCode, message, sqlState }
}

/** A rough SQLSTATE for a DuckDB error message (the docs give none for the emulator to copy). */
export function sqlStateFor(message: string): string {
  if (message.startsWith('Parser Error')) return '42601'
  if (message.startsWith('Catalog Error')) return '42P01'
  if (message.startsWith('Binder Error')) return '42703'
  if (message.startsWith('Conversion Error') || message.startsWith('Invalid Input Error')) return '22018'
  if (message.startsWith('Out of Range Error')) return '22003'
  if (message.startsWith('Permission Error')) return '42501'
  return 'XX000'
}

export class SqlEngine {
  private mod: DuckModule | undefined
  private instance: DuckDBInstance | undefined
  private connection: DuckDBConnection | undefined
  private loading: Promise<void> | undefined
  private queue: Promise<unknown> = Promise.resolve()
  private closed = false
  private toldMissing = false
  private readonly maxRows: number

  constructor(private readonly options: SqlEngineOptions) {
    this.maxRows = options.maxRows ?? 100_000
  }

  /** Loads DuckDB and the data now (so a bad --dataset file fails at start, naming it). */
  async ready(): Promise<void> {
    await this.load()
  }

  /** True once DuckDB has been imported and the demo data created. */
  get loaded(): boolean {
    return this.connection !== undefined
  }

  /** Run one statement; never rejects (errors come back as `{ok: false}`). */
  execute(sql: string, options: ExecuteOptions = {}): Promise<SqlOutcome> {
    const prepared = this.prepareText(sql, options)
    if (typeof prepared !== 'string') return Promise.resolve(prepared)
    const run = this.queue.then(() => this.run(prepared, options))
    this.queue = run.catch(() => undefined)
    return run.catch((err: unknown) => {
      if (err instanceof DuckDBMissingError) {
        if (!this.toldMissing) this.options.warn?.(err.message)
        this.toldMissing = true
        return failure(err.message, 'XX000', 'INTERNAL_ERROR')
      }
      return failure(`Internal error: ${err instanceof Error ? err.message : String(err)}`, 'XX000', 'INTERNAL_ERROR')
    })
  }

  /** Close DuckDB (after the statements already queued). */
  async close(): Promise<void> {
    this.closed = true
    await this.queue.catch(() => undefined)
    await this.loading?.catch(() => undefined)
    this.connection?.closeSync()
    this.instance?.closeSync()
    this.connection = undefined
    this.instance = undefined
  }

  /** Read-only check, parameter binding and translation: the DuckDB text, or a failure. */
  private prepareText(sql: string, options: ExecuteOptions): string | SqlOutcome {
    try {
      const check = checkReadOnly(sql)
      if (!check.ok) return failure(check.message, check.message.startsWith('[EMULATOR_READ_ONLY]') ? '42000' : '42601')
      let bound = sql
      if (options.parameters && options.parameters.length > 0) {
        const byName = new Map(options.parameters.map((p) => [p.name, p]))
        bound = bindParameters(sql, (name) => {
          const p = byName.get(name)
          return p ? literalForType(p.value, p.type) : undefined
        })
      }
      const unbound = parameterNames(bound)
      if (unbound.length > 0) {
        return failure(`[UNBOUND_SQL_PARAMETER] Found the unbound parameter: ${unbound[0]}.`, '42P02')
      }
      return translateSql(bound, { now: this.options.clock() })
    } catch (err) {
      if (err instanceof SqlTranslationError) return failure(err.message, '42601')
      throw err
    }
  }

  private async load(): Promise<void> {
    if (this.connection) return
    this.loading ??= (async () => {
      const mod = await importDuckDB(this.options.importDuckDB)
      const instance = await mod.DuckDBInstance.create(':memory:', {
        threads: '1',
        default_null_order: 'nulls_first_on_asc_last_on_desc'
      })
      const connection = await instance.connect()
      for (const statement of datasetStatements({ now: this.options.clock(), seed: this.options.dataSeed ?? DEFAULT_DATA_SEED })) {
        await connection.run(statement)
      }
      const attached = new Set<string>([...SHOP_CATALOGS, 'samples', 'memory'])
      for (const { table, sql } of datasetTableStatements(this.options.dataset ?? [], attached)) {
        try {
          await connection.run(sql)
        } catch (err) {
          throw new DatasetError(`${table ? table.file : '--dataset'}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`)
        }
      }
      for (const macro of MACROS) await connection.run(macro)
      // No files, no network, no extensions; and no way to switch that back on.
      await connection.run(`SET enable_external_access = false`)
      await connection.run(`SET lock_configuration = true`)
      this.mod = mod
      this.instance = instance
      this.connection = connection
      if (this.closed) {
        connection.closeSync()
        instance.closeSync()
      }
    })()
    await this.loading
  }

  private async run(text: string, options: ExecuteOptions): Promise<SqlOutcome> {
    if (this.closed) return failure('The SQL warehouse has been stopped.', 'XX000', 'TEMPORARILY_UNAVAILABLE')
    await this.load()
    const connection = this.connection
    const mod = this.mod
    if (!connection || !mod) return failure('The SQL warehouse has been stopped.', 'XX000', 'TEMPORARILY_UNAVAILABLE')

    for (const [field, v] of [
      ['catalog', options.catalog],
      ['schema', options.schema]
    ] as const) {
      if (v !== undefined && !IDENTIFIER.test(v)) return failure(`[INVALID_IDENTIFIER] Invalid ${field} name '${v}'.`, '42602')
    }
    try {
      if (options.catalog && options.schema) await connection.run(`USE "${catalogAlias(options.catalog)}"."${options.schema}"`)
      else if (options.catalog) await connection.run(`USE "${catalogAlias(options.catalog)}"`)
      else if (options.schema) await connection.run(`USE "memory"."${options.schema}"`)
      else await connection.run(`USE "memory"."main"`)
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      return failure(`[NO_SUCH_CATALOG_OR_SCHEMA] ${message}`, '42704')
    }

    let prepared
    try {
      const extracted = await connection.extractStatements(text)
      if (extracted.count !== 1) return failure('[INVALID_SQL_MULTIPLE_STATEMENTS] Only one statement can be executed at a time.')
      prepared = await extracted.prepare(0)
    } catch (err) {
      const message = (err instanceof Error ? err.message : String(err)).replace(/^Failed to extract statements: /, '')
      return failure(message, sqlStateFor(message))
    }
    try {
      if (prepared.statementType !== mod.StatementType.SELECT) {
        return failure("[EMULATOR_READ_ONLY] The emulator's SQL warehouse is read-only: only SELECT, WITH and VALUES statements run.")
      }
      const cap = Math.min(options.rowLimit ?? this.maxRows, this.maxRows)
      const reader = await prepared.runAndReadUntil(cap + 1)
      const types = reader.columnTypes()
      const names = reader.columnNames()
      const columns = names.map((name, position) => columnInfo(mod, name, position, types[position] as DuckDBType))
      const all = reader.getRows()
      const rows = all.slice(0, cap).map((row) => row.map((v, i) => formatValue(mod, v, types[i] as DuckDBType)))
      return { ok: true, columns, rows, totalRowCount: rows.length, truncated: all.length > cap }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      return failure(message, sqlStateFor(message))
    } finally {
      prepared.destroySync()
    }
  }
}

/** Databricks type_text of a DuckDB type. */
function typeText(mod: DuckModule, t: DuckDBType): string {
  const id = mod.DuckDBTypeId
  switch (t.typeId) {
    case id.BOOLEAN:
      return 'BOOLEAN'
    case id.TINYINT:
      return 'TINYINT'
    case id.SMALLINT:
    case id.UTINYINT:
      return 'SMALLINT'
    case id.INTEGER:
    case id.USMALLINT:
      return 'INT'
    case id.BIGINT:
    case id.UINTEGER:
    case id.HUGEINT:
      return 'BIGINT'
    case id.UBIGINT:
      return 'DECIMAL(20,0)'
    case id.UHUGEINT:
    case id.BIGNUM:
      return 'DECIMAL(38,0)'
    case id.FLOAT:
      return 'FLOAT'
    case id.DOUBLE:
      return 'DOUBLE'
    case id.DECIMAL:
      return `DECIMAL(${t.width},${t.scale})`
    case id.DATE:
      return 'DATE'
    case id.TIMESTAMP:
    case id.TIMESTAMP_S:
    case id.TIMESTAMP_MS:
    case id.TIMESTAMP_NS:
    case id.TIMESTAMP_TZ:
      return 'TIMESTAMP'
    case id.INTERVAL:
      return 'INTERVAL'
    case id.BLOB:
      return 'BINARY'
    case id.LIST:
      return `ARRAY<${typeText(mod, t.valueType)}>`
    case id.ARRAY:
      return `ARRAY<${typeText(mod, t.valueType)}>`
    case id.MAP:
      return `MAP<${typeText(mod, t.keyType)}, ${typeText(mod, t.valueType)}>`
    case id.STRUCT:
      return `STRUCT<${t.entryNames.map((n, i) => `${n}: ${typeText(mod, t.entryTypes[i] as DuckDBType)}`).join(', ')}>`
    case id.SQLNULL:
      return 'VOID'
    default:
      // VARCHAR, ENUM, UUID, TIME, … are strings in Databricks terms.
      return 'STRING'
  }
}

/** ColumnInfo.type_name (ColumnInfoTypeName) for a type_text. */
function typeName(text: string): string {
  const base = text.replace(/[<(].*$/, '')
  switch (base) {
    case 'TINYINT':
      return 'BYTE'
    case 'SMALLINT':
      return 'SHORT'
    case 'BIGINT':
      return 'LONG'
    case 'VOID':
      return 'NULL'
    default:
      return base
  }
}

function columnInfo(mod: DuckModule, name: string, position: number, type: DuckDBType): SqlColumn {
  const text = typeText(mod, type)
  const out: SqlColumn = { name, position, type_name: typeName(text), type_text: text }
  const m = /^DECIMAL\((\d+),(\d+)\)$/.exec(text)
  if (m) {
    out.type_precision = Number(m[1])
    out.type_scale = Number(m[2])
  }
  return out
}

/** Java's Double.toString shape for the common cases: integers keep ".0". */
function formatDouble(n: number): string {
  if (Number.isNaN(n)) return 'NaN'
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity'
  if (Number.isInteger(n) && Math.abs(n) < 1e7) return n.toFixed(1)
  return String(n)
}

/** 'yyyy-mm-dd hh:mm:ss[.ffffff][+00]' → 'yyyy-mm-ddThh:mm:ss.fffZ' (how JSON_ARRAY results show timestamps). */
function isoTimestamp(text: string): string {
  const m = /^(-?\d{4,}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(text)
  if (!m) return text
  return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}Z`
}

/**
 * A JSON_ARRAY cell: every non-null value as a string (genie-wire-shapes.md, ResultData.data_array).
 * Decimals keep their scale ("10.50"), doubles print like Java ("3.0"), dates "yyyy-mm-dd",
 * timestamps ISO 8601 in UTC with milliseconds, booleans "true"/"false", nested values as
 * DuckDB prints them.
 */
function formatValue(mod: DuckModule, v: DuckDBValue, type: DuckDBType): string | null {
  if (v === null || v === undefined) return null
  const id = mod.DuckDBTypeId
  switch (type.typeId) {
    case id.DOUBLE:
      return formatDouble(Number(v))
    case id.FLOAT:
      return formatDouble(Number(Number(v).toPrecision(7)))
    case id.TIMESTAMP:
    case id.TIMESTAMP_S:
    case id.TIMESTAMP_MS:
    case id.TIMESTAMP_NS:
    case id.TIMESTAMP_TZ:
      return isoTimestamp(String(v))
    default:
      return String(v)
  }
}
