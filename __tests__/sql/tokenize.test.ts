import { extractColumns, extractTables, remapIdentifiers, remapText, tableNames, tokenize, type Token } from '../../src/sql/index.js'
import { CORPUS } from './corpus.js'

const significant = (sql: string): string[] =>
  tokenize(sql)
    .filter((t) => t.kind !== 'whitespace')
    .map((t) => `${t.kind}:${t.text}`)

/** Deterministic PRNG (mulberry32) so a failure is reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const PIECES = [
  'SELECT',
  'FROM',
  'JOIN',
  'WITH',
  'AS',
  '(',
  ')',
  ',',
  '.',
  ';',
  "'",
  '"',
  '`',
  '``',
  "''",
  '\\',
  '--',
  '/*',
  '*/',
  '\n',
  ' ',
  ':',
  '::',
  '?',
  '{{',
  '}}',
  '${',
  '1e',
  '1.5D',
  '.5',
  'a',
  'b_1',
  'main.sales.orders',
  '->',
  '=>',
  '<>',
  '!=',
  '|',
  '@',
  '#',
  'é',
  '😀',
  '\uD800',
  '\t',
  "r'",
  'x',
  '[',
  ']',
  'LATERAL VIEW',
  'VALUES',
  'PIVOT',
  'OVER',
  'INTERVAL'
]

function garbage(next: () => number): string {
  const n = Math.floor(next() * 40)
  let s = ''
  for (let i = 0; i < n; i++) {
    if (next() < 0.2) s += String.fromCharCode(Math.floor(next() * 0x2fff))
    else s += PIECES[Math.floor(next() * PIECES.length)]
  }
  return s
}

function contiguous(tokens: Token[], sql: string): boolean {
  let at = 0
  for (const t of tokens) {
    if (t.start !== at || t.end <= t.start || sql.slice(t.start, t.end) !== t.text) return false
    at = t.end
  }
  return at === sql.length
}

