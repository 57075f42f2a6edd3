import { readFileSync } from 'node:fs'
import path from 'node:path'
import { loadDefinitionText } from '../../src/model/load.js'
import { renderPayload, spaceToAuthoring } from '../../src/model/convert.js'
import { toYamlText, toPayloadText } from '../../src/core/formats.js'
import { toLines, fromLines } from '../../src/model/text.js'
import { deriveId, isValidId } from '../../src/model/ids.js'
import { ROOT } from '../helpers/cli.js'

function load(text: string, file = 'space.yaml') {
  const r = loadDefinitionText(file, text)
  if (!r.definition) throw new Error(r.problems.map((p) => `${p.line}:${p.col} ${p.message}`).join('; '))
  return r.definition
}

const SEED = readFileSync(path.join(ROOT, '__tests__/fixtures/seed/space.yaml'), 'utf8')

const RICH = `title: Sales
description: Orders and customers
warehouse_id: abc123
parent_path: /Workspace/Shared/genie
data_sources:
  tables:
    - identifier: main.sales.orders
      description: |
        One row per order.
        Amounts in EUR.
      column_configs:
        - column_name: status
          enable_entity_matching: true
          synonyms: [state]
        - column_name: amount
          description: Net amount
    - identifier: main.sales.customers
joins:
  - left: { identifier: main.sales.orders, alias: o }
    right: { identifier: main.sales.customers, alias: c }
    condition: o.customer_id = c.id
    relationship_type: many_to_one
instructions:
  - content: Revenue means net amount.
    category: Metrics
  - content: Fiscal year starts in April.
    category: Dates
example_queries:
  - question: Revenue by month
    sql: |
      SELECT date_trunc('month', order_date) AS month, SUM(amount)
      FROM main.sales.orders
      WHERE order_date >= :start
      GROUP BY 1
    parameters:
      - name: start
        type_hint: DATE
        default_value: '2024-01-01'
measures:
  - alias: revenue
    sql: SUM(o.amount)
filters:
  - display_name: paid
    sql: o.status = 'PAID'
sample_questions:
  - What was revenue last month?
benchmarks:
  - question: How many orders?
    sql: SELECT COUNT(*) FROM main.sales.orders
`

describe('text as lines', () => {
  it('splits as the API documents: every element but the last ends with a newline', () => {
    expect(toLines('a\nb\nc')).toEqual(['a\n', 'b\n', 'c'])
    expect(toLines('a\nb\n')).toEqual(['a\n', 'b\n'])
    expect(toLines('')).toEqual([])
    expect(fromLines(toLines('x\n\ny'))).toBe('x\n\ny')
  })
})

describe('the authoring format', () => {
  it('loads the original SpaceOps README example and renders the create payload', () => {
    const def = load(SEED)
    const payload = renderPayload(def.space)
    expect(payload.title).toBe('My Analytics Space')
    expect(payload.warehouse_id).toBeNull()
    const doc = payload.serialized_space
    expect(doc.version).toBe(2)
    expect(doc.data_sources?.tables?.[0]?.column_configs?.map((c) => c.column_name)).toEqual(['category', 'id'])
    const join = doc.instructions?.join_specs?.[0]
    expect(join?.left).toEqual({ identifier: 'catalog.schema.orders', alias: 'orders' })
    expect(join?.sql).toEqual(['`orders`.`customer_id` = `customers`.`id`'])
    expect(join?.instruction).toEqual(['Use a LEFT JOIN.'])
    expect(doc.instructions?.text_instructions?.[0]?.content).toEqual(['## calculation\n', 'When calculating revenue, use the net_amount column.'])
  })

  it('gives every item a valid, unique id derived from its content', () => {
    const doc = load(RICH).space.document
    const all = [
      ...(doc.config?.sample_questions ?? []),
      ...(doc.instructions?.text_instructions ?? []),
      ...(doc.instructions?.example_question_sqls ?? []),
      ...(doc.instructions?.join_specs ?? []),
      ...(doc.instructions?.sql_snippets?.measures ?? []),
      ...(doc.instructions?.sql_snippets?.filters ?? []),
      ...(doc.benchmarks?.questions ?? [])
    ].map((x) => x.id)
    expect(all.every(isValidId)).toBe(true)
    expect(new Set(all).size).toBe(all.length)
  })

  it('renders the same ids twice, and an edit to one item does not renumber the others', () => {
    const a = load(RICH).space.document
    const b = load(RICH).space.document
    expect(b).toEqual(a)
    const edited = load(RICH.replace('How many orders?', 'How many orders were placed?')).space.document
    expect(edited.instructions?.example_question_sqls).toEqual(a.instructions?.example_question_sqls)
    expect(edited.config).toEqual(a.config)
    expect(edited.benchmarks?.questions?.[0]?.id).not.toBe(a.benchmarks?.questions?.[0]?.id)
  })

  it('keeps an explicit id', () => {
    const doc = load(RICH.replace('  - question: How many orders?', '  - id: 0123456789abcdef0123456789abcdef\n    question: How many orders?')).space.document
    expect(doc.benchmarks?.questions?.[0]?.id).toBe('0123456789abcdef0123456789abcdef')
  })

  it('merges instructions into the single text instruction Genie keeps, under category headings', () => {
    const doc = load(RICH).space.document
    expect(doc.instructions?.text_instructions).toHaveLength(1)
    expect(fromLines(doc.instructions?.text_instructions?.[0]?.content)).toBe('## Metrics\nRevenue means net amount.\n\n## Dates\nFiscal year starts in April.')
  })

  it('writes the relationship marker the API uses', () => {
    const doc = load(RICH).space.document
    expect(doc.instructions?.join_specs?.[0]?.sql).toEqual(['o.customer_id = c.id', '--rt=FROM_RELATIONSHIP_TYPE_MANY_TO_ONE--'])
  })

  it('YAML → JSON payload → YAML gives the same model, and the YAML is then a fixed point', () => {
    for (const source of [RICH, SEED]) {
      const first = load(source)
      const payload = toPayloadText(first.space)
      const second = load(payload, 'space.json')
      expect(second.space).toEqual(first.space)
      const yaml = toYamlText(second.space)
      const third = load(yaml)
      expect(third.space).toEqual(first.space)
      expect(toYamlText(third.space)).toBe(yaml)
    }
  })

  it('writes YAML without ids it would derive again, and with block text for several lines', () => {
    const yaml = toYamlText(load(RICH).space)
    expect(yaml).not.toMatch(/\bid: [0-9a-f]{32}/)
    expect(yaml).toContain('description: |\n        One row per order.\n        Amounts in EUR.\n')
    expect(spaceToAuthoring(load(RICH).space).sample_questions).toEqual(['What was revenue last month?'])
  })

  it('accepts the version 1 flag names and maps them', () => {
    const doc = load(`title: t
data_sources:
  tables:
    - identifier: a.b.c
      column_configs:
        - column_name: x
          get_example_values: true
          build_value_dictionary: false
`).space.document
    expect(doc.data_sources?.tables?.[0]?.column_configs?.[0]).toEqual({ column_name: 'x', enable_format_assistance: true, enable_entity_matching: false })
  })

  it('derives ids with the documented format', () => {
    expect(deriveId('x', 'y')).toMatch(/^[0-9a-f]{32}$/)
    expect(deriveId('x', 'y')).toBe(deriveId('x', 'y'))
    expect(deriveId('x', 'y')).not.toBe(deriveId('z', 'y'))
  })
})
