import { analyze, type Analysis } from './analyze.js'

export interface TableRef {
  /** normalised: parts unquoted, lower-cased, joined with '.' */
  name: string
  /** unquoted, lower-cased; a backticked part containing dots (`` `cat.sch.tbl` ``) stays one part */
  parts: string[]
  /** the alias of the first occurrence, lower-cased, if it had one */
  alias?: string
  /** character offsets of the name (first to last part) in the SQL text */
  start: number
  end: number
}

export function tablesOf(a: Analysis): TableRef[] {
  const seen = new Set<string>()
  const out: TableRef[] = []
  for (const r of a.relations) {
    if (r.kind !== 'table') continue
    const name = r.parts.join('.')
    if (!name || seen.has(name)) continue
    seen.add(name)
    const ref: TableRef = { name, parts: [...r.parts], start: a.sig[r.first]?.start ?? 0, end: a.sig[r.last]?.end ?? 0 }
    if (r.alias !== undefined) ref.alias = r.alias
    out.push(ref)
  }
  return out
}

/**
 * The real tables and views a statement (or several, separated by `;`) reads or writes, in order
 * of appearance, each name once (the first occurrence, with its alias). CTE names, subquery and
 * other aliases, table-valued functions (`range(10)`, `read_files(…)`, `cat.sch.fn(…)`), VALUES
 * lists, lateral views and file paths (delta.`/path`) are not tables.
 */
export function extractTables(sql: string): TableRef[] {
  try {
    return tablesOf(analyze(sql))
  } catch {
    return []
  }
}

export function tableNames(sql: string): string[] {
  return extractTables(sql).map((t) => t.name)
}
