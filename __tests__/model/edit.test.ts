import { readFileSync, readdirSync } from 'node:fs'
import { editDefinition } from '../../src/model/edit.js'
import { loadDefinitionText } from '../../src/model/load.js'
import { canonicalizeDocument } from '../../src/model/canonical.js'
import { toGeniespaceText, toYamlText } from '../../src/core/formats.js'
import { snapshotInto } from '../../src/deploy/snapshot.js'
import type { Space } from '../../src/model/space.js'
import { lineDiff } from '../../src/util/line-diff.js'

const DIR = '__tests__/fixtures/snapshot'
const FIXTURES = readdirSync(DIR).filter((f) => f.endsWith('.yaml'))

function load(file: string): { text: string; space: Space } {
  const text = readFileSync(`${DIR}/${file}`, 'utf8')
  const r = loadDefinitionText(file, text)
  if (!r.definition) throw new Error(`${file}: ${r.problems[0]?.message}`)
  return { text, space: r.definition.space }
}

/** The live space after one UI edit. */
function edited(space: Space, fn: (s: Space) => void): Space {
  const s = structuredClone(space)
  fn(s)
  return { meta: s.meta, document: canonicalizeDocument(s.document) }
}

function snapshotOnto(file: string, text: string, live: Space) {
  const r = editDefinition(file, text, live, toYamlText)
  const diff = lineDiff(text, r.text)
  // printed so a failing run shows the whole change
  process.stdout.write(`--- ${file}\n${diff.map((l) => `${l.op} ${l.line}`).join('\n')}\n`)
  return { ...r, removed: diff.filter((l) => l.op === '-').map((l) => l.line), added: diff.filter((l) => l.op === '+').map((l) => l.line) }
}

const NEW_ID = 'fedcba9876543210fedcba9876543210'

describe.each(FIXTURES)('snapshot onto %s (hand-annotated)', (file) => {
  const { text, space } = load(file)
  const doc = space.document

  it('an unchanged space writes the file byte for byte', () => {
    const r = editDefinition(file, text, structuredClone(space), toYamlText)
    expect(r).toMatchObject({ changed: false, inPlace: true })
    expect(r.text).toBe(text)
  })

  it('a new title changes the title line only, its comment kept', () => {
    const r = snapshotOnto(
      file,
      text,
      edited(space, (s) => (s.meta.title = 'Renamed in the UI'))
    )
    expect(r.inPlace).toBe(true)
    expect(r.removed).toEqual([text.split('\n').find((l) => l.startsWith('title:'))])
    expect(r.added).toEqual(['title: Renamed in the UI # shown in the Genie UI'])
  })

  const columnTable = doc.data_sources?.tables?.find((t) => t.column_configs?.some((c) => c.exclude === undefined))
  if (columnTable)
    it('a column flag set in the UI adds one line under that column', () => {
      const r = snapshotOnto(
        file,
        text,
        edited(space, (s) => {
          const t = s.document.data_sources?.tables?.find((x) => x.identifier === columnTable?.identifier)
          const c = t?.column_configs?.find((x) => x.exclude === undefined)
          if (c) c.exclude = true
        })
      )
      expect(r.inPlace).toBe(true)
      expect(r.removed).toEqual([])
      expect(r.added.map((l) => l.trim())).toEqual(['exclude: true'])
    })

  it('an example added in the UI is appended to example_queries, nothing else moves', () => {
    const r = snapshotOnto(
      file,
      text,
      edited(space, (s) => {
        s.document.instructions ??= {}
        ;(s.document.instructions.example_question_sqls ??= []).push({ id: NEW_ID, question: ['How many rows are there?'], sql: ['SELECT COUNT(*) FROM t'] })
      })
    )
    expect(r.inPlace).toBe(true)
    expect(r.removed).toEqual([])
    const expected = doc.instructions?.example_question_sqls?.length
      ? [`  - id: ${NEW_ID}`, '    question: How many rows are there?', '    sql: SELECT COUNT(*) FROM t']
      : ['example_queries:', `  - id: ${NEW_ID}`, '    question: How many rows are there?', '    sql: SELECT COUNT(*) FROM t']
    expect(r.added).toEqual(expected)
  })

  it('a sample question added in the UI is appended as one line', () => {
    const r = snapshotOnto(
      file,
      text,
      edited(space, (s) => {
        s.document.config ??= {}
        ;(s.document.config.sample_questions ??= []).push({ id: NEW_ID, question: ['Which day was busiest?'] })
      })
    )
    expect(r.inPlace).toBe(true)
    expect(r.removed).toEqual([])
    const items = [`  - id: ${NEW_ID}`, '    question: Which day was busiest?']
    expect(r.added).toEqual(doc.config?.sample_questions?.length ? items : ['sample_questions:', ...items])
  })

  const join = doc.instructions?.join_specs?.[0]
  if (join)
    it('a join removed in the UI is removed with its comment', () => {
      const r = snapshotOnto(
        file,
        text,
        edited(space, (s) => {
          const js = s.document.instructions?.join_specs
          if (js) js.splice(0, 1)
        })
      )
      expect(r.inPlace).toBe(true)
      expect(r.added).toEqual([])
      expect(r.removed.length).toBeGreaterThan(0)
      // only lines of that join (and the comment above it) went
      const after = loadDefinitionText(file, r.text).definition
      expect(after?.space.document.instructions?.join_specs?.map((j) => j.id)).toEqual(
        doc.instructions?.join_specs?.length === 1 ? undefined : doc.instructions?.join_specs?.slice(1).map((j) => j.id)
      )
      // what went is the join's lines and the comments above it, nothing after it
      expect(r.removed.filter((l) => l.trim() && !l.trim().startsWith('#')).length).toBeGreaterThanOrEqual(3)
    })

  const instruction = doc.instructions?.text_instructions?.[0]
  if (instruction)
    it('an edited instruction line changes that line only', () => {
      const line = instruction?.content.find((l) => !l.startsWith('## ') && l.trim().length > 10) as string
      const r = snapshotOnto(
        file,
        text,
        edited(space, (s) => {
          const t = s.document.instructions?.text_instructions?.[0]
          if (t) t.content = t.content.map((l) => (l === line ? l.replace(/\S+/, 'EDITED') : l))
        })
      )
      expect(r.inPlace).toBe(true)
      expect(r.removed).toHaveLength(1)
      expect(r.added).toHaveLength(1)
      expect(r.added[0]).toContain('EDITED')
    })
})

