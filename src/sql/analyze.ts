/**
 * The structural pass shared by table extraction, column extraction and remapping. It is not a
 * parser: it walks the significant tokens once, recognises the places where a relation can stand
 * (after FROM / JOIN / INTO / UPDATE / USING in MERGE / TABLE, comma-joins in a FROM list) and the
 * names that are *not* columns (aliases, CTE names, lateral-view and pivot aliases, window names,
 * time-travel and sampling clauses). Anything it does not recognise it leaves alone, so malformed
 * SQL degrades to "fewer facts", never to an exception.
 */
import { isSignificant, tokenize, type Token } from './tokenize.js'

export type RelationKind =
  /** a real table or view */
  | 'table'
  /** a one-part name that refers to a CTE in scope */
  | 'cte'
  /** a file path read as a table: delta.`/mnt/x` */
  | 'path'
  /** a table-valued function: range(10), read_files(...), cat.sch.fn(...) */
  | 'function'

export interface Relation {
  kind: RelationKind
  /** significant-token indices of the first and last part */
  first: number
  last: number
  /** parts unquoted and lower-cased (a backticked part containing dots stays one part) */
  parts: string[]
  alias?: string
}

export type Mark = 'relation' | 'alias' | 'col-alias' | 'cte-name' | 'function' | 'window' | 'skip'

export interface NameChain {
  /** significant-token index of the last part */
  last: number
  parts: Array<{ value: string; quoted: boolean; index: number }>
}

export interface Analysis {
  tokens: Token[]
  /** significant tokens (no whitespace, no comments) */
  sig: Token[]
  /** for a '(' its matching ')' (sig.length when unclosed); -1 for other tokens */
  close: number[]
  /** innermost enclosing '(' of each significant token, -1 at top level */
  parent: number[]
  /** first significant token of the statement each token is in */
  stmtStart: number[]
  relations: Relation[]
  marks: Map<number, Mark>
  /** relation aliases (tables, subqueries, functions, lateral views, pivots), lower-cased */
  relationAliases: Set<string>
  cteNames: Set<string>
  /** column aliases declared by CTE and relation-alias column lists: name → first index (valid after it) */
  columnAliases: Map<string, number>
  /** column aliases valid in the whole statement, declared after their uses: lateral view, unpivot */
  statementAliases: Set<string>
}

interface Cte {
  name: string
  from: number
  to: number
}

const FILE_FORMATS = new Set(['delta', 'parquet', 'json', 'csv', 'orc', 'avro', 'text', 'binaryfile', 'jdbc'])
/** Keywords that are function names when followed by '('. */
export const FUNCTION_KEYWORDS = new Set([
  'CAST',
  'IF',
  'REPLACE',
  'LEFT',
  'RIGHT',
  'RANGE',
  'ANY',
  'SOME',
  'CURRENT_DATE',
  'CURRENT_TIMESTAMP',
  'CURRENT_USER',
  'CURRENT_CATALOG',
  'CURRENT_SCHEMA',
  'CURRENT_DATABASE',
  'CURRENT_TIME',
  'ROW',
  'SESSION_USER'
])
/** Words that end a FROM list at its own nesting level. */
const FROM_END = new Set([
  'WHERE',
  'GROUP',
  'HAVING',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'QUALIFY',
  'WINDOW',
  'UNION',
  'INTERSECT',
  'EXCEPT',
  'MINUS',
  'SELECT',
  'INSERT',
  'SORT',
  'CLUSTER',
  'DISTRIBUTE',
  'LATERAL',
  'PIVOT',
  'UNPIVOT',
  'FETCH',
  'SET',
  'VALUES',
  'WITH',
  'FROM'
])
const TIME_TRAVEL = new Set(['TIMESTAMP', 'VERSION', 'SYSTEM_TIME', 'SYSTEM_VERSION'])
const VIEW_PREFIX = new Set(['CREATE', 'REPLACE', 'TEMP', 'TEMPORARY', 'GLOBAL', 'MATERIALIZED', 'ALTER', 'DROP', 'EXISTS'])
const MAX_DEPTH = 200

export function unquote(text: string): string {
  if (!text.startsWith('`')) return text
  const closed = text.length >= 2 && text.endsWith('`')
  return text.slice(1, closed ? -1 : undefined).replace(/``/g, '`')
}

