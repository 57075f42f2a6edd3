import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { run } from '../../src/main.js'
import { FakeRuntime } from '../helpers/runtime.js'
import { emulator, liveSpaces } from '../helpers/emulator.js'
import { ROOT } from '../helpers/cli.js'
import { renderMarkdown, type SpacePlan } from '../../src/plan/render.js'
import { COMMENT_BODY_LIMIT, fitReport, trimmedNote } from '../../src/github/fit.js'
import { matrixBatches } from '../../src/action/plan.js'

// Many spaces in one repository, through run() against an emulator on 127.0.0.1: one listing per
// run, a space costs its get and its record, definitions side by side with results in their order,
// and one failing space never stops the others.

type Emu = Awaited<ReturnType<typeof emulator>>
let emu: Emu
let repo: string
const TOKEN = 'dapiSCALEtest0000001'
const N = 12

beforeAll(async () => {
  emu = await emulator({ seed: 7 })
})
afterAll(async () => emu.close())
beforeEach(async () => {
  await emu.reset()
  repo = mkdtempSync(path.join(tmpdir(), 'spaceops-scale-'))
  const example = readFileSync(path.join(ROOT, 'examples/spaces/sales/space.yaml'), 'utf8')
  for (let i = 0; i < N; i++) {
    const name = `team${String(i).padStart(2, '0')}`
    mkdirSync(path.join(repo, 'spaces', name), { recursive: true })
    writeFileSync(path.join(repo, 'spaces', name, 'space.yaml'), setTitle(example, `Sales ${name}`))
  }
})

function setTitle(yamlText: string, title: string): string {
  return `${yamlText.replace(/^title: .*$/m, `title: ${title}`).replace(/^parent_path: .*$/m, '')}\nparent_path: /Workspace/Shared/scale\n`
}

async function action(inputs: Record<string, string>) {
  const rt = new FakeRuntime({ host: emu.url, token: TOKEN, 'warehouse-id': 'wh-1', definition: 'spaces/*/space.yaml', ...inputs }, repo, {
    RUNNER_TEMP: mkdtempSync(path.join(tmpdir(), 'spaceops-scale-rt-'))
  })
  await run(rt)
  return { rt, ok: rt.failed === undefined }
}

const key = (r: { method: string; path: string; query?: unknown }) => `${r.method} ${r.path} ${JSON.stringify(r.query ?? {})}`
const lists = (log: { method: string; path: string }[]) => log.filter((r) => r.method === 'GET' && r.path === '/api/2.0/genie/spaces').length

describe('one look-up per run, not per space', () => {
  test('first plan lists the workspace once for every definition; no request is made twice', async () => {
    // spaces already there, found by title (no records yet)
    const seeded = await action({ mode: 'push' })
    expect(seeded.rt.failed).toBeUndefined()
    expect(await liveSpaces(emu)).toHaveLength(N)
    await emu.clearRequests()
    // records kept elsewhere (none there yet): every space is found by its title and folder
    const { rt } = await action({ mode: 'diff', 'all-spaces': 'true', concurrency: '4', 'state-path': '/Workspace/Shared/elsewhere' })
    expect(rt.failed).toBeUndefined()
    expect(rt.outputs['spaces-changed']).toBe('0')
    const log = await emu.requests()
    expect(lists(log)).toBe(1)
    expect(new Set(log.map(key)).size).toBe(log.length)
  })

  test('an unchanged re-deploy of N spaces costs each its record and its get: 2N requests, no listing, no write', async () => {
    expect((await action({ mode: 'push' })).rt.failed).toBeUndefined()
    await emu.clearRequests()
    const { rt } = await action({ mode: 'push' })
    expect(rt.failed).toBeUndefined()
    expect(rt.outputs.changed).toBe('false')
    const log = await emu.requests()
    expect(log.filter((r) => r.method !== 'GET')).toEqual([])
    expect(lists(log)).toBe(0)
    expect(log).toHaveLength(2 * N)
    expect(new Set(log.map(key)).size).toBe(log.length)
  })

  test('a first deploy of N spaces: at most two record reads each, no folder made again per record, the writes it needs', async () => {
    const { rt } = await action({ mode: 'push', concurrency: '4' })
    expect(rt.failed).toBeUndefined()
    const log = await emu.requests()
    const count = (method: string, p: string) => log.filter((r) => r.method === method && r.path === p).length
    const lockTaken = count('POST', '/api/2.0/workspace/delete') // one release per lock taken
    expect(lockTaken).toBeGreaterThanOrEqual(1)
    expect(count('POST', '/api/2.0/genie/spaces')).toBe(N)
    // the records folder is made by the lock (once per lock taken), never before each record write
    expect(count('POST', '/api/2.0/workspace/mkdirs')).toBe(lockTaken)
    // per space: its intent and its record; plus one lock file per lock taken
    expect(count('POST', '/api/2.0/workspace/import')).toBe(2 * N + lockTaken)
    // per space: its record read before the lock and again under it (once only when the run already
    // held the lock: a matter of timing, measured in bench/scale); plus the lock file's reads
    expect(count('GET', '/api/2.0/workspace/export')).toBeLessThanOrEqual(2 * N + 2 * lockTaken)
    expect(lists(log)).toBeLessThanOrEqual(1 + lockTaken)
  })

  test('drift of all spaces: one get and one record each', async () => {
    expect((await action({ mode: 'push' })).rt.failed).toBeUndefined()
    await emu.clearRequests()
    const { rt } = await action({ mode: 'drift', concurrency: '3' })
    expect(rt.failed).toBeUndefined()
    expect(rt.outputs.drifted).toBe('false')
    expect(await emu.requests()).toHaveLength(2 * N)
  })
})

