/** A line diff (longest common subsequence): which lines of `before` stay, go, or are added. */
export interface DiffLine {
  op: ' ' | '-' | '+'
  line: string
}

/** With `withCommon`, unchanged lines are listed too (op ' '). */
export function lineDiff(before: string, after: string, withCommon = false): DiffLine[] {
  const a = before.split('\n')
  const b = after.split('\n')
  const n = a.length
  const m = b.length
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0))
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
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