export function analyze(sql: string): Analysis {
  const tokens = tokenize(sql)
  const a = new Analyzer(tokens)
  try {
    a.run()
  } catch {
    // Degrade: keep whatever was found before the failure.
  }
  a.relations.sort((x, y) => x.first - y.first)
  return a
}

class Analyzer implements Analysis {
  readonly sig: Token[]
  readonly close: number[]
  readonly parent: number[]
  readonly stmtStart: number[]
  readonly stmtEnd: number[]
  readonly relations: Relation[] = []
  readonly marks = new Map<number, Mark>()
  readonly relationAliases = new Set<string>()
  readonly cteNames = new Set<string>()
  readonly columnAliases = new Map<string, number>()
  readonly statementAliases = new Set<string>()
  private readonly ctes: Cte[] = []
  private readonly handled = new Set<number>()
  private readonly factorEnd = new Map<number, number>()
  private depth = 0

  constructor(readonly tokens: Token[]) {
    this.sig = tokens.filter(isSignificant)
    const n = this.sig.length
    this.close = new Array<number>(n).fill(-1)
    this.parent = new Array<number>(n).fill(-1)
    this.stmtStart = new Array<number>(n).fill(0)
    this.stmtEnd = new Array<number>(n).fill(n)
    const stack: number[] = []
    let start = 0
    for (let i = 0; i < n; i++) {
      this.parent[i] = stack.length ? (stack[stack.length - 1] as number) : -1
      this.stmtStart[i] = start
      const t = this.sig[i] as Token
      if (t.kind !== 'punct') continue
      if (t.text === '(') {
        stack.push(i)
        this.close[i] = n
      } else if (t.text === ')' && stack.length) {
        this.close[stack.pop() as number] = i
        this.parent[i] = stack.length ? (stack[stack.length - 1] as number) : -1
      } else if (t.text === ';' && !stack.length) {
        for (let k = start; k <= i; k++) this.stmtEnd[k] = i
        start = i + 1
      }
    }
  }

  // ---- token helpers -------------------------------------------------------------------------

  up(i: number): string {
    const t = this.sig[i]
    return t && (t.kind === 'keyword' || t.kind === 'ident') ? t.text.toUpperCase() : ''
  }

  is(i: number, text: string): boolean {
    const t = this.sig[i]
    return !!t && (t.kind === 'punct' || t.kind === 'operator') && t.text === text
  }

  isPlainWord(i: number): boolean {
    const t = this.sig[i]
    return !!t && (t.kind === 'ident' || t.kind === 'quoted-ident')
  }

  isNameStart(i: number): boolean {
    const t = this.sig[i]
    if (!t) return false
    if (t.kind === 'ident' || t.kind === 'quoted-ident') return true
    return t.kind === 'keyword' && this.is(i + 1, '.') && this.isPart(i + 2)
  }

  isPart(i: number): boolean {
    const t = this.sig[i]
    return !!t && (t.kind === 'ident' || t.kind === 'quoted-ident' || t.kind === 'keyword')
  }

  /** part (. part)* starting at i (which must satisfy isNameStart). */
  readName(i: number): NameChain {
    const parts: NameChain['parts'] = []
    let j = i
    for (;;) {
      const t = this.sig[j] as Token
      parts.push({ value: t.kind === 'quoted-ident' ? unquote(t.text) : t.text, quoted: t.kind === 'quoted-ident', index: j })
      if (this.is(j + 1, '.') && this.isPart(j + 2)) j += 2
      else break
    }
    return { last: j, parts }
  }

  /** Whether the '(' at o is a function call's (preceded by a function name). */
  isCallOpen(o: number): boolean {
    const p = this.sig[o - 1]
    if (!p) return false
    if (p.kind === 'ident' || p.kind === 'quoted-ident') return !this.marks.has(o - 1) || this.marks.get(o - 1) === 'function'
    return p.kind === 'keyword' && FUNCTION_KEYWORDS.has(p.text.toUpperCase())
  }

  /** Whether the group opened at o holds a query (subquery) rather than an expression or a join. */
  isQueryGroup(o: number): boolean {
    let open = o
    for (let guard = 0; guard < 10000; guard++) {
      const f = open + 1
      if (f >= (this.close[open] ?? 0)) return false
      const u = this.up(f)
      if (u === 'SELECT' || u === 'WITH' || u === 'VALUES' || u === 'TABLE') return true
      if (u === 'FROM') return !this.isCallOpen(open)
      if (!this.is(f, '(')) return false
      open = f
    }
    return false
  }

