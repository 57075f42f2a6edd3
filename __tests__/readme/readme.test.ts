import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import * as yaml from 'js-yaml'
import { MODES } from '../../src/action/inputs.js'
import { COMMANDS } from '../../src/cli/main.js'
import { validateFile } from '../../src/core/validate.js'
import { parsePromotionConfig } from '../../src/promote/config.js'
import { ROOT } from '../helpers/cli.js'
import { parseWorkflowFile } from '../workflows/harness.js'

// The README matches the code: every YAML block is valid as what it is (a space definition with no
// warning, a benchmark suite, a promotion config, a workflow or workflow steps, to GitHub's parser),
// and the action's inputs and outputs are exactly those of its tables. A block that is deliberately
// partial is marked with a preceding `<!-- not-validated: reason -->` line.

const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
const action = yaml.load(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>
  outputs: Record<string, unknown>
}

interface Block {
  /** 1-based line of the opening fence */
  line: number
  lang: string
  text: string
  /** the reason of a `<!-- not-validated: … -->` marker just before it */
  skip?: string
}

/** Every fenced code block, its content un-indented by the fence's own indentation (blocks inside list items). */
function fencedBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n')
  const blocks: Block[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\S*)\s*$/.exec(lines[i] as string)
    if (!open) continue
    const indent = (open[1] as string).length
    const body: string[] = []
    let j = i + 1
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j] as string); j++)
      body.push((lines[j] as string).slice(Math.min(indent, (lines[j] as string).search(/\S|$/))))
    let k = i - 1
    while (k >= 0 && (lines[k] as string).trim() === '') k--
    const marker = k >= 0 ? /<!--\s*not-validated:\s*(.*?)\s*-->/.exec(lines[k] as string) : null
    blocks.push({ line: i + 1, lang: open[2] as string, text: `${body.join('\n')}\n`, ...(marker ? { skip: marker[1] as string } : {}) })
    i = j
  }
  return blocks
}

type Kind = 'space' | 'fragment' | 'suite' | 'config' | 'workflow' | 'steps'

/** Top-level keys of a space definition (its committed JSON Schema): a block of only these is a fragment of one. */
const SPACE_KEYS = new Set(Object.keys((JSON.parse(readFileSync(path.join(ROOT, 'schema/space.schema.json'), 'utf8')) as { properties: object }).properties))
/** What a fragment is validated inside: the smallest definition without a warning. */
const FRAGMENT_HOST = 'title: README fragment\ndata_sources:\n  tables:\n    - identifier: main.readme.example\n'
type Step = { uses?: string; run?: string; with?: Record<string, unknown> }

function kindOf(value: unknown): Kind | undefined {
  if (Array.isArray(value)) return value.length > 0 && value.every((s) => s && typeof s === 'object' && ('uses' in s || 'run' in s)) ? 'steps' : undefined
  if (!value || typeof value !== 'object') return undefined
  const keys = Object.keys(value)
  if (keys.includes('jobs')) return 'workflow'
  if (keys.includes('promotion_order') || keys.includes('environments')) return 'config'
  if (keys.includes('queries')) return 'suite'
  if (keys.includes('title') || keys.includes('data_sources')) return 'space'
  if (keys.length > 0 && keys.every((k) => SPACE_KEYS.has(k))) return 'fragment'
  return undefined
}

const THIS_ACTION = /^(?:<owner>\/spaceops-action@|\.\/?$)/
function stepsOf(workflow: unknown): Step[] {
  const jobs = (workflow as { jobs?: Record<string, { steps?: Step[] }> }).jobs ?? {}
  return Object.values(jobs).flatMap((j) => j.steps ?? [])
}

const yamlBlocks = fencedBlocks(README).filter((b) => b.lang === 'yaml' || b.lang === 'yml')
let dir: string
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'spaceops-readme-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The problems of one block, as `README.md:<line>: …` lines (none when it is valid as what it is). */
async function problemsOf(block: Block): Promise<string[]> {
  const where = `README.md:${block.line}`
  let value: unknown
  try {
    value = yaml.load(block.text)
  } catch (err) {
    return [`${where}: not YAML: ${(err as Error).message.split('\n')[0]}`]
  }
  const kind = kindOf(value)
  const own = path.join(dir, `block-${block.line}`)
  mkdirSync(own, { recursive: true })
  const problems: string[] = []
  const report = (ps: { line?: number; col?: number; severity: string; message: string }[]) => {
    for (const p of ps) problems.push(`${where} (+${p.line ?? 0}:${p.col ?? 0}) ${p.severity}: ${p.message}`)
  }
  switch (kind) {
    case 'space':
    case 'fragment':
    case 'suite': {
      const file = path.join(own, kind === 'suite' ? 'suite.yaml' : 'space.yaml')
      writeFileSync(file, kind === 'fragment' ? FRAGMENT_HOST + block.text : block.text)
      const result = await validateFile(file)
      if (kind !== 'suite' && !result.definition) problems.push(`${where}: not read as a space definition`)
      if (kind === 'suite' && !result.suite) problems.push(`${where}: not read as a benchmark suite`)
      report(result.problems)
      break
    }
    case 'config':
      try {
        parsePromotionConfig('promotion.yaml', block.text)
      } catch (err) {
        problems.push(`${where}: promotion config: ${(err as Error).message}`)
      }
      break
    case 'workflow':
    case 'steps': {
      const workflow = kind === 'workflow' ? value : { on: 'push', jobs: { readme: { 'runs-on': 'ubuntu-latest', steps: value } } }
      const file = path.join(own, 'workflow.yml')
      writeFileSync(file, kind === 'workflow' ? block.text : yaml.dump(workflow))
      for (const p of (await parseWorkflowFile(file)).problems) problems.push(`${where}: workflow: ${p}`)
      for (const step of stepsOf(workflow)) {
        if (!THIS_ACTION.test(step.uses ?? '')) continue
        for (const input of Object.keys(step.with ?? {})) if (!(input in action.inputs)) problems.push(`${where}: input ${input} is not in action.yml`)
      }
      break
    }
    default:
      problems.push(`${where}: not a space definition, suite, promotion config, workflow or steps: fix it, or mark it <!-- not-validated: reason -->`)
  }
  return problems
}

