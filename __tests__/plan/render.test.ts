import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { loadDefinitionText } from '../../src/model/load.js'
import { diffSpaces } from '../../src/plan/diff.js'
import { contentOf, holdsLine, lineDiff, renderJson, renderMarkdown, renderText, summaryLine, type SpacePlan } from '../../src/plan/render.js'
import { ROOT } from '../helpers/cli.js'

// Golden files: __tests__/fixtures/plans/<case>/expected.{txt,md,json}, read by eye when written.
// UPDATE_GOLDEN=1 npm test -- __tests__/plan rewrites them (then read the git diff).
const DIR = path.join(ROOT, '__tests__/fixtures/plans')
const cases = readdirSync(DIR).sort()

function load(file: string) {
  const r = loadDefinitionText(file, readFileSync(file, 'utf8'))
  if (!r.definition) throw new Error(r.problems[0]?.message)
  return r.definition.space
}

function planFor(name: string): SpacePlan {
  const files = readdirSync(path.join(DIR, name))
  const before = files.find((f) => f.startsWith('before.')) as string
  const after = files.find((f) => f.startsWith('after.')) as string
  const b = load(path.join(DIR, name, before))
  const a = load(path.join(DIR, name, after))
  const diff = diffSpaces(b, a, { onlyDesiredMeta: false })
  return { definition: `${name}/${after}`, title: a.meta.title ?? name, status: diff.changes.length ? 'changed' : 'unchanged', diff }
}

function golden(file: string, actual: string) {
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, actual)
  expect(actual).toBe(readFileSync(file, 'utf8'))
}

describe('plan renderers on real fixture pairs (golden files)', () => {
  it.each(cases)('%s', (name) => {
    const plan = planFor(name)
    golden(path.join(DIR, name, 'expected.txt'), renderText([plan]))
    golden(path.join(DIR, name, 'expected.md'), renderMarkdown([plan]))
    golden(path.join(DIR, name, 'expected.json'), renderJson([plan]))
  })
})

describe('semantic diff', () => {
  it('reports nothing for reordering, key order, line splitting and version 1 vs 2', () => {
    expect(planFor('taxi-reordered').diff?.changes).toEqual([])
    const v1 = load(path.join(ROOT, '__tests__/fixtures/spaces/cli_full_featured.json'))
    const v2 = structuredClone(v1)
    expect(diffSpaces(v1, v2).changes).toEqual([])
  })

  it('matches items by identity, falling back to the question text when ids differ', () => {
    const changes = planFor('full-featured-ids').diff?.changes ?? []
    const example = changes.find((c) => c.what === 'example query' && c.name === 'Calculate daily revenue')
    expect(example?.kind).toBe('change')
    expect(example?.fields).toEqual([{ kind: 'change', field: 'id', before: 'eq-002', after: 'afb1b72fc4680da4c41b159d889afba2' }])
    expect(
      changes
        .filter((c) => c.what === 'sample question')
        .map((c) => `${c.kind} ${c.name}`)
        .sort()
    ).toEqual(['add Show me the top 10 customers', 'change What is the total revenue?', 'remove Show me the top customers'])
  })

  it('shows edited text as a line diff and summarises in one line', () => {
    const plan = planFor('workbench-edits')
    expect(summaryLine(plan.diff)).toBe('+1 table, +1 sample question, ~1 table, ~1 join, ~1 instruction, ~1 measure, ~1 benchmark, −1 example query')
    const instruction = plan.diff?.changes.find((c) => c.what === 'instruction')
    expect(lineDiff(instruction?.fields[0]?.before as string, instruction?.fields[0]?.after as string)).toEqual([
      '  ',
      '  ## Instructions you must follow when providing summaries',
      '- - Round all monetary values to 2 decimal places.',
      '+ - Round all monetary values to 0 decimal places.',
      '+ - Never show customer emails.',
      '  '
    ])
  })

  it('compares only the metadata the definition sets, unless asked for all', () => {
    const a = load(path.join(DIR, 'taxi-reordered/before.geniespace.json'))
    const live = { ...a, meta: { title: 'Taxi', description: 'set in the UI' } }
    const desired = { ...a, meta: { title: 'Taxi' } }
    expect(diffSpaces(live, desired).changes).toEqual([])
    expect(diffSpaces(live, desired, { onlyDesiredMeta: false }).changes.map((c) => c.name)).toEqual(['description'])
    const moved = { ...a, meta: { title: 'Taxi', parent_path: '/Workspace/Shared/x' } }
    expect(diffSpaces({ ...a, meta: { title: 'Taxi', parent_path: '/Shared/x' } }, moved).changes).toEqual([])
  })
})