  mark(i: number, m: Mark): void {
    if (i >= 0 && i < this.sig.length && !this.marks.has(i)) this.marks.set(i, m)
  }

  markRange(from: number, to: number, m: Mark): void {
    for (let k = from; k <= to && k < this.sig.length; k++) this.mark(k, m)
  }

  lowerName(i: number): string {
    const t = this.sig[i] as Token
    return (t.kind === 'quoted-ident' ? unquote(t.text) : t.text).toLowerCase()
  }

  addColumnAlias(i: number, statementWide = false): void {
    const name = this.lowerName(i)
    if (statementWide) this.statementAliases.add(name)
    else if (!this.columnAliases.has(name)) this.columnAliases.set(name, i)
    this.mark(i, 'col-alias')
  }

  cteVisible(name: string, at: number): boolean {
    return this.ctes.some((c) => c.name === name && at > c.from && at < c.to)
  }

  // ---- the walk ------------------------------------------------------------------------------

  run(): void {
    const n = this.sig.length
    for (let i = 0; i < n; i++) {
      if (this.handled.has(i)) continue
      const t = this.sig[i] as Token
      if (t.kind !== 'keyword' && t.kind !== 'ident') continue
      switch (t.text.toUpperCase()) {
        case 'WITH':
          this.parseCtes(i)
          break
        case 'FROM':
          if (this.isTableFrom(i)) this.parseFromList(i + 1, this.limitOf(i))
          break
        case 'JOIN':
          this.handled.add(i)
          this.parseFactor(i + 1)
          break
        case 'INTO': {
          const prev = this.up(i - 1)
          if (prev === 'INSERT' || prev === 'MERGE') this.parseTarget(i + 1, prev === 'MERGE')
          break
        }
        case 'OVERWRITE':
          this.parseTarget(i + 1, false)
          break
        case 'UPDATE':
          if (i === this.stmtStart[i] && this.isNameStart(i + 1)) this.parseTarget(i + 1, true)
          break
        case 'USING':
          if (this.up(this.stmtStart[i] ?? 0) === 'MERGE') this.parseFactor(i + 1)
          break
        case 'TABLE':
          if (!this.is(i + 1, '(')) this.parseTarget(i + 1, false)
          break
        case 'VIEW':
          if (VIEW_PREFIX.has(this.up(i - 1))) this.parseTarget(i + 1, false)
          break
        case 'LATERAL':
          if (this.up(i + 1) === 'VIEW') this.parseLateralView(i)
          break
        case 'PIVOT':
        case 'UNPIVOT':
          this.parsePivot(i)
          break
        case 'WINDOW':
          this.parseWindow(i)
          break
        case 'OVER':
          if (this.isPlainWord(i + 1)) this.mark(i + 1, 'window')
          break
      }
    }
  }

  limitOf(i: number): number {
    const p = this.parent[i] ?? -1
    return p < 0 ? (this.stmtEnd[i] ?? this.sig.length) : (this.close[p] ?? this.sig.length)
  }

  isTableFrom(i: number): boolean {
    // a IS [NOT] DISTINCT FROM b
    if (this.up(i - 1) === 'DISTINCT' && (this.up(i - 2) === 'IS' || this.up(i - 2) === 'NOT')) return false
    const first = this.up(this.stmtStart[i] ?? 0)
    if (first === 'SHOW' || first === 'SET') return false
    const p = this.parent[i] ?? -1
    if (p < 0) return true
    return this.isQueryGroup(p)
  }

  /** WITH [RECURSIVE] name [(cols)] AS [[NOT] MATERIALIZED] ( … ) [, …] */
  parseCtes(w: number): void {
    let j = w + 1
    const recursive = this.up(j) === 'RECURSIVE'
    if (recursive) j++
    const p = this.parent[w] ?? -1
    const scopeEnd = p < 0 ? (this.stmtEnd[w] ?? this.sig.length) : (this.close[p] ?? this.sig.length)
    for (let guard = 0; guard < this.sig.length; guard++) {
      if (!this.isPlainWord(j)) return
      const nameAt = j
      let k = j + 1
      let cols = -1
      if (this.is(k, '(')) {
        cols = k
        k = (this.close[k] ?? this.sig.length) + 1
      }
      if (this.up(k) !== 'AS') return
      k++
      if (this.up(k) === 'NOT') k++
      if (this.up(k) === 'MATERIALIZED') k++
      if (!this.is(k, '(')) return
      const bodyClose = this.close[k] ?? this.sig.length
      const name = this.lowerName(nameAt)
      this.ctes.push({ name, from: recursive ? k : bodyClose, to: scopeEnd })
      this.cteNames.add(name)
      this.mark(nameAt, 'cte-name')
      if (cols >= 0) this.markWordsIn(cols, (x) => this.addColumnAlias(x))
      j = bodyClose + 1
      if (!this.is(j, ',')) return
      j++
    }
  }

