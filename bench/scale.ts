/**
 * Hundreds of spaces in one repository (npm run bench:scale). For N = 200 and N = 1,000 generated
 * spaces, the BUILT action (`node dist/index.cjs`, inputs as GitHub passes them) against the
 * emulator on 127.0.0.1 answering every request after 50 ms: first deploy, plan of all, unchanged
 * re-deploy, drift of all. Prints wall time, requests made (the emulator's log), requests per
 * space, and the ratio to the ideal `requests × RTT / concurrency`.
 * Then the action's start (validating one space, as a ratio to a bare `node -e 0`, medians of 21
 * alternating runs: a bare start varies by a few milliseconds from run to run, which at 20 ms moves
 * the ratio by a tenth)
 * and the plan's line diff of two 25,000-character texts of 1-character lines (time and memory).
 * Figures go to stdout only; nothing here is a test.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { spawn } from 'node:child_process'
import { startEmulator } from '../src/emulator/index.js'
import { lineDiff } from '../src/plan/render.js'

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..')
const ACTION = path.join(ROOT, 'dist', 'index.cjs')
const RTT = 50
const CONCURRENCY = 8
const TOKEN = 'dapiBENCHscale000001'

function spaceYaml(i: number): string {
  return [
    `title: Bench space ${String(i).padStart(4, '0')}`,
    'description: A generated space for the scale benchmark.',
    'parent_path: /Workspace/Shared/bench',
    'data_sources:',
    '  tables:',
    `    - identifier: bench.schema_${i % 10}.orders_${i}`,
    '      description: One row per order.',
    `    - identifier: bench.schema_${i % 10}.customers_${i}`,
    'instructions:',
    `  - content: Revenue of space ${i} is SUM(amount) over orders that were not cancelled.`,
    'example_queries:',
    `  - question: Revenue by month for space ${i}?`,
    `    sql: SELECT date_trunc('month', order_date) AS month, SUM(amount) FROM bench.schema_${i % 10}.orders_${i} GROUP BY 1`,
    ''
  ].join('\n')
}

function repoOf(n: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), `spaceops-bench-scale-${n}-`))
  for (let i = 0; i < n; i++) {
    mkdirSync(path.join(dir, 'spaces', `s${String(i).padStart(4, '0')}`), { recursive: true })
    writeFileSync(path.join(dir, 'spaces', `s${String(i).padStart(4, '0')}`, 'space.yaml'), spaceYaml(i))
  }
  return dir
}

/** The action as a runner starts it: inputs as INPUT_*, outputs and summary to files. */
function runAction(repo: string, inputs: Record<string, string>): Promise<{ ms: number; code: number | null; stderr: string; stdout: string }> {
  const runner = mkdtempSync(path.join(tmpdir(), 'spaceops-bench-runner-'))
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    RUNNER_TEMP: runner,
    GITHUB_OUTPUT: path.join(runner, 'output'),
    GITHUB_STEP_SUMMARY: path.join(runner, 'summary')
  }
  for (const f of ['output', 'summary']) writeFileSync(path.join(runner, f), '')
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v
  const started = performance.now()
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ACTION], { cwd: repo, env })
    let stderr = ''
    let stdout = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('close', (code) => {
      rmSync(runner, { recursive: true, force: true })
      resolve({ ms: performance.now() - started, code, stderr, stdout })
    })
  })
}

async function scale(n: number): Promise<void> {
  const emu = await startEmulator({ port: 0, seed: 5, faults: { latencyMs: RTT } })
  const repo = repoOf(n)
  const api = async (method: string, p: string) => {
    const res = await fetch(`${emu.url}${p}`, { method })
    const text = await res.text()
    return text ? (JSON.parse(text) as unknown) : undefined
  }
  const base = {
    host: emu.url,
    token: TOKEN,
    'warehouse-id': 'wh-bench',
    definition: 'spaces/*/space.yaml',
    concurrency: String(CONCURRENCY),
    comment: 'false'
  }
  const phases: [string, Record<string, string>][] = [
    ['first deploy', { mode: 'push' }],
    ['plan of all', { mode: 'diff', 'all-spaces': 'true' }],
    ['unchanged re-deploy', { mode: 'push' }],
    ['drift of all', { mode: 'drift' }]
  ]
  console.log(`\nN = ${n} spaces, emulator latency ${RTT} ms, concurrency ${CONCURRENCY}`)
  console.log('phase                 wall      requests  per space  lists  ideal     ratio')
  for (const [name, inputs] of phases) {
    await api('DELETE', '/_emulator/requests')
    const r = await runAction(repo, { ...base, ...inputs })
    const log = (await api('GET', '/_emulator/requests')) as { method: string; path: string }[]
    const lists = log.filter((l) => l.method === 'GET' && l.path === '/api/2.0/genie/spaces').length
    const ideal = (log.length * RTT) / CONCURRENCY
    if (process.env.BENCH_BREAKDOWN) {
      // requests by kind (ids and file names folded), to see what a phase spends them on
      const kinds = new Map<string, number>()
      for (const l of log) {
        const k = `${l.method} ${l.path.replace(/[0-9a-f]{32}/g, ':id').replace(/\?.*$/, '')}`
        kinds.set(k, (kinds.get(k) ?? 0) + 1)
      }
      for (const [k, c] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`    ${String(c).padStart(6)}  ${k}`)
    }
    const failed = r.code !== 0 ? `  (exit ${r.code}: ${(r.stdout.split('\n').find((l) => l.startsWith('::error')) ?? r.stderr).slice(0, 200)})` : ''
    console.log(
      `${name.padEnd(20)}  ${(r.ms / 1000).toFixed(2).padStart(6)} s  ${String(log.length).padStart(8)}  ${(log.length / n).toFixed(2).padStart(9)}  ${String(lists).padStart(5)}  ${(ideal / 1000).toFixed(2).padStart(6)} s  ${(r.ms / ideal).toFixed(2).padStart(5)}×${failed}`
    )
  }
  await emu.close()
  rmSync(repo, { recursive: true, force: true })
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] as number
}

