/**
 * The real runtime (@actions/core behind guardRuntime), with its stdout captured: what a runner
 * would read. Untrusted text with line breaks and workflow commands must not produce a command line
 * other than SpaceOps' own.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { OUTPUT_VALUE_LIMIT, actionsRuntime, guardRuntime } from '../../src/github/actions.js'
import { isWorkflowCommand } from '../helpers/workflow-commands.js'
import { FakeRuntime } from '../helpers/runtime.js'

const ESCAPED = 'Sales\\n::error file=README.md,line=1::pwned\\n::add-mask::x\\r::warning::cr\\u2028  ::notice::sep ##\\[error]legacy \\u001b[2Jansi'
const TITLE = 'Sales\n::error file=README.md,line=1::pwned\n::add-mask::x\r::warning::cr\u2028  ::notice::sep ##[error]legacy \u001b[2Jansi'

/** The runner's parser for `::name k=v,k=v::data`, with its unescaping of properties and data. */
function parseCommand(line: string): { name: string; props: Record<string, string>; data: string } | undefined {
  const m = /^\s*::([^\s:]+)(?: ([^:]*))?::(.*)$/s.exec(line)
  if (!m) return undefined
  const unData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
  const unProp = (s: string) => unData(s).replace(/%3A/g, ':').replace(/%2C/g, ',')
  const props: Record<string, string> = {}
  for (const kv of (m[2] ?? '').split(',').filter(Boolean)) {
    const [k, ...v] = kv.split('=')
    props[k as string] = unProp(v.join('='))
  }
  return { name: m[1] as string, props, data: unData(m[3] ?? '') }
}

let written: string
const saved = { ...process.env }
/** What the step prints: actionsRuntime's stdout, captured. */
const capture = (text: string) => {
  written += text
}

beforeEach(() => {
  written = ''
  const dir = mkdtempSync(path.join(tmpdir(), 'spaceops-rt-'))
  process.env.GITHUB_OUTPUT = path.join(dir, 'output')
  process.env.GITHUB_STEP_SUMMARY = path.join(dir, 'summary')
  writeFileSync(process.env.GITHUB_OUTPUT, '')
  writeFileSync(process.env.GITHUB_STEP_SUMMARY, '')
})
afterEach(() => {
  process.env = { ...saved }
  process.exitCode = undefined
})

const runnerLines = (): string[] => written.split(/\r\n|\r|\n/).filter((l) => l !== '')

describe('actionsRuntime(): untrusted text cannot issue workflow commands', () => {
  test('a title with ::error / ::add-mask:: lines printed in info, debug, annotations and setFailed', () => {
    const rt = actionsRuntime(capture)
    rt.setSecret('dapiREALsecret0123')
    rt.info(`spaces/sales/space.yaml: created 01f0 "${TITLE}"`)
    rt.info(TITLE) // a message that starts with untrusted text
    rt.info('  ::add-mask::pwned ##[error]x')
    rt.infoLines(`~ space "Sales"\n  + instructions:\n${TITLE}`) // a rendered plan: several lines
    rt.debug(`GET /spaces -> "${TITLE}"`)
    rt.warning(`"${TITLE}" was changed outside SpaceOps`, { title: `SpaceOps: ${TITLE}`, file: 'spaces/a,b:c\n::error::f.yaml', startLine: 3 })
    rt.error(TITLE, { title: TITLE })
    rt.notice(TITLE)
    rt.setFailed(`push failed: ${TITLE}`)

    const commands = runnerLines()
      .filter(isWorkflowCommand)
      .map((l) => parseCommand(l))
    // exactly SpaceOps' own: the mask, then debug, warning, error, notice, error (setFailed)
    expect(commands.map((c) => c?.name)).toEqual(['add-mask', 'debug', 'warning', 'error', 'notice', 'error'])
    expect(commands[0]?.data).toBe('dapiREALsecret0123')
    // the text is there, visibly escaped, on SpaceOps' lines: untrusted text starts no line
    expect(runnerLines()[1]).toBe(`spaces/sales/space.yaml: created 01f0 "${ESCAPED}"`)
    expect(runnerLines()[2]).toBe(ESCAPED)
    expect(runnerLines()[3]).toBe('  :\\:add-mask::pwned ##\\[error]x')
    expect(written).toContain(
      '"Sales\\n::error file=README.md,line=1::pwned\\n::add-mask::x\\r::warning::cr\\u2028  ::notice::sep ##\\[error]legacy \\u001b[2Jansi"'
    )
    expect(written).not.toContain('\u001b')
    // @actions/core keeps the properties inside their command: the runner reads them back whole
    const warning = commands[2]
    expect(warning?.props).toEqual({ title: `SpaceOps: ${ESCAPED}`, file: 'spaces/a,b:c\n::error::f.yaml', line: '3' })
    expect(warning?.data).toBe(`"${ESCAPED}" was changed outside SpaceOps`)
    // the plan stays several lines, none of them a command
    expect(runnerLines().filter((l) => l.includes('+ instructions:'))).toHaveLength(1)
    expect(runnerLines().filter((l) => l.startsWith(':\\:error file=README.md'))).toHaveLength(1)
  })

  test('secrets given to setSecret are redacted from everything it prints', async () => {
    const rt = actionsRuntime(capture)
    rt.setSecret('dapiREALsecret0123')
    rt.info('echo dapiREALsecret0123')
    rt.error('echo dapiREALsecret0123', { title: 'dapiREALsecret0123' })
    await rt.appendSummary('summary dapiREALsecret0123\n')
    expect(written.split('dapiREALsecret0123')).toHaveLength(2) // only in ::add-mask::
    expect(readFileSync(process.env.GITHUB_STEP_SUMMARY as string, 'utf8').trim()).toBe('summary ***')
  })
})

