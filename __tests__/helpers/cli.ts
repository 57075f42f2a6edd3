import { runCli } from '../../src/cli/main.js'
import { SecretRegistry } from '../../src/util/secrets.js'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'

/** The repository root: the nearest folder above this file whose package.json is SpaceOps' (also from a bundle in .out/). */
function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      if ((JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'spaceops') return dir
    } catch {
      // no package.json here
    }
    if (path.dirname(dir) === dir) throw new Error(`no SpaceOps repository above ${from}`)
  }
}
export const ROOT = findRoot(import.meta.dirname)
/** Copies of the published documents and API responses (sources in __tests__/fixtures/SOURCES.md). */
export const FIXTURE_SPACES = path.join(ROOT, '__tests__/fixtures/spaces')
export const FIXTURE_RESPONSES = path.join(ROOT, '__tests__/fixtures/responses')

/** Run the CLI in-process and capture what it prints. */
export async function cli(argv: string[], options: { cwd?: string; env?: Record<string, string>; isTTY?: boolean; answer?: string } = {}) {
  let out = ''
  let err = ''
  const secrets = new SecretRegistry()
  const code = await runCli(argv, {
    out: (t) => {
      out += secrets.redact(t)
    },
    err: (t) => {
      err += secrets.redact(t)
    },
    env: options.env ?? {},
    cwd: options.cwd ?? ROOT,
    isTTY: options.isTTY ?? false,
    prompt: async () => options.answer ?? '',
    secrets
  })
  return { code, out, err }
}

/** Run the built CLI bundle as a user would (node bin/spaceops.js …). */
export function cliProcess(argv: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/spaceops.js'), ...argv], {
    cwd: options.cwd ?? ROOT,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    encoding: 'utf8'
  })
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr }
}

export const STACK_TRACE = /\n\s+at .+[(:]\d+|Error: .*\n\s+at /
