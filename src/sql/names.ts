/**
 * Multi-part identifiers (`cat.schema.table`) as plain strings: splitting, quoting, comparing.
 *
 * Backticks: `` `a``b` `` is the one part "a`b". A backticked part that itself contains dots
 * (`` `cat.sch.tbl` ``) is, for Spark, ONE part whose name contains dots. SQL analysis keeps it as
 * one part (see `TableRef.parts`), but comparing and remapping *flatten* it: its dots count as
 * separators, because such a name is in practice always somebody quoting a whole
 * `catalog.schema.table` at once.
 */

export interface NamePart {
  /** The part without backticks, original case. */
  value: string
  /** Whether it was written in backticks. */
  quoted: boolean
}

/** Split on dots that are not inside backticks; whitespace around parts is dropped. */
export function splitName(name: string): NamePart[] {
  const parts: NamePart[] = []
  let i = 0
  const s = typeof name === 'string' ? name : ''
  while (i <= s.length) {
    while (i < s.length && /\s/.test(s[i] as string)) i++
    if (s[i] === '`') {
      let j = i + 1
      let value = ''
      while (j < s.length) {
        if (s[j] === '`') {
          if (s[j + 1] === '`') {
            value += '`'
            j += 2
            continue
          }
          break
        }
        value += s[j]
        j++
      }
      parts.push({ value, quoted: true })
      i = j + 1
      // Skip anything up to the next dot (malformed input such as `a`b.c).
      while (i < s.length && s[i] !== '.') i++
    } else {
      let j = i
      while (j < s.length && s[j] !== '.') j++
      parts.push({ value: s.slice(i, j).trim(), quoted: false })
      i = j
    }
    if (s[i] !== '.') break
    i++
  }
  return parts
}

/** Unquoted, lower-cased parts with dots inside backticked parts treated as separators. */
export function flatParts(name: string): string[] {
  return splitName(name)
    .flatMap((p) => p.value.split('.'))
    .map((p) => p.trim().toLowerCase())
}

/** `` `Main`.Sales.`orders` `` → `main.sales.orders`. */
export function normalizeName(name: string): string {
  return flatParts(name).join('.')
}

const PLAIN = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Write one part: backticked when it was, or when it must be. */
export function formatPart(value: string, quoted: boolean): string {
  if (quoted || !PLAIN.test(value)) return `\`${value.replace(/`/g, '``')}\``
  return value
}

/**
 * Whether a table the benchmark expects is the table the SQL used. Both names are split (backticks
 * ignored, dotted backticked parts flattened, case-insensitive) and their trailing parts compared
 * over the shorter length: `orders` matches `main.sales.orders`, `sales.orders` matches
 * `main.sales.orders`, and so does an unqualified `orders` in the SQL against an expected
 * `main.sales.orders` (Genie may rely on the space's default catalog and schema). Parts present in
 * both must agree: `other.orders` does not match `main.sales.orders`, nor `orders_v2` `orders`.
 */
export function tableMatches(expected: string, actual: string): boolean {
  try {
    const e = flatParts(expected)
    const a = flatParts(actual)
    if (!e.length || !a.length || e.some((p) => !p) || a.some((p) => !p)) return false
    const n = Math.min(e.length, a.length)
    for (let k = 1; k <= n; k++) if (e[e.length - k] !== a[a.length - k]) return false
    return true
  } catch {
    return false
  }
}
