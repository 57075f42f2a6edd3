import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { cli, cliProcess, ROOT, STACK_TRACE } from '../helpers/cli.js'

const DIR = path.join(ROOT, '__tests__/fixtures/malformed')
const cases = readdirSync(DIR)
  .filter((f) => !f.endsWith('.expect'))
  .sort()
  .map((name) => {
    const file = path.join(DIR, name)
    // one expected error per line: a YAML fixture's leading `# expect: line:col message` lines, a JSON fixture's .expect file
    const lines = name.endsWith('.yaml')
      ? readFileSync(file, 'utf8').split('\n')
      : readFileSync(`${file}.expect`, 'utf8')
          .trim()
          .split('\n')
          .map((l) => `# expect: ${l}`)
    const expected = lines
      .slice(
        0,
        Math.max(
          1,
          lines.findIndex((l) => !l.startsWith('# expect: '))
        )
      )
      .map((l) => {
        const [pos, ...msg] = l.replace('# expect: ', '').split(' ')
        return { pos: pos ?? '', msg: msg.join(' ') }
      })
    return { name, rel: `__tests__/fixtures/malformed/${name}`, pos: expected[0]?.pos ?? '', msg: expected[0]?.msg ?? '', expected }
  })

describe('malformed definitions', () => {
  it('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30)
  })

  it.each(cases)('$name: located error lines (the first one first, every expected one) and exit 1', async ({ rel, pos, msg, expected }) => {
    const r = await cli(['validate', rel])
    expect(r.code).toBe(1)
    const errors = r.out.split('\n').filter((l) => l && !l.includes(': warning: '))
    expect(errors[0]).toBe(errors[0]?.trim())
    expect(errors[0]?.startsWith(`${rel}:${pos}: `)).toBe(true)
    expect(errors[0]).toContain(msg)
    for (const e of expected) expect(errors.filter((l) => l.startsWith(`${rel}:${e.pos}: `) && l.includes(e.msg))).toHaveLength(1)
    expect(r.out + r.err).not.toMatch(STACK_TRACE)
  })

  it('the built CLI prints no stack trace for any of them', () => {
    const r = cliProcess(['validate', '__tests__/fixtures/malformed/*.{yaml,json}'])
    expect(r.code).toBe(1)
    expect(r.out + r.err).not.toMatch(STACK_TRACE)
    // every malformed file is reported
    for (const c of cases) expect(r.out).toContain(c.rel)
  })

  it('render and convert refuse a definition that does not load, with the same one line', async () => {
    const r = await cli(['render', '__tests__/fixtures/malformed/06-unknown-top-key.yaml'])
    expect(r.code).toBe(1)
    expect(r.out).toBe('')
    expect(r.err.trim()).toBe('error: __tests__/fixtures/malformed/06-unknown-top-key.yaml:2:1: unknown key "titel" in the space (did you mean "title"?)')
  })

  it('reports every error of a file in --format json with positions', async () => {
    const r = await cli(['validate', '--format', 'json', '__tests__/fixtures/malformed/16-duplicate-question-id.yaml'])
    expect(r.code).toBe(1)
    const report = JSON.parse(r.out)
    expect(report.valid).toBe(false)
    expect(report.problems[0]).toMatchObject({ severity: 'error', rule: 'duplicate-id', line: 10, col: 9 })
  })
})
