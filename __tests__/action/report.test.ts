import { publishReport } from '../../src/action/report.js'
import { readInputs } from '../../src/action/inputs.js'
import { JOB_SUMMARY_LIMIT } from '../../src/github/fit.js'
import { SecretRegistry } from '../../src/util/secrets.js'
import { FakeRuntime } from '../helpers/runtime.js'

test('a report is redacted whole before it is cut to fit the job summary', async () => {
  const secret = 'plainCANARYsecret0123456789abcdef'
  // the secret straddles the point where the single level is cut, wherever the note puts it
  for (let before = 40; before <= 160; before += 8) {
    const rt = new FakeRuntime({ comment: 'false' }, '/')
    const secrets = new SecretRegistry()
    const inputs = readInputs(rt, secrets)
    secrets.add(secret)
    const report = `### plan\n\n${'x'.repeat(JOB_SUMMARY_LIMIT - 1024 - before)}${secret}${'y'.repeat(400)}\n`
    await publishReport(rt, inputs, secrets, { kind: 'plan', levels: [report] })
    expect(Buffer.byteLength(rt.summary)).toBeLessThanOrEqual(JOB_SUMMARY_LIMIT)
    for (let i = 0; i + 5 <= secret.length; i++) expect(rt.summary).not.toContain(secret.slice(i, i + 5))
  }
})
