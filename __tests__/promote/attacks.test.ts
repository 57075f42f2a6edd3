import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { run } from '../../src/main.js'
import { cli, ROOT } from '../helpers/cli.js'
import { emulator } from '../helpers/emulator.js'
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js'
import { FakeRuntime } from '../helpers/runtime.js'

// The attacks on the promotion config, performed through both faces (the CLI in-process and the
// action's run()), against two real workspaces (emulators) and an "attacker" on 127.0.0.1 that
// must never be reached. The repository is examples/ (host: ${DATABRICKS_DEV_HOST} …).

type Emu = Awaited<ReturnType<typeof emulator>>
let dev: Emu
let prod: Emu
let attacker: { url: string; port: number; requests: { method: string; url: string; authorization: string; body: string }[]; close: () => Promise<void> }
let repo: string
const TOKENS = { dev: 'dapiDEVcanary00001', stage: 'dapiSTAGEcanary002', prod: 'dapiPRODcanary0003' }
const CLIENT_SECRET = 'oauth-dev-secret-canary'

async function startAttacker() {
  const requests: { method: string; url: string; authorization: string; body: string }[] = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (d: Buffer) => (body += d.toString()))
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization ?? '', body })
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error_code":"NOT_FOUND","message":"nothing here"}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return { url: `http://127.0.0.1:${port}`, port, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

beforeAll(async () => {
  dev = await emulator({ seed: 11 })
  prod = await emulator({ seed: 12 })
  attacker = await startAttacker()
})
afterAll(async () => {
  await dev.close()
  await prod.close()
  await attacker.close()
})
beforeEach(async () => {
  await dev.reset()
  await prod.reset()
  attacker.requests.length = 0
  repo = mkdtempSync(path.join(tmpdir(), 'spaceops-attacks-'))
  cpSync(path.join(ROOT, 'examples'), repo, { recursive: true })
})

const CONFIG = readFileSync(path.join(ROOT, 'examples/config/promotion.yaml'), 'utf8')
const workflowEnv = (): Record<string, string> => ({
  DATABRICKS_DEV_HOST: dev.url,
  DATABRICKS_DEV_TOKEN: TOKENS.dev,
  DATABRICKS_STAGE_HOST: prod.url,
  DATABRICKS_STAGE_TOKEN: TOKENS.stage,
  DATABRICKS_PROD_HOST: prod.url,
  DATABRICKS_PROD_TOKEN: TOKENS.prod,
  RUNNER_TEMP: repo
})
const writeConfig = (text: string) => writeFileSync(path.join(repo, 'config/promotion.yaml'), text)

/** Every way the config could name a host, with the environment it attacks and the workflow it runs in. */
const hostForms = (): { name: string; target: string; config: string; env: Record<string, string> }[] => {
  const devHost = (host: string) => CONFIG.replace('host: ${DATABRICKS_DEV_HOST}', `host: "${host}"`)
  const base = workflowEnv()
  const oauth = { ...base, DATABRICKS_DEV_CLIENT_ID: 'dev-sp', DATABRICKS_DEV_CLIENT_SECRET: CLIENT_SECRET } as Record<string, string>
  delete oauth.DATABRICKS_DEV_TOKEN
  return [
    { name: 'prefix text', target: 'dev', config: devHost(`${attacker.url}/\${DATABRICKS_DEV_HOST}`), env: base },
    {
      name: 'suffix text',
      target: 'dev',
      config: devHost(`\${DATABRICKS_DEV_HOST}:${attacker.port}`),
      env: { ...base, DATABRICKS_DEV_HOST: 'http://127.0.0.1' }
    },
    { name: 'a default (token)', target: 'dev', config: devHost(`\${DATABRICKS_UNSET_HOST:-${attacker.url}}`), env: base },
    { name: 'a default (OAuth client secret)', target: 'dev', config: devHost(`\${DATABRICKS_UNSET_HOST:-${attacker.url}}`), env: oauth },
    { name: "another environment's variable", target: 'dev', config: devHost('${DATABRICKS_PROD_HOST}'), env: { ...base, DATABRICKS_PROD_HOST: attacker.url } },
    { name: 'a literal host', target: 'dev', config: devHost(attacker.url), env: base },
    {
      name: "${DATABRICKS_DEV_HOST} as prod's host",
      target: 'prod',
      config: CONFIG.replace('host: ${DATABRICKS_PROD_HOST}', 'host: ${DATABRICKS_DEV_HOST}'),
      env: { ...base, DATABRICKS_DEV_HOST: attacker.url }
    }
  ]
}

