/**
 * Attack: text from a pull request (a space title, description, instructions, questions) holding a
 * line break and `::error file=README.md,line=1::…` or `::add-mask::…` must not become a workflow
 * command in the log of the built action (dist/index.cjs) nor of the CLI run in a workflow, and its
 * control characters must not reach a terminal.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { emulator } from '../helpers/emulator.js'
import { runAction, spaceops } from '../helpers/process.js'
import { isWorkflowCommand } from '../helpers/workflow-commands.js'

const TOKEN = 'dapiCANARYtoken0123456789abcdef'

// A title in a definition cannot hold a line break (validate refuses control characters in names);
// one edited in the Genie UI can, and comes back from the API: that path is exercised below.
const space = (instructions: string) => `title: "Sales ::error file=README.md,line=1::pwned-title"
description: "d\\n::warning::pwned-description"
warehouse_id: wh-1
instructions:
  - content: "${instructions}"
sample_questions:
  - "q\\n::notice::pwned-question"
`

let emu: Awaited<ReturnType<typeof emulator>>
let dir: string
beforeAll(async () => {
  emu = await emulator()
})
afterAll(async () => {
  await emu.close()
})
beforeEach(async () => {
  await emu.reset()
  dir = mkdtempSync(path.join(tmpdir(), 'spaceops-untrusted-'))
  writeFileSync(path.join(dir, 'space.yaml'), space('line one'))
})

/** The lines a runner reads, and those it would run as commands. */
function commands(stdout: string): string[] {
  return stdout.split(/\r\n|\r|\n/).filter(isWorkflowCommand)
}

test('mode push: titles, descriptions, instructions and questions print as text, never as commands', async () => {
  const env = { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: TOKEN }
  const first = await runAction({ mode: 'push', definition: 'space.yaml' }, { cwd: dir, env })
  expect(first.code).toBe(0)
  writeFileSync(path.join(dir, 'space.yaml'), space('line one\\n::error::pwned-instruction\\n  ::add-mask::y\\n##[error]pwned-legacy'))
  const second = await runAction({ mode: 'push', definition: 'space.yaml' }, { cwd: dir, env })
  expect(second.code).toBe(0)

  // the space's title edited in the Genie UI, read back through the API by drift
  const id = first.outputs['space-id'] as string
  await fetch(`${emu.url}/_emulator/spaces/${id}/edit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Sales\n::error file=README.md,line=1::pwned-title\n::add-mask::x \u001b[2J' })
  })
  const drift = await runAction({ mode: 'drift', definition: 'space.yaml', 'space-id': id }, { cwd: dir, env })
  expect(drift.out).toContain('Sales\\n::error file=README.md,line=1::pwned-title')

  for (const run of [first, second, drift]) {
    // the untrusted text was printed …
    expect(run.out).toContain('::error file=README.md,line=1::pwned-title')
    // … but the only commands are SpaceOps' own: masks of the token's forms and debug lines
    // (drift adds its own annotation, which names the definition's title inside its message)
    const own = commands(run.out).filter(
      (c) =>
        !/^::warning title=SpaceOps%3A drift,file=space\.yaml::space\.yaml: "Sales ::error file=README\.md,line=1::pwned-title" was changed outside SpaceOps$/.test(
          c
        )
    )
    for (const c of own) expect(c).toMatch(/^::(add-mask::\S+|debug::.*)$/)
    expect(own.join('\n')).not.toMatch(/pwned|::add-mask::[xy]$/m)
    expect(run.out).not.toContain('\u001b')
    // and no line of the log starts with text from the pull request
    expect(run.out).not.toMatch(/^[^\S\n]*(:\\?:error file=README|:\\?:add-mask::x|:\\?:warning::pwned|:\\?:notice::pwned)/m)
  }
  // the plan of the update keeps its lines (indented after "+", so no command), `##[` neutralised
  expect(second.out).toMatch(/^ +\+ ::error::pwned-instruction$/m)
  expect(second.out).toContain('##\\[error]pwned-legacy')
})

test('the CLI: no command in a workflow log, no control character on a terminal', async () => {
  const env = { DATABRICKS_HOST: emu.url, DATABRICKS_TOKEN: TOKEN }
  const inWorkflow = await spaceops(['push', 'space.yaml'], { cwd: dir, env: { ...env, GITHUB_ACTIONS: 'true' } })
  expect(inWorkflow.code).toBe(0)
  const all = `${inWorkflow.out}\n${inWorkflow.err}`
  expect(all).toContain('pwned-title')
  expect(commands(all)).toEqual([])
  expect(all).not.toMatch(/[\u001b\r]/)
  expect(all).not.toMatch(/^[^\S\n]*:\\?:(error file=README|add-mask::x|warning::pwned|notice::pwned)/m)

  // outside a workflow stderr (diagnostics) is still escaped
  const local = await spaceops(['push', 'space.yaml', '--dry-run'], { cwd: dir, env })
  expect(local.err).not.toMatch(/[\u001b\r]/)
})
