import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { createGenieClient, type GenieClient } from '../../src/client/index.js'
import { parsePromotionConfig, previewEnvironment } from '../../src/promote/config.js'
import { cleanupPreviews } from '../../src/preview/cleanup.js'
import { deployPreview, previewFolder, previewNumber, previewSpace } from '../../src/preview/preview.js'
import { capSuites, type Measurement } from '../../src/preview/measure.js'
import { renderPreviewMarkdown, verdict } from '../../src/preview/render.js'
import { parsePreviewAge } from '../../src/preview/age.js'
import type { BenchmarkReport, BenchmarkSuite, QuestionResult } from '../../src/benchmark/types.js'
import { pairFlips } from '../../src/benchmark/gate.js'
import { canonicalizeDocument } from '../../src/model/canonical.js'
import type { Space } from '../../src/model/space.js'
import { MemoryLogger } from '../../src/util/logger.js'
import { SecretRegistry } from '../../src/util/secrets.js'
import { SpaceOpsError } from '../../src/util/errors.js'

const located = (fn: () => unknown): string => {
  try {
    fn()
  } catch (err) {
    if (err instanceof SpaceOpsError) return err.format()
    throw err
  }
  throw new Error('expected a SpaceOpsError')
}

const CONFIG = (extra: { dev?: string; stage?: string; prod?: string; order?: string } = {}) => `promotion_order: ${extra.order ?? '[dev, stage, prod]'}
environments:
  dev:
    parent_path: /Workspace/Shared/genie-dev
${extra.dev ?? ''}
  stage:
    parent_path: /Workspace/Shared/genie-stage
${extra.stage ?? ''}
  prod:
    parent_path: /Workspace/Shared/genie
${extra.prod ?? ''}
`

describe('the preview environment', () => {
  const parse = (text: string) => parsePromotionConfig('config/promotion.yaml', text)

  it('is the first of promotion_order unless one is marked preview: true', () => {
    expect(previewEnvironment(parse(CONFIG()))).toBe('dev')
    expect(previewEnvironment(parse(CONFIG({ dev: '    preview: true' })))).toBe('dev')
  })

  it.each(['stage', 'prod'] as const)('a %s marked preview: true is a config error at its line, before any request', (env) => {
    const text = CONFIG({ [env]: '    preview: true' })
    const line = text.split('\n').findIndex((l) => l.includes('preview: true')) + 1
    expect(located(() => parse(text))).toBe(
      `config/promotion.yaml:${line}:5: environments.${env}.preview: ${env} comes after dev in promotion_order; previews of pull requests may only go to the first environment (dev)`
    )
  })

  it('an environment outside promotion_order cannot be the preview environment either', () => {
    expect(() => parse(CONFIG({ order: '[dev, prod]', stage: '    preview: true' }))).toThrow(
      /environments\.stage\.preview: stage is not the first environment of promotion_order/
    )
  })

  it('preview must be a boolean', () => {
    expect(() => parse(CONFIG({ dev: '    preview: yes please' }))).toThrow(/preview/)
  })
})

describe('naming', () => {
  const space: Space = {
    meta: { title: 'Sales analytics', parent_path: '/Workspace/Shared/genie-dev/', warehouse_id: 'wh' },
    document: canonicalizeDocument({ version: 2 })
  }

  it('puts the preview in <parent_path>/previews/pr-<n> with the title suffixed', () => {
    expect(previewSpace(space, 12, 'spaces/sales/space.yaml').meta).toEqual({
      title: 'Sales analytics [PR #12]',
      parent_path: '/Workspace/Shared/genie-dev/previews/pr-12',
      warehouse_id: 'wh'
    })
  })

  it("never takes the environment's grants: a preview's permissions are left to Genie (its creator manages it)", () => {
    const granted: Space = { ...space, permissions: [{ level: 'CAN_RUN', group_name: 'prod-analysts' }] }
    expect(previewSpace(granted, 3, 'spaces/sales/space.yaml').permissions).toBeUndefined()
  })

  it('refuses a definition without a folder, and a bad PR number', () => {
    expect(() => previewSpace({ ...space, meta: { title: 'x' } }, 1, 'spaces/x/space.yaml')).toThrow(/spaces\/x\/space\.yaml: a preview needs a folder/)
    expect(() => previewFolder('/a', 0)).toThrow(/positive whole number/)
  })

  it('recognises only a preview folder directly under a known root', () => {
    expect(previewNumber('/Workspace/Shared/genie-dev/previews/pr-7', ['/Workspace/Shared/genie-dev'])).toBe(7)
    expect(previewNumber('/Shared/genie-dev/previews/pr-7', ['/Workspace/Shared/genie-dev'])).toBe(7)
    expect(previewNumber('/Workspace/Shared/genie-dev/previews/pr-7/x', ['/Workspace/Shared/genie-dev'])).toBeUndefined()
    expect(previewNumber('/Workspace/Shared/genie/previews/pr-7', ['/Workspace/Shared/genie-dev'])).toBeUndefined()
    expect(previewNumber('/Workspace/Shared/genie-dev', ['/Workspace/Shared/genie-dev'])).toBeUndefined()
    expect(previewNumber('/Workspace/Shared/genie-dev/previews/pr-07', ['/Workspace/Shared/genie-dev'])).toBeUndefined()
  })

  it('preview-max-age takes days or a duration', () => {
    expect(parsePreviewAge('7d', 'input preview-max-age')).toBe(7 * 86_400_000)
    expect(parsePreviewAge('36h', 'input preview-max-age')).toBe(36 * 3_600_000)
    expect(() => parsePreviewAge('0d', 'input preview-max-age')).toThrow(/between 1d and 365d/)
    expect(() => parsePreviewAge('soon', 'input preview-max-age')).toThrow(/input preview-max-age must be a duration/)
  })
})

