import {
  COMMENT_BODY_LIMIT,
  COMMENT_SIZE,
  JOB_SUMMARY_LIMIT,
  SUMMARY_SIZE,
  closeOpenBlocks,
  fitReport,
  sizeOf,
  takePrefix,
  trimmedNote,
  truncateEnd,
  truncateMarkdown,
  truncateMiddle
} from '../../src/github/fit.js'

/** Every fence opened is closed and every <details> (outside code) has its </details>. */
function expectBalanced(text: string) {
  let fence: string | null = null
  let details = 0
  for (const line of text.split('\n')) {
    const m = /^\s*(`{3,}|~{3,})/.exec(line)
    if (fence !== null) {
      if (m && (m[1] ?? '')[0] === fence[0] && (m[1] ?? '').length >= fence.length && line.trim() === m[1]) fence = null
      continue
    }
    if (m) {
      fence = m[1] ?? ''
      continue
    }
    details += (line.match(/<details[\s>]/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length
    expect(details).toBeGreaterThanOrEqual(0)
  }
  expect(fence).toBeNull()
  expect(details).toBe(0)
}

const row = (i: number) => `| item ${i} | changed | ${'é'.repeat(20)} |`

describe('limits', () => {
  it('exports GitHub’s limits and how they are counted', () => {
    expect(COMMENT_BODY_LIMIT).toBe(65_536)
    expect(JOB_SUMMARY_LIMIT).toBe(1_048_576)
    expect(COMMENT_SIZE).toEqual({ limit: 65_536, unit: 'characters' })
    expect(SUMMARY_SIZE).toEqual({ limit: 1_048_576, unit: 'bytes' })
  })

  it('counts characters as code points and bytes as UTF-8', () => {
    expect(sizeOf('abc', 'characters')).toBe(3)
    expect(sizeOf('é', 'characters')).toBe(1)
    expect(sizeOf('é', 'bytes')).toBe(2)
    expect(sizeOf('€', 'bytes')).toBe(3)
    expect(sizeOf('😀', 'characters')).toBe(1) // two UTF-16 units, one character
    expect(sizeOf('😀', 'bytes')).toBe(4)
  })
})

describe('fitReport', () => {
  it('returns the most detailed rendering when it fits, without a note', () => {
    const r = fitReport(['full', 'summary', 'counts'], { limit: 100 })
    expect(r).toEqual({ text: 'full', level: 0, degraded: false, truncated: false, size: 4 })
  })

  it('picks the first level that fits and appends the note', () => {
    const full = 'x'.repeat(500)
    const summary = 'y'.repeat(150)
    const counts = '3 changes'
    const note = trimmedNote('comment', 'https://github.com/octo/spaceops/actions/runs/42')
    expect(note).toBe(
      "Details were trimmed to fit GitHub's comment size limit; the full plan is in the job summary: https://github.com/octo/spaceops/actions/runs/42"
    )
    const r = fitReport([full, summary, counts], { limit: 400, note })
    expect(r.level).toBe(1)
    expect(r.degraded).toBe(true)
    expect(r.truncated).toBe(false)
    expect(r.text.startsWith(summary)).toBe(true)
    expect(r.text).toContain(`> ⚠️ ${note}`)
    expect(r.size).toBe(sizeOf(r.text, 'characters'))
    expect(r.size).toBeLessThanOrEqual(400)
  })

  it('counts the note against the limit', () => {
    // Level 1 fits alone but not with the note: level 2 is used.
    const r = fitReport(['x'.repeat(200), 'y'.repeat(95), 'z'], { limit: 100, note: 'trimmed' })
    expect(r.level).toBe(2)
    expect(r.size).toBeLessThanOrEqual(100)
  })

  it('renders levels lazily from a function and stops at undefined', () => {
    const asked: number[] = []
    const r = fitReport(
      (n) => {
        asked.push(n)
        return n < 3 ? 'a'.repeat(1000 >> n) : undefined
      },
      { limit: 400, note: 'n' }
    )
    expect(r.level).toBe(2)
    expect(asked).toEqual([0, 1, 2])
    const none = fitReport(() => undefined, { limit: 10 })
    expect(none.text).toBe('')
  })

  it('cuts the last level cleanly when no level fits: within the limit, fences and <details> balanced', () => {
    const detailed = [
      '## Plan',
      '<details><summary>All changes</summary>',
      '',
      '```diff',
      ...Array.from({ length: 5000 }, (_, i) => `+ ${row(i)}`),
      '```',
      '',
      '</details>'
    ].join('\n')
    const summary = ['## Plan', '| item | change | note |', '|---|---|---|', ...Array.from({ length: 4000 }, (_, i) => row(i))].join('\n')
    const counts = [
      '## Plan',
      '<details><summary>Counts</summary>',
      '',
      '~~~~text',
      ...Array.from({ length: 4000 }, (_, i) => `line ${i} ${'😀'.repeat(10)}`),
      '~~~~',
      '</details>'
    ].join('\n')
    for (const limit of [500, 2_000, 65_536]) {
      const r = fitReport([detailed, summary, counts], { limit, note: 'cut' })
      expect(r.truncated).toBe(true)
      expect(r.level).toBe(2)
      expect(r.size).toBeLessThanOrEqual(limit)
      expect(sizeOf(r.text, 'characters')).toBe(r.size)
      expect(r.text.startsWith('## Plan\n<details><summary>Counts</summary>')).toBe(true)
      expect(r.text).toContain('~~~~\n\n</details>')
      expect(r.text.endsWith('> ⚠️ cut\n')).toBe(true)
      expectBalanced(r.text)
    }
  })

  it('fits the job summary by UTF-8 bytes, where characters would overflow', () => {
    const text = 'é'.repeat(700_000) // 700,000 characters, 1,400,000 bytes
    expect(fitReport([text], { limit: JOB_SUMMARY_LIMIT, unit: 'characters' }).truncated).toBe(false)
    const r = fitReport([text], { ...SUMMARY_SIZE })
    expect(r.truncated).toBe(true)
    expect(Buffer.byteLength(r.text, 'utf8')).toBeLessThanOrEqual(JOB_SUMMARY_LIMIT)
    expect(r.text).toContain('job summary size limit')
    expect(r.text).not.toContain('\uFFFD')
  })

  it('fits a comment by characters, where bytes would be stricter', () => {
    const text = '😀'.repeat(60_000) // 60,000 characters, 120,000 UTF-16 units, 240,000 bytes
    const r = fitReport([text], COMMENT_SIZE)
    expect(r).toMatchObject({ level: 0, truncated: false, size: 60_000 })
  })

  it('never cuts a surrogate pair in half', () => {
    const r = fitReport(['😀'.repeat(1000)], { limit: 101, note: 'n' })
    expect(r.size).toBeLessThanOrEqual(101)
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(r.text)).toBe(false)
  })

  it('returns the note alone (cut) when the limit is smaller than the note', () => {
    const r = fitReport(['x'.repeat(100)], { limit: 10, note: 'a very long note indeed' })
    expect(r.size).toBeLessThanOrEqual(10)
  })
})