function timed(args: string[], cwd: string, env: Record<string, string>): number {
  const t = performance.now()
  const r = spawnSync(process.execPath, args, { cwd, env })
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stdout.toString().slice(0, 300)}`)
  return performance.now() - t
}

/** dist/index.cjs and the chunks beside it (each mode's modules, loaded when that mode runs). */
function actionBytes(): number {
  const dir = path.dirname(ACTION)
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js') || f.endsWith('.cjs'))
    .reduce((n, f) => n + statSync(path.join(dir, f)).size, 0)
}

function actionStart(): void {
  const repo = repoOf(1)
  const runner = mkdtempSync(path.join(tmpdir(), 'spaceops-bench-start-'))
  const env = {
    PATH: process.env.PATH ?? '',
    INPUT_MODE: 'validate',
    INPUT_DEFINITION: 'spaces/s0000/space.yaml',
    GITHUB_OUTPUT: path.join(runner, 'o'),
    GITHUB_STEP_SUMMARY: path.join(runner, 's')
  }
  writeFileSync(env.GITHUB_OUTPUT, '')
  writeFileSync(env.GITHUB_STEP_SUMMARY, '')
  timed([ACTION], repo, env)
  const bare: number[] = []
  const action: number[] = []
  for (let i = 0; i < 21; i++) {
    bare.push(timed(['-e', '0'], repo, env))
    action.push(timed([ACTION], repo, env))
  }
  const b = median(bare)
  const a = median(action)
  console.log(
    `\naction start (validate one space): ${a.toFixed(0)} ms vs node -e 0 ${b.toFixed(0)} ms = ${(a / b).toFixed(2)}×; dist/index.cjs ${(statSync(ACTION).size / 1e6).toFixed(2)} MB (with the chunks loaded by mode: ${(actionBytes() / 1e6).toFixed(2)} MB)`
  )
  rmSync(repo, { recursive: true, force: true })
  rmSync(runner, { recursive: true, force: true })
}

function lineDiffFigures(): void {
  let seed = 3
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
  const oneCharLines = () => Array.from({ length: 12_500 }, () => 'abcdefgh'[Math.floor(rnd() * 8)]).join('\n')
  const a = oneCharLines()
  const cases: [string, string][] = [
    ['random (nothing aligned)', oneCharLines()],
    [
      'every 4th line changed',
      a
        .split('\n')
        .map((l, i) => (i % 4 === 0 ? 'z' : l))
        .join('\n')
    ],
    [
      'one line changed',
      a
        .split('\n')
        .map((l, i) => (i === 6000 ? 'z' : l))
        .join('\n')
    ]
  ]
  console.log(`\nline diff, two texts of ${a.length.toLocaleString('en')} characters in 1-character lines:`)
  for (const [name, b] of cases) {
    const gc = (globalThis as { gc?: () => void }).gc
    gc?.()
    const before = process.memoryUsage()
    let peak = 0
    const t = performance.now()
    const out = lineDiff(a, b)
    const ms = performance.now() - t
    const after = process.memoryUsage()
    peak = Math.max(after.rss - before.rss, after.heapUsed - before.heapUsed, 0)
    console.log(`  ${name.padEnd(26)} ${ms.toFixed(0).padStart(5)} ms  +${(peak / 1e6).toFixed(1)} MB  (${out.length} lines shown)`)
  }
}

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((x) => x > 0)
for (const n of sizes.length ? sizes : [200, 1000]) await scale(n)
actionStart()
lineDiffFigures()