const LOCATED = /config\/promotion\.yaml:\d+:\d+: environments?\.?\s?(dev|prod)/
const secretsIn = (text: string) => [...Object.values(TOKENS), CLIENT_SECRET].filter((s) => text.includes(s))
const noMasks = (rt: FakeRuntime) => rt.everything()

describe('a config cannot choose where credentials go', () => {
  it('control: the attacker server is reachable, so a host the workflow names does get requests', async () => {
    const r = await cli(['diff', 'spaces/sales/space.yaml', '--env', 'dev', '--config', 'config/promotion.yaml'], {
      cwd: repo,
      env: { ...workflowEnv(), DATABRICKS_DEV_HOST: attacker.url }
    })
    expect(r.code).toBe(1)
    expect(attacker.requests.length).toBeGreaterThan(0)
    expect(attacker.requests[0]?.authorization).toBe(`Bearer ${TOKENS.dev}`)
  })

  for (const face of ['CLI diff', 'CLI promote', 'action diff', 'action promote'] as const) {
    it(`${face}: every host form the config could use reaches nobody but the workflow's hosts`, async () => {
      for (const form of hostForms()) {
        writeConfig(form.config)
        let message: string
        if (face.startsWith('CLI')) {
          const argv =
            face === 'CLI diff'
              ? ['diff', 'spaces/sales/space.yaml', '--env', form.target, '--config', 'config/promotion.yaml']
              : ['promote', 'spaces/sales/space.yaml', form.target, '--config', 'config/promotion.yaml', '--force']
          const r = await cli(argv, { cwd: repo, env: form.env })
          expect({ form: form.name, code: r.code }).toEqual({ form: form.name, code: 1 })
          message = r.out + r.err
        } else {
          const rt = new FakeRuntime({ mode: face === 'action diff' ? 'diff' : 'promote', 'target-env': form.target, force: 'true' }, repo, form.env)
          await run(rt)
          expect({ form: form.name, failed: typeof rt.failed }).toEqual({ form: form.name, failed: 'string' })
          message = noMasks(rt)
        }
        expect({ form: form.name, message: LOCATED.test(message) }).toEqual({ form: form.name, message: true })
        expect({ form: form.name, attacker: attacker.requests }).toEqual({ form: form.name, attacker: [] })
        expect({ form: form.name, leaked: secretsIn(message) }).toEqual({ form: form.name, leaked: [] })
      }
      // and nothing was written to the real workspaces either
      expect(await dev.writes()).toEqual([])
      expect(await prod.writes()).toEqual([])
    })
  }
})

describe('diff and drift resolve hosts and credentials as promote does', () => {
  it('the example config works with the host/token inputs alone (examples/workflows/pr.yml) and with the variables alone', async () => {
    const inputsOnly = new FakeRuntime({ mode: 'diff', 'target-env': 'dev', 'warehouse-id': 'wh-dev', host: dev.url, token: TOKENS.dev }, repo, {
      RUNNER_TEMP: repo
    })
    await run(inputsOnly)
    expect(inputsOnly.failed).toBeUndefined()
    expect(inputsOnly.summary).toContain('**0** changed · **0** unchanged · **1** new')
    const varsOnly = new FakeRuntime({ mode: 'diff', 'target-env': 'dev' }, repo, workflowEnv())
    await run(varsOnly)
    expect(varsOnly.failed).toBeUndefined()
    expect(varsOnly.summary).toContain('**1** new')
    // drift in prod with the inputs (examples/workflows/drift.yml): nothing deployed, nothing drifted
    const drift = new FakeRuntime({ mode: 'drift', 'target-env': 'prod', host: prod.url, token: TOKENS.prod }, repo, { RUNNER_TEMP: repo })
    await run(drift)
    expect(drift.outputs.drifted).toBe('false')
    // the inputs are the target's only: dev's token input never reaches another environment
    const cliFlags = await cli(
      ['diff', 'spaces/sales/space.yaml', '--env', 'dev', '--config', 'config/promotion.yaml', '--host', dev.url, '--token', TOKENS.dev],
      { cwd: repo }
    )
    expect(cliFlags.code).toBe(0)
    expect(cliFlags.out).toContain('Sales analytics')
    expect(secretsIn(noMasks(inputsOnly) + noMasks(varsOnly) + noMasks(drift) + cliFlags.out + cliFlags.err)).toEqual([])
  })

  it('promote with the inputs for the target and variables for the environment before it', async () => {
    expect((await cli(['promote', 'spaces/sales/space.yaml', 'dev', '--config', 'config/promotion.yaml'], { cwd: repo, env: workflowEnv() })).code).toBe(0)
    const rt = new FakeRuntime({ mode: 'promote', 'target-env': 'stage', host: prod.url, token: TOKENS.stage }, repo, {
      DATABRICKS_DEV_HOST: dev.url,
      DATABRICKS_DEV_TOKEN: TOKENS.dev,
      RUNNER_TEMP: repo
    })
    await run(rt)
    expect(rt.failed).toBeUndefined()
    expect(rt.summary).toContain('| spaces/sales/space.yaml | created |')
  })
})

