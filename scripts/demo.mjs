#!/usr/bin/env node
// npm run demo: the SpaceOps pipeline end to end, run the way workflows run it (the built action,
// dist/index.js, with INPUT_* variables and a GITHUB_OUTPUT file) against three Genie emulators
// on 127.0.0.1 standing in for the dev, stage and prod workspaces. Needs nothing but `npm ci`.
import { spawn } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const work = mkdtempSync(path.join(tmpdir(), 'spaceops-demo-'))
cpSync(path.join(root, 'examples'), work, { recursive: true })
const out = path.join(work, 'demo-out')
mkdirSync(out)

const tty = process.stdout.isTTY
const bold = (s) => (tty ? `\x1b[1m${s}\x1b[0m` : s)
const dim = (s) => (tty ? `\x1b[2m${s}\x1b[0m` : s)
let n = 0
const step = (title) => console.log(`\n${bold(`${++n}. ${title}`)}`)
const say = (text) => console.log(text.trimEnd().split('\n').map((l) => `   ${l}`).join('\n'))
const rel = (p) => path.relative(work, p)

function run(args, env = {}, cwd = work) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env.PATH, ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code) => resolve({ code, out: stdout, err: stderr }))
  })
}
const cli = (args, env) => run([path.join(root, 'bin/spaceops.js'), ...args], env)

