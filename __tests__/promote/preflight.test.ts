import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { GenieClient, PatAuth } from '../../src/client/index.js'
import { SecretRegistry } from '../../src/util/secrets.js'
import { loadDefinitionText, type LoadedDefinition } from '../../src/model/load.js'
import { formatProblem } from '../../src/model/problems.js'
import { parsePromotionConfig, resolveEnvironment, type PromotionConfig } from '../../src/promote/config.js'
import { checkTarget, preflightSummary, type PreflightGrant } from '../../src/promote/preflight.js'

// Target preflight against an emulated prod: each check, its line in the definition or config, and
// a check that cannot be made is a warning naming the permission that would let SpaceOps make it.
let emu: RunningEmulator
let client: GenieClient
beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: 11, warehouses: ['wh-prod'] })
  const secrets = new SecretRegistry()
  client = new GenieClient({ host: emu.url, auth: new PatAuth('dapi-target-preflight-01', secrets), secrets })
})
afterAll(() => emu.close())
beforeEach(() => admin('/_emulator/reset', {}))

async function admin(path: string, body: unknown) {
  const res = await fetch(`${emu.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  expect(res.status).toBe(200)
}

const DEFINITION = `title: Sales
warehouse_id: wh-dev
data_sources:
  tables:
    - identifier: shop_dev.sales.orders
      column_configs:
        - column_name: status
        - column_name: discount_code
        - column_name: _loaded_at
          exclude: true
    - identifier: shop_dev.sales.customers
  metric_views:
    - identifier: shop_dev.sales.revenue_mv
sql_functions:
  - identifier: shop_dev.sales.margin
`

const CONFIG = `promotion_order: [dev, prod]
environments:
  dev:
    warehouse_id: wh-dev
  prod:
    warehouse_id: wh-prod
    catalog_mappings:
      shop_dev: shop_prod
      shop_typo: shop_prod
`

function load(text = DEFINITION): LoadedDefinition {
  const r = loadDefinitionText('spaces/sales/space.yaml', text)
  if (!r.definition) throw new Error(JSON.stringify(r.problems))
  return r.definition
}

async function run(opts: { grants?: PreflightGrant[]; fromPermissions?: boolean; warehouseId?: string; definition?: string; config?: string } = {}) {
  const config: PromotionConfig = parsePromotionConfig('config/promotion.yaml', opts.config ?? CONFIG)
  const environment = resolveEnvironment(config, 'prod', { vars: {}, allow: () => true, refusal: () => '', isSecret: () => false })
  const report = await checkTarget({
    client,
    definition: load(opts.definition),
    environment,
    config,
    warehouseId: opts.warehouseId ?? 'wh-prod',
    spaceKey: 'sales',
    ...(opts.fromPermissions ? {} : { grants: opts.grants ?? [] })
  })
  return { report, lines: report.findings.map(formatProblem) }
}

const PRESENT = {
  objects: [
    { kind: 'metric_view', full_name: 'shop_prod.sales.revenue_mv', columns: ['month'] },
    { kind: 'function', full_name: 'shop_prod.sales.margin' }
  ]
}

describe('checkTarget', () => {
  it('passes when everything the space needs is in the target, with the mapping applied', async () => {
    await admin('/_emulator/unity-catalog', PRESENT)
    const { report, lines } = await run({
      definition: DEFINITION.replace(/ {8}- column_name: discount_code\n/, ''),
      config: CONFIG.replace('      shop_typo: shop_prod\n', '')
    })
    // the excluded column that is not there is the one (warning) finding
    expect(lines).toEqual([
      "spaces/sales/space.yaml:8:24: warning: column _loaded_at is excluded but shop_prod.sales.orders has no such column in prod's Unity Catalog: the exclusion hides nothing"
    ])
    expect(report.errors).toBe(0)
    expect(report.notes).toContain('no principals granted CAN_RUN or more: their access was not checked (nothing to check)')
  })

  it('names the definition line and the target object of a missing table, metric view, function and column', async () => {
    await admin('/_emulator/unity-catalog', { absent: ['shop_prod.sales.customers'] })
    const { report, lines } = await run()
    expect(lines[0]).toBe(
      'config/promotion.yaml:9:7: catalog_mappings of prod maps shop_typo, which no name in spaces/sales/space.yaml matches: a typo or a stale mapping'
    )
    expect(lines).toContain(
      "spaces/sales/space.yaml:8:24: column discount_code of column_configs does not exist in shop_prod.sales.orders in prod's Unity Catalog"
    )
    expect(lines).toContain(
      "spaces/sales/space.yaml:11:19: table shop_prod.sales.customers (shop_dev.sales.customers in the definition) does not exist in prod's Unity Catalog (TABLE_DOES_NOT_EXIST)"
    )
    expect(lines).toContain(
      "spaces/sales/space.yaml:13:19: metric view shop_prod.sales.revenue_mv (shop_dev.sales.revenue_mv in the definition) does not exist in prod's Unity Catalog (TABLE_DOES_NOT_EXIST)"
    )
    expect(lines).toContain(
      "spaces/sales/space.yaml:15:17: function shop_prod.sales.margin (shop_dev.sales.margin in the definition) does not exist in prod's Unity Catalog (FUNCTION_DOES_NOT_EXIST)"
    )
    expect(report.errors).toBe(5)
    expect(preflightSummary(report)).toBe('preflight on prod: 5 errors, 1 warning')
  })

  it('a missing warehouse, or one the deployer may not use, is an error at the line that sets it', async () => {
    await admin('/_emulator/unity-catalog', PRESENT)
    const missing = await run({ warehouseId: 'wh-gone' })
    expect(missing.lines).toContain('config/promotion.yaml:6:19: warehouse wh-gone does not exist in prod (RESOURCE_DOES_NOT_EXIST)')
    await admin('/_emulator/warehouses', { deny: ['wh-prod'] })
    const denied = await run()
    expect(denied.lines).toContain(
      'config/promotion.yaml:6:19: the deploying principal may not use warehouse wh-prod in prod (403 PERMISSION_DENIED): it needs CAN_USE on it'
    )
  })

  it('a 403 on the catalog API is a warning per object naming the permission, never a pass', async () => {
    await admin('/_emulator/unity-catalog', { access: 'deny' })
    const { report, lines } = await run({ grants: [{ level: 'CAN_RUN', group_name: 'analysts' }] })
    expect(report.errors).toBe(1) // the stale mapping only
    expect(lines).toContain(
      "spaces/sales/space.yaml:5:19: warning: could not check table shop_prod.sales.orders in prod's Unity Catalog (403 PERMISSION_DENIED): the deploying principal needs USE CATALOG on its catalog, USE SCHEMA on its schema and SELECT (or BROWSE) on the table to check it; its column_configs were not checked either"
    )
    expect(lines).toContain(
      "spaces/sales/space.yaml:15:17: warning: could not check function shop_prod.sales.margin in prod's Unity Catalog (403 PERMISSION_DENIED): the deploying principal needs USE CATALOG on its catalog, USE SCHEMA on its schema and EXECUTE (or BROWSE) on the function to check it"
    )
    expect(lines.some((l) => l.includes("could not check the principals' SELECT on the tables"))).toBe(true)
    expect(report.findings.filter((f) => f.unavailable).length).toBe(5)
  })

  it('warns for principals granted CAN_RUN or more without SELECT or CAN_USE; CAN_VIEW is not checked', async () => {
    await admin('/_emulator/unity-catalog', { ...PRESENT, grants: [{ securable: 'shop_prod', principal: 'analysts', privileges: ['USE_CATALOG', 'SELECT'] }] })
    await fetch(`${emu.url}/api/2.0/permissions/warehouses/wh-prod`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
      body: JSON.stringify({ access_control_list: [{ group_name: 'analysts', permission_level: 'CAN_USE' }] })
    })
    const { lines } = await run({
      grants: [
        { level: 'CAN_RUN', group_name: 'analysts' },
        { level: 'CAN_EDIT', user_name: 'bob@example.com' },
        { level: 'CAN_VIEW', user_name: 'viewer@example.com' }
      ]
    })
    const about = (who: string) => lines.filter((l) => l.includes(who))
    expect(about('analysts')).toEqual([])
    expect(about('viewer@example.com')).toEqual([])
    expect(about('bob@example.com')).toEqual([
      'config/promotion.yaml:6:19: warning: user_name bob@example.com (CAN_EDIT on the space) has no CAN_USE on warehouse wh-prod (neither directly nor through the users group; another group is not seen)',
      "spaces/sales/space.yaml:5:19: warning: user_name bob@example.com (CAN_EDIT on the space) has no SELECT on shop_prod.sales.orders in prod's Unity Catalog: Genie will not answer them from it",
      "spaces/sales/space.yaml:11:19: warning: user_name bob@example.com (CAN_EDIT on the space) has no SELECT on shop_prod.sales.customers in prod's Unity Catalog: Genie will not answer them from it",
      "spaces/sales/space.yaml:13:19: warning: user_name bob@example.com (CAN_EDIT on the space) has no SELECT on shop_prod.sales.revenue_mv in prod's Unity Catalog: Genie will not answer them from it"
    ])
  })

  it("checks the principals the space gets in the target: the environment's permissions, else the definition's", async () => {
    await admin('/_emulator/unity-catalog', PRESENT)
    const withGrants = `${DEFINITION}permissions:\n  - level: CAN_RUN\n    group_name: dev-analysts\n`
    const fromDefinition = await run({ definition: withGrants, fromPermissions: true })
    expect(fromDefinition.lines.some((l) => l.includes('group_name dev-analysts (CAN_RUN on the space) has no SELECT on shop_prod.sales.orders'))).toBe(true)
    const config = `${CONFIG}    permissions:\n      - level: CAN_RUN\n        group_name: prod-analysts\n`
    const fromEnvironment = await run({ definition: withGrants, config, fromPermissions: true })
    expect(fromEnvironment.lines.some((l) => l.includes('group_name prod-analysts (CAN_RUN on the space) has no SELECT on shop_prod.sales.orders'))).toBe(true)
    expect(fromEnvironment.lines.some((l) => l.includes('dev-analysts'))).toBe(false)
    const without = await run({ fromPermissions: true })
    expect(without.report.notes).toContain('no principals granted CAN_RUN or more: their access was not checked (nothing to check)')
  })

  it('an identity mapping counts as used; a schema or table mapping that matches nothing is an error', async () => {
    await admin('/_emulator/unity-catalog', { objects: [...PRESENT.objects, { kind: 'metric_view', full_name: 'shop_dev.sales.revenue_mv' }] })
    const config = `promotion_order: [dev, prod]
environments:
  dev: {}
  prod:
    warehouse_id: wh-prod
    table_mappings:
      shop_dev.sales.order: shop_prod.sales.orders
      shop_dev.sales.margin: shop_prod.sales.margin
    schema_mappings:
      shop_dev.sale: shop_prod.sales
    catalog_mappings:
      shop_dev: shop_dev
`
    const { report, lines } = await run({ config })
    expect(lines.filter((l) => l.includes('mappings'))).toEqual([
      'config/promotion.yaml:7:7: table_mappings of prod maps shop_dev.sales.order, which no name in spaces/sales/space.yaml matches: a typo or a stale mapping',
      'config/promotion.yaml:10:7: schema_mappings of prod maps shop_dev.sale, which no name in spaces/sales/space.yaml matches: a typo or a stale mapping'
    ])
    // the function's table mapping is used (shop_prod.sales.margin exists), the catalog identity keeps shop_dev
    expect(report.errors).toBe(3) // two mappings + column discount_code
  })
})
