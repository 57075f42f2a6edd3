import { spawn, spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ROOT } from '../helpers/cli.js'
import { runProcess } from '../helpers/process.js'
import { DUCKDB_MISSING, DUCKDB_RANGE } from '../../src/emulator/sql/duckdb.js'
import { VERSION } from '../../src/version.js'

// What `npm install -g ./spaceops-X.Y.Z.tgz` installs, and what runs from the action's own checkout:
// the CLI bundle alone, without node_modules. These run the BUILT bundle (npm run build).

interface Manifest {
  name: string
  version: string
  private?: boolean
  bin?: Record<string, string>
  files?: string[]
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  peerDependenciesMeta?: Record<string, { optional?: boolean }>
}
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest
const EXAMPLE = path.join(ROOT, 'examples/spaces/sales/space.yaml')
const temps: string[] = []
const temp = (prefix: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix))
  temps.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true })
})

/** The files `npm pack` puts into the tarball (no scripts run). */
function packedFiles(): string[] {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, npm_config_loglevel: 'silent' }
  })
  expect(r.status).toBe(0)
  const [pack] = JSON.parse(r.stdout) as { files: { path: string }[] }[]
  return (pack?.files ?? []).map((f) => f.path).sort()
}

/** Copy `files` (relative to the repository) into a fresh folder, as an install or a checkout holds them. */
function layout(prefix: string, files: readonly string[]): string {
  const dir = temp(prefix)
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true })
    cpSync(path.join(ROOT, f), path.join(dir, f), { recursive: true })
  }
  return dir
}

const node = (script: string, args: string[], cwd: string) => runProcess(process.execPath, [script, ...args], { cwd })

describe('the npm package (npm pack)', () => {
  let files: string[]
  beforeAll(() => {
    files = packedFiles()
  })

  it('holds only what runs: the bin, the CLI bundle and its licences, the schema, licence, README, package.json', () => {
    expect(files).toEqual(
      [
        'LICENSE',
        'README.md',
        'bin/spaceops.js',
        'dist/cli/index.js',
        'dist/cli/licenses.txt',
        'dist/cli/package.json',
        'package.json',
        'schema/promotion.schema.json',
        'schema/space.schema.json',
        'schema/suite.schema.json'
      ].sort()
    )
  })

  it('installs nothing: the bundles hold every library, and the emulator’s DuckDB is an optional peer', () => {
    // a package added with `npm install <pkg>` lands in dependencies: move it to devDependencies
    // (ncc bundles it). An optional dependency would be installed by default (and npm install -g
    // --omit=optional of a tarball installs it anyway): the emulator's DuckDB is an optional peer.
    expect(manifest.dependencies ?? {}).toEqual({})
    expect(manifest.optionalDependencies ?? {}).toEqual({})
    expect(manifest.peerDependencies).toEqual({ '@duckdb/node-api': DUCKDB_RANGE })
    expect(manifest.peerDependenciesMeta).toEqual({ '@duckdb/node-api': { optional: true } })
    // the range users are told to install is the one the tests run with
    expect(manifest.devDependencies?.['@duckdb/node-api']).toBe(DUCKDB_RANGE)
  })

  it('stays private, so it is installed from a release tarball and never resolved from the registry by name', () => {
    expect(manifest.private).toBe(true)
    expect(manifest.bin).toEqual({ spaceops: 'bin/spaceops.js' })
  })

  it('runs from the packed files alone (no node_modules): --version, validate, and one line when the emulator lacks DuckDB', async () => {
    const dir = layout('spaceops-installed-', files)
    expect(readdirSync(dir)).not.toContain('node_modules')
    const bin = path.join(dir, 'bin/spaceops.js')

    const version = await node(bin, ['--version'], dir)
    expect(version).toMatchObject({ code: 0, out: `${manifest.version}\n` })

    const valid = await node(bin, ['validate', EXAMPLE], temp('spaceops-user-repo-'))
    expect(valid).toMatchObject({ code: 0, out: '', err: '1 space definition checked: 0 errors, 0 warnings\n' })

    // --dataset loads DuckDB at start: without it, the start fails with that one line
    const emu = await node(bin, ['emulator', '--port', '0', '--dataset', path.join(ROOT, 'examples/billing/data')], dir)
    expect(emu.code).toBe(1)
    expect(emu.err).toBe(`spaceops emulator: cannot start: ${DUCKDB_MISSING}\n`)
  })
})

/**
 * Start `spaceops emulator`, run `whileUp` with the URL it prints first on stdout, stop it; resolve
 * with that line and everything it printed on stderr.
 */
function emulatorFirstLine(
  bin: string,
  args: string[],
  cwd: string,
  whileUp: (url: string) => Promise<void> = async () => {}
): Promise<{ line: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'emulator', ...args], { cwd, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    let up = false
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      if (!up && out.includes('\n')) {
        up = true
        whileUp(out.split('\n')[0] ?? '').then(
          () => child.kill('SIGTERM'),
          (e: unknown) => {
            child.kill('SIGTERM')
            reject(e as Error)
          }
        )
      }
    })
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('error', reject)
    child.on('close', () => {
      clearTimeout(timer)
      resolve({ line: out.split('\n')[0] ?? '', err })
    })
  })
}

