import '../util/zod.js'
import { fstatSync } from 'node:fs'
import { createInterface } from 'node:readline/promises'
import { runCli } from './main.js'
import { LineGuard } from '../util/printable.js'
import { SecretRegistry } from '../util/secrets.js'

/**
 * Process entry of the `spaceops` command: real streams and environment, then exit. Both streams are
 * redacted. Diagnostics (stderr) always pass a `LineGuard`: control characters in untrusted text
 * cannot rewrite a terminal, and no line can run a workflow command when the CLI runs in a workflow.
 * stdout passes one too when it is a terminal or a workflow log; written to a file or a pipe outside
 * a workflow it is data (`render`, `snapshot -o -`) and goes out byte for byte.
 */
const secrets = new SecretRegistry()
for (const name of ['DATABRICKS_TOKEN', 'DATABRICKS_CLIENT_SECRET']) secrets.add(process.env[name])

function stdoutIsShown(): boolean {
  if (process.stdout.isTTY) return true
  if (process.env.GITHUB_ACTIONS !== 'true') return false
  try {
    return !fstatSync(1).isFile()
  } catch {
    return true
  }
}

const outGuard = stdoutIsShown() ? new LineGuard() : undefined
const errGuard = new LineGuard()

void runCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(outGuard ? outGuard.write(secrets.redact(t)) : secrets.redact(t)),
  err: (t) => process.stderr.write(errGuard.write(secrets.redact(t))),
  env: process.env,
  cwd: process.cwd(),
  isTTY: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  prompt: async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr })
    try {
      return await rl.question(errGuard.write(question))
    } finally {
      rl.close()
    }
  },
  secrets
}).then((code) => {
  process.exitCode = code
})