  markWordsIn(open: number, fn: (i: number) => void): void {
    const end = this.close[open] ?? this.sig.length
    for (let x = open + 1; x < end; x++) if (this.isPart(x) && this.parent[x] === open) fn(x)
  }

  /** factor (, factor | [kind] JOIN factor [ON …|USING (…)])* until the list ends at its level. */
  parseFromList(start: number, limit: number): void {
    let i = this.parseFactor(start)
    while (i < limit && i < this.sig.length) {
      const t = this.sig[i] as Token
      if (t.kind === 'punct') {
        if (t.text === '(') {
          i = (this.close[i] ?? this.sig.length) + 1
          continue
        }
        if (t.text === ')' || t.text === ';') return
        if (t.text === ',') {
          i = this.parseFactor(i + 1)
          continue
        }
      }
      const u = this.up(i)
      if (u === 'JOIN') {
        this.handled.add(i)
        i = this.parseFactor(i + 1)
        continue
      }
      if (t.kind === 'keyword' && FROM_END.has(u)) return
      i++
    }
  }

  /** One relation: a name, a subquery, a parenthesised join, VALUES, or a table function; with its alias. */
  parseFactor(start: number): number {
    const done = this.factorEnd.get(start)
    if (done !== undefined) return done
    if (this.depth > MAX_DEPTH) return start
    this.depth++
    try {
      const end = this.factor(start)
      this.factorEnd.set(start, end)
      return end
    } finally {
      this.depth--
    }
  }

  private factor(start: number): number {
    let i = start
    if (i >= this.sig.length) return i
    if (this.up(i) === 'LATERAL' && this.up(i + 1) !== 'VIEW') i++
    if (this.up(i) === 'STREAM' && (this.isNameStart(i + 1) || this.is(i + 1, '('))) i++
    if (this.is(i, '(')) {
      const c = this.close[i] ?? this.sig.length
      if (!this.isQueryGroup(i)) this.parseFromList(i + 1, c)
      return this.parseAlias(c + 1)
    }
    if (this.up(i) === 'VALUES') {
      let j = i + 1
      while (this.is(j, '(')) {
        j = (this.close[j] ?? this.sig.length) + 1
        if (this.is(j, ',') && this.is(j + 1, '(')) {
          this.mark(j, 'skip')
          j++
        } else break
      }
      if (j === i + 1) {
        // VALUES 1, 2, 3 (single-column rows without parentheses)
        while (j < this.sig.length && !this.isPlainWord(j) && !(this.sig[j]?.kind === 'keyword') && !this.is(j, ')') && !this.is(j, ';')) {
          this.mark(j, 'skip')
          j++
        }
      }
      return this.parseAlias(j)
    }
    const t = this.sig[i]
    if (t && t.kind === 'keyword' && this.is(i + 1, '(')) {
      // range(10) and other keyword-named table functions
      this.mark(i, 'function')
      this.relations.push({ kind: 'function', first: i, last: i, parts: [t.text.toLowerCase()] })
      return this.parseAlias((this.close[i + 1] ?? this.sig.length) + 1)
    }
    if (!this.isNameStart(i)) return i
    const name = this.readName(i)
    const parts = name.parts.map((p) => p.value.toLowerCase())
    let j = name.last + 1
    if (this.is(j, '(')) {
      this.markRange(i, name.last, 'function')
      const rel: Relation = { kind: 'function', first: i, last: name.last, parts }
      this.relations.push(rel)
      return this.parseAlias((this.close[j] ?? this.sig.length) + 1, rel)
    }
    let kind: RelationKind = 'table'
    if (parts.length === 1 && this.cteVisible(parts[0] as string, i)) kind = 'cte'
    else if (parts.length === 2 && FILE_FORMATS.has(parts[0] as string) && name.parts[1]?.quoted && /[/:]/.test(parts[1] as string)) kind = 'path'
    this.markRange(i, name.last, 'relation')
    const rel: Relation = { kind, first: i, last: name.last, parts }
    this.relations.push(rel)
    j = this.parseModifiers(j)
    j = this.parseAlias(j, rel)
    return this.parseModifiers(j)
  }