describe('guardRuntime: outputs and the job summary within GitHub limits', () => {
  test('an output over the limit is cut with a warning; the step goes on', () => {
    const fake = new FakeRuntime({}, '/')
    const rt = guardRuntime(fake)
    rt.setOutput('changed', 'true')
    rt.setOutput('definitions', JSON.stringify(Array.from({ length: 5000 }, (_, i) => `spaces/team-${i}/space.yaml`)))
    expect(fake.outputs.changed).toBe('true')
    expect(fake.outputs.definitions).toHaveLength(OUTPUT_VALUE_LIMIT)
    expect(fake.annotations).toEqual([
      expect.objectContaining({
        level: 'warning',
        message: expect.stringMatching(/^output definitions is 1[\d,]+ characters, more than a step's outputs may hold: it was cut to 65,536$/)
      })
    ])
    expect(fake.failed).toBeUndefined()
  })

  test('all outputs together stay within the step budget, and a value never splits a surrogate pair', () => {
    const fake = new FakeRuntime({}, '/')
    const rt = guardRuntime(fake)
    for (const n of ['a', 'b', 'c', 'd', 'e']) rt.setOutput(n, '📈'.repeat(OUTPUT_VALUE_LIMIT))
    const total = Object.values(fake.outputs).reduce((s, v) => s + v.length, 0)
    expect(total).toBeLessThanOrEqual(262_144)
    for (const v of Object.values(fake.outputs)) expect(v).toMatch(/^(📈)*$/u)
    expect(fake.outputs.e).toBe('')
  })

  test('the summary stops at 1 MiB per step: the report that overflows is cut at a line with a note, later ones are dropped', async () => {
    const fake = new FakeRuntime({}, '/')
    const rt = guardRuntime(fake)
    const row = (i: number) => `| spaces/team-${i}/space.yaml | changed | ${'é'.repeat(40)} |`
    await rt.appendSummary(`### first\n\n${Array.from({ length: 6000 }, (_, i) => row(i)).join('\n')}\n`)
    await rt.appendSummary(`### second\n\n\`\`\`text\n${Array.from({ length: 9000 }, (_, i) => row(i)).join('\n')}\n\`\`\`\n`)
    await rt.appendSummary('### third\n')
    // (+ one line break per append, which @actions/core adds)
    expect(Buffer.byteLength(fake.summary) + 2).toBeLessThanOrEqual(1_048_576)
    expect(fake.summary).toContain('### second')
    expect(fake.summary).not.toContain('### third')
    expect(fake.summary).toMatch(/```\n\n> ⚠️ The rest of this summary was cut to fit GitHub's job summary limit \(1 MiB per step\)\.\n$/)
    expect(fake.annotations.filter((a) => a.level === 'warning')).toHaveLength(1)
    expect(fake.failed).toBeUndefined()
  })
})