describe('truncateMarkdown', () => {
  it('leaves text that fits alone', () => {
    expect(truncateMarkdown('short', 10, { suffix: '!' })).toBe('short')
  })

  it('closes a fence opened with a longer or tilde marker, with its indent', () => {
    const text = ['  ````sql', ...Array.from({ length: 100 }, (_, i) => `SELECT ${i}`), '  ````', 'after'].join('\n')
    const out = truncateMarkdown(text, 200, { suffix: '\n[cut]' })
    expect(out.length).toBeLessThanOrEqual(200)
    // Short lines are kept whole or dropped, never cut.
    expect(out).toMatch(/SELECT \d+\n {2}````\n\[cut\]$/)
  })

  it('ignores <details> written inside a code block and a ``` line inside a longer fence', () => {
    const text = ['````md', '```', '<details>', '```', '````', '<details><summary>s</summary>', ...Array.from({ length: 50 }, () => 'content line')].join('\n')
    const out = truncateMarkdown(text, 150)
    expect(out.endsWith('</details>')).toBe(true)
    expect((out.match(/<\/details>/g) ?? []).length).toBe(1)
    expectBalanced(out)
  })

  it('closes nested <details>', () => {
    const text = [
      '<details>',
      '<summary>a</summary>',
      '<details><summary>b</summary>',
      '',
      ...Array.from({ length: 40 }, (_, i) => `line ${i}`),
      '</details>',
      '</details>'
    ].join('\n')
    const out = truncateMarkdown(text, 200)
    expect(out.length).toBeLessThanOrEqual(200)
    expect(out.endsWith('\n\n</details>\n\n</details>')).toBe(true)
    expectBalanced(out)
  })

  it('cuts inside a single long line, without leaving half an HTML tag', () => {
    const out = truncateMarkdown(`intro\n${'word '.repeat(20)}<a href="https://example.com/a/long/link">x</a>`, 120)
    expect(out.length).toBeLessThanOrEqual(120)
    expect(out).toMatch(/word …$/)
    const inFence = truncateMarkdown(`\`\`\`\n${'y'.repeat(500)}\n\`\`\``, 50)
    expect(inFence).toMatch(/^```\ny+…\n```$/)
    expect(inFence.length).toBeLessThanOrEqual(50)
  })

  it('closeOpenBlocks closes what a text leaves open', () => {
    expect(closeOpenBlocks('<details>\n```js\nx')).toBe('<details>\n```js\nx\n```\n\n</details>')
    expect(closeOpenBlocks('done')).toBe('done')
  })
})

describe('small helpers', () => {
  it('truncateMiddle keeps both ends', () => {
    expect(truncateMiddle('abcdefghijklmnopqrstuvwxyz', 9)).toBe('abcd…wxyz')
    expect(truncateMiddle('short', 9)).toBe('short')
    expect(truncateMiddle('😀😀😀😀😀😀', 5)).toBe('😀😀…😀😀')
    expect(sizeOf(truncateMiddle('ééééééééé', 7, { unit: 'bytes' }), 'bytes')).toBeLessThanOrEqual(7)
    expect(truncateMiddle('abcdef', 1)).toBe('…')
  })

  it('truncateEnd and takePrefix never split a character', () => {
    expect(truncateEnd('abcdef', 4)).toBe('abc…')
    expect(takePrefix('ééé', 5, 'bytes')).toBe('éé')
    expect(takePrefix('😀x', 1, 'characters')).toBe('😀')
  })
})
