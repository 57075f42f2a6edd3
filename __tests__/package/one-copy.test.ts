import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { ROOT } from '../helpers/cli.js'
import { importedPackages } from '../helpers/imports.js'

// The bundles hold one copy of each library: every package the sources import, and everything those
// depend on, resolves (as Node and ncc resolve it, nearest node_modules first) to a single install
// in package-lock.json. Two majors of one package wanted by two dependencies would put both copies
// in dist/ (as @actions/github 9 and @actions/core 3 did with @actions/http-client 3 and 4, until
// package.json's `overrides` gave @actions/github the 4.x its API is compatible with). Packages of
// types alone bundle nothing and are left out.

interface LockEntry {
  version?: string
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  peerDependenciesMeta?: Record<string, { optional?: boolean }>
}

const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }

/** Where `name` is installed for the package installed at `from` ('' = the project): Node's lookup. */
function resolveFrom(from: string, name: string): string | undefined {
  let dir = from
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`
    if (lock.packages[candidate]) return candidate
    if (!dir) return undefined
    const i = dir.lastIndexOf('node_modules/')
    dir = i <= 0 ? '' : dir.slice(0, i - 1)
  }
}

/** Whether the install at `at` holds any JavaScript (a package of types alone, like @octokit/types, bundles nothing). */
function hasCode(at: string): boolean {
  const walk = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((e) =>
      e.isDirectory() ? e.name !== 'node_modules' && walk(path.join(dir, e.name)) : /\.[cm]?js$/.test(e.name)
    )
  return walk(path.join(ROOT, at))
}

/** Install paths of the packages `roots` need, by name. */
function installs(roots: Iterable<string>): Map<string, Set<string>> {
  const byName = new Map<string, Set<string>>()
  const pending = [...roots].map((name) => ({ from: '', name }))
  const seen = new Set<string>()
  while (pending.length) {
    const { from, name } = pending.pop() as { from: string; name: string }
    const at = resolveFrom(from, name)
    if (!at || seen.has(at)) continue
    seen.add(at)
    byName.set(name, (byName.get(name) ?? new Set()).add(at))
    const entry = lock.packages[at] as LockEntry
    const peers = Object.keys(entry.peerDependencies ?? {}).filter((p) => !entry.peerDependenciesMeta?.[p]?.optional)
    for (const dep of [...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.optionalDependencies ?? {}), ...peers])
      pending.push({ from: at, name: dep })
  }
  return byName
}

describe('one copy of each bundled library', () => {
  it.each([
    ['the action', 'src/index.ts', []],
    ['the CLI', 'src/cli/index.ts', ['@duckdb/node-api']]
  ] as const)('%s (%s): every package it bundles, and their dependencies, are installed once', (_, entry, notBundled) => {
    const roots = [...importedPackages(entry)].filter((p) => !(notBundled as readonly string[]).includes(p))
    const found = installs(roots)
    expect(found.get('undici')?.size).toBe(1)
    const twice = [...found].filter(([, at]) => [...at].filter(hasCode).length > 1).map(([name, at]) => `${name}: ${[...at].join(', ')}`)
    expect(twice).toEqual([])
  })

  it('the walk follows dependencies into nested installs (so a duplicate would be seen)', () => {
    const found = installs(['@actions/github'])
    expect([...found.keys()]).toEqual(expect.arrayContaining(['@actions/github', '@actions/http-client', '@octokit/core', 'undici']))
    expect(resolveFrom('node_modules/@actions/github', '@actions/http-client')).toBe('node_modules/@actions/http-client')
    // a nested install (some dev tool's own copy) is found before the top-level one
    const nested = Object.keys(lock.packages).find((k) => /^node_modules\/(@[^/]+\/)?[^/]+\/node_modules\/(@[^/]+\/)?[^/]+$/.test(k)) as string
    const [owner, name] = nested.split(/\/node_modules\/(?=[^/]+(?:\/[^/]+)?$)/) as [string, string]
    expect(resolveFrom(owner, name)).toBe(nested)
  })
})
