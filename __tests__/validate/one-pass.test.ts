import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { run } from '../../src/main.js'
import { MAX_PROBLEMS_PER_FILE, validateFiles } from '../../src/core/validate.js'
import { loadSuites } from '../../src/benchmark/suites.js'
import { parsePromotionConfig } from '../../src/promote/config.js'
import { parseShare } from '../../src/model/suite.js'
import { schemaText } from '../../src/cli/commands/schema.js'
import { SpaceOpsError } from '../../src/util/errors.js'
import { FakeRuntime } from '../helpers/runtime.js'
import { cli, ROOT, STACK_TRACE } from '../helpers/cli.js'

const ONEPASS = '__tests__/fixtures/onepass'
const lines = (out: string) => out.split('\n').filter(Boolean)

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'spaceops-onepass-'))
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    writeFileSync(path.join(dir, name), text)
  }
  return dir
}

describe('validate: every problem of a file in one run', () => {
  it('reports schema problems and rule problems of a space together, in the order of the file, each at file:line:col', async () => {
    const r = await cli(['validate', '--format', 'json', `${ONEPASS}/many.yaml`])
    expect(r.code).toBe(1)
    const report = JSON.parse(r.out) as { problems: { rule: string; line: number; col: number; message: string }[] }
    const rules = report.problems.map((p) => p.rule)
    // schema (unknown keys, a type, an enum) and rules (identifier, id format, read-only SQL) in one report
    expect(rules).toEqual(expect.arrayContaining(['unknown-key', 'type', 'enum', 'identifier', 'id-format', 'read-only']))
    expect(report.problems.every((p) => p.line > 0 && p.col > 0)).toBe(true)
    const positions = report.problems.map((p) => p.line * 1000 + p.col)
    expect(positions).toEqual([...positions].sort((a, b) => a - b))
    // the repaired places do not produce problems of their own: the misspelt identifier's table is not "missing identifier" nor "not three-part ''"
    expect(report.problems.filter((p) => /data_sources\.tables\[2\]|""/.test(p.message)).map((p) => p.rule)).toEqual(['unknown-key'])
  })

  it('the text output has the same problems, one line each, and the summary counts them', async () => {
    const r = await cli(['validate', `${ONEPASS}/many.yaml`])
    expect(lines(r.out)).toEqual([
      `${ONEPASS}/many.yaml:1:1: unknown key "titel" in the space (did you mean "title"?)`,
      `${ONEPASS}/many.yaml:6:7: unknown key "descripton" in data_sources.tables[0] (did you mean "description"?)`,
      `${ONEPASS}/many.yaml:7:19: table "sales.customers" is not a three-part name (catalog.schema.table)`,
      `${ONEPASS}/many.yaml:8:7: unknown key "identifer" in data_sources.tables[2] (did you mean "identifier"?)`,
      `${ONEPASS}/many.yaml:11:5: unknown key "categroy" in instructions[0] (did you mean "category"?)`,
      `${ONEPASS}/many.yaml:12:14: instructions[1].content: expected text, got a list (write text as one YAML string; use | for several lines)`,
      `${ONEPASS}/many.yaml:14:9: sample question id "abc" is not 32 lowercase hex characters; the API rejects it ("Invalid export proto")`,
      `${ONEPASS}/many.yaml:18:10: example query "Top customers" must be one read-only statement: DELETE statements are not read-only`,
      `${ONEPASS}/many.yaml:21:18: warning: join right side main.sales.customers is not among the space's tables or metric views`,
      `${ONEPASS}/many.yaml:24:16: joins[0].join_type: "sideways" is not allowed; use one of "inner", "left", "right", "full", "cross"`
    ])
    expect(r.err).toBe('1 space definition checked: 9 errors, 1 warning\n')
  })

  it('prints a bounded number of problems per file and one "and N more" line, still counting all of them', async () => {
    const tables = Array.from({ length: 40 }, (_, i) => `    - identifier: sales.t${i}\n`).join('')
    const dir = tempDir({ 'space.yaml': `titel: Many\ndata_sources:\n  tables:\n${tables}` })
    const r = await cli(['validate', 'space.yaml'], { cwd: dir })
    expect(r.code).toBe(1)
    const out = lines(r.out)
    expect(out).toHaveLength(MAX_PROBLEMS_PER_FILE + 1)
    expect(out[0]).toBe('space.yaml:1:1: unknown key "titel" in the space (did you mean "title"?)')
    // 40 tables that are not three-part, one too many tables (a limit), the unknown key; the line stands where the 26th is
    expect(out[MAX_PROBLEMS_PER_FILE]).toBe(
      'space.yaml:28:19: and 17 more problems in this file from here on (17 errors); fix the ones above and run validate again'
    )
    expect(r.err).toBe('1 space definition checked: 42 errors, 0 warnings\n')
    const json = JSON.parse((await cli(['validate', '--format', 'json', 'space.yaml'], { cwd: dir })).out)
    expect(json.files).toEqual([{ file: 'space.yaml', kind: 'definition', valid: false, errors: 42, warnings: 0, omitted: 17 }])
    // the bound is an option of the core: 0 reports all
    const all = await validateFiles(['space.yaml'], undefined, dir, { maxProblemsPerFile: 0 })
    expect(all.problems).toHaveLength(42)
  })
})