describe('a plan too large for one comment', () => {
  it('degrades full diff → per-item summary → counts to fit 65,536 characters, with a note', async () => {
    const { fitReport, COMMENT_BODY_LIMIT, trimmedNote } = await import('../../src/github/fit.js')
    const base = load(path.join(DIR, 'taxi-reordered/before.geniespace.json'))
    const big = (n: number, sqlLines: number) => {
      const after = structuredClone(base)
      after.document.instructions!.example_question_sqls = Array.from({ length: n }, (_, i) => ({
        id: i.toString(16).padStart(32, '0'),
        question: [`Question number ${i} about taxi trips?`],
        sql: Array.from({ length: sqlLines }, (_, l) => `SELECT ${l} AS line_${l}, fare_amount FROM samples.nyctaxi.trips WHERE trip_distance > ${i}\n`)
      }))
      const diff = diffSpaces(base, after)
      return { definition: 'spaces/taxi/space.yaml', title: 'Taxi', status: 'changed' as const, diff }
    }
    const levels = (plans: SpacePlan[]) => (['full', 'summary', 'counts'] as const).map((detail) => renderMarkdown(plans, { detail }))
    const note = trimmedNote('comment', 'https://github.example/run/1')

    const medium = levels([big(150, 20)])
    expect(medium[0]!.length).toBeGreaterThan(COMMENT_BODY_LIMIT)
    const fitted = fitReport(medium, { limit: COMMENT_BODY_LIMIT, note })
    expect(fitted.level).toBe(1)
    expect(fitted.text).toContain('+ example query: Question number 149 about taxi trips?')
    expect(fitted.text).toContain('the full plan is in the job summary: https://github.example/run/1')
    expect(fitted.text.length).toBeLessThanOrEqual(COMMENT_BODY_LIMIT)

    const huge = levels(Array.from({ length: 40 }, (_, k) => ({ ...big(120, 1), definition: `spaces/taxi${k}/space.yaml` })))
    expect(huge[1]!.length).toBeGreaterThan(COMMENT_BODY_LIMIT)
    const counts = fitReport(huge, { limit: COMMENT_BODY_LIMIT, note })
    expect(counts.level).toBe(2)
    expect(counts.text).toContain('**40** changed')
    expect(counts.text).toContain('+120 example queries')
  })
})

describe('line diffs of long texts', () => {
  test('a change in a long text shows only the lines around it', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i}`)
    const after = [...lines]
    after[2500] = 'changed'
    expect(lineDiff(lines.join('\n'), after.join('\n'))).toEqual(['  line 2498', '  line 2499', '- line 2500', '+ changed', '  line 2501', '  line 2502'])
  })

  test('two texts at the length limit differing in thousands of lines plan in bounded time: the old text removed, then the new one added', () => {
    let seed = 7
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
    const text = () => Array.from({ length: 12_500 }, () => 'abcdefgh'[Math.floor(rnd() * 8)]).join('\n')
    const a = text()
    const b = text()
    const out = lineDiff(a, b)
    expect(out.filter((l) => l.startsWith('-'))).toHaveLength(12_500)
    expect(out.filter((l) => l.startsWith('+'))).toHaveLength(12_500)
    expect(out.findIndex((l) => l.startsWith('+'))).toBe(12_500)
  })
})

describe('the target preflight above the diff', () => {
  const base = planFor('workbench-edits')
  const plan: SpacePlan = {
    ...base,
    target: 'prod',
    preflight: {
      summary: 'preflight on prod: 1 error, 1 warning',
      findings: [
        {
          severity: 'error',
          text: "spaces/sales/space.yaml:25:19: table shop_prod.sales.customers does not exist in prod's Unity Catalog (TABLE_DOES_NOT_EXIST)"
        },
        { severity: 'warning', text: 'spaces/sales/space.yaml:23:24: column _loaded_at is excluded but shop_prod.sales.orders has no such column' }
      ]
    }
  }

  it('text: the headline, then each finding, then the changes', () => {
    const lines = renderText([plan]).split('\n')
    expect(lines.slice(1, 4)).toEqual([
      '  preflight on prod: 1 error, 1 warning',
      "    error: spaces/sales/space.yaml:25:19: table shop_prod.sales.customers does not exist in prod's Unity Catalog (TABLE_DOES_NOT_EXIST)",
      '    warning: spaces/sales/space.yaml:23:24: column _loaded_at is excluded but shop_prod.sales.orders has no such column'
    ])
    // the plan without a preflight renders as before
    expect(renderText([base])).toBe(readFileSync(path.join(DIR, 'workbench-edits', 'expected.txt'), 'utf8'))
  })

  it('markdown: findings above the diff at full detail, errors only at summary, the headline at counts', () => {
    const full = renderMarkdown([plan])
    const at = (s: string) => full.indexOf(s)
    expect(at('❌ <b>preflight on prod: 1 error, 1 warning</b>')).toBeGreaterThan(0)
    expect(at('- ❌ spaces/sales/space.yaml:25:19: table shop\\_prod.sales.customers')).toBeGreaterThan(0)
    expect(at('⚠️ spaces/sales/space.yaml:23:24: column \\_loaded\\_at')).toBeGreaterThan(0)
    expect(at('preflight on prod')).toBeLessThan(at('```diff'))
    const summary = renderMarkdown([plan], { detail: 'summary' })
    expect(summary).toContain('- …and 1 warning')
    expect(summary).not.toContain('\\_loaded\\_at')
    const counts = renderMarkdown([plan], { detail: 'counts' })
    expect(counts).toContain('preflight on prod: 1 error, 1 warning')
    expect(counts).not.toContain('TABLE_DOES_NOT_EXIST')
    expect(JSON.parse(renderJson([plan])).spaces[0].preflight.summary).toBe('preflight on prod: 1 error, 1 warning')
  })
})

