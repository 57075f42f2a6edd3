import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { FIXTURE_RESPONSES, FIXTURE_SPACES, ROOT } from './helpers/cli.js'

// The reference fixtures are kept beside the checkout (../shared/fixtures) on developer machines
// and in CI; the repository carries byte-identical copies so a plain clone tests on its own.
const REFERENCE = path.resolve(ROOT, '../shared/fixtures')

describe('fixture copies', () => {
  it('hold every published document and response', () => {
    expect(readdirSync(FIXTURE_SPACES).filter((f) => f.endsWith('.json')).length).toBeGreaterThanOrEqual(8)
    expect(readdirSync(FIXTURE_RESPONSES).filter((f) => f.endsWith('.json')).length).toBeGreaterThanOrEqual(10)
  })

  const compare = existsSync(REFERENCE) ? it.each(['spaces', 'responses']) : it.skip.each(['spaces', 'responses'])
  compare('%s/ matches the reference folder byte for byte', (sub) => {
    const ref = path.join(REFERENCE, sub)
    const ours = sub === 'spaces' ? FIXTURE_SPACES : FIXTURE_RESPONSES
    for (const f of readdirSync(ref)) expect(readFileSync(path.join(ours, f), 'utf8')).toBe(readFileSync(path.join(ref, f), 'utf8'))
  })
})