let runs = 0
async function action(inputs, env = {}) {
  const dir = path.join(out, `.runner-${++runs}`)
  mkdirSync(dir)
  const files = { GITHUB_OUTPUT: path.join(dir, 'output'), GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'), RUNNER_TEMP: dir }
  writeFileSync(files.GITHUB_OUTPUT, '')
  writeFileSync(files.GITHUB_STEP_SUMMARY, '')
  const all = { ...files, ...workspaces, ...env }
  for (const [k, v] of Object.entries(inputs)) all[`INPUT_${k.toUpperCase()}`] = v
  const r = await run([path.join(root, 'dist/index.js')], all)
  const outputs = {}
  for (const m of readFileSync(files.GITHUB_OUTPUT, 'utf8').matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]] = m[3]
  const errors = r.out.split('\n').filter((l) => l.startsWith('::error')).map((l) => l.replace(/^::error[^:]*::/, '').replace(/%0A/g, ' ').replace(/%0D/g, '').replace(/%25/g, '%'))
  return { ...r, outputs, errors, summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8') }
}

function keep(name, text) {
  const file = path.join(out, name)
  writeFileSync(file, text)
  return file
}

function fail(what, r) {
  console.error(`\ndemo failed at: ${what} (exit ${r.code})\n${r.out}${r.err}`)
  process.exit(1)
}

// three workspaces: emulators as `npx spaceops emulator` runs them, with a fast Genie
const emulators = []
async function startEmulator(seed) {
  const child = spawn(process.execPath, [path.join(root, 'bin/spaceops.js'), 'emulator', '--port', '0', '--seed', String(seed), '--genie-latency', '300', '--genie-latency-jitter', '300', '--questions-per-minute', '30', '--statement-latency', '50'], { stdio: ['ignore', 'pipe', 'pipe'] })
  emulators.push(child)
  return new Promise((resolve, reject) => {
    let buf = ''
    child.stdout.on('data', (d) => {
      buf += d
      if (buf.includes('\n')) resolve(buf.split('\n')[0].trim())
    })
    child.on('exit', (code) => reject(new Error(`emulator exited with ${code}`)))
  })
}
process.on('exit', () => emulators.forEach((e) => e.kill('SIGTERM')))
const urls = { dev: await startEmulator(1), stage: await startEmulator(2), prod: await startEmulator(3) }
// what the workflow would pass from its variables and secrets
const workspaces = {}
for (const [env, url] of Object.entries(urls)) {
  workspaces[`DATABRICKS_${env.toUpperCase()}_HOST`] = url
  workspaces[`DATABRICKS_${env.toUpperCase()}_TOKEN`] = `demo-${env}-token`
}

console.log(`${bold('SpaceOps demo')}: one Genie space, examples/spaces/sales, goes from a pull request to production.`)
say(dim(`workspaces (Genie emulators): dev ${urls.dev}, stage ${urls.stage}, prod ${urls.prod}\nworking copy of examples/: ${work}`))

step('A pull request adds the space. CI validates it offline (mode: validate)')
let r = await action({ mode: 'validate', definition: 'spaces' })
if (r.code !== 0) fail('validate', r)
say(`${r.out.split('\n').filter((l) => /definition\(s\) checked/.test(l))[0] ?? ''} — valid=${r.outputs.valid}`)

step('…and plans what merging changes in dev (mode: diff): the sticky comment reviewers read')
r = await action({ mode: 'diff', 'target-env': 'dev', definition: 'spaces/**/space.yaml' })
if (r.code !== 0) fail('diff', r)
const plan = keep('pr-plan.md', r.summary)
say(`${r.summary.split('\n').slice(0, 5).join('\n')}\n(changes=${r.outputs.changes}; the comment's Markdown: ${rel(plan)})`)

step('The PR merges: deploy to dev (mode: promote, target-env dev)')
r = await action({ mode: 'promote', 'target-env': 'dev', definition: 'spaces/**/space.yaml' })
if (r.code !== 0) fail('promote dev', r)
const devId = r.outputs['space-id']
say(`created the dev space ${devId}: tables, joins, instructions, examples, snippets and benchmarks`)

step('Benchmark gate on dev (mode: benchmark): Genie is asked the suite’s questions')
r = await action({ mode: 'benchmark', 'space-id': devId, benchmark: 'spaces/sales/benchmarks' }, { DATABRICKS_HOST: urls.dev, DATABRICKS_TOKEN: 'demo-dev-token' })
const bench1 = keep('benchmark-dev-1.md', r.summary)
say(`${r.code === 0 ? 'passed' : 'FAILED'}: accuracy ${r.outputs.accuracy} (${r.outputs.passed} passed, ${r.outputs.failed} failed) — ${r.errors[0] ?? ''}\nreport: ${rel(bench1)}; JSON: ${r.outputs['report-path'] ? rel(r.outputs['report-path']) : '—'}`)
if (r.code === 0) fail('the first benchmark run was expected to fail (no example answers the cancelled-orders question)', r)

step('Promoting to stage is blocked by the same gate: stage is not touched')
r = await action({ mode: 'promote', 'target-env': 'stage', definition: 'spaces/**/space.yaml', benchmark: 'spaces/sales/benchmarks' })
if (r.code === 0) fail('promote stage should be blocked', r)
keep('promote-stage-blocked.md', r.summary)
say(r.errors[0] ?? '')

step('The fix: a reviewed PR adds an example query that answers the failing question')
const spaceFile = path.join(work, 'spaces/sales/space.yaml')
writeFileSync(
  spaceFile,
  readFileSync(spaceFile, 'utf8').replace(
    'example_queries:\n',
    `example_queries:\n  - question: How many orders were cancelled this year?\n    sql: |\n      SELECT COUNT(*) AS cancelled_orders\n      FROM shop_dev.sales.orders\n      WHERE status = 'CANCELLED' AND year(order_date) = year(current_date())\n`
  )
)
r = await cli(['diff', 'spaces/sales/space.yaml', '--env', 'dev', '--config', 'config/promotion.yaml'], workspaces)
say(r.out)
r = await action({ mode: 'promote', 'target-env': 'dev', definition: 'spaces/**/space.yaml' })
if (r.code !== 0) fail('promote dev (fix)', r)
r = await action({ mode: 'benchmark', 'space-id': devId, benchmark: 'spaces/sales/benchmarks' }, { DATABRICKS_HOST: urls.dev, DATABRICKS_TOKEN: 'demo-dev-token' })
const bench2 = keep('benchmark-dev-2.md', r.summary)
if (r.code !== 0) fail('benchmark after the fix', r)
say(`dev updated; benchmark passed: accuracy ${r.outputs.accuracy} (${r.outputs.passed}/${Number(r.outputs.passed) + Number(r.outputs.failed)}) — ${rel(bench2)}`)

step('Promote to stage, then prod: gates on the previous environment, names remapped (shop_dev → shop_stage → shop_prod)')
for (const target of ['stage', 'prod']) {
  r = await action({ mode: 'promote', 'target-env': target, definition: 'spaces/**/space.yaml', benchmark: 'spaces/sales/benchmarks' })
  if (r.code !== 0) fail(`promote ${target}`, r)
  keep(`promote-${target}.md`, r.summary)
  say(`${target}: space ${r.outputs['space-id']} — ${r.out.split('\n').find((l) => /benchmark gate on/.test(l)) ?? ''}`)
}
r = await cli(['render', 'spaces/sales/space.yaml', '--env', 'prod', '--config', 'config/promotion.yaml'])
const prodSql = JSON.parse(r.out).serialized_space.instructions.example_question_sqls.find((e) => e.question.join('').startsWith('What was revenue')).sql.join('')
say(`prod's SQL reads: ${prodSql.split('\n')[1]}`)

step('Someone edits the prod space in the Genie UI; the nightly drift check catches it (mode: drift)')
const prodId = (await action({ mode: 'promote', 'target-env': 'prod', definition: 'spaces/**/space.yaml', 'dry-run': 'true' })).outputs['space-id']
await fetch(`${urls.prod}/_emulator/spaces/${prodId}/edit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ add_sample_question: 'What is our churn rate?' }) })
r = await action({ mode: 'drift', 'target-env': 'prod', definition: 'spaces/**/space.yaml', 'fail-on-drift': 'true' })
const drift = keep('drift-prod.md', r.summary)
if (r.code === 0) fail('drift should have been found', r)
say(`${r.errors[0] ?? ''}\n${r.out.split('\n').filter((l) => l.includes('sample question')).join('\n')}\nreport: ${rel(drift)} — bring it into Git with spaceops snapshot, or promote again with force`)

console.log(`\n${bold('Done.')} Reports are in ${out}:`)
say(['pr-plan.md (the PR comment)', 'benchmark-dev-1.md, benchmark-dev-2.md', 'promote-stage-blocked.md, promote-stage.md, promote-prod.md', 'drift-prod.md'].join('\n'))
process.exit(0)