describe('validate: a promotion config is checked as one', () => {
  it('is recognised by its name and reports every problem at once, offline (no variable set)', async () => {
    const r = await cli(['validate', `${ONEPASS}/config/promotion.yaml`], { env: {} })
    expect(r.code).toBe(1)
    const f = `${ONEPASS}/config/promotion.yaml`
    expect(lines(r.out)).toEqual([
      `${f}:1:31: promotion_order names "prd" but environments has no "prd" (did you mean "prod"?)`,
      `${f}:2:1: unknown key "enviroments_note" in the config; expected one of: promotion_order, environments`,
      `${f}:6:19: environments.dev.warehouse_id: "\${" is not a complete \${VARIABLE} reference`,
      `${f}:9:11: environments.stage.host must be exactly \${DATABRICKS_STAGE_HOST}, not "https://other.example.com/\${X}"; hosts come from the workflow: write host: \${DATABRICKS_STAGE_HOST} (or leave host out) and set DATABRICKS_STAGE_HOST in the workflow`,
      `${f}:10:5: unknown key "warehous_id" in environments.stage (did you mean "warehouse_id"?)`,
      `${f}:11:31: warning: environments.stage.catalog_mappings.main: maps the 1-part name "main" to the 2-part "main.prod"; names rewritten by it change their number of parts (write as many parts on both sides)`,
      `${f}:12:24: environments.stage.schema_mappings: "a.b.c" is not a schema (main.sales, or sales), so it never applies`,
      `${f}:13:42: environments.stage.table_mappings.main.sales.orders: expected text, got a number`,
      `${f}:14:15: environments.stage.space_id: "not-a-space-id" is not a Genie space id (32 hexadecimal characters)`,
      `${f}:15:3: warning: environment "prod" is not in promotion_order: nothing can be promoted to it`,
      `${f}:17:16: unknown key "titel" in environments.prod.spaces.sales (did you mean "title"?)`
    ])
    expect(r.out + r.err).not.toMatch(STACK_TRACE)
  })

  it('is recognised by its top-level keys under any name; the example config is valid with no variable set', async () => {
    const dir = tempDir({
      'deploy.yaml': 'promotion_order: [dev]\nenvironments:\n  dev:\n    host: ${DATABRICKS_DEV_HOST}\n    warehouse_id: ${DEV_WAREHOUSE_ID:-wh}\n'
    })
    const r = await cli(['validate', '--format', 'json', 'deploy.yaml'], { cwd: dir })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out).files).toEqual([{ file: 'deploy.yaml', kind: 'promotion-config', valid: true, errors: 0, warnings: 0 }])
    const example = await cli(['validate', 'examples/config/promotion.yaml'], { env: {} })
    expect(example).toEqual({ code: 0, out: '', err: '1 promotion config checked: 0 errors, 0 warnings\n' })
  })

  it('a nested default and a credential-looking variable are reported without expanding anything', async () => {
    const dir = tempDir({ 'promotion.yaml': 'promotion_order: [dev]\nenvironments:\n  dev:\n    warehouse_id: ${A:-${B}}\n    parent_path: /x/${GH_TOKEN}\n' })
    const r = await cli(['validate', 'promotion.yaml'], { cwd: dir, env: { GH_TOKEN: 'canary-token-value' } })
    expect(lines(r.out)).toEqual([
      'promotion.yaml:4:19: environments.dev.warehouse_id: a default is literal text; ${…} inside ${A:-…} is not expanded (nested references are not supported)',
      'promotion.yaml:5:18: warning: ${GH_TOKEN} looks like a credential: the CLI never expands such names, and a secret value is refused everywhere (environments.dev.parent_path)'
    ])
    expect(r.out).not.toContain('canary')
  })

  it('render refuses a promotion config as a definition; promote (parsePromotionConfig) still throws its first error, counting the rest', async () => {
    const r = await cli(['render', `${ONEPASS}/config/promotion.yaml`])
    expect(r.code).toBe(1)
    expect(r.err.trim()).toBe(`error: ${ONEPASS}/config/promotion.yaml: this is a promotion config, not a space definition (pass it with --config)`)
    const file = `${ONEPASS}/config/promotion.yaml`
    let thrown: unknown
    try {
      parsePromotionConfig(file, readFileSync(path.join(ROOT, file), 'utf8'))
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(SpaceOpsError)
    expect((thrown as SpaceOpsError).message).toBe(
      `promotion_order names "prd" but environments has no "prd" (did you mean "prod"?) (and 8 more; run spaceops validate ${file})`
    )
    expect((thrown as SpaceOpsError).location).toMatchObject({ file, line: 1, col: 31 })
  })
})