describe('tokenize', () => {
  it('lexes the Spark SQL token kinds', () => {
    expect(significant("SELECT a.b, 'x''y', \"q\\\"r\", `we``ird` FROM t")).toEqual([
      'keyword:SELECT',
      'ident:a',
      'punct:.',
      'ident:b',
      'punct:,',
      "string:'x''y'",
      'punct:,',
      'string:"q\\"r"',
      'punct:,',
      'quoted-ident:`we``ird`',
      'keyword:FROM',
      'ident:t'
    ])
  })

  it('lexes numbers with exponents and type suffixes, and identifiers that start with a digit', () => {
    expect(significant('1e5 1.5D 10L 1.5BD .5 42 2023_sales t.5x')).toEqual([
      'number:1e5',
      'number:1.5D',
      'number:10L',
      'number:1.5BD',
      'number:.5',
      'number:42',
      'ident:2023_sales',
      'ident:t',
      'punct:.',
      'ident:5x'
    ])
  })

  it('lexes multi-character operators as one token', () => {
    expect(significant('a <> b != c >= d <= e || f :: g -> h => i <=> j')).toEqual([
      'ident:a',
      'operator:<>',
      'ident:b',
      'operator:!=',
      'ident:c',
      'operator:>=',
      'ident:d',
      'operator:<=',
      'ident:e',
      'operator:||',
      'ident:f',
      'operator:::',
      'ident:g',
      'operator:->',
      'ident:h',
      'operator:=>',
      'ident:i',
      'operator:<=>',
      'ident:j'
    ])
  })

  it('lexes :name and ? parameters, {{ }} and ${} placeholders, but keeps a JSON path colon an operator', () => {
    expect(significant('x = :start_date AND y IN (:a,:b) AND z = ? AND raw:owner = {{ p }} AND w = ${v}')).toEqual([
      'ident:x',
      'operator:=',
      'param::start_date',
      'keyword:AND',
      'ident:y',
      'keyword:IN',
      'punct:(',
      'param::a',
      'punct:,',
      'param::b',
      'punct:)',
      'keyword:AND',
      'ident:z',
      'operator:=',
      'param:?',
      'keyword:AND',
      'ident:raw',
      'operator::',
      'ident:owner',
      'operator:=',
      'param:{{ p }}',
      'keyword:AND',
      'ident:w',
      'operator:=',
      'param:${v}'
    ])
    expect(significant('CAST(x AS INT)::string')).toContain('operator:::')
  })

  it('lexes line and nested block comments', () => {
    expect(significant('a -- FROM x.y.z\n/* one /* two */ still */ b')).toEqual([
      'ident:a',
      'comment:-- FROM x.y.z',
      'comment:/* one /* two */ still */',
      'ident:b'
    ])
  })

  it('lexes raw strings without escapes', () => {
    expect(significant("r'C:\\dir\\' x")).toEqual(["string:r'C:\\dir\\'", 'ident:x'])
  })

  it('runs unterminated strings, comments and quoted identifiers to the end', () => {
    expect(significant("SELECT 'abc FROM t")).toEqual(['keyword:SELECT', "string:'abc FROM t"])
    expect(significant('SELECT /* abc FROM t')).toEqual(['keyword:SELECT', 'comment:/* abc FROM t'])
    expect(significant('SELECT `abc FROM t')).toEqual(['keyword:SELECT', 'quoted-ident:`abc FROM t'])
    expect(significant("SELECT 'ends with a backslash\\")).toEqual(['keyword:SELECT', "string:'ends with a backslash\\"])
  })

  it('records offsets', () => {
    const [a, ws, b] = tokenize('ab  cd')
    expect(a).toEqual({ kind: 'ident', text: 'ab', start: 0, end: 2 })
    expect(ws).toEqual({ kind: 'whitespace', text: '  ', start: 2, end: 4 })
    expect(b).toEqual({ kind: 'ident', text: 'cd', start: 4, end: 6 })
  })

  it('returns no tokens for the empty string', () => {
    expect(tokenize('')).toEqual([])
  })

  it('is lossless and contiguous for the whole corpus', () => {
    for (const c of CORPUS) {
      const tokens = tokenize(c.sql)
      expect(tokens.map((t) => t.text).join('')).toBe(c.sql)
      expect(contiguous(tokens, c.sql)).toBe(true)
    }
  })

  it('is lossless for random garbage, and no function throws on it', () => {
    const next = rng(20240601)
    for (let i = 0; i < 2000; i++) {
      const s = garbage(next)
      const tokens = tokenize(s)
      if (tokens.map((t) => t.text).join('') !== s || !contiguous(tokens, s)) throw new Error(`not lossless: ${JSON.stringify(s)}`)
      expect(() => {
        extractTables(s)
        extractColumns(s)
        remapIdentifiers(s, { catalogs: { main: 'prod' }, schemas: { a: 'b' } })
        remapText(s, { catalogs: { main: 'prod' } })
      }).not.toThrow()
    }
  })

  it('copes with pathological nesting and length', () => {
    const deep = `${'('.repeat(5000)}SELECT * FROM a.b.c${')'.repeat(10)}`
    expect(
      tokenize(deep)
        .map((t) => t.text)
        .join('')
    ).toBe(deep)
    expect(tableNames(deep)).toEqual(['a.b.c'])
    expect(() => extractColumns(deep)).not.toThrow()
    const long = `SELECT ${Array.from({ length: 3000 }, (_, i) => `c${i}`).join(', ')} FROM main.s.t`
    expect(extractColumns(long)).toHaveLength(3000)
    expect(extractTables(long).map((t) => t.name)).toEqual(['main.s.t'])
  })
})

describe('words in any script', () => {
  it('letters and digits outside ASCII belong to the word they are in, as in Spark identifiers', () => {
    expect(significant('SELECT café, 名前, x1_é2, ٣٤ab FROM t_日本 WHERE ñ = 1')).toEqual([
      'keyword:SELECT',
      'ident:café',
      'punct:,',
      'ident:名前',
      'punct:,',
      'ident:x1_é2',
      'punct:,',
      'ident:٣٤ab',
      'keyword:FROM',
      'ident:t_日本',
      'keyword:WHERE',
      'ident:ñ',
      'operator:=',
      'number:1'
    ])
  })

  it('a parameter and a number glued to a word outside ASCII end where the word ends', () => {
    expect(significant(':réf + 2ème')).toEqual(['param::réf', 'operator:+', 'ident:2ème'])
  })
})