describe('the plan of a new space shows what it will hold', () => {
  const read = load(path.join(DIR, 'workbench-edits/after.geniespace.json'))
  const space = { ...read, meta: { ...read.meta, title: 'Sales', warehouse_id: 'a1b2c3d4e5f60718' } }
  const plan: SpacePlan = { definition: 'spaces/sales/space.yaml', title: 'Sales', target: 'prod', status: 'new', diff: contentOf(space) }

  it('counts its parts in the one-line summary, everywhere the plan is read', () => {
    const holds = holdsLine(plan.diff)
    expect(holds).toMatch(/^\d+ tables?, /)
    for (const part of ['table', 'instruction', 'example quer', 'benchmark']) expect(holds).toContain(part)
    expect(renderText([plan]).split('\n')[0]).toBe(`spaces/sales/space.yaml: "Sales" in prod: will be created, holding ${holds}`)
    expect(JSON.parse(renderJson([plan])).spaces[0].summary).toBe(`will be created, holding ${holds}`)
    expect(renderMarkdown([plan, { ...plan, definition: 'b.yaml', title: 'B', status: 'unchanged', diff: undefined }])).toContain(
      `| 🆕 new | will be created, holding ${holds} |`
    )
  })

  it('puts the rendered content in a collapsed section (golden file), names only at the summary level', () => {
    const md = renderMarkdown([plan])
    expect(md).toMatch(/<details><summary>🆕 <b>Sales<\/b> → <code>prod<\/code> — will be created, holding \d+ tables?/)
    expect(md).toContain('+ title: "Sales"')
    expect(md).toContain('+ warehouse id: "a1b2c3d4e5f60718"')
    golden(path.join(ROOT, '__tests__/fixtures/new-space-plan/expected.md'), md)
    const summary = renderMarkdown([plan], { detail: 'summary' })
    expect(summary).toContain('<details>')
    expect(summary).not.toContain('    + sql:')
    expect(renderMarkdown([plan], { detail: 'counts' })).not.toContain('<details>')
  })

  it('an empty space says it holds nothing yet', () => {
    expect(holdsLine(contentOf({ meta: { title: 'x' }, document: { version: 2 } }))).toBe('nothing yet (no tables, instructions or examples)')
  })

  it('a created space is reported as created, a blocked promotion as blocked (not an error), its reason once', () => {
    const created = renderMarkdown([{ ...plan, status: 'created', spaceId: 'abc' }])
    expect(created).toContain('created, holding')
    expect(created).not.toContain('will be created')
    expect(created).toContain('**1** created')
    const blocked = renderMarkdown(
      [{ definition: 'a.yaml', title: 'A', target: 'prod', status: 'blocked', error: 'stage has no space "A": promote to stage first' }],
      { title: 'SpaceOps promote to prod' }
    )
    expect(blocked).toContain('**1** blocked · **0** errors')
    expect(blocked).toContain('⛔ <b>A</b> → <code>prod</code> — blocked: stage has no space')
    expect(blocked.split('promote to stage first')).toHaveLength(2)
  })
})

describe('a plan that failed', () => {
  it('names the file once when the space was never read, and the title when it was', () => {
    const early: SpacePlan = { definition: 'spaces/sales/space.yaml', title: 'spaces/sales/space.yaml', status: 'error', error: 'no Databricks host' }
    expect(renderText([early]).split('\n')[0]).toBe('spaces/sales/space.yaml: error — no Databricks host')
    const late: SpacePlan = { ...early, title: 'Sales', target: 'prod', spaceId: 'f'.repeat(32), error: 'HTTP 404' }
    expect(renderText([late]).split('\n')[0]).toBe(`spaces/sales/space.yaml: "Sales" in prod (${'f'.repeat(32)}): error — HTTP 404`)
  })
})
