/** A line diff (longest common subsequence): which lines of `before` stay, go, or are added. */
export interface DiffLine {
  op: ' ' | '-' | '+'
  line: string
}

/** Beyond this many cells (changed lines before × after) the middle is one replaced block. */
const MAX_CELLS = 4_000_000

/**
 * With `withCommon`, unchanged lines are listed too (op ' '). The common head and tail are taken
 * off first (an edit is usually local), so a long file costs only its changed middle.
 */
export function lineDiff(before: string, after: string, withCommon = false): DiffLine[] {
  const a = before.split('\n')
  const b = after.split('\n')
  let head = 0
  while (head < a.length && head < b.length && a[head] === b[head]) head++
  let tail = 0
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++
  const out: DiffLine[] = []
  if (withCommon) for (let i = 0; i < head; i++) out.push({ op: ' ', line: a[i] as string })
  out.push(...middle(a.slice(head, a.length - tail), b.slice(head, b.length - tail), withCommon))
  if (withCommon) for (let i = a.length - tail; i < a.length; i++) out.push({ op: ' ', line: a[i] as string })
  return out
}

function middle(a: string[], b: string[], withCommon: boolean): DiffLine[] {
  const n = a.length
  const m = b.length
  if ((n + 1) * (m + 1) > MAX_CELLS) return [...a.map((line) => ({ op: '-' as const, line })), ...b.map((line) => ({ op: '+' as const, line }))]
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0))
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
  const out: DiffLine[] = []
  let i = 0
  let j = 0
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      if (withCommon) out.push({ op: ' ', line: a[i] as string })
      i++
      j++
    } else if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) out.push({ op: '+', line: b[j++] as string })
    else out.push({ op: '-', line: a[i++] as string })
  }
  return out
}
