import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { run } from '../../src/main.js'
import { FakeRuntime } from '../helpers/runtime.js'
import { FIXTURE_SPACES, ROOT, STACK_TRACE } from '../helpers/cli.js'

describe('action run() — mode validate', () => {
  it('annotates each problem on its file and line, sets outputs and fails the step', async () => {
    const rt = new FakeRuntime({ mode: 'validate', definition: '__tests__/fixtures/malformed/15-bad-id.yaml' }, ROOT)
    await run(rt)
    expect(rt.failed).toBe('1 validation error(s) in 1 definition(s)')
    expect(rt.annotations).toContainEqual({
      level: 'error',
      message: 'sample question id "abc" is not 32 lowercase hex characters; the API rejects it ("Invalid export proto")',
      props: { title: 'SpaceOps: id-format', file: '__tests__/fixtures/malformed/15-bad-id.yaml', startLine: 7, startColumn: 9 }
    })
    expect(rt.outputs).toMatchObject({ valid: 'false', errors: '1' })
    expect(rt.summary).toContain('SpaceOps validate')
  })

  it('passes with warnings as annotations only', async () => {
    const rt = new FakeRuntime({ mode: 'validate', definition: '__tests__/fixtures/seed' }, ROOT)
    await run(rt)
    expect(rt.failed).toBeUndefined()
    expect(rt.outputs.valid).toBe('true')
    expect(rt.outputs.warnings).toBe('2')
    expect(JSON.parse(rt.outputs.definitions ?? '[]')).toEqual(['__tests__/fixtures/seed/benchmarks/accuracy.yaml', '__tests__/fixtures/seed/space.yaml'])
    expect(rt.annotations.every((a) => a.level === 'warning')).toBe(true)
  })

  it('defaults to mode validate on spaces/**/space.yaml', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spaceops-action-'))
    const rt = new FakeRuntime({}, dir)
    await run(rt)
    expect(rt.failed).toBe('spaces/**/space.yaml: matches no file')
  })

  it('refuses a mode that is not built, listing the valid ones', async () => {
    const rt = new FakeRuntime({ mode: 'teleport' }, ROOT)
    await run(rt)
    expect(rt.failed).toMatch(/^unknown mode "teleport": valid modes are validate/)
  })

  it('rejects a malformed boolean input with one line naming it', async () => {
    const rt = new FakeRuntime({ mode: 'validate', 'dry-run': 'yes please' }, ROOT)
    await run(rt)
    expect(rt.failed).toBe('input dry-run must be true or false, not "yes please"')
  })

  it('keeps the job summary within 1 MiB when the problems would not fit, and fails only for the problems', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spaceops-action-'))
    // 35 files of 20 problems each (within the bound of problems reported per file)
    for (let f = 0; f < 35; f++) {
      const items = Array.from({ length: 20 }, (_, i) => `  - id: "${`z${String(f * 20 + i).padStart(4, '0')}`.repeat(400)}"\n    question: q${i}`)
      writeFileSync(path.join(dir, `big-${String(f).padStart(2, '0')}.yaml`), `title: t\nwarehouse_id: wh-1\nsample_questions:\n${items.join('\n')}\n`)
    }
    const rt = new FakeRuntime({ mode: 'validate', definition: 'big-*.yaml' }, dir)
    await run(rt)
    expect(rt.annotations.filter((a) => a.level === 'error')).toHaveLength(700)
    expect(Buffer.byteLength(rt.summary)).toBeGreaterThan(900_000)
    expect(Buffer.byteLength(rt.summary)).toBeLessThanOrEqual(1_048_576)
    expect(rt.summary).toContain('| big-00.yaml | **invalid** | 20 | 1 |')
    // cut at a line, the code block and <details> closed, then the note
    expect(rt.summary).toMatch(/\n```\n\n<\/details>\n\n> ⚠️ Details were trimmed to fit GitHub's job summary size limit\.\n$/)
    expect(rt.failed).toBe('700 validation error(s) in 35 definition(s)')
  })

  it('masks secret inputs before anything else and never prints them', async () => {
    const canary = 'dapiCANARY0123456789abcdef'
    const rt = new FakeRuntime(
      { mode: 'validate', definition: '__tests__/fixtures/malformed/15-bad-id.yaml', token: canary, 'client-secret': `${canary}-secret` },
      ROOT
    )
    await run(rt)
    expect(rt.secrets).toEqual(expect.arrayContaining([canary, `${canary}-secret`]))
    expect(rt.everything()).not.toContain(canary)
  })
})

describe('the built action (dist/index.cjs) on a runner', () => {
  function runDist(inputs: Record<string, string>, cwd = ROOT) {
    const dir = mkdtempSync(path.join(tmpdir(), 'spaceops-runner-'))
    const output = path.join(dir, 'output')
    const summary = path.join(dir, 'summary')
    writeFileSync(output, '')
    writeFileSync(summary, '')
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary }
    for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/index.cjs')], { cwd, env, encoding: 'utf8' })
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, output: readFileSync(output, 'utf8'), summary: readFileSync(summary, 'utf8') }
  }

  function outputs(text: string): Record<string, string> {
    const out: Record<string, string> = {}
    const re = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm
    for (const m of text.matchAll(re)) out[m[1] as string] = m[3] as string
    return out
  }

  it('writes annotations, outputs and the exit code for an invalid definition', () => {
    const r = runDist({ mode: 'validate', definition: path.join(FIXTURE_SPACES, 'docs_rest_api_getspace_example.json') })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(
      /^::error title=SpaceOps%3A id-format,file=.*docs_rest_api_getspace_example\.json,line=119,col=\d+::benchmark id "01f0d0b4e815100000000000000000g1"/m
    )
    expect(outputs(r.output)).toMatchObject({ valid: 'false', errors: '1', warnings: '0' })
    expect(r.summary).toContain('❌ SpaceOps validate')
    expect(r.stdout + r.stderr).not.toMatch(STACK_TRACE)
  })

  it('exits 0 with outputs for valid definitions', () => {
    const r = runDist({
      mode: 'validate',
      definition: `${FIXTURE_SPACES}/lopess01_diretoria_ecommerce.json\n${FIXTURE_SPACES}/restock_agent_bundle_generate_export.json`
    })
    expect(r.code).toBe(0)
    expect(outputs(r.output)).toMatchObject({ valid: 'true', errors: '0' })
  })

  it('exits 1 with one error line for an unknown mode', () => {
    const r = runDist({ mode: 'nope' })
    expect(r.code).toBe(1)
    expect(r.stdout.trim()).toBe(
      '::error::unknown mode "nope": valid modes are validate, diff, drift, push, benchmark, promote, snapshot, restore, preview, preview-cleanup'
    )
  })
})
