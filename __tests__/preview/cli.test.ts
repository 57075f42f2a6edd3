import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { cli, ROOT } from '../helpers/cli.js'

// spaceops preview on a terminal: the same flow as mode preview, against the emulator.

const TOKEN = 'dapiDEVpreview000001'
let emu: RunningEmulator
let repo: string
const env = () => ({ DATABRICKS_DEV_HOST: emu.url, DATABRICKS_DEV_TOKEN: TOKEN, DEV_WAREHOUSE_ID: 'wh-dev-1' })
const requests = async () =>
  ((await (await fetch(`${emu.url}/_emulator/requests`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as unknown[]).length
const spaces = async () =>
  (
    (await (await fetch(`${emu.url}/api/2.0/genie/spaces`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as {
      spaces?: { title: string; parent_path: string }[]
    }
  ).spaces ?? []

beforeAll(async () => {
  emu = await startEmulator({ port: 0, seed: 11, auth: { tokens: [TOKEN] } })
  repo = mkdtempSync(path.join(tmpdir(), 'spaceops-preview-cli-'))
  cpSync(path.join(ROOT, 'examples/spaces'), path.join(repo, 'spaces'), { recursive: true })
  mkdirSync(path.join(repo, 'config'))
  cpSync(path.join(ROOT, 'examples/config/promotion.yaml'), path.join(repo, 'config/promotion.yaml'))
})
afterAll(() => emu.close())

const SPACE = 'spaces/sales/space.yaml'

it('deploys the preview, measures it (no base in dev yet) and prints the report; --max-questions caps it', async () => {
  const r = await cli(['preview', SPACE, '--pr', '5', '--config', 'config/promotion.yaml'], { cwd: repo, env: env() })
  expect({ code: r.code, err: r.code ? r.err : '' }).toEqual({ code: 0, err: '' })
  expect(r.out).toContain('### Preview of PR #5 in dev')
  expect(r.out).toMatch(/\| this PR \| \*\*66\.7%\*\* \(2\/3;/)
  expect(r.out).toContain('Difference: no base to compare with.')
  expect(r.out).toContain('3 question(s) asked of Genie for this preview.')
  expect(r.err).toMatch(/dev has no space "Sales analytics" in \/Workspace\/Shared\/genie-dev/)
  expect(r.err).toContain("spaces/sales/space.yaml: no base to compare with: the pull request's version is measured alone")
  expect((await spaces()).map((s) => [s.title, s.parent_path])).toEqual([['Sales analytics [PR #5]', '/Workspace/Shared/genie-dev/previews/pr-5']])

  const capped = await cli(['preview', SPACE, '--pr', '5', '--config', 'config/promotion.yaml', '--max-questions', '2'], { cwd: repo, env: env() })
  expect(capped.code).toBe(0)
  expect(capped.out).toContain('(unchanged)')
  // the CLI names its flag, not the action's input
  expect(capped.out).toContain('1 question(s) per version left out by --max-questions.')
  expect(capped.out).toContain('2 question(s) asked of Genie for this preview.')
  expect(await spaces()).toHaveLength(1)
}, 180_000)

it('--cleanup --pr trashes the preview', async () => {
  const r = await cli(['preview', SPACE, '--cleanup', '--pr', '5', '--config', 'config/promotion.yaml'], { cwd: repo, env: env() })
  expect(r.code).toBe(0)
  expect(r.out).toMatch(
    /^trashed [0-9a-f]{32} "Sales analytics \[PR #5\]" \(pull request #5 closed; \d+ conversation\(s\) deleted\)\n1 preview\(s\) trashed in dev\n$/
  )
  // printed once, on stdout
  expect(r.err).not.toContain('trashed')
  expect(await spaces()).toEqual([])
})

it('refuses a preview environment after the first, and a hostile host, before any request', async () => {
  const before = await requests()
  const config = readFileSync(path.join(repo, 'config/promotion.yaml'), 'utf8')
  writeFileSync(
    path.join(repo, 'config/prod-preview.yaml'),
    config.replace('    catalog_mappings: { shop_dev: shop_prod }', '    catalog_mappings: { shop_dev: shop_prod }\n    preview: true')
  )
  const refused = await cli(['preview', SPACE, '--pr', '6', '--config', 'config/prod-preview.yaml'], { cwd: repo, env: env() })
  expect(refused.code).toBe(1)
  expect(refused.err).toMatch(/config\/prod-preview\.yaml:\d+:\d+: environments\.prod\.preview: prod comes after dev in promotion_order/)
  writeFileSync(path.join(repo, 'config/evil.yaml'), config.replace('host: ${DATABRICKS_DEV_HOST}', 'host: https://attacker.example'))
  const hostile = await cli(['preview', SPACE, '--pr', '6', '--config', 'config/evil.yaml'], { cwd: repo, env: env() })
  expect(hostile.code).toBe(1)
  expect(hostile.err).toMatch(/host https:\/\/attacker\.example is written in the repository and is not the host the workflow gives/)
  expect(await requests()).toBe(before)
})

it('usage errors exit 2', async () => {
  expect((await cli(['preview', SPACE, '--config', 'config/promotion.yaml'], { cwd: repo, env: env() })).code).toBe(2)
  expect((await cli(['preview', SPACE, '--pr', '5'], { cwd: repo, env: env() })).code).toBe(2)
  expect((await cli(['preview', SPACE, '--pr', '5', '--max-age', '3d', '--config', 'config/promotion.yaml'], { cwd: repo, env: env() })).code).toBe(2)
})
