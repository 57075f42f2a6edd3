import { createInterface } from 'node:readline/promises'
import { runCli } from './main.js'
import { SecretRegistry } from '../util/secrets.js'

/** Process entry of the `spaceops` command: real streams and environment, then exit. */
const secrets = new SecretRegistry()
for (const name of ['DATABRICKS_TOKEN', 'DATABRICKS_CLIENT_SECRET']) secrets.add(process.env[name])

void runCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(secrets.redact(t)),
  err: (t) => process.stderr.write(secrets.redact(t)),
  env: process.env,
  cwd: process.cwd(),
  isTTY: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  prompt: async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr })
    try {
      return await rl.question(question)
    } finally {
      rl.close()
    }
  },
  secrets
}).then((code) => {
  process.exitCode = code
})
