import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { emulator, liveSpaces } from '../helpers/emulator.js'
import { spaceops } from '../helpers/process.js'
import { ROOT } from '../helpers/cli.js'
import { knownSecrets, loadPromotionConfig } from '../../src/promote/config.js'
import { connector } from '../../src/promote/connection.js'
import { promote, type BenchmarkGate } from '../../src/promote/promote.js'
import { benchmarkGate } from '../../src/promote/gate.js'
import { readDefinition } from '../../src/core/validate.js'
import { MemoryLogger } from '../../src/util/logger.js'
import { SecretRegistry } from '../../src/util/secrets.js'

// Three workspaces (three emulators on 127.0.0.1), the examples/ repository, promotion dev → stage → prod.

type Emu = Awaited<ReturnType<typeof emulator>>
let envs: Record<'dev' | 'stage' | 'prod', Emu>
let repo: string
let env: Record<string, string>
const TOKENS = { dev: 'dapiDEVtoken000001', stage: 'dapiSTAGEtoken0002', prod: 'dapiPRODtoken00003' }

beforeAll(async () => {
  envs = { dev: await emulator({ seed: 1 }), stage: await emulator({ seed: 2 }), prod: await emulator({ seed: 3 }) }
})
afterAll(async () => {
  for (const e of Object.values(envs)) await e.close()
})
beforeEach(async () => {
  for (const e of Object.values(envs)) await e.reset()
  repo = mkdtempSync(path.join(tmpdir(), 'spaceops-promote-'))
  cpSync(path.join(ROOT, 'examples'), repo, { recursive: true })
  env = {
    DATABRICKS_DEV_HOST: envs.dev.url,
    DATABRICKS_STAGE_HOST: envs.stage.url,
    DATABRICKS_PROD_HOST: envs.prod.url,
    DATABRICKS_DEV_TOKEN: TOKENS.dev,
    DATABRICKS_STAGE_TOKEN: TOKENS.stage,
    DATABRICKS_PROD_TOKEN: TOKENS.prod
  }
})

const run = (target: string, ...flags: string[]) =>
  spaceops(['promote', 'spaces/sales/space.yaml', target, '--config', 'config/promotion.yaml', ...flags], { cwd: repo, env })

async function workspaceFiles(e: Emu): Promise<{ path: string; content: string }[]> {
  return ((await (await fetch(`${e.url}/_emulator/workspace/files`)).json()) as { files: { path: string; content: string }[] }).files
}

