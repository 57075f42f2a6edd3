#!/usr/bin/env node
// npm run demo: the SpaceOps pipeline end to end against the embedded Genie emulator, run the way
// a workflow runs it (the built action, dist/index.js) and the way a person runs it (the CLI).
// Needs nothing but `npm ci`: no Databricks workspace, no network beyond 127.0.0.1.
import { spawn } from 'node:child_process'
import { mkdtempSync, cpSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const work = mkdtempSync(path.join(tmpdir(), 'spaceops-demo-'))
cpSync(path.join(root, 'examples'), work, { recursive: true })
const token = 'demo-token-not-a-secret'

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s)
const step = (n, title) => console.log(`\n${bold(`${n}. ${title}`)}`)
const indent = (text) => text.trimEnd().split('\n').map((l) => `   ${l}`).join('\n')

function run(args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: work, env: { PATH: process.env.PATH, ...env } })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('close', (code) => resolve({ code, out, err }))
  })
}
const cli = (args, env) => run([path.join(root, 'bin/spaceops.js'), ...args], env)

async function action(inputs) {
  const dir = mkdtempSync(path.join(tmpdir(), 'spaceops-demo-runner-'))
  const files = { GITHUB_OUTPUT: path.join(dir, 'output'), GITHUB_STEP_SUMMARY: path.join(dir, 'summary') }
  for (const f of Object.values(files)) writeFileSync(f, '')
  const env = { ...files }
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v
  const r = await run([path.join(root, 'dist/index.js')], env)
  const outputs = {}
  for (const m of readFileSync(files.GITHUB_OUTPUT, 'utf8').matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]] = m[3]
  return { ...r, outputs, summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8') }
}

function fail(what, r) {
  console.error(`\ndemo failed at: ${what}\n${r.out}${r.err}`)
  process.exit(1)
}

// the emulator, as `npx spaceops emulator` runs it
const emu = spawn(process.execPath, [path.join(root, 'bin/spaceops.js'), 'emulator', '--port', '0', '--seed', '1'], { stdio: ['ignore', 'pipe', 'pipe'] })
const url = await new Promise((resolve, reject) => {
  let buf = ''
  emu.stdout.on('data', (d) => {
    buf += d
    const line = buf.split('\n')[0]
    if (buf.includes('\n')) resolve(line.trim())
  })
  emu.on('exit', (code) => reject(new Error(`emulator exited with ${code}`)))
})
const stop = () => emu.kill('SIGTERM')
process.on('exit', stop)
const env = { DATABRICKS_HOST: url, DATABRICKS_TOKEN: token }

console.log(bold('SpaceOps demo') + ` — a Genie emulator is listening on ${url}; working copy of examples/ in ${work}`)

step(1, 'Validate every definition offline (mode: validate)')
let r = await action({ mode: 'validate', definition: 'spaces' })
if (r.code !== 0) fail('validate', r)
console.log(indent(`${r.out.trim().split('\n').pop()}\noutputs: valid=${r.outputs.valid} errors=${r.outputs.errors} warnings=${r.outputs.warnings}`))

step(2, 'A typo is caught with file:line:col and a hint (spaceops validate)')
mkdirSync(path.join(work, 'broken'), { recursive: true })
writeFileSync(path.join(work, 'broken/space.yaml'), readFileSync(path.join(work, 'spaces/sales/space.yaml'), 'utf8').replace('column_configs:', 'colum_configs:'))
r = await cli(['validate', 'broken/space.yaml'])
if (r.code !== 1) fail('validate should reject the typo', r)
console.log(indent(r.out))

step(3, 'Render the exact payload the API receives (spaceops render)')
r = await cli(['render', 'spaces/sales/space.yaml', '--warehouse-id', 'demo-warehouse'])
if (r.code !== 0) fail('render', r)
const payload = JSON.parse(r.out)
console.log(indent(`title "${payload.title}", ${payload.serialized_space.data_sources.tables.length} tables, ${payload.serialized_space.instructions.join_specs.length} joins; ids derived and sorted as the API requires`))

step(4, 'Deploy to dev with the action (mode: push)')
r = await action({ mode: 'push', definition: 'spaces/sales/space.yaml', 'warehouse-id': 'demo-warehouse' , host: url, token })
if (r.code !== 0) fail('push', r)
const id = r.outputs['space-id']
console.log(indent(`created space ${id} — outputs: space-id=${id} changed=${r.outputs.changed}`))

step(5, 'Run it again: nothing differs, nothing is written')
r = await action({ mode: 'push', definition: 'spaces/sales/space.yaml', 'warehouse-id': 'demo-warehouse', host: url, token })
if (r.code !== 0 || r.outputs.changed !== 'false') fail('second push', r)
console.log(indent(`changed=${r.outputs.changed} (one read, zero writes)`))

step(6, 'Someone edits the space in the Genie UI; snapshot it back to Git (spaceops snapshot)')
await fetch(`${url}/_emulator/spaces/${id}/edit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ add_sample_question: 'Which region sold most last week?' }) })
r = await cli(['snapshot', id, '-o', 'spaces/sales/snapshot.yaml'], env)
if (r.code !== 0) fail('snapshot', r)
console.log(indent(r.err))

step(7, 'See what a push would change back (spaceops push --dry-run)')
r = await cli(['push', 'spaces/sales/space.yaml', '--warehouse-id', 'demo-warehouse', '--dry-run'], env)
if (r.code !== 0) fail('dry run', r)
console.log(indent(r.out))

step(8, 'List the workspace (spaceops list)')
r = await cli(['list'], env)
if (r.code !== 0) fail('list', r)
console.log(indent(r.out))

console.log(`\n${bold('Done.')} The files are in ${work}. Next: plans on pull requests, benchmarks and promotion (see README).`)
stop()
