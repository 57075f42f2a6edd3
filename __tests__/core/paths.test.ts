import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { expandDefinitions } from '../../src/core/paths.js'

const SPACE = 'title: Sales\ndata_sources:\n  tables:\n    - identifier: main.sales.orders\n'

function tree(files: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'spaceops-paths-'))
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true })
    writeFileSync(path.join(dir, f), SPACE)
  }
  return dir
}

describe('a path that exists is that path, glob characters or not', () => {
  test('a file under a folder named with braces is taken literally, not as {a,b}', async () => {
    const dir = tree(['team{a,b}/space.yaml', 'teama/space.yaml', 'teamb/space.yaml'])
    expect(await expandDefinitions(['team{a,b}/space.yaml'], dir)).toEqual(['team{a,b}/space.yaml'])
  })

  test('a file named with brackets is taken literally, not as a character class', async () => {
    const dir = tree(['spaces/[1]/space.yaml', 'spaces/1/space.yaml'])
    expect(await expandDefinitions(['spaces/[1]/space.yaml'], dir)).toEqual(['spaces/[1]/space.yaml'])
  })

  test('a directory with glob characters in its name means the definitions below it', async () => {
    const dir = tree(['sales[eu]/space.yaml', 'salese/space.yaml'])
    expect(await expandDefinitions(['sales[eu]'], dir)).toEqual(['sales[eu]/space.yaml'])
  })

  test('a pattern that names nothing that exists is still a glob', async () => {
    const dir = tree(['teama/space.yaml', 'teamb/space.yaml', 'teamc/space.yaml'])
    expect(await expandDefinitions(['team{a,b}/space.yaml'], dir)).toEqual(['teama/space.yaml', 'teamb/space.yaml'])
    expect(await expandDefinitions(['team[bc]/*.yaml'], dir)).toEqual(['teamb/space.yaml', 'teamc/space.yaml'])
  })
})