describe('side by side, reported in order', () => {
  test('a first deploy with concurrency 8 creates each space once, records each, and reports in definition order', async () => {
    const { rt } = await action({ mode: 'push', concurrency: '8' })
    expect(rt.failed).toBeUndefined()
    const live = await liveSpaces(emu)
    expect(live.map((s) => s.title).sort()).toEqual(Array.from({ length: N }, (_, i) => `Sales team${String(i).padStart(2, '0')}`))
    const ids = JSON.parse(rt.outputs['space-ids'] ?? '{}') as Record<string, string>
    expect(Object.keys(ids)).toEqual(Array.from({ length: N }, (_, i) => `spaces/team${String(i).padStart(2, '0')}/space.yaml`))
    const rows = rt.summary.split('\n').filter((l) => l.startsWith('| spaces/'))
    expect(rows.map((r) => r.split(' | ')[0])).toEqual(Object.keys(ids).map((f) => `| ${f}`))
    // every definition's record is in the workspace, and the lock was released
    const log = await emu.requests()
    const recordWrites = log.filter((r) => r.method === 'POST' && r.path === '/api/2.0/workspace/import')
    expect(recordWrites.length).toBeGreaterThanOrEqual(2 * N)
    const again = await action({ mode: 'push' })
    expect(again.rt.outputs.changed).toBe('false')
  })

  test('two definitions with the same title in one run make one space, not two', async () => {
    cpSync(path.join(repo, 'spaces/team00'), path.join(repo, 'spaces/team00-copy'), { recursive: true })
    const { rt } = await action({ mode: 'push', concurrency: '8' })
    expect(rt.failed).toBeUndefined()
    expect((await liveSpaces(emu)).filter((s) => s.title === 'Sales team00')).toHaveLength(1)
  })

  test('one broken definition fails the step but every other space is pushed, and it is named', async () => {
    writeFileSync(path.join(repo, 'spaces/team03/space.yaml'), 'title: [unclosed\n')
    const { rt, ok } = await action({ mode: 'push' })
    expect(ok).toBe(false)
    expect(rt.failed).toMatch(/^1 of 12 definition\(s\) could not be pushed: spaces\/team03\/space\.yaml: /)
    expect(await liveSpaces(emu)).toHaveLength(N - 1)
    expect(rt.summary).toMatch(/\| spaces\/team03\/space\.yaml \| error \|/)
  })

  test('plans of a failing space and of the others: every one planned, the step fails', async () => {
    writeFileSync(path.join(repo, 'spaces/team05/space.yaml'), 'title: [unclosed\n')
    const { rt } = await action({ mode: 'diff', 'all-spaces': 'true' })
    expect(rt.failed).toBe('1 space(s) could not be planned')
    expect(rt.outputs['spaces-changed']).toBe(String(N - 1))
  })
})

describe('reports for many spaces', () => {
  test('the plan of many changed spaces: a table row per space before the details, within the comment limit when shortened', () => {
    const plans: SpacePlan[] = Array.from({ length: 200 }, (_, i) => ({
      definition: `spaces/team${i}/space.yaml`,
      title: `Team ${i} | sales`,
      status: 'changed',
      diff: {
        changes: [
          {
            kind: 'change',
            what: 'instruction',
            name: `text ${i}`,
            fields: [{ kind: 'change', field: 'content', before: 'a\n'.repeat(40), after: 'b\n'.repeat(40) }]
          }
        ],
        counts: { add: 0, change: 1, remove: 0 }
      }
    }))
    const levels = (['full', 'summary', 'counts'] as const).map((detail) => renderMarkdown(plans, { detail }))
    const table = levels[0]!.slice(0, levels[0]!.indexOf('<details>'))
    expect(table.split('\n').filter((l) => l.startsWith('| Team'))).toHaveLength(200)
    expect(table).toContain('| Team 7 \\| sales <sub>spaces/team7/space.yaml</sub> | 📝 changed | ~1 instruction |')
    const fitted = fitReport(levels, { limit: COMMENT_BODY_LIMIT, note: trimmedNote('comment', undefined) })
    expect(fitted.text.length).toBeLessThanOrEqual(COMMENT_BODY_LIMIT)
    expect(fitted.text.split('\n').filter((l) => l.startsWith('| Team'))).toHaveLength(200)
  })

  test('past 256 definitions the spaces output cannot feed a matrix: spaces-batches can, and the run says so', () => {
    const files = Array.from({ length: 600 }, (_, i) => `spaces/s${i}/space.yaml`)
    const batches = matrixBatches(files)
    expect(batches.length).toBeLessThanOrEqual(256)
    expect(batches.flatMap((b) => b.split('\n'))).toEqual(files)
    expect(matrixBatches(files.slice(0, 256))).toEqual(files.slice(0, 256))
  })

  test('mode diff sets spaces-batches: one file per entry under the matrix limit, no warning', async () => {
    const { rt } = await action({ mode: 'diff', 'all-spaces': 'true' })
    expect(JSON.parse(rt.outputs['spaces-batches'] ?? '[]')).toEqual(JSON.parse(rt.outputs.spaces ?? '[]'))
    expect(rt.annotations.filter((a) => a.message.includes('strategy.matrix'))).toEqual([])
  })
})