describe("the author's forms stay (cli_full_featured.yaml)", () => {
  const file = 'cli_full_featured.yaml'
  const { text, space } = load(file)

  it('an edit inside one category lands in that category', () => {
    const r = snapshotOnto(
      file,
      text,
      edited(space, (s) => {
        const t = s.document.instructions?.text_instructions?.[0]
        if (t) t.content = t.content.map((l) => l.replace('Always filter by date', 'Always filter by order date'))
      })
    )
    expect(r.removed).toEqual(['      Always filter by date when querying orders.'])
    expect(r.added).toEqual(['      Always filter by order date when querying orders.'])
  })

  it('a changed short-form join stays short', () => {
    const r = snapshotOnto(
      file,
      text,
      edited(space, (s) => {
        const j = s.document.instructions?.join_specs?.find((x) => x.right.identifier === 'main.sales.customers')
        if (j) j.instruction = ['Use a INNER JOIN.']
      })
    )
    expect(r.removed).toEqual(['    join_type: left'])
    expect(r.added).toEqual(['    join_type: inner'])
  })

  it('a synonym added in the UI keeps the flow list', () => {
    const r = snapshotOnto(
      file,
      text,
      edited(space, (s) => {
        const c = s.document.data_sources?.tables?.[1]?.column_configs?.find((x) => x.column_name === 'customer_id')
        if (c) c.synonyms = ['client', 'buyer', 'shopper']
      })
    )
    expect(r.removed).toEqual(['          synonyms: [client, buyer]'])
    expect(r.added).toEqual(['          synonyms: [client, buyer, shopper]'])
  })

  it('a v1 flag name is kept when its value changes', () => {
    const r = snapshotOnto(
      file,
      text,
      edited(space, (s) => {
        const c = s.document.data_sources?.tables?.[1]?.column_configs?.find((x) => x.column_name === 'customer_id')
        if (c) c.enable_format_assistance = false
      })
    )
    expect(r.removed).toEqual(['          get_example_values: true  # the v1 name, kept'])
    expect(r.added).toEqual(['          get_example_values: false # the v1 name, kept'])
  })

  it('the live warehouse is not written over warehouse_id: null', () => {
    const r = editDefinition(
      file,
      text,
      edited(space, (s) => (s.meta.warehouse_id = 'abc123')),
      toYamlText
    )
    // the caller passes the target; targetSpace decides what the definition keeps (see snapshot tests)
    expect(r.text).toContain('warehouse_id: abc123')
  })
})

