import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { validateFiles } from '../../src/core/validate.js'
import { formatProblem } from '../../src/model/problems.js'

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'spaceops-lint-'))
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true })
    writeFileSync(path.join(root, name), text)
  }
  return root
}

const SPACE = `title: Sales
warehouse_id: null
data_sources:
  tables:
    - identifier: main.sales.orders
example_queries:
  - question: How many orders were placed last month?
    sql: SELECT COUNT(*) FROM main.sales.orders WHERE order_date >= add_months(current_date(), -1)
sample_questions:
  - What is the average order value?
`

async function lint(files: Record<string, string>): Promise<string[]> {
  const root = repo(files)
  const report = await validateFiles(Object.keys(files), undefined, root)
  return report.problems.filter((p) => p.severity === 'warning').map((p) => formatProblem(p))
}

describe('suite lints (warnings with file:line)', () => {
  test('a benchmark question that is an example query or a sample question of its space', async () => {
    const out = await lint({
      'spaces/sales/space.yaml': SPACE,
      'spaces/sales/benchmarks/a.yaml': `name: A
queries:
  - question: how many orders were placed  last month
    expected_tables: [main.sales.orders]
  - question: What is the average order value?
    expected_tables: [main.sales.orders]
  - question: Orders in the last 30 days
    expected_sql: SELECT COUNT(*) FROM main.sales.orders WHERE order_date >= add_months(current_date(), -1);
`
    })
    expect(out).toEqual([
      expect.stringMatching(
        /^spaces\/sales\/benchmarks\/a\.yaml:3:15: .*question "how many orders were placed {2}last month" is also the example query "How many orders were placed last month\?" of space\.yaml: Genie sees it, so this measures the recall of an example, not accuracy/
      ),
      expect.stringMatching(/^spaces\/sales\/benchmarks\/a\.yaml:5:15: .*is also the sample question "What is the average order value\?"/),
      expect.stringMatching(
        /^spaces\/sales\/benchmarks\/a\.yaml:8:19: .*the expected_sql of "Orders in the last 30 days" is the SQL of the example query "How many orders were placed last month\?"/
      )
    ])
  })

  test('relative time words with literal dates in the expected SQL go stale', async () => {
    const out = await lint({
      'benchmarks/a.yaml': `name: A
queries:
  - question: What was revenue last month?
    expected_sql: SELECT SUM(x) FROM t WHERE d >= '2026-10-01' AND d < '2026-11-01'
  - question: Revenue this year
    expected_sql: SELECT SUM(x) FROM t WHERE year(d) = 2026
  - question: Revenue in October 2026
    expected_sql: SELECT SUM(x) FROM t WHERE d >= '2026-10-01'
  - question: What was revenue yesterday?
    expected_sql: SELECT SUM(x) FROM t WHERE d = date_sub(current_date(), 1)
`
    })
    expect(out).toEqual([
      expect.stringMatching(
        /^benchmarks\/a\.yaml:4:19: .*question "What was revenue last month\?" says "last month" but expected_sql has the literal '2026-10-01': the benchmark goes stale/
      ),
      expect.stringMatching(/^benchmarks\/a\.yaml:6:19: .*says "this year" but expected_sql has the literal year\(d\) = 2026/)
    ])
  })

  test('the same question in two suites of one space', async () => {
    const out = await lint({
      'spaces/sales/space.yaml': SPACE,
      'spaces/sales/benchmarks/a.yaml': 'queries:\n  - question: Revenue by region?\n    expected_tables: [t]\n',
      'spaces/sales/benchmarks/b.yaml': 'queries:\n  - question: revenue by  REGION\n    expected_tables: [t]\n'
    })
    expect(out.filter((l) => l.includes('twice'))).toEqual([
      expect.stringMatching(
        /^spaces\/sales\/benchmarks\/b\.yaml:2:15: .*question "revenue by {2}REGION" is also in spaces\/sales\/benchmarks\/a\.yaml:2: it is asked and counted twice/
      )
    ])
  })

  test('more than 500 benchmark questions in a space', async () => {
    // one suite holds at most 500 (a schema error); two suites of one space can pass the product's limit
    const queries = (from: number) => Array.from({ length: 300 }, (_, i) => `  - question: Question number ${from + i}\n    expected_tables: [t]\n`).join('')
    const out = await lint({
      'spaces/big/space.yaml': SPACE,
      'spaces/big/benchmarks/a.yaml': `queries:\n${queries(0)}`,
      'spaces/big/benchmarks/b.yaml': `queries:\n${queries(300)}`
    })
    expect(out.filter((l) => l.includes('at most 500'))).toEqual([
      expect.stringMatching(/spaces\/big\/benchmarks\/a\.yaml:2:\d+: .*600 benchmark questions for spaces\/big\/space\.yaml: a space holds at most 500/)
    ])
  })
})