describe('validate: suites and their percentages', () => {
  it('a suite in benchmarks/ with a misspelt queries is checked as a suite, with the percentage problem too', async () => {
    const r = await cli(['validate', `${ONEPASS}/benchmarks/accuracy.yaml`])
    expect(lines(r.out)).toEqual([
      `${ONEPASS}/benchmarks/accuracy.yaml:2:15: min_accuracy: 80 is ambiguous: write 80% for a percentage or 0.8 for a fraction`,
      `${ONEPASS}/benchmarks/accuracy.yaml:3:1: unknown key "querys" in the suite (did you mean "queries"?)`
    ])
  })

  it.each([
    ['0.8', 0.8],
    ['"80%"', 0.8],
    ['80%', 0.8],
    ['"12.5 %"', 0.125],
    ['1', 1],
    ['0', 0]
  ])('min_accuracy: %s is the fraction %d, and the gate uses it', async (written, fraction) => {
    const dir = tempDir({ 'benchmarks/s.yaml': `min_accuracy: ${written}\nqueries:\n  - question: How many orders?\n    expected_sql_contains: [COUNT]\n` })
    expect((await cli(['validate', 'benchmarks/s.yaml'], { cwd: dir })).code).toBe(0)
    const [suite] = await loadSuites(['benchmarks/s.yaml'], { cwd: dir })
    expect(suite?.minAccuracy).toBe(fraction)
  })

  it.each([
    ['80', 'min_accuracy: 80 is ambiguous: write 80% for a percentage or 0.8 for a fraction'],
    ['1.5', 'min_accuracy: 1.5 is ambiguous: write 1.5% for a percentage or 0.015 for a fraction'],
    ['150%', 'min_accuracy: 150% is more than 100%: write a fraction between 0 and 1 (0.8) or a percentage (80%)'],
    ['800', 'min_accuracy: 800 is more than 1: write a fraction between 0 and 1 (0.8) or a percentage (80%)'],
    ['-0.2', 'min_accuracy: -0.2 is not a share: write a fraction between 0 and 1 (0.8) or a percentage (80%)'],
    ['eighty', 'min_accuracy: "eighty" is not a share: write a fraction between 0 and 1 (0.8) or a percentage (80%)']
  ])('min_accuracy: %s is refused with a message saying how to write it', async (written, message) => {
    const dir = tempDir({ 'benchmarks/s.yaml': `min_accuracy: ${written}\nqueries:\n  - question: How many orders?\n    expected_sql_contains: [COUNT]\n` })
    const r = await cli(['validate', 'benchmarks/s.yaml'], { cwd: dir })
    expect(r.code).toBe(1)
    expect(r.out).toBe(`benchmarks/s.yaml:1:15: ${message}\n`)
  })

  it('parseShare reads fractions and percentages alike', () => {
    expect([parseShare(0.75), parseShare('75%'), parseShare(' 75 % '), parseShare('0.75')]).toEqual([0.75, 0.75, 0.75, 0.75])
  })
})

describe('mode: validate (the action face) goes through the same core', () => {
  it('annotates every problem of a promotion config and a suite, counts them and fails the step', async () => {
    const rt = new FakeRuntime({ mode: 'validate', definition: `${ONEPASS}/config/promotion.yaml\n${ONEPASS}/benchmarks/accuracy.yaml` }, ROOT)
    await run(rt)
    expect(rt.outputs).toMatchObject({ valid: 'false', errors: '11', warnings: '2' })
    expect(rt.failed).toBe('11 validation error(s) in 2 definition(s)')
    expect(rt.annotations).toContainEqual({
      level: 'error',
      message: 'unknown key "warehous_id" in environments.stage (did you mean "warehouse_id"?)',
      props: { title: 'SpaceOps: unknown-key', file: `${ONEPASS}/config/promotion.yaml`, startLine: 10, startColumn: 5 }
    })
    expect(rt.annotations).toContainEqual({
      level: 'error',
      message: 'min_accuracy: 80 is ambiguous: write 80% for a percentage or 0.8 for a fraction',
      props: { title: 'SpaceOps: type', file: `${ONEPASS}/benchmarks/accuracy.yaml`, startLine: 2, startColumn: 15 }
    })
  })
})