describe('DuckDB not installed', () => {
  it('the packed emulator serves the API; a SQL statement and a table look-up fail with the one line, also told once on stderr', async () => {
    const dir = layout('spaceops-installed-', packedFiles())
    const failures: unknown[] = []
    let uc: unknown
    const r = await emulatorFirstLine(path.join(dir, 'bin/spaceops.js'), ['--port', '0'], dir, async (url) => {
      for (const statement of ['SELECT 1', 'SELECT 2']) {
        const res = await fetch(`${url}/api/2.0/sql/statements`, {
          method: 'POST',
          headers: { authorization: 'Bearer dapi-local', 'content-type': 'application/json' },
          body: JSON.stringify({ statement, warehouse_id: 'local', wait_timeout: '10s' })
        })
        failures.push(((await res.json()) as { status?: { error?: { message?: string } } }).status?.error?.message)
      }
      // its Unity Catalog has no tables then: a server error saying why, never "does not exist"
      const table = await fetch(`${url}/api/2.1/unity-catalog/tables/shop_dev.sales.orders`, { headers: { authorization: 'Bearer dapi-local' } })
      uc = { status: table.status, body: (await table.json()) as Record<string, unknown> }
    })
    expect(uc).toEqual({ status: 500, body: { error_code: 'INTERNAL_ERROR', message: DUCKDB_MISSING } })
    expect(r.line).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(failures).toEqual([DUCKDB_MISSING, DUCKDB_MISSING])
    expect(r.err.split('\n').filter((l) => l.includes('@duckdb/node-api'))).toEqual([`spaceops emulator: ${DUCKDB_MISSING}`])
  })
})

describe('DuckDB installed next to the packed files', () => {
  it('the emulator finds it where npm puts an installed peer (node_modules beside or above the package) and loads --dataset', async () => {
    const dir = layout('spaceops-installed-', packedFiles())
    // <prefix>/lib/node_modules/{spaceops,@duckdb} is what `npm install -g` of both gives
    const installed = path.join(dir, 'lib/node_modules/spaceops')
    mkdirSync(installed, { recursive: true })
    for (const entry of readdirSync(dir)) if (entry !== 'lib') cpSync(path.join(dir, entry), path.join(installed, entry), { recursive: true })
    symlinkSync(path.join(ROOT, 'node_modules/@duckdb'), path.join(dir, 'lib/node_modules/@duckdb'), 'dir')
    const r = await emulatorFirstLine(path.join(installed, 'bin/spaceops.js'), ['--port', '0', '--dataset', path.join(ROOT, 'examples/billing/data')], dir)
    expect(r.err).not.toContain('needs @duckdb/node-api')
    expect(r.line).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })
})

describe('the CLI from the action’s own checkout', () => {
  it('dist/cli/index.js runs without node_modules (a workflow step: node <checkout>/dist/cli/index.js)', async () => {
    const dir = layout('spaceops-action-checkout-', ['dist/package.json', 'dist/cli', 'action.yml'])
    const cli = path.join(dir, 'dist/cli/index.js')
    const r = await node(cli, ['validate', EXAMPLE], temp('spaceops-user-repo-'))
    expect(r).toMatchObject({ code: 0, out: '', err: '1 space definition checked: 0 errors, 0 warnings\n' })
    const bad = await node(cli, ['validate', path.join(dir, 'action.yml')], dir)
    expect(bad.code).toBe(1)
  })
})

describe('one version', () => {
  it('src/version.ts is package.json’s version; the lock file agrees', () => {
    expect(VERSION).toBe(manifest.version)
    const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { version: string; packages: Record<string, { version?: string }> }
    expect(lock.version).toBe(manifest.version)
    expect(lock.packages['']?.version).toBe(manifest.version)
  })

  it('no source file writes the version itself', () => {
    const literal = new RegExp(`['"\`]${manifest.version.replace(/\./g, '\\.')}['"\`]`)
    const offenders: string[] = []
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = path.join(dir, name)
        if (statSync(p).isDirectory()) walk(p)
        else if (p.endsWith('.ts') && literal.test(readFileSync(p, 'utf8'))) offenders.push(path.relative(ROOT, p))
      }
    }
    walk(path.join(ROOT, 'src'))
    expect(offenders).toEqual([])
  })

  it('both built bundles carry it: the CLI prints it, the action sends it', async () => {
    const r = await node(path.join(ROOT, 'bin/spaceops.js'), ['validate', '--version'], ROOT)
    expect(r).toMatchObject({ code: 0, out: `${manifest.version}\n` })
    const action = readdirSync(path.join(ROOT, 'dist')).filter((f) => f.endsWith('.js'))
    expect(action.some((f) => readFileSync(path.join(ROOT, 'dist', f), 'utf8').includes(`"${manifest.version}"`))).toBe(true)
  })
})