describe('preflight: each expected_sql once on the warehouse', () => {
  test('no rows and a failing statement warn; a write is never sent', async () => {
    const { startEmulator } = await import('../../src/emulator/index.js')
    const { GenieClient, PatAuth } = await import('../../src/client/index.js')
    const { SecretRegistry } = await import('../../src/util/secrets.js')
    const { preflightSuites } = await import('../../src/benchmark/preflight.js')
    const emu = await startEmulator({ port: 0, seed: 3, dataset: path.join(process.cwd(), 'examples/billing/data'), faults: { statementLatencyMs: 0 } })
    try {
      const secrets = new SecretRegistry()
      const client = new GenieClient({ host: emu.url, auth: new PatAuth('dapi-preflight-00001', secrets), secrets })
      const root = repo({
        'benchmarks/a.yaml': `queries:
  - question: Usage in 2030
    expected_sql: SELECT SUM(usage_quantity) FROM system.billing.usage WHERE usage_date >= '2030-01-01' GROUP BY sku_name
  - question: Usage per SKU
    expected_sql: SELECT sku_name, SUM(usage_quantity) FROM system.billing.usage GROUP BY sku_name
  - question: Refunds
    expected_sql: SELECT * FROM system.billing.refunds
  - question: Clean up
    expected_sql: DELETE FROM system.billing.usage
`
      })
      const report = await validateFiles(['benchmarks/a.yaml'], undefined, root, {
        preflight: (suites) => preflightSuites(client, suites, { warehouseId: 'wh-1' })
      })
      // the DELETE is validate's own error, so the file is not run at all
      expect(report.problems.filter((p) => p.rule === 'read-only')).toHaveLength(1)
      expect(report.problems.filter((p) => p.rule === 'empty-expected-result' || p.rule === 'expected-sql-fails')).toEqual([])
      const ok = repo({
        'benchmarks/a.yaml': (await import('node:fs')).readFileSync(path.join(root, 'benchmarks/a.yaml'), 'utf8').split('  - question: Clean up')[0] as string
      })
      const again = await validateFiles(['benchmarks/a.yaml'], undefined, ok, {
        preflight: (suites) => preflightSuites(client, suites, { warehouseId: 'wh-1' })
      })
      expect(again.problems.filter((p) => p.rule !== 'no-expectation').map((p) => formatProblem(p))).toEqual([
        expect.stringMatching(
          /^benchmarks\/a\.yaml:3:19: warning: the expected_sql of "Usage in 2030" returns no rows on warehouse wh-1: Genie's eval reports it as EMPTY_GOOD_SQL/
        ),
        expect.stringMatching(/^benchmarks\/a\.yaml:7:19: warning: the expected_sql of "Refunds" fails on warehouse wh-1: .*refunds/i)
      ])
      const log = (await (await fetch(`${emu.url}/_emulator/requests`)).json()) as { method: string; path: string }[]
      expect(log.filter((r) => r.method === 'POST' && r.path === '/api/2.0/sql/statements')).toHaveLength(3)
    } finally {
      await emu.close()
    }
  })

  test('spaceops validate --preflight needs --warehouse-id', async () => {
    const { validateCommand } = await import('../../src/cli/commands/validate.js')
    const { SecretRegistry } = await import('../../src/util/secrets.js')
    const io = { out: () => undefined, err: () => undefined, env: {}, cwd: process.cwd(), isTTY: false, secrets: new SecretRegistry() }
    await expect(validateCommand(['examples', '--preflight'], io)).rejects.toThrow(/^--preflight needs --warehouse-id/)
  })
})

describe('mode: validate with input preflight', () => {
  test('warnings become annotations on the suite line; without warehouse-id it is refused', async () => {
    const { startEmulator } = await import('../../src/emulator/index.js')
    const { validateMode } = await import('../../src/action/validate.js')
    const { readInputs } = await import('../../src/action/inputs.js')
    const { SecretRegistry } = await import('../../src/util/secrets.js')
    const { FakeRuntime } = await import('../helpers/runtime.js')
    const emu = await startEmulator({ port: 0, seed: 5, faults: { statementLatencyMs: 0 } })
    try {
      const root = repo({
        'spaces/s/benchmarks/a.yaml': "queries:\n  - question: None yet\n    expected_sql: SELECT * FROM shop_dev.sales.orders WHERE status = 'NOPE'\n"
      })
      const run = async (extra: Record<string, string>) => {
        const rt = new FakeRuntime(
          { mode: 'validate', definition: 'spaces/**/*.yaml', preflight: 'true', host: emu.url, token: 'dapi-preflight-00002', ...extra },
          root
        )
        const secrets = new SecretRegistry()
        const ok = await validateMode(rt, readInputs(rt, secrets), secrets).catch((err: Error) => err.message)
        return { ok, rt }
      }
      expect((await run({})).ok).toBe('input preflight needs input warehouse-id (where expected_sql runs)')
      const { ok, rt } = await run({ 'warehouse-id': 'wh-7' })
      expect(ok).toBe(true)
      expect(rt.annotations).toEqual([
        expect.objectContaining({
          level: 'warning',
          message: expect.stringMatching(/returns no rows on warehouse wh-7/),
          props: expect.objectContaining({ file: 'spaces/s/benchmarks/a.yaml', startLine: 3 })
        })
      ])
      expect(rt.outputs.warnings).toBe('1')
    } finally {
      await emu.close()
    }
  })
})
