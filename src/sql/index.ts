/**
 * A small, dependency-free SQL analysis library for Databricks SQL (Spark SQL dialect), used by
 * benchmark scoring (which tables and columns does generated SQL use) and by promotion between
 * environments (rewrite catalog / schema / table references by identifier, never as text).
 * Every function is total: it never throws, and malformed SQL degrades to fewer findings.
 *
 * Rules where SQL is ambiguous:
 *  - Names are compared lower-cased with backticks removed. A backticked part that contains dots
 *    (`` `cat.sch.tbl` ``) is one part for `extractTables` (`parts: ['cat.sch.tbl']`, name
 *    'cat.sch.tbl'); `tableMatches` and the remap functions treat its dots as separators, and a
 *    rewrite keeps it in one pair of backticks.
 *  - Tables: names after FROM (a query's FROM, not `EXTRACT(x FROM y)`, `TRIM(… FROM …)` or
 *    `IS DISTINCT FROM`), JOIN (all kinds), comma joins, INSERT INTO / OVERWRITE, MERGE INTO and its
 *    USING, UPDATE, TABLE, CREATE … TABLE / VIEW. Not tables: CTE names (scoped: visible after their
 *    definition up to the end of the enclosing query; inside its own body only WITH RECURSIVE), any
 *    alias, table-valued functions (`range(10)`, `read_files(…)`, `cat.sch.fn(…)`,
 *    `IDENTIFIER(…)`), VALUES, LATERAL VIEW, file paths (delta.`/path`).
 *  - Columns: see `columns.ts`; for `t.col` the column is the part after the longest prefix naming
 *    a relation of the statement, else the last part. Aliases are excluded: select aliases after
 *    their declaration, lateral view / unpivot names everywhere, an alias reached through a CTE or
 *    subquery qualifier anywhere.
 *  - Remapping: see `remap.ts`. 3-part names anywhere (and the first three parts of longer names)
 *    follow tables > schemas > catalogs; a 2-part name is rewritten only in a relation position or
 *    as a function call, as schema.object, via a 2-part tables key or a catalog-less schemas key;
 *    1-part names, `alias.column`, names starting with an alias, strings and comments never change.
 *
 *  - Read-only: `checkReadOnly` (see `readonly.ts`) accepts exactly one SELECT / WITH … SELECT /
 *    VALUES / TABLE / SHOW / DESCRIBE / EXPLAIN statement and refuses anything else with a
 *    one-line reason; it is the one place that decides which SQL may run on a warehouse.
 *
 * Known limits: no catalog is consulted, so a struct field behind an unknown qualifier counts as a
 * column and a struct column named like a mapped catalog would be remapped; DDL column definitions
 * are read as column references; a JSON path written with spaces (`raw: field`) reads as a
 * parameter; `IDENTIFIER('cat.sch.tbl')` is neither reported nor remapped.
 */
export { tokenize, KEYWORDS, type Token, type TokenKind } from './tokenize.js'
export { extractTables, tableNames, type TableRef } from './tables.js'
export { extractColumns } from './columns.js'
export { remapIdentifiers, remapIdentifier, remapText, invertMapping, type IdentifierMapping, type InversionConflict } from './remap.js'
export { tableMatches, normalizeName, splitName, type NamePart } from './names.js'
export { checkReadOnly, isReadOnly, type ReadOnlyCheck } from './readonly.js'