describe('a config cannot copy secrets into a plan', () => {
  const CANARIES: Record<string, string> = {
    GH_PAT: 'canary-ghp-0001',
    DB_PASS: 'canary-dbpass-0002',
    JWT: 'canary-jwt-0003',
    NPM_AUTH: 'canary-npm-0004',
    SLACK_WEBHOOK_URL: 'canary-slack-0005',
    AWS_ACCESS_KEY_ID: 'canary-aws-0006'
  }
  const FIELDS = [
    (v: string) => CONFIG.replace('warehouse_id: ${DEV_WAREHOUSE_ID:-dev-warehouse}', `warehouse_id: \${${v}}`),
    (v: string) => CONFIG.replace('parent_path: /Workspace/Shared/genie-dev', `parent_path: /Workspace/\${${v}}`),
    (v: string) =>
      CONFIG.replace(
        '    # the definitions are written against dev',
        `    catalog_mappings: { shop_dev: "\${${v}}" }\n    # the definitions are written against dev`
      )
  ]
  let gh: FakeGitHub
  beforeEach(async () => {
    gh = await startFakeGitHub({ repo: 'octo/genie' })
  })
  afterEach(async () => {
    await gh.close()
  })
  const prEnv = () => {
    const eventPath = path.join(repo, 'event.json')
    writeFileSync(
      eventPath,
      JSON.stringify({
        action: 'synchronize',
        number: 7,
        pull_request: {
          number: 7,
          head: { sha: 'b'.repeat(40), repo: { full_name: 'octo/genie' } },
          base: { sha: 'a'.repeat(40), repo: { full_name: 'octo/genie' } }
        },
        repository: { full_name: 'octo/genie' }
      })
    )
    return {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: 'octo/genie',
      GITHUB_API_URL: gh.url,
      GITHUB_RUN_ID: '1',
      GITHUB_JOB: 'plan'
    }
  }
  const filesUnder = (dir: string): string => {
    let out = ''
    for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }))
      if (entry.isFile()) out += readFileSync(path.join(entry.parentPath, entry.name), 'utf8')
    return out
  }
  const leaked = (text: string) => Object.values(CANARIES).filter((c) => text.includes(c))

  it('action: a variable the workflow did not list is refused before its value is read, in diff and promote', async () => {
    const names = Object.keys(CANARIES)
    for (const [i, name] of names.entries()) {
      writeConfig((FIELDS[i % FIELDS.length] as (v: string) => string)(name))
      for (const mode of ['diff', 'promote']) {
        gh.state.setPullFiles(7, ['spaces/sales/space.yaml'])
        const rt = new FakeRuntime({ mode, 'target-env': 'dev', 'github-token': 'ghs_fake' }, repo, { ...workflowEnv(), ...CANARIES, ...prEnv() })
        await run(rt)
        expect(rt.failed).toBeDefined()
        expect(rt.everything()).toContain(`\${${name}} is not a variable this workflow lets the promotion config read: add it to config-variables`)
        expect(leaked(rt.everything() + filesUnder(repo) + gh.state.comments.map((c) => c.body).join('\n'))).toEqual([])
      }
    }
    expect(gh.state.comments.length).toBeGreaterThan(0)
    expect(await dev.writes()).toEqual([])
  })

  it('action: a listed variable expands; one whose value is a token, or has a newline, is still refused', async () => {
    writeConfig(FIELDS[2]?.('DEV_CATALOG') ?? '')
    // shop_qa is no catalog of the emulated dev: the target preflight would block; this test is about expansion
    const listed = new FakeRuntime({ mode: 'promote', 'target-env': 'dev', 'config-variables': 'OTHER,\nDEV_CATALOG', 'skip-preflight': 'true' }, repo, {
      ...workflowEnv(),
      DEV_CATALOG: 'shop_qa'
    })
    await run(listed)
    expect(listed.failed).toBeUndefined()
    const id = listed.outputs['space-id'] ?? ''
    const live = (await (
      await fetch(`${dev.url}/api/2.0/genie/spaces/${id}?include_serialized_space=true`, { headers: { authorization: `Bearer ${TOKENS.dev}` } })
    ).json()) as { serialized_space: string }
    expect(live.serialized_space).toContain('shop_qa.sales.orders')
    expect(live.serialized_space).not.toContain('shop_dev')
    const unlisted = new FakeRuntime({ mode: 'diff', 'target-env': 'dev' }, repo, { ...workflowEnv(), DEV_CATALOG: 'shop_qa' })
    await run(unlisted)
    expect(unlisted.everything()).toContain('${DEV_CATALOG} is not a variable this workflow lets the promotion config read: add it to config-variables')
    const token = new FakeRuntime({ mode: 'diff', 'target-env': 'dev', 'config-variables': 'DEV_CATALOG' }, repo, {
      ...workflowEnv(),
      DEV_CATALOG: TOKENS.prod
    })
    await run(token)
    expect(token.everything()).toContain('the value of DEV_CATALOG holds a secret SpaceOps knows')
    expect(token.everything().split(`::add-mask::${TOKENS.prod}`).join('')).not.toContain(TOKENS.prod)
    writeConfig(CONFIG)
    const newline = new FakeRuntime({ mode: 'diff', 'target-env': 'dev' }, repo, { ...workflowEnv(), DEV_WAREHOUSE_ID: 'wh\n/Workspace/evil' })
    await run(newline)
    expect(newline.everything()).toContain('the value of DEV_WAREHOUSE_ID contains a newline or another control character')
    const bad = new FakeRuntime({ mode: 'diff', 'target-env': 'dev', 'config-variables': 'DEV-CATALOG' }, repo, workflowEnv())
    await run(bad)
    expect(bad.failed).toBe('input config-variables: "DEV-CATALOG" is not a variable name (letters, digits and _, e.g. DEV_CATALOG)')
  })

  it('CLI: secret-looking names are refused by name, a known secret under any name by value, in render, diff and promote', async () => {
    const env = { ...workflowEnv(), ...CANARIES, INNOCENT: TOKENS.prod }
    for (const [i, name] of [...Object.keys(CANARIES), 'INNOCENT'].entries()) {
      writeConfig((FIELDS[i % FIELDS.length] as (v: string) => string)(name))
      for (const argv of [
        ['render', 'spaces/sales/space.yaml', '--env', 'dev', '--config', 'config/promotion.yaml'],
        ['diff', 'spaces/sales/space.yaml', '--env', 'dev', '--config', 'config/promotion.yaml'],
        ['promote', 'spaces/sales/space.yaml', 'dev', '--config', 'config/promotion.yaml', '--dry-run']
      ]) {
        const r = await cli(argv, { cwd: repo, env })
        expect(r.code).toBe(1)
        expect(r.err).toContain(
          name === 'INNOCENT'
            ? 'the value of INNOCENT holds a secret SpaceOps knows'
            : `\${${name}} looks like a credential; credentials are never expanded into the promotion config`
        )
        expect(leaked(r.out + r.err + filesUnder(repo))).toEqual([])
        expect(r.out + r.err).not.toContain(TOKENS.prod)
      }
    }
    // the --token flag's value is known too
    writeConfig(FIELDS[0]?.('INNOCENT') ?? '')
    const flag = await cli(['render', 'spaces/sales/space.yaml', '--env', 'dev', '--config', 'config/promotion.yaml'], {
      cwd: repo,
      env: { INNOCENT: 'flag-token-canary' }
    })
    expect(flag.code).toBe(0) // render takes no --token: an unknown value under an innocent name expands in the CLI
    const diff = await cli(
      ['diff', 'spaces/sales/space.yaml', '--env', 'dev', '--config', 'config/promotion.yaml', '--token', 'flag-token-canary', '--host', dev.url],
      { cwd: repo, env: { INNOCENT: 'flag-token-canary' } }
    )
    expect(diff.err).toContain('the value of INNOCENT holds a secret SpaceOps knows')
    expect(await dev.writes()).toEqual([])
  })
})