  /** INSERT INTO / MERGE INTO / UPDATE / CREATE TABLE / TABLE t targets: a name, maybe an alias (MERGE, UPDATE). */
  parseTarget(start: number, alias: boolean): number {
    let i = start
    if (this.up(i) === 'TABLE') {
      this.handled.add(i)
      i++
    }
    if (this.up(i) === 'IF' && this.up(i + 1) === 'NOT' && this.up(i + 2) === 'EXISTS') i += 3
    else if (this.up(i) === 'IF' && this.up(i + 1) === 'EXISTS') i += 2
    if (!this.isNameStart(i)) return i
    const done = this.factorEnd.get(i)
    if (done !== undefined) return done
    const name = this.readName(i)
    const parts = name.parts.map((p) => p.value.toLowerCase())
    const kind: RelationKind = parts.length === 1 && this.cteVisible(parts[0] as string, i) ? 'cte' : 'table'
    this.markRange(i, name.last, 'relation')
    const rel: Relation = { kind, first: i, last: name.last, parts }
    this.relations.push(rel)
    let j = name.last + 1
    if (alias) j = this.parseAlias(j, rel)
    this.factorEnd.set(i, j)
    return j
  }

  /** @v3, [FOR] TIMESTAMP|VERSION AS OF expr, TABLESAMPLE (…) [REPEATABLE (n)], WITH (options). */
  parseModifiers(start: number): number {
    let j = start
    for (let guard = 0; guard < 8; guard++) {
      if (this.is(j, '@') && j + 1 < this.sig.length) {
        this.markRange(j, j + 1, 'skip')
        j += 2
        continue
      }
      const k = this.up(j) === 'FOR' ? j + 1 : j
      if (TIME_TRAVEL.has(this.up(k)) && this.up(k + 1) === 'AS' && this.up(k + 2) === 'OF') {
        this.markRange(j, k + 2, 'skip')
        j = this.skipExpr(k + 3)
        continue
      }
      if (this.up(j) === 'TABLESAMPLE' && this.is(j + 1, '(')) {
        const c = this.close[j + 1] ?? this.sig.length
        this.markRange(j, c, 'skip')
        j = c + 1
        if (this.up(j) === 'REPEATABLE' && this.is(j + 1, '(')) {
          const r = this.close[j + 1] ?? this.sig.length
          this.markRange(j, r, 'skip')
          j = r + 1
        }
        continue
      }
      if (this.up(j) === 'WITH' && this.is(j + 1, '(')) {
        const c = this.close[j + 1] ?? this.sig.length
        this.markRange(j, c, 'skip')
        this.handled.add(j)
        j = c + 1
        continue
      }
      break
    }
    return j
  }

  /** A short expression (time-travel argument): operands joined by arithmetic operators. */
  skipExpr(start: number): number {
    let j = start
    for (let guard = 0; guard < 64; guard++) {
      const t = this.sig[j]
      if (!t) return j
      if (t.kind === 'string' || t.kind === 'number' || t.kind === 'param') {
        this.mark(j, 'skip')
        j++
      } else if (this.up(j) === 'INTERVAL') {
        this.mark(j, 'skip')
        j++
        if (this.sig[j]?.kind === 'string' || this.sig[j]?.kind === 'number' || this.is(j, '-')) {
          if (this.is(j, '-')) this.mark(j++, 'skip')
          this.mark(j++, 'skip')
        }
        while (this.sig[j]?.kind === 'ident' && /^(YEAR|MONTH|WEEK|DAY|HOUR|MINUTE|SECOND|MILLISECOND|MICROSECOND|TO)S?$/i.test(this.sig[j]?.text ?? ''))
          this.mark(j++, 'skip')
      } else if (this.is(j, '(')) {
        const c = this.close[j] ?? this.sig.length
        this.markRange(j, c, 'skip')
        j = c + 1
      } else if (t.kind === 'ident' || (t.kind === 'keyword' && /^CURRENT_|^LOCALTIMESTAMP$/i.test(t.text))) {
        const name = t.kind === 'ident' ? this.readName(j) : { last: j }
        this.markRange(j, name.last, 'skip')
        j = name.last + 1
        if (this.is(j, '(')) {
          const c = this.close[j] ?? this.sig.length
          this.markRange(j, c, 'skip')
          j = c + 1
        }
      } else return j
      const op = this.sig[j]
      if (op && op.kind === 'operator' && ['+', '-', '*', '/', '||'].includes(op.text)) {
        this.mark(j, 'skip')
        j++
        continue
      }
      return j
    }
    return j
  }

