/**
 * The runner protocol's two hand-written pieces: the heredoc delimiter of GITHUB_OUTPUT, and stdout
 * written straight to a file descriptor (the built action's tests read it through a pipe).
 */
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { heredocDelimiter, setOutput, writeAll } from '../../src/github/runner-commands.js'

/** GITHUB_OUTPUT as the runner parses it: `name<<DELIM`, lines, `DELIM`. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i] as string)
    if (!m) continue
    const end = lines.indexOf(m[2] as string, i + 1)
    out[m[1] as string] = lines.slice(i + 1, end).join('\n')
    i = end
  }
  return out
}

describe('setOutput', () => {
  test('a value that tries to close the heredoc and add an output stays one value', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spaceops-out-'))
    const file = path.join(dir, 'output')
    writeFileSync(file, '')
    const value = 'Sales\nghadelimiter_\nchanged<<X\ntrue\nX\nghadelimiter_0123456789abcdef'
    setOutput('title', value, { GITHUB_OUTPUT: file })
    setOutput('changed', 'false', { GITHUB_OUTPUT: file })
    expect(parseOutputs(readFileSync(file, 'utf8'))).toEqual({ title: value, changed: 'false' })
  })

  test('the delimiter never occurs in the name or the value', () => {
    for (let i = 0; i < 200; i++) {
      const d = heredocDelimiter('n', 'v')
      expect(d).toMatch(/^ghadelimiter_[0-9a-f]{8,}$/)
      const value = `x${d}y`
      expect(value.includes(heredocDelimiter('n', value))).toBe(false)
    }
  })
})

describe('writeAll (stdout is fd 1)', () => {
  test('every byte arrives in order, 1 MB of multi-byte text included', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'spaceops-fd-')), 'stdout')
    const fd = openSync(file, 'w')
    writeAll(fd, 'first\n')
    writeAll(fd, `${'é'.repeat(500_000)}\n`)
    writeAll(fd, 'last\n')
    closeSync(fd)
    expect(readFileSync(file, 'utf8')).toBe(`first\n${'é'.repeat(500_000)}\nlast\n`)
  })
})
