import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { expandDefinitions, splitPatterns } from '../../src/core/paths.js'

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

describe('globs people write', () => {
  test('brace lists with a comma are one pattern: space.{yaml,yml} and {space.yaml,*.geniespace.json}', async () => {
    const dir = tree(['spaces/a/space.yaml', 'spaces/b/space.yml', 'spaces/c/sales.geniespace.json', 'spaces/d/notes.yaml'])
    expect(await expandDefinitions(splitPatterns('spaces/*/space.{yaml,yml}'), dir)).toEqual(['spaces/a/space.yaml', 'spaces/b/space.yml'])
    expect(await expandDefinitions(splitPatterns('spaces/*/{space.yaml,*.geniespace.json}'), dir)).toEqual([
      'spaces/a/space.yaml',
      'spaces/c/sales.geniespace.json'
    ])
  })

  test('definition takes a newline-separated list (and commas outside braces)', () => {
    expect(splitPatterns('spaces/a/space.yaml\n  spaces/*/space.{yaml,yml}\r\n\nother/x.yaml, more/y.yaml')).toEqual([
      'spaces/a/space.yaml',
      'spaces/*/space.{yaml,yml}',
      'other/x.yaml',
      'more/y.yaml'
    ])
  })

  test('* and ** do not enter dot folders or node_modules', async () => {
    const dir = tree([
      'spaces/a/space.yaml',
      '.cache/spaces/b/space.yaml',
      'spaces/.old/space.yaml',
      'node_modules/pkg/spaces/space.yaml',
      'spaces/node_modules/x/space.yaml'
    ])
    expect(await expandDefinitions(['**/space.yaml'], dir)).toEqual(['spaces/a/space.yaml'])
    expect(await expandDefinitions(['spaces/*/space.yaml'], dir)).toEqual(['spaces/a/space.yaml'])
  })

  test('a symlinked folder is followed once; a link back up does not loop', async () => {
    const dir = tree(['real/sales/space.yaml'])
    symlinkSync(path.join(dir, 'real'), path.join(dir, 'linked'))
    symlinkSync(path.join(dir, 'real'), path.join(dir, 'real', 'loop'))
    const found = await expandDefinitions(['**/space.yaml'], dir)
    expect(found).toContain('real/sales/space.yaml')
    expect(found).toContain('linked/sales/space.yaml')
    expect(found.length).toBeLessThan(10)
  })

  test('a malformed pattern is a one-line error naming it, not a raw exception', async () => {
    const dir = tree(['spaces/a/space.yaml'])
    await expect(expandDefinitions(['spaces/*/{space.yaml'], dir)).rejects.toThrow(/spaces\/\*\/\{space\.yaml/)
  })
})

describe('a directory for validate also holds its promotion configs', () => {
  test('validate (configs: true) takes config/promotion.yaml and x.promotion.yml; the deploying modes never do', async () => {
    const dir = tree(['spaces/a/space.yaml', 'spaces/a/benchmarks/s.yaml', 'config/promotion.yaml', 'config/prod.promotion.yml', 'config/other.yaml'])
    expect((await expandDefinitions(['.'], dir, { configs: true })).sort()).toEqual([
      'config/prod.promotion.yml',
      'config/promotion.yaml',
      'spaces/a/benchmarks/s.yaml',
      'spaces/a/space.yaml'
    ])
    expect((await expandDefinitions(['.'], dir)).sort()).toEqual(['spaces/a/benchmarks/s.yaml', 'spaces/a/space.yaml'])
  })
})
