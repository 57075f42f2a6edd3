import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { cli, cliProcess, FIXTURE_SPACES, ROOT } from '../helpers/cli.js'
import { COMMANDS } from '../../src/cli/main.js'
import { VERSION } from '../../src/version.js'

const tmp = () => mkdtempSync(path.join(tmpdir(), 'spaceops-cli-'))

describe('spaceops CLI', () => {
  it('keeps its version equal to package.json', () => {
    expect(VERSION).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version)
  })

  it('prints --version and --help at the top and for every command', async () => {
    expect((await cli(['--version'])).out).toBe(`${VERSION}\n`)
    const help = await cli(['--help'])
    expect(help.code).toBe(0)
    for (const name of Object.keys(COMMANDS)) {
      expect(help.out).toContain(name)
      const h = await cli([name, '--help'])
      expect(h.code).toBe(0)
      expect(h.out).toMatch(/Usage: spaceops /)
      expect((await cli([name, '--version'])).out).toBe(`${VERSION}\n`)
    }
  })

  it('refuses an unknown command or option with one line and exit 2', async () => {
    const r = await cli(['deploy'])
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/^error: unknown command "deploy"; commands are: validate/)
    const o = await cli(['validate', '--fromat', 'json', 'x.yaml'])
    expect(o.code).toBe(2)
    expect(o.err.trim().split('\n')).toHaveLength(1)
    expect(o.err).toMatch(/^error: unknown option --fromat — did you mean --format\?; usage: spaceops validate/)
  })

  it('says "did you mean" for a misspelt command, in one line, exit 2', async () => {
    const r = await cli(['valdiate', 'x.yaml'])
    expect(r.code).toBe(2)
    expect(r.err).toBe('error: unknown command "valdiate" — did you mean "validate"?\n')
  })

  it('says "did you mean" for a misspelt option: --warehouse_id is --warehouse-id', async () => {
    const r = await cli(['push', '__tests__/fixtures/seed/space.yaml', '--warehouse_id', 'wh1'])
    expect(r.code).toBe(2)
    expect(r.err.trim().split('\n')).toHaveLength(1)
    expect(r.err).toMatch(/^error: unknown option --warehouse_id — did you mean --warehouse-id\?/)
    const missing = await cli(['validate', 'x.yaml', '--format'])
    expect(missing.err).toMatch(/^error: option --format needs a value; usage:/)
  })

  it('validates a directory and a glob: every definition and suite they contain', async () => {
    const dir = await cli(['validate', '__tests__/fixtures/seed'])
    expect(dir.code).toBe(0)
    expect(dir.err).toContain('2 files (1 benchmark suite, 1 space definition) checked: 0 errors')
    const glob = await cli(['validate', '__tests__/fixtures/malformed/0*-*.yaml'])
    expect(glob.code).toBe(1)
    expect(glob.err).toContain(' checked: ')
    const none = await cli(['validate', 'nope/**/space.yaml'])
    expect(none.code).toBe(1)
    expect(none.err.trim()).toBe('error: nope/**/space.yaml: matches no file')
  })

  it('validates clean fixtures with exit 0 and reports the non-hex id fixture with exit 1', async () => {
    expect((await cli(['validate', path.join(FIXTURE_SPACES, 'lopess01_diretoria_ecommerce.json')])).code).toBe(0)
    const bad = await cli(['validate', path.join(FIXTURE_SPACES, 'docs_rest_api_getspace_example.json')])
    expect(bad.code).toBe(1)
    expect(bad.out).toMatch(/docs_rest_api_getspace_example\.json:119:\d+: benchmark id "01f0d0b4e815100000000000000000g1" is not 32 lowercase hex/)
  })

  it('renders the payload and applies overrides', async () => {
    const r = await cli(['render', '__tests__/fixtures/seed/space.yaml', '--warehouse-id', 'wh1', '--parent-path', '/Workspace/Shared'])
    expect(r.code).toBe(0)
    const payload = JSON.parse(r.out)
    expect(Object.keys(payload)).toEqual(['title', 'description', 'warehouse_id', 'parent_path', 'serialized_space'])
    expect(payload.warehouse_id).toBe('wh1')
    expect(payload.parent_path).toBe('/Workspace/Shared')
    expect(payload.serialized_space.version).toBe(2)
  })

  it('renders a document the API would reject, saying so on stderr', async () => {
    const r = await cli(['render', path.join(FIXTURE_SPACES, 'cli_full_featured.json')])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out).serialized_space.version).toBe(2)
    expect(r.err).toContain('the API will reject this definition')
  })

  it('converts JSON → YAML → JSON losslessly through the files it writes', async () => {
    const dir = tmp()
    const src = path.join(FIXTURE_SPACES, 'genie-workbench_schema_reference.json')
    expect((await cli(['convert', src, '-o', 'space.yaml'], { cwd: dir })).code).toBe(0)
    expect((await cli(['convert', 'space.yaml', '-o', 'back.geniespace.json'], { cwd: dir })).code).toBe(0)
    const rendered = JSON.parse((await cli(['render', src])).out).serialized_space
    expect(JSON.parse(readFileSync(path.join(dir, 'back.geniespace.json'), 'utf8'))).toEqual(rendered)
  })

  it('says which metadata a .geniespace.json cannot hold, and keeps it in a payload .json', async () => {
    const dir = tmp()
    const r = await cli(['convert', path.join(ROOT, '__tests__/fixtures/seed/space.yaml'), '-o', 'doc.geniespace.json'], { cwd: dir })
    expect(r.err).toContain('note: title, description are not part of a .geniespace.json document')
    await cli(['convert', path.join(ROOT, '__tests__/fixtures/seed/space.yaml'), '-o', 'payload.json'], { cwd: dir })
    expect(JSON.parse(readFileSync(path.join(dir, 'payload.json'), 'utf8')).title).toBe('My Analytics Space')
  })

  it('never overwrites without --force and never leaves a partial file', async () => {
    const dir = tmp()
    writeFileSync(path.join(dir, 'out.yaml'), 'keep me\n')
    const r = await cli(['convert', path.join(FIXTURE_SPACES, 'cli_minimal_one_table.json'), '-o', 'out.yaml'], { cwd: dir })
    expect(r.code).toBe(1)
    expect(r.err).toContain('already exists; pass --force')
    expect(readFileSync(path.join(dir, 'out.yaml'), 'utf8')).toBe('keep me\n')
    const bad = await cli(['convert', path.join(ROOT, '__tests__/fixtures/malformed/06-unknown-top-key.yaml'), '-o', 'new.json'], { cwd: dir })
    expect(bad.code).toBe(1)
    expect(existsSync(path.join(dir, 'new.json'))).toBe(false)
    expect(readdirSync(dir)).toEqual(['out.yaml'])
    const forced = await cli(['convert', path.join(FIXTURE_SPACES, 'cli_minimal_one_table.json'), '-o', 'out.yaml', '--force'], { cwd: dir })
    expect(forced.code).toBe(0)
    expect(readFileSync(path.join(dir, 'out.yaml'), 'utf8')).toBe('data_sources:\n  tables:\n    - identifier: main.sales.customers\n')
  })

  it("names the user's path when a file cannot be written, and checks snapshot names before any call", async () => {
    const dir = tmp()
    const { mkdirSync } = await import('node:fs')
    mkdirSync(path.join(dir, 'taken.yaml'))
    const r = await cli(['convert', path.join(FIXTURE_SPACES, 'cli_minimal_one_table.json'), '-o', 'taken.yaml', '--force'], { cwd: dir })
    expect(r.code).toBe(1)
    expect(r.err).toBe('error: taken.yaml: cannot write: is a directory\n')
    expect(readdirSync(dir)).toEqual(['taken.yaml'])
    // a folder that cannot be created fails at once (Node's recursive mkdir never settles here)
    if (process.platform === 'linux') {
      const proc = await cli(['convert', path.join(FIXTURE_SPACES, 'cli_minimal_one_table.json'), '-o', '/proc/spaceops-nope/x.yaml'], { cwd: dir })
      expect(proc.code).toBe(1)
      expect(proc.err).toBe('error: /proc/spaceops-nope/x.yaml: cannot write: the folder cannot be created there\n')
    }
    const mismatch = await cli(['snapshot', '0123456789abcdef0123456789abcdef', '-o', 'x.yaml', '--format', 'json'], { cwd: dir })
    expect(mismatch.code).toBe(2)
    expect(mismatch.err).toMatch(/^error: x\.yaml is a YAML file name but --format is json/)
    const unknown = await cli(['snapshot', '0123456789abcdef0123456789abcdef', '-o', 'x.txt'], { cwd: dir })
    expect(unknown.code).toBe(2)
    expect((await cli(['validate', '__tests__/fixtures/seed', '--limit', 'max-tables=abc'])).code).toBe(2)
    expect((await cli(['schema', 'extra'])).code).toBe(2)
  })

  it('works as a real process from the repository root (npx spaceops)', () => {
    const r = cliProcess(['validate', '__tests__/fixtures/seed/space.yaml'])
    expect(r.code).toBe(0)
    expect(r.err).toContain('1 space definition checked: 0 errors, 2 warnings')
    const v = cliProcess(['--version'])
    expect(v.out.trim()).toBe(VERSION)
  })
})