describe('a hand-written definition (examples/spaces/sales/space.yaml)', () => {
  const file = 'space.yaml'
  const text = readFileSync('examples/spaces/sales/space.yaml', 'utf8')
  const space = loadDefinitionText(file, text).definition?.space as Space

  it('an example whose SQL changed keeps its left-out id: only the SQL line changes', () => {
    const r = snapshotOnto(
      file,
      text,
      edited(space, (s) => {
        const e = s.document.instructions?.example_question_sqls?.find((x) => x.question[0] === 'Top customers in a country')
        if (e) e.sql = e.sql.map((l) => l.replace('SUM(o.net_amount) AS revenue', 'SUM(o.net_amount) AS net_revenue'))
      })
    )
    expect(r.removed).toEqual(['      SELECT c.name, SUM(o.net_amount) AS revenue'])
    expect(r.added).toEqual(['      SELECT c.name, SUM(o.net_amount) AS net_revenue'])
  })

  it('an example whose question changed in the UI keeps its id, now written out (it is no longer the derived one)', () => {
    const e = space.document.instructions?.example_question_sqls?.find((x) => x.question[0] === 'Top customers in a country')
    const r = snapshotOnto(
      file,
      text,
      edited(space, (s) => {
        const x = s.document.instructions?.example_question_sqls?.find((y) => y.id === e?.id)
        if (x) x.question = ['Top customers of a country']
      })
    )
    expect(r.removed).toEqual(['  - question: Top customers in a country'])
    expect(r.added).toEqual([`  - id: ${e?.id}`, '    question: Top customers of a country'])
  })

  it('the live warehouse and folder are not written where the file leaves them to the environment', () => {
    const live = edited(space, (s) => {
      s.meta.warehouse_id = 'wh-live'
      s.meta.parent_path = '/Workspace/Shared/genie'
    })
    expect(snapshotInto(file, text, live, {}).text).toBe(text)
  })
})

describe('.geniespace.json in place', () => {
  const file = 'bundle-examples_nyc_taxi.geniespace.json'
  const text = readFileSync('__tests__/fixtures/spaces/bundle-examples_nyc_taxi.json', 'utf8')
  const space = loadDefinitionText(file, text).definition?.space as Space

  it('an unchanged space leaves the file byte for byte', () => {
    expect(editDefinition(file, text, space, toGeniespaceText)).toMatchObject({ text, changed: false, inPlace: true })
  })

  it('keeps the order and ids of the items: an added sample question is appended to its list', () => {
    const live = edited(space, (s) => s.document.config?.sample_questions?.push({ id: '00000000000000000000000000000001', question: ['Busiest hour?'] }))
    const r = editDefinition(file, text, live, toGeniespaceText)
    expect(r.inPlace).toBe(true)
    const doc = JSON.parse(r.text) as { config: { sample_questions: { id: string }[] } }
    // canonical order would put the new id first; the file's order stays and the new item comes last
    expect(doc.config.sample_questions.map((q) => q.id)).toEqual([
      '11111111111111111111111111111111',
      '22222222222222222222222222222222',
      '00000000000000000000000000000001'
    ])
  })
})

describe('a large definition', () => {
  it('one edit among 3000 tables changes one line, quickly', () => {
    const lines = ['# many tables', 'title: Big', 'data_sources:', '  tables:']
    for (let i = 0; i < 3000; i++)
      lines.push(`    # table ${i}`, `    - identifier: c.s.t${String(i).padStart(4, '0')}`, `      description: Table number ${i}.`)
    const text = `${lines.join('\n')}\n`
    const space = loadDefinitionText('big.yaml', text).definition?.space as Space
    const started = Date.now()
    const r = snapshotOnto(
      'big.yaml',
      text,
      edited(space, (s) => {
        const t = s.document.data_sources?.tables?.[1500]
        if (t) t.description = ['Table number 1500, edited.']
      })
    )
    expect(r.removed).toEqual(['      description: Table number 1500.'])
    expect(r.added).toEqual(['      description: Table number 1500, edited.'])
    expect(Date.now() - started).toBeLessThan(10_000)
  })
})
