import { LineGuard, printable, printableLines } from '../../src/util/printable.js'
import { isWorkflowCommand } from '../helpers/workflow-commands.js'

/** The runner reads a step's output line by line at \n, \r and \r\n. */
const runnerLines = (text: string): string[] => text.split(/\r\n|\r|\n/)

const ATTACK = 'Sales\n::error file=README.md,line=1::pwned\r::add-mask::x\u2028::warning::u2028\n   ::notice::indented\n\t::group::tab\nok ##[error]legacy'

describe('printable: one untrusted value inside a line', () => {
  test('line breaks, controls, ANSI, bidi and separators become visible escapes', () => {
    expect(printable('a\nb\r\nc\td')).toBe('a\\nb\\r\\nc\\td')
    expect(printable('\u001b[2J\u001b[31mred')).toBe('\\u001b[2J\\u001b[31mred')
    expect(printable('x\u2028y\u2029z\u0085w\u009bq\u007f')).toBe('x\\u2028y\\u2029z\\u0085w\\u009bq\\u007f')
    expect(printable('abc\u202edcba\u2066i\u2069')).toBe('abc\\u202edcba\\u2066i\\u2069')
    expect(printable('Ventas por región — 売上 📈')).toBe('Ventas por región — 売上 📈')
  })

  test('the attack stays on one line, with no legacy command in it', () => {
    expect(runnerLines(printable(ATTACK))).toHaveLength(1)
    expect(printable(ATTACK)).toMatch(/ok ##\\\[error\]legacy$/)
    expect(isWorkflowCommand(`message: ${printable(ATTACK)}`)).toBe(false)
  })
})

describe('printableLines: multi-line text printed deliberately', () => {
  test('keeps its lines but no line is a workflow command', () => {
    const out = printableLines(ATTACK)
    const lines = runnerLines(out)
    expect(lines).toEqual([
      'Sales',
      ':\\:error file=README.md,line=1::pwned\\r::add-mask::x\\u2028::warning::u2028',
      '   :\\:notice::indented',
      '\t:\\:group::tab',
      'ok ##\\[error]legacy'
    ])
    for (const l of lines) expect(isWorkflowCommand(l)).toBe(false)
    // and the oracle does see the commands in the raw text
    expect(runnerLines(ATTACK).filter(isWorkflowCommand)).toHaveLength(5)
  })

  test('ordinary text is untouched: colons, hashes, CRLF read as LF', () => {
    const plan = '~ space "Sales" (spaces/sales/space.yaml)\n  instructions:\n    + Revenue: net::amount ## [note]\r\n# heading\n'
    expect(printableLines(plan)).toBe(plan.replace('\r\n', '\n'))
  })

  test('a command split across writes is still caught', () => {
    const guard = new LineGuard()
    const out = ['  :', ':add-mask::x\n#', '#', '[error]y\n', '::', 'ok'].map((c) => guard.write(c)).join('')
    expect(runnerLines(out)).toEqual(['  :\\:add-mask::x', '##\\[error]y', ':\\:ok'])
    for (const l of runnerLines(out)) expect(isWorkflowCommand(l)).toBe(false)
  })
})