describe('README.md YAML blocks', () => {
  it('has blocks of every kind it documents', () => {
    const kinds = yamlBlocks.filter((b) => !b.skip).map((b) => kindOf(yaml.load(b.text)))
    expect(new Set(kinds)).toEqual(new Set(['space', 'fragment', 'config', 'workflow', 'steps']))
  })

  it('marks few blocks as not validated, each with its reason', () => {
    const skipped = yamlBlocks.filter((b) => b.skip !== undefined)
    expect(skipped.length).toBeLessThanOrEqual(3)
    for (const b of skipped) expect(b.skip?.length).toBeGreaterThan(5)
  })

  it.each(yamlBlocks.filter((b) => !b.skip).map((b) => [b.line, b] as const))(
    'the block at line %i is valid as what it is, without a warning',
    async (_line, block) => {
      expect(await problemsOf(block)).toEqual([])
    }
  )

  it('the checks catch what they are for: a warning, an unknown input, a bad config, a broken workflow, an unknown kind, a bad fragment', async () => {
    const at = (text: string): Block => ({ line: 0, lang: 'yaml', text })
    const [space, input, config, workflow, unknown, fragment] = await Promise.all([
      problemsOf(
        at(
          'title: T\ndata_sources:\n  tables: [{ identifier: a.b.c }]\njoins:\n  - { left_table: a.b.c, right_table: a.b.d, left_column: x, right_column: y }\n'
        )
      ),
      problemsOf(at('- uses: <owner>/spaceops-action@v1\n  with: { mode: validate, definitions: spaces }\n')),
      problemsOf(at('promotion_order: [dev]\nenvironments:\n  Dev: {}\n')),
      problemsOf(at('on: push\njobs:\n  a:\n    steps: [{ run: x }]\n')),
      problemsOf(at('name: x\n')),
      // its own line, so its own folder: a fragment is written as space.yaml like the space above
      problemsOf({ ...at('permissions:\n  - level: CAN_READ\n    group_name: analysts\n'), line: 1 })
    ])
    expect(space.join('\n')).toMatch(/warning: join right side a\.b\.d/)
    expect(input).toEqual(['README.md:0: input definitions is not in action.yml'])
    expect(config.join('\n')).toMatch(/"Dev"/)
    expect(workflow.join('\n')).toMatch(/runs-on/)
    expect(unknown.join('\n')).toMatch(/not-validated/)
    expect(fragment.join('\n')).toMatch(/error: .*CAN_READ/)
  })
})

/** The rows of the Markdown table whose header row matches `header`, as cells. */
function table(header: RegExp): string[][] {
  const lines = README.split('\n')
  const start = lines.findIndex((l) => header.test(l))
  expect(start).toBeGreaterThanOrEqual(0)
  const rows: string[][] = []
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim())
    )
  }
  return rows
}
const codeSpans = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string)

describe('README.md tables vs action.yml', () => {
  const inputRows = table(/^\| input \| default \| meaning \|$/)
  const outputRows = table(/^\| output \| mode \| meaning \|$/)

  it('every input of action.yml is in the inputs table, and the table names no other', () => {
    const documented = new Set(inputRows.flatMap((r) => codeSpans(r[0] ?? '')))
    const declared = Object.keys(action.inputs)
    expect(declared.filter((i) => !documented.has(i))).toEqual([])
    expect([...documented].filter((i) => !declared.includes(i))).toEqual([])
  })

  it('a row of one input gives action.yml’s default, when action.yml has one', () => {
    const wrong: string[] = []
    for (const [names = '', defaults = ''] of inputRows) {
      const [name, ...more] = codeSpans(names)
      const declared = name === undefined ? undefined : action.inputs[name]?.default
      if (more.length || !declared) continue
      if (codeSpans(defaults)[0] !== declared) wrong.push(`${name}: README ${defaults || '(none)'}, action.yml ${declared}`)
    }
    expect(wrong).toEqual([])
  })

  it('the mode row lists every mode the action runs, and no other', () => {
    const row = inputRows.find((r) => codeSpans(r[0] ?? '')[0] === 'mode')
    expect(codeSpans(row?.[2] ?? '').sort()).toEqual([...MODES].sort())
  })

  it('every output of action.yml is in the outputs table, and the table names no other', () => {
    const documented = new Set(outputRows.flatMap((r) => codeSpans(r[0] ?? '')))
    const declared = Object.keys(action.outputs)
    expect(declared.filter((o) => !documented.has(o))).toEqual([])
    expect([...documented].filter((o) => !declared.includes(o))).toEqual([])
  })
})

describe('README.md commands', () => {
  it('every spaceops command in a bash block exists', () => {
    const used = fencedBlocks(README)
      .filter((b) => b.lang === 'bash')
      .flatMap((b) => [...b.text.matchAll(/(?:^|[\s;&|(])(?:npx )?spaceops ([a-z-]+)/gm)].map((m) => m[1] as string))
    expect(used.length).toBeGreaterThan(0)
    expect(used.filter((c) => !(c in COMMANDS) && !c.startsWith('-'))).toEqual([])
  })
})
