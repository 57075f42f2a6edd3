import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { expectJobs, startWorld, type World } from './harness.js'

// The harness is only as good as it is strict: these workflows check that it keeps jobs apart,
// scopes secrets to environments, wires outputs, honours status functions and fails loudly on
// what it does not implement.

let world: World
const dir = mkdtempSync(path.join(tmpdir(), 'spaceops-harness-'))
let n = 0
function workflow(text: string): string {
  const file = path.join(dir, `w${++n}.yml`)
  writeFileSync(file, text)
  return file
}

beforeAll(async () => {
  world = await startWorld({ workspaces: [] })
  world.settings = { vars: { SHARED: 'shared-value' }, environments: { stage: { secrets: { STAGE_ONLY: 'stage-secret' } } } }
})
afterAll(() => world.close())

it('scopes secrets to the job’s environment, wires step and job outputs, GITHUB_ENV, needs and status functions', async () => {
  const file = workflow(`
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    environment: stage
    outputs:
      word: \${{ steps.one.outputs.word }}
    steps:
      - id: one
        env:
          SECRET: \${{ secrets.STAGE_ONLY }}
          SHARED: \${{ vars.SHARED }}
        run: |
          echo "word=hello" >> "$GITHUB_OUTPUT"
          echo "seen=$SECRET/$SHARED" >> "$GITHUB_OUTPUT"
          echo "FROM_ENV_FILE=yes" >> "$GITHUB_ENV"
          echo made > made.txt
      - id: two
        run: echo "env=$FROM_ENV_FILE" >> "$GITHUB_OUTPUT"
  b:
    needs: a
    runs-on: ubuntu-latest
    steps:
      - id: seen
        env:
          WORD: \${{ needs.a.outputs.word }}
          SECRET: \${{ secrets.STAGE_ONLY }}
        run: |
          echo "word=$WORD secret=[$SECRET]" >> "$GITHUB_OUTPUT"
          test ! -e made.txt
      - id: boom
        run: exit 3
      - id: after
        run: echo never
      - id: cleanup
        if: always()
        run: echo cleanup
      - id: onfail
        if: failure()
        run: echo failed
  c:
    needs: b
    runs-on: ubuntu-latest
    steps:
      - run: echo never
  d:
    needs: b
    if: always() && needs.b.result == 'failure'
    runs-on: ubuntu-latest
    steps:
      - run: echo runs
`)
  const run = await world.run(file, world.merge({ 'x.txt': '1' }))
  expectJobs(run, { a: 'success', b: 'failure', c: 'skipped', d: 'success' })
  expect(run.step('a', 'one').outputs).toEqual({ word: 'hello', seen: 'stage-secret/shared-value' })
  expect(run.step('a', 'two').outputs).toEqual({ env: 'yes' })
  expect(run.jobs.a?.outputs).toEqual({ word: 'hello' })
  expect(run.step('b', 'seen').outputs).toEqual({ word: 'hello secret=[]' })
  expect(['boom', 'after', 'cleanup', 'onfail'].map((id) => run.step('b', id).outcome)).toEqual(['failure', 'skipped', 'success', 'success'])
  expect(run.unresolved).toEqual(['b: secrets.STAGE_ONLY'])
})

it('checkout is a fresh copy per job; only artifacts cross jobs', async () => {
  const file = workflow(`
on: push
jobs:
  up:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v7
      - run: mkdir -p out && echo data > out/file.txt && echo local > only-here.txt
      - uses: actions/upload-artifact@v7
        with:
          name: thing
          path: out
  down:
    needs: up
    runs-on: ubuntu-latest
    steps:
      - run: test ! -e spaces
      - uses: actions/checkout@v7
      - id: dl
        uses: actions/download-artifact@v8
        with:
          name: thing
          path: \${{ runner.temp }}/got
      - env:
          GOT: \${{ steps.dl.outputs.download-path }}
        run: |
          cat "$GOT/file.txt"
          test ! -e only-here.txt
          test -e spaces/sales/space.yaml
`)
  const run = await world.run(file, world.merge({ 'x.txt': '2' }))
  expectJobs(run, { up: 'success', down: 'success' })
  expect(run.artifacts).toEqual({ thing: ['file.txt'] })
  expect(run.jobs.down?.steps[3]?.stdout).toBe('data\n')
})

it.each([
  ['an action it does not implement', 'uses: actions/setup-node@v5', /does not implement actions\/setup-node@v5/],
  ['an old major', 'uses: actions/checkout@v4', /current major actions\/checkout@v7/],
  [
    'an input this action does not declare',
    'uses: <owner>/spaceops-action@v1\n        with:\n          mode: validate\n          restore: "true"',
    /Unexpected input\(s\) 'restore'/
  ],
  [
    'an input a fake does not implement',
    'uses: actions/upload-artifact@v7\n        with:\n          path: x\n          compression-level: 9',
    /does not implement input\(s\) compression-level/
  ]
])('fails the step on %s', async (_what, step, message) => {
  const run = await world.run(
    workflow(`on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - ${step}\n`),
    world.merge({ 'x.txt': String(Math.random()) })
  )
  expectJobs(run, { j: 'failure' })
  expect(run.jobs.j?.steps[0]?.stderr).toMatch(message)
})

it('starts a workflow only for its events, branches and paths', async () => {
  const file = workflow(
    `on:\n  push:\n    branches: [main]\n    paths: ['spaces/**']\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: 'true'\n`
  )
  expect((await world.run(file, world.merge({ 'README.md': 'x' }))).triggered).toBe(false)
  expect((await world.run(file, world.merge({ 'spaces/a/space.yaml': 'x' }))).triggered).toBe(true)
  expect((await world.run(file, world.dispatch())).triggered).toBe(false)
  expect((await world.run(file, world.pullRequest(3, { 'spaces/a/space.yaml': 'y' }))).triggered).toBe(false)
})

it('gives the ID token variables only to a job with id-token: write', async () => {
  const file = workflow(`on: push
permissions:
  contents: read
jobs:
  with:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - run: test -n "$ACTIONS_ID_TOKEN_REQUEST_URL" && test -n "$ACTIONS_ID_TOKEN_REQUEST_TOKEN"
  without:
    runs-on: ubuntu-latest
    steps:
      - run: test -z "$ACTIONS_ID_TOKEN_REQUEST_URL$ACTIONS_ID_TOKEN_REQUEST_TOKEN"
`)
  expectJobs(await world.run(file, world.merge({ 'x.txt': 'oidc' })), { with: 'success', without: 'success' })
})
