import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { cli, cliProcess, ROOT, STACK_TRACE } from '../helpers/cli.js'

const DIR = path.join(ROOT, '__tests__/fixtures/malformed')
const cases = readdirSync(DIR)
  .filter((f) => !f.endsWith('.expect'))
  .sort()
  .map((name) => {
    const file = path.join(DIR, name)
    const expect = name.endsWith('.yaml') ? readFileSync(file, 'utf8').split('\n')[0]?.replace('# expect: ', '') : readFileSync(`${file}.expect`, 'utf8').trim()
    const [pos, ...msg] = (expect ?? '').split(' ')
    return { name, rel: `__tests__/fixtures/malformed/${name}`, pos: pos ?? '', msg: msg.join(' ') }
  })

describe('malformed definitions', () => {
  it('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30)
  })

  it.each(cases)('$name: one located error line and exit 1', async ({ rel, pos, msg }) => {
    const r = await cli(['validate', rel])
    expect(r.code).toBe(1)
    const errors = r.out.split('\n').filter((l) => l && !l.includes(': warning: '))
    expect(errors[0]).toBe(errors[0]?.trim())
    expect(errors[0]?.startsWith(`${rel}:${pos}: `)).toBe(true)
    expect(errors[0]).toContain(msg)
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