describe('deploy and cleanup against the emulator', () => {
  let emu: RunningEmulator
  let offset = 0
  let client: GenieClient
  const logger = new MemoryLogger()
  const now = () => new Date(Date.now() + offset)
  const ROOT = '/Workspace/Shared/genie-dev'
  const rendered = (title: string): Space => ({ meta: { title, parent_path: ROOT, warehouse_id: 'wh-dev' }, document: canonicalizeDocument({ version: 2 }) })
  const deploy = (title: string, key: string, pr: number, of: 'pr' | 'base' = 'pr') =>
    deployPreview({
      client,
      rendered: rendered(title),
      definitionFile: `spaces/${key}/space.yaml`,
      key,
      pr,
      of,
      environment: 'dev',
      run: { kind: 'cli' },
      logger,
      now,
      sleep: async () => undefined
    })
  const api = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${emu.url}${p}`, {
      method,
      headers: { authorization: 'Bearer dapiDEVtoken', 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {})
    })
    return (await res.json()) as Record<string, unknown>
  }
  const spaces = async () =>
    ((await api('GET', '/api/2.0/genie/spaces')).spaces as { space_id: string; title: string; parent_path: string }[] | undefined) ?? []

  beforeAll(async () => {
    emu = await startEmulator({ port: 0, seed: 5, clock: () => Date.now() + offset })
    client = createGenieClient({ env: { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: 'dapiDEVtoken' }, secrets: new SecretRegistry(), logger })
  })
  afterAll(() => emu.close())

  it('a second deploy of the same PR updates its preview; another PR gets its own', async () => {
    const first = await deploy('Sales', 'sales', 3)
    expect(first.action).toBe('created')
    const again = await deploy('Sales', 'sales', 3)
    expect(again).toMatchObject({ spaceId: first.spaceId, action: 'unchanged' })
    // the PR renames the space: its record still binds the same preview
    const renamed = await deploy('Sales v2', 'sales', 3)
    expect(renamed).toMatchObject({ spaceId: first.spaceId, action: 'updated', title: 'Sales v2 [PR #3]' })
    const other = await deploy('Sales', 'sales', 4)
    expect(other.spaceId).not.toBe(first.spaceId)
    expect((await spaces()).map((s) => s.title).sort()).toEqual(['Sales [PR #4]', 'Sales v2 [PR #3]'])
  })

  it("cleanup by PR trashes that PR's previews with their conversations and records, nothing else", async () => {
    // a look-alike: the folder of a preview but not its title, and a preview title outside the roots
    await client.createSpace({ title: 'Hand made', parent_path: `${ROOT}/previews/pr-3`, warehouse_id: 'wh', serialized_space: JSON.stringify({ version: 2 }) })
    await client.createSpace({
      title: 'Sales [PR #3]',
      parent_path: '/Workspace/Shared/other/previews/pr-3',
      warehouse_id: 'wh',
      serialized_space: JSON.stringify({ version: 2 })
    })
    const base = await deploy('Sales', 'sales', 3, 'base')
    expect(base.title).toBe('Sales [PR #3 base]')
    const target = (await spaces()).find((s) => s.title === 'Sales v2 [PR #3]')
    await client.startConversation(target?.space_id as string, 'How many orders?')
    expect(await client.readWorkspaceFile(`${ROOT}/previews/pr-3/.spaceops/sales.json`)).toContain('"dev preview pr-3"')
    expect(await client.readWorkspaceFile(`${ROOT}/previews/pr-3/.spaceops/sales%40base.json`)).toContain('"dev preview pr-3"')
    const result = await cleanupPreviews({ client, roots: [ROOT], keys: ['sales'], pr: 3, now, logger })
    expect(result.trashed.map((t) => [t.spaceId, t.title, t.conversations]).sort()).toEqual(
      [
        [base.spaceId, 'Sales [PR #3 base]', 0],
        [target?.space_id, 'Sales v2 [PR #3]', 1]
      ].sort()
    )
    expect(await client.readWorkspaceFile(`${ROOT}/previews/pr-3/.spaceops/sales%40base.json`)).toBeUndefined()
    expect((await spaces()).map((s) => s.title).sort()).toEqual(['Hand made', 'Sales [PR #3]', 'Sales [PR #4]'])
    expect(await client.readWorkspaceFile(`${ROOT}/previews/pr-3/.spaceops/sales.json`)).toBeUndefined()
    // the next push of PR 3 makes a new preview (the trashed one is not bound any more)
    expect((await deploy('Sales', 'sales', 3)).action).toBe('created')
  })

  it('cleanup by age trashes previews created more than the limit ago and keeps younger ones', async () => {
    offset += 8 * 86_400_000
    const young = await deploy('Billing', 'billing', 9)
    const result = await cleanupPreviews({ client, roots: [ROOT], keys: ['sales', 'billing'], maxAgeMs: 7 * 86_400_000, now, logger })
    expect(result.trashed.map((t) => [t.title, t.reason]).sort()).toEqual([
      ['Sales [PR #3]', '8 day(s) old'],
      ['Sales [PR #4]', '8 day(s) old']
    ])
    expect(result.kept).toBe(1)
    expect((await spaces()).map((s) => s.space_id)).toContain(young.spaceId)
  })
})

describe('the comment section', () => {
  const q = (question: string, passed: boolean): QuestionResult => ({
    question,
    status: passed ? 'passed' : 'failed',
    passed,
    passes: passed ? 1 : 0,
    attempts_made: 1,
    repeat: 1,
    min_passes: 1,
    tags: [],
    attempts: [],
    duration_ms: 1
  })
  const report = (qs: QuestionResult[]): BenchmarkReport => {
    const passed = qs.filter((x) => x.passed).length
    return {
      schema_version: 1,
      tool: 'spaceops',
      space_id: 's',
      strategy: 'conversation',
      started_at: '',
      finished_at: '',
      duration_ms: 0,
      totals: {
        questions: qs.length,
        passed,
        failed: qs.length - passed,
        errors: 0,
        accuracy: passed / qs.length,
        attempts: qs.length,
        rate_limited: 0,
        flaky: 0,
        statements: 0
      },
      suites: [{ name: 'A', accuracy: passed / qs.length, passed, total: qs.length, duration_ms: 0, questions: qs } as BenchmarkReport['suites'][number]]
    }
  }
  const measured = (base: boolean[], pr: boolean[]): Measurement => {
    const b = report(base.map((p, i) => q(`Q${i}`, p)))
    const r = report(pr.map((p, i) => q(`Q${i}`, p)))
    return { base: b, pr: r, flips: pairFlips(b.suites[0]?.questions ?? [], r.suites[0]?.questions ?? []), asked: base.length + pr.length, capped: 0 }
  }

  it('says a difference of one flip is within noise, and of eight one-way flips more than noise', () => {
    expect(verdict(measured([false, true], [true, true]))).toBe('better, but within noise (exact McNemar p = 1 on 1 flipped question(s); not below 0.05)')
    expect(verdict(measured(Array(8).fill(true), Array(8).fill(false)))).toBe('**worse, more than noise** (exact McNemar p = 0.008 on 8 flipped question(s))')
    expect(verdict(measured([true], [true]))).toBe('no question changed its outcome: no difference')
  })

  it('shows both accuracies and the flipped questions, printable', () => {
    const m = measured([false, true], [true, false])
    const md = renderPreviewMarkdown(
      [
        {
          status: 'measured',
          definition: 'spaces/a/space.yaml',
          title: 'A <img src=x> | *x* [PR #5]',
          spaceId: 'p1',
          action: 'created',
          base: 'dev space d1',
          measurement: m
        }
      ],
      { pr: 5, environment: 'dev', asked: 4 }
    )
    expect(md).toContain('| base (dev space d1) | **50.0%** (1/2; 95% interval')
    expect(md).toContain('| this PR | **50.0%** (1/2;')
    expect(md).toContain('- ✅ now passes: “Q0”')
    expect(md).toContain('- ❌ now fails: “Q1”')
    expect(md).toContain('4 question(s) asked of Genie for this preview.')
    // a title is untrusted: no HTML, no emphasis, no table break
    expect(md).toContain('#### A &lt;img src=x&gt; \\| \\*x\\* \\[PR #5\\]')
  })

  it('caps the questions, keeping the first ones of each suite in order', () => {
    const question = (text: string) => ({
      question: text,
      expectedTables: [],
      expectedColumns: [],
      expectedContains: [],
      tags: [],
      repeat: 1,
      minPasses: 1,
      timeoutMs: 1
    })
    const suites: BenchmarkSuite[] = [
      { name: 'A', questions: [question('a1'), question('a2')] },
      { name: 'B', questions: [question('b1'), question('b2')] }
    ]
    const cut = capSuites(suites, 3)
    expect(cut.suites.map((s) => [s.name, s.questions.map((x) => x.question)])).toEqual([
      ['A', ['a1', 'a2']],
      ['B', ['b1']]
    ])
    expect(cut.dropped).toBe(1)
  })
})