  /** [AS] alias [(col, …)] after a relation. */
  parseAlias(start: number, rel?: Relation): number {
    let j = start
    let at = -1
    if (this.up(j) === 'AS' && this.isPart(j + 1)) at = j + 1
    else if (this.isPlainWord(j) && !(this.up(j + 1) === 'AS' && this.up(j + 2) === 'OF')) at = j
    if (at >= 0) {
      const name = this.lowerName(at)
      this.mark(at, 'alias')
      this.relationAliases.add(name)
      if (rel) rel.alias = name
      j = at + 1
    } else if (this.up(j) === 'AS' && this.is(j + 1, '(')) j = j + 1
    if (this.is(j, '(') && (at >= 0 || this.up(j - 1) === 'AS') && this.isWordList(j)) {
      this.markWordsIn(j, (x) => this.addColumnAlias(x))
      j = (this.close[j] ?? this.sig.length) + 1
    }
    return j
  }

  /** ( word , word , … ) */
  isWordList(open: number): boolean {
    const end = this.close[open] ?? this.sig.length
    if (end >= this.sig.length) return false
    for (let x = open + 1; x < end; x++) {
      const even = (x - open - 1) % 2 === 0
      if (even ? !this.isPart(x) : !this.is(x, ',')) return false
    }
    return end > open + 1
  }

  /** LATERAL VIEW [OUTER] fn(…) [table_alias] [AS] col [, col …] */
  parseLateralView(i: number): void {
    let j = i + 2
    if (this.up(j) === 'OUTER') j++
    if (!this.isNameStart(j) && !(this.sig[j]?.kind === 'keyword' && this.is(j + 1, '('))) return
    const name = this.sig[j]?.kind === 'keyword' ? { last: j } : this.readName(j)
    this.markRange(j, name.last, 'function')
    j = name.last + 1
    if (this.is(j, '(')) j = (this.close[j] ?? this.sig.length) + 1
    if (this.isPlainWord(j)) {
      this.mark(j, 'alias')
      this.relationAliases.add(this.lowerName(j))
      j++
    }
    if (this.up(j) === 'AS') j++
    while (this.isPart(j) && !(this.sig[j]?.kind === 'keyword')) {
      this.addColumnAlias(j, true)
      j++
      if (this.is(j, ',') && this.isPlainWord(j + 1)) j++
      else break
    }
  }

  /** PIVOT ( … ) [alias] / UNPIVOT [INCLUDE|EXCLUDE NULLS] ( value FOR name IN ( … ) ) [alias] */
  parsePivot(i: number): void {
    let j = i + 1
    if (/^(INCLUDE|EXCLUDE)$/.test(this.up(j)) && this.up(j + 1) === 'NULLS') j += 2
    if (!this.is(j, '(')) return
    const c = this.close[j] ?? this.sig.length
    if (this.up(i) === 'UNPIVOT') {
      let k = j + 1
      for (; k < c && this.up(k) !== 'FOR'; k++) if (this.isPart(k) && this.sig[k]?.kind !== 'keyword') this.addColumnAlias(k, true)
      if (this.up(k) === 'FOR' && this.isPart(k + 1)) this.addColumnAlias(k + 1, true)
    }
    this.parseAlias(c + 1)
  }

  /** WINDOW w AS ( … ) [, w2 AS ( … )] */
  parseWindow(i: number): void {
    let j = i + 1
    for (let guard = 0; guard < this.sig.length; guard++) {
      if (!(this.isPlainWord(j) && this.up(j + 1) === 'AS' && this.is(j + 2, '('))) return
      this.mark(j, 'window')
      j = (this.close[j + 2] ?? this.sig.length) + 1
      if (!this.is(j, ',')) return
      j++
    }
  }
}