describe('spaceops promote across three workspaces', () => {
  it('promotes dev → stage → prod with the remapping in every SQL text; a second run creates nothing', async () => {
    const dev = await run('dev')
    expect(dev.code).toBe(0)
    expect(dev.out).toMatch(/^created: "Sales analytics" → dev \(space [0-9a-f]{32}\)/m)

    // stage before dev? order is enforced the other way: prod before stage is blocked
    const early = await run('prod')
    expect(early.code).toBe(1)
    expect(early.out).toContain('BLOCKED: "Sales analytics" → prod — stage has no space "Sales analytics": promote to stage first (or --force)')
    expect(await envs.prod.writes()).toEqual([])

    expect((await run('stage')).code).toBe(0)
    const prod = await run('prod')
    expect(prod.code).toBe(0)
    const [live] = await liveSpaces(envs.prod)
    expect(live?.warehouse_id).toBe('prod-warehouse')
    expect(live?.parent_path).toBe('/Workspace/Shared/genie')
    const doc = JSON.parse(live?.serialized_space ?? '{}')
    const text = JSON.stringify(doc)
    expect(text).not.toContain('shop_dev')
    expect(doc.data_sources.tables.map((t: { identifier: string }) => t.identifier)).toEqual([
      'shop_prod.sales.customers',
      'shop_prod.sales.orders',
      'shop_prod.sales.products'
    ])
    expect(doc.instructions.example_question_sqls[1].sql.join('')).toContain('FROM shop_prod.sales.orders')
    expect(doc.instructions.join_specs[0].left.identifier).toBe('shop_prod.sales.orders')
    expect(doc.benchmarks.questions[0].answer[0].content.join('')).toContain('FROM shop_prod.sales.orders')
    const stageDoc = JSON.stringify(JSON.parse((await liveSpaces(envs.stage))[0]?.serialized_space ?? '{}'))
    expect(stageDoc).toContain('shop_stage.sales.orders')

    // ids are the same in every environment
    const ids = (d: string) => [...d.matchAll(/"id":"([0-9a-f]{32})"/g)].map((m) => m[1]).sort()
    expect(ids(text)).toEqual(ids(stageDoc))

    for (const e of Object.values(envs)) await e.clearRequests()
    for (const target of ['dev', 'stage', 'prod']) {
      const again = await run(target)
      expect(again.code).toBe(0)
      expect(again.out).toMatch(new RegExp(`^unchanged: "Sales analytics" → ${target}`, 'm'))
    }
    for (const e of Object.values(envs)) expect(await e.writes()).toEqual([])
    for (const e of Object.values(envs)) expect(await liveSpaces(e)).toHaveLength(1)
    // each workspace keeps the deploy record beside its spaces; no lock is left behind
    for (const [name, folder] of [
      ['dev', '/Workspace/Shared/genie-dev'],
      ['stage', '/Workspace/Shared/genie-stage'],
      ['prod', '/Workspace/Shared/genie']
    ] as const) {
      const files = await workspaceFiles(envs[name])
      expect(files.map((f) => f.path)).toEqual([`${folder}/.spaceops/sales.json`])
      const record = JSON.parse(files[0]?.content ?? '{}')
      expect(record).toMatchObject({ format: 'spaceops-deploy-record', version: 2, key: 'sales', environment: name, intent: null })
      expect(record.space_id).toBe((await liveSpaces(envs[name]))[0]?.space_id)
      for (const t of Object.values(TOKENS)) expect(files[0]?.content).not.toContain(t)
    }
    expect(readdirSync(path.join(repo, 'config'))).not.toContain('spaceops-state.json')
    const all = dev.out + dev.err + prod.out + prod.err
    for (const t of Object.values(TOKENS)) expect(all).not.toContain(t)
  })

  it('a UI edit on the target blocks promotion until --force, which says what it skipped', async () => {
    for (const target of ['dev', 'stage', 'prod']) expect((await run(target)).code).toBe(0)
    const drift = (...flags: string[]) =>
      spaceops(['drift', 'spaces/sales/space.yaml', '--env', 'prod', '--config', 'config/promotion.yaml', '--fail-on-drift', ...flags], { cwd: repo, env })
    const clean = await drift()
    expect(clean.code).toBe(0) // the remapping for prod is not drift
    expect(clean.out).toMatch(/"Sales analytics" in prod \([0-9a-f]{32}\): no changes/)
    const [live] = await liveSpaces(envs.prod)
    await fetch(`${envs.prod.url}/_emulator/spaces/${live?.space_id}/edit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ add_sample_question: 'What is our churn?' })
    })
    const drifted = await drift()
    expect(drifted.code).toBe(1)
    expect(drifted.out).toContain('+ sample question: What is our churn?')
    writeFileSync(
      path.join(repo, 'spaces/sales/space.yaml'),
      readFileSync(path.join(repo, 'spaces/sales/space.yaml'), 'utf8').replace('Weeks start on Monday.', 'Weeks start on Sunday.')
    )
    expect((await run('dev')).code).toBe(0)
    expect((await run('stage')).code).toBe(0)
    await envs.prod.clearRequests()
    const blocked = await run('prod')
    expect(blocked.code).toBe(1)
    expect(blocked.out).toContain('+ sample question: What is our churn?')
    expect(blocked.out).toMatch(
      /BLOCKED: .*prod was edited outside SpaceOps since .*: bring the edit into Git \(spaceops snapshot spaces\/sales\/space\.yaml --env prod --config config\/promotion\.yaml\) or --force to overwrite it/
    )
    expect(await envs.prod.writes()).toEqual([])
    const forced = await run('prod', '--force')
    expect(forced.code).toBe(0)
    expect(forced.err).toMatch(/warning: --force skipped drift guard: prod was edited outside SpaceOps/)
    // said once: by the CLI, not again by the core
    expect(forced.err.match(/edited outside SpaceOps/g)).toHaveLength(1)
    expect(forced.out).toMatch(/^promoted: "Sales analytics" → prod/m)
    const backups = readdirSync(path.join(repo, '.spaceops/backups')).filter((f) => f.startsWith('prod-'))
    expect(backups).toHaveLength(1)
    // the backup holds the edited space; restore puts it back exactly
    const restore = await spaceops(['restore', `.spaceops/backups/${backups[0]}`, '-y'], {
      cwd: repo,
      env: { DATABRICKS_HOST: envs.prod.url, DATABRICKS_TOKEN: TOKENS.prod }
    })
    expect(restore.code).toBe(0)
    const [restored] = await liveSpaces(envs.prod)
    expect(restored?.serialized_space).toContain('What is our churn?')
    const wrongHost = await spaceops(['restore', `.spaceops/backups/${backups[0]}`, '-y'], {
      cwd: repo,
      env: { DATABRICKS_HOST: envs.dev.url, DATABRICKS_TOKEN: TOKENS.dev }
    })
    expect(wrongHost.code).toBe(1)
    expect(wrongHost.err).toContain('the backup is of')
  })

  it('a repository file pointing at another host is refused before any request', async () => {
    const cfg = readFileSync(path.join(repo, 'config/promotion.yaml'), 'utf8').replace('host: ${DATABRICKS_PROD_HOST}', 'host: https://attacker.example.com')
    writeFileSync(path.join(repo, 'config/promotion.yaml'), cfg)
    for (const target of ['dev', 'stage']) expect((await run(target)).code).toBe(0)
    for (const e of Object.values(envs)) await e.clearRequests()
    const r = await run('prod')
    expect(r.code).toBe(1)
    expect(r.err).toMatch(
      /^error: config\/promotion\.yaml:23:11: environment prod: host https:\/\/attacker\.example\.com is written in the repository and is not the host the workflow gives \(DATABRICKS_PROD_HOST\); SpaceOps sends credentials only to the host the workflow names/
    )
    for (const e of Object.values(envs)) expect(await e.requests()).toEqual([])
  })

  it('--dry-run stops after the plan; --write-ids records the id so the next run updates by id', async () => {
    const dry = await run('dev', '--dry-run')
    expect(dry.code).toBe(0)
    expect(dry.out).toContain('planned (dry run, nothing written)')
    expect(await envs.dev.writes()).toEqual([])
    const first = await run('dev', '--write-ids')
    const id = first.out.match(/space ([0-9a-f]{32})/)?.[1]
    const cfg = readFileSync(path.join(repo, 'config/promotion.yaml'), 'utf8')
    expect(cfg).toContain(`    spaces:\n      sales: { space_id: ${id} }`)
    expect(cfg).toContain('# the definitions are written against dev')
    await envs.dev.clearRequests()
    expect((await run('dev')).code).toBe(0)
    // by id, then the target preflight's reads of the catalog and the warehouse; no lookup by title
    const seen = (await envs.dev.requests()).map((r) => `${r.method} ${r.path}`)
    expect([...seen.slice(0, 2), ...seen.slice(2).sort()]).toEqual([
      'GET /api/2.0/workspace/export',
      `GET /api/2.0/genie/spaces/${id}`,
      'GET /api/2.0/sql/warehouses/dev-warehouse',
      'GET /api/2.1/unity-catalog/tables/shop_dev.sales.customers',
      'GET /api/2.1/unity-catalog/tables/shop_dev.sales.orders',
      'GET /api/2.1/unity-catalog/tables/shop_dev.sales.products'
    ])
  })

  it('renders what an environment gets (spaceops render --env)', async () => {
    const r = await spaceops(['render', 'spaces/sales/space.yaml', '--env', 'stage', '--config', 'config/promotion.yaml'], { cwd: repo })
    expect(r.code).toBe(0)
    const p = JSON.parse(r.out)
    expect(p.warehouse_id).toBe('stage-warehouse')
    expect(JSON.stringify(p.serialized_space)).toContain('shop_stage.sales.orders')
    expect(JSON.stringify(p.serialized_space)).not.toContain('shop_dev')
  })
})

/** The core promote's inputs for the examples repository (real connections to the emulators). */
async function setup() {
  const config = await loadPromotionConfig('config/promotion.yaml', repo)
  const secrets = new SecretRegistry()
  const logger = new MemoryLogger()
  const connect = connector(config, { processEnv: env, secrets, logger, userAgent: 'test' })
  const expansion = { vars: env, allow: () => true, refusal: () => 'is refused', isSecret: knownSecrets(secrets, env) }
  const { definition } = await readDefinition('spaces/sales/space.yaml', { cwd: repo, strict: true })
  const base = {
    definitionFile: 'spaces/sales/space.yaml',
    space: definition.space,
    config,
    env: expansion,
    connect,
    logger,
    now: () => new Date(),
    cwd: repo,
    run: { kind: 'cli' as const },
    backupDir: '.spaceops/backups'
  }
  return { base, logger }
}

describe('promote with benchmark gates (core, real workspaces over HTTP, gate injected)', () => {
  const gateOf =
    (passes: (phase: string, environment: string) => boolean): BenchmarkGate =>
    async ({ phase, environment, mapping }) => ({
      passed: passes(phase, environment),
      summary: `${phase} on ${environment} with ${Object.keys(mapping.catalogs ?? {}).join(',') || 'no'} mapping`
    })

  it('a failing gate leaves the target untouched', async () => {
    for (const target of ['dev', 'stage']) expect((await run(target)).code).toBe(0)
    const { base } = await setup()
    await envs.prod.clearRequests()
    const result = await promote({ ...base, target: 'prod', gate: gateOf((phase) => phase !== 'before') })
    expect(result.status).toBe('blocked')
    expect(result.reason).toBe('benchmark gate failed on stage: before on stage with shop_dev mapping')
    expect(await envs.prod.writes()).toEqual([])
  })

  it('a failed post-deploy gate restores the backup exactly', async () => {
    for (const target of ['dev', 'stage', 'prod']) expect((await run(target)).code).toBe(0)
    const [before] = await liveSpaces(envs.prod)
    writeFileSync(
      path.join(repo, 'spaces/sales/space.yaml'),
      readFileSync(path.join(repo, 'spaces/sales/space.yaml'), 'utf8').replace('Weeks start on Monday.', 'Weeks start on Sunday.')
    )
    expect((await run('dev')).code).toBe(0)
    expect((await run('stage')).code).toBe(0)
    const { base } = await setup()
    const result = await promote({ ...base, target: 'prod', gate: gateOf((phase) => phase === 'before'), postDeployGate: true })
    expect(result.status).toBe('rolled-back')
    expect(result.reason).toMatch(/after the deploy: after on prod with shop_dev mapping; the backup was restored/)
    const [after] = await liveSpaces(envs.prod)
    expect(after?.serialized_space).toBe(before?.serialized_space)
    expect(after?.title).toBe(before?.title)
  })
})

describe('a benchmark gate never writes into the environment it measures (real gate, strategy auto)', () => {
  const SQL_ONLY = [
    'name: SQL only',
    'min_accuracy: 0.5',
    'queries:',
    '  - question: What was revenue by month this year?',
    '    expected_sql: |',
    "      SELECT date_trunc('month', order_date) AS month, SUM(net_amount) AS revenue",
    '      FROM shop_dev.sales.orders',
    "      WHERE status <> 'CANCELLED' AND year(order_date) = year(current_date())",
    '      GROUP BY 1',
    '      ORDER BY 1',
    '  - question: How many orders were placed last month?',
    '    expected_sql: |',
    '      SELECT COUNT(*) AS orders FROM shop_dev.sales.orders',
    "      WHERE order_date >= date_trunc('month', add_months(current_date(), -1)) AND order_date < date_trunc('month', current_date())"
  ].join('\n')
  const FAST = { genieLatencyMs: 50, genieLatencyJitterMs: 50, statementLatencyMs: 10, evalLatencyMs: 50 }
  // what a benchmark may send: asking Genie, SQL on the warehouse, starting eval runs — never a change to a space
  // asking, statements, eval runs, and deleting the conversations the gate itself started (cleanup, not a write to the space)
  const notReads = (lines: { method: string; path: string }[]) =>
    lines.filter(
      (r) =>
        r.method !== 'GET' &&
        !/\/start-conversation$|^\/api\/2\.0\/sql\/statements|\/eval-runs$/.test(r.path) &&
        !(r.method === 'DELETE' && /\/conversations\/[0-9a-f]+$/.test(r.path))
    )

  async function withGate(suitePath: string) {
    const { base, logger } = await setup()
    const reports: string[] = []
    const gate = await benchmarkGate({ paths: [suitePath], cwd: repo, logger, questionsPerMinute: 60, onReport: (_e, _p, md) => reports.push(md) })
    return { base, gate, logger, reports }
  }

  it('an expected_sql-only suite: dev is not written, the next promote of dev and of stage are not blocked', async () => {
    writeFileSync(path.join(repo, 'sql-only.yaml'), SQL_ONLY)
    for (const e of Object.values(envs)) await e.faults(FAST)
    const { base, gate, logger, reports } = await withGate('sql-only.yaml')
    expect((await promote({ ...base, target: 'dev' })).status).toBe('created')
    const [devBefore] = await liveSpaces(envs.dev)
    await envs.dev.clearRequests()

    const stage = await promote({ ...base, target: 'stage', gate })
    expect(stage.status).toBe('created')
    expect(stage.gate?.passed).toBe(true)
    // the source space is exactly as it was: no PATCH/POST to the space or its benchmarks
    const devLog = await envs.dev.requests()
    expect(notReads(devLog)).toEqual([])
    expect(devLog.some((r) => r.path.endsWith('/start-conversation'))).toBe(true)
    const [devAfter] = await liveSpaces(envs.dev)
    expect(devAfter?.serialized_space).toBe(devBefore?.serialized_space)
    expect(devAfter?.etag).toBe(devBefore?.etag)
    // and says why it asked conversations
    const line = "gate: the eval strategy would write the suite into dev's space; using conversations (read-only)"
    expect(logger.text()).toContain(line)
    expect(reports[0]).toContain(line)
    expect(reports[0]).toContain('strategy conversation')

    // the attack's consequences do not happen
    const dev = await promote({ ...base, target: 'dev' })
    expect(dev.status).toBe('unchanged')
    const again = await promote({ ...base, target: 'stage', gate })
    expect(again.status).toBe('unchanged')
    expect(notReads(await envs.dev.requests())).toEqual([])
  }, 60_000)

  it('eval stays in use where the space already holds exactly the suite (its own benchmarks): still no write', async () => {
    for (const e of Object.values(envs)) await e.faults(FAST)
    const { base, gate, reports } = await withGate('spaces/sales/space.yaml')
    expect((await promote({ ...base, target: 'dev' })).status).toBe('created')
    const [devBefore] = await liveSpaces(envs.dev)
    await envs.dev.clearRequests()
    const stage = await promote({ ...base, target: 'stage', gate })
    expect(stage.status).toBe('created')
    expect(reports[0]).toContain('strategy eval')
    expect(reports[0]).not.toContain('read-only')
    const devLog = await envs.dev.requests()
    expect(notReads(devLog)).toEqual([])
    expect(devLog.filter((r) => r.method === 'POST' && r.path.endsWith('/eval-runs'))).toHaveLength(1)
    expect((await liveSpaces(envs.dev))[0]?.serialized_space).toBe(devBefore?.serialized_space)
    expect((await promote({ ...base, target: 'dev' })).status).toBe('unchanged')
  }, 60_000)
})

describe('mode promote (the built action)', () => {
  it('creates in dev, is blocked for prod before stage, and reports outputs and a summary', async () => {
    const { runAction } = await import('../helpers/process.js')
    const dev = await runAction({ mode: 'promote', 'target-env': 'dev' }, { cwd: repo, env: { ...env, RUNNER_TEMP: repo } })
    expect(dev.code).toBe(0)
    expect(dev.outputs['space-id']).toMatch(/^[0-9a-f]{32}$/)
    expect(JSON.parse(dev.outputs['space-ids'] as string)).toEqual({ 'spaces/sales/space.yaml': dev.outputs['space-id'] })
    // after a create the report says created (not "will be created"), with what the space now holds
    expect(dev.summary).toContain('**0** changed · **0** unchanged · **0** new · **1** created · **0** errors')
    expect(dev.summary).toMatch(/🆕 <b>Sales analytics<\/b> → <code>dev<\/code> — created, holding 3 tables, 2 joins, 1 instruction, 2 example queries/)
    expect(dev.summary).not.toContain('will be created')
    expect(dev.summary).toContain('| spaces/sales/space.yaml | created |')
    const prod = await runAction({ mode: 'promote', 'target-env': 'prod' }, { cwd: repo, env: { ...env, RUNNER_TEMP: repo } })
    expect(prod.code).toBe(1)
    // the action names its own input, not the CLI's flag
    const why = 'stage has no space "Sales analytics": promote to stage first (or force: true)'
    expect(prod.out).toContain(`::error::1 promotion(s) to prod did not go through: spaces/sales/space.yaml: ${why}`)
    expect(prod.out).not.toContain('--force')
    // blocked, counted as blocked (not an error), its reason once in the report
    expect(prod.summary).toContain('**1** blocked · **0** errors')
    expect(prod.summary.split(why)).toHaveLength(2)
    expect(prod.summary).toContain('| spaces/sales/space.yaml | blocked |')
    expect(await envs.prod.writes()).toEqual([])
    const result = JSON.parse(readFileSync(prod.outputs['plan-path'] as string, 'utf8')).spaces
    expect(result[0]).toMatchObject({ definition: 'spaces/sales/space.yaml', status: 'blocked' })
    for (const r of [dev, prod])
      for (const t of Object.values(TOKENS)) expect(r.out.replace(new RegExp(`::add-mask::${t}`, 'g'), '') + r.summary).not.toContain(t)
  })
})

describe('promotion config safety', () => {
  it("never expands a credential variable, and a config host can only name its own environment's workflow host", async () => {
    const cfg = readFileSync(path.join(repo, 'config/promotion.yaml'), 'utf8')
    writeFileSync(
      path.join(repo, 'config/exfil.yaml'),
      cfg.replace('warehouse_id: ${DEV_WAREHOUSE_ID:-dev-warehouse}', 'warehouse_id: ${DATABRICKS_DEV_TOKEN}')
    )
    const r = await spaceops(['render', 'spaces/sales/space.yaml', '--env', 'dev', '--config', 'config/exfil.yaml'], { cwd: repo, env })
    expect(r.code).toBe(1)
    expect(r.err).toBe(
      'error: config/exfil.yaml:12:19: ${DATABRICKS_DEV_TOKEN} looks like a credential; credentials are never expanded into the promotion config (environments.dev.warehouse_id)\n'
    )
    expect(r.out + r.err).not.toContain(TOKENS.dev)

    writeFileSync(path.join(repo, 'config/other.yaml'), cfg.replace('host: ${DATABRICKS_DEV_HOST}', 'host: ${GITHUB_API_URL}'))
    const other = await spaceops(['promote', 'spaces/sales/space.yaml', 'dev', '--config', 'config/other.yaml'], {
      cwd: repo,
      env: { ...env, GITHUB_API_URL: 'http://127.0.0.1:9' }
    })
    expect(other.code).toBe(1)
    expect(other.err).toMatch(
      /^error: config\/other\.yaml:11:11: environments\.dev\.host must be exactly \$\{DATABRICKS_DEV_HOST\}, not "\$\{GITHUB_API_URL\}"; hosts come from the workflow/
    )
  })

  it('refuses two environments that resolve to the same space', async () => {
    const cfg = readFileSync(path.join(repo, 'config/promotion.yaml'), 'utf8')
      .replace('parent_path: /Workspace/Shared/genie-stage', 'parent_path: /Workspace/Shared/genie-dev')
      .replace('catalog_mappings: { shop_dev: shop_stage }', '')
    writeFileSync(path.join(repo, 'config/same.yaml'), cfg)
    const e = { ...env, DATABRICKS_STAGE_HOST: envs.dev.url, DATABRICKS_STAGE_TOKEN: TOKENS.dev, STAGE_WAREHOUSE_ID: 'dev-warehouse' }
    expect((await spaceops(['promote', 'spaces/sales/space.yaml', 'dev', '--config', 'config/same.yaml'], { cwd: repo, env: e })).code).toBe(0)
    const r = await spaceops(['promote', 'spaces/sales/space.yaml', 'stage', '--config', 'config/same.yaml'], { cwd: repo, env: e })
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/dev and stage resolve to the same space [0-9a-f]{32}/)
  })
})

describe('promotion config errors', () => {
  it('are one located line with a hint', async () => {
    writeFileSync(path.join(repo, 'config/typo.yaml'), 'promotion_order: [dev]\nenvironments:\n  dev:\n    warehous_id: x\n')
    const r = await spaceops(['render', 'spaces/sales/space.yaml', '--env', 'dev', '--config', 'config/typo.yaml'], { cwd: repo })
    expect(r.code).toBe(1)
    expect(r.err).toBe('error: config/typo.yaml:4:5: unknown key "warehous_id" in environments.dev (did you mean "warehouse_id"?)\n')
    writeFileSync(path.join(repo, 'config/unset.yaml'), 'promotion_order: [dev]\nenvironments:\n  dev:\n    warehouse_id: ${NOT_SET_ANYWHERE}\n')
    const u = await spaceops(['render', 'spaces/sales/space.yaml', '--env', 'dev', '--config', 'config/unset.yaml'], { cwd: repo })
    expect(u.err).toBe('error: config/unset.yaml:4:19: environment variable NOT_SET_ANYWHERE is not set (needed by environments.dev.warehouse_id)\n')
  })
})
