/** "did you mean" for misspelt keys: edit distance, ignoring case and -/_ differences. */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0
    prev[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j] ?? 0
      prev[j] = Math.min((prev[j] ?? 0) + 1, (prev[j - 1] ?? 0) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1))
      diag = tmp
    }
  }
  return prev[b.length] ?? 0
}

const norm = (s: string) => s.toLowerCase().replace(/[-\s]/g, '_')

export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const w = norm(word)
  let best: string | undefined
  let bestD = Infinity
  for (const c of candidates) {
    const n = norm(c)
    let d = distance(w, n)
    if (n.startsWith(w) || w.startsWith(n)) d = Math.min(d, 1)
    if (d < bestD) {
      bestD = d
      best = c
    }
  }
  const limit = Math.max(2, Math.floor(w.length / 3))
  return bestD <= limit ? best : undefined
}
