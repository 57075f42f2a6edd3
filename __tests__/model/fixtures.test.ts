import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { loadDefinitionText } from '../../src/model/load.js'
import { toYamlText, toGeniespaceText } from '../../src/core/formats.js'
import { validateDefinition } from '../../src/validate/rules.js'
import { FIXTURE_SPACES } from '../helpers/cli.js'

const fixtures = readdirSync(FIXTURE_SPACES).filter((f) => f.endsWith('.json'))

function load(file: string, text: string) {
  const r = loadDefinitionText(file, text)
  if (!r.definition) throw new Error(r.problems.map((p) => p.message).join('; '))
  return r.definition
}

/** Every id in a document, wherever it stands. */
function ids(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => ids(v, out))
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'id' && typeof v === 'string') out.push(v)
      else ids(v, out)
    }
  }
  return out
}

describe('published space documents', () => {
  it('are all present', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(8)
  })

  it.each(fixtures)('%s: JSON → YAML → JSON gives the same canonical document, ids and all', (name) => {
    const text = readFileSync(path.join(FIXTURE_SPACES, name), 'utf8')
    const fromJson = load(name, text)
    const yaml = toYamlText(fromJson.space)
    const fromYaml = load('space.yaml', yaml)
    expect(fromYaml.space.document).toEqual(fromJson.space.document)
    expect(JSON.parse(toGeniespaceText(fromYaml.space))).toEqual(fromJson.space.document)
    expect(ids(fromYaml.space.document).sort()).toEqual(ids(JSON.parse(text)).sort())
    // and the YAML is a fixed point
    expect(toYamlText(fromYaml.space)).toBe(yaml)
  })

  it.each(fixtures)('%s: canonical form is what the API stores (version 2, sorted)', (name) => {
    const doc = load(name, readFileSync(path.join(FIXTURE_SPACES, name), 'utf8')).space.document
    expect(doc.version).toBe(2)
    expect(doc.data_sources).toBeDefined()
    const tables = doc.data_sources?.tables?.map((t) => t.identifier) ?? []
    expect(tables).toEqual([...tables].sort())
    for (const t of doc.data_sources?.tables ?? []) {
      const cols = t.column_configs?.map((c) => c.column_name) ?? []
      expect(cols).toEqual([...cols].sort())
      for (const c of t.column_configs ?? []) {
        expect(c).not.toHaveProperty('get_example_values')
        expect(c).not.toHaveProperty('build_value_dictionary')
      }
    }
    for (const list of [doc.config?.sample_questions, doc.instructions?.example_question_sqls, doc.instructions?.join_specs, doc.benchmarks?.questions]) {
      const got = (list ?? []).map((x) => x.id)
      expect(got).toEqual([...got].sort())
    }
  })

  it('maps version 1 column flags to version 2 (cli_full_featured)', () => {
    const doc = load('x.json', readFileSync(path.join(FIXTURE_SPACES, 'cli_full_featured.json'), 'utf8')).space.document
    const orders = doc.data_sources?.tables?.find((t) => t.identifier === 'main.sales.orders')
    expect(orders?.column_configs).toEqual([
      { column_name: 'amount', enable_format_assistance: false },
      { column_name: 'customer_id', enable_format_assistance: true },
      { column_name: 'order_id', enable_format_assistance: true, enable_entity_matching: true }
    ])
  })

  it('keeps the join relationship marker as its own element (workbench reference)', () => {
    const doc = load('x.json', readFileSync(path.join(FIXTURE_SPACES, 'genie-workbench_schema_reference.json'), 'utf8')).space.document
    expect(doc.instructions?.join_specs?.[0]?.sql).toEqual(['`orders`.`customer_id` = `customers`.`customer_id`', '--rt=FROM_RELATIONSHIP_TYPE_MANY_TO_ONE--'])
  })

  it('sorts the bundle-generated export whose keys and tables arrive in another order', () => {
    const raw = JSON.parse(readFileSync(path.join(FIXTURE_SPACES, 'restock_agent_bundle_generate_export.json'), 'utf8'))
    const doc = load('x.json', JSON.stringify(raw)).space.document
    expect(Object.keys(doc)).toEqual(['version', 'config', 'data_sources', 'instructions'])
  })

  const nonHex = ['cli_full_featured.json', 'docs_rest_api_getspace_example.json']
  it.each(fixtures)('%s: validate reports exactly the API rules it breaks', (name) => {
    const def = load(name, readFileSync(path.join(FIXTURE_SPACES, name), 'utf8'))
    const errors = validateDefinition(def).filter((p) => p.severity === 'error')
    if (nonHex.includes(name)) {
      expect(errors.length).toBeGreaterThan(0)
      expect(errors.every((e) => e.rule === 'id-format')).toBe(true)
      expect(errors.every((e) => e.line !== undefined && e.col !== undefined)).toBe(true)
    } else {
      expect(errors).toEqual([])
    }
  })

  it('names the exact non-hex id of the REST reference example', () => {
    const name = 'docs_rest_api_getspace_example.json'
    const def = load(name, readFileSync(path.join(FIXTURE_SPACES, name), 'utf8'))
    const errors = validateDefinition(def).filter((p) => p.severity === 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]?.message).toContain('01f0d0b4e815100000000000000000g1')
    expect(errors[0]?.line).toBe(119)
  })
})