describe('JSON Schemas of the three file kinds', () => {
  it.each(['space', 'suite', 'promotion'] as const)(
    'schema/%s.schema.json is committed and generated from the zod schema (npm run build refreshes it)',
    (kind) => {
      expect(readFileSync(path.join(ROOT, `schema/${kind}.schema.json`), 'utf8')).toBe(schemaText(kind))
    }
  )

  it('the suite schema takes min_accuracy as a fraction or a percentage; the promotion schema knows environments', () => {
    const suite = JSON.parse(schemaText('suite'))
    expect(suite.properties.min_accuracy.anyOf).toEqual([
      { type: 'number', minimum: 0, maximum: 1 },
      { type: 'string', pattern: expect.any(String) }
    ])
    const pattern = new RegExp(suite.properties.min_accuracy.anyOf[1].pattern)
    expect(['80%', '12.5 %'].every((s) => pattern.test(s))).toBe(true)
    expect(pattern.test('80')).toBe(false)
    expect(suite.required).toEqual(['queries'])
    const promotion = JSON.parse(schemaText('promotion'))
    expect(promotion.required).toEqual(['promotion_order', 'environments'])
    expect(Object.keys(promotion.properties.environments.additionalProperties.properties)).toEqual(
      expect.arrayContaining(['host', 'warehouse_id', 'catalog_mappings', 'spaces'])
    )
  })

  it('spaceops schema prints one kind, or writes all three with --all', async () => {
    expect((await cli(['schema', 'suite'])).out).toBe(schemaText('suite'))
    const dir = tempDir({})
    expect((await cli(['schema', '--all', '-o', 'out'], { cwd: dir })).code).toBe(0)
    for (const kind of ['space', 'suite', 'promotion'] as const)
      expect(readFileSync(path.join(dir, 'out', `${kind}.schema.json`), 'utf8')).toBe(schemaText(kind))
    const bad = await cli(['schema', 'nope'])
    expect(bad.code).toBe(2)
    expect(bad.err).toContain('unknown schema "nope": use space, suite or promotion')
  })
})

describe('validate: what the repair for the rules must not invent', () => {
  it('a serialized_space document: schema and rule problems together', async () => {
    const dir = tempDir({
      'a.geniespace.json':
        '{"version": 2,\n "data_sources": {"tables": [{"identifier": "main.sales.orders", "bogus": 1}, {"identifier": "sales.customers"}]},\n "config": {"sample_questions": [{"id": "abc", "question": ["What?"]}]}\n}\n'
    })
    const r = await cli(['validate', 'a.geniespace.json'], { cwd: dir })
    expect(lines(r.out)).toEqual([
      'a.geniespace.json:2:66: unknown key "bogus" in data_sources.tables[0]; expected one of: identifier, description, column_configs',
      'a.geniespace.json:2:94: table "sales.customers" is not a three-part name (catalog.schema.table)',
      'a.geniespace.json:3:41: sample question id "abc" is not 32 lowercase hex characters; the API rejects it ("Invalid export proto")'
    ])
  })

  it('a promotion config whose environments are not a mapping: no problems about what the repair put there', async () => {
    const dir = tempDir({ 'promotion.yaml': 'promotion_order: [dev]\nenvironments: [dev]\n', 'empty/promotion.yml': '' })
    const r = await cli(['validate', 'promotion.yaml', 'empty/promotion.yml'], { cwd: dir })
    expect(lines(r.out)).toEqual([
      'promotion.yaml:2:15: environments: expected a mapping, got a list',
      'empty/promotion.yml:1:1: the file is empty: a promotion config needs promotion_order and environments'
    ])
  })

  it('a suite whose query lost a misspelt expectation is not also told it has no expectation', async () => {
    const dir = tempDir({ 'benchmarks/s.yaml': 'queries:\n  - question: How many orders?\n    expected_sql_contain: [COUNT]\n' })
    const r = await cli(['validate', 'benchmarks/s.yaml'], { cwd: dir })
    expect(lines(r.out)).toEqual(['benchmarks/s.yaml:3:5: unknown key "expected_sql_contain" in queries[0] (did you mean "expected_sql_contains"?)'])
  })
})

describe('validate: an environment written with nothing under it', () => {
  it('is one problem at its key; the repair keeps it an environment, so promotion_order still finds it', async () => {
    const dir = tempDir({ 'promotion.yaml': 'promotion_order: [dev, prod]\nenvironments:\n  dev:\n  prod:\n    warehouse_id: 5\n' })
    const r = await cli(['validate', 'promotion.yaml'], { cwd: dir })
    expect(lines(r.out)).toEqual([
      'promotion.yaml:3:3: environments.dev: expected a mapping, got null',
      'promotion.yaml:5:19: environments.prod.warehouse_id: expected text, got a number'
    ])
  })
})
